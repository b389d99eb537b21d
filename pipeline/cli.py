"""The `twinpress` command line: build, check, schema, audiences, themes, init.

Exit codes: 0 success; 1 a problem in the inputs or outputs (each reported as
`path:line:col: error: message [code]`); 2 a command-line usage error; 3 an internal error
(a bug: rerun with --debug for the traceback); 130 interrupted.
"""

from __future__ import annotations

import functools
import json
import os
import sys
import time
import traceback
from pathlib import Path
from typing import Callable, Sequence

import click

from . import __version__, renderers
from .errors import Collector, Diagnostic, PipelineError, display_path
from .project import Project

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point for the console script and `python -m pipeline`."""
    try:
        cli.main(args=argv, prog_name="twinpress", standalone_mode=True)
    except KeyboardInterrupt:  # pragma: no cover - interactive
        click.echo("interrupted", err=True)
        sys.exit(130)


def _guard(fn: Callable) -> Callable:
    """Turn user-facing errors into diagnostics and exit 1; bugs into exit 3."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except PipelineError as exc:
            report(exc.diagnostics)
            sys.exit(exc.exit_code)
        except (click.exceptions.Exit, click.ClickException, SystemExit, KeyboardInterrupt):
            raise
        except BrokenPipeError:  # `twinpress ... | head`: the reader left; stop quietly
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(EXIT_OK)
        except Exception as exc:
            if os.environ.get("TWINPRESS_DEBUG"):
                traceback.print_exc()
            else:
                click.echo(f"internal error: {type(exc).__name__}: {exc}\n  hint: this is a "
                           "bug in twinpress; rerun with --debug for the traceback and report "
                           "it", err=True)
            sys.exit(EXIT_INTERNAL)

    return wrapper


def report(diagnostics: Sequence[Diagnostic], quiet: bool = False) -> None:
    """Print diagnostics sorted by place, then a count."""
    items = sorted(diagnostics, key=Diagnostic.sort_key)
    color = {"error": "red", "warning": "yellow"}
    for d in items:
        if quiet and d.level != "error":
            continue
        click.secho(str(d), err=True, fg=color[d.level] if _tty() else None)
    errors = sum(d.level == "error" for d in items)
    warnings = len(items) - errors
    if errors:
        click.echo(f"{_plural(errors, 'error')}, {_plural(warnings, 'warning')}", err=True)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' * (n != 1)}"


def _tty() -> bool:
    return sys.stderr.isatty() and not os.environ.get("NO_COLOR")


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="twinpress")
@click.option("--project", type=click.Path(file_okay=False, path_type=Path),
              help="Project folder (holds content/ and themes/); found from the current "
                   "folder upwards by default.")
@click.option("--debug", is_flag=True, help="Show tracebacks for internal errors.")
@click.pass_context
def cli(ctx: click.Context, project: Path | None, debug: bool) -> None:
    """twinpress: one YAML source, a PowerPoint deck and a PDF briefing per audience.

    \b
    Exit codes: 0 success, 1 problems in inputs or outputs (reported as
    path:line:col: error: message [code]), 2 usage error, 3 internal error.
    """
    if debug:
        os.environ["TWINPRESS_DEBUG"] = "1"
    ctx.obj = Project(project.resolve()) if project else Project.find()


SOURCES = click.argument("sources", nargs=-1, type=click.Path(path_type=Path))


@cli.command()
@SOURCES
@click.option("-a", "--audience", "audiences", multiple=True, metavar="A",
              help="Build for this audience only (repeatable). Default: every audience.")
@click.option("-f", "--format", "formats", multiple=True, metavar="F",
              help=f"Build this format only (repeatable): {', '.join(renderers.RENDERERS)}. "
                   f"Default: {', '.join(renderers.DEFAULT_FORMATS)}.")
@click.option("--theme", metavar="T", help="Use this theme instead of each audience's own.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Output folder. Default: output/ in the project.")
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--force", is_flag=True,
              help="Rebuild every output, even those whose inputs did not change.")
@click.option("-j", "--jobs", type=click.IntRange(1, 64), metavar="N",
              help="Render in N worker processes. Default: one per CPU core.")
