"""What a briefing template sees of a chart: its title, its SVG, its source, its data table.

`ChartPainter` is made once per render with the medium's colours and the page's column
width; it draws each chart when the templates' context is built, importing matplotlib only
then, so a document without charts never loads it (nor one whose charts an earlier build
drew: `store`). Each chart's SVG ids start with its own
number on the page.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import TYPE_CHECKING

from markupsafe import Markup

from ...charts import Chart, data_table

if TYPE_CHECKING:
    from ...tokens import Colors, Theme


class ChartPainter:
    """Draws the charts of one briefing in one medium."""

    def __init__(
        self,
        theme: Theme,
        colors: Colors,
        box: tuple[float, float],
        fonts: tuple[tuple[str, frozenset[int]], ...],
        language: str,
        tables: bool,
        made: dict[str, bytes],
    ) -> None:
        self.theme, self.colors = theme, colors
        self.width, self.height = box  # points: the column's width, the tallest chart
        self.fonts = fonts or ((theme.fonts.body.family, frozenset()),)
        self.language, self.tables = language, tables
        self.made = made  # charts drawn anew (not found in the store)
        self.count = 0

    def __call__(self, chart: Chart) -> SimpleNamespace:
        from .chartstyle import ChartStyle
        from .chartsvg import chart_svg

        self.count += 1
        c, body = self.colors, self.theme.fonts.body
        style = ChartStyle(
            series=c.series,
            text=c.text,
            muted=c.muted,
            grid=c.border,
            background=c.background,
            family=body.family,
            faces=self.fonts,
            files=tuple(body.files().values()),
            size=max(self.theme.type.print.small, 8.0),
            width=self.width,
            height=self.height,
            language=self.language,
        )
        svg = chart_svg(chart, style, f"chart{self.count}", self.made)
        header, rows = data_table(chart, self.language) if self.tables else ((), [])
        return SimpleNamespace(
            type=chart.type,
            title=chart.title,
            alt=chart.alt,
            # Written by matplotlib from validated data, then parsed and serialised again
            # by svgclean (text escaped, only drawing elements kept): the one chart value
            # templates print unescaped.
            svg=Markup(svg),
            source=chart.source,
            table_header=header,
            table_rows=tuple(rows),
            derived=chart.derived,
            tags=tuple(sorted(chart.tags)),
        )
