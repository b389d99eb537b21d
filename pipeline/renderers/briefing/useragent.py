"""The user-agent stylesheet a briefing is laid out with (WeasyPrint 70).

WeasyPrint's user-agent stylesheet gives every element six pseudo-element styles, five of
them for footnotes and notes (`::footnote-call`, `::note-marker`, ...), which only an
element with `float: footnote` or `position: note()` uses: a third or more of the cascade's
work on a long briefing (the x20 article: 0.84-1.27 s, 0.55-0.59 s without them). A
document whose stylesheets, `<style>` elements and style attributes name neither (read with
CSS escapes decoded; a linked or imported stylesheet, which is not read here, counts as
naming them) gets the same stylesheet without those five rules: the rules left keep their
order numbers, so the cascade and the computed styles shared between elements are what
they were, and so are the pages.
"""

from __future__ import annotations

import copy
import functools
import re
from collections.abc import Iterable
from typing import Any

from weasyprint import html as weasy_html

NOTE_PSEUDOS = frozenset(
    ("footnote-call", "footnote-marker", "note-call", "note-marker", "note-callback")
)
_MAY_MAKE_NOTES = re.compile(r"footnote|note\(|@import", re.IGNORECASE)
_CSS_ESCAPE = re.compile(r"\\(?:([0-9a-fA-F]{1,6})[ \t\n\r\f]?|(.))", re.DOTALL)


def may_make_notes(css_texts: Iterable[str]) -> bool:
    """Whether any of these stylesheets could give an element `float: footnote` or
    `position: note()` (or imports one that could): their text, escapes decoded, names
    a footnote, a `note(` or an `@import`."""
    return any(_MAY_MAKE_NOTES.search(_CSS_ESCAPE.sub(_unescape, text)) for text in css_texts)


def _unescape(match: re.Match[str]) -> str:
    if match[1] is None:
        return match[2]
    code = int(match[1], 16)
    return chr(code) if 0 < code < 0x110000 else "\ufffd"


def quiet_user_agent(source: Any) -> None:
    """Give a parsed `weasyprint.HTML` whose author stylesheets were found not to make notes
    (`may_make_notes`) the user-agent stylesheet without the footnote and note rules, unless
    its own `<style>` elements or style attributes could make one."""
    inline = []
    for element in source.etree_element.iter():
        tag = element.tag if isinstance(element.tag, str) else ""
        name = tag.rsplit("}", 1)[-1]
        if name == "link":
            return  # a linked stylesheet, not read here
        if name == "style":
            inline.append("".join(element.itertext()))
        if style := element.get("style"):
            inline.append(style)
    if not may_make_notes(inline):
        source._ua_stylesheets = _quiet_ua_stylesheets


def _quiet_ua_stylesheets(forms: bool = False) -> list[Any]:
    sheets = [_quiet_ua()]
    return [*sheets, weasy_html.UA_FORM_STYLESHEET] if forms else sheets


@functools.cache
def _quiet_ua() -> Any:
    """WeasyPrint's UA stylesheet, its footnote and note pseudo-element rules left out."""
    sheet = copy.copy(weasy_html.UA_STYLESHEET)
    matcher = sheet.matcher
    quiet = copy.copy(matcher)
    quiet.other_selectors = [
        entry for entry in matcher.other_selectors if entry[3] not in NOTE_PSEUDOS
    ]
    sheet.matcher = quiet
    return sheet
