"""Units: what a topic's blocks become before they are stacked onto slides.

A unit measures itself at a shrink step and splits into the largest head that fits a
given room and the rest, at paragraph, item or (for one huge bullet) sentence, word and
character boundaries. Tables (tables.py) and columns (columns.py) are units too. Pictures
and charts take the room they are given, down to a minimum below which they move on.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from itertools import chain
from typing import ClassVar

from ...charts import Chart
from .slideplan import BODY_INSETS, BOX_INSETS, Insets, Span, Text
from .style import LEADS_IN, Copy, Style


class Unit(ABC):
    """Something stacked into a slide's body that can measure itself and split."""

    @abstractmethod
    def height(self, k: int, ctx: Ctx) -> float:
        """Points the unit needs at shrink step k."""

    @abstractmethod
    def split(self, k: int, ctx: Ctx, room: float, forced: bool) -> Split:
        """The largest head that fits `room` points, and the rest; forced: must progress."""

    def height_within(self, k: int, ctx: Ctx, room: float) -> float | None:
        """`height`, or None when the unit certainly needs more than `room` points.

        Long units measure only as much of themselves as fits, so paginating a long list
        costs what each slide holds, not the whole rest of the list once per slide.
        """
        return self.height(k, ctx)


Split = tuple["Unit | None", "Unit | None"]


@dataclass
class Ctx:
    """What units measure against: the style, the body width and the columns' gap (points)."""

    style: Style
    width: float
    columns_gap: float
    # One paragraph's height by (paragraph, step, width, insets): paginating at several
    # scales, splitting and measuring each slide's share measure each paragraph once a step.
    measured: dict[tuple[Copy, int, float, Insets], float] = field(default_factory=dict)

    def stack_height(self, paras: Iterable[Copy], k: int, width: float, insets: Insets) -> float:
        """Points paragraphs stacked in one frame need, insets included: `Style.height`
        of their texts, summed in its order from the paragraphs measured once."""
        return sum(self._measure(p, k, width, insets) for p in paras) + insets[2] + insets[3]

    def para_height(self, p: Copy, k: int, width: float, insets: Insets) -> float:
        """Points one paragraph needs in a frame `width` wide, the frame's insets left out."""
        # Its frame's height less the insets, as it was measured before `stack_height`
        # (the same float operations, so pagination decides as it always did).
        return self.stack_height((p,), k, width, insets) - insets[2] - insets[3]

    def _measure(self, p: Copy, k: int, width: float, insets: Insets) -> float:
        key = (p, k, width, insets)
        found = self.measured.get(key)
        if found is None:
            style = self.style
            found = self.measured[key] = style.para_height(style.text(p, k), width, insets)
        return found


def taller_than(
    paras: Iterable[Copy], k: int, ctx: Ctx, width: float, insets: Insets, room: float
) -> bool:
    """Whether paragraphs stacked in one frame certainly need more than `room` points:
    measured one at a time, stopping at the first that crosses it (with a hair of slack for
    rounding, so a flow that fits exactly is never refused: its height decides)."""
    used = insets[2] + insets[3]
    limit = room + 1e-6 * max(1.0, abs(room))
    for p in paras:
        used += ctx.para_height(p, k, width, insets)
        if used > limit:
            return True
    return False


@dataclass
class TextUnit(Unit):
    """A flow of paragraphs and bullets."""

    paras: list[Copy]
    statement: bool = False

    def texts(self, k: int, ctx: Ctx) -> list[Text]:
        return [ctx.style.text(p, k) for p in self.paras]

    def height(self, k: int, ctx: Ctx) -> float:
        return ctx.stack_height(self.paras, k, ctx.width, BODY_INSETS)

    def height_within(self, k: int, ctx: Ctx, room: float) -> float | None:
        if taller_than(self.paras, k, ctx, ctx.width, BODY_INSETS, room):
            return None
        return self.height(k, ctx)

    def split(self, k: int, ctx: Ctx, room: float, forced: bool) -> Split:
        head = fit_paras(self.paras, k, ctx, ctx.width, BODY_INSETS, room, forced)
        if head is None:
            return None, self
        taken, rest = head
        return TextUnit(taken), TextUnit(rest)


