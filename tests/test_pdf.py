"""The PDF briefing, checked with independent tools: qpdf, pdffonts, pypdf and pdfplumber."""

from __future__ import annotations

import dataclasses
import io
import itertools
import re
import subprocess
import unicodedata
from pathlib import Path

import pikepdf
import pypdf
import pytest
from conftest import ARTICLE, EMOJI_SOURCE, REPO, THEMES, render, twinpress, write
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import documents

from pipeline import renderers
from pipeline.audience import load_profiles, select
from pipeline.charts import Chart
from pipeline.errors import ContentError, RenderError
from pipeline.loader import load_document
from pipeline.model import Bullets, Heading, Verdict, block_texts, section_label
from pipeline.renderers.briefing.options import PdfOptions
from pipeline.themes import load_theme

AUDIENCES = ("tech-leaders", "engineers", "executives")
THEME_FAMILIES = {
    "base": {"Inter"},
    "corporate": {"Inter"},
    "keynote": {"Manrope", "Inter"},
    "high-contrast": {"Lato"},
}


# --- helpers --------------------------------------------------------------------------------


def normalise(text: str) -> str:
    """Text without whitespace, hyphens or soft hyphens, so that line breaks and
    hyphenation never matter when comparing."""
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"[\s\-\u00ad\u2010\u2011]+", "", text)


def page_texts(data: bytes) -> list[str]:
    return [page.extract_text() or "" for page in pypdf.PdfReader(io.BytesIO(data)).pages]


def assert_in_order(haystack: str, needles: list[str]) -> None:
    """Every needle occurs in `haystack`, each after the previous one."""
    position = 0
    flat = normalise(haystack)
    for needle in needles:
        found = flat.find(normalise(needle), position)
        assert found >= 0, f"{needle!r} missing or out of order (searched from {position})"
        position = found + len(normalise(needle))


def outline(data: bytes) -> list[tuple[int, str, int]]:
    """(level, title, 1-based page) for every bookmark, in order."""
    reader = pypdf.PdfReader(io.BytesIO(data))
    found: list[tuple[int, str, int]] = []

    def walk(items, level):
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                found.append((level, item.title, reader.get_destination_page_number(item) + 1))

    walk(reader.outline, 1)
    return found


def pdffonts(data: bytes, tmp_path: Path) -> list[dict[str, str]]:
    path = tmp_path / "fonts.pdf"
    path.write_bytes(data)
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True)
    rows = []
    for line in out.stdout.splitlines()[2:]:
        cells = line.split()
        # name type... encoding emb sub uni object ID: read from the right
        rows.append({"name": cells[0], "emb": cells[-5], "sub": cells[-4], "uni": cells[-3]})
    return rows


def qpdf_check(data: bytes, tmp_path: Path) -> subprocess.CompletedProcess:
    path = tmp_path / "check.pdf"
    path.write_bytes(data)
    return subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)


def expected_texts(document) -> list[str]:
    """Section headings, sub-headings, bullets and verdicts, in source order."""
    texts = []
    for section in document.sections:
        texts.append(section_label(section))
        if section.summary:
            texts.append(section.summary)
        for block in section.blocks:
            if isinstance(block, (Heading, Bullets, Verdict)):
                texts += block_texts(block)
    return texts


def all_texts(document) -> list[str]:
    return [
        t
        for s in document.sections
        for t in (
            section_label(s),
            *([s.summary] if s.summary else []),
            *(t for b in s.blocks for t in block_texts(b)),
        )
    ]


def body_text(rendered, document) -> str:
    """The text of the pages from the first section on (the contents list repeats titles)."""
    first = min(pages[0] for pages in rendered.placement.values())
    return "\n".join(page_texts(rendered.data)[first - 1 :])


def family(font_name: str) -> str:
    """'QUWLDS+Inter-Bold' -> 'Inter'; 'ABCDEF+Noto-Sans-Mono' keeps its words."""
    base = font_name.split("+", 1)[-1]
    return re.sub(r"-(Regular|Bold|Italic|BoldItalic)$", "", base).replace("-", " ")


