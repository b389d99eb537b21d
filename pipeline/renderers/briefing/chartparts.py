"""The parts of a briefing chart on matplotlib axes: bars, stacks, lines, slices, points,
their labels, and the sizes that keep every label clear of the others.

Category labels are measured with the theme's font: they stay level when they fit their
slot, wrap onto up to three lines when that makes them fit, and otherwise turn 45 or 90
degrees (smaller when even that is too tight); the figure grows by what they take, so
the plot keeps its size. Values printed on bars turn upright when wider than the bar.
Imported only when a document has a chart (it imports matplotlib).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from matplotlib.font_manager import FontProperties
from matplotlib.textpath import TextToPath
from matplotlib.ticker import Formatter, MaxNLocator

from ...charts import BAR_SPAN, Chart, labels_fit, segment_fits
from ...colors import readable_on
from ...numbers import decimals_of, format_number

# The deck's marker shapes in the same order (pptx/chartdraw.py MARKERS).
MARKERS = ("o", "s", "^", "D", "x", "*", "+", "_")
MIN_SIZE = 5.5  # points: the smallest category label
_TEXT = TextToPath()


@dataclass(frozen=True)
class ChartStyle:
    """What a briefing's charts are drawn with: the medium's colours, the body font, sizes."""

    series: tuple[str, ...]
    text: str
    muted: str  # tick labels
    grid: str  # gridlines and axis lines
    background: str  # lines between slices
    family: str  # measured with
    faces: tuple[tuple[str, frozenset[int]], ...]  # SVG text's faces and what each draws
    files: tuple[Path, ...]  # the body family's font files
    size: float  # points: labels, ticks and legend
    width: float  # points: the column the chart fills
    height: float  # points: the tallest a chart may be (a page, less its titles)
    language: str


class Parts:
    """Draws one chart's parts and says how tall its figure must be."""

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
        props = FontProperties(family=self.style.family, size=size)
        cover = self.style.faces[0][1]
        return max(
            _TEXT.get_text_width_height_descent(line, props, ismath=False)[0]
            # A character the body face lacks (an emoji) is drawn by another: count an em.
            + size * sum(1 for c in line if cover and ord(c) not in cover and not c.isspace())
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
        reach = self.style.height * 0.3  # the longest a turned label's line may be
        label_size = max(MIN_SIZE, min(size, slot / (0.85 if angle == 45 else 1.3)))
        turned = [self._wrap(t, reach, label_size) for t in texts]
        lines = max(t.count("\n") + 1 for t in turned)
        if angle == 90 and lines > 1:  # several lines side by side must fit the slot too
            label_size = max(MIN_SIZE, min(label_size, slot / (1.3 * lines)))
        longest = max(self.measure(t, label_size) for t in turned)
        extent = longest * math.sin(math.radians(angle)) + label_size * 1.3 * lines
        return Labels(turned, angle, label_size, extent)

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

    # -- drawing -------------------------------------------------------------------------

    def draw(self, axes: Any) -> list[Any]:
        """Draw the chart on `axes`; return the legend's handles."""
        chart = self.chart
        if chart.round:
            return self._slices(axes)
        handles = self._points(axes) if chart.scatter else self._categories(axes)
        self._value_axis(axes)
        if chart.x_title:
            axes.set_xlabel(chart.x_title)
        if chart.y_title:
            axes.set_ylabel(chart.y_title)
        return handles

    def declutter(self, axes: Any) -> None:
        """After layout, hide any printed value that would touch an axis label or a value
        kept before it (points close together, thin slices): the data table and the deck
        still carry every number."""
        figure = axes.get_figure()
        figure.draw_without_rendering()
        ticks = [*axes.get_xticklabels(), *axes.get_yticklabels()]
        kept = [t.get_window_extent() for t in ticks if t.get_visible() and t.get_text()]
        for label in self.values:
            if not label.get_text():
                continue
            box = label.get_window_extent().padded(1.0)
            if any(box.overlaps(other) for other in kept):
                label.set_visible(False)
            else:
                kept.append(box)

    def number(self, value: float) -> str:
        chart = self.chart
        return format_number(value, chart.places, chart.unit, self.style.language)

    def _categories(self, axes: Any) -> list[Any]:
        chart, style = self.chart, self.style
        count, n = len(chart.categories), len(chart.series)
        x = np.arange(count, dtype=float)
        positive, negative = np.zeros(count), np.zeros(count)
        handles = []
        bar = axes.barh if chart.horizontal else axes.bar
        for i, series in enumerate(chart.series):
            values = np.array([np.nan if v is None else v for v in series.values], dtype=float)
            color = style.series[i]
            if chart.type == "line":
                (line,) = axes.plot(x, values, color=color, linewidth=2.0, marker=MARKERS[i])
                line.set_markersize(5.5)
                handles.append(line)
                self._line_labels(axes, x, values)
                continue
            if chart.stacked:
                filled = np.nan_to_num(values)
                base = np.where(filled >= 0, positive, negative)
                bars = bar(x, filled, BAR_SPAN * 0.75, base, color=color, linewidth=0)
                positive += np.where(filled >= 0, filled, 0)
                negative += np.where(filled < 0, filled, 0)
            else:
                thick = BAR_SPAN / n
                offset = (i - (n - 1) / 2) * thick
                bars = bar(x + offset, values, thick * 0.92, color=color, linewidth=0)
            handles.append(bars)
            if self.show:
                self._bar_labels(axes, bars, values, color)
        self._category_axis(axes, x)
        return handles

    def _category_axis(self, axes: Any, x: Any) -> None:
        chart, labels = self.chart, self.labels
        if chart.horizontal:
            axes.set_yticks(x, labels.texts, fontsize=labels.size)
            axes.set_ylim(len(x) - 0.5, -0.5)  # the first category on top, as listed
            axes.spines["bottom"].set_visible(False)
            return
        axes.set_xticks(x, labels.texts)
        axes.set_xlim(-0.5, len(x) - 0.5)
        axes.spines["left"].set_visible(False)
        if labels.angle:
            for tick in axes.get_xticklabels():
                tick.set_rotation(labels.angle)
                tick.set_fontsize(labels.size)
                tick.set_ha("right" if labels.angle == 45 else "center")
                tick.set_rotation_mode("anchor" if labels.angle == 45 else "default")

    def _value_axis(self, axes: Any) -> None:
        chart, style = self.chart, self.style
        ticks = Ticks(chart.places, chart.unit, style.language)
        values = axes.xaxis if chart.horizontal else axes.yaxis
        values.set_major_formatter(ticks)
        if chart.horizontal or chart.scatter:  # numbers side by side: as many as fit
            axes.xaxis.set_major_locator(MaxNLocator(self._tick_count()))
        axes.grid(True, axis="both" if chart.scatter else "x" if chart.horizontal else "y")
        if chart.scatter:
            axes.xaxis.set_major_formatter(Ticks(chart.x_places, None, style.language))
            return
        lowest = min((v for s in chart.series for v in s.values if v is not None), default=0)
        if lowest < 0:
            zero = axes.axvline if chart.horizontal else axes.axhline
            zero(0, color=style.muted, linewidth=0.8)
        elif chart.type == "line":  # values are measured from zero, as in the deck
            axes.set_ylim(bottom=0)

    def _tick_count(self) -> int:
        """How many numbers fit side by side along the plot's width."""
        chart = self.chart
        values = [v for s in chart.series for v in s.values if v is not None]
        if chart.scatter:
            values = [x for s in chart.series for x, _ in s.points]
            places, unit = chart.x_places, None
        else:
            places, unit = chart.places, chart.unit
        span = max(map(abs, values), default=1.0)
        widest = max(
            self.measure(format_number(v, places + 1, unit, self.style.language))
            for v in (span, -span)
        )
        return max(2, min(9, int(self.plot[0] / (widest * 1.5))))

    def _bar_labels(self, axes: Any, bars: Any, values: Any, color: str) -> None:
        chart, style = self.chart, self.style
        texts = ["" if math.isnan(v) else self.number(v) for v in values]
        if chart.stacked:  # inside the segments, on those tall enough to hold one
            along = self.plot[0] if chart.horizontal else self.plot[1]
            texts = [
                t if t and segment_fits(chart, v, along, style.size) else ""
                for t, v in zip(texts, values)
            ]
            self.values += axes.bar_label(
                bars, texts, label_type="center", color=label_ink(color, style)
            )
            return
        count = len(chart.categories) * len(chart.series)
        across = self.plot[0] / count * BAR_SPAN
        upright = not chart.horizontal and max(map(self.measure, texts), default=0) > across
        self.values += axes.bar_label(
            bars, texts, padding=2, color=style.text, rotation=90 if upright else 0
        )
        axes.margins(**{"x" if chart.horizontal else "y": 0.12})

    def _line_labels(self, axes: Any, x: Any, values: Any) -> None:
        if not self.show:
            return
        for xi, yi in zip(x, values):
            if not math.isnan(yi):
                self.values.append(axes.annotate(
                    self.number(yi), (xi, yi), xytext=(0, 6), textcoords="offset points",
                    ha="center", color=self.style.text,
                ))  # fmt: skip
        axes.margins(y=0.12)

    def _points(self, axes: Any) -> list[Any]:
        chart, style = self.chart, self.style
        handles = []
        for i, series in enumerate(chart.series):
            xs, ys = zip(*series.points)
            handles.append(
                axes.scatter(xs, ys, s=36, color=style.series[i], marker=MARKERS[i], zorder=3)
            )
            if chart.show_labels:
                for xi, yi in series.points:
                    self.values.append(axes.annotate(
                        self.number(yi), (xi, yi), xytext=(5, 0), textcoords="offset points",
                        va="center", color=style.text,
                    ))  # fmt: skip
        return handles

    def _slices(self, axes: Any) -> list[Any]:
        chart, style = self.chart, self.style
        values = [v or 0.0 for v in chart.series[0].values]
        colors = style.series[: len(values)]
        ring = chart.type == "doughnut"
        props = {"linewidth": 1.5, "edgecolor": style.background, "width": 0.5 if ring else 1}
        wedges, *_ = axes.pie(
            values, colors=colors, startangle=90, counterclock=False, wedgeprops=props
        )
        axes.set_aspect("equal")
        if chart.show_labels:
            for wedge, value, color in zip(wedges, values, colors):
                if not value:
                    continue
                angle = math.radians((wedge.theta1 + wedge.theta2) / 2)
                radius = 0.75 if ring else 1.14
                x, y = radius * math.cos(angle), radius * math.sin(angle)
                ha = "center" if ring else ("left" if x >= 0 else "right")
                ink = label_ink(color, style) if ring else style.text
                self.values.append(
                    axes.text(x, y, self.number(value), ha=ha, va="center", color=ink)
                )
        return list(wedges)


@dataclass(frozen=True)
class Labels:
    """Category labels as drawn: their text (maybe wrapped), angle, size, and the height
    they take under the plot."""

    texts: list[str]
    angle: float = 0.0
    size: float = 0.0
    extent: float = 0.0


class Ticks(Formatter):
    """Axis numbers in the chart's format, with more decimals only where the ticks need
    them: ticks 0, 2.5, 5 of whole-number data print '2.5', not '3'."""

    def __init__(self, places: int, unit: str | None, language: str) -> None:
        self.places, self.unit, self.language = places, unit, language
        self.digits = places

    def set_locs(self, locs: list[float]) -> None:
        super().set_locs(locs)
        self.digits = max(self.places, decimals_of(float(f"{v:.10g}") for v in locs))

    def __call__(self, x: float, pos: int | None = None) -> str:
        return format_number(x, self.digits, self.unit, self.language) if math.isfinite(x) else ""


def label_ink(fill: str, style: ChartStyle) -> str:
    """Text printed on a bar or slice: the theme's text or background, whichever reads."""
    return readable_on(fill, style.text, style.background)
