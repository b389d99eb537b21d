"""Units as frames: the boxes a unit occupies on its slide, at the scale of its topic.

`SlideSetter` (slides.py) decides which units go on a slide and where each starts; the
functions here turn one unit, with the rectangle it was given, into the `Frame`s the
drawer draws: text frames, column cards under their title, a table and its caption, a
call-out box or verdict banner, a picture and its caption, a native chart and its source.
"""

from __future__ import annotations

from dataclasses import replace

from ...charts import Chart, labels_fit, segment_fits
from ...colors import readable_on
from ...numbers import excel_format
from ...tokens import Colors
from .columns import TITLE_GAP, ColumnsUnit
from .geometry import Rect, emu, pt
from .measure import HEIGHT_SAFETY
from .measure import width as measure
from .slideplan import (
    CARD_INSETS,
    CELL_INSETS,
    BoxFrame,
    ChartFrame,
    Frame,
    PictureFrame,
    Slot,
    Span,
    TableFrame,
    TextFrame,
)
from .style import Copy
from .tables import TableUnit
from .units import BoxUnit, ChartUnit, Ctx, ImageUnit, TextUnit


class FrameMaker:
    """Frames for units, in one theme's colours."""

    def __init__(self, colors: Colors) -> None:
        self.colors = colors

    def text_frame(
        self,
        unit: TextUnit,
        k: int,
        ctx: Ctx,
        rect: Rect,
        region: Rect,
        slot: Slot | None,
        count: int,
    ) -> TextFrame:
        texts = tuple(unit.texts(k, ctx))
        if unit.statement and count == 1:
            return TextFrame(region, texts, slot, anchor="ctr", name="Statement")
        return TextFrame(rect, texts, slot, name="Body")

    def column_frames(self, unit: ColumnsUnit, k: int, ctx: Ctx, rect: Rect) -> list[Frame]:
        frames: list[Frame] = []
        top = rect.y
        if unit.title is not None:
            title_h = emu((unit.title_height(k, ctx) - TITLE_GAP) / HEIGHT_SAFETY)
            frames.append(
                TextFrame(
                    Rect(rect.x, top, rect.w, title_h),
                    tuple(unit.title_texts(k, ctx)),
                    name="Comparison title",
                )
            )
            top += emu(unit.title_height(k, ctx) / HEIGHT_SAFETY)
        n = len(unit.headings)
        gap = emu(ctx.columns_gap)
        width = (rect.w - gap * (n - 1)) // n
        height = rect.bottom - top
        for i in range(n):
            texts = tuple(unit.column_texts(k, ctx, i))
            box = Rect(rect.x + i * (width + gap), top, width, height)
            slot: Slot | None = ("col0", "col1")[i] if i < 2 else None
            frames.append(
                TextFrame(
                    box,
                    texts,
                    slot,
                    fill=self.colors.surface,
                    insets=CARD_INSETS,
                    name=f"Column {i + 1}",
                )
            )
        return frames

    def table_frames(self, unit: TableUnit, k: int, ctx: Ctx, rect: Rect) -> list[Frame]:
        widths = unit.widths(k, ctx)
        emu_w = [emu(w) for w in widths]
        emu_w[-1] = rect.w - sum(emu_w[:-1])
        rows = [unit.header, *unit.rows]
        cells = tuple(
            tuple((t,) for t in unit.cell_texts(row, r == 0, k, ctx)) for r, row in enumerate(rows)
        )
        heights = tuple(
            emu(unit.row_height(row, r == 0, k, ctx, widths) / HEIGHT_SAFETY)
            for r, row in enumerate(rows)
        )
        c = self.colors
        table_rect = Rect(rect.x, rect.y, rect.w, sum(heights))
        frames: list[Frame] = [
            TableFrame(
                table_rect,
                tuple(emu_w),
                heights,
                cells,
                c.primary,
                c.table_stripe,
                c.background,
                c.border,
            )
        ]
        if unit.caption:
            text = ctx.style.text(Copy("caption", (Span(unit.caption, italic=True),)), k)
            h = emu(ctx.style.height([text], ctx.width) / HEIGHT_SAFETY)
            frames.append(
                TextFrame(
                    Rect(rect.x, table_rect.bottom + emu(6), rect.w, h), (text,), name="Caption"
                )
            )
        return frames

    def box_frame(
        self, unit: BoxUnit, k: int, ctx: Ctx, rect: Rect, name: str | None = None
    ) -> BoxFrame:
        texts = tuple(unit.texts(k, ctx))
        link = next((s.link for t in texts for s in t.spans if s.link), None)
        if link:  # the call to action's button: a compact filled box, not a call-out
            label = texts[0]
            face = ctx.style.face("body", True, False)
            w = min(
                rect.w,
                emu(
                    max(
                        200.0,
                        measure(face, label.plain, label.size) * 1.1
                        + CELL_INSETS[0]
                        + CELL_INSETS[1]
                        + 24,
                    )
                ),
            )
            return BoxFrame(
                rect.with_(w=w), texts, unit.fill, unit.tone, CELL_INSETS, "Link button", link
            )
        return BoxFrame(rect, texts, unit.fill, unit.tone, name=name or unit.name)

    def image_frames(
        self, unit: ImageUnit, k: int, ctx: Ctx, rect: Rect, height: float
    ) -> list[Frame]:
        caption_h = unit.caption_height(k, ctx)
        room = emu(height - caption_h)
        w = min(rect.w, int(room / unit.aspect))
        h = int(w * unit.aspect)
        x = rect.x + (rect.w - w) // 2
        frames: list[Frame] = [PictureFrame(Rect(x, rect.y, w, h), unit.path, unit.alt)]
        if unit.caption:
            text = replace(
                ctx.style.text(Copy("caption", (Span(unit.caption, italic=True),)), k), align="ctr"
            )
            frames.append(
                TextFrame(
                    Rect(rect.x, rect.y + h + emu(4), rect.w, emu(caption_h / HEIGHT_SAFETY)),
                    (text,),
                    name="Caption",
                )
            )
        return frames

    def chart_frames(
        self, unit: ChartUnit, k: int, ctx: Ctx, rect: Rect, height: float
    ) -> list[Frame]:
        """The chart in the unit's box, its source line under it."""
        chart, c, deck = unit.chart, self.colors, ctx.style.deck
        source_h = unit.source_height(k, ctx)
        box = rect.with_(h=emu((height - source_h) / HEIGHT_SAFETY))
        places = chart.places
        colors = c.series[: len(chart.categories) if chart.round else len(chart.series)]
        size = max(deck.small + 1, deck.min_table)
        labels, hidden = self._chart_labels(chart, box, size, ctx)
        frames: list[Frame] = [
            ChartFrame(
                box,
                chart,
                tuple(colors),
                tuple(readable_on(fill, c.text, c.background) for fill in colors),
                c.text,
                c.muted,
                c.border,
                c.background,
                size=size,
                title_size=max(deck.min_body, deck.body - 2),
                number_format=excel_format(places, chart.unit),
                x_format=excel_format(chart.x_places, None),
                labels=labels,
                hidden=hidden,
            )
        ]
        source = unit.source()
        if source:
            text = ctx.style.text(Copy("caption", (Span(source, italic=True),)), k)
            frames.append(
                TextFrame(
                    Rect(rect.x, box.bottom, rect.w, emu(source_h / HEIGHT_SAFETY)),
                    (text,),
                    name="Chart source",
                )
            )
        return frames

    def _chart_labels(
        self, chart: Chart, box: Rect, size: float, ctx: Ctx
    ) -> tuple[bool, tuple[tuple[int, int], ...]]:
        """Whether the chart prints its values, and the stacked segments too thin for one.

        PowerPoint lays the plot out itself: it is estimated as the box less the value
        axis's labels and title across, and a little over half the box's height.
        """
        face = ctx.style.face("body", False, False)
        plot = (pt(box.w) - 7 * size, pt(box.h) * 0.55)
        if not labels_fit(chart, plot, size, lambda text: measure(face, text, size)):
            return False, ()
        if not chart.stacked:
            return True, ()
        hidden = tuple(
            (i, j)
            for i, series in enumerate(chart.series)
            for j, value in enumerate(series.values)
            if value is not None and not segment_fits(chart, value, plot[1], size)
        )
        return True, hidden