# --- every audience, every theme ------------------------------------------------------------


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("audience", AUDIENCES)
def test_every_audience_builds_in_every_theme(briefing, audience, theme, tmp_path):
    rendered, document = briefing(audience, theme=theme)
    assert rendered.data.startswith(b"%PDF-")
    check = qpdf_check(rendered.data, tmp_path)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "No syntax or stream encoding errors" in check.stdout
    fonts = pdffonts(rendered.data, tmp_path)
    assert fonts, "no fonts embedded"
    for font in fonts:
        assert (font["emb"], font["sub"], font["uni"]) == ("yes", "yes", "yes"), font
        assert family(font["name"]) in THEME_FAMILIES[theme], font["name"]
    assert rendered.units == len(pypdf.PdfReader(io.BytesIO(rendered.data)).pages)
    assert list(rendered.placement) == [s.id for s in document.sections]


@pytest.mark.parametrize("audience", AUDIENCES)
def test_text_holds_every_heading_bullet_and_verdict_in_order(briefing, audience):
    rendered, document = briefing(audience)
    assert_in_order(body_text(rendered, document), expected_texts(document))


def test_text_holds_every_piece_of_content_for_engineers(briefing):
    rendered, document = briefing("engineers")
    assert_in_order(body_text(rendered, document), all_texts(document))


def test_pdfplumber_agrees_on_the_order(briefing):
    import pdfplumber

    rendered, document = briefing("tech-leaders")
    with pdfplumber.open(io.BytesIO(rendered.data)) as pdf_file:
        text = "\n".join(p.extract_text() or "" for p in pdf_file.pages[2:])
    assert_in_order(text, expected_texts(document))


@pytest.mark.parametrize("audience", AUDIENCES)
def test_bookmarks_are_the_sections_and_their_sub_headings(briefing, audience):
    rendered, document = briefing(audience)
    expected = []
    for section in document.sections:
        expected.append((1, section_label(section), rendered.placement[section.id][0]))
        expected += [(2, b.text) for b in section.blocks if isinstance(b, Heading)]
    got = outline(rendered.data)
    assert [(lvl, title) for lvl, title, _ in got] == [e[:2] for e in expected]
    assert [(lvl, t, p) for lvl, t, p in got if lvl == 1] == [e for e in expected if e[0] == 1]


def test_executives_see_each_summary_under_its_heading(briefing):
    rendered, document = briefing("executives")
    summaries = [(section_label(s), s.summary) for s in document.sections]
    assert all(summary for _, summary in summaries)
    assert_in_order(body_text(rendered, document), [t for pair in summaries for t in pair])


def test_tech_leaders_get_no_summaries(briefing):
    rendered, _document = briefing("tech-leaders")
    article = load_document(ARTICLE, _repo())
    text = normalise("".join(page_texts(rendered.data)))
    assert normalise(article.sections[2].summary) not in text


def _repo():
    from pipeline.project import Project

    return Project(ARTICLE.parent.parent)


# --- page design ----------------------------------------------------------------------------


def test_cover_has_no_running_header_or_footer_and_other_pages_do(briefing):
    rendered, document = briefing("tech-leaders")
    pages = page_texts(rendered.data)
    total = len(pages)
    cover = normalise(pages[0])
    assert "preparedfor" in cover.lower() and normalise("Tech leaders") in cover
    assert normalise(document.organisation) in cover and normalise("November 24, 2026") in cover
    assert "Page1of" not in cover
    for number, text in enumerate(pages[1:], start=2):
        flat = normalise(text)
        assert f"Page{number}of{total}" in flat
        assert normalise(document.title) in flat
        assert normalise("Confidential · prepared for Tech leaders") in flat


