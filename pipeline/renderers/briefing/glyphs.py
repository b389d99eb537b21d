"""Which characters the theme's fonts can draw, checked before the briefing is laid out.

The briefing may use no font the theme did not name: a character that none of the theme's
faces has would silently come from a system font (or show as a box), so it is found here,
before layout, and reported with the place it comes from. Emoji are the exception: the
theme's emoji font covers them, and is only loaded when the text actually contains one.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from ...charts import Chart, chart_glyph_texts
from ...dates import long_date
from ...errors import Diagnostic, RenderError, SourceLocation
from ...model import MARKERS, Bullets, CallToAction, Comparison, Document, block_texts
from ...tokens import Theme
from .views import DEFAULT_MARKER, label_strings

# The blocks where emoji live. The emoji font is declared with this unicode-range, so it can
# never supply digits, '#' or '*' (which it also has, as keycap bases): WeasyPrint turns the
# range into a fontconfig charset. ZWJ, VS16, keycap and tag characters join sequences.
EMOJI_RANGES: tuple[tuple[int, int], ...] = (
    (0x200D, 0x200D),
    (0x20E3, 0x20E3),
    (0x2190, 0x21FF),
    (0x2300, 0x23FF),
    (0x2460, 0x24FF),
    (0x25A0, 0x25FF),
    (0x2600, 0x27BF),
    (0x2900, 0x297F),
    (0x2B00, 0x2BFF),
    (0x3030, 0x3030),
    (0x303D, 0x303D),
    (0x3297, 0x3299),
    (0xFE0E, 0xFE0F),
    (0x1F000, 0x1FAFF),
    (0xE0020, 0xE007F),
)
# Characters that join or select presentation: never drawn on their own.
JOINERS = frozenset({0x200D, 0xFE0E, 0xFE0F, 0x20E3})


def unicode_range() -> str:
    """EMOJI_RANGES as a CSS unicode-range descriptor value."""
    return ", ".join(f"U+{a:X}" if a == b else f"U+{a:X}-{b:X}" for a, b in EMOJI_RANGES)


def is_emoji_range(codepoint: int) -> bool:
    return any(a <= codepoint <= b for a, b in EMOJI_RANGES)


@lru_cache(maxsize=64)
def _cmap(path: Path, mtime: float) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    with TTFont(path, lazy=True) as font:
        return frozenset(font.getBestCmap())


def cmap(path: Path) -> frozenset[int]:
    """The code points a font file maps (cached per file and modification time)."""
    return _cmap(path, path.stat().st_mtime)


def coverage(paths: Iterable[Path]) -> frozenset[int]:
    covered: set[int] = set()
    for path in paths:
        covered |= cmap(path)
    return frozenset(covered)


def drawn(text: str) -> set[int]:
    """The code points of `text` that need a glyph (not spaces, controls or joiners)."""
    return {
        ord(c)
        for c in text
        if not (c.isspace() or unicodedata.category(c) in ("Cc", "Cf", "Zs"))
        and ord(c) not in JOINERS
    }


def describe(codepoint: int) -> str:
    name = unicodedata.name(chr(codepoint), "unnamed character")
    return f"'{chr(codepoint)}' (U+{codepoint:04X} {name})"


Source = object  # the model object (or theme) a piece of text comes from: it has a .loc


def document_text(document: Document, theme: Theme) -> Iterator[tuple[str, Source]]:
    """Every piece of text the briefing prints, with the model object it comes from."""
    for text in (
        document.title,
        document.subtitle,
        document.organisation,
        document.byline,
        document.description,
        document.audience,
        long_date(document.date, document.language),
    ):
        if text:
            yield text, document
    yield theme.confidentiality_line(document), theme
    yield theme.footer_line(document), theme
    for section in document.sections:
        yield section.title, section
        if section.summary:
            yield section.summary, section
        for block in section.blocks:
            label = getattr(block, "label", None)
            for text in (*block_texts(block), *([label] if label else [])):
                yield text, block
            alt = getattr(block, "alt", None)
            if alt:
                yield alt, block
            if isinstance(block, Chart):
                for text in chart_glyph_texts(block, document.language):
                    yield text, block
    for text in label_strings():
        yield text, theme


@dataclass(frozen=True)
class Glyphs:
    """What the theme's fonts must draw for one document."""

    text: frozenset[int]  # every code point printed
    needs_emoji: bool  # some code point only the emoji face has
    emoji_markers: frozenset[str]  # markers drawn as emoji (theme markers: emoji)


def check_glyphs(document: Document, theme: Theme) -> Glyphs:
    """Find what to draw and make sure the theme's fonts can draw it, or raise RenderError
    naming each missing character and where it comes from."""
    text_fonts = coverage(theme.fonts.files())
    emoji_font = cmap(theme.fonts.emoji.file) if theme.fonts.emoji else frozenset()
    usable_emoji = frozenset(c for c in emoji_font if is_emoji_range(c))
    problems: dict[int, Source] = {}
    printed: set[int] = set()
    for text, source in document_text(document, theme):
        for code in drawn(text):
            printed.add(code)
            if code not in text_fonts and code not in usable_emoji:
                problems.setdefault(code, source)
    if problems:
        raise RenderError(
            [_missing_glyph(code, source, theme) for code, source in sorted(problems.items())]
        )
    markers = _emoji_markers(theme, text_fonts | usable_emoji)
    needs = any(c not in text_fonts for c in printed) or any(
        ord(ch) in usable_emoji for m in markers & used_markers(document) for ch in _marker_chars(m)
    )
    return Glyphs(frozenset(printed), needs, markers)


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


def _missing_glyph(code: int, source: Source, theme: Theme) -> Diagnostic:
    loc: SourceLocation | None = getattr(source, "loc", None)
    families = ", ".join(f.family for f in theme.fonts.faces())
    emoji = f" or {theme.fonts.emoji.family}" if theme.fonts.emoji else ""
    return Diagnostic(
        "error",
        "render.missing-glyph",
        f"{describe(code)} is in none of the fonts of theme "
        f"'{theme.name}' ({families}{emoji}); it would print from another font "
        "or as a box",
        loc,
        "replace the character, or give the theme a font that has it",
    )
