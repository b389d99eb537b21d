"""Stitching personalised briefings from a shared layout (WeasyPrint 70 internals).

A personalised copy differs from its batch's other copies only on its cover and in the
running strings the cover sets (the confidentiality footer). So the body is laid out once
(`lay_out`, which keeps WeasyPrint's layout context), each recipient's cover alone
(`lay_out` of the cover followed by one empty block, so the cover page breaks exactly as in
the whole document), and `assemble` joins them: the recipient's cover page, the shared body
pages, and every page's margin boxes made again by WeasyPrint's own `make_margin_boxes`,
with the strings (and running elements) that page 1 sets taken from the recipient's cover.
Page counts, counters and `target-counter()` references come from the shared layout.

Everything here is pinned to WeasyPrint 70.0 (pyproject pins it): the functions it calls
are the ones `HTML.render()` calls, in the same order.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

import weasyprint
from weasyprint.css.counters import CounterStyle
from weasyprint.document import Document, Page
from weasyprint.formatting_structure import boxes
from weasyprint.formatting_structure.build import build_formatting_structure
from weasyprint.html import get_html_metadata
from weasyprint.layout import layout_document
from weasyprint.layout.background import layout_box_backgrounds
from weasyprint.layout.page import make_margin_boxes
from weasyprint.pdf.metadata import DocumentMetadata

from .replay import BodyPage, Recorder, SpyFonts

COVER_ID = "cover"
# After the cover, one empty block: the cover page then breaks as it does in the whole
# document (a box split across the break, not one that ends on page 1).
STAMP_TAIL = "<div></div>\n</body>\n</html>\n"


class Unstitchable(Exception):
    """This copy cannot be joined to the shared layout; it is laid out in full instead."""


@dataclass(frozen=True)
class Cover:
    """A briefing's HTML cut around its cover element (the one with id="cover")."""

    before: str
    cover: str
    after: str

    @property
    def stamp_html(self) -> str:
        return self.before + self.cover + STAMP_TAIL


@dataclass
class Layout:
    """Laid-out pages with the context WeasyPrint made them in."""

    document: Any  # weasyprint.document.Document
    context: Any  # weasyprint.layout.LayoutContext
    boxes: list[Any]  # the PageBoxes, in order


def split_cover(html: str) -> Cover | None:
    """The HTML around the cover element, or None when there is no such element."""
    finder = _CoverFinder()
    finder.feed(html)
    finder.close()
    if finder.start is None or finder.end is None:
        return None
    return Cover(html[: finder.start], html[finder.start : finder.end], html[finder.end :])


class _CoverFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.start: int | None = None
        self.end: int | None = None
        self._tag = ""
        self._depth = 0
        self._lines = [0]

    def feed(self, data: str) -> None:
        for line in data.splitlines(keepends=True):
            self._lines.append(self._lines[-1] + len(line))
        super().feed(data)

    def _offset(self) -> int:
        line, column = self.getpos()
        return self._lines[line - 1] + column

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.start is None and dict(attrs).get("id") == COVER_ID:
            self.start, self._tag, self._depth = self._offset(), tag, 1
        elif self.start is not None and self.end is None and tag == self._tag:
            self._depth += 1

    def handle_endtag(self, tag: str) -> None:
        if self.start is not None and self.end is None and tag == self._tag:
            self._depth -= 1
            if self._depth == 0:
                self.end = self.rawdata.index(">", self._offset()) + 1


def lay_out(html: Any, stylesheets: list[Any], font_config: Any, options: dict[str, Any]) -> Layout:
    """`HTML.render()`, keeping the layout context (`html` is a weasyprint.HTML)."""
    merged = dict(weasyprint.DEFAULT_OPTIONS, stylesheets=stylesheets, **options)
    if variant := merged["pdf_variant"]:
        for key, value in weasyprint.pdf.VARIANTS[variant][1].items():
            if merged.get(key) is None:
                merged[key] = value
    counters = CounterStyle()  # one object for the cascade and the boxes, as render() does
    context = Document._build_layout_context(html, font_config, counters, {}, merged)
    root = build_formatting_structure(
        html.etree_element,
        context.style_for,
        context.get_image_from_uri,
        html.base_url,
        context.target_collector,
        counters,
        context.footnotes,
    )
    pages = [Page(box) for box in layout_document(html, root, context)]
    document = Document(
        pages,
        DocumentMetadata(**get_html_metadata(html)),
        html.url_fetcher,
        font_config,
        {},
        merged["output_intent"],
    )
    document._html = html
    return Layout(document, context, [p._page_box for p in pages])


def assemble(
    shared: Layout, stamp: Layout, recorder: Recorder | None = None, recording: bool = False
) -> Any:
    """The personalised document: the stamp's cover page, then the shared body pages; the
    margin boxes of every page made again with the strings the stamp's cover sets. With a
    `recorder`, body pages are recorded (`recording`) or replayed (replay.py)."""
    if len(stamp.boxes) != 2:
        raise Unstitchable(f"the cover takes {len(stamp.boxes) - 1} pages instead of one")
    if stamp.boxes[0].page_type != shared.boxes[0].page_type:
        raise Unstitchable("the cover page is of another page type than in the shared layout")
    context = shared.context
    pages = []
    with _first_page_values(context, stamp.context):
        for number, page in enumerate([stamp.boxes[0], *shared.boxes[1:]], start=1):
            context.current_page = number
            state = context.page_maker[number][3]
            kept = [c for c in page.children if not isinstance(c, boxes.MarginBox)]
            margins = list(make_margin_boxes(context, page, state))
            for margin in margins:
                layout_box_backgrounds(page, margin, context.get_image_from_uri)
            made = page.copy()  # not copy_with_children: it changes the original
            made.children = (*kept, *margins)
            if recorder is not None and number > 1 and recorder.takes(number, made):
                pages.append(BodyPage(made, number, recorder, recording))
            else:
                pages.append(Page(made))
    joined = shared.document.copy(pages)
    if recorder is not None:  # body pages drawn live are recorded as they are drawn
        joined.fonts = SpyFonts()
    return joined


@contextmanager
def _first_page_values(shared: Any, stamp: Any) -> Iterator[None]:
    """While margin boxes are made: the named strings and running elements that page 1
    sets are the stamp's (the recipient's cover), not those of the shared layout's cover."""
    saved = []
    for name in ("string_set", "running_elements"):
        store, own = getattr(shared, name), getattr(stamp, name)
        for key in set(store) | set(own):
            saved.append((store, key, store[key].get(1)))
            if own.get(key, {}).get(1) is not None:
                store[key][1] = own[key][1]
            else:
                store[key].pop(1, None)
    try:
        yield
    finally:
        for store, key, value in saved:
            if value is None:
                store[key].pop(1, None)
            else:
                store[key][1] = value
