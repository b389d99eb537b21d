"""`twinpress watch`: rebuild on every save, with warm workers, until Ctrl-C."""

from __future__ import annotations

import time
from pathlib import Path

import click

from ..errors import display_path
from ..project import Project
from ..watch import Round
from ..watch import watch as run_watch
from .app import (
    audience_option,
    cli,
    format_option,
    guard,
    jobs_option,
    out_option,
    report,
    sources_argument,
    stoppable,
    theme_option,
)


@cli.command()
@sources_argument
@audience_option("Rebuild")
@format_option("Rebuild")
@theme_option
@out_option
@jobs_option("Warm worker processes to keep.")
@click.pass_obj
@guard
def watch(
    project: Project,
    sources: tuple[Path, ...],
    audiences: tuple[str, ...],
    formats: tuple[str, ...],
    theme: str | None,
    out_dir: Path | None,
    jobs: int | None,
) -> None:
    """Build, then rebuild what each edit affects whenever a source, profile or theme file
    under content/ or themes/ is saved. Stop with Ctrl-C (or SIGTERM).

    Worker processes stay warm between rebuilds. A source with errors prints its
    diagnostics, and watching continues until it is fixed.
    """
    try:
        with stoppable():
            run_watch(
                project,
                sources=sources,
                audiences=audiences,
                formats=formats,
                theme=theme,
                out_dir=out_dir,
                jobs=jobs,
                on_round=print_round,
                ready=lambda: click.echo(
                    f"watching {display_path(project.content)} and "
                    f"{display_path(project.themes)} (Ctrl-C stops)"
                ),
            )
    except KeyboardInterrupt:
        click.echo("stopped")


def print_round(round_: Round) -> None:
    """One line per rebuild (and its diagnostics), as `watch` and `serve` print them."""
    stamp = time.strftime("%H:%M:%S")
    changed = [p for p in round_.changed if p.exists()]  # not editors' vanished temp files
    what = ", ".join(display_path(p) for p in changed[:3]) or (
        "start" if not round_.changed else "change"
    )
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
