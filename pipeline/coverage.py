"""Which characters a theme's fonts can draw, and every character of a document they cannot.

No output may draw a character from a font the theme did not name: the briefing would take
it from whatever the machine has, the deck would show a box on the recipient's computer. So
every character the outputs print (content, metadata, footer lines, labels in the
document's language) is checked against the theme's text faces, its script fallbacks and
(for emoji only) its emoji face, before anything renders. Missing characters are reported
once per source and theme, grouped, with the lines they are on.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .charts import Chart, chart_glyph_texts
from .dates import long_date
from .errors import Diagnostic, SourceLocation
from .labels import labels_for, strings
from .model import Block, Document, Section, block_texts
from .recipient import Recipient
from .tokens import Theme

# The blocks where emoji live. The briefing declares the emoji font with this unicode-range,
# so it can never supply digits, '#' or '*' (which it also has, as keycap bases).
# ZWJ, VS16, keycap and tag characters join sequences.
EMOJI_RANGES: tuple[tuple[int, int], ...] = (
    (0x200D, 0x200D), (0x20E3, 0x20E3), (0x2190, 0x21FF), (0x2300, 0x23FF), (0x2460, 0x24FF),
    (0x25A0, 0x25FF), (0x2600, 0x27BF), (0x2900, 0x297F), (0x2B00, 0x2BFF), (0x3030, 0x3030),
    (0x303D, 0x303D), (0x3297, 0x3299), (0xFE0E, 0xFE0F), (0x1F000, 0x1FAFF),
    (0xE0020, 0xE007F),
)  # fmt: skip
# Characters that join or select presentation: never drawn on their own.
JOINERS = frozenset({0x200D, 0xFE0E, 0xFE0F, 0x20E3})
SHOWN = 12  # characters named in one report; the rest are counted
Source = Document | Section | Block | Theme | Recipient  # where a printed text comes from


def is_emoji_range(codepoint: int) -> bool:
    return any(a <= codepoint <= b for a, b in EMOJI_RANGES)


@lru_cache(maxsize=64)
def _cmap(path: Path, mtime: float) -> frozenset[int]:
    # HarfBuzz reads the best cmap subtable in C without naming glyphs: the 27 theme fonts
    # take 0.04 s, against 0.26 s in fontTools (its getBestCmap decodes every glyph name).
    import uharfbuzz as hb

    return frozenset(hb.Face(hb.Blob.from_file_path(str(path))).unicodes)


def cmap(path: Path) -> frozenset[int]:
    """The code points a font file maps (cached per file and modification time); empty for
    a file that is not a font (theme_checks asks fontTools why)."""
    return _cmap(path, path.stat().st_mtime)


def union(paths: Iterable[Path]) -> frozenset[int]:
    covered: set[int] = set()
    for path in paths:
        covered |= cmap(path)
    return frozenset(covered)


def drawn(text: str) -> set[int]:
    """The code points of `text` that need a glyph (not spaces, controls or joiners)."""
    return {
        ord(c)
        for c in set(text)  # each character once: a long text repeats its letters
        if not (c.isspace() or unicodedata.category(c) in ("Cc", "Cf", "Zs"))
        and ord(c) not in JOINERS
    }


def describe(codepoint: int) -> str:
    name = unicodedata.name(chr(codepoint), "unnamed character")
    return f"'{chr(codepoint)}' (U+{codepoint:04X} {name})"


@dataclass(frozen=True)
class Coverage:
    """What a theme's fonts draw: the text faces, each script fallback, and emoji."""

    text: frozenset[int]
    fallbacks: tuple[tuple[str, frozenset[int]], ...]  # (family, code points), in order
    emoji: frozenset[int]

    def fallback_for(self, code: int) -> str | None:
        """The fallback family that draws `code` when the text faces do not."""
        return next((family for family, codes in self.fallbacks if code in codes), None)

    def draws(self, code: int) -> bool:
        return code in self.text or self.fallback_for(code) is not None or code in self.emoji


