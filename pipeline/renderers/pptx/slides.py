"""Setting units onto slides: the scale for a topic, pagination, frames, titles and kickers.

The planner decides what a topic holds; `SlideSetter` finds the largest scale at which the
topic needs the fewest slides, splits its units across continuation slides titled
"<title> (cont.)", and places every frame in the layout's body area.
"""

from __future__ import annotations

from dataclasses import replace

from ...errors import Diagnostic, RenderError, SourceLocation
from ...model import Section
from ...tokens import Theme
from .geometry import Geometry, Rect, emu, pt
from .measure import HEIGHT_SAFETY, WIDTH_SAFETY, Box, fits, frame_height, wrap
from .measure import width as measure
from .slideplan import (BODY_INSETS, CARD_INSETS, CELL_INSETS, BoxFrame, Frame, Layout,
                        PictureFrame, SlidePlan, Slot, Span, TableFrame, Text, TextFrame)
from .style import Copy, Style
from .tables import TableUnit
from .units import BoxUnit, ColumnsUnit, Ctx, ImageUnit, TextUnit, Unit

GAP = 16.0                 # points between stacked units
Page = list[tuple[Unit, float]]   # the units on one slide, with the height each takes


class SlideSetter:
    """Places units and titles on slides for one theme and base deck."""

    def __init__(self, theme: Theme, geometry: Geometry, style: Style) -> None:
        self.theme, self.geo, self.style = theme, geometry, style
        self.colors = theme.colors
        self.loc: SourceLocation | None = None   # where a problem is reported
        self.footer, self.footer_size = "", style.deck.small

    def fit_footer(self, text: str) -> tuple[str, float]:
        """The running footer on one line of its box: smaller, then shortened with an ellipsis."""
        rect, deck, c = self.geo.footer, self.style.deck, self.colors
        if rect is None or not text:
            return text, deck.small
        box = Box(pt(rect.w), pt(rect.h), BODY_INSETS)

        def ok(candidate: str, size: float) -> bool:
            para = self.style.para(Text((Span(candidate),), size, c.muted, 1.0))
            return fits([para], box) and len(wrap(para.segments, size, box.inner_width
                                                  * WIDTH_SAFETY)) == 1

        size = deck.small
        while size > 7 and not ok(text, size):
            size -= 0.5
        while len(text) > 1 and not ok(text, size):
            text = text[: max(1, int(len(text) * 0.9))].rstrip() + "…"
            text = text.replace("……", "…")
        return text, size

    def shrink_to(self, texts: list[Text], rect: Rect, floor: float = 0.3) -> list[Text]:
        """Shrink a few fixed paragraphs (cover subtitle, divider lead) until they fit."""
        box = Box(pt(rect.w), pt(rect.h), BODY_INSETS)
        scale = 1.0
        while scale > floor - 1e-9:
            sized = [replace(t, size=round(t.size * scale, 1), after=t.after * scale)
                     for t in texts]
            if fits([self.style.para(t) for t in sized], box):
                return sized
            scale -= 0.05
        raise too_long(self.loc, texts[0].plain if texts else "", "the box it belongs in")

    def cut_to(self, texts: list[Text], rect: Rect, floor: float = 0.3) -> list[Text]:
        """At the smallest size, keep the longest start of the first paragraph, plus '…'."""
        box = Box(pt(rect.w), pt(rect.h), BODY_INSETS)
        sized = [replace(t, size=round(t.size * floor, 1), after=t.after * floor)
                 for t in texts]
        first = sized[0]
        words = first.plain.split(" ")

        def cut(n: int) -> list[Text]:
            span = replace(first.spans[0], text=" ".join(words[:n]).rstrip() + "…")
            return [replace(first, spans=(span,)), *sized[1:]]

        low, high = 0, len(words)
        while low < high:
            mid = (low + high + 1) // 2
            if fits([self.style.para(t) for t in cut(mid)], box):
                low = mid
            else:
                high = mid - 1
        return cut(low)

    def topic_slides(self, title: str, kicker: str | None, units: list[Unit], notes: str,
                     section: Section | None, link: str | None = None) -> list[SlidePlan]:
        geo, deck = self.geo, self.style.deck
        longest = f"{title} (cont. 99)"
        _, probe = self.fit_title(longest, geo.title, deck.heading, deck.min_body + 4)
        top = max(geo.body.y, probe.bottom + emu(10))
        region = Rect(geo.body.x, top, geo.body.w, geo.body.bottom - top)
        ctx = Ctx(self.style, pt(region.w), pt(geo.columns[1].x - geo.columns[0].right))
        k, pages = self._choose_scale(units, ctx, pt(region.h))
        plans: list[SlidePlan] = []
        for n, page in enumerate(pages):
            name = title if n == 0 else f"{title} (cont.)" if n == 1 else f"{title} (cont. {n})"
            title_texts, title_rect = self.fit_title(name, geo.title, deck.heading,
                                                     deck.min_body + 4, link=link)
            frames, layout = self.place(page, k, ctx, region)
            page_notes = notes if n == 0 else f"Continued: {title}.\n\n{notes}".strip()
            plans.append(SlidePlan(layout, name, title_texts, title_rect, tuple(frames),
                                   kicker=self.kicker(kicker), notes=page_notes or name,
                                   section=section.id if section else None,
                                   footer_text=self.footer, footer_size=self.footer_size))
        return plans

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
        queue = [_demote_statement(u, k, ctx, usable) for u in units]
        while queue:
            unit = queue.pop(0)
            gap = GAP if pages[-1] else 0.0
            need = unit.height(k, ctx)
            if gap + need <= left:
                pages[-1].append((unit, need))
                left -= gap + need
                continue
            head, tail = unit.split(k, ctx, left - gap, forced=not pages[-1])
            if head is not None:
                pages[-1].append((head, head.height(k, ctx)))
                if tail is not None:
                    queue.insert(0, tail)
                pages.append([])
                left = usable
            elif pages[-1]:
                pages.append([])
                left = usable
                queue.insert(0, unit)
            else:
                raise too_long(self.loc, _unit_text(unit), "a whole slide")
        return [p for p in pages if p]

    def place(self, page: Page, k: int, ctx: Ctx, region: Rect) -> tuple[list[Frame], Layout]:
        """Stack a page's units top to bottom in the region and pick the layout."""
        frames: list[Frame] = []
        y = region.y
        has_columns = any(isinstance(u, ColumnsUnit) for u, _ in page)
        layout: Layout = "two_content" if has_columns else (
            "content" if isinstance(page[0][0], TextUnit) else "title_only")
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

    def text_frame(self, unit: TextUnit, k: int, ctx: Ctx, rect: Rect, region: Rect,
                   slot: Slot | None, count: int) -> TextFrame:
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
            frames.append(TextFrame(box, texts, slot,
                                    fill=self.colors.surface, insets=CARD_INSETS,
                                    name=f"Column {i + 1}"))
        return frames

    def table_frames(self, unit: TableUnit, k: int, ctx: Ctx, rect: Rect) -> list[Frame]:
        widths = unit.widths(k, ctx)
        emu_w = [emu(w) for w in widths]
        emu_w[-1] = rect.w - sum(emu_w[:-1])
        rows = [unit.header, *unit.rows]
        cells = tuple(tuple((t,) for t in unit.cell_texts(row, r == 0, k, ctx))
                      for r, row in enumerate(rows))
        heights = tuple(emu(unit.row_height(row, r == 0, k, ctx, widths) / HEIGHT_SAFETY)
                        for r, row in enumerate(rows))
        c = self.colors
        table_rect = Rect(rect.x, rect.y, rect.w, sum(heights))
        frames: list[Frame] = [TableFrame(table_rect, tuple(emu_w), heights, cells, c.primary,
                                          c.table_stripe, c.background, c.border)]
        if unit.caption:
            text = ctx.style.text(Copy("caption", (Span(unit.caption, italic=True),)), k)
            h = emu(ctx.style.height([text], ctx.width) / HEIGHT_SAFETY)
            frames.append(TextFrame(Rect(rect.x, table_rect.bottom + emu(6), rect.w, h),
                                    (text,), name="Caption"))
        return frames

    def box_frame(self, unit: BoxUnit, k: int, ctx: Ctx, rect: Rect) -> BoxFrame:
        texts = tuple(unit.texts(k, ctx))
        link = next((s.link for t in texts for s in t.spans if s.link), None)
        if link:  # the call to action's button: a compact filled box, not a call-out
            label = texts[0]
            face = ctx.style.face("body", True, False)
            w = min(rect.w, emu(max(200.0, measure(face, label.plain, label.size) * 1.1
                                     + CELL_INSETS[0] + CELL_INSETS[1] + 24)))
            return BoxFrame(rect.with_(w=w), texts, unit.fill, unit.tone, CELL_INSETS,
                            "Link button", link)
        return BoxFrame(rect, texts, unit.fill, unit.tone,
                        name="Quote" if unit.fill is None else "Call-out")

    def image_frames(self, unit: ImageUnit, k: int, ctx: Ctx, rect: Rect,
                     height: float) -> list[Frame]:
        caption_h = unit.caption_height(k, ctx)
        room = emu(height - caption_h)
        w = min(rect.w, int(room / unit.aspect))
        h = int(w * unit.aspect)
        x = rect.x + (rect.w - w) // 2
        frames: list[Frame] = [PictureFrame(Rect(x, rect.y, w, h), unit.path, unit.alt)]
        if unit.caption:
            text = replace(ctx.style.text(Copy("caption", (Span(unit.caption, italic=True),)), k),
                           align="ctr")
            frames.append(TextFrame(Rect(rect.x, rect.y + h + emu(4), rect.w,
                                         emu(caption_h / HEIGHT_SAFETY)), (text,),
                                    name="Caption"))
        return frames

    def kicker(self, text: str | None, above: Rect | None = None) -> TextFrame | None:
        """The small accent label over a title (the content title, or `above`)."""
        geo = self.geo
        if not text or not geo.drawn:
            return None
        target = above or geo.title
        deck, c = self.style.deck, self.colors
        size = max(deck.small + 2, 13)
        para = Text((Span(text, bold=True),), size, c.accent, 1.0)
        h = emu(size * 2.0 + BODY_INSETS[2] + BODY_INSETS[3])
        box = Box(pt(target.w), pt(h), BODY_INSETS)
        while not fits([self.style.para(para)], box) and para.size > 8:
            para = replace(para, size=para.size - 1)
        return TextFrame(Rect(target.x, target.y - h - emu(2), target.w, h),
                         (para,), anchor="b", name="Kicker")

    def fit_title(self, text: str, rect: Rect, largest: float, smallest: float,
                  link: str | None = None) -> tuple[tuple[Text, ...], Rect]:
        """The title at the largest size that fits its box in two lines; else grow the box."""
        c = self.colors
        box = Box(pt(rect.w), pt(rect.h), BODY_INSETS)
        size = largest
        while True:
            para = Text((Span(text, role="heading", bold=True, link=link),), size, c.primary,
                        0.9)
            if fits([self.style.para(para)], box) or size <= smallest:
                break
            size -= 1
        need = emu(frame_height([self.style.para(para)], box) / HEIGHT_SAFETY)
        if need > self.geo.height * 0.45:
            # No size fits: show as much as fits, ending in an ellipsis; the drawer puts the
            # whole title in the notes, so no word is lost and nothing overflows.
            para = self._cut_title(para, box)
            need = emu(frame_height([self.style.para(para)], box) / HEIGHT_SAFETY)
        if need > rect.h:
            rect = rect.with_(h=need)
        return (para,), rect

    def _cut_title(self, para: Text, box: Box) -> Text:
        """The longest start of the title, plus '…', within 45 % of the slide's height."""
        limit = pt(int(self.geo.height * 0.45)) * HEIGHT_SAFETY
        text = para.spans[0].text
        low, high = 1, len(text)
        while low < high:
            mid = (low + high + 1) // 2
            trial = replace(para, spans=(replace(para.spans[0], text=text[:mid] + "…"),))
            if frame_height([self.style.para(trial)], box) <= limit:
                low = mid
            else:
                high = mid - 1
        return replace(para, spans=(replace(para.spans[0], text=text[:low].rstrip() + "…"),))


def too_long(loc: SourceLocation | None, text: str, where: str) -> RenderError:
    return RenderError([Diagnostic(
        "error", "pptx.too-long", f"text is too long to fit {where} even at the smallest "
        f"size: {text[:80]!r}", loc, "shorten it or split it into several blocks")])


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
