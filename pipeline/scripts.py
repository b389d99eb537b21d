"""Writing systems in content text: which way a paragraph runs, and which script a character
belongs to (so a theme's fallback font for that script can draw it)."""

from __future__ import annotations

import unicodedata

# Scripts a theme can name a fallback font for, by Unicode block ranges.
SCRIPT_RANGES: dict[str, tuple[tuple[int, int], ...]] = {
    "arabic": ((0x0600, 0x06FF), (0x0750, 0x077F), (0x08A0, 0x08FF), (0xFB50, 0xFDFF),
               (0xFE70, 0xFEFF)),
    "hebrew": ((0x0590, 0x05FF), (0xFB1D, 0xFB4F)),
    "cjk": ((0x2E80, 0x2FDF), (0x3000, 0x303F), (0x3040, 0x30FF), (0x31F0, 0x31FF),
            (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0xFF00, 0xFFEF),
            (0x20000, 0x2FA1F)),
    "hangul": ((0x1100, 0x11FF), (0x3130, 0x318F), (0xAC00, 0xD7AF)),
    "devanagari": ((0x0900, 0x097F),),
    "thai": ((0x0E00, 0x0E7F),),
    "cyrillic": ((0x0400, 0x052F),),
    "greek": ((0x0370, 0x03FF), (0x1F00, 0x1FFF)),
}  # fmt: skip
# Scripts PowerPoint sets with a run's East Asian (a:ea) or complex-script (a:cs) typeface.
EAST_ASIAN = frozenset({"cjk", "hangul"})
COMPLEX = frozenset({"arabic", "hebrew", "devanagari", "thai"})


def direction(text: str) -> str:
    """'rtl' when the first strongly directional character is right-to-left, else 'ltr'."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return "ltr"


def script_of(codepoint: int) -> str | None:
    """The script a character belongs to, among those a theme can name a fallback for."""
    for script, ranges in SCRIPT_RANGES.items():
        if any(a <= codepoint <= b for a, b in ranges):
            return script
    return None