def test_contents_lists_each_section_with_the_page_it_starts_on(briefing):
    rendered, document = briefing("tech-leaders")
    contents = normalise(page_texts(rendered.data)[1])
    assert contents.startswith("Contents") or "Contents" in contents[:60]
    for section in document.sections:
        page = rendered.placement[section.id][0]
        assert re.search(re.escape(normalise(section.title)) + r"\.+" + str(page), contents), (
            section.title,
            page,
        )


def test_contents_leaders_are_a_few_text_runs_with_every_dot_on_its_grid(briefing):
    import pdfplumber

    rendered, _ = briefing("tech-leaders")
    with pdfplumber.open(io.BytesIO(rendered.data)) as pdf:
        dots = [c for c in pdf.pages[1].chars if c["text"] == "."]
    lines: dict[float, list[float]] = {}
    for dot in dots:
        lines.setdefault(round(dot["top"], 1), []).append(dot["x0"])
    leaders = [_leader(sorted(xs)) for xs in lines.values() if len(xs) > 20]
    assert len(leaders) >= 8
    for xs in leaders:
        # WeasyPrint puts a leader's dots one advance apart from the right end; a joined run
        # may move a dot by at most tuning.DRIFT (0.1 pt) from that grid.
        step = (xs[-1] - xs[0]) / (len(xs) - 1)
        worst = max(abs(x - (xs[0] + i * step)) for i, x in enumerate(xs))
        assert worst < 0.15, (len(xs), worst)
    with pikepdf.Pdf.open(io.BytesIO(rendered.data)) as pdf:
        stream = pdf.pages[1].obj.Contents.read_bytes()
    texts = len(re.findall(rb"\bBT\b", stream))
    assert texts < len(dots) / 10, (texts, len(dots))


