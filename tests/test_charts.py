"""The chart block: what the loader accepts and refuses (with the line), how numbers are
written, and the series colours `themes --check` holds every theme to."""

from __future__ import annotations

import textwrap

import pytest
from conftest import twinpress, write

from pipeline.charts import Chart, Series, chart_data_texts, chart_texts, data_table
from pipeline.errors import ContentError
from pipeline.loader import load_document
from pipeline.numbers import excel_format, format_number, plain
from pipeline.themes import available, load_theme

HEAD = "title: Charts\ndate: 2026-11-24\nsections:\n  - id: a\n    title: A\n    blocks:\n"


def source(body: str) -> str:
    return HEAD + textwrap.indent(textwrap.dedent(body), " " * 6)


def problems(project, body: str) -> list[str]:
    path = write(project, "c.yaml", source(body))
    with pytest.raises(ContentError) as caught:
        load_document(path, project)
    return [str(d) for d in caught.value.diagnostics]


GOOD = """\
- chart:
    type: column
    title: Teams using each language
    alt: Rust grows every quarter.
    categories: [Q1, Q2, Q3]
    series:
      - {name: Rust, values: [12, 18.5, null]}
      - {name: Go, values: [30, -3, 35]}
    y_title: Teams
    unit: ms
    source: Survey
"""


def test_a_valid_chart_loads_with_its_data_as_written(project):
    document = load_document(write(project, "c.yaml", source(GOOD)), project)
    chart = document.sections[0].blocks[0]
    assert isinstance(chart, Chart)
    assert chart.series == (Series("Rust", (12.0, 18.5, None)), Series("Go", (30.0, -3.0, 35.0)))
    assert chart.categories == ("Q1", "Q2", "Q3") and chart.places == 1
    assert chart_texts(chart) == (
        "Teams using each language", "Teams", "Q1", "Q2", "Q3", "Rust", "Go", "Survey",
    )  # fmt: skip
    assert chart_data_texts(chart) == ("Rust: 12 18.5", "Go: 30 -3 35")


@pytest.mark.parametrize(
    ("body", "where", "expected"),
    [
        (GOOD.replace("type: column", "type: colum"), "8:17", "did you mean 'column'?"),
        (GOOD.replace("    alt: Rust grows every quarter.\n", ""), "8:11",
         "missing required key 'alt'"),
        (GOOD.replace("[30, -3, 35]", "[30, -3]"), "14:34", "has 2 values but the chart has 3"),
        (GOOD.replace("18.5", '"18.5 ms"'), "13:41", "must be a number, not text"),
        (GOOD.replace("18.5", ".inf"), "13:41", "must be a finite number"),
        (GOOD.replace("[12, 18.5, null]", "[]"), "13:36", "has no 'values'"),
        (GOOD.replace("series:\n", "series: []\n").split("      - {")[0], "12:19",
         "'series' needs at least 1 item"),
        (GOOD.replace("name: Go", "name: Rust"), "14:22", "series name 'Rust' is used twice"),
        (GOOD.replace("[Q1, Q2, Q3]", "[Q1, Q1, Q3]"), "11:28", "category 'Q1' is used twice"),
        (GOOD.replace("values: [30, -3, 35]", "points: [[1, 2]]"), "14:34",
         "'points' are for scatter charts"),
        (GOOD.replace("type: column", "type: scatter"), "11:23",
         "a scatter chart plots [x, y] points and takes no 'categories'"),
        (GOOD.replace("type: column", "type: pie"), "13:13", "a pie chart shows one series"),
        (GOOD.replace("unit: ms", 'unit: "ms\\""'), "16:17", "'unit' value"),
        (GOOD.replace("unit: ms", "decimals: 9"), "16:21", "'decimals' must be between 0 and 6"),
        (GOOD.replace("    title: Teams using each language\n", ""), "8:11",
         "missing required key 'title'"),
    ],
    ids=[
        "unknown-type", "no-alt", "length", "text-value", "infinite", "empty-values",
        "no-series", "duplicate-series", "duplicate-category", "points-in-column",
        "scatter-with-categories", "pie-with-two-series", "quote-in-unit", "decimals",
        "no-title",
    ],
)  # fmt: skip
def test_chart_mistakes_are_located_errors(project, body, where, expected):
    found = problems(project, body)
    assert any(f"c.yaml:{where}:" in p and expected in p for p in found), found


