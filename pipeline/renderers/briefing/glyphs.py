"""The faces the briefing needs for one document, after the theme's fonts were checked.

The briefing may use no font the theme did not name (coverage.py refuses a character none of
them draws, naming where it comes from). Script fallbacks and the emoji face are loaded only
when the text uses them; emoji markers are drawn as emoji only where the fonts can.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ...coverage import EMOJI_RANGES, coverage_of, drawn, missing, printed_text, report
from ...errors import RenderError
from ...model import MARKERS, Bullets, CallToAction, Comparison, Document
from ...tokens import Theme
from .views import DEFAULT_MARKER


def unicode_range() -> str:
    """The emoji blocks as a CSS unicode-range descriptor value."""
    return ", ".join(f"U+{a:X}" if a == b else f"U+{a:X}-{b:X}" for a, b in EMOJI_RANGES)


@dataclass(frozen=True)
class Glyphs:
    """What the theme's fonts must draw for one document."""

    text: frozenset[int]  # every code point printed
    needs_emoji: bool  # some code point only the emoji face has
    emoji_markers: frozenset[str]  # markers drawn as emoji (theme markers: emoji)
    fallbacks: frozenset[str] = frozenset()  # script fallback families the text needs


def check_glyphs(document: Document, theme: Theme) -> Glyphs:
    """What the page must draw, with which faces; RenderError naming each character the
    theme's fonts lack and where it comes from."""
    fonts = coverage_of(theme)
    absent = missing(document, theme)
    if absent:
        raise RenderError(report(theme, absent, document.where))
    printed = {code for text, _ in printed_text(document, theme) for code in drawn(text)}
    outside = {code for code in printed if code not in fonts.text}
    fallbacks = frozenset(f for f in map(fonts.fallback_for, outside) if f is not None)
    markers = _emoji_markers(theme, fonts.text | fonts.emoji)
    needs = any(c in fonts.emoji and fonts.fallback_for(c) is None for c in outside) or any(
        ord(ch) in fonts.emoji for m in markers & used_markers(document) for ch in _marker_chars(m)
    )
    return Glyphs(frozenset(printed), needs, markers, fallbacks)


def used_markers(document: Document) -> frozenset[str]:
    """Every marker a bullet, column or call to action of the document shows."""
    found: set[str] = set()

    def walk(items: Iterable[Any], marker: str | None) -> None:
        for item in items:
            found.add(item.marker or marker or DEFAULT_MARKER)
            walk(item.items, item.marker or marker)

    for section in document.sections:
        for block in section.blocks:
            if isinstance(block, Bullets) and not block.ordered:
                walk(block.items, block.marker)
            elif isinstance(block, Comparison):
                for column in block.columns:
                    walk(column.items, column.marker)
            elif isinstance(block, CallToAction):
                walk(block.items, None)
                if block.marker:
                    found.add(block.marker)
    return frozenset(found)


def _emoji_markers(theme: Theme, drawable: frozenset[int]) -> frozenset[str]:
    """In `markers: emoji` themes, the markers whose emoji the fonts can draw; the others
    fall back to the theme's icons rather than print a box."""
    if theme.markers != "emoji":
        return frozenset()
    return frozenset(m for m in MARKERS if all(ord(c) in drawable for c in _marker_chars(m)))


def _marker_chars(marker: str) -> str:
    return "".join(chr(c) for c in drawn(MARKERS[marker]))
