"""Content text as the briefing's templates print it: escaped, with URLs marked up so they
break at any character without a printed hyphen, and the direction of right-to-left text.

Content stays plain text: everything is escaped first, and the only markup added is
twinpress's own `<span class="url">`.
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

from ...scripts import direction

_URL = re.compile(r"\b(?:https?|ftp)://[^\s<>\"]+|\bwww\.[^\s<>\"]+")
_TRAILING = ".,;:!?)]}'’”"


def rich(text: str) -> Markup:
    """`text` escaped, its URLs in `<span class="url">` (no hyphenation, break anywhere)."""
    out: list[str] = []
    last = 0
    for match in _URL.finditer(text):
        url = match.group().rstrip(_TRAILING)
        start, end = match.start(), match.start() + len(url)
        out += [escape(text[last:start]), '<span class="url">', escape(url), "</span>"]
        last = end
    out.append(escape(text[last:]))
    return Markup("".join(out))


def dir_attr(text: str) -> Markup:
    """` dir="rtl"` for right-to-left text, nothing otherwise (templates: `<p{{ dir(x) }}>`)."""
    plain = text.striptags() if isinstance(text, Markup) else text
    return Markup(' dir="rtl"') if direction(plain) == "rtl" else Markup("")
