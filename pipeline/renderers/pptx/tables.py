"""Tables as units: column widths from the text, rows that split across slides."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from .measure import width as measure
from .slideplan import CELL_INSETS, Span, Text
from .style import Copy, Role
from .units import Ctx, Split, Unit, caption_height_of, fit_paras

Row = tuple[str, ...]


@dataclass
class TableUnit(Unit):
    """A table (or the rows of it on one slide), its header repeated on every part."""

    header: Row
    rows: list[Row]
    caption: str | None = None
    first: bool = True
    shared: dict[int, list[float]] = field(default_factory=dict)  # widths per step, all parts

    def widths(self, k: int, ctx: Ctx) -> list[float]:
        """Column widths from the whole table, so its parts line up slide after slide."""
        if k not in self.shared:
            self.shared[k] = _column_widths(self.header, self.rows, ctx, k)
        return self.shared[k]

    def cell_texts(self, row: Sequence[str], header: bool, k: int, ctx: Ctx) -> list[Text]:
        role: Role = "header_cell" if header else "cell"
        return [
            ctx.style.text(Copy(role, (Span(cell, bold=header, color=_muted_dash(cell, ctx)),)), k)
            for cell in row
        ]

    def row_height(
        self, row: Sequence[str], header: bool, k: int, ctx: Ctx, widths: list[float] | None = None
    ) -> float:
        widths = widths or self.widths(k, ctx)
        texts = self.cell_texts(row, header, k, ctx)
        return max(ctx.style.height([t], w, CELL_INSETS) for t, w in zip(texts, widths))

    def caption_height(self, k: int, ctx: Ctx) -> float:
        return caption_height_of(self.caption, k, ctx)

    def height(self, k: int, ctx: Ctx) -> float:
        widths = self.widths(k, ctx)
        rows = sum(self.row_height(r, False, k, ctx, widths) for r in self.rows)
        return (
            self.row_height(self.header, True, k, ctx, widths) + rows + self.caption_height(k, ctx)
        )

    def height_within(self, k: int, ctx: Ctx, room: float) -> float | None:
        widths = self.widths(k, ctx)
        used = self.row_height(self.header, True, k, ctx, widths) + self.caption_height(k, ctx)
        limit = room + 1e-6 * max(1.0, abs(room))
        for row in self.rows:  # only the rows that fit are measured, not the whole rest
            used += self.row_height(row, False, k, ctx, widths)
            if used > limit:
                return None
        return self.height(k, ctx)

    def split(self, k: int, ctx: Ctx, room: float, forced: bool) -> Split:
        widths = self.widths(k, ctx)
        used = self.row_height(self.header, True, k, ctx, widths)
        taken = 0
        for row in self.rows:
            h = self.row_height(row, False, k, ctx, widths)
            if used + h > room:
                break
            used += h
            taken += 1
        if taken == 0 or (taken == 1 and len(self.rows) > 2 and not forced):
            if not forced:
                return None, self
            return self._split_row(k, ctx, room - used, widths)
        head = TableUnit(self.header, self.rows[:taken], None, self.first, self.shared)
        return head, TableUnit(self.header, self.rows[taken:], self.caption, False, self.shared)

    def _split_row(self, k: int, ctx: Ctx, room: float, widths: list[float]) -> Split:
        """One row taller than a slide: its cells continue in a second row."""
        row = self.rows[0]
        heads: list[str] = []
        tails: list[str] = []
        for cell, w in zip(row, widths):
            p = Copy("cell", (Span(cell),))
            cut = fit_paras([p], k, ctx, w, CELL_INSETS, room, True)
            if cut is None or not cut[0]:
                return None, self
            heads.append(cut[0][0].plain)
            tails.append(cut[1][0].plain if cut[1] else "")
        head = TableUnit(self.header, [tuple(heads)], None, self.first, self.shared)
        return head, TableUnit(
            self.header, [tuple(tails), *self.rows[1:]], self.caption, False, self.shared
        )


def _muted_dash(cell: str, ctx: Ctx) -> str | None:
    return ctx.style.colors.muted if cell.strip() in ("—", "–", "-", "") else None


def _column_widths(header: Row, rows: list[Row], ctx: Ctx, k: int) -> list[float]:
    """Widths that give long text room and never squeeze a column below its longest word."""
    style = ctx.style
    size = style.table(k)
    face = style.face("body", False, False)
    bold = style.face("body", True, False)
    pad = CELL_INSETS[0] + CELL_INSETS[1] + 2

    n = len(header)
    min_w = [0.0] * n
    want = [0.0] * n
    for r, row in enumerate([header, *rows]):
        f = bold if r == 0 else face
        for c, cell in enumerate(row):
            longest = max((measure(f, w, size) for w in cell.split()), default=0.0)
            min_w[c] = max(min_w[c], min(longest + pad, ctx.width / n))
            want[c] = max(want[c], measure(f, cell, size) + pad)
    total = ctx.width
    if sum(want) <= total:
        extra = (total - sum(want)) / n
        return [w + extra for w in want]
    base = sum(min_w)
    if base >= total:
        return [total * w / base for w in min_w]
    flex = [max(w - m, 0.0) for w, m in zip(want, min_w)]
    share = (total - base) / (sum(flex) or 1.0)
    return [m + f * share for m, f in zip(min_w, flex)]
