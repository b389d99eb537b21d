"""How much of each content slide's body area a deck uses, as LibreOffice draws it.

The deck is converted to PDF by LibreOffice (pipeline.office) and every mark pdfplumber
finds inside the body area (characters, filled shapes such as column cards, call-out
boxes and table cells, pictures and picture bullets) is gathered into horizontal bands:
marks whose vertical extents overlap or lie closer than a paragraph's gap form one band,
as wide as its marks reach. The share of the body area the bands cover is what a reader
sees as used; the lower half of a slide left empty shows as a share near one half.
Title, divider and closing slides (the title and section layouts) are not content slides.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

EMU_PER_PT = 12700
BAND_GAP = 20.0  # points: marks closer than this belong to one band (lines, paragraphs)
NEAR_EMPTY = 0.25  # content slides must use at least this share of the body area


@dataclass(frozen=True)
class Fill:
    slide: int
    title: str
    used: float  # share of the body area

    def __str__(self) -> str:
        return f"slide {self.slide} ({self.title!r}): {self.used:.0%} of the body area used"


Box = tuple[float, float, float, float]  # x0, top, x1, bottom in points


def content_fill(deck: bytes, pdf: Path, theme) -> list[Fill]:
    """The used share of the body area of every content slide of `deck` (converted to
    `pdf` by LibreOffice)."""
    import io

    import pdfplumber
    from pptx import Presentation

    from pipeline.renderers.pptx.master import base_deck

    geometry = base_deck(theme)[1]
    body = _points(geometry.body.x, geometry.body.y, geometry.body.w, geometry.body.h)
    layouts = theme.pptx.layouts
    content = {layouts.content, layouts.two_content, layouts.title_only}
    prs = Presentation(io.BytesIO(deck))
    fills = []
    with pdfplumber.open(pdf) as document:
        for number, (slide, page) in enumerate(zip(prs.slides, document.pages), 1):
            if slide.slide_layout.name not in content:
                continue
            title = slide.shapes.title
            skip = _points(title.left, title.top, title.width, title.height)
            marks = [m for m in _marks(page) if not _inside(m, skip)]
            fills.append(Fill(number, title.text_frame.text, _used(marks, body)))
    return fills


def near_empty(deck: bytes, pdf: Path, theme, share: float = NEAR_EMPTY) -> list[Fill]:
    return [f for f in content_fill(deck, pdf, theme) if f.used < share]


def _points(x: int, y: int, w: int, h: int) -> Box:
    return (x / EMU_PER_PT, y / EMU_PER_PT, (x + w) / EMU_PER_PT, (y + h) / EMU_PER_PT)


def _marks(page) -> list[Box]:
    whole = page.width * page.height
    marks = [(c["x0"], c["top"], c["x1"], c["bottom"]) for c in page.chars if c["text"].strip()]
    for shape in [*page.rects, *page.curves]:
        area = (shape["x1"] - shape["x0"]) * (shape["bottom"] - shape["top"])
        if shape.get("fill") and area < 0.9 * whole:  # not the slide's background
            marks.append((shape["x0"], shape["top"], shape["x1"], shape["bottom"]))
    marks += [(i["x0"], i["top"], i["x1"], i["bottom"]) for i in page.images]
    return marks


def _inside(mark: Box, box: Box) -> bool:
    cx, cy = (mark[0] + mark[2]) / 2, (mark[1] + mark[3]) / 2
    return box[0] <= cx <= box[2] and box[1] <= cy <= box[3]


def _used(marks: list[Box], body: Box) -> float:
    clipped = []
    for x0, top, x1, bottom in marks:
        x0, x1 = max(x0, body[0]), min(x1, body[2])
        top, bottom = max(top, body[1]), min(bottom, body[3])
        if x1 > x0 and bottom > top:
            clipped.append((x0, top, x1, bottom))
    bands: list[list[float]] = []  # [top, bottom, x0, x1]
    for x0, top, x1, bottom in sorted(clipped, key=lambda m: m[1]):
        if bands and top <= bands[-1][1] + BAND_GAP:
            band = bands[-1]
            band[1], band[2], band[3] = max(band[1], bottom), min(band[2], x0), max(band[3], x1)
        else:
            bands.append([top, bottom, x0, x1])
    area = sum((b[1] - b[0]) * (b[3] - b[2]) for b in bands)
    return area / ((body[2] - body[0]) * (body[3] - body[1]))
