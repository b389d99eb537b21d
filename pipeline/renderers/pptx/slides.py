"""Setting units onto slides: the scale for a topic, pagination, frames, titles and kickers.

The planner decides what a topic holds; `SlideSetter` finds the largest scale at which the
topic needs the fewest slides, splits its units across continuation slides titled
"<title> (cont.)", and places every frame in the layout's body area.
"""

from __future__ import annotations

from collections import deque
from dataclasses import replace

from ...labels import Labels
from ...model import Section
from .fitting import Fitter, too_long
from .geometry import Rect, emu, pt
from .measure import HEIGHT_SAFETY
from .measure import width as measure
from .slideplan import (
    CARD_INSETS,
    CELL_INSETS,
    BoxFrame,
    Frame,
    Layout,
    PictureFrame,
    SlidePlan,
    Slot,
    Span,
    TableFrame,
    TextFrame,
)
from .style import Copy
from .tables import TableUnit
from .units import BoxUnit, ColumnsUnit, Ctx, ImageUnit, TextUnit, Unit

GAP = 16.0  # points between stacked units
Page = list[tuple[Unit, float]]  # the units on one slide, with the height each takes


class SlideSetter:
    """Places units and titles on slides for one theme and base deck."""

    def __init__(self, fitter: Fitter, labels: Labels) -> None:
        self.labels = labels
        self.fitter, self.geo, self.style = fitter, fitter.geo, fitter.style
        self.colors = fitter.colors
        self.footer, self.footer_size = "", fitter.style.deck.small

    def topic_slides(
        self,
        title: str,
        kicker: str | None,
        units: list[Unit],
        notes: str,
        section: Section | None,
        link: str | None = None,
    ) -> list[SlidePlan]:
        geo, deck = self.geo, self.style.deck
        longest = f"{title} {self.labels.fill('continued_n', n=99)}"
        _, probe = self.fitter.fit_title(longest, geo.title, deck.heading, deck.min_body + 4)
        top = max(geo.body.y, probe.bottom + emu(10))
        region = Rect(geo.body.x, top, geo.body.w, geo.body.bottom - top)
        ctx = Ctx(self.style, pt(region.w), pt(geo.columns[1].x - geo.columns[0].right))
        k, pages = self._choose_scale(units, ctx, pt(region.h))
        plans: list[SlidePlan] = []
        for n, page in enumerate(pages):
            name = self._continued(title, n)
            title_texts, title_rect = self.fitter.fit_title(
                name, geo.title, deck.heading, deck.min_body + 4, link=link
            )
            frames, layout = self.place(page, k, ctx, region)
            opening = self.labels.fill("continued_notes", title=title)
            page_notes = notes if n == 0 else f"{opening}\n\n{notes}".strip()
            plans.append(
                SlidePlan(
                    layout,
                    name,
                    title_texts,
                    title_rect,
                    tuple(frames),
                    kicker=self.fitter.kicker(kicker),
                    notes=page_notes or name,
                    section=section.id if section else None,
                    footer_text=self.footer,
                    footer_size=self.footer_size,
                )
            )
        return plans

    def _continued(self, title: str, n: int) -> str:
        """The n-th slide's title of a topic: the title, then '<title> (cont.)', ..."""
        if n == 0:
            return title
        suffix = self.labels.continued if n == 1 else self.labels.fill("continued_n", n=n)
        return f"{title} {suffix}"

    def _choose_scale(self, units: list[Unit], ctx: Ctx, room: float) -> tuple[int, list[Page]]:
        """The largest scale on one slide; else the largest needing the fewest slides."""
        last = self.style.steps - 1
        results = {last: self.paginate(units, last, ctx, room)}
        fewest = len(results[last])
        lo, hi = 0, last  # the page count falls as the scale shrinks: find the first minimum
        while lo < hi:
            mid = (lo + hi) // 2
            results[mid] = self.paginate(units, mid, ctx, room)
            if len(results[mid]) <= fewest:
                hi = mid
            else:
                lo = mid + 1
        return lo, results[lo]

    def paginate(self, units: list[Unit], k: int, ctx: Ctx, room: float) -> list[Page]:
        """The units on slides at step k, each slide filled before the next begins."""
        usable = room * HEIGHT_SAFETY
        pages: list[Page] = [[]]
        left = usable
        queue = deque(_demote_statement(u, k, ctx, usable) for u in units)
        while queue:
            unit = queue.popleft()
            gap = GAP if pages[-1] else 0.0
            need = unit.height_within(k, ctx, left - gap)  # None: certainly too tall
            if need is not None and gap + need <= left:
                pages[-1].append((unit, need))
                left -= gap + need
                continue
            head, tail = unit.split(k, ctx, left - gap, forced=not pages[-1])
            if head is not None:
                pages[-1].append((head, head.height(k, ctx)))
                if tail is not None:
                    queue.appendleft(tail)
                pages.append([])
                left = usable
            elif pages[-1]:
                pages.append([])
                left = usable
                queue.appendleft(unit)
            else:
                raise too_long(self.fitter.loc, _unit_text(unit), "a whole slide")
        return [p for p in pages if p]

    def place(self, page: Page, k: int, ctx: Ctx, region: Rect) -> tuple[list[Frame], Layout]:
        """Stack a page's units top to bottom in the region and pick the layout."""
        frames: list[Frame] = []
        y = region.y
        has_columns = any(isinstance(u, ColumnsUnit) for u, _ in page)
        layout: Layout = (
            "two_content"
            if has_columns
            else ("content" if isinstance(page[0][0], TextUnit) else "title_only")
        )
        body_free = layout == "content"
        for unit, height in page:
            h = emu(height / HEIGHT_SAFETY)
            rect = Rect(region.x, y, region.w, h)
            if isinstance(unit, TextUnit):
                slot: Slot | None = "body" if body_free else None
                body_free = False
                frames.append(self.text_frame(unit, k, ctx, rect, region, slot, len(page)))
            elif isinstance(unit, ColumnsUnit):
                frames += self.column_frames(unit, k, ctx, rect)
            elif isinstance(unit, TableUnit):
                frames += self.table_frames(unit, k, ctx, rect)
            elif isinstance(unit, BoxUnit):
                frames.append(self.box_frame(unit, k, ctx, rect))
            elif isinstance(unit, ImageUnit):
                frames += self.image_frames(unit, k, ctx, rect, height)
            y += h + emu(GAP)
        return frames, layout

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
        n = len(unit.headings)
        gap = emu(ctx.columns_gap)
        width = (rect.w - gap * (n - 1)) // n
        frames: list[Frame] = []
        for i in range(n):
            texts = tuple(unit.column_texts(k, ctx, i))
            box = Rect(rect.x + i * (width + gap), rect.y, width, rect.h)
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

    def box_frame(self, unit: BoxUnit, k: int, ctx: Ctx, rect: Rect) -> BoxFrame:
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
        return BoxFrame(
            rect, texts, unit.fill, unit.tone, name="Quote" if unit.fill is None else "Call-out"
        )

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


def _demote_statement(unit: Unit, k: int, ctx: Ctx, usable: float) -> Unit:
    """A statement too long for one slide is set as ordinary body text instead."""
    if isinstance(unit, TextUnit) and unit.statement and unit.height(k, ctx) > usable:
        return TextUnit([replace(p, role="body") for p in unit.paras])
    return unit


def _unit_text(unit: Unit) -> str:
    if isinstance(unit, TextUnit) and unit.paras:
        return unit.paras[0].plain
    if isinstance(unit, TableUnit):
        return " | ".join(unit.header)
    return type(unit).__name__