@click.pass_obj
@_guard
def build(project: Project, sources: tuple[Path, ...], audiences: tuple[str, ...],
          formats: tuple[str, ...], theme: str | None, out_dir: Path | None,
          strict: bool, force: bool, jobs: int | None) -> None:
    """Build SOURCES (default: every source in content/) for every audience.

    Outputs go to OUT/<audience>/<source-name>.<ext>, each written atomically: a failed
    or interrupted build never leaves a half-written file or loses the previous output.
    An output whose inputs (source, profile, theme files, options, twinpress version) did
    not change since the last build is kept as it is, unless --force.
    """
    from . import build as builder

    job_plan = builder.plan(project, sources=sources, audiences=audiences, formats=formats,
                            theme=theme, out_dir=out_dir, strict=strict)
    report(job_plan.warnings)
    started = time.perf_counter()
    outcomes = _run_with_progress(builder, job_plan, force, jobs)
    _summary(outcomes, time.perf_counter() - started)
    failed = [d for o in outcomes for d in o.diagnostics]
    if failed:
        report(failed)
        sys.exit(EXIT_PROBLEMS)


def _run_with_progress(builder, job_plan, force: bool, jobs: int | None):
    if not sys.stderr.isatty() or len(job_plan.jobs) < 2:  # Rich costs 30 ms to import
        return builder.build(job_plan, force=force, jobs=jobs)
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    console = Console(stderr=True)
    columns = (TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/"
               "{task.total}"), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task("building", total=len(job_plan.jobs))
        return builder.build(job_plan, lambda o: bar.update(
            task, advance=1, description=f"{o.status} {o.job.profile.name}/"
                                         f"{o.job.target.name}"), force=force, jobs=jobs)


def _summary(outcomes, wall: float) -> None:
    rows = [("file", "slides/pages", "size", "seconds", "status")]
    for o in outcomes:
        units = f"{o.units} {o.unit}" if o.unit and o.status != "failed" else ""
        size = _size(o.size) if o.status != "failed" else ""
        rows.append((display_path(o.job.target), units, size, f"{o.seconds:.2f}", o.status))
    _print_table(rows, right=(1, 2, 3))
    built = sum(o.status == "built" for o in outcomes)
    kept = sum(o.status == "unchanged" for o in outcomes)
    note = f", {kept} unchanged" if kept else ""
    click.echo(f"{built} of {len(outcomes)} outputs built{note} in {wall:.1f} s")


def _print_table(rows: list[tuple[str, ...]], right: tuple[int, ...] = ()) -> None:
    """Aligned columns without Rich (which costs more to import than a no-op build takes)."""
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for n, row in enumerate(rows):
        cells = [c.rjust(w) if i in right else c.ljust(w)
                 for i, (c, w) in enumerate(zip(row, widths))]
        line = "  ".join(cells).rstrip()
        click.secho(line, bold=n == 0 and sys.stdout.isatty())


def _size(n: int) -> str:
    return f"{n / 1024:.0f} KB" if n < 1024 * 1024 else f"{n / 1024 / 1024:.1f} MB"


@cli.command()
@SOURCES
@click.option("-a", "--audience", "audiences", multiple=True, metavar="A",
              help="Verify this audience's outputs only (repeatable).")
@click.option("-f", "--format", "formats", multiple=True, metavar="F",
              help=f"Verify this format only (repeatable). Default: "
                   f"{', '.join(renderers.DEFAULT_FORMATS)}.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Output folder the build wrote to. Default: output/.")
@click.option("--json", "as_json", is_flag=True, help="Print a machine-readable report.")
@click.pass_obj
@_guard
def verify(project: Project, sources: tuple[Path, ...], audiences: tuple[str, ...],
           formats: tuple[str, ...], out_dir: Path | None, as_json: bool) -> None:
    """Check built outputs: every section present, in order, with all its text, and fresh.

    Reads each output back independently of the renderers (python-pptx for decks, pypdf
    for PDFs, an HTML parser for html) and reports where each section appears. Fails,
    naming the section and the output, when one is missing, out of order or only partly
    there, or when an output is older than its source, profile or theme.
    """
    from . import build as builder
    from .verify import run_checks

    job_plan = builder.plan(project, sources=sources, audiences=audiences, formats=formats,
                            out_dir=out_dir)
    results = run_checks(job_plan.jobs)
    if as_json:
        ok = all(r.ok for r in results)
        click.echo(json.dumps({"ok": ok, "outputs": [r.as_json() for r in results]},
                              indent=2, ensure_ascii=False))
    else:
        _verify_tables(results)
        report([p for r in results for p in r.problems])
    if not all(r.ok for r in results):
        sys.exit(EXIT_PROBLEMS)