def test_scatter_points_must_be_pairs_and_pie_values_not_negative(project):
    scatter = """\
    - chart:
        type: scatter
        title: XY
        alt: Points.
        series:
          - {name: S, points: [[1, 2], [1, 2, 3]]}
          - {name: T, values: [1, 2]}
    """
    found = problems(project, scatter)
    assert any("12:42:" in p and "exactly 2 items" in p and "[x, y]" in p for p in found), found
    pie = """\
    - chart:
        type: pie
        title: Share
        alt: Shares.
        x_title: nope
        categories: [A, B, C]
        series:
          - {name: S, values: [-1, null, 2]}
    """
    found = problems(project, pie)
    assert any("11:11:" in p and "no axes, so no 'x_title'" in p for p in found), found
    assert any("14:34:" in p and "0 or more, not -1" in p for p in found), found
    assert any("14:38:" in p and "0 or more, not null" in p for p in found), found


def test_a_bad_chart_is_reported_by_the_command_line_without_a_traceback(project):
    write(project, "c.yaml", source(GOOD.replace("[30, -3, 35]", "[30, nope, 35]")))
    result = twinpress("check", "content/c.yaml", cwd=project.root)
    assert result.returncode == 1
    assert "content/c.yaml:14:39: error: 'item 2 of 'values'' must be a number" in result.stderr
    assert "hint: write a plain number" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("value", "places", "unit", "language", "expected"),
    [
        (1234.5, 1, "ms", "en", "1,234.5 ms"),
        (1234.5, 1, "ms", "de", "1.234,5 ms"),
        (-12, 0, "$", "en", "-$12"),
        (2.5, 0, None, "en", "3"),  # half away from zero, as Excel rounds
        (-0.04, 1, None, "en", "0.0"),  # no minus sign on a value that rounds to zero
        (45, 0, "%", "en", "45%"),
        (-1234.5, 1, None, "sv", "−1\u00a0234,5"),  # Swedish minus sign and grouping
    ],
)
def test_numbers_are_written_as_the_documents_language_writes_them(
    value, places, unit, language, expected
):
    assert format_number(value, places, unit, language) == expected


def test_the_decks_number_formats_quote_the_unit():
    assert excel_format(1, "ms") == '#,##0.0" ms"'
    assert excel_format(0, "€") == '"€"#,##0'
    assert excel_format(2, "%") == '#,##0.00"%"'  # a bare % would multiply by 100
    assert excel_format(0, None) == "#,##0"
    assert [plain(v) for v in (12.0, 18.5, -0.25, 1e20)] == ["12", "18.5", "-0.25", "1e+20"]


def test_the_data_table_has_a_row_per_category_and_a_column_per_series():
    chart = Chart(
        "bar",
        "T",
        "alt",
        (Series("A", (1.0, None)), Series("B", (2.5, 3.0))),
        ("x", "y"),
        y_title="Service",
        unit="ms",
    )
    assert data_table(chart, "en") == (
        ("Service", "A", "B"),
        [("x", "1.0 ms", "2.5 ms"), ("y", "—", "3.0 ms")],
    )


def test_every_shipped_theme_has_distinct_series_colours_that_contrast(shipped_project):
    from pipeline.contrast import distinct

    for name in available(shipped_project):
        theme = load_theme(name, shipped_project)
        assert len(theme.colors.series) >= 8 and len(theme.paper_colors.series) >= 8
        far = distinct(theme)
        assert far and all(d.ok for d in far), [d.line() for d in far if not d.ok]


def test_series_colours_too_alike_or_too_faint_fail_the_theme_check(project):
    folder = project.themes / "faded"
    folder.mkdir()
    colours = [
        "#1E4FA0",
        "#2050A0",
        "#EEEEEE",
        "#0B7F73",
        "#8E3FAD",
        "#B8245A",
        "#5E7A12",
        "#9C6500",
    ]
    (folder / "theme.yaml").write_text(
        "description: Faded.\nextends: base\ncolors:\n  series: ["
        + ", ".join(f'"{c}"' for c in colours)
        + "]\n"
    )
    result = twinpress("themes", "--check", "faded", cwd=project.root)
    assert result.returncode == 1
    assert "FAIL  1.16:1 (min 3) deck, screen and paper: series 3 #EEEEEE on background" in (
        result.stdout
    )
    assert "FAIL   0.3 ΔE00 (min 20) deck, screen and paper: series 1 #1E4FA0 next to " in (
        result.stdout
    )
    # Told apart with normal vision, not with deuteranopia: the check simulates it.
    assert (
        "FAIL   3.8 ΔE00 (min 10) deck, screen and paper: series 7 #5E7A12 next to series 8 "
        "#9C6500 - deuteranopia" in result.stdout
    )
    few = project.themes / "few"
    few.mkdir()
    (few / "theme.yaml").write_text(
        'description: Few.\nextends: base\ncolors:\n  series: ["#1E4FA0", "#C2540A"]\n'
    )
    result = twinpress("themes", "few", cwd=project.root)
    assert result.returncode == 1 and "'series' needs at least 8 items, has 2" in result.stderr
