"""The `chart` block: one block of data that the deck draws as a native, editable chart and
the briefing as vector graphics, and the facts about it every output agrees on.

A chart is categories and series of values (column, bar, their stacked forms, line, pie,
doughnut), or series of [x, y] points (scatter). Which texts a chart shows, how many
decimals its numbers get and whether it prints its values are decided here once, so the
deck, the briefing, Markdown and `verify` never disagree. The loader's checks of the data
itself (lengths, signs, duplicates) are in chartcheck.py.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import ClassVar, Literal

from .errors import SourceLocation
from .fields import derived_field as _derived
from .fields import doc, text
from .fields import loc_field as _loc
from .fields import tags_field as _tags
from .numbers import decimals_of, format_number, number_sample, plain

ChartType = Literal[
    "column", "bar", "stacked-column", "stacked-bar", "line", "pie", "doughnut", "scatter"
]
ROUND: tuple[ChartType, ...] = ("pie", "doughnut")
STACKED: tuple[ChartType, ...] = ("stacked-column", "stacked-bar")
HORIZONTAL: tuple[ChartType, ...] = ("bar", "stacked-bar")
MAX_SERIES = 8  # a theme has at least as many series colours (tokens.py)
MAX_SLICES = 8  # a pie or doughnut colours each category: as many as the series colours
MAX_CATEGORIES = 50
AUTO_LABELS = 12  # bar charts print their values when they have at most this many
BAR_SPAN = 0.8  # of a category's slot its bars take
LINE_HEIGHT = 1.3  # a label's height, in sizes
# Units are written into an Excel format code as a quoted literal: no quotes or escapes.
UNIT_PATTERN = r'^[^"\\\n]{1,12}$'
POINT_HINT = "write each point as [x, y]: two numbers"
VALUE_HINT = "write a plain number such as 12.5 (the unit goes in 'unit:'), or null for none"


@dataclass(frozen=True, slots=True)
class Series:
    """One named series: a value per category, or [x, y] points in a scatter chart."""

    name: str = field(metadata=text("The series name, shown in the legend."))
    values: tuple[float | None, ...] = field(
        default=(),
        metadata=doc(
            "One number per category, in order; null where there is no value.",
            item_hint=VALUE_HINT,
        ),
    )
    points: tuple[tuple[float, float], ...] = field(
        default=(),
        metadata=doc("Scatter charts only: the points as [x, y] pairs.", item_hint=POINT_HINT),
    )
    loc: SourceLocation | None = _loc()


@dataclass(frozen=True, slots=True)
class Chart:
    """A chart of data: native and editable in the deck, vector graphics in the briefing."""

    type: ChartType = field(metadata=doc("The kind of chart."))
    title: str = field(metadata=text("What the chart shows, printed above it."))
    alt: str = field(
        metadata=doc("What the chart shows and what it finds, for screen readers.", min_length=1)
    )
    series: tuple[Series, ...] = field(
        metadata=doc("The data series.", min_items=1, max_items=MAX_SERIES)
    )
    categories: tuple[str, ...] = field(
        default=(),
        metadata=doc(
            "Category labels in order, one per value (every chart but scatter).",
            max_items=MAX_CATEGORIES,
        ),
    )
    x_title: str | None = field(
        default=None, metadata=doc("Title of the horizontal axis (not for pie or doughnut).")
    )
    y_title: str | None = field(
        default=None, metadata=doc("Title of the vertical axis (not for pie or doughnut).")
    )
    unit: str | None = field(
        default=None,
        metadata=doc(
            "Unit of the values: a currency symbol is written before the number ($12), "
            "% and ‰ right after it (45%), anything else after a space (12 ms).",
            pattern=UNIT_PATTERN,
        ),
    )
    decimals: int | None = field(
        default=None,
        metadata=doc(
            "Digits after the decimal point; unset: as many as the values have (at most 3).",
            minimum=0,
            maximum=6,
        ),
    )
    labels: bool | None = field(
        default=None,
        metadata=doc(
            "Print every value on its bar, slice or point; unset: pie and doughnut charts "
            f"do, column and bar charts of up to {AUTO_LABELS} values do."
        ),
    )
    source: str | None = field(
        default=None, metadata=doc("Where the data comes from, printed under the chart.")
    )
    tags: frozenset[str] = _tags()
    derived: bool = _derived()
    loc: SourceLocation | None = _loc()
    kind: ClassVar[str] = "chart"
    shorthand: ClassVar[str] = ""

    @property
    def scatter(self) -> bool:
        return self.type == "scatter"

    @property
    def round(self) -> bool:
        """Pie and doughnut: one series, a colour per category, no axes."""
        return self.type in ROUND

    @property
    def stacked(self) -> bool:
        return self.type in STACKED

    @property
    def horizontal(self) -> bool:
        """Bars run left to right: the categories are on the vertical axis."""
        return self.type in HORIZONTAL

    @property
    def legend(self) -> bool:
        """A legend names the series (two or more), or a pie's and doughnut's categories."""
        return self.round or len(self.series) > 1

    @property
    def show_labels(self) -> bool:
        if self.labels is not None:
            return self.labels
        if self.round:
            return True
        count = len(self.categories) * len(self.series)
        return self.type in ("column", "bar") and count <= AUTO_LABELS

    @property
    def category_title(self) -> str | None:
        """The title of the axis the categories (or a scatter's x values) are on."""
        return self.y_title if self.horizontal else self.x_title

    @property
    def value_title(self) -> str | None:
        return self.x_title if self.horizontal else self.y_title

    @property
    def places(self) -> int:
        """Digits after the decimal point in every printed value (a scatter's y values)."""
        if self.decimals is not None:
            return self.decimals
        if self.scatter:
            return decimals_of(y for s in self.series for _, y in s.points)
        return decimals_of(v for s in self.series for v in numbers_of(s))

    @property
    def x_places(self) -> int:
        """A scatter's x values: as many digits as they are written with, and no unit."""
        return decimals_of(x for s in self.series for x, _ in s.points)


def numbers_of(series: Series) -> list[float]:
    """Every number of a series: its values, or its points' x and y."""
    if series.points:
        return [n for point in series.points for n in point]
    return [v for v in series.values if v is not None]


def chart_texts(chart: Chart) -> tuple[str, ...]:
    """The texts every output shows: title, axis titles, categories, the names the legend
    lists, the source (the numbers are data: see chart_data_texts)."""
    texts = [chart.title, *(t for t in (chart.x_title, chart.y_title) if t)]
    if not chart.scatter:
        texts += chart.categories
    if chart.legend and not chart.round:
        texts += [s.name for s in chart.series]
    if chart.source:
        texts.append(chart.source)
    return tuple(texts)


def chart_anchor_texts(chart: Chart) -> tuple[str, ...]:
    """The texts that tell this chart from another: its title and source."""
    return (chart.title, *((chart.source,) if chart.source else ()))


def chart_data_texts(chart: Chart) -> tuple[str, ...]:
    """Each series as one line of its name and values, locale-free: 'Go: 12 18.5 20'."""
    return tuple(f"{s.name}: " + " ".join(plain(v) for v in numbers_of(s)) for s in chart.series)


def data_table(chart: Chart, language: str) -> tuple[tuple[str, ...], list[tuple[str, ...]]]:
    """The chart's numbers as a table (header, rows) in the document's language: a row per
    category and a column per series, or a row per scatter point."""

    def number(value: float | None) -> str:
        return "—" if value is None else format_number(value, chart.places, chart.unit, language)

    if chart.scatter:
        header: tuple[str, ...] = ("", chart.x_title or "x", chart.y_title or "y")
        rows: list[tuple[str, ...]] = [
            (s.name, format_number(x, chart.x_places, None, language), number(y))
            for s in chart.series
            for x, y in s.points
        ]
        return header, rows
    header = (chart.category_title or "", *(s.name for s in chart.series))
    rows = [
        (category, *(number(s.values[i]) for s in chart.series))
        for i, category in enumerate(chart.categories)
    ]
    return header, rows


def labels_fit(
    chart: Chart, plot: tuple[float, float], size: float, measure: Callable[[str], float]
) -> bool:
    """Whether the values printed on the chart keep clear of each other in a plot area of
    `plot` (width, height) points, with labels `size` points tall and `measure` wide.

    Both outputs ask with their own fonts and sizes, so neither prints labels that would
    run into each other: a column's label must fit across its column (or, turned upright,
    a column must be as wide as a line is tall), a bar's along its bar, a line's between
    two points. Pie slices and scatter points are labelled as asked.
    """
    if not chart.show_labels:
        return False
    if chart.round or chart.scatter:
        return True
    width, height = plot
    widest = max((measure(t) for t in value_texts(chart)), default=0.0)
    line = size * LINE_HEIGHT
    count = len(chart.categories) * (1 if chart.stacked else len(chart.series))
    if chart.type == "line":
        return widest <= width / len(chart.categories) * 0.95
    if chart.horizontal:
        return line <= height / count * BAR_SPAN
    across = width / count * BAR_SPAN * (0.75 if chart.stacked else 1.0)
    return widest <= across or (not chart.stacked and line <= across)


def segment_fits(chart: Chart, value: float, plot_height: float, size: float) -> bool:
    """A stacked segment is tall enough to carry its label (the axis estimated as 110 % of
    the tallest stack)."""
    stacks = [
        sum(abs(v) for v in values if v is not None)
        for values in zip(*(s.values for s in chart.series))
    ]
    top = max(stacks, default=0.0) * 1.1 or 1.0
    return abs(value) / top * plot_height >= size * LINE_HEIGHT


def value_texts(chart: Chart, language: str = "en") -> list[str]:
    """Every value as the chart prints it."""
    return [
        format_number(v, chart.places, chart.unit, language)
        for s in chart.series
        for v in ([y for _, y in s.points] if chart.scatter else s.values)
        if v is not None
    ]


def chart_glyph_texts(chart: Chart, language: str) -> tuple[str, ...]:
    """Text a chart prints beyond chart_texts: series names, and the characters of its
    numbers in the document's language (its unit, separators, minus sign)."""
    return (*(s.name for s in chart.series), number_sample(chart.places, chart.unit, language))
