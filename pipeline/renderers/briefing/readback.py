"""Built briefings read back for `twinpress verify`, without any of the briefing's own code:
a PDF's text page by page with PDFium (pypdfium2; pypdf for right-to-left pages), an html
page's text split at its headings."""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from ...tokens import Theme
from ..contract import Part, ReadBack


def read_pdf(path: Path, theme: Theme) -> ReadBack:
    """Page by page, in content-stream order, which WeasyPrint writes box by box: a table
    cell's or a column's lines stay together instead of interleaving by position.

    PDFium reads a page's text in C: about 9 ms a page of bullets, where pypdf, parsing
    every glyph's string in Python, takes 100 ms (a 1,400-page briefing: 2 minutes). But
    PDFium gives right-to-left text in visual order, a lam-alef ligature as alef-lam, so a
    page holding Arabic or Hebrew is read again with pypdf, which keeps the logical order."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        texts = [_page_text(pdf[n]) for n in range(len(pdf))]
    finally:
        pdf.close()
    rtl = [n for n, text in enumerate(texts) if _right_to_left(text)]
    if rtl:
        from pypdf import PdfReader

        pages = PdfReader(str(path)).pages
        for n in rtl:
            texts[n] = pages[n].extract_text() or ""
    parts = tuple(Part(n, text) for n, text in enumerate(texts, 1))
    return ReadBack(parts, same_glyph=glyph_twins(theme.fonts.files()))


def _page_text(page: Any) -> str:
    textpage = page.get_textpage()
    try:
        text: str = textpage.get_text_range()
    finally:
        textpage.close()
        page.close()
    # PDFium ends lines with CR LF, and writes a hyphen that ends a line (as in "easy-" /
    # "to-maintain") as U+FFFE, joining the lines: give both back as drawn.
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufffe", "-\n")


def _right_to_left(text: str) -> bool:
    return any(unicodedata.bidirectional(c) in ("R", "AL") for c in text)


@lru_cache(maxsize=16)
def glyph_twins(font_files: tuple[Path, ...]) -> dict[int, str]:
    """For each group of characters drawn with one glyph in a font, map all to the first.

    A PDF's text layer can name only one character per glyph: Inter draws Latin 'ɩ' and
    Greek 'ι' alike, so the PDF says 'ι' for both.
    """
    from fontTools.ttLib import TTFont

    fold: dict[int, str] = {}
    for path in font_files:
        groups: dict[str, list[int]] = {}
        with TTFont(str(path), lazy=True) as font:
            cmap = font.getBestCmap()
        for code, glyph in cmap.items():
            groups.setdefault(glyph, []).append(code)
        for codes in groups.values():
            folded = [unicodedata.normalize("NFKC", chr(c)).casefold() for c in codes]
            target = folded[0]
            for key in folded[1:]:
                if len(key) == 1 and key != target:
                    fold.setdefault(ord(key), target)
    return fold


class _HtmlText(HTMLParser):
    """Collect text outside <head>, <script> and <style>, starting a unit at h1/h2/nav."""

    SKIP = frozenset({"head", "script", "style", "template"})
    BREAK = frozenset({"h1", "h2", "nav"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.units: list[list[str]] = [[]]
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self.skipping += 1
        elif tag in self.BREAK and any(self.units[-1]):
            self.units.append([])

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP and self.skipping:
            self.skipping -= 1
        elif tag == "nav":
            self.units.append([])

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.units[-1].append(data)


def read_html(path: Path) -> ReadBack:
    parser = _HtmlText()
    parser.feed(path.read_text(encoding="utf-8"))
    texts = [" ".join(u) for u in parser.units if "".join(u).strip()]
    return ReadBack(tuple(Part(n, t) for n, t in enumerate(texts, 1)))
