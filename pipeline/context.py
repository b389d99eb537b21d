"""Build-wide facts: the moment a build's outputs are dated by, and whether to show tracebacks.

They are read from the environment once, when a build is planned, and handed to every
renderer with each job, so no renderer reads the environment and all outputs of one build
agree on their dates.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from dataclasses import dataclass

from .errors import ContentError, Diagnostic
from .model import Document


@dataclass(frozen=True, slots=True)
class BuildContext:
    """`epoch`: SOURCE_DATE_EPOCH as a naive UTC time, or None; `debug`: keep tracebacks."""

    epoch: dt.datetime | None = None
    debug: bool = False

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] = os.environ) -> BuildContext:
        """Parse SOURCE_DATE_EPOCH and TWINPRESS_DEBUG; a malformed epoch is a ContentError."""
        return cls(
            _epoch(environ.get("SOURCE_DATE_EPOCH", "")), bool(environ.get("TWINPRESS_DEBUG"))
        )

    def dated(self, document: Document) -> dt.datetime:
        """When the outputs say they were made: the epoch, else the source's date at 00:00."""
        return self.epoch or dt.datetime.combine(document.date, dt.time())

    @property
    def fingerprint(self) -> str:
        """What of the context can change an output's bytes (for the inputs hash)."""
        return self.epoch.isoformat() if self.epoch else ""


def _epoch(raw: str) -> dt.datetime | None:
    raw = raw.strip()
    if not raw:
        return None
    try:
        return dt.datetime.fromtimestamp(int(raw), dt.UTC).replace(tzinfo=None)
    except (ValueError, OverflowError, OSError):
        raise ContentError(
            [
                Diagnostic(
                    "error",
                    "build.source-date-epoch",
                    f"SOURCE_DATE_EPOCH={raw!r} is not a number of seconds since 1970",
                    None,
                    "unset it, or set it to whole seconds, e.g. $(git log -1 --format=%ct)",
                )
            ]
        ) from None