def coverage_of(theme: Theme) -> Coverage:
    fonts = theme.fonts
    emoji = cmap(fonts.emoji.file) if fonts.emoji else frozenset()
    return Coverage(
        union(fonts.files()),
        tuple((f.family, union(f.files().values())) for f in fonts.fallbacks),
        frozenset(c for c in emoji if is_emoji_range(c)),
    )


def printed_text(document: Document, theme: Theme) -> Iterator[tuple[str, Source]]:
    """Every piece of text the outputs print, with what it comes from."""
    for text in (document.title, document.subtitle, document.organisation, document.byline,
                 document.description, document.audience,
                 long_date(document.date, document.language)):  # fmt: skip
        if text:
            yield text, document
    if document.recipient:  # a character its fonts lack is that row's problem
        yield document.prepared_for, document.recipient
    # The theme's own words in its footer lines (their {fields} are checked where they
    # come from: the document's metadata and the labels below).
    for key in ("confidentiality", "footer"):
        yield _own_words(theme, key), theme
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
            if isinstance(block, Chart):  # series names, the unit and number separators
                for text in chart_glyph_texts(block, document.language):
                    yield text, block
    for text in strings(labels_for(document, theme)):
        yield text, document  # the labels of the document's language
    yield "0123456789…", theme  # slide and page numbers; the ellipsis of shortened lines


def missing(document: Document, theme: Theme) -> dict[int, list[SourceLocation | None]]:
    """Each character no font of the theme draws -> where it is printed from."""
    fonts = coverage_of(theme)
    found: dict[int, list[SourceLocation | None]] = {}
    for text, source in printed_text(document, theme):
        for code in drawn(text):
            if not fonts.draws(code):
                where = _where(source, text)
                found.setdefault(code, []).append(where)
    return found


def _own_words(theme: Theme, key: str) -> str:
    return re.sub(r"\{\w+\}", "", getattr(theme, key))


def _where(source: Source, text: str) -> SourceLocation | None:
    if isinstance(source, Document):
        return source.where
    if isinstance(source, Theme):
        key = next((k for k in ("confidentiality", "footer") if text == _own_words(source, k)), "")
        return source.locations.get(key)
    return source.loc


def report(
    theme: Theme,
    found: dict[int, list[SourceLocation | None]],
    fallback: SourceLocation | None = None,
) -> list[Diagnostic]:
    """One error per source file: the characters it prints that the theme's fonts lack."""
    by_file: dict[Path | None, dict[int, list[SourceLocation]]] = {}
    for code, places in sorted(found.items()):
        for place in places or [None]:
            where = place or fallback
            key = where.path if where else None
            by_file.setdefault(key, {}).setdefault(code, [])
            if where is not None and where not in by_file[key][code]:
                by_file[key][code].append(where)
    return [_diagnostic(theme, codes, fallback) for codes in by_file.values()]


def _diagnostic(
    theme: Theme, codes: dict[int, list[SourceLocation]], fallback: SourceLocation | None
) -> Diagnostic:
    fonts = theme.fonts
    families = [f.family for f in fonts.faces()] + [f.family for f in fonts.fallbacks]
    if fonts.emoji:
        families.append(fonts.emoji.family)
    listed = []
    for code, places in list(codes.items())[:SHOWN]:
        lines = sorted({p.line for p in places if p.line})
        at = f" at line{'s' * (len(lines) > 1)} {', '.join(map(str, lines[:8]))}" if lines else ""
        listed.append(describe(code) + at)
    more = f"; and {len(codes) - SHOWN} more" if len(codes) > SHOWN else ""
    first = min((p for places in codes.values() for p in places), default=fallback,
                key=lambda p: (p.line, p.column))  # fmt: skip
    count = len(codes)
    return Diagnostic(
        "error", "render.missing-glyph",
        f"{count} character{'s' * (count > 1)} {'are' if count > 1 else 'is'} in none of the "
        f"fonts of theme '{theme.name}' ({', '.join(families)}); they would print from "
        f"another font or as a box: {'; '.join(listed)}{more}",
        first,
        "replace them, or use a theme whose fonts have them (a fallback font for their "
        "script: see 'Fonts for other scripts' in the README, or the 'international' theme)",
    )  # fmt: skip
