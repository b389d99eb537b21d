"""The slide plan: pure data saying what every slide shows, where, and at what size.

The planner makes a list of `SlidePlan`s without touching python-pptx; the drawer turns
each into a slide without making any decision of its own. Boxes are in EMU, sizes in points.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from ...fonts import FontRole
from .geometry import Rect

Layout = Literal["title", "section", "content", "two_content", "title_only"]
LAYOUTS: tuple[Layout, ...] = ("title", "section", "content", "two_content", "title_only")
Anchor = Literal["t", "ctr", "b"]
Insets = tuple[float, float, float, float]  # left, right, top, bottom, in points
Slot = Literal["body", "col0", "col1"]  # the layout placeholder a text frame fills
BODY_INSETS: Insets = (0.0, 0.0, 3.6, 3.6)
CARD_INSETS: Insets = (14.4, 14.4, 12.0, 12.0)
BOX_INSETS: Insets = (21.6, 14.4, 10.8, 10.8)
CELL_INSETS: Insets = (7.2, 7.2, 4.3, 4.3)


@dataclass(frozen=True, slots=True)
class Span:
    """A run of text: its font role, weight, slant, colour and link."""

    text: str
    role: FontRole = "body"
    bold: bool = False
    italic: bool = False
    color: str | None = None
    link: str | None = None


@dataclass(frozen=True, slots=True)
class Bullet:
    """How a paragraph's bullet is drawn: a character, a picture (marker icon) or a number."""

    kind: Literal["char", "picture", "number"]
    char: str = "•"
    marker: str | None = None
    color: str = "#000000"
    number: int = 1


@dataclass(frozen=True, slots=True)
class Text:
    """A sized paragraph: everything the XML writer and the measurer need."""

    spans: tuple[Span, ...]
    size: float
    color: str
    spacing: float = 1.0
    indent: float = 0.0
    hang: float = 0.0
    before: float = 0.0
    after: float = 0.0
    align: Literal["l", "ctr", "r"] = "l"
    level: int = 0
    bullet: Bullet | None = None
    rtl: bool = False  # a right-to-left paragraph (Arabic, Hebrew): PowerPoint's pPr rtl

    @property
    def plain(self) -> str:
        return "".join(s.text for s in self.spans)


@dataclass(frozen=True, slots=True)
class TextFrame:
    rect: Rect
    texts: tuple[Text, ...]
    slot: Slot | None = None
    fill: str | None = None
    anchor: Anchor = "t"
    insets: Insets = BODY_INSETS
    name: str = "Text"


@dataclass(frozen=True, slots=True)
class BoxFrame:
    """A call-out: a tinted box with a coloured rule down its left side."""

    rect: Rect
    texts: tuple[Text, ...]
    fill: str | None
    bar: str
    insets: Insets = BOX_INSETS
    name: str = "Call-out"
    link: str | None = None


@dataclass(frozen=True, slots=True)
class TableFrame:
    rect: Rect
    widths: tuple[int, ...]
    heights: tuple[int, ...]
    cells: tuple[tuple[tuple[Text, ...], ...], ...]  # rows -> cells -> paragraphs
    header_fill: str
    stripe: str
    background: str
    border: str
    name: str = "Table"


@dataclass(frozen=True, slots=True)
class PictureFrame:
    rect: Rect
    path: str
    alt: str
    name: str = "Image"


Frame = TextFrame | BoxFrame | TableFrame | PictureFrame


@dataclass(frozen=True, slots=True)
class SlidePlan:
    layout: Layout
    title: str
    title_texts: tuple[Text, ...]
    title_rect: Rect
    frames: tuple[Frame, ...] = ()
    kicker: TextFrame | None = None
    subtitle: tuple[Text, ...] = ()  # title slide: subtitle placeholder; divider: body
    subtitle_rect: Rect | None = None  # where the subtitle placeholder goes (title, divider)
    notes: str = ""
    section: str | None = None
    footer: bool = True
    footer_text: str = ""
    footer_size: float = 0.0
    number: TextFrame | None = None  # divider's big section number
    title_anchor: Anchor = "t"


def iter_texts(plan: SlidePlan) -> Iterator[str]:
    """Every text a slide plan shows (for tests and placement reports)."""
    yield plan.title
    for frame in plan.frames:
        if isinstance(frame, (TextFrame, BoxFrame)):
            yield from (t.plain for t in frame.texts)
        elif isinstance(frame, TableFrame):
            yield from (t.plain for row in frame.cells for cell in row for t in cell)
