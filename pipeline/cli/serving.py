"""`twinpress serve`: a live preview in the browser, rebuilt on every save, until Ctrl-C."""

from __future__ import annotations

from pathlib import Path

import click
from click.core import ParameterSource

from ..errors import Diagnostic
from ..project import Project
from ..serve import DEFAULT_HOST, DEFAULT_PORT
from .app import (
    audience_option,
    cli,
    guard,
    jobs_option,
    out_option,
    report,
    sources_argument,
    stoppable,
    theme_option,
)
from .watching import print_round


@cli.command()
@sources_argument
@audience_option("Preview")
@theme_option
@out_option
@jobs_option("Warm worker processes to keep.")
@click.option(
    "--host",
    default=DEFAULT_HOST,
    show_default=True,
    metavar="ADDR",
    help="Address to listen on. Only loopback addresses are used unless you name "
    "another here, which makes the preview readable from other machines (a warning "
    "says so).",
)
@click.option(
    "--port",
    default=DEFAULT_PORT,
    show_default=True,
    type=click.IntRange(0, 65535),
    metavar="N",
    help="Port to listen on; 0 picks a free one.",
)
@click.option(
    "--open", "open_browser", is_flag=True, help="Open the page in a web browser once built."
)
@click.pass_obj
@guard
def serve(
    project: Project,
    sources: tuple[Path, ...],
    audiences: tuple[str, ...],
    theme: str | None,
    out_dir: Path | None,
    jobs: int | None,
    host: str,
    port: int,
    open_browser: bool,
) -> None:
    """Preview in the browser: each source's briefing beside its deck's slides, for every
    audience, updated on every save of a source, profile or theme file. Stop with Ctrl-C.

    Builds like `twinpress build` (into output/), then rebuilds what each edit affects
    with warm workers, and the open page updates itself, keeping its place. Errors appear
    in the page over the last good preview. Slides are drawn by LibreOffice when it is
    installed; otherwise the page shows each deck's outline.
    """
    from ..serve.session import Options, is_loopback, run  # the server: only when serving

    explicit = click.get_current_context().get_parameter_source("host") in (
        ParameterSource.COMMANDLINE,
    )
    if explicit and not is_loopback(host or "0.0.0.0"):
        report(
            [
                Diagnostic(
                    "warning",
                    "serve.public",
                    f"serving on {host or 'every address'}: anyone who can reach this "
                    "machine can read the preview and the outputs (there is no password)",
                )
            ]
        )
    options = Options(
        sources=sources,
        audiences=audiences,
        theme=theme,
        out_dir=out_dir,
        jobs=jobs,
        host=host,
        port=port,
        explicit_host=explicit,
        open_browser=open_browser,
    )
    try:
        with stoppable():
            run(project, options, report=print_round, echo=click.echo)
    except KeyboardInterrupt:
        click.echo("stopped")
