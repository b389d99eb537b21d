"""The running header and footer's widths measured once a render, not once a page
(WeasyPrint 70).

WeasyPrint sizes a page's top and bottom margin boxes from their min- and max-content widths
(css-page-3's margin box dimensions), measuring every box's text through Pango on every
page: for the briefing's four running strings, four measurements of each a page, although
three of them say the same on every page. Pages the same page rules select share their
margin boxes' styles (`tuning`), and a box made of anonymous lines and text takes every
style from its own (its anonymous style), so such a box's widths depend only on that style
and its texts. They are kept for the render (on its layout context), under the measure, the
style's identity and the texts, and a page whose box shows the same texts in the same style
gets them back; a page number, or any box holding an element of its own, is measured as
WeasyPrint measures it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from weasyprint.formatting_structure import boxes

_KEPT = "_twinpress_margin_widths"  # on the render's layout context
Measure = Callable[..., float]


def remembered(measure: Measure) -> Measure:
    """`min_content_width` or `max_content_width`, answered again for a margin box whose
    style and texts were measured before in the same render."""

    @functools.wraps(measure)
    def measured(context: Any, box: Any, outer: bool = True) -> float:
        texts = _texts(box) if isinstance(box, boxes.MarginBox) else None
        if texts is None:
            return measure(context, box, outer)
        kept: dict[tuple[Any, ...], tuple[Any, float]] = context.__dict__.setdefault(_KEPT, {})
        key = (measure, id(box.style), outer, texts)  # min- and max-content apart
        found = kept.get(key)
        if found is not None and found[0] is box.style:
            return found[1]
        width = measure(context, box, outer)
        kept[key] = (box.style, width)  # the style held, so its id is not reused
        return width

    return measured


def _texts(box: Any, style: Any = None) -> tuple[Any, ...] | None:
    """The texts of a margin box made only of anonymous lines and text, all of them styled
    by the box's anonymous style (WeasyPrint makes both from the margin box itself); None
    for any other box."""
    style = box.style.anonymous_style if style is None else style
    found: list[Any] = []
    for child in box.children:
        if child.style is not style:
            return None
        if isinstance(child, boxes.TextBox):
            found.append((child.text, child.justification_spacing))
        elif isinstance(child, boxes.LineBox):
            inner = _texts(child, style)
            if inner is None:
                return None
            found.append(inner)
        else:
            return None
    return tuple(found)