def _verify_tables(results) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(highlight=False)
    by_audience: dict[str, list] = {}
    for r in results:
        by_audience.setdefault(r.audience, []).append(r)
    for audience, items in by_audience.items():
        table = Table(title=f"{audience}", title_justify="left", box=None, pad_edge=False,
                      header_style="bold")
        table.add_column("section")
        for r in items:
            table.add_column(f"{r.format} ({r.unit})" if r.unit != "part" else r.format)
        ids = list(dict.fromkeys(s.id for r in items for s in r.sections))
        for ident in ids:
            cells = []
            for r in items:
                found = next((s for s in r.sections if s.id == ident), None)
                cells.append(_where(found))
            table.add_row(ident, *cells)
        table.add_row("", *[("ok" if r.ok else "FAILED") for r in items])
        console.print(table)
        console.print()


def _where(found) -> str:
    if found is None:
        return "-"
    if found.status in ("missing", "out-of-order", "unverifiable"):
        return found.status
    units = found.units
    span = (f"{units[0]}-{units[-1]}" if len(units) > 1 else str(units[0])) if units else "?"
    return span if found.status == "ok" else f"{span} (partial)"


@cli.command()
@SOURCES
@click.option("-a", "--audience", "audiences", multiple=True, metavar="A",
              help="Rebuild this audience only (repeatable). Default: every audience.")
@click.option("-f", "--format", "formats", multiple=True, metavar="F",
              help="Rebuild this format only (repeatable).")
@click.option("--theme", metavar="T", help="Use this theme instead of each audience's own.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Output folder. Default: output/ in the project.")
@click.option("-j", "--jobs", type=click.IntRange(1, 64), metavar="N",
              help="Warm worker processes to keep. Default: one per CPU core.")
@click.pass_obj
@_guard
def watch(project: Project, sources: tuple[Path, ...], audiences: tuple[str, ...],
          formats: tuple[str, ...], theme: str | None, out_dir: Path | None,
          jobs: int | None) -> None:
    """Build, then rebuild what each edit affects whenever a source, profile or theme file
    under content/ or themes/ is saved. Stop with Ctrl-C.

    Worker processes stay warm between rebuilds. A source with errors prints its
    diagnostics, and watching continues until it is fixed.
    """
    from .watch import watch as run_watch

    try:
        run_watch(project, sources=sources, audiences=audiences, formats=formats,
                  theme=theme, out_dir=out_dir, jobs=jobs, on_round=_print_round,
                  ready=lambda: click.echo(f"watching {display_path(project.content)} and "
                                           f"{display_path(project.themes)} (Ctrl-C stops)"))
    except KeyboardInterrupt:
        click.echo("stopped")


def _print_round(round_) -> None:
    stamp = time.strftime("%H:%M:%S")
    changed = [p for p in round_.changed if p.exists()]  # not editors' vanished temp files
    what = ", ".join(display_path(p) for p in changed[:3]) or ("start" if not round_.changed
                                                               else "change")
    built = [o for o in round_.outcomes if o.status == "built"]
    failed = [o for o in round_.outcomes if o.status == "failed"]
    if round_.diagnostics:
        report(round_.diagnostics)
    if not round_.outcomes and round_.diagnostics:
        click.echo(f"[{stamp}] {what}: not rebuilt, fix the errors above", err=False)
        return
    tail = f"; {len(failed)} failed" if failed else ""
    if not built:
        click.echo(f"[{stamp}] {what}: nothing to rebuild{tail}")
        return
    names = ", ".join(display_path(o.job.target) for o in built)
    click.echo(f"[{stamp}] {what}: rebuilt {names} in {round_.seconds:.2f} s{tail}")


