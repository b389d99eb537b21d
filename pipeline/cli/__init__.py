"""The `twinpress` command line: the group (app.py) and one module per family of commands.

building: build, check, preview; batching: batch; verifying: verify; watching: watch;
describing: schema, audiences, themes, new-theme, init. Importing them registers them on the group.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

import click

from . import batching, building, describing, verifying, watching  # noqa: F401  (register)
from .app import cli

__all__ = ["cli", "main"]


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point for the console script and `python -m pipeline`."""
    try:
        cli.main(args=argv, prog_name="twinpress", standalone_mode=True)
    except KeyboardInterrupt:  # pragma: no cover - interactive
        click.echo("interrupted", err=True)
        sys.exit(130)
