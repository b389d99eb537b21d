"""Which characters the theme's fonts can draw, and font subsets for self-contained HTML.

The briefing may use no font the theme did not name: a character that none of the theme's
faces has would silently come from a system font (or show as a box), so it is found here,
before layout, and reported with the place it comes from. Emoji are the exception: the
theme's emoji font covers them, and is only loaded when the text actually contains one.
"""

from __future__ import annotations

import io
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Iterable

# The blocks where emoji live. The emoji font is declared with this unicode-range, so it can
# never supply digits, '#' or '*' (which it also has, as keycap bases): WeasyPrint turns the
# range into a fontconfig charset. ZWJ, VS16, keycap and tag characters join sequences.
EMOJI_RANGES: tuple[tuple[int, int], ...] = (
    (0x200D, 0x200D), (0x20E3, 0x20E3), (0x2190, 0x21FF), (0x2300, 0x23FF), (0x2460, 0x24FF),
    (0x25A0, 0x25FF), (0x2600, 0x27BF), (0x2900, 0x297F), (0x2B00, 0x2BFF), (0x3030, 0x3030),
    (0x303D, 0x303D), (0x3297, 0x3299), (0xFE0E, 0xFE0F), (0x1F000, 0x1FAFF),
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
    return {ord(c) for c in text
            if not (c.isspace() or unicodedata.category(c) in ("Cc", "Cf", "Zs"))
            and ord(c) not in JOINERS}


def describe(codepoint: int) -> str:
    name = unicodedata.name(chr(codepoint), "unnamed character")
    return f"'{chr(codepoint)}' (U+{codepoint:04X} {name})"


# Name records kept in a subset: family and style names, copyright, and the licence
# description and URL (the OFL travels with the font).
_NAME_IDS = (0, 1, 2, 3, 4, 5, 6, 13, 14, 16, 17)


@lru_cache(maxsize=32)
def _subset_woff2(path: Path, mtime: float, text: frozenset[int]) -> bytes:
    import uharfbuzz as hb
    from fontTools.ttLib import TTFont

    face = hb.Face(hb.Blob.from_file_path(str(path)))
    request = hb.SubsetInput()
    for code in sorted(text):
        request.unicode_set.add(code)
    for name_id in _NAME_IDS:
        request.name_id_set.add(name_id)
    request.flags = hb.SubsetFlags.NO_HINTING | hb.SubsetFlags.NOTDEF_OUTLINE
    subset = hb.subset(face, request)
    if subset is None:
        raise ValueError(f"cannot subset font {path.name}")
    # WOFF2 (Brotli) is about half the size of the bare subset; fontTools writes it.
    with TTFont(io.BytesIO(bytes(subset.blob.data)), recalcTimestamp=False) as font:
        font.flavor = "woff2"
        out = io.BytesIO()
        font.save(out, reorderTables=True)
    return out.getvalue()


def subset_woff2(path: Path, codepoints: frozenset[int]) -> bytes:
    """The font cut down to `codepoints`, as WOFF2 (cached per file and character set)."""
    return _subset_woff2(path, path.stat().st_mtime, codepoints)