def _leader(xs: list[float]) -> list[float]:
    """The dots of a line's leader: the evenly spaced run at its right end (a title's own
    full stops, as in "vs.", stand apart)."""
    gap = sorted(b - a for a, b in itertools.pairwise(xs))[len(xs) // 2]
    start = len(xs) - 1
    while start > 0 and xs[start] - xs[start - 1] < 1.5 * gap:
        start -= 1
    return xs[start:]


@pytest.mark.parametrize("audience", AUDIENCES)
def test_a_chart_shares_its_page_with_the_sentence_and_heading_that_open_its_section(
    briefing, audience
):
    rendered, document = briefing(audience)
    pages = [normalise(text) for text in page_texts(rendered.data)]
    charted = [s for s in document.sections if any(isinstance(b, Chart) for b in s.blocks)]
    assert charted, "the article has a chart"
    for section in charted:
        chart = next(b for b in section.blocks if isinstance(b, Chart))
        holding = [i for i, text in enumerate(pages) if normalise(chart.title) in text]
        assert holding, chart.title
        assert normalise(section_label(section)) in pages[holding[0]], (section.title, holding)


def test_executives_have_no_contents_page(briefing):
    rendered, _ = briefing("executives")
    assert "Contents" not in page_texts(rendered.data)[1]


def test_paper_follows_the_theme_and_the_option(briefing):
    a4, _ = briefing("tech-leaders")
    letter, _ = briefing("tech-leaders", paper="Letter")

    def size(data):
        return [round(float(v)) for v in pypdf.PdfReader(io.BytesIO(data)).pages[0].mediabox]

    assert size(a4.data) == [0, 0, 595, 842]
    assert size(letter.data) == [0, 0, 612, 792]


def test_sections_can_each_start_a_new_page(briefing):
    rendered, document = briefing("executives", section_breaks="page")
    starts = [rendered.placement[s.id][0] for s in document.sections]
    assert starts == sorted(set(starts)) and len(starts) == len(document.sections)


def test_table_header_repeats_on_every_page_the_table_spans(project, tmp_path):
    rows = "\n".join(
        f"            - [Row {i:03d}, left cell {i}, right cell {i}]" for i in range(90)
    )
    write(
        project,
        "long-table.yaml",
        f"""\
title: Long table
date: 2026-01-02
sections:
  - id: data
    title: Data
    blocks:
      - table:
          header: [Name, Left header, Right header]
          rows:
{rows}
""",
    )
    document = load_document(project.content / "long-table.yaml", project)
    rendered = render("pdf", document, load_theme("corporate", project), PdfOptions())
    pages = page_texts(rendered.data)
    spanned = [p for p in pages if "Row 0" in p]
    assert len(spanned) >= 2
    for text in spanned:
        assert "Left header" in text and "Right header" in text


def test_a_cell_of_thousands_of_words_flows_over_pages_with_all_its_words(project):
    """A huge cell used to cost minutes (automatic table layout grows with the square of
    a cell's length); tables now lay out with fixed widths and the cell breaks across
    pages, every word still in the text."""
    words = " ".join(f"word{n}" for n in range(3000))
    write(
        project,
        "huge-cell.yaml",
        f"""\
title: Huge cell
date: 2026-01-02
sections:
  - id: data
    title: Data
    blocks:
      - table:
          header: [Name, Detail]
          rows:
            - [Only row, "{words}"]
""",
    )
    document = load_document(project.content / "huge-cell.yaml", project)
    rendered = render("pdf", document, load_theme("corporate", project), PdfOptions())
    pages = page_texts(rendered.data)
    text = normalise(" ".join(pages))
    assert len([p for p in pages if "word" in p]) >= 3
    assert all(f"word{n}" in text for n in (0, 1500, 2999))


def test_column_widths_follow_the_text_each_column_holds():
    from pipeline.renderers.briefing.views import column_widths

    widths = column_widths(
        ("Use case", "Rust", "Go"),
        (
            ("Microservices", "—", "Ideal for real-time microservices"),
            ("Blockchain", "Perfect fit: compiles to efficient machine code", "—"),
        ),
    )
    assert sum(widths) == pytest.approx(100, abs=0.1)
    assert widths[0] < widths[1] and widths[0] < widths[2]
    assert min(widths) > 15  # a short column still fits its longest word


# --- metadata, tags, reproducibility --------------------------------------------------------


def test_metadata_comes_from_the_source(briefing):
    rendered, document = briefing("engineers")
    reader = pypdf.PdfReader(io.BytesIO(rendered.data))
    info = reader.metadata
    assert info["/Title"] == document.title
    assert info["/Author"] == document.byline
    assert info["/Subject"] == document.description
    assert info["/Keywords"] == ", ".join(document.keywords)
    assert info["/CreationDate"] == "D:20261124000000Z"
    assert info["/ModDate"] == "D:20261124000000Z"
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en"


def test_default_variant_is_tagged_pdf_ua_with_an_identifier(briefing):
    rendered, _ = briefing("tech-leaders")
    with pikepdf.open(io.BytesIO(rendered.data)) as pdf_file:
        root = pdf_file.Root
        assert "/StructTreeRoot" in root
        assert root.MarkInfo.Marked
        assert bool(root.ViewerPreferences.DisplayDocTitle)
        assert "/ID" in pdf_file.trailer
        with pdf_file.open_metadata() as xmp:
            assert xmp.get("pdfuaid:part") == "1"
        tags = _struct_tags(root.StructTreeRoot)
    for tag in ("/H1", "/H2", "/H3", "/P", "/L", "/LI", "/Table", "/TH", "/TD", "/Figure", "/Link"):
        assert tag in tags, tag


def _struct_elements(node):
    """Every structure element under `node`, depth first in reading order."""
    kids = node.get("/K")
    if isinstance(kids, pikepdf.Dictionary):
        kids = [kids]
    if isinstance(kids, pikepdf.Array):
        for kid in kids:
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                yield kid
                yield from _struct_elements(kid)


def _struct_tags(node) -> set[str]:
    return {str(kid.S) for kid in _struct_elements(node)}


def test_headings_never_skip_a_level(briefing):
    for audience in AUDIENCES:
        rendered, _ = briefing(audience)
        with pikepdf.open(io.BytesIO(rendered.data)) as pdf_file:
            levels = [
                int(tag[2])
                for tag in _struct_sequence(pdf_file.Root.StructTreeRoot)
                if re.fullmatch(r"/H[1-6]", tag)
            ]
        assert levels[0] == 1
        for before, after in itertools.pairwise(levels):
            assert after <= before + 1, (audience, levels)


def _struct_sequence(node) -> list[str]:
    return [str(kid.S) for kid in _struct_elements(node)]


def test_pdf_a_3b_is_available(briefing, tmp_path):
    rendered, _ = briefing("executives", variant="pdf/a-3b")
    with pikepdf.open(io.BytesIO(rendered.data)) as pdf_file:
        with pdf_file.open_metadata() as xmp:
            assert xmp.get("pdfaid:part") == "3"
            assert xmp.get("pdfaid:conformance") == "B"
        assert "/OutputIntents" in pdf_file.Root
    assert qpdf_check(rendered.data, tmp_path).returncode == 0


def test_same_inputs_give_identical_bytes(article_inputs, briefing):
    first, document = briefing("tech-leaders")
    theme = load_theme("corporate", article_inputs[2])
    again = render("pdf", document, theme, PdfOptions(toc=True)).data
    assert again == first.data


def test_source_date_epoch_sets_the_modification_date_reproducibly(article_inputs, monkeypatch):
    document, profiles, repo = article_inputs
    selected = select(document, profiles["executives"])
    theme = load_theme("high-contrast", repo)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")
    one = render("pdf", selected, theme, PdfOptions(toc=False)).data
    two = render("pdf", selected, theme, PdfOptions(toc=False)).data
    assert one == two
    info = pypdf.PdfReader(io.BytesIO(one)).metadata
    assert info["/ModDate"] == "D:20260921141320Z"
    assert info["/CreationDate"] == "D:20261124000000Z"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    with pytest.raises(ContentError, match="SOURCE_DATE_EPOCH"):
        render("pdf", selected, theme, PdfOptions(toc=False))


def test_two_checkouts_build_identical_bytes(project, briefing):
    """Nothing of the machine (paths, times) leaks into the file."""
    rendered, _ = briefing("engineers")
    document = load_document(project.content / "rust-vs-go.yaml", project)
    profile = load_profiles(project.audiences_file)["engineers"]
    copy = render(
        "pdf", select(document, profile), load_theme("keynote", project), profile.options_for("pdf")
    ).data
    assert copy == rendered.data


# --- failures that must stop the build ------------------------------------------------------


def _child_theme(project, name: str, files: dict[str, str], parent: str = "corporate"):
    folder = project.themes / name
    for relative, text in {
        "theme.yaml": f"description: Test theme.\nextends: {parent}\n",
        **files,
    }.items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return load_theme(name, project)


def _article(project):
    return load_document(project.content / "rust-vs-go.yaml", project)


def _image_source(project) -> Path:
    from PIL import Image as PILImage

    images = project.content / "images"
    images.mkdir(exist_ok=True)
    PILImage.new("RGB", (120, 60), (30, 80, 160)).save(images / "chart.png")
    return write(
        project,
        "with-image.yaml",
        """\
title: With an image
date: 2026-01-02
sections:
  - id: one
    title: One
    blocks:
      - paragraph: Before the figure.
      - image: {src: images/chart.png, alt: A blue rectangle, caption: The figure}
""",
    )


def test_an_image_renders_as_a_figure_with_its_alt_text(project):
    document = load_document(_image_source(project), project)
    rendered = render("pdf", document, load_theme("corporate", project), PdfOptions())
    with pikepdf.open(io.BytesIO(rendered.data)) as pdf_file:
        alts = _figure_alts(pdf_file.Root.StructTreeRoot)
    assert "A blue rectangle" in alts
    assert "The figure" in "".join(page_texts(rendered.data))


def _figure_alts(node) -> list[str]:
    return [str(kid.Alt) for kid in _struct_elements(node) if kid.S == "/Figure" and "/Alt" in kid]


def test_a_missing_alt_text_fails_the_build(project):
    document = load_document(_image_source(project), project)
    theme = _child_theme(
        project,
        "no-alt",
        {"templates/blocks/image.html.j2": '<figure><img src="{{ block.src }}"></figure>\n'},
    )
    with pytest.raises(RenderError) as caught:
        render("pdf", document, theme, PdfOptions())
    message = str(caught.value)
    assert "alt" in message and "[render.weasyprint]" in message


def test_any_weasyprint_warning_fails_the_build(project):
    theme = _child_theme(project, "bad-css", {"styles/extra.css": "p { colour: red; }\n"})
    with pytest.raises(RenderError, match="WeasyPrint reported: warning: .*colour"):
        render("pdf", _article(project), theme, PdfOptions())


def test_a_character_no_theme_font_has_is_reported_where_it_is(project):
    path = write(
        project,
        "glyph.yaml",
        """\
title: Glyphs
date: 2026-01-02
sections:
  - id: one
    title: One
    blocks:
      - paragraph: The word 漢字 is not in Inter.
""",
    )
    with pytest.raises(RenderError) as caught:
        render("pdf", load_document(path, project), load_theme("corporate", project))
    message = str(caught.value)
    assert "U+6F22" in message and "U+5B57" in message and "glyph.yaml:7:9:" in message
    assert "[render.missing-glyph]" in message


def test_a_stylesheet_asking_for_a_system_font_fails_the_build(project):
    theme = _child_theme(
        project,
        "stray",
        {"styles/extra.css": ".paragraph { font-family: 'DejaVu Serif', serif; }\n"},
    )
    with pytest.raises(RenderError, match="render.stray-font"):
        render("pdf", _article(project), theme, PdfOptions())


def test_template_errors_are_render_errors(project):
    theme = _child_theme(
        project,
        "undefined",
        {"templates/blocks/verdict.html.j2": "<p>{{ block.no_such_field }}</p>\n"},
    )
    with pytest.raises(RenderError, match=r"template error in theme 'undefined'.*no_such_field"):
        render("pdf", _article(project), theme, PdfOptions())


def test_templates_run_sandboxed(project):
    theme = _child_theme(
        project,
        "sneaky",
        {
            "templates/blocks/paragraph.html.j2": (
                "<p>{{ block.text.__class__.__mro__[1].__subclasses__() }}</p>\n"
            )
        },
    )
    with pytest.raises(RenderError, match="render.template-unsafe"):
        render("pdf", _article(project), theme, PdfOptions())


# --- themes ---------------------------------------------------------------------------------


def test_a_theme_overrides_one_template_and_can_include_the_one_it_replaces(project):
    theme = _child_theme(
        project,
        "board",
        {
            "templates/blocks/verdict.html.j2": (
                '<div class="board-verdict">{% include "!base/blocks/verdict.html.j2" %}'
                '<p class="paragraph">Board sign-off required.</p></div>\n'
            )
        },
    )
    document = select(_article(project), load_profiles(project.audiences_file)["engineers"])
    text = normalise("".join(page_texts(render("pdf", document, theme, PdfOptions()).data)))
    verdicts = [b.text for s in document.sections for b in s.blocks if isinstance(b, Verdict)]
    assert text.count(normalise("Board sign-off required.")) == len(verdicts) == 3
    assert all(normalise(v) in text for v in verdicts)


def test_a_theme_extra_stylesheet_is_applied(project):
    theme = _child_theme(
        project,
        "tinted",
        {"styles/extra.css": '.verdict .callout-label::after { content: " (board view)"; }\n'},
    )
    data = render("pdf", _article(project), theme, PdfOptions(toc=False)).data
    text = normalise("".join(page_texts(data))).lower()
    assert text.count("verdict(boardview)") == 3


def test_emoji_markers_use_the_emoji_font_and_digits_never_do(project, tmp_path):
    import pdfplumber

    theme = _child_theme(
        project,
        "emoji",
        {"theme.yaml": ("description: Emoji markers.\nextends: corporate\nmarkers: emoji\n")},
    )
    document = select(_article(project), load_profiles(project.audiences_file)["engineers"])
    data = render("pdf", document, theme, PdfOptions()).data
    families = {family(f["name"]) for f in pdffonts(data, tmp_path)}
    assert families == {"Inter", "twinpress emoji"}
    with pdfplumber.open(io.BytesIO(data)) as pdf_file:
        digits = [c["fontname"] for p in pdf_file.pages for c in p.chars if c["text"].isdigit()]
    assert digits and not any("emoji" in name.lower() for name in digits)


def test_the_emoji_font_is_loaded_only_when_the_text_has_emoji(project, tmp_path, briefing):
    plain, _ = briefing("tech-leaders")
    assert {family(f["name"]) for f in pdffonts(plain.data, tmp_path)} == {"Inter"}
    path = write(project, "emoji-text.yaml", EMOJI_SOURCE)
    data = render(
        "pdf", load_document(path, project), load_theme("corporate", project), PdfOptions()
    ).data
    assert {family(f["name"]) for f in pdffonts(data, tmp_path)} == {"Inter", "twinpress emoji"}


def test_a_briefing_with_an_emoji_is_the_same_bytes_a_day_later(project, monkeypatch, tmp_path):
    """The emoji face is rewritten by fontTools (its images taken out) before it is embedded,
    and fontTools dates what it saves with the clock unless SOURCE_DATE_EPOCH is set."""
    import time

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    path = write(project, "emoji-dated.yaml", EMOJI_SOURCE)
    document, theme = load_document(path, project), load_theme("corporate", project)
    today = render("pdf", document, theme, PdfOptions()).data
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + 86_400)
    tomorrow = render("pdf", document, theme, PdfOptions()).data
    assert "twinpress emoji" in {family(f["name"]) for f in pdffonts(today, tmp_path)}
    assert today == tomorrow


