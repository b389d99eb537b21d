"""`twinpress batch`: a personalised copy of one source for every row of a recipients file."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import click

from .. import workers
from ..batch.engines import ENGINES, make_engine
from ..errors import display_path
from ..project import Project
from .app import EXIT_PROBLEMS, cli, format_option, guard, jobs_option, out_option, plural, report

if TYPE_CHECKING:  # the batch machinery is imported when a batch runs, not for every command
    from ..batch.ledger import Record
    from ..batch.run import Report

SHOWN_FAILURES = 20  # more go to the manifest only


@cli.command()
@click.argument("source", type=click.Path(path_type=Path))
@click.option(
    "--recipients",
    "recipients",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="CSV (UTF-8, a header row) or YAML file: one recipient per row; column 'id' required.",
)
@click.option(
    "-a",
    "--audience",
    metavar="A",
    help="Audience of every row without an 'audience' column value.",
)
@format_option("Make")
@click.option(
    "--engine",
    type=click.Choice(ENGINES),
    default="local",
    show_default=True,
    help="local: warm worker processes on this machine; dask: dask.distributed workers.",
)
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    help="dask scheduler to use (e.g. tcp://10.0.0.5:8786). Default: a local cluster.",
)
@jobs_option("Worker processes (local engine, or the local dask cluster).")
@out_option
@click.option("--force", is_flag=True, help="Render every row, even those that are up to date.")
@click.pass_obj
@guard
def batch(
    project: Project,
    source: Path,
    recipients: Path,
    audience: str | None,
    formats: tuple[str, ...],
    engine: str,
    scheduler: str | None,
    jobs: int | None,
    out_dir: Path | None,
    force: bool,
) -> None:
    """Make a personalised copy of SOURCE for every row of the recipients file.

    Each copy names its recipient on the cover ('Prepared for Dana Kim, Northwind') and in
    the confidentiality line, and fills the source's {{field}} placeholders from the row.
    Outputs go to OUT/<audience>/<source-name>/<id>.<ext> (default format: pdf), with a
    batch manifest and a mailing list (id, name, email, path) in OUT/. A rerun makes only
    the rows whose inputs changed or whose output is missing, and a batch that was
    interrupted resumes where it stopped. Exit code 1 when any row failed.
    """
    if scheduler and engine != "dask":
        raise click.UsageError("--scheduler needs --engine dask")
    from ..batch.plan import Request, plan
    from ..batch.run import run

    request = Request(source, recipients, audience, formats or ("pdf",), out_dir)
    planned = plan(project, request)
    report(planned.warnings)
    count = jobs or workers.default_jobs()
    factory = lambda: make_engine(engine, count, request.formats, scheduler)  # noqa: E731
    with _progress(len(planned.items)) as progress:
        done = run(planned, factory, force=force, progress=progress)
    _summary(done, planned.paths)
    _failures(done)
    if done.count("failed"):
        sys.exit(EXIT_PROBLEMS)


@contextmanager
def _progress(total: int) -> Iterator[Callable[[Record], None] | None]:
    """A progress bar on a terminal (standard error), nothing otherwise."""
    if not sys.stderr.isatty() or total < 2:
        yield None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("batch", total=total)
        yield lambda r: bar.update(task, advance=1, description=f"{r.status} {r.id}")


def _summary(done: Report, paths: tuple[Path, Path, Path]) -> None:
    built, kept, failed = done.count("built"), done.count("unchanged"), done.count("failed")
    rate = built / done.seconds if done.seconds else 0.0
    engine = f", {done.engine} engine, {plural(done.workers, 'worker')}" if done.engine else ""
    click.echo(
        f"{plural(len(done.records), 'output')}: {built} built, {kept} unchanged, "
        f"{failed} failed in {done.seconds:.1f} s ({rate:.1f} built/s{engine})"
    )
    if done.shared:
        replayed, pages = done.replayed
        drawn = f", their body pages drawn once for all in {replayed} of {pages}" if pages else ""
        click.echo(f"{done.shared} of {built} PDFs reused a shared body layout{drawn}")
    manifest, _, mailing = paths
    click.echo(f"manifest: {display_path(manifest)}; mailing list: {display_path(mailing)}")


def _failures(done: Report) -> None:
    problems = done.diagnostics
    report(problems[:SHOWN_FAILURES])
    if len(problems) > SHOWN_FAILURES:
        click.echo(
            f"... and {len(problems) - SHOWN_FAILURES} more problems; the manifest lists "
            "every failed row with its errors",
            err=True,
        )