def fit_paras(
    paras: list[Copy], k: int, ctx: Ctx, width: float, insets: Insets, room: float, forced: bool
) -> tuple[list[Copy], list[Copy]] | None:
    """Split paragraphs so the head fits `room`; split one paragraph by words if forced."""
    taken: list[Copy] = []
    used = insets[2] + insets[3]
    for i, p in enumerate(paras):
        need = ctx.para_height(p, k, width, insets)
        if used + need <= room:
            taken.append(p)
            used += need
            continue
        if taken:
            if taken[-1].role in LEADS_IN and len(taken) > 1:  # keep a lead with its list
                return taken[:-1], [taken[-1], *paras[i:]]
            return taken, paras[i:]
        if not forced:
            return None
        pieces = _split_para(p, k, ctx, width, insets, room)
        if pieces is None:
            return None
        return [pieces[0]], [pieces[1], *paras[i + 1 :]]
    return taken, []


_SENTENCE = re.compile(r"(?<=[.!?;:])\s+")


def _split_para(
    p: Copy, k: int, ctx: Ctx, width: float, insets: Insets, room: float
) -> tuple[Copy, Copy] | None:
    """Cut one paragraph: at the last sentence end that fits, else the last word."""
    style = ctx.style
    words = p.plain.split(" ")

    def fits_words(n: int) -> bool:
        head = p.with_text(" ".join(words[:n]))
        return style.height([style.text(head, k)], width, insets) <= room

    lo, hi = 0, len(words) - 1  # largest n < len(words) that fits
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if fits_words(mid):
            lo = mid
        else:
            hi = mid - 1
    if lo == 0:
        return _split_chars(p, k, ctx, width, insets, room)
    head_text = " ".join(words[:lo])
    sentences = [m.end() for m in _SENTENCE.finditer(head_text)]
    if sentences and sentences[-1] > len(head_text) // 2:
        cut = sentences[-1]
        head_text, rest = head_text[:cut].rstrip(), p.plain[cut:].lstrip()
    else:
        rest = " ".join(words[lo:])
    return p.with_text(head_text), p.with_text(rest, cont=True)


def _split_chars(
    p: Copy, k: int, ctx: Ctx, width: float, insets: Insets, room: float
) -> tuple[Copy, Copy] | None:
    """A single word taller than the box (a huge unbroken string): cut by characters."""
    style, text = ctx.style, p.plain
    lo, hi = 0, len(text) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if style.height([style.text(p.with_text(text[:mid]), k)], width, insets) <= room:
            lo = mid
        else:
            hi = mid - 1
    if lo == 0:
        return None
    return p.with_text(text[:lo]), p.with_text(text[lo:], cont=True)


def caption_height_of(caption: str | None, k: int, ctx: Ctx) -> float:
    """Height of a table's or picture's italic caption line(s), with the gap below it."""
    if not caption:
        return 0.0
    text = ctx.style.text(Copy("caption", (Span(caption, italic=True),)), k)
    return ctx.style.height([text], ctx.width) + 6.0