def test_a_woff_web_font_is_embedded_with_the_same_bytes_a_day_later(tmp_path, monkeypatch):
    """WeasyPrint decodes a WOFF 1 font with fontTools, which dates what it saves."""
    import time

    import weasyprint
    from fontTools.ttLib import TTFont

    from pipeline.renderers.briefing import fontdates

    fontdates.install()
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    font = TTFont(REPO / "themes" / "acme" / "fonts" / "carlito" / "Carlito-Regular.ttf")
    font.flavor = "woff"
    font.save(tmp_path / "face.woff")
    html = (
        "<style>@font-face{font-family:Face;src:url(face.woff)} p{font-family:Face}</style>"
        "<p>Woven words</p>"
    )

    def pdf() -> bytes:
        page = weasyprint.HTML(string=html, base_url=str(tmp_path) + "/")
        return page.write_pdf(pdf_identifier=b"0" * 16)

    today = pdf()
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + 86_400)
    assert {family(f["name"]) for f in pdffonts(today, tmp_path)} == {"Face"}  # the WOFF
    assert pdf() == today


def test_the_cli_builds_every_audience_byte_for_byte_as_the_library(project, briefing):
    """Another process, another checkout, worker processes: the same bytes."""
    result = twinpress("build", "--format", "pdf", cwd=project.root)
    assert result.returncode == 0, result.stderr
    for audience in AUDIENCES:
        data = (project.output / audience / "rust-vs-go.pdf").read_bytes()
        assert data == briefing(audience)[0].data, audience


def test_importing_the_pdf_renderer_does_not_import_weasyprint():
    code = (
        "import sys, pipeline.renderers.briefing.pdf, pipeline.renderers.briefing.html; "
        "from pipeline.renderers import get; get('pdf').Options(); "
        "assert 'weasyprint' not in sys.modules, 'weasyprint imported'"
    )
    subprocess.run(
        [__import__("sys").executable, "-c", code],
        check=True,
        cwd=Path(__file__).resolve().parent.parent,
    )


def test_options_are_checked_by_the_registry():
    options = PdfOptions(paper="Letter", toc=False, variant="none", section_breaks="page")
    assert dataclasses.asdict(options) == {
        "paper": "Letter",
        "toc": False,
        "takeaways": True,
        "variant": "none",
        "chart_tables": False,
        "section_breaks": "page",
    }
    assert renderers.get("pdf").unit == "pages"


def test_section_ids_never_collide_with_sub_heading_anchors(project):
    """Section 'a-2' and the second sub-heading of section 'a' are different places."""
    path = write(
        project,
        "ids.yaml",
        """\
title: Ids
date: 2026-01-02
sections:
  - id: a
    title: First
    blocks:
      - heading: One
      - paragraph: Text one.
      - heading: Two
      - paragraph: Text two.
  - id: a-2
    title: Second
    blocks:
      - paragraph: Text three.
""",
    )
    document = load_document(path, project)
    rendered = render(
        "pdf", document, load_theme("corporate", project), PdfOptions(section_breaks="page")
    )
    assert rendered.placement == {"a": (3,), "a-2": (4,)}
    assert [t for _, t, _ in outline(rendered.data)] == ["1. First", "One", "Two", "2. Second"]


