"""`twinpress build`, `check` and `preview`: making outputs, or only validating inputs."""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from .. import renderers, workers
from ..errors import display_path
from ..jobs import Job, Outcome
from ..project import Project
from .app import (
    EXIT_PROBLEMS,
    audience_option,
    cli,
    format_option,
    guard,
    jobs_option,
    out_option,
    plural,
    print_table,
    report,
    sources_argument,
    strict_option,
    theme_option,
)

if TYPE_CHECKING:
    from .. import build as builder


def _formats_epilog() -> str:
    lines = [f"  {name:<9} {renderers.get(name).description}" for name in renderers.RENDERERS]
    return "\b\nFormats:\n" + "\n".join(lines)


@cli.command(epilog=_formats_epilog())
@sources_argument
@audience_option("Build for")
@format_option("Build")
@theme_option
@out_option
@strict_option
@click.option(
    "--force", is_flag=True, help="Rebuild every output, even those whose inputs did not change."
)
@jobs_option("Render in N worker processes.")
@click.pass_obj
@guard
def build(
    project: Project,
    sources: tuple[Path, ...],
    audiences: tuple[str, ...],
    formats: tuple[str, ...],
    theme: str | None,
    out_dir: Path | None,
    strict: bool,
    force: bool,
    jobs: int | None,
) -> None:
    """Build SOURCES (default: every source in content/) for every audience.

    Outputs go to OUT/<audience>/<source-name>.<ext>, each written atomically: a failed
    or interrupted build never leaves a half-written file or loses the previous output.
    An output whose inputs (source, profile, theme files, options, twinpress's version and
    code) did not change since the last build is kept as it is, unless --force.
    """
    with workers.head_start(formats) as head_start:
        from .. import build as builder  # imported after the fork: the worker needs none of it

        job_plan = builder.plan(
            project,
            sources=sources,
            audiences=audiences,
            formats=formats,
            theme=theme,
            out_dir=out_dir,
            strict=strict,
        )
        report(job_plan.warnings)
        started = time.perf_counter()
        outcomes = _run_with_progress(job_plan, force, jobs, head_start)
    _summary(outcomes, time.perf_counter() - started)
    failed = [d for o in outcomes for d in o.diagnostics]
    if failed:
        report(failed)
        sys.exit(EXIT_PROBLEMS)


def _run_with_progress(
    job_plan: builder.Plan, force: bool, jobs: int | None, head_start: workers.Workers | None
) -> list[Outcome]:
    from .. import build as builder

    if not sys.stderr.isatty() or len(job_plan.jobs) < 2:  # Rich costs 30 ms to import
        return builder.build(job_plan, force=force, jobs=jobs, started=head_start)
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    console = Console(stderr=True)
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task("building", total=len(job_plan.jobs))
        return builder.build(
            job_plan,
            lambda o: bar.update(
                task, advance=1, description=f"{o.status} {o.job.profile.name}/{o.job.target.name}"
            ),
            force=force,
            jobs=jobs,
            started=head_start,
        )


def _summary(outcomes: Sequence[Outcome], wall: float) -> None:
    rows = [("file", "slides/pages", "size", "seconds", "status")]
    for o in outcomes:
        shown = o.status in ("built", "unchanged")
        units = f"{o.units} {o.unit}" if o.unit and shown else ""
        size = _size(o.size) if shown else ""
        rows.append((display_path(o.job.target), units, size, f"{o.seconds:.2f}", o.status))
    print_table(rows, right=(1, 2, 3))
    built = sum(o.status == "built" for o in outcomes)
    kept = sum(o.status == "unchanged" for o in outcomes)
    held = sum(o.status == "held" for o in outcomes)
    note = f", {kept} unchanged" if kept else ""
    if held:
        note += (f", {held} held back (not written: another format of the same source and "
                 "audience failed, so the previous outputs stay together)")  # fmt: skip
    click.echo(f"{built} of {len(outcomes)} outputs built{note} in {wall:.1f} s")


def _size(n: int) -> str:
    return f"{n / 1024:.0f} KB" if n < 1024 * 1024 else f"{n / 1024 / 1024:.1f} MB"


@cli.command()
@sources_argument
@strict_option
@click.pass_obj
@guard
def check(project: Project, sources: tuple[Path, ...], strict: bool) -> None:
    """Validate SOURCES (default: all), the audiences and every theme; write nothing."""
    from .. import build as builder

    inputs = builder.load(project, sources=sources, strict=strict, every_theme=True)
    report(inputs.warnings)
    click.echo(
        f"ok: {plural(len(inputs.documents), 'source')}, "
        f"{plural(len(inputs.profiles), 'audience')}, "
        f"{plural(len(inputs.themes), 'theme')} checked"
    )


@cli.command()
@sources_argument
@audience_option("Preview")
@click.option(
    "--theme",
    metavar="T",
    help="Preview with this theme instead of each "
    "audience's own (outputs go to output/preview-T/).",
)
@click.option(
    "--pages",
    default=4,
    show_default=True,
    type=click.IntRange(1, 50),
    help="How many briefing pages to show.",
)
@click.option(
    "--without-theme-fonts",
    "bare",
    is_flag=True,
    help="Draw the slides as a machine without the theme's fonts does (only a bare Debian's "
    "fonts: DejaVu Sans stands in); the sheet is named <source>.bare-preview.png.",
)
@click.pass_obj
@guard
def preview(
    project: Project,
    sources: tuple[Path, ...],
    audiences: tuple[str, ...],
    theme: str | None,
    pages: int,
    bare: bool,
) -> None:
    """Render a contact sheet PNG per audience: every slide, and the briefing's first pages.

    Builds the deck and the briefing first (only what changed), converts the deck with
    LibreOffice headless using the theme's own fonts, and writes
    OUT/<audience>/<source>.preview.png. Needs LibreOffice (apt-get install
    libreoffice-impress).
    """
    from .. import build as builder
    from ..outputs import write_atomic
    from ..preview import contact_sheet

    out_dir = project.output / f"preview-{theme}" if theme else project.output
    job_plan = builder.plan(
        project,
        sources=sources,
        audiences=audiences,
        formats=("pptx", "pdf"),
        theme=theme,
        out_dir=out_dir,
    )
    outcomes = builder.build(job_plan)
    failed = [d for o in outcomes for d in o.diagnostics]
    if failed:
        report(failed)
        sys.exit(EXIT_PROBLEMS)
    pairs: dict[tuple[Path | None, str], dict[str, Job]] = {}
    for o in outcomes:
        pairs.setdefault((o.job.document.path, o.job.profile.name), {})[o.job.format] = o.job
    for jobs in pairs.values():
        deck, briefing = jobs["pptx"], jobs["pdf"]
        title = f"{deck.document.title} · {deck.profile.label} · theme {deck.theme.name}"
        suffix = ".bare-preview.png" if bare else ".preview.png"
        target = deck.target.with_name(deck.document.slug + suffix)
        slides, shown, png = contact_sheet(
            deck.target,
            briefing.target,
            title=title + (" · without its fonts" if bare else ""),
            font_dirs=() if bare else deck.theme.fonts.folders(),
            pages=pages,
            bare=bare,
        )
        write_atomic(target, png)
        click.echo(f"wrote {display_path(target)} ({slides} slides, {shown} pages)")