@cli.command()
@SOURCES
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.pass_obj
@_guard
def check(project: Project, sources: tuple[Path, ...], strict: bool) -> None:
    """Validate SOURCES (default: all), the audiences and their themes; write nothing."""
    from . import build as builder

    job_plan = builder.plan(project, sources=sources, strict=strict, formats=("markdown",))
    report(job_plan.warnings)
    documents = {j.document.path for j in job_plan.jobs}
    audiences = {j.profile.name for j in job_plan.jobs}
    themes = {j.theme.name for j in job_plan.jobs}
    click.echo(f"ok: {_plural(len(documents), 'source')}, {_plural(len(audiences), 'audience')}"
               f", {_plural(len(themes), 'theme')} checked")


@cli.command()
@click.option("--for", "what", type=click.Choice(["source", "audiences", "theme"]),
              default="source", show_default=True, help="Which file format to describe.")
@click.option("--write", is_flag=True,
              help="Write content/schema.json, content/audiences.schema.json and "
                   "themes/theme.schema.json instead of printing.")
@click.pass_obj
@_guard
def schema(project: Project, what: str, write: bool) -> None:
    """Print the JSON Schema of the source format (or of audiences.yaml, theme.yaml)."""
    from .schemas import SCHEMAS, schema_text

    if not write:
        click.echo(schema_text(what), nl=False)
        return
    for kind, relative in SCHEMAS.items():
        target = project.root / relative
        from .build import write_atomic

        write_atomic(target, schema_text(kind).encode())
        click.echo(f"wrote {display_path(target)}")


@cli.command("audiences")
@click.pass_obj
@_guard
def audiences_cmd(project: Project) -> None:
    """List the audience profiles in content/audiences.yaml."""
    from rich.console import Console
    from rich.table import Table

    from rich.markup import escape

    from .audience import load_profiles

    profiles = load_profiles(project.audiences_file)
    table = Table(box=None, pad_edge=False, header_style="bold")
    for column in ("audience", "theme", "keeps", "leaves out", "formats"):
        table.add_column(column, no_wrap=column in ("audience", "theme"))
    for p in profiles.values():
        keeps = ", ".join(p.sections) if p.sections else "all sections"
        if p.kinds:
            keeps += f"; only {', '.join(p.kinds)}"
        if p.summaries:
            keeps += "; summaries"
        dropped = ", ".join([*(f"tag:{t}" for t in sorted(p.exclude_tags)),
                             *p.exclude_sections]) or "-"
        formats = ", ".join(p.formats or renderers.DEFAULT_FORMATS)
        table.add_row(p.name, p.theme, keeps, dropped, formats)
    console = Console(highlight=False)
    console.print(table)
    for p in profiles.values():
        console.print(f"\n[bold]{escape(p.name)}[/bold] ({escape(p.label)}): "
                      f"{escape(p.description)}")


@cli.command("themes")
@click.argument("names", nargs=-1, metavar="[THEME]...")
@click.option("--check", "check_contrast", is_flag=True,
              help="Check WCAG 2.1 AA contrast of every colour pair the outputs use; "
                   "exit 1 if any pair is below its minimum.")
@click.pass_obj
@_guard
def themes_cmd(project: Project, names: tuple[str, ...], check_contrast: bool) -> None:
    """List the themes in themes/ with their parent and description (or check them)."""
    from .themes import available, read_theme

    out = Collector()
    loaded = {n: read_theme(n, project, out) for n in (names or available(project))}
    if check_contrast:
        failed = _contrast_report({n: t for n, t in loaded.items() if t is not None})
    else:
        _theme_table(loaded)
        failed = False
    if out.items:
        report(out.items)
    if out.errors or failed:
        sys.exit(EXIT_PROBLEMS)


def _theme_table(loaded) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(box=None, pad_edge=False, header_style="bold")
    for column in ("theme", "extends", "fonts", "description"):
        table.add_column(column)
    for name, theme in loaded.items():
        if theme is None:
            table.add_row(name, "?", "?", "(has errors, see below)")
            continue
        fonts = f"{theme.fonts.heading.family} / {theme.fonts.body.family}"
        table.add_row(name, theme.extends or "-", fonts, theme.description)
    Console(highlight=False).print(table)


