"""Drawing a ChartFrame as a native PowerPoint chart, with python-pptx's chart API.

The data goes into the chart's embedded workbook (CategoryChartData or XyChartData), so
PowerPoint's "Edit Data" opens it in a spreadsheet; colours, fonts and sizes come from the
frame, which the planner made from the theme. PowerPoint lays the chart out itself: title
on top, legend at the bottom, axis labels that it rotates or thins when they would collide.
What python-pptx has no API for (positive axis ids, no chart-area fill, the value axis of a
bar chart, a reproducible workbook, alt text) is in ooxml/charts.py.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pptx.chart.data import CategoryChartData, XyChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import (
    XL_CHART_TYPE,
    XL_LABEL_POSITION,
    XL_LEGEND_POSITION,
    XL_TICK_LABEL_POSITION,
    XL_TICK_MARK,
)
from pptx.enum.chart import XL_MARKER_STYLE as MARKER
from pptx.util import Pt

from ...colors import rgb
from .ooxml import charts as xml
from .slideplan import ChartFrame

TYPES = {
    "column": XL_CHART_TYPE.COLUMN_CLUSTERED,
    "bar": XL_CHART_TYPE.BAR_CLUSTERED,
    "stacked-column": XL_CHART_TYPE.COLUMN_STACKED,
    "stacked-bar": XL_CHART_TYPE.BAR_STACKED,
    "line": XL_CHART_TYPE.LINE_MARKERS,
    "pie": XL_CHART_TYPE.PIE,
    "doughnut": XL_CHART_TYPE.DOUGHNUT,
    "scatter": XL_CHART_TYPE.XY_SCATTER,
}
# Line and scatter series differ in shape as well as colour (WCAG 1.4.1); the briefing's
# charts use the same shapes in the same order (briefing/chartsvg.py).
MARKERS = (
    MARKER.CIRCLE,
    MARKER.SQUARE,
    MARKER.TRIANGLE,
    MARKER.DIAMOND,
    MARKER.X,
    MARKER.STAR,
    MARKER.PLUS,
    MARKER.DASH,
)
LABEL_POSITIONS = {
    "column": XL_LABEL_POSITION.OUTSIDE_END,
    "bar": XL_LABEL_POSITION.OUTSIDE_END,
    "stacked-column": XL_LABEL_POSITION.CENTER,
    "stacked-bar": XL_LABEL_POSITION.CENTER,
    "line": XL_LABEL_POSITION.ABOVE,
    "pie": XL_LABEL_POSITION.OUTSIDE_END,
    "scatter": XL_LABEL_POSITION.RIGHT,
}
# python-pptx's chart data and colour classes carry no annotations: typed as Any once here.
CategoryData: Any = CategoryChartData
XyData: Any = XyChartData
Rgb: Any = RGBColor
LINE_WIDTH = Pt(2.25)
GRID_WIDTH = Pt(0.75)


def add_chart(
    slide: Any, frame: ChartFrame, body_font: str, heading_font: str, when: dt.datetime
) -> Any:
    """The chart as a graphic frame on the slide; its workbook is dated `when`."""
    chart = frame.chart
    r = frame.rect
    graphic = slide.shapes.add_chart(TYPES[chart.type], r.x, r.y, r.w, r.h, _data(frame))
    graphic.name = frame.name
    native = graphic.chart
    _text(native, frame, body_font)
    _title(native, frame, heading_font)
    _legend(native, frame)
    if chart.round:
        _slices(native, frame)
    else:
        _series(native, frame)
        _axes(native, frame)
    if frame.labels:
        _labels(native, frame)
    xml.finish(graphic, chart.alt, when)
    return graphic


def _data(frame: ChartFrame) -> Any:
    chart = frame.chart
    if chart.scatter:
        xy = XyData(number_format=frame.number_format)
        for series in chart.series:
            added = xy.add_series(series.name, number_format=frame.number_format)
            for x, y in series.points:
                added.add_data_point(x, y)
        return xy
    data = CategoryData(number_format=frame.number_format)
    data.categories = list(chart.categories)
    for series in chart.series:
        data.add_series(series.name, list(series.values))
    return data


def _rgb(color: str) -> Any:
    return Rgb(*rgb(color))


def _font(font: Any, size: float, color: str, family: str | None = None) -> None:
    font.size = Pt(size)
    font.color.rgb = _rgb(color)
    if family:
        font.name = family


def _text(native: Any, frame: ChartFrame, family: str) -> None:
    _font(native.font, frame.size, frame.text, family)


def _title(native: Any, frame: ChartFrame, family: str) -> None:
    native.has_title = True
    text_frame = native.chart_title.text_frame
    text_frame.text = frame.chart.title
    for paragraph in text_frame.paragraphs:
        for run in paragraph.runs:
            _font(run.font, frame.title_size, frame.text, family)
            run.font.bold = True


def _legend(native: Any, frame: ChartFrame) -> None:
    native.has_legend = frame.chart.legend
    if frame.chart.legend:
        native.legend.position = XL_LEGEND_POSITION.BOTTOM
        native.legend.include_in_layout = False
        _font(native.legend.font, frame.size, frame.text)


def _series(native: Any, frame: ChartFrame) -> None:
    chart = frame.chart
    plot = native.plots[0]
    plot.vary_by_categories = False
    if chart.type in ("column", "bar"):
        plot.gap_width, plot.overlap = 60, -5
    elif chart.stacked:
        plot.gap_width = 60
    for n, series in enumerate(native.series):
        color = frame.colors[n]
        if chart.type in ("line", "scatter"):
            line = series.format.line
            if chart.scatter:
                line.fill.background()
            else:
                line.color.rgb, line.width = _rgb(color), LINE_WIDTH
            series.smooth = False
            marker = series.marker
            marker.style, marker.size = MARKERS[n % len(MARKERS)], 7
            marker.format.fill.solid()
            marker.format.fill.fore_color.rgb = _rgb(color)
            marker.format.line.color.rgb = _rgb(color)
        else:
            series.invert_if_negative = False
            series.format.fill.solid()
            series.format.fill.fore_color.rgb = _rgb(color)
            series.format.line.fill.background()


def _slices(native: Any, frame: ChartFrame) -> None:
    plot = native.plots[0]
    plot.vary_by_categories = True
    for n, point in enumerate(native.series[0].points):
        point.format.fill.solid()
        point.format.fill.fore_color.rgb = _rgb(frame.colors[n])
        point.format.line.color.rgb = _rgb(frame.background)
        point.format.line.width = Pt(1.5)


def _axes(native: Any, frame: ChartFrame) -> None:
    chart = frame.chart
    category, value = native.category_axis, native.value_axis
    category_title, value_title = chart.category_title, chart.value_title
    for axis, title in ((category, category_title), (value, value_title)):
        axis.format.line.color.rgb = _rgb(frame.grid)
        axis.major_tick_mark = XL_TICK_MARK.NONE
        axis.minor_tick_mark = XL_TICK_MARK.NONE
        _font(axis.tick_labels.font, frame.size, frame.muted)
        if title:
            axis.has_title = True
            axis.axis_title.text_frame.text = title
            for paragraph in axis.axis_title.text_frame.paragraphs:
                for run in paragraph.runs:
                    _font(run.font, frame.size, frame.text)
    value.has_major_gridlines = True
    grid = value.major_gridlines.format.line
    grid.color.rgb, grid.width = _rgb(frame.grid), GRID_WIDTH
    value.format.line.fill.background()
    value.tick_labels.number_format = frame.number_format
    value.tick_labels.number_format_is_linked = False
    if chart.scatter:
        category.tick_labels.number_format = frame.x_format
        category.tick_labels.number_format_is_linked = False
        # Both axes are labelled at the corner where they meet: two trailing spaces keep
        # the y axis's lowest label clear of the x axis's first one.
        value.tick_labels.number_format = frame.number_format + '"  "'
    if any(v < 0 for s in chart.series for v in s.values if v is not None):
        # Category labels at the plot's edge, clear of the bars that reach below zero.
        category.tick_label_position = XL_TICK_LABEL_POSITION.LOW
    if chart.horizontal:  # read top to bottom, as the source lists them
        category.reverse_order = True
        xml.value_axis_at_bottom(native)


def _labels(native: Any, frame: ChartFrame) -> None:
    chart = frame.chart
    if chart.scatter:
        for series in native.series:
            xml.scatter_labels(series, frame.number_format, frame.size, frame.text)
        return
    plot = native.plots[0]
    plot.has_data_labels = True
    labels = plot.data_labels
    labels.number_format = frame.number_format
    labels.number_format_is_linked = False
    labels.show_value = True
    position = LABEL_POSITIONS.get(chart.type)
    if position is not None:
        labels.position = position
    _font(labels.font, frame.size, frame.text)
    if chart.stacked:  # labels sit on the bars: each series' in the ink its colour needs
        for n, series in enumerate(native.series):
            series_labels = series.data_labels
            series_labels.number_format = frame.number_format
            series_labels.number_format_is_linked = False
            series_labels.show_value = True
            series_labels.position = XL_LABEL_POSITION.CENTER
            _font(series_labels.font, frame.size, frame.ink[n])
        for n, point in frame.hidden:
            xml.hide_label(native.series[n], point)
    elif chart.type == "doughnut":  # on the ring: each slice's in its own ink
        for n, point in enumerate(native.series[0].points):
            label = point.data_label
            label.has_text_frame = False
            _font(label.font, frame.size, frame.ink[n])
