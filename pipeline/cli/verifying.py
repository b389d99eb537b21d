"""`twinpress verify`: read the outputs back and report where every section landed."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import click

from .. import build as builder
from ..errors import Collector
from ..project import Project
from ..themes import read_theme
from ..tokens import Theme
from .app import EXIT_PROBLEMS, audience_option, cli, format_option, guard, report, sources_argument

if TYPE_CHECKING:
    from ..verify import OutputResult, SectionResult


@cli.command()
@sources_argument
@audience_option("Verify")
@format_option("Verify")
@click.option(
    "--theme",
    metavar="T",
    help="Compare with this theme, as `build --theme T` used. Default: the theme each "
    "output's manifest says built it.",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Output folder the build wrote to. Default: output/.",
)
@click.option("--json", "as_json", is_flag=True, help="Print a machine-readable report.")
@click.option(
    "--recipients",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Verify the outputs `twinpress batch SOURCE --recipients FILE` made (one SOURCE); "
    "-a is the audience of rows without one, -f the batch's formats (default pdf).",
)
@click.pass_obj
@guard
def verify(
    project: Project,
    sources: tuple[Path, ...],
    audiences: tuple[str, ...],
    formats: tuple[str, ...],
    theme: str | None,
    out_dir: Path | None,
    as_json: bool,
    recipients: Path | None,
) -> None:
    """Check built outputs: every section present, in order, with all its text, and fresh.

    Reads each output back independently of the renderers (python-pptx for decks, PDFium
    for PDFs, an HTML parser for html) and reports where each section appears. Fails,
    naming the section and the output, when one is missing, out of order or only partly
    there, or when an output is older than its source, profile or theme.
    """
    if recipients is not None:
        results = _batch_results(project, sources, audiences, formats, out_dir, recipients)
    else:
        job_plan = builder.plan(
            project, sources=sources, audiences=audiences, formats=formats, theme=theme,
            out_dir=out_dir,
        )  # fmt: skip
        from ..verify import run_checks  # the matcher: only when verifying

        results = run_checks(job_plan.jobs, None if theme else _theme_loader(project))
    if as_json:
        ok = all(r.ok for r in results)
        click.echo(
            json.dumps(
                {"ok": ok, "outputs": [r.as_json() for r in results]}, indent=2, ensure_ascii=False
            )
        )
    else:
        if recipients is None:
            _tables(results)
        else:  # a column per recipient would not fit: count, and name the failures
            bad = [r for r in results if not r.ok]
            click.echo(
                f"{len(results)} outputs verified: {len(results) - len(bad)} ok, {len(bad)} failed"
            )
        report([p for r in results for p in r.problems])
    if not all(r.ok for r in results):
        sys.exit(EXIT_PROBLEMS)


def _theme_loader(project: Project) -> Callable[[str], Theme | None]:
    """Themes by name, loaded once; a theme that no longer loads compares as stale."""
    cache: dict[str, Theme | None] = {}

    def load(name: str) -> Theme | None:
        if name not in cache:
            cache[name] = read_theme(name, project, Collector())
        return cache[name]

    return load


def _batch_results(
    project: Project,
    sources: tuple[Path, ...],
    audiences: tuple[str, ...],
    formats: tuple[str, ...],
    out_dir: Path | None,
    recipients: Path,
) -> list[OutputResult]:
    from ..batch.plan import Request, plan
    from ..batch.verifying import verify_batch

    if len(sources) != 1 or len(audiences) > 1:
        raise click.UsageError("--recipients verifies one SOURCE's batch, with at most one -a")
    request = Request(sources[0], recipients, audiences[0] if audiences else None)
    return verify_batch(
        plan(project, replace(request, formats=formats or ("pdf",), out_dir=out_dir))
    )


def _tables(results: Sequence[OutputResult]) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(highlight=False)
    by_audience: dict[str, list[OutputResult]] = {}
    for r in results:
        by_audience.setdefault(r.audience, []).append(r)
    for audience, items in by_audience.items():
        table = Table(
            title=f"{audience}", title_justify="left", box=None, pad_edge=False, header_style="bold"
        )
        table.add_column("section")
        for r in items:
            table.add_column(f"{r.format} ({r.unit})")
        if any(r.summary for r in items):  # a summary of the verdicts, not a section
            table.add_row("(key takeaways)", *[_span(r.summary) or "-" for r in items])
        ids = list(dict.fromkeys(s.id for r in items for s in r.sections))
        for ident in ids:
            cells = [_where(next((s for s in r.sections if s.id == ident), None)) for r in items]
            table.add_row(ident, *cells)
        table.add_row("", *[("ok" if r.ok else "FAILED") for r in items])
        console.print(table)
        console.print()


def _where(found: SectionResult | None) -> str:
    if found is None:
        return "-"
    if found.status in ("missing", "out-of-order", "unverifiable"):
        return found.status
    span = _span(found.units) or "?"
    return span if found.status == "ok" else f"{span} (partial)"


def _span(units: Sequence[int]) -> str:
    return (f"{units[0]}-{units[-1]}" if len(units) > 1 else str(units[0])) if units else ""
