"""The `twinpress` command line: the group (app.py) and one module per family of commands.

building: build, check, preview; batching: batch; verifying: verify; watching: watch;
serving: serve; describing: schema, audiences, themes, new-theme, init. Importing one
registers its commands on the group, which imports a command's module when it is named
(`app.COMMANDS`).
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence

import click

from .. import collector
from .app import cli

__all__ = ["cli", "main"]


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point for the console script and `python -m pipeline`."""
    # Libraries log what they notice ("'created' timestamp seems very low"); what matters to
    # a user becomes a located diagnostic, so the raw records never reach the terminal
    # (without a handler, Python would print warnings through its last-resort handler).
    logging.getLogger().addHandler(logging.NullHandler())
    collector.tune()
    try:
        cli.main(args=argv, prog_name="twinpress", standalone_mode=True)
    except KeyboardInterrupt:  # pragma: no cover - interactive
        click.echo("interrupted", err=True)
        sys.exit(130)
    finally:
        collector.before_exit()
