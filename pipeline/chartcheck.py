"""The loader's checks of a chart's data, each problem reported at the line that has it.

The decoder has checked the shapes and types (numbers, [x, y] pairs, a known chart type);
these are the rules that need the chart as a whole: one value per category, points only in
scatter charts, one series of non-negative values in a pie, unique names.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .charts import MAX_SLICES, Chart, Series
from .decode import MISSING, Decoder
from .errors import SourceLocation
from .numbers import plain
from .yamlsource import Map, Node, Seq

Problem = tuple[str, str, SourceLocation, str | None]  # code, message, where, hint


def check_chart(chart: Chart, node: Map, dec: Decoder) -> Any:
    """The chart, or MISSING after reporting every problem its data has."""
    problems = list(_problems(chart, node))
    for code, message, where, hint in problems:
        dec.error(code, message, where, hint)
    return MISSING if problems else chart


def _problems(chart: Chart, node: Map) -> Iterator[Problem]:
    series_nodes = _items(node.get("series"))
    pairs = list(zip(chart.series, series_nodes))
    if chart.scatter:
        yield from _scatter(chart, node, pairs)
    else:
        yield from _categories(chart, node, pairs)
    if chart.round:
        yield from _round(chart, node, pairs)
    yield from _duplicates(
        [s.name for s in chart.series], [_at(n, "name") for n in series_nodes], "series name"
    )
    if not chart.scatter:
        places = [n.loc for n in _items(node.get("categories"))]
        yield from _duplicates(list(chart.categories), places, "category")


def _categories(chart: Chart, node: Map, pairs: list[tuple[Series, Node]]) -> Iterator[Problem]:
    count = len(chart.categories)
    if not count:
        yield (
            "chart-data",
            f"a {chart.type} chart needs 'categories', the labels its values belong to",
            node.loc,
            "add 'categories: [...]' with one label per value",
        )
    for series, where in pairs:
        if series.points:
            yield (
                "chart-data",
                f"'points' are for scatter charts; series '{series.name}' of this "
                f"{chart.type} chart needs 'values'",
                _at(where, "points"),
                "give one value per category under 'values', or use 'type: scatter'",
            )
        elif not series.values:
            yield (
                "chart-data",
                f"series '{series.name}' has no 'values'",
                _at(where, "values"),
                "add 'values: [...]' with one number per category",
            )
        elif count and len(series.values) != count:
            yield (
                "chart-shape",
                f"series '{series.name}' has {len(series.values)} value"
                f"{'s' * (len(series.values) != 1)} but the chart has {count} "
                f"categor{'ies' if count != 1 else 'y'}",
                _at(where, "values"),
                "give one value per category, in order (null where there is none)",
            )
        elif all(v is None for v in series.values):
            yield (
                "chart-data",
                f"series '{series.name}' has only empty (null) values",
                _at(where, "values"),
                "give it at least one number, or leave the series out",
            )


def _scatter(chart: Chart, node: Map, pairs: list[tuple[Series, Node]]) -> Iterator[Problem]:
    if chart.categories:
        yield (
            "chart-data",
            "a scatter chart plots [x, y] points and takes no 'categories'",
            _at(node, "categories"),
            "remove 'categories:', or choose a column, bar or line chart",
        )
    for series, where in pairs:
        if not series.points:
            yield (
                "chart-data",
                f"series '{series.name}' of a scatter chart needs 'points'",
                _at(where, "values") if series.values else where.loc,
                "write its points as [x, y] pairs: 'points: [[1, 2.5], [2, 3.1]]'",
            )


def _round(chart: Chart, node: Map, pairs: list[tuple[Series, Node]]) -> Iterator[Problem]:
    if len(chart.series) > 1:
        yield (
            "chart-data",
            f"a {chart.type} chart shows one series, this one has {len(chart.series)}",
            _at(node, "series"),
            "keep one series, or compare series in a column or bar chart",
        )
    if len(chart.categories) > MAX_SLICES:
        yield (
            "chart-data",
            f"a {chart.type} chart can show at most {MAX_SLICES} slices, "
            f"this one has {len(chart.categories)} categories",
            _at(node, "categories"),
            "group the smallest into one 'Other' category, or use a bar chart",
        )
    for key in ("x_title", "y_title"):
        if key in node.items:
            yield (
                "chart-data",
                f"a {chart.type} chart has no axes, so no '{key}'",
                node.keys[key],
                "remove it, or say what the values measure in the title or 'unit'",
            )
    for series, where in pairs[:1]:
        values = _items(where.get("values") if isinstance(where, Map) else None)
        for value, value_node in zip(series.values, values):
            if value is None or value < 0:
                shown = "null" if value is None else plain(value)
                yield (
                    "chart-data",
                    f"a {chart.type} chart's slices need values of 0 or more, not {shown}",
                    value_node.loc,
                    "each slice is a share of the whole: use a bar chart for negative values",
                )
        if series.values and all(v == 0 for v in series.values):
            yield (
                "chart-data",
                f"every value of this {chart.type} chart is 0: it has no slices",
                _at(where, "values"),
                None,
            )


def _duplicates(names: list[str], places: list[SourceLocation], what: str) -> Iterator[Problem]:
    seen: dict[str, SourceLocation] = {}
    for name, where in zip(names, places):
        if name in seen:
            yield (
                "chart-duplicate",
                f"{what} '{name}' is used twice in this chart",
                where,
                f"the first is at line {seen[name].line}; each {what} must be unique",
            )
        else:
            seen[name] = where


def _items(node: Node | None) -> list[Node]:
    return list(node.items) if isinstance(node, Seq) else []


def _at(node: Node, key: str) -> SourceLocation:
    """Where `key` of a mapping node is written (its value), else the node itself."""
    if isinstance(node, Map) and key in node.items:
        return node.items[key].loc
    return node.loc
