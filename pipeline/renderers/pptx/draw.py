"""Drawing slide plans into python-pptx slides: placeholders, text, tables, pictures, charts
(chartdraw.py), notes.

The drawer makes no decision of its own: every box, size and colour comes from the plan.
It uses python-pptx's public API, and the `ooxml` functions where python-pptx has none.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.shapes import PP_PLACEHOLDER as PH
from pptx.opc.constants import RELATIONSHIP_TYPE as RT

from ...fonts import FontRole
from ...images import embedded
from ...scripts import COMPLEX, EAST_ASIAN
from ...tokens import Theme
from .chartdraw import add_chart
from .markers import marker_png
from .master import BODIES, TITLES, Layouts
from .ooxml import shapes
from .ooxml.base import Element
from .ooxml.slides import SlideAdder
from .ooxml.text import TextWriter, set_language
from .slideplan import (
    CELL_INSETS,
    Anchor,
    BoxFrame,
    Bullet,
    ChartFrame,
    Layout,
    PictureFrame,
    SlidePlan,
    Span,
    TableFrame,
    Text,
    TextFrame,
)

BAR_WIDTH = 64008  # 0.07 in: the coloured rule of a call-out
PLACEHOLDER_INSETS = (0.0, 0.0, 3.6, 3.6)
SLOTS = {"body": 0, "col0": 0, "col1": 1}


class Drawer:
    """Adds slides to a presentation, one SlidePlan at a time."""

    def __init__(
        self,
        prs: Any,
        theme: Theme,
        layouts: Layouts,
        language: str,
        when: dt.datetime = dt.datetime(2000, 1, 1),
    ) -> None:
        self.prs, self.theme, self.layouts, self.language = prs, theme, layouts, language
        self.when = when  # the date charts' embedded workbooks carry
        fonts = theme.fonts
        families: dict[FontRole, str] = {
            "heading": fonts.heading.deck_family,
            "body": fonts.body.deck_family,
            "mono": fonts.mono.deck_family,
        }
        east_asian, complex_script = fonts.for_scripts(EAST_ASIAN), fonts.for_scripts(COMPLEX)
        self.text = TextWriter(
            families,
            language,
            self._marker_rid,
            east_asian.family if east_asian else None,
            complex_script.family if complex_script else None,
        )
        self.images: dict[bytes, Any] = {}  # marker PNG -> its one image part
        self.slides = SlideAdder(prs)  # python-pptx's add_slide costs as much as the deck
        self.footers: dict[Layout, list[tuple[Any, PH]]] = {}  # a layout's role -> `_footers`

    def add(self, plan: SlidePlan, number: int) -> Any:
        layout = self.layouts[plan.layout]
        slide = self.slides.add(layout)
        # Walked once: python-pptx tests every shape of the slide for a placeholder each walk.
        placeholders = [(p, p.placeholder_format.type) for p in slide.placeholders]
        title = next(p for p, kind in placeholders if kind in TITLES)
        bodies = sorted(
            (p for p, kind in placeholders if kind in BODIES), key=lambda p: (p.left, p.top)
        )
        self._title(slide, title, plan)
        first = [shapes.element(title)]
        if plan.kicker is not None:
            first.append(shapes.element(self._textbox(slide, plan.kicker)))
        if plan.number is not None:
            first.append(shapes.element(self._textbox(slide, plan.number)))
        used = self._subtitle(slide, bodies, plan)
        drawn, order = self._frames(slide, bodies, plan)
        used |= drawn
        for body in bodies:
            if body.shape_id not in used:
                shapes.remove(body)
        # Screen readers follow the shape tree: title, kicker, then the body top to bottom.
        shapes.move_to_front_of_reading_order(slide, first + order)
        if plan.footer:
            self._footer(slide, plan.layout, plan.footer_text, plan.footer_size, number)
        self._notes(slide, plan)
        return slide

    def _notes(self, slide: Any, plan: SlidePlan) -> None:
        shown = "".join(span.text for text in plan.title_texts for span in text.spans)
        notes = plan.notes
        if shown.endswith("…") and plan.title and not plan.title.endswith("…"):
            notes = f"{plan.title}\n\n{notes}".strip()  # the title was cut to fit
        if notes:
            frame = self.slides.notes(slide).notes_text_frame
            frame.text = notes
            set_language(frame, self.language)

    # -- placeholders ----------------------------------------------------------------------

    def _title(self, slide: Any, shape: Any, plan: SlidePlan) -> None:
        rect = plan.title_rect
        if (shape.left, shape.top, shape.width, shape.height) != (rect.x, rect.y, rect.w, rect.h):
            shapes.set_rect(shape, rect)
        self.text.write(
            slide, shape.text_frame, plan.title_texts, PLACEHOLDER_INSETS, plan.title_anchor
        )

    def _subtitle(self, slide: Any, bodies: list[Any], plan: SlidePlan) -> set[int]:
        if plan.layout not in ("title", "section") or not bodies or not plan.subtitle:
            return set()
        shape = bodies[0]
        if plan.subtitle_rect is not None:  # every coordinate: a bare `top` loses the rest
            shapes.set_rect(shape, plan.subtitle_rect)
        self.text.write(slide, shape.text_frame, plan.subtitle, PLACEHOLDER_INSETS, "t")
        return {shape.shape_id}

    def _frames(
        self, slide: Any, bodies: list[Any], plan: SlidePlan
    ) -> tuple[set[int], list[Element]]:
        """Draw the body frames; return the placeholders used and every shape in plan order."""
        used: set[int] = set()
        order: list[Element] = []
        tree = shapes.shape_tree(slide)
        for frame in plan.frames:
            before = set(tree)  # holding the proxies keeps their identity stable
            match frame:
                case TextFrame():
                    index = SLOTS.get(frame.slot or "", -1)
                    # A placeholder holds one frame: a second set of columns on the same
                    # slide (two comparisons) gets text boxes instead of overwriting the first.
                    if (
                        plan.layout in ("content", "two_content")
                        and 0 <= index < len(bodies)
                        and bodies[index].shape_id not in used
                    ):
                        shape = bodies[index]
                        shapes.set_rect(shape, frame.rect)
                        used.add(shape.shape_id)
                        order.append(shapes.element(shape))
                        self._fill_text(slide, shape, frame)
                    else:
                        self._textbox(slide, frame)
                case BoxFrame():
                    self._box(slide, frame)
                case TableFrame():
                    self._table(slide, frame)
                case PictureFrame():
                    self._picture(slide, frame)
                case ChartFrame():
                    body, heading = self.theme.fonts.body, self.theme.fonts.heading
                    add_chart(slide, frame, body.deck_family, heading.deck_family, self.when)
            order += [el for el in tree if el not in before]
        return used, order

    def _fill_text(self, slide: Any, shape: Any, frame: TextFrame) -> None:
        if frame.fill:
            shapes.fill(shape, frame.fill)
        shape.name = frame.name
        self.text.write(slide, shape.text_frame, frame.texts, frame.insets, frame.anchor)

    def _textbox(self, slide: Any, frame: TextFrame) -> Any:
        r = frame.rect
        shape = slide.shapes.add_textbox(r.x, r.y, r.w, r.h)
        self._fill_text(slide, shape, frame)
        return shape

    def _footer(self, slide: Any, role: Layout, text: str, size: float, number: int) -> None:
        for placeholder, kind in self._footers(role):
            slide.shapes.clone_placeholder(placeholder)
            shape = slide.shapes[-1]  # the clone: python-pptx appends it to the shape tree
            deck, c = self.theme.type.deck, self.theme.colors
            is_number = kind == PH.SLIDE_NUMBER
            para = Text(
                (Span(str(number) if is_number else text),),
                size or deck.small,
                c.muted,
                1.0,
                align="r" if is_number else "l",
            )
            self.text.write(
                slide,
                shape.text_frame,
                [para],
                PLACEHOLDER_INSETS,
                "ctr",
                field="slidenum" if is_number else None,
            )

    def _footers(self, role: Layout) -> list[tuple[Any, PH]]:
        """The footer and slide number placeholders of a layout, found once per layout."""
        found = self.footers.get(role)
        if found is None:
            kinds = ((p, p.placeholder_format.type) for p in self.layouts[role].placeholders)
            found = [(p, kind) for p, kind in kinds if kind in (PH.FOOTER, PH.SLIDE_NUMBER)]
            self.footers[role] = found
        return found

    # -- shapes ----------------------------------------------------------------------------

    def _box(self, slide: Any, frame: BoxFrame) -> None:
        r = frame.rect
        kind = MSO_SHAPE.ROUNDED_RECTANGLE if frame.link else MSO_SHAPE.RECTANGLE
        shape = slide.shapes.add_shape(kind, r.x, r.y, r.w, r.h)
        shape.name = frame.name
        shapes.plain_shape(shape, frame.fill)
        if frame.link:
            shape.click_action.hyperlink.address = frame.link
        anchor: Anchor = "ctr" if frame.link else "t"
        self.text.write(slide, shape.text_frame, frame.texts, frame.insets, anchor)
        if not frame.link:
            bar = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, r.x, r.y, BAR_WIDTH, r.h)
            bar.name = f"{frame.name} rule"
            shapes.plain_shape(bar, frame.bar)
            shapes.mark_shape_decorative(bar)

    def _table(self, slide: Any, frame: TableFrame) -> None:
        r = frame.rect
        rows, cols = len(frame.cells), len(frame.widths)
        graphic = slide.shapes.add_table(rows, cols, r.x, r.y, r.w, r.h)
        graphic.name = frame.name
        table = graphic.table
        table.first_row, table.horz_banding = True, False
        shapes.drop_table_style(graphic)
        for column, width in zip(table.columns, frame.widths):
            column.width = width
        for row, height in zip(table.rows, frame.heights):
            row.height = height
        for i, row in enumerate(table.rows):
            fill = (
                frame.header_fill if i == 0 else (frame.stripe if i % 2 == 0 else frame.background)
            )
            for j, cell in enumerate(row.cells):
                self._cell(slide, cell, frame.cells[i][j], fill, frame.border)

    def _cell(self, slide: Any, cell: Any, texts: Sequence[Text], fill: str, border: str) -> None:
        shapes.style_cell(cell, CELL_INSETS, fill, border)
        self.text.write(slide, cell.text_frame, texts, None, None)

    def _picture(self, slide: Any, frame: PictureFrame) -> None:
        r = frame.rect
        data, _ = embedded(Path(frame.path))  # scaled down when larger than a slide shows
        picture = slide.shapes.add_picture(io.BytesIO(data), r.x, r.y, r.w, r.h)
        picture.name = frame.name
        shapes.set_alt_text(picture, frame.alt)

    def _marker_rid(self, slide: Any, bullet: Bullet) -> str:
        png = marker_png(self.theme, bullet.marker or "dot", bullet.color)
        part = self.images.get(png)
        if part is None:  # python-pptx finds duplicates by walking every part: do it once
            part, rid = slide.part.get_or_add_image_part(io.BytesIO(png))
            self.images[png] = part
            return str(rid)
        return str(slide.part.relate_to(part, RT.IMAGE))
