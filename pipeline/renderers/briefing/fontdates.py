"""Fonts WeasyPrint rewrites keep the date their file has (WeasyPrint 70, fontTools).

WeasyPrint rewrites some faces with fontTools before it embeds them: a colour emoji face
without its images, a variable face made static, a face HarfBuzz could not subset, a WOFF 1
web font decoded (WOFF 2 is decoded without a stamp). fontTools
stamps a font it saves with the time of saving (`head.modified`, to the second) unless
SOURCE_DATE_EPOCH is set, so a briefing holding an emoji differed from one build to the
next. WeasyPrint's fonts are opened with `recalcTimestamp=False`: a rewritten face keeps the
date of its file, and the same inputs give the same bytes, with SOURCE_DATE_EPOCH or
without it (where WeasyPrint alone would stamp that epoch).
"""

from __future__ import annotations

import functools

from weasyprint.pdf import fonts as embedding
from weasyprint.text import fonts as loading


def install() -> None:
    """Open WeasyPrint's fonts without stamping them when saved (idempotent)."""
    for module in (embedding, loading):
        if not isinstance(module.TTFont, functools.partial):
            module.TTFont = functools.partial(module.TTFont, recalcTimestamp=False)
