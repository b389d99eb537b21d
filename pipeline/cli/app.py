"""The command group, the guard that turns errors into exit codes, and what commands share:
diagnostics printing, tables, and the options several commands take.

Exit codes: 0 success; 1 a problem in the inputs or outputs (each reported as
`path:line:col: error: message [code]`); 2 a command-line usage error; 3 an internal error
(a bug: rerun with --debug for the traceback); 130 interrupted.
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import os
import signal
import sys
import traceback
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from types import FrameType
from typing import Any, TypeVar

import click

from .. import __version__, renderers
from ..errors import Diagnostic, PipelineError
from ..project import Project

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3
F = TypeVar("F", bound=Callable[..., Any])
# The module that defines each command. A command's module is imported when it runs, the
# others not: `twinpress build` forks its first worker (`workers.head_start`) before the
# rest of the command line is loaded, 0.1 s sooner on its critical path.
COMMANDS = {
    "build": "building", "check": "building", "preview": "building", "batch": "batching",
    "verify": "verifying", "watch": "watching", "serve": "serving", "schema": "describing",
    "audiences": "describing", "themes": "describing", "new-theme": "describing",
    "init": "describing",
}  # fmt: skip


class LazyGroup(click.Group):
    """A group whose commands are imported by name, on first use (click's lazy pattern)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        for name in COMMANDS:
            self.get_command(ctx, name)
        return super().list_commands(ctx)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in COMMANDS:
            if cmd_name not in self.commands:
                importlib.import_module(f"{__package__}.{COMMANDS[cmd_name]}")  # registers it
        elif len(self.commands) < len(COMMANDS):  # a typo: click suggests from all commands
            self.list_commands(ctx)
        return super().get_command(ctx, cmd_name)


@click.group(
    cls=LazyGroup,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(__version__, prog_name="twinpress")
@click.option(
    "--project",
    type=click.Path(file_okay=False, path_type=Path),
    help="Project folder (holds content/ and themes/); found from the current "
    "folder upwards by default.",
)
@click.option("--debug", is_flag=True, help="Show tracebacks for internal errors.")
@click.pass_context
def cli(ctx: click.Context, project: Path | None, debug: bool) -> None:
    """twinpress: one YAML source, a PowerPoint deck and a PDF briefing per audience.

    \b
    Exit codes: 0 success, 1 problems in inputs or outputs (reported as
    path:line:col: error: message [code]), 2 usage error, 3 internal error.
    """
    if debug:
        os.environ["TWINPRESS_DEBUG"] = "1"  # worker processes inherit it
    ctx.obj = Project(project.resolve()) if project else Project.find()


def guard(fn: F) -> F:
    """Turn user-facing errors into diagnostics and exit 1; bugs into exit 3."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
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
                click.echo(
                    f"internal error: {type(exc).__name__}: {exc}\n  hint: this is a "
                    "bug in twinpress; rerun with --debug for the traceback and report "
                    "it",
                    err=True,
                )
            sys.exit(EXIT_INTERNAL)

    return wrapper  # type: ignore[return-value]


def report(diagnostics: Sequence[Diagnostic], quiet: bool = False) -> None:
    """Print diagnostics sorted by place, then a count."""
    items = sorted(dict.fromkeys(diagnostics), key=Diagnostic.sort_key)
    color = {"error": "red", "warning": "yellow"}
    for d in items:
        if quiet and d.level != "error":
            continue
        click.secho(str(d), err=True, fg=color[d.level] if _tty() else None)
    errors = sum(d.level == "error" for d in items)
    warnings = len(items) - errors
    if errors:
        click.echo(f"{plural(errors, 'error')}, {plural(warnings, 'warning')}", err=True)


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' * (n != 1)}"


def _tty() -> bool:
    return sys.stderr.isatty() and not os.environ.get("NO_COLOR")


def print_table(rows: Sequence[tuple[str, ...]], right: tuple[int, ...] = ()) -> None:
    """Aligned columns without Rich (which costs more to import than a no-op build takes)."""
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for n, row in enumerate(rows):
        cells = [
            c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(zip(row, widths))
        ]
        line = "  ".join(cells).rstrip()
        click.secho(line, bold=n == 0 and sys.stdout.isatty())


# -- options several commands share ------------------------------------------------------

sources_argument = click.argument("sources", nargs=-1, type=click.Path(path_type=Path))


def audience_option(what: str) -> Callable[[F], F]:
    return click.option(
        "-a",
        "--audience",
        "audiences",
        multiple=True,
        metavar="A",
        help=f"{what} this audience only (repeatable). Default: every audience.",
    )


def format_option(what: str) -> Callable[[F], F]:
    return click.option(
        "-f",
        "--format",
        "formats",
        multiple=True,
        metavar="F",
        help=f"{what} this format only (repeatable): "
        f"{', '.join(renderers.RENDERERS)}. "
        f"Default: {', '.join(renderers.DEFAULT_FORMATS)}.",
    )


theme_option = click.option(
    "--theme", metavar="T", help="Use this theme instead of each audience's own."
)
out_option = click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Output folder. Default: output/ in the project.",
)
strict_option = click.option("--strict", is_flag=True, help="Treat warnings as errors.")


def jobs_option(what: str) -> Callable[[F], F]:
    return click.option(
        "-j",
        "--jobs",
        type=click.IntRange(1, 64),
        metavar="N",
        help=f"{what} Default: one per CPU core.",
    )


@contextlib.contextmanager
def stoppable() -> Iterator[None]:
    """Ctrl-C (SIGINT) and `kill` (SIGTERM) stop a long-running command alike, by raising
    KeyboardInterrupt, so it closes its workers and says "stopped".

    SIGINT gets Python's handler even when the command was started with SIGINT ignored,
    as a non-interactive shell starts `twinpress serve &` and as some process supervisors
    and test runners do: the ignored disposition is inherited otherwise."""
    signal.signal(signal.SIGINT, signal.default_int_handler)
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt
