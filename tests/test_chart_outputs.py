"""Charts in every output, read back with libraries that did not write them: the deck's
native charts and their workbooks (python-pptx, openpyxl, LibreOffice), the briefing's
vector charts (pikepdf, pdfplumber, pypdf), the html page's inline SVG and Markdown."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
import zipfile

import pytest
from conftest import REPO, THEMES, render, twinpress
from textboxes import overlapping, text_lines

from pipeline import build as builder
from pipeline.audience import load_profiles, select
from pipeline.charts import Chart, chart_texts
from pipeline.loader import load_document
from pipeline.project import Project
from pipeline.themes import load_theme
from pipeline.verify import verify_output

FIXTURE = REPO / "tests" / "fixtures" / "charts.yaml"
TYPES = {
    "column": "COLUMN_CLUSTERED",
    "bar": "BAR_CLUSTERED",
    "stacked-column": "COLUMN_STACKED",
    "stacked-bar": "BAR_STACKED",
    "line": "LINE_MARKERS",
    "pie": "PIE",
    "doughnut": "DOUGHNUT",
    "scatter": "XY_SCATTER",
}


@pytest.fixture(scope="module")
def lab(tmp_path_factory, template_project) -> Project:
    root = tmp_path_factory.mktemp("charts")
    shutil.copytree(template_project, root, dirs_exist_ok=True)
    shutil.copy(FIXTURE, root / "content" / "charts.yaml")
    return Project(root)


@pytest.fixture(scope="module")
def document(lab):
    return load_document(lab.content / "charts.yaml", lab)


def charts_of(document) -> list[Chart]:
    return [b for s in document.sections for b in s.blocks if isinstance(b, Chart)]


def deck_charts(blob: bytes) -> list:
    from pptx import Presentation

    prs = Presentation(io.BytesIO(blob))
    return [shape for slide in prs.slides for shape in slide.shapes if shape.has_chart]


def test_the_fixture_has_every_chart_type(document):
    assert sorted(c.type for c in charts_of(document)) == sorted(TYPES)


@pytest.mark.slow
@pytest.mark.parametrize("theme_name", [*THEMES, "acme"])
def test_every_chart_type_builds_and_verifies_in_every_theme_and_audience(lab, theme_name):
    """Each audience's options under each theme: the three outputs build, verify finds
    every chart's texts (and, in the deck, its values), and the PDF draws no raster image."""
    import pikepdf

    theme = load_theme(theme_name, lab)
    document = load_document(lab.content / "charts.yaml", lab)
    for profile in load_profiles(lab.audiences_file).values():
        selected = select(document, profile)
        assert len(charts_of(selected)) == len(TYPES), profile.name
        for fmt in ("pptx", "pdf", "html"):
            out = lab.root / "output" / theme_name
            job = builder.Job(document, profile, theme, fmt, out)
            outcome = builder.run(job, force=True)
            assert outcome.status == "built", [str(d) for d in outcome.diagnostics]
            result = verify_output(selected, job.target, fmt, profile.name, theme)
            assert result.ok, [str(p) for p in result.problems]
            if fmt == "pptx":
                assert len(deck_charts(job.target.read_bytes())) == len(TYPES)
            if fmt == "pdf":
                with pikepdf.open(job.target) as pdf:
                    assert sum(len(images_drawn(page)) for page in pdf.pages) == 0


def images_drawn(page) -> list[str]:
    """The raster images a PDF page draws, looking into the forms it draws too."""
    import pikepdf

    found: list[str] = []

    def walk(content, resources, depth=0) -> None:
        xobjects = resources.get("/XObject", {}) if resources is not None else {}
        for operands, op in pikepdf.parse_content_stream(content):
            if str(op) != "Do" or str(operands[0]) not in xobjects:
                continue
            xobject = xobjects[str(operands[0])]
            if xobject.get("/Subtype") == "/Image":
                found.append(str(operands[0]))
            elif depth < 8:
                walk(xobject, xobject.get("/Resources", resources), depth + 1)

    walk(page, page.get("/Resources"))
    return found


@pytest.fixture(scope="module")
def deck(lab, document):
    return render("pptx", document, load_theme("corporate", lab)).data


def test_the_decks_charts_are_native_with_their_data_colours_and_alt_text(lab, document, deck):
    from pptx.enum.chart import XL_CHART_TYPE

    theme = load_theme("corporate", lab)
    shapes = deck_charts(deck)
    for chart, shape in zip(charts_of(document), shapes):
        native = shape.chart
        assert native.chart_type == getattr(XL_CHART_TYPE, TYPES[chart.type])
        assert native.chart_title.text_frame.text == chart.title
        assert shape._element._nvXxPr.cNvPr.get("descr") == chart.alt
        plot = native.plots[0]
        assert [s.name for s in plot.series] == [s.name for s in chart.series]
        if chart.scatter:
            assert [list(s.values) for s in plot.series] == [
                [y for _, y in s.points] for s in chart.series
            ]
            continue
        assert list(plot.categories) == list(chart.categories)
        assert [tuple(s.values) for s in plot.series] == [s.values for s in chart.series]
        fills = (
            [p.format.fill.fore_color.rgb for p in plot.series[0].points]
            if chart.round
            else [s.format.fill.fore_color.rgb for s in plot.series if chart.type != "line"]
        )
        wanted = theme.colors.series[: len(fills)]
        assert [f"#{rgb}" for rgb in fills] == [c.upper() for c in wanted]


def test_the_deck_embeds_the_fonts_its_charts_name_with_their_labels_characters(
    lab, document, deck
):
    """A chart's text lives in its own part: the embedded subset must still draw it."""
    from pptx import Presentation

    from pipeline.renderers.pptx.ooxml import fonts

    prs = Presentation(io.BytesIO(deck))
    slides = "".join(s.text_frame.text for sl in prs.slides for s in sl.shapes if s.has_text_frame)
    text = fonts.deck_text(prs)
    labels = {c for chart in charts_of(document) for c in chart.categories}
    assert labels and any(label not in slides for label in labels)  # only the charts show them
    assert all(label in text for label in labels)
    assert {"0", "9", "%"} <= set(text)  # numbers drawn in the viewer's locale
    theme = load_theme("corporate", lab)
    assert theme.fonts.body.deck_family in fonts.typefaces_used(prs)
    names = zipfile.ZipFile(io.BytesIO(deck)).namelist()
    assert [n for n in names if n.endswith(".fntdata")]


def test_the_embedded_workbook_opens_with_the_charts_data(document, deck):
    """PowerPoint's "Edit Data" opens the workbook: it must hold the data, and the chart's
    formulas must point at it."""
    import openpyxl

    chart = charts_of(document)[0]
    native = deck_charts(deck)[0].chart
    blob = native.part.chart_workbook.xlsx_part.blob
    sheet = openpyxl.load_workbook(io.BytesIO(blob)).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0] == [None, *(s.name for s in chart.series)]
    assert [r[0] for r in rows[1:]] == list(chart.categories)
    assert [tuple(r[1:]) for r in rows[1:]] == list(zip(*(s.values for s in chart.series)))
    xml = native.part.blob.decode()
    assert "<c:f>Sheet1!$B$2:$B$5</c:f>" in xml and "<c:f>Sheet1!$A$2:$A$5</c:f>" in xml


def test_decks_with_charts_are_byte_identical_and_their_axis_ids_valid(lab, document, deck):
    import time

    time.sleep(1.1)  # XlsxWriter stamps the wall clock: a second build must not differ
    again = render("pptx", document, load_theme("corporate", lab)).data
    assert again == deck
    with zipfile.ZipFile(io.BytesIO(deck)) as package:
        for name in package.namelist():
            if name.startswith("ppt/charts/chart"):
                ids = re.findall(r'<c:(?:axId|crossAx) val="(-?\d+)"', package.read(name).decode())
                assert all(0 < int(i) < 2**32 for i in ids), (name, ids)
            if name.endswith(".xlsx"):
                with zipfile.ZipFile(io.BytesIO(package.read(name))) as book:
                    core = book.read("docProps/core.xml").decode()
                    assert "2026-11-24T00:00:00Z" in core  # the document's date
                    assert {i.date_time for i in book.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_verify_finds_a_changed_chart_value_in_the_deck(lab, document, tmp_path):
    from pptx import Presentation

    path = tmp_path / "charts.pptx"
    path.write_bytes(render("pptx", document, load_theme("corporate", lab)).data)
    theme = load_theme("corporate", lab)
    assert verify_output(document, path, "pptx", "x", theme).sections[0].status == "ok"
    prs = Presentation(str(path))
    chart = next(s for slide in prs.slides for s in slide.shapes if s.has_chart).chart
    from pptx.chart.data import CategoryChartData

    data = CategoryChartData()
    data.categories = list(chart.plots[0].categories)
    for series in chart.plots[0].series:
        values = list(series.values)
        data.add_series(series.name, [v + 1 if v is not None else v for v in values])
    chart.replace_data(data)
    prs.save(str(path))
    found = verify_output(document, path, "pptx", "x", theme).sections[0]
    assert found.status == "partial"
    assert "Rust: 12 18.5 25 31" in found.missing


@pytest.fixture(scope="module")
def briefing_pdf(lab, document):
    return render("pdf", document, load_theme("corporate", lab)).data


def test_the_pdfs_charts_are_vector_figures_with_their_alt_text(document, briefing_pdf):
    import pikepdf

    with pikepdf.open(io.BytesIO(briefing_pdf)) as pdf:
        assert not [i for page in pdf.pages for i in images_drawn(page)]
        alts = []
        stack = [pdf.Root.StructTreeRoot]
        while stack:
            element = stack.pop(0)
            if element.get("/S") == "/Figure":
                alts.append(str(element.get("/Alt")))
            kids = element.get("/K")
            kids = kids if isinstance(kids, pikepdf.Array) else [kids]
            stack += [k for k in kids if isinstance(k, pikepdf.Dictionary)]
    for chart in charts_of(document):
        assert chart.alt in alts


def test_the_pdfs_chart_labels_are_text_in_the_themes_fonts(document, briefing_pdf):
    import pdfplumber

    with pdfplumber.open(io.BytesIO(briefing_pdf)) as pdf:
        words = [w for page in pdf.pages for w in page.extract_words(extra_attrs=["fontname"])]
    text = " ".join(w["text"] for w in words)
    squeezed = re.sub(r"\s+", "", text)
    for chart in charts_of(document):
        for label in chart_texts(chart):
            assert re.sub(r"\s+", "", label) in squeezed, label
    assert {re.sub(r"^[A-Z]{6}\+", "", w["fontname"]) for w in words} <= {"Inter", "Inter-Bold"}
    assert "120.0ms" in squeezed and "45.5ms" in squeezed  # the bar chart's values, with unit


def test_chart_tables_print_each_charts_numbers_under_it(lab, document):
    from pypdf import PdfReader

    from pipeline.renderers.briefing.options import HtmlOptions, PdfOptions

    theme = load_theme("corporate", lab)
    plain_pdf = render("pdf", document, theme, PdfOptions()).data
    tables = render("pdf", document, theme, PdfOptions(chart_tables=True)).data
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(tables)).pages)
    assert "Data: Teams using each language" in text
    assert re.search(r"Q3 2026\s+25\.0\s+-5\.0", text)  # the row, numbers as the axis has them
    assert "Data: Budget by team" in text and "—" in text  # null is a dash
    assert "Data:" not in "\n".join(
        p.extract_text() for p in PdfReader(io.BytesIO(plain_pdf)).pages
    )
    page = render("html", document, theme, HtmlOptions(chart_tables=True)).data.decode()
    assert page.count('<table class="data-table chart-data">') == len(TYPES)
    assert '<th scope="row">Q3 2026</th><td>25.0</td><td>-5.0</td>' in page


def test_the_html_page_inlines_each_chart_as_accessible_svg_with_unique_ids(lab, document):
    from html.parser import HTMLParser

    page = render("html", document, load_theme("keynote", lab)).data.decode()

    class Svg(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.svgs, self.ids, self.refs, self.text, self.titles = 0, [], [], [], []
            self.in_title = False

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if tag == "svg":
                self.svgs += 1
                assert attrs["role"] == "img"
            if tag == "title":
                self.in_title = True
            if "id" in attrs:
                self.ids.append(attrs["id"])
            for value in attrs.values():
                self.refs += re.findall(r"url\(#([^)]+)\)", value or "")
            if tag == "use":
                assert attrs["href"].startswith("#")
                self.refs.append(attrs["href"][1:])
            assert tag not in ("script", "foreignobject", "image")

        def handle_endtag(self, tag):
            self.in_title = False

        def handle_data(self, data):
            (self.titles if self.in_title else self.text).append(data)

    found = Svg()
    found.feed(page)
    assert found.svgs == len(TYPES)
    assert len(found.ids) == len(set(found.ids)) and set(found.refs) <= set(found.ids)
    text = " ".join(found.text)
    for chart in charts_of(document):
        assert chart.alt in found.titles
        for label in chart_texts(chart):
            assert label in text, label
    # The screen palette: keynote's charts are drawn in its dark deck's colours.
    assert load_theme("keynote", lab).colors.series[0].lower() in page


def test_markdown_gives_each_chart_as_a_table_with_its_alt_text(lab, document):
    text = render("markdown", document, load_theme("corporate", lab)).data.decode()
    assert "| Quarter | Rust | Go |\n|:--|--:|--:|\n| Q1 2026 | 12.0 | 30.0 |" in text
    assert "Table: Teams using each language (Teams)" in text
    assert "*Column chart: Rust adoption grows every quarter while Go levels off.*" in text
    assert "Source: Internal survey, 2026" in text
    assert "| Rust | 100 | 2.5 ms |" in text  # a scatter point: x, then y with its unit


def test_the_briefing_imports_matplotlib_only_for_documents_with_charts(lab, tmp_path):
    """(Charts no build drew before: an empty drawings cache; see test_store.)"""
    code = (
        "import sys\n"
        "from pipeline.project import Project\n"
        "from pipeline.loader import load_document\n"
        "from pipeline.themes import load_theme\n"
        "from pipeline.context import BuildContext\n"
        "from pipeline import renderers\n"
        "from pathlib import Path\n"
        "p = Project(Path(sys.argv[1]))\n"
        "doc = load_document(p.content / sys.argv[2], p)\n"
        "r = renderers.get('html')\n"
        "r.render(doc, load_theme('corporate', p), r.Options(), BuildContext())\n"
        "print('matplotlib' in sys.modules)\n"
    )
    (lab.content / "plain.yaml").write_text(
        "title: Plain\ndate: 2026-11-24\nsections:\n  - id: a\n    title: A\n"
        "    blocks:\n      - paragraph: No numbers here.\n",
        encoding="utf-8",
    )
    for source, expected in (("plain.yaml", "False"), ("charts.yaml", "True")):
        out = subprocess.run(
            [sys.executable, "-c", code, str(lab.root), source],
            capture_output=True, text=True, check=True, cwd=REPO,
            env={**os.environ, "TWINPRESS_CACHE": str(tmp_path / "cache")},
        )  # fmt: skip
        assert out.stdout.strip() == expected, (source, out.stderr)


@pytest.mark.slow
def test_libreoffice_draws_the_decks_charts_with_no_words_overlapping(lab, tmp_path):
    """Crowded charts (50 long categories, 30 bars, 8 slices, labelled stacks) in the deck,
    drawn by LibreOffice: no two words on a slide overlap."""
    import pdfplumber

    from pipeline import office

    cats = [f"Service number {i} with a long name" for i in range(50)]
    values = [round((i * 37 % 140) - 20 + i / 10, 1) for i in range(50)]
    source = CROWDED.format(
        cats=cats,
        values=values,
        back=values[::-1],
        bars=cats[:30],
        bar_values=values[:30],
        twelve=cats[:12],
        a=[abs(v) for v in values[:12]],
        b=[round(abs(v) / 3, 1) for v in values[12:24]],
    )
    path = lab.content / "crowded.yaml"
    path.write_text(source, encoding="utf-8")
    theme = load_theme("corporate", lab)
    deck = tmp_path / "crowded.pptx"
    deck.write_bytes(render("pptx", load_document(path, lab), theme).data)
    pdf = office.convert(deck, tmp_path, font_dirs=theme.fonts.folders())
    with pdfplumber.open(pdf) as opened:
        for number, page in enumerate(opened.pages, 1):
            lines = text_lines(page)
            assert lines and overlapping(lines) == [], number


def test_the_overlap_finder_sees_level_and_turned_lines_that_collide(tmp_path):
    """The checker above must be able to fail: words drawn over each other, and a label
    turned 45 degrees across another, are found; side-by-side words are not."""
    import pdfplumber
    import weasyprint

    html = (
        "<html><body style='font: 12pt sans-serif'>"
        "<p style='position:absolute; left:10mm; top:10mm'>Overlapping words</p>"
        "<p style='position:absolute; left:14mm; top:11mm'>Collision</p>"
        "<p style='position:absolute; left:10mm; top:40mm'>Apart</p>"
        "<p style='position:absolute; left:40mm; top:40mm'>Alone</p>"
        "<p style='position:absolute; left:80mm; top:80mm; transform: rotate(-45deg)'>"
        "Turned label</p>"
        "<p style='position:absolute; left:88mm; top:80mm'>Level</p>"
        "</body></html>"
    )
    path = tmp_path / "overlap.pdf"
    weasyprint.HTML(string=html).write_pdf(path)
    with pdfplumber.open(path) as opened:
        found = overlapping(text_lines(opened.pages[0]))
    pairs = {frozenset(p) for p in found}
    assert frozenset({"Overlapping words", "Collision"}) in pairs
    assert frozenset({"Turned label", "Level"}) in pairs
    assert not any("Apart" in p or "Alone" in p for p in pairs)


CROWDED = """\
title: Crowded
date: 2026-11-24
sections:
  - id: a
    title: Fifty columns
    blocks:
      - chart:
          type: column
          title: Fifty services with long names
          alt: Many columns.
          categories: {cats}
          series:
            - {{name: First kind, values: {values}}}
            - {{name: Second kind, values: {back}}}
  - id: b
    title: Thirty bars
    blocks:
      - chart: {{type: bar, title: Thirty bars, alt: Bars., categories: {bars},
                 series: [{{name: A, values: {bar_values}}}]}}
  - id: c
    title: Eight slices
    blocks:
      - chart:
          type: pie
          title: Slices
          alt: Slices.
          categories: [Alpha beta, Delta, Epsilon zeta, Eta, Theta iota, Kappa, Lambda, Mu]
          series: [{{name: S, values: [40, 2, 3, 1, 20, 14, 10, 10]}}]
  - id: d
    title: Labelled stacks
    blocks:
      - chart:
          type: stacked-column
          title: Stacked with labels
          alt: Stacks.
          labels: true
          categories: {twelve}
          series: [{{name: A, values: {a}}}, {{name: B, values: {b}}}]
"""


@pytest.mark.slow
def test_init_demo_builds_a_native_chart_and_a_vector_briefing_that_verify(tmp_path):
    """The issue's "done when": `twinpress init demo && twinpress build content/demo.yaml`."""
    import openpyxl
    import pikepdf
    from pptx import Presentation

    shutil.copytree(REPO / "themes", tmp_path / "themes")
    (tmp_path / "content").mkdir()
    shutil.copy(REPO / "content" / "audiences.yaml", tmp_path / "content")
    assert twinpress("init", "demo", cwd=tmp_path).returncode == 0
    built = twinpress("build", "content/demo.yaml", cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    verified = twinpress("verify", "content/demo.yaml", cwd=tmp_path)
    assert verified.returncode == 0, verified.stdout + verified.stderr
    out = tmp_path / "output" / "tech-leaders"
    prs = Presentation(str(out / "demo.pptx"))
    (shape,) = [s for slide in prs.slides for s in slide.shapes if s.has_chart]
    book = openpyxl.load_workbook(io.BytesIO(shape.chart.part.chart_workbook.xlsx_part.blob))
    assert [c.value for c in book.active["B"]] == ["Option A", 6, 4, 5]
    with pikepdf.open(out / "demo.pdf") as pdf:
        import pdfplumber

        with pdfplumber.open(out / "demo.pdf") as plumb:
            pages = [
                i
                for i, p in enumerate(plumb.pages)
                if "Weeks to the first release" in (p.extract_text() or "")
            ]
            assert pages
            for i in pages:
                assert images_drawn(pdf.pages[i]) == []
                text = re.sub(r"\s+", "", plumb.pages[i].extract_text())
                assert all(label in text for label in ("Pilot", "TeamA", "TeamB", "Weeks"))
