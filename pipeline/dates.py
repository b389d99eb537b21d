"""Dates as readers of a language write them, and as document metadata records them.

Every output prints a date through `long_date` (Babel's CLDR long format: "November 24,
2026" for en, "24 November 2026" for en-GB, "24. November 2026" for de), so the deck, the
briefing and footer tokens never disagree.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from babel import Locale

FALLBACK = "en"


@lru_cache(maxsize=64)
def locale(language: str) -> Locale:
    """The CLDR locale for a BCP 47 tag: 'en-GB' -> en_GB, else its language, else English."""
    from babel import Locale, UnknownLocaleError

    for tag in (language, language.split("-")[0], FALLBACK):
        try:
            return Locale.parse(tag, sep="-")
        except (UnknownLocaleError, ValueError):
            continue
    raise AssertionError("Babel always knows English")  # pragma: no cover


def long_date(day: dt.date, language: str) -> str:
    """The date in running text, e.g. '24. November 2026' for 'de'."""
    from babel.dates import format_date

    return format_date(day, "long", locale=locale(language))


def w3c(moment: dt.date | dt.datetime) -> str:
    """A W3C date-time in UTC, as PDF and HTML metadata record it."""
    if not isinstance(moment, dt.datetime):
        moment = dt.datetime.combine(moment, dt.time())
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
