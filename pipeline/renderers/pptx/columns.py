"""Columns as a unit: a comparison's columns, or parallel sub-sections side by side.

Each column is a heading and its paragraphs, drawn as a card (or a tile, with a height of
its own); an optional title above the cards (a comparison's) moves with them, so it never
ends one slide with its columns on the next. Split across slides, every column goes on
with at least its first item, and a continuation shows only the columns that go on,
across the whole width: no empty boxes.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import chain

from .slideplan import CARD_INSETS, Text
from .style import Copy
from .units import Ctx, Split, TextUnit, Unit, fit_paras, taller_than

TITLE_GAP = 4.0  # points between a comparison's title and its cards


@dataclass
class ColumnsUnit(Unit):
    """Columns side by side: each a heading and its items; a title above them."""

    headings: list[Copy]
    items: list[list[Copy]]
    title: Copy | None = None
    floor: float = 0.0  # points the cards take at least (tiles of an agenda)

    def col_width(self, ctx: Ctx) -> float:
        n = len(self.headings)
        return (ctx.width - ctx.columns_gap * (n - 1)) / n

    def column_texts(self, k: int, ctx: Ctx, i: int) -> list[Text]:
        return [ctx.style.text(p, k) for p in [self.headings[i], *self.items[i]]]

    def title_texts(self, k: int, ctx: Ctx) -> list[Text]:
        return [ctx.style.text(self.title, k)] if self.title is not None else []

    def title_height(self, k: int, ctx: Ctx) -> float:
        """Points the title takes above the cards, with the gap below it."""
        if self.title is None:
            return 0.0
        return ctx.style.height(self.title_texts(k, ctx), ctx.width) + TITLE_GAP

    def cards_height(self, k: int, ctx: Ctx) -> float:
        w = self.col_width(ctx)
        return max(
            self.floor,
            *(
                ctx.style.height(self.column_texts(k, ctx, i), w, CARD_INSETS)
                for i in range(len(self.headings))
            ),
        )

    def height(self, k: int, ctx: Ctx) -> float:
        return self.title_height(k, ctx) + self.cards_height(k, ctx)

    def height_within(self, k: int, ctx: Ctx, room: float) -> float | None:
        cards = room - self.title_height(k, ctx)
        w = self.col_width(ctx)
        for heading, items in zip(self.headings, self.items):
            if taller_than(chain((heading,), items), k, ctx, w, CARD_INSETS, cards):
                return None
        return self.height(k, ctx)

    def split(self, k: int, ctx: Ctx, room: float, forced: bool) -> Split:
        w = self.col_width(ctx)
        cards = room - self.title_height(k, ctx)
        head = ColumnsUnit([], [], self.title)
        tail = ColumnsUnit([], [])
        for heading, items in zip(self.headings, self.items):
            cut = fit_paras([heading, *items], k, ctx, w, CARD_INSETS, cards, False)
            taken, rest = cut if cut else ([], [heading, *items])
            if len(taken) > 1 or (taken and not items):  # the heading with its first item
                head.headings.append(heading)
                head.items.append(taken[1:])
                if rest:
                    tail.headings.append(heading)
                    tail.items.append(rest)
            else:
                tail.headings.append(heading)
                tail.items.append(items)
        # Every column goes on with at least its first item, or the columns wait for a
        # slide of their own: a comparison is read across.
        if len(head.headings) == len(self.headings) and head.height(k, ctx) <= room:
            return head, tail if tail.headings else None
        if not forced:
            return None, self
        first, rest_unit = self._split_first_items(k, ctx, cards)
        if first is not None and first.height(k, ctx) <= room:
            return first, rest_unit
        # Headings too tall for side-by-side columns: stack the columns as one text flow.
        return TextUnit(self.stacked()).split(k, ctx, room, forced)

    def stacked(self) -> list[Copy]:
        title = [self.title] if self.title is not None else []
        return title + [
            p for heading, items in zip(self.headings, self.items) for p in (heading, *items)
        ]

    def _split_first_items(
        self, k: int, ctx: Ctx, room: float
    ) -> tuple[ColumnsUnit | None, ColumnsUnit | None]:
        """Every column's first item is taller than a slide: cut each at a word."""
        w = self.col_width(ctx)
        head = ColumnsUnit([], [], self.title)
        tail = ColumnsUnit([], [])
        for heading, items in zip(self.headings, self.items):
            head_h = ctx.style.height([ctx.style.text(heading, k)], w, CARD_INSETS)
            if not items:
                head.headings.append(heading)
                head.items.append([])
                continue
            cut = fit_paras(items[:1], k, ctx, w, CARD_INSETS, room - head_h, True)
            if cut is None:
                return None, self
            head.headings.append(heading)
            head.items.append(cut[0])
            if cut[1] or items[1:]:
                tail.headings.append(heading)
                tail.items.append(cut[1] + items[1:])
        return head, tail if tail.headings else None
