"""A built deck's text, read back with python-pptx for `twinpress verify`: slide by slide,
the title first, then every shape, table cell and the speaker notes; a chart as its title,
axis titles, categories, series names, and each series' values as data."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE
from pptx.enum.shapes import MSO_SHAPE_TYPE

from ...numbers import plain
from ..contract import Part, ReadBack
from .ooxml.charts import x_values

SCATTER = {
    XL_CHART_TYPE.XY_SCATTER,
    XL_CHART_TYPE.XY_SCATTER_LINES,
    XL_CHART_TYPE.XY_SCATTER_LINES_NO_MARKERS,
    XL_CHART_TYPE.XY_SCATTER_SMOOTH,
    XL_CHART_TYPE.XY_SCATTER_SMOOTH_NO_MARKERS,
}


def read_deck(path: Path) -> ReadBack:
    parts = []
    for number, slide in enumerate(Presentation(str(path)).slides, 1):
        title = slide.shapes.title
        texts = [title.text_frame.text] if title is not None and title.has_text_frame else []
        texts += [t for shape in slide.shapes if shape is not title for t in _shape_texts(shape)]
        if slide.has_notes_slide:
            texts.append(slide.notes_slide.notes_text_frame.text)
        parts.append(Part(number, "\n".join(texts)))
    return ReadBack(tuple(parts), whole_units=True, data=True)


def _shape_texts(shape: Any) -> list[str]:
    if shape.shape_type == MSO_SHAPE_TYPE.GROUP:
        return [t for child in shape.shapes for t in _shape_texts(child)]
    if getattr(shape, "has_chart", False) and shape.has_chart:
        return _chart_texts(shape.chart)
    if getattr(shape, "has_table", False) and shape.has_table:
        return [cell.text for row in shape.table.rows for cell in row.cells]
    if getattr(shape, "has_text_frame", False) and shape.has_text_frame:
        return [shape.text_frame.text]
    return []


def _chart_texts(chart: Any) -> list[str]:
    """What the chart part holds, as the chart's own XML and workbook cache say."""
    texts = [chart.chart_title.text_frame.text] if chart.has_title else []
    for axis in ("category_axis", "value_axis"):
        with contextlib.suppress(ValueError):  # pie and doughnut charts have no axes
            found = getattr(chart, axis)
            if found.has_title:
                texts.append(found.axis_title.text_frame.text)
    plot = chart.plots[0]
    scatter = chart.chart_type in SCATTER
    if not scatter:
        texts += [str(label) for label in plot.categories]
    for series in plot.series:
        if scatter:
            pairs = zip(x_values(series), series.values)
            numbers = [n for x, y in pairs if x is not None and y is not None for n in (x, y)]
        else:
            numbers = [v for v in series.values if v is not None]
        texts.append(series.name)
        texts.append(f"{series.name}: " + " ".join(plain(n) for n in numbers))
    return texts
