"""How big a briefing chart's parts are: category labels level, wrapped or turned, the
legend's rows, the figure's height, all measured with the theme's font (matplotlib's text
metrics, no drawing). chartparts.Parts draws on top of these sizes.

Category labels stay level when they fit their slot, wrap onto up to three lines when that
makes them fit, and otherwise turn 45 or 90 degrees (smaller when even that is too tight);
the figure grows by what they take, so the plot keeps its size.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from matplotlib.font_manager import FontProperties
from matplotlib.textpath import TextToPath

from ...charts import Chart, labels_fit
from .chartstyle import ChartStyle

MIN_SIZE = 5.5  # points: the smallest category label
_TEXT = TextToPath()


class Layout:
    """One chart's sizes: its labels, legend and figure height."""

    def __init__(self, chart: Chart, style: ChartStyle) -> None:
        self.chart, self.style = chart, style
        self.values: list[Any] = []  # the printed values' Text artists
        self.labels = self._category_labels()
        self.plot = (self.plot_width(), self.height() * 0.6)
        self.show = labels_fit(chart, self.plot, style.size, self.measure)

    # -- sizes ---------------------------------------------------------------------------

    def measure(self, text: str, size: float | None = None) -> float:
        """Width of the widest line of `text` in the body font, in points."""
        size = size or self.style.size
        cover = self.style.faces[0][1]
        return max(
            width(line, self.style.family, size)
            # A character the body face lacks (an emoji) is drawn by another: count it as
            # wide as a colour emoji (1.3 em), so labels with emoji keep their distance.
            + 1.3 * size * sum(1 for c in line if cover and ord(c) not in cover and not c.isspace())
            for line in text.split("\n")
        )

    def plot_width(self) -> float:
        """About how wide the plot is: the figure less the value labels and axis title."""
        return self.style.width - 6 * self.style.size - (2 * self.style.size)

    def height(self) -> float:
        chart, style = self.chart, self.style
        base = style.width * (0.42 if chart.round else 0.5)
        if chart.horizontal:
            base = max(base, self.labels.extent)
        elif not chart.round and not chart.scatter:
            base += self.labels.extent
        return min(base + self.legend_height(), style.height)

    def legend_height(self) -> float:
        if not self.chart.legend:
            return 0.0
        names = self.legend_names()
        columns = self.legend_columns(names)
        rows = [names[i : i + columns] for i in range(0, len(names), columns)]
        lines = sum(max(n.count("\n") + 1 for n in row) for row in rows)
        return (lines * 1.25 + len(rows) * 0.3) * self.style.size

    def legend_columns(self, names: Sequence[str] | None = None) -> int:
        names = list(names or self.legend_names())
        widest = max((self.measure(n) for n in names), default=0.0) + 2.9 * self.style.size
        return max(1, min(len(names), int(self.style.width * 0.95 // widest)))

    def _legend_names(self) -> list[str]:
        chart = self.chart
        return list(chart.categories) if chart.round else [s.name for s in chart.series]

    def _category_labels(self) -> Labels:
        """Level, wrapped, or turned: whatever keeps neighbouring labels apart."""
        chart, size = self.chart, self.style.size
        texts = list(chart.categories)
        if chart.round or chart.scatter or not texts:
            return Labels(texts)
        if chart.horizontal:
            return self._side_labels(texts)
        slot = self.plot_width() / len(texts)
        if max(self.measure(t) for t in texts) <= slot * 0.9:
            return Labels(texts, extent=size * 1.4)
        wrapped = [self._wrap(t, slot * 0.9, size) for t in texts]
        lines = max(w.count("\n") + 1 for w in wrapped)
        if lines <= 3 and max(self.measure(w) for w in wrapped) <= slot * 0.9:
            return Labels(wrapped, extent=size * 1.25 * lines)
        angle = 45.0 if slot >= size * 2.0 else 90.0
        label_size, turned = self._turned(texts, slot, angle)
        lines = max(t.count("\n") + 1 for t in turned)
        longest = max(self.measure(t, label_size) for t in turned)
        extent = longest * math.sin(math.radians(angle)) + label_size * 1.3 * lines
        return Labels(turned, angle, label_size, extent)

    def _turned(self, texts: list[str], slot: float, angle: float) -> tuple[float, list[str]]:
        """The size and lines of turned labels: they shrink and re-wrap, then get a
        longer reach, until their lines fit beside each other (_across)."""

        def fits(size: float, lines: int) -> bool:
            return across(angle, size, lines) <= slot

        start = max(MIN_SIZE, min(self.style.size, slot / across(angle, 1.0, 1)))
        for share in (0.3, 0.45, 0.6):  # the longest a turned label's line may be
            size = start
            while True:
                turned = [self._wrap(t, self.style.height * share, size) for t in texts]
                lines = max(t.count("\n") + 1 for t in turned)
                if fits(size, lines) or size <= MIN_SIZE:
                    break
                size = max(MIN_SIZE, size * 0.9)
            if fits(size, lines):
                break
        return size, turned

    def _side_labels(self, texts: list[str]) -> Labels:
        """A bar chart's labels beside its bars: wrapped to a third of the width (wider
        when that makes too many lines), smaller when the categories would make the chart
        taller than a page."""
        chart, size = self.chart, self.style.size
        bars = 1.0 if chart.stacked else max(1.0, len(chart.series) * 0.6)
        room = self.style.height - 8 * size - self.legend_height()
        for share in (0.3, 0.45, 0.6):
            wrapped = [self._wrap(t, self.style.width * share, size) for t in texts]
            lines = max(w.count("\n") + 1 for w in wrapped)
            fitted = room / (len(texts) * bars * (1.25 * lines + 0.9))
            if fitted >= MIN_SIZE:
                break
        label_size = max(MIN_SIZE, min(size, fitted))
        slot = label_size * (1.25 * lines + 0.9) * bars
        return Labels(wrapped, 0.0, label_size, len(texts) * slot + 5 * size)

    def _wrap(self, text: str, width: float, size: float) -> str:
        """`text` in lines no wider than `width`, broken at spaces, and inside a word only
        when the word alone is wider (a URL, a long compound)."""
        lines: list[str] = []
        for word in text.split():
            if lines and self.measure(f"{lines[-1]} {word}", size) <= width:
                lines[-1] = f"{lines[-1]} {word}"
                continue
            while self.measure(word, size) > width and len(word) > 1:
                cut = len(word) - 1
                while cut > 1 and self.measure(word[:cut], size) > width:
                    cut = max(1, cut * 3 // 4) if cut > 8 else cut - 1
                lines.append(word[:cut])
                word = word[cut:]
            lines.append(word)
        return "\n".join(lines) or text

    def legend_names(self) -> list[str]:
        """What the legend lists, wrapped to under half the width."""
        return [
            self._wrap(n, self.style.width * 0.45, self.style.size) for n in self._legend_names()
        ]


@functools.lru_cache(maxsize=16384)
def width(line: str, family: str, size: float) -> float:
    """A line's width in points: wrapping measures the same words many times over."""
    props = FontProperties(family=family, size=size)
    return float(_TEXT.get_text_width_height_descent(line, props, ismath=False)[0])


def across(angle: float, size: float, lines: int) -> float:
    """How much of a category's slot turned labels of `lines` lines take: their lines
    stack across their direction, towards the neighbour's, a line step (1.4 em) apart; at
    45 degrees the room across is the slot times sin 45, so each takes 1.41 times more."""
    first, extra = (1.45, 2.0) if angle == 45 else (1.3, 1.45)
    return size * (first + extra * (lines - 1))


@dataclass(frozen=True)
class Labels:
    """Category labels as drawn: their text (maybe wrapped), angle, size, and the height
    they take under the plot."""

    texts: list[str]
    angle: float = 0.0
    size: float = 0.0
    extent: float = 0.0
