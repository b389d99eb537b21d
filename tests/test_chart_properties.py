"""Properties of charts with random data (1 to 50 categories, negative values, gaps, long
labels, every type): the source round-trips through the loader, the deck's chart part holds
exactly the data, the SVG is the same bytes every time and names every label, the PDF's
chart text never overlaps, and an empty series is refused at its line."""

from __future__ import annotations

import io
import os
import shutil
from dataclasses import replace
from xml.etree import ElementTree

import pytest
from conftest import render
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from strategies import SANE_LABEL, charts
from textboxes import overlapping, text_lines

from pipeline.charts import Chart, chart_texts
from pipeline.errors import ContentError
from pipeline.loader import load_document
from pipeline.model import Document, Section
from pipeline.project import Project
from pipeline.serialize import to_yaml
from pipeline.themes import load_theme
from pipeline.verify import norm, verify_output

SVG = "http://www.w3.org/2000/svg"

# A fixed set of examples in CI (derandomized); a soak explores more:
# TWINPRESS_PROPERTY_EXAMPLES=300 pytest tests/test_chart_properties.py
SOAK = os.environ.get("TWINPRESS_PROPERTY_EXAMPLES")
SETTINGS = settings(
    max_examples=int(SOAK or 25),
    deadline=None,
    derandomize=not SOAK,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,
    ],
)


@pytest.fixture(scope="module")
def lab(tmp_path_factory, template_project) -> Project:
    root = tmp_path_factory.mktemp("chart-properties")
    shutil.copytree(template_project, root, dirs_exist_ok=True)
    return Project(root)


def loaded(lab: Project, chart: Chart) -> Chart:
    """The chart written as a source and loaded back, as a user's would be."""
    import datetime as dt

    document = Document("Charts", dt.date(2026, 11, 24), (Section("a", "Data", (chart,)),))
    path = lab.content / "random.yaml"
    path.write_text(to_yaml(document), encoding="utf-8")
    (block,) = load_document(path, lab).sections[0].blocks
    assert isinstance(block, Chart)
    return block


@settings(SETTINGS, max_examples=int(SOAK or 15))
@given(chart=charts())
def test_a_random_chart_round_trips_and_its_deck_part_holds_the_data(lab, chart):
    from pptx import Presentation

    assert loaded(lab, chart) == chart  # locations do not count in equality
    document = load_document(lab.content / "random.yaml", lab)
    theme = load_theme("corporate", lab)  # fonts embedding is not what this is about
    theme = replace(theme, pptx=replace(theme.pptx, embed_fonts=False))
    deck = render("pptx", document, theme).data
    (shape,) = [
        s for slide in Presentation(io.BytesIO(deck)).slides for s in slide.shapes if s.has_chart
    ]
    path = lab.root / "random.pptx"
    path.write_bytes(deck)  # verify reads the labels and values back
    result = verify_output(document, path, "pptx", "x", load_theme("corporate", lab))
    assert not [p for p in result.problems if p.level == "error"], result.problems
    plot = shape.chart.plots[0]
    assert [s.name for s in plot.series] == [s.name for s in chart.series]
    if chart.scatter:
        assert [list(s.values) for s in plot.series] == [
            [y for _, y in s.points] for s in chart.series
        ]
    else:
        assert list(plot.categories) == list(chart.categories)
        assert [tuple(s.values) for s in plot.series] == [s.values for s in chart.series]


@settings(SETTINGS, max_examples=int(SOAK or 10))
@given(chart=charts())
def test_a_random_charts_svg_is_reproducible_and_names_every_label(lab, chart):
    from pipeline.renderers.briefing.chartstyle import ChartStyle
    from pipeline.renderers.briefing.chartsvg import _draw, chart_svg
    from pipeline.renderers.briefing.styles import chart_faces

    theme = load_theme("keynote", lab)
    c, body = theme.paper_colors, theme.fonts.body
    style = ChartStyle(
        c.series, c.text, c.muted, c.border, c.background, body.family, chart_faces(theme, True),
        tuple(body.files().values()), 8.5, 482.0, 700.0, "de",
    )  # fmt: skip
    svg = chart_svg(chart, style, "c1")
    _draw.cache_clear()  # drawn again, not remembered
    assert chart_svg(chart, style, "c1") == svg
    assert svg.startswith("<svg") and "<script" not in svg
    assert "<metadata" not in svg and "dc:date" not in svg  # no timestamp
    root = ElementTree.fromstring(svg)
    text = norm(" ".join(t for el in root.iter(f"{{{SVG}}}text") for t in el.itertext()))
    for label in chart_texts(chart):
        if label not in (chart.title, chart.source):  # printed by the page, not the SVG
            assert norm(label) in text, label


@settings(SETTINGS, max_examples=int(SOAK or 6))
@given(chart=charts(max_categories=30, label=SANE_LABEL))
def test_a_random_charts_text_in_the_pdf_never_overlaps(lab, chart):
    """Labels of up to 60 characters (a label of hundreds, on a crowded chart, can need
    more room than a page has: see the README)."""
    import pdfplumber

    loaded(lab, chart)
    document = load_document(lab.content / "random.yaml", lab)
    theme = load_theme("corporate", lab)
    pdf = render("pdf", document, theme).data
    with pdfplumber.open(io.BytesIO(pdf)) as opened:
        for page in opened.pages[2:]:  # after the cover and the contents
            assert overlapping(text_lines(page)) == []
    path = lab.root / "random.pdf"
    path.write_bytes(pdf)  # every label is text verify finds (turned, wrapped, any face)
    result = verify_output(document, path, "pdf", "x", theme)
    assert not [p for p in result.problems if p.level == "error"], result.problems


@given(
    kind=st.sampled_from(["column", "bar", "line", "pie", "stacked-column"]),
    count=st.integers(1, 50),
)
@settings(max_examples=10, deadline=None, derandomize=True)
def test_an_empty_series_is_refused_at_its_line(lab, kind, count):
    count = min(count, 8) if kind == "pie" else count  # a pie has at most 8 slices
    categories = ", ".join(f"c{i}" for i in range(count))
    source = (
        "title: T\ndate: 2026-11-24\nsections:\n  - id: a\n    title: A\n    blocks:\n"
        f"      - chart:\n          type: {kind}\n          title: T\n          alt: A\n"
        f"          categories: [{categories}]\n          series:\n"
        "            - name: S\n              values: []\n"
    )
    path = lab.content / "empty.yaml"
    path.write_text(source, encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_document(path, lab)
    (problem,) = caught.value.diagnostics
    assert problem.loc is not None and problem.loc.line == 14
    assert "has no 'values'" in problem.message
