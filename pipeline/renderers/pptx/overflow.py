"""The overflow checker: re-measure a finished deck from its XML, independently of the planner.

Sizes, fonts, indents and spacing are read from the file as written and measured against the
full box (no layout safety margins), so a deck that passes here fits as it will be drawn.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .geometry import EMU_PER_PT
from .measure import Box, Face, Para, Segment, face_of, frame_height
from .ooxml.text import ParagraphXml, RunXml, insets_of, read_paragraphs

if TYPE_CHECKING:
    from ...fonts import FontFace
    from ...tokens import Theme

DEFAULT_SIZE = 18.0  # PowerPoint's size for a run that names none


@dataclass(frozen=True, slots=True)
class Overflow:
    """A text frame whose measured content is taller than its box (or that leaves the slide)."""

    slide: int
    shape: str
    needed: float  # points
    available: float
    text: str

    def __str__(self) -> str:
        return (
            f"slide {self.slide}, '{self.shape}': needs {self.needed:.1f} pt, has "
            f"{self.available:.1f} pt ({self.text[:60]!r})"
        )


def overflowing_frames(presentation: Any, theme: Theme) -> list[Overflow]:
    """Every text frame or table in a python-pptx Presentation whose text does not fit.

    Theme font references (+mj-lt, +mn-lt) resolve to the theme's heading and body families.
    """
    fonts = FontTable(theme)
    width, height = presentation.slide_width, presentation.slide_height
    found: list[Overflow] = []
    for number, slide in enumerate(presentation.slides, 1):
        for shape in slide.shapes:
            found.extend(_check_shape(number, shape, fonts, width, height))
    return found


class FontTable:
    """Family names in a deck's XML -> the theme's font files (with their substitutes: a
    deck must fit where its fonts are missing too)."""

    def __init__(self, theme: Theme) -> None:
        fonts = theme.fonts
        self.theme = theme
        self.faces: dict[str, FontFace] = {}
        for role, face in (
            ("+mn-lt", fonts.body),
            ("+mj-lt", fonts.heading),
            (None, fonts.mono),
            (None, fonts.body),
            (None, fonts.heading),
        ):
            self.faces[face.deck_family] = face
            if role:
                self.faces[role] = face
        self.default = fonts.body

    def face(self, family: str | None, bold: bool, italic: bool) -> Face:
        font = self.faces.get(family or "", self.default)
        return face_of(self.theme, font, bold, italic)


def _check_shape(
    number: int, shape: Any, fonts: FontTable, slide_w: int, slide_h: int
) -> Iterator[Overflow]:
    if shape.left is None or shape.width is None:
        return
    name = shape.name
    if (
        shape.left < 0
        or shape.top < 0
        or shape.left + shape.width > slide_w + 1
        or shape.top + shape.height > slide_h + 1
    ):
        yield Overflow(number, name, shape.top + shape.height, slide_h, "shape leaves the slide")
    if getattr(shape, "has_table", False) and shape.has_table:
        yield from _check_table(number, shape, fonts)
    elif shape.has_text_frame and shape.text_frame.text.strip():
        frame = shape.text_frame
        box = Box(shape.width / EMU_PER_PT, shape.height / EMU_PER_PT, insets_of(frame))
        needed = frame_height(paras_of(frame, fonts), box, safe=False)
        if needed > box.height + 0.5:
            yield Overflow(number, name, needed, box.height, frame.text)


def _check_table(number: int, shape: Any, fonts: FontTable) -> Iterator[Overflow]:
    table = shape.table
    widths = [c.width / EMU_PER_PT for c in table.columns]
    total = 0.0
    for row in table.rows:
        row_h = row.height / EMU_PER_PT
        for cell, col_w in zip(row.cells, widths):
            left, right, top, bottom = (
                v / EMU_PER_PT
                for v in (cell.margin_left, cell.margin_right, cell.margin_top, cell.margin_bottom)
            )
            box = Box(col_w, row_h, (left, right, top, bottom))
            row_h = max(row_h, frame_height(paras_of(cell.text_frame, fonts), box, safe=False))
        total += row_h
    available = shape.height / EMU_PER_PT
    if total > available + 0.5:
        yield Overflow(number, shape.name, total, available, "table")


def paras_of(text_frame: Any, fonts: FontTable) -> list[Para]:
    """The paragraphs of a text frame as the measurer sees them."""
    return [_para(p, fonts) for p in read_paragraphs(text_frame)]


def _para(p: ParagraphXml, fonts: FontTable) -> Para:
    segments = [(r.text, _face(r, fonts)) for r in p.runs]
    sizes = [r.size or DEFAULT_SIZE for r in p.runs if not r.line_break]
    size = max(sizes, default=0.0) or (p.end.size or DEFAULT_SIZE)
    return Para(_after_tab(segments, p.hanging), size, p.spacing, p.indent, p.before, p.after)


def _face(run: RunXml, fonts: FontTable) -> Face:
    if run.line_break:
        return fonts.face(None, False, False)
    return fonts.face(run.family, run.bold, run.italic)


def _after_tab(segments: list[Segment], hanging: bool) -> tuple[Segment, ...]:
    """With a hanging indent, text before the first tab sits in the hang (agenda numbers)."""
    joined = "".join(t for t, _ in segments)
    if not hanging or "\t" not in joined:
        return tuple(segments)
    out, seen = [], False
    for text, face in segments:
        if not seen and "\t" in text:
            seen, text = True, text.split("\t", 1)[1]
        elif not seen:
            continue
        out.append((text, face))
    return tuple(out)