@dataclass
class BoxUnit(Unit):
    """A call-out, verdict or quote: a tinted box with a label and paragraphs."""

    label: Copy | None
    paras: list[Copy]
    tone: str
    fill: str | None
    name: str = "Call-out"  # what the drawn box is called (PowerPoint's selection pane)

    def texts(self, k: int, ctx: Ctx) -> list[Text]:
        texts = [ctx.style.text(p, k) for p in self.paras]
        if self.label is not None:
            label = ctx.style.text(self.label, k)
            texts.insert(0, replace(label, color=self.tone))
        return texts

    def height(self, k: int, ctx: Ctx) -> float:
        lead = (self.label,) if self.label is not None else ()
        return ctx.stack_height(chain(lead, self.paras), k, ctx.width, BOX_INSETS)

    def height_within(self, k: int, ctx: Ctx, room: float) -> float | None:
        lead = (self.label,) if self.label is not None else ()
        if taller_than(chain(lead, self.paras), k, ctx, ctx.width, BOX_INSETS, room):
            return None
        return self.height(k, ctx)

    def split(self, k: int, ctx: Ctx, room: float, forced: bool) -> Split:
        lead: list[Copy] = [self.label] if self.label else []
        cut = fit_paras(lead + self.paras, k, ctx, ctx.width, BOX_INSETS, room, False)
        if cut is not None and len(cut[0]) > len(lead):
            taken, rest = cut
        elif forced:  # even the first paragraph is taller than a slide: cut it at a word
            label = ctx.stack_height(lead, k, ctx.width, BOX_INSETS)
            cut = fit_paras(
                self.paras,
                k,
                ctx,
                ctx.width,
                BOX_INSETS,
                room - label + BOX_INSETS[2] + BOX_INSETS[3] if lead else room,
                True,
            )
            if cut is None or not cut[0]:
                return None, self
            taken, rest = lead + cut[0], cut[1]
        else:
            return None, self
        head = BoxUnit(self.label, taken[len(lead) :], self.tone, self.fill, self.name)
        return head, BoxUnit(None, rest, self.tone, self.fill, self.name)


@dataclass
class ImageUnit(Unit):
    """A picture and its caption, scaled into the room it is given."""

    path: str
    alt: str
    caption: str | None
    aspect: float  # height / width
    room: float | None = None  # the height it was given on its slide

    MIN_HEIGHT: ClassVar[float] = 108.0  # points: below this an image moves to the next slide

    def caption_height(self, k: int, ctx: Ctx) -> float:
        return caption_height_of(self.caption, k, ctx)

    def height(self, k: int, ctx: Ctx) -> float:
        if self.room is not None:
            return self.room
        return min(ctx.width * self.aspect, ctx.width * 0.75) + self.caption_height(k, ctx)

    def split(self, k: int, ctx: Ctx, room: float, forced: bool) -> Split:
        if room - self.caption_height(k, ctx) >= self.MIN_HEIGHT or forced:
            return replace(self, room=room), None
        return None, self


@dataclass
class ChartUnit(Unit):
    """A native chart and its source line, stretched into the room it is given: PowerPoint
    lays out its title, axes, labels and legend inside the box."""

    chart: Chart
    source_label: str = "Source:"  # in the document's language (labels.source)
    room: float | None = None  # the height it was given on its slide

    # Points: the title, axes and legend need about 2.2 in, and each category's bar or
    # label a little more, up to 3 in (a two-bar chart sits beside a summary at 2.5 in).
    MIN_HEIGHT: ClassVar[float] = 160.0
    PER_CATEGORY: ClassVar[float] = 12.0
    MAX_MIN_HEIGHT: ClassVar[float] = 216.0

    @property
    def min_height(self) -> float:
        grown = self.MIN_HEIGHT + self.PER_CATEGORY * len(self.chart.categories)
        return min(grown, self.MAX_MIN_HEIGHT)

    ASPECT: ClassVar[float] = 0.5  # height / width when a slide has room to spare

    def source(self) -> str | None:
        return f"{self.source_label} {self.chart.source}" if self.chart.source else None

    def source_height(self, k: int, ctx: Ctx) -> float:
        return caption_height_of(self.source(), k, ctx)

    def height(self, k: int, ctx: Ctx) -> float:
        if self.room is not None:
            return self.room
        return max(ctx.width * self.ASPECT, self.min_height) + self.source_height(k, ctx)

    def split(self, k: int, ctx: Ctx, room: float, forced: bool) -> Split:
        if room - self.source_height(k, ctx) >= self.min_height or forced:
            return replace(self, room=room), None
        return None, self
