"""The parts of a briefing chart on matplotlib axes: bars, stacks, lines, slices, points,
and their labels, at the sizes chartlayout.Layout measured; after layout, turned labels
settle to the plot's real width and printed values that would touch another label hide.
Values printed on bars turn upright when wider than the bar.
Imported only when a document has a chart (it imports matplotlib).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from matplotlib.ticker import Formatter, MaxNLocator

from ...charts import BAR_SPAN, segment_fits
from ...colors import readable_on
from ...numbers import decimals_of, format_number
from .chartlayout import MIN_SIZE, Layout, across
from .chartstyle import ChartStyle

__all__ = ["ChartStyle", "Parts"]

# The deck's marker shapes in the same order (pptx/chartdraw.py MARKERS).
MARKERS = ("o", "s", "^", "D", "x", "*", "+", "_")


class Parts(Layout):
    """Draws one chart's parts on matplotlib axes, at the sizes Layout measured."""

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

    def settle(self, axes: Any) -> None:
        """After layout, shrink turned labels to the plot's real slot: the layout may have
        narrowed the plot (a long first label reaching left, wide value ticks)."""
        labels, count = self.labels, len(self.chart.categories)
        if not labels.angle or self.chart.horizontal or not count:
            return
        lines = max(t.count("\n") + 1 for t in labels.texts)
        for _ in range(2):  # shrinking widens the plot again; twice is enough
            axes.get_figure().draw_without_rendering()
            slot = axes.get_window_extent().width / count  # points: the figure is at 72 dpi
            size = axes.get_xticklabels()[0].get_fontsize()
            need = across(labels.angle, size, lines)
            if need <= slot or size <= MIN_SIZE:
                return
            for tick in axes.get_xticklabels():
                tick.set_fontsize(max(MIN_SIZE, size * slot / need))

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