def test_a_theme_chain_without_a_stylesheet_is_a_clear_error(project):
    theme = _child_theme(project, "bare", {})
    broken = dataclasses.replace(theme, dirs=theme.dirs[:1])  # cut off from its parents
    with pytest.raises(RenderError, match=r"theme 'bare' has no template 'briefing.html.j2'"):
        render("pdf", _article(project), broken, PdfOptions())
    from pipeline.fetcher import AssetPolicy
    from pipeline.renderers.briefing import styles as _styles

    with pytest.raises(RenderError, match=r"theme 'bare' has no styles/briefing.css"):
        _styles.stylesheet_files(broken, "print", AssetPolicy.of(broken.dirs))


def _render_in_child(queue, document, theme):
    queue.put(render("pdf", document, theme, PdfOptions()).data)


def test_a_forked_worker_renders_and_leaves_the_parent_able_to(article_inputs, briefing):
    import gc
    import multiprocessing

    first, document = briefing("tech-leaders")
    theme = load_theme("corporate", article_inputs[2])
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    child = context.Process(target=_render_in_child, args=(queue, document, theme))
    child.start()
    from_child = queue.get(timeout=120)
    child.join(timeout=30)
    assert child.exitcode == 0 and from_child == first.data
    gc.collect()
    assert render("pdf", document, theme, PdfOptions()).data == first.data


@settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(document=documents(max_sections=3), theme_name=st.sampled_from(THEMES))
def test_generated_documents_render_or_name_the_missing_glyph(document, theme_name):
    """Any valid document gives a PDF and a page with all its text, or a RenderError that
    names a character the theme's fonts lack; never another error."""
    from pipeline.model import number_sections
    from pipeline.project import Project

    theme = load_theme(theme_name, Project(ARTICLE.parent.parent))
    document = dataclasses.replace(
        document, sections=number_sections(document.sections), audience="Testers"
    )
    try:
        rendered = render("pdf", document, theme, PdfOptions())
    except RenderError as exc:
        assert {d.code for d in exc.diagnostics} == {"render.missing-glyph"}, str(exc)
        return
    assert list(rendered.placement) == [s.id for s in document.sections]
    assert_in_order(
        "\n".join(page_texts(rendered.data)[rendered.placement[document.sections[0].id][0] - 1 :]),
        [section_label(s) for s in document.sections],
    )
    page = render("html", document, theme).data.decode("utf-8")
    assert page.startswith("<!DOCTYPE html>")
