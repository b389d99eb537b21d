"""`twinpress schema`, `audiences`, `themes`, `new-theme` and `init`: describing a project's
formats, profiles and themes, and scaffolding new sources and themes."""

from __future__ import annotations

import sys
from collections.abc import Mapping

import click

from .. import renderers
from ..errors import Collector, display_path
from ..outputs import write_atomic
from ..project import Project
from ..tokens import Theme
from .app import EXIT_PROBLEMS, cli, guard, report


@cli.command()
@click.option(
    "--for",
    "what",
    type=click.Choice(["source", "audiences", "theme"]),
    default="source",
    show_default=True,
    help="Which file format to describe.",
)
@click.option(
    "--write",
    is_flag=True,
    help="Write content/schema.json, content/audiences.schema.json and "
    "themes/theme.schema.json instead of printing.",
)
@click.pass_obj
@guard
def schema(project: Project, what: str, write: bool) -> None:
    """Print the JSON Schema of the source format (or of audiences.yaml, theme.yaml)."""
    from ..schemas import SCHEMAS, schema_text

    if not write:
        click.echo(schema_text(what), nl=False)
        return
    for kind, relative in SCHEMAS.items():
        target = project.root / relative
        write_atomic(target, schema_text(kind).encode())
        click.echo(f"wrote {display_path(target)}")


@cli.command("audiences")
@click.pass_obj
@guard
def audiences_cmd(project: Project) -> None:
    """List the audience profiles in content/audiences.yaml."""
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    from ..audience import load_profiles

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
        dropped = (
            ", ".join([*(f"tag:{t}" for t in sorted(p.exclude_tags)), *p.exclude_sections]) or "-"
        )
        formats = ", ".join(p.formats or renderers.DEFAULT_FORMATS)
        table.add_row(p.name, p.theme, keeps, dropped, formats)
    console = Console(highlight=False)
    console.print(table)
    for p in profiles.values():
        console.print(
            f"\n[bold]{escape(p.name)}[/bold] ({escape(p.label)}): {escape(p.description)}"
        )


@cli.command("themes")
@click.argument("names", nargs=-1, metavar="[THEME]...")
@click.option(
    "--check",
    "check_contrast",
    is_flag=True,
    help="Check WCAG 2.1 AA contrast of every colour pair the outputs use; "
    "exit 1 if any pair is below its minimum.",
)
@click.pass_obj
@guard
def themes_cmd(project: Project, names: tuple[str, ...], check_contrast: bool) -> None:
    """List the themes in themes/ with their parent and description (or check them)."""
    from .. import renderers
    from ..themes import available, read_theme

    out = Collector()
    loaded = {n: read_theme(n, project, out) for n in (names or available(project))}
    if check_contrast:
        valid = {n: t for n, t in loaded.items() if t is not None}
        failed = _contrast_report(valid)
        for theme in valid.values():  # a deck template's backgrounds and layouts
            problems = [
                d for fmt in renderers.RENDERERS for d in renderers.get(fmt).check_theme(theme)
            ]
            out.extend(problems)
            failed = failed or bool(problems)
    else:
        _theme_table(loaded)
        failed = False
    if out.items:
        report(out.items)
    if out.errors or failed:
        sys.exit(EXIT_PROBLEMS)


def _theme_table(loaded: Mapping[str, Theme | None]) -> None:
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


def _contrast_report(loaded: Mapping[str, Theme]) -> bool:
    """Print every pair with its ratio; True when any pair fails."""
    from ..contrast import check

    failed = False
    for name, theme in loaded.items():
        results = check(theme)
        bad = [r for r in results if not r.ok]
        failed = failed or bool(bad)
        click.echo(f"{name}: {len(results) - len(bad)} of {len(results)} pairs pass WCAG 2.1 AA")
        for r in results:
            mark = "ok  " if r.ok else "FAIL"
            click.echo(
                f"  {mark} {r.ratio:5.2f}:1 (min {r.minimum:g}) {r.palette}: "
                f"{r.pair.foreground} {r.foreground} on {r.pair.background} "
                f"{r.background} - {r.pair.where}"
            )
    return failed


@cli.command("new-theme")
@click.argument("name")
@click.option(
    "--from", "parent", default="corporate", show_default=True, help="The theme to extend."
)
@click.pass_obj
@guard
def new_theme(project: Project, name: str, parent: str) -> None:
    """Create themes/NAME: a child of --from that overrides only the tokens you change."""
    from ..scaffold import scaffold_theme

    path = scaffold_theme(project, name, parent)
    click.echo(f"wrote {display_path(path)}")
    click.echo(
        f"next: edit it, then `twinpress themes --check {name}` and "
        f"`twinpress build --theme {name}`"
    )


@cli.command()
@click.argument("name")
@click.option("--force", is_flag=True, help="Overwrite an existing source of that name.")
@click.pass_obj
@guard
def init(project: Project, name: str, force: bool) -> None:
    """Create content/NAME.yaml: a valid source with one example of every block kind."""
    from ..scaffold import scaffold

    for path in scaffold(project, name, force=force):
        click.echo(f"wrote {display_path(path)}")
    click.echo(f"next: edit content/{name}.yaml, then run `twinpress build content/{name}.yaml`")