def _contrast_report(loaded) -> bool:
    """Print every pair with its ratio; True when any pair fails."""
    from .contrast import check

    failed = False
    for name, theme in loaded.items():
        results = check(theme)
        bad = [r for r in results if not r.ok]
        failed = failed or bool(bad)
        click.echo(f"{name}: {len(results) - len(bad)} of {len(results)} pairs pass WCAG 2.1 AA")
        for r in results:
            mark = "ok  " if r.ok else "FAIL"
            click.echo(f"  {mark} {r.ratio:5.2f}:1 (min {r.minimum:g}) {r.palette}: "
                       f"{r.pair.foreground} {r.foreground} on {r.pair.background} "
                       f"{r.background} - {r.pair.where}")
    return failed


@cli.command("new-theme")
@click.argument("name")
@click.option("--from", "parent", default="corporate", show_default=True,
              help="The theme to extend.")
@click.pass_obj
@_guard
def new_theme(project: Project, name: str, parent: str) -> None:
    """Create themes/NAME: a child of --from that overrides only the tokens you change."""
    from .scaffold import scaffold_theme

    path = scaffold_theme(project, name, parent)
    click.echo(f"wrote {display_path(path)}")
    click.echo(f"next: edit it, then `twinpress themes --check {name}` and "
               f"`twinpress build --theme {name}`")


@cli.command()
@SOURCES
@click.option("-a", "--audience", "audiences", multiple=True, metavar="A",
              help="Preview this audience only (repeatable). Default: every audience.")
@click.option("--theme", metavar="T", help="Preview with this theme instead of each "
              "audience's own (outputs go to output/preview-T/).")
@click.option("--pages", default=4, show_default=True, type=click.IntRange(1, 50),
              help="How many briefing pages to show.")
@click.pass_obj
@_guard
def preview(project: Project, sources: tuple[Path, ...], audiences: tuple[str, ...],
            theme: str | None, pages: int) -> None:
    """Render a contact sheet PNG per audience: every slide, and the briefing's first pages.

    Builds the deck and the briefing first (only what changed), converts the deck with
    LibreOffice headless using the theme's own fonts, and writes
    OUT/<audience>/<source>.preview.png. Needs LibreOffice (apt-get install
    libreoffice-impress).
    """
    from . import build as builder
    from .preview import contact_sheet

    out_dir = project.output / f"preview-{theme}" if theme else project.output
    job_plan = builder.plan(project, sources=sources, audiences=audiences,
                            formats=("pptx", "pdf"), theme=theme, out_dir=out_dir)
    outcomes = builder.build(job_plan)
    failed = [d for o in outcomes for d in o.diagnostics]
    if failed:
        report(failed)
        sys.exit(EXIT_PROBLEMS)
    pairs: dict[tuple, dict] = {}
    for o in outcomes:
        pairs.setdefault((o.job.document.path, o.job.profile.name), {})[o.job.format] = o.job
    for (_, audience), jobs in pairs.items():
        deck, briefing = jobs["pptx"], jobs["pdf"]
        from .office import theme_font_dirs

        fonts = theme_font_dirs(deck.theme)
        title = (f"{deck.document.title} · {deck.profile.label} · theme {deck.theme.name}")
        target = deck.target.with_name(deck.document.slug + ".preview.png")
        slides, shown, png = contact_sheet(deck.target, briefing.target, target, title=title,
                                           font_dirs=fonts, pages=pages)
        builder.write_atomic(target, png)
        click.echo(f"wrote {display_path(target)} ({slides} slides, {shown} pages)")


@cli.command()
@click.argument("name")
@click.option("--force", is_flag=True, help="Overwrite an existing source of that name.")
@click.pass_obj
@_guard
def init(project: Project, name: str, force: bool) -> None:
    """Create content/NAME.yaml: a valid source with one example of every block kind."""
    from .scaffold import scaffold

    for path in scaffold(project, name, force=force):
        click.echo(f"wrote {display_path(path)}")
    click.echo(f"next: edit content/{name}.yaml, then run `twinpress build content/{name}.yaml`")
