"""Fitting fixed texts into fixed boxes: titles (smaller, then cut with an ellipsis), the
cover subtitle and divider leads (shrunk), the running footer (one line), kickers."""

from __future__ import annotations

from dataclasses import replace

from ...errors import Diagnostic, RenderError, SourceLocation
from ...scripts import direction
from ...tokens import Theme
from .geometry import Geometry, Rect, emu, pt
from .measure import HEIGHT_SAFETY, Box, fits, frame_height, measured_width, wrap
from .slideplan import BODY_INSETS, Span, Text, TextFrame
from .style import Style


class Fitter:
    """Sizes the slides' fixed texts for one theme and base deck."""

    def __init__(self, theme: Theme, geometry: Geometry, style: Style) -> None:
        self.theme, self.geo, self.style = theme, geometry, style
        self.colors = theme.colors
        self.loc: SourceLocation | None = None  # where a problem is reported

    def fit_footer(self, text: str) -> tuple[str, float]:
        """The running footer on one line of its box: smaller, then shortened with an ellipsis."""
        rect, deck, c = self.geo.footer, self.style.deck, self.colors
        if rect is None or not text:
            return text, deck.small
        box = Box(pt(rect.w), pt(rect.h), BODY_INSETS)

        def ok(candidate: str, size: float) -> bool:
            para = self.style.para(Text((Span(candidate),), size, c.muted, 1.0))
            return fits([para], box) and len(wrap(para.segments, size, measured_width(box))) == 1

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
            sized = [
                replace(t, size=round(t.size * scale, 1), after=t.after * scale) for t in texts
            ]
            if fits([self.style.para(t) for t in sized], box):
                return sized
            scale -= 0.05
        raise too_long(self.loc, texts[0].plain if texts else "", "the box it belongs in")

    def cut_to(self, texts: list[Text], rect: Rect, floor: float = 0.3) -> list[Text]:
        """At the smallest size, keep the longest start of the first paragraph, plus '…'."""
        box = Box(pt(rect.w), pt(rect.h), BODY_INSETS)
        sized = [replace(t, size=round(t.size * floor, 1), after=t.after * floor) for t in texts]
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
        return TextFrame(
            Rect(target.x, target.y - h - emu(2), target.w, h), (para,), anchor="b", name="Kicker"
        )

    def fit_title(
        self, text: str, rect: Rect, largest: float, smallest: float
    ) -> tuple[tuple[Text, ...], Rect]:
        """The title at the largest size that fits its box in two lines; else grow the box."""
        c = self.colors
        box = Box(pt(rect.w), pt(rect.h), BODY_INSETS)
        size = largest
        rtl = direction(text) == "rtl"
        while True:
            span = Span(text, role="heading", bold=True)
            para = Text((span,), size, c.primary, 0.9, rtl=rtl)
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
            # Grown downwards, unless that would pass the slide's foot (a layout whose
            # title sits low, like Office's Section Header): then it grows upwards.
            rect = rect.with_(h=need, y=min(rect.y, max(0, self.geo.floor - need)))
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
    return RenderError(
        [
            Diagnostic(
                "error",
                "pptx.too-long",
                f"text is too long to fit {where} even at the smallest size: {text[:80]!r}",
                loc,
                "shorten it or split it into several blocks",
            )
        ]
    )
