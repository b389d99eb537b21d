"""The PowerPoint deck, read back: structure, accessibility, fit, templates, reproducibility,
and an independent client (LibreOffice) that opens every audience's deck."""

from __future__ import annotations

import collections
import copy
import dataclasses
import datetime as dt
import io
import re
import subprocess

import pytest
from conftest import REPO, THEMES, render, twinpress
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pptx import Presentation
from pptx.enum.shapes import PP_PLACEHOLDER as PH
from pptx.oxml.ns import qn
from strategies import documents

from pipeline import office
from pipeline.audience import load_profiles, select
from pipeline.errors import ContentError
from pipeline.loader import load_document
from pipeline.model import (
    BulletItem,
    Bullets,
    Column,
    Comparison,
    Document,
    Image,
    Paragraph,
    Section,
    Table,
    Verdict,
    number_sections,
    section_label,
)
from pipeline.project import Project
from pipeline.renderers.pptx.options import Options
from pipeline.renderers.pptx.overflow import overflowing_frames
from pipeline.themes import load_theme

ARTICLE = REPO / "content" / "rust-vs-go.yaml"
AUDIENCES = ("tech-leaders", "engineers", "executives")
ALL_THEMES = (*THEMES, "acme")
P14 = "{http://schemas.microsoft.com/office/powerpoint/2010/main}"


# ----------------------------------------------------------------------------------------
# Fixtures: each audience's deck is rendered once and converted by LibreOffice once.


@pytest.fixture(scope="module")
def repo() -> Project:
    return Project(REPO)


@pytest.fixture(scope="module")
def article(repo) -> Document:
    return load_document(ARTICLE, repo)


@pytest.fixture(scope="module")
def profiles(repo):
    return load_profiles(repo.audiences_file)


@pytest.fixture(scope="module")
def decks(repo, article, profiles) -> dict:
    """audience -> (document as selected, theme, Rendered)."""
    out = {}
    for name in AUDIENCES:
        profile = profiles[name]
        document, theme = select(article, profile), load_theme(profile.theme, repo)
        out[name] = (document, theme, render("pptx", document, theme, profile.options_for("pptx")))
    return out


@pytest.fixture(scope="module")
def converted(decks, tmp_path_factory) -> dict:
    """audience -> the text LibreOffice shows on each page of the converted deck."""
    folder = tmp_path_factory.mktemp("office")
    pages = {}
    for name, (_, theme, result) in decks.items():
        source = folder / f"{name}.pptx"
        source.write_bytes(result.data)
        pdf = office.convert(source, folder, font_dirs=theme.fonts.folders())
        # Reading order, not -layout: columns side by side would interleave line by line.
        text = subprocess.run(
            ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        pages[name] = text.split("\f")
    return pages


def open_deck(data: bytes):
    return Presentation(io.BytesIO(data))


def title_of(slide) -> str:
    shape = slide.shapes.title
    return shape.text_frame.text if shape is not None else ""


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


# ----------------------------------------------------------------------------------------
# The real article, every audience


@pytest.mark.parametrize("audience", AUDIENCES)
def test_deck_is_16_9_and_slide_count_matches(decks, audience):
    result = decks[audience][2]
    prs = open_deck(result.data)
    assert abs(prs.slide_width / prs.slide_height - 16 / 9) < 0.01
    assert len(prs.slides) == result.units > 5


@pytest.mark.parametrize("audience", AUDIENCES)
def test_every_slide_has_a_real_title_read_first(decks, audience):
    prs = open_deck(decks[audience][2].data)
    for number, slide in enumerate(prs.slides, 1):
        title = slide.shapes.title
        assert title is not None and title.text_frame.text.strip(), f"slide {number}"
        assert title.placeholder_format.type in (PH.TITLE, PH.CENTER_TITLE)
        first = next(iter(slide.shapes))
        assert first.shape_id == title.shape_id, f"slide {number}: title not first"


@pytest.mark.parametrize("audience", AUDIENCES)
def test_sections_in_order_as_powerpoint_sections(decks, audience):
    document, _, result = decks[audience]
    prs = open_deck(result.data)
    lst = prs.part._element.find(f".//{P14}sectionLst")
    names = [s.get("name") for s in lst.iter(f"{P14}section")]
    assert names == [document.title] + [section_label(s) for s in document.sections]
    ids = [int(i.get("id")) for i in lst.iter(f"{P14}sldId")]
    assert ids == [s.slide_id for s in prs.slides]  # each slide once, in order
    placed = [result.placement[s.id][0] for s in document.sections]
    assert placed == sorted(placed)
    for section in document.sections:
        first = prs.slides[result.placement[section.id][0] - 1]
        assert section.title in title_of(first) or any(
            b.text in title_of(first) for b in section.blocks if hasattr(b, "text")
        )


@pytest.mark.parametrize("audience", AUDIENCES)
def test_notes_on_every_slide_and_all_prose_somewhere(decks, audience):
    document, _, result = decks[audience]
    prs = open_deck(result.data)
    shown = []
    for number, slide in enumerate(prs.slides, 1):
        assert slide.has_notes_slide, f"slide {number} has no notes"
        notes = slide.notes_slide.notes_text_frame.text
        assert notes.strip(), f"slide {number} has empty notes"
        shown.append(notes)
        shown += [s.text_frame.text for s in slide.shapes if s.has_text_frame]
    everything = squash(" ".join(shown))
    for section in document.sections:
        for block in section.blocks:
            if isinstance(block, Paragraph):
                assert squash(block.text) in everything, block.text[:40]


@pytest.mark.parametrize("audience", ["tech-leaders", "executives"])
def test_use_case_table_is_a_native_table_with_a_header_row(decks, audience):
    document, _, result = decks[audience]
    prs = open_deck(result.data)
    table = next(s for s in document.sections if s.id == "use-cases").blocks
    source = next(b for b in table if isinstance(b, Table))
    rows = []
    for number in result.placement["use-cases"]:
        for shape in prs.slides[number - 1].shapes:
            if shape.has_table:
                tbl = shape.table
                assert tbl.first_row
                assert [c.text for c in tbl.rows[0].cells] == list(source.header)
                rows += [tuple(c.text for c in r.cells) for r in list(tbl.rows)[1:]]
    assert rows == list(source.rows)  # split across slides, header repeated, nothing lost


@pytest.mark.parametrize("audience", AUDIENCES)
def test_core_properties_come_from_the_source(decks, audience):
    document, _, result = decks[audience]
    props = open_deck(result.data).core_properties
    assert props.title == document.title
    assert props.subject == document.subtitle
    assert props.author == props.last_modified_by == "Remoteplatz"
    assert props.keywords == "; ".join(document.keywords)
    assert props.language == "en"
    assert props.created == props.modified == dt.datetime(2026, 11, 24)
    assert "python-pptx" not in (props.comments or "")


@pytest.mark.parametrize("audience", AUDIENCES)
def test_no_text_frame_overflows(decks, audience):
    _, theme, result = decks[audience]
    assert overflowing_frames(open_deck(result.data), theme) == []


@pytest.mark.parametrize("audience", AUDIENCES)
def test_bullets_show_markers_as_picture_bullets(decks, audience):
    prs = open_deck(decks[audience][2].data)
    blips = [b for s in prs.slides for b in s._element.iter(qn("a:buBlip"))]
    assert blips
    for slide in prs.slides:
        for blip in slide._element.iter(qn("a:buBlip")):
            rid = blip.find(qn("a:blip")).get(qn("r:embed"))
            assert slide.part.related_part(rid).content_type == "image/png"


def test_reproducible_byte_for_byte(decks, profiles, repo, article, monkeypatch):
    profile = profiles["tech-leaders"]
    theme = load_theme(profile.theme, repo)
    again = render("pptx", select(article, profile), theme, profile.options_for("pptx")).data
    assert again == decks["tech-leaders"][2].data
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    first = render("pptx", select(article, profile), theme, profile.options_for("pptx")).data
    second = render("pptx", select(article, profile), theme, profile.options_for("pptx")).data
    assert first == second != again
    assert open_deck(first).core_properties.created == dt.datetime(2023, 11, 14, 22, 13, 20)


def test_libreoffice_shows_every_title_and_bullet(decks, converted):
    for audience, (document, _, result) in decks.items():
        pages = converted[audience]
        prs = open_deck(result.data)
        assert len([p for p in pages if p.strip()]) == len(prs.slides)
        for number, slide in enumerate(prs.slides, 1):
            page = squash(pages[number - 1])
            assert squash(title_of(slide)) in page, (audience, number)
        bullets = [
            i.text
            for s in document.sections
            for b in s.blocks
            if isinstance(b, Bullets)
            for i in b.items
        ]
        everything = squash("".join(pages))
        for text in bullets:
            assert squash(text) in everything, (audience, text)


def test_cli_builds_a_deck_per_audience(project):
    done = twinpress("build", "-f", "pptx", "--force", cwd=project.root)
    assert done.returncode == 0, done.stdout + done.stderr
    for audience in AUDIENCES:
        deck = project.output / audience / "rust-vs-go.pptx"
        assert len(Presentation(str(deck)).slides) > 5


# ----------------------------------------------------------------------------------------
# Every shipped theme


@pytest.mark.parametrize("theme_name", ALL_THEMES)
@pytest.mark.parametrize("audience", AUDIENCES)
def test_every_theme_and_audience_fits(repo, article, profiles, theme_name, audience):
    profile = profiles[audience]
    theme = load_theme(theme_name, repo)
    data = render("pptx", select(article, profile), theme, profile.options_for("pptx")).data
    prs = open_deck(data)
    assert all(title_of(s).strip() for s in prs.slides)
    assert overflowing_frames(prs, theme) == []


def test_drawn_master_carries_the_theme(repo, article):
    theme = load_theme("keynote", repo)
    prs = open_deck(render("pptx", article, theme, Options()).data)
    names = [layout.name for layout in prs.slide_layouts]
    assert names == [
        theme.pptx.layouts.title,
        theme.pptx.layouts.content,
        theme.pptx.layouts.section,
        theme.pptx.layouts.two_content,
        theme.pptx.layouts.title_only,
    ]
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT

    xml = prs.slide_master.part.part_related_by(RT.THEME).blob.decode()
    assert 'typeface="Manrope"' in xml and "0F1522" in xml and "7CB2FF" in xml
    families = {e.get("typeface") for s in prs.slides for e in s._element.iter(qn("a:latin"))}
    assert families == {"Manrope", "Inter"}


# ----------------------------------------------------------------------------------------
# Corporate templates


def test_acme_template_masters_are_used_and_sample_slide_removed(repo, article):
    theme = load_theme("acme", repo)
    prs = open_deck(render("pptx", article, theme, Options()).data)
    used = {s.slide_layout.name for s in prs.slides}
    assert used <= {
        "Acme Title",
        "Acme Section",
        "Acme Content",
        "Acme Two Content",
        "Acme Title Only",
    }
    assert "Acme Title" in used and "Acme Content" in used
    assert not any("sample" in title_of(s).lower() for s in prs.slides)
    assert prs.slide_master.name == "Acme Master"
    number, slide = next(
        (n, s) for n, s in enumerate(prs.slides, 1) if s.slide_layout.name == "Acme Content"
    )
    footers = [p for p in slide.placeholders if p.placeholder_format.type == PH.SLIDE_NUMBER]
    assert footers and footers[0].text_frame.text == str(number)


def test_template_without_a_needed_layout_names_the_ones_it_has(project):
    theme_yaml = project.themes / "acme" / "theme.yaml"
    text = theme_yaml.read_text().replace("title_only: Acme Title Only", "title_only: Acme Picture")
    theme_yaml.unlink()
    theme_yaml.write_text(text)
    line = next(n for n, t in enumerate(text.splitlines(), 1) if "Acme Picture" in t)
    with pytest.raises(ContentError) as error:
        load_theme("acme", project)
    (problem,) = error.value.diagnostics
    assert (problem.code, problem.loc.path, problem.loc.line) == (
        "theme.template-layout",
        theme_yaml,
        line,
    )
    assert "'Acme Picture' (for title_only)" in problem.message
    assert "'Acme Title'" in problem.hint and "'Acme Title Only'" in problem.hint
    # `check` finds it though no audience uses the theme; a build with it stops before rendering.
    for command in (["check"], ["build", "--theme", "acme", "-f", "pptx"]):
        done = twinpress(*command, cwd=project.root)
        assert done.returncode == 1
        assert f"themes/acme/theme.yaml:{line}:" in done.stderr and "Acme Picture" in done.stderr
        assert "Traceback" not in done.stdout + done.stderr
    assert not (project.output / "executives" / "rust-vs-go.pptx").exists()


def test_a_damaged_template_is_reported_at_the_theme_line(project):
    template = project.themes / "acme" / "template.pptx"
    template.unlink()
    template.write_bytes(b"PK\x03\x04 not really a zip file")
    done = twinpress("check", cwd=project.root)
    assert done.returncode == 1
    assert re.search(
        r"themes/acme/theme\.yaml:\d+:\d+: error: template 'template.pptx' is not a "
        r"PowerPoint file",
        done.stderr,
    ), done.stderr
    assert "bug in twinpress" not in done.stderr and "Traceback" not in done.stderr


# ----------------------------------------------------------------------------------------
# Accessibility of pictures


def test_pictures_get_alt_text_from_the_source_never_a_file_name(repo, tmp_path):
    from PIL import Image as PILImage

    path = tmp_path / "architecture-diagram-final.png"
    PILImage.new("RGB", (800, 400), (30, 90, 160)).save(path)
    image = Image(
        src="architecture-diagram-final.png",
        alt="Services talk over gRPC",
        caption="The system at a glance",
        path=path,
    )
    document = _doc([Section("s", "Architecture", (Paragraph("Intro."), image))])
    theme = load_theme("corporate", repo)
    prs = open_deck(render("pptx", document, theme, Options()).data)
    pictures = [s for slide in prs.slides for s in slide.shapes if s.shape_type == 13]
    assert len(pictures) == 1
    descr = pictures[0]._element._nvXxPr.cNvPr.get("descr")
    assert descr == "Services talk over gRPC"
    ratio = pictures[0].width / pictures[0].height
    assert abs(ratio - 2.0) < 0.01
    assert overflowing_frames(prs, theme) == []


# ----------------------------------------------------------------------------------------
# Nothing overflows, on any input


def _doc(sections, **fields) -> Document:
    values = {
        "title": "Property deck",
        "date": dt.date(2026, 1, 2),
        "sections": number_sections(tuple(sections)),
        **fields,
    }
    return Document(**values)


def test_checker_is_not_blind(repo, article):
    """Stuff a body frame past its box: the checker must report exactly that frame."""
    theme = load_theme("corporate", repo)
    prs = open_deck(render("pptx", article, theme, Options()).data)
    slide = next(
        s
        for s in prs.slides
        if s.slide_layout.name == theme.pptx.layouts.content
        and any(p.placeholder_format.idx == 1 for p in s.placeholders)
    )
    body = next(p for p in slide.placeholders if p.placeholder_format.idx == 1)
    paragraph = body.text_frame.paragraphs[-1]._p
    for _ in range(40):
        body.text_frame._txBody.append(copy.deepcopy(paragraph))
    found = overflowing_frames(prs, theme)
    assert [f.shape for f in found] == [body.name]
    assert found[0].needed > found[0].available


def test_long_word_breaks_instead_of_overflowing(repo):
    word = "Donaudampfschifffahrtsgesellschaftskapitänswitwe" * 4
    document = _doc([Section("s", "Words", (Bullets((BulletItem(word),) * 3),))])
    theme = load_theme("high-contrast", repo)
    prs = open_deck(render("pptx", document, theme, Options()).data)
    assert overflowing_frames(prs, theme) == []


def test_forty_bullets_continue_on_cont_slides(repo):
    items = tuple(
        BulletItem(f"Point {n}: latency, throughput and tail behaviour under load")
        for n in range(1, 41)
    )
    document = _doc([Section("s", "Many points", (Bullets(items, marker="check"),))])
    theme = load_theme("corporate", repo)
    result = render("pptx", document, theme, Options(agenda=False))
    prs = open_deck(result.data)
    titles = [title_of(s) for s in prs.slides]
    assert "Many points (cont.)" in titles
    body = " ".join(s.text_frame.text for sl in prs.slides for s in sl.shapes if s.has_text_frame)
    assert all(f"Point {n}:" in body for n in range(1, 41))
    assert overflowing_frames(prs, theme) == []


def test_a_long_section_measures_each_paragraph_once_a_step_though_it_is_set_twice(
    repo, monkeypatch
):
    """Setting a section tries several scales and, once it turns out to need a divider,
    sets the section again: each bullet is measured once at each scale tried, not again."""
    from pipeline.renderers.pptx.slides import SlideSetter
    from pipeline.renderers.pptx.style import Style

    measured: collections.Counter[str] = collections.Counter()
    steps: set[int] = set()
    measure, paginate = Style.para_height, SlideSetter.paginate

    def measure_counted(self, text, *args):
        measured[text.spans[0].text] += 1
        return measure(self, text, *args)

    def paginate_seen(self, units, k, *args):
        steps.add(k)
        return paginate(self, units, k, *args)

    monkeypatch.setattr(Style, "para_height", measure_counted)
    monkeypatch.setattr(SlideSetter, "paginate", paginate_seen)
    items = tuple(BulletItem(f"Point {n}: latency and throughput under load") for n in range(90))
    theme = load_theme("corporate", repo)
    document = _doc([Section("s", "Many points", (Bullets(items),))])
    prs = open_deck(render("pptx", document, theme, Options(agenda=False)).data)
    layouts = [s.slide_layout.name for s in prs.slides]
    assert layouts.count(theme.pptx.layouts.section) == 1  # set twice: without, then with it
    assert "Many points (cont.)" in [title_of(s) for s in prs.slides]
    assert len(steps) > 1
    assert {measured[item.text] for item in items} == {len(steps)}


def test_an_agenda_or_takeaways_over_several_slides_notes_on_each_what_it_shows(repo):
    """Sixty sections (and two unnumbered asides of one title): the agenda and the key
    takeaways run over several slides, and each slide's notes are the lines of the sections
    it shows, not the whole list again (which made the notes grow with the square of the
    document); sections that read alike keep a line each."""
    sections = [
        Section(f"s{n}", f"Topic {n}", (Paragraph("Body."), Verdict("Go wins."))) for n in range(60)
    ]
    sections += [Section(f"a{n}", "Aside", (Paragraph("More."),), numbered=False) for n in (1, 2)]
    document = _doc(sections)
    theme = load_theme("corporate", repo)
    prs = open_deck(render("pptx", document, theme, Options(dividers=False)).data)
    for piece in ("Agenda", "Key takeaways"):
        slides = [s for s in prs.slides if title_of(s).startswith(piece)]
        assert len(slides) > 2
        shown, asides = [], 0
        for slide in slides:
            body = " ".join(sh.text_frame.text for sh in slide.shapes if sh.has_text_frame)
            numbers = [int(n) for n in re.findall(r"Topic (\d+)", body)]
            notes = slide.notes_slide.notes_text_frame.text.splitlines()
            topics = [line for line in notes if "Topic" in line]
            assert [int(re.search(r"Topic (\d+)", line)[1]) for line in topics] == numbers
            assert notes.count("Aside") == body.count("Aside")
            shown += numbers
            asides += notes.count("Aside")
        assert shown == list(range(60))  # every section once, in order
        if piece == "Agenda":
            assert asides == 2
        else:
            assert slide.notes_slide.notes_text_frame.text.endswith("60. Topic 59: Go wins.")


def test_huge_table_splits_by_rows_with_the_header_repeated(repo):
    rows = tuple(
        (f"Row {n}", "A cell with a few words of text " * (n % 4 + 1), "—") for n in range(60)
    )
    document = _doc([Section("s", "Big table", (Table(("Name", "Detail", "Go"), rows),))])
    theme = load_theme("keynote", repo)
    prs = open_deck(render("pptx", document, theme, Options(agenda=False)).data)
    tables = [s.table for sl in prs.slides for s in sl.shapes if s.has_table]
    assert len(tables) > 2
    assert all([c.text for c in t.rows[0].cells] == ["Name", "Detail", "Go"] for t in tables)
    assert sum(len(t.rows) - 1 for t in tables) == 60
    assert overflowing_frames(prs, theme) == []


@pytest.mark.parametrize("theme_name", ["corporate", "acme"])
def test_huge_subtitle_and_summary_degrade_instead_of_failing(repo, theme_name):
    """A subtitle too long for the cover is cut (whole in the notes); a summary too long
    for the divider opens the section's body instead."""
    words = " ".join(f"word{n}" for n in range(600))
    document = _doc(
        [Section("s", "Long", (Paragraph("Body text."),), summary=words)], subtitle=words
    )
    theme = load_theme(theme_name, repo)
    prs = open_deck(render("pptx", document, theme, Options(agenda=False)).data)
    cover = prs.slides[0]
    shown = " ".join(sh.text_frame.text for sh in cover.shapes if sh.has_text_frame)
    assert "word0 " in shown and "word599" not in shown and "…" in shown
    assert "word599" in cover.notes_slide.notes_text_frame.text
    slides = list(prs.slides)[1:]
    body = " ".join(sh.text_frame.text for sl in slides for sh in sl.shapes if sh.has_text_frame)
    notes = " ".join(sl.notes_slide.notes_text_frame.text for sl in slides)
    assert "word599" in body and "Body text." in body + notes
    assert overflowing_frames(prs, theme) == []


@pytest.mark.parametrize("theme_name", ["corporate", "acme"])
def test_two_comparisons_on_one_slide_keep_every_column_in_reading_order(repo, theme_name):
    """Short comparisons share a slide: neither may overwrite the other's placeholders."""

    def comparison(tag: str) -> Comparison:
        return Comparison(
            tuple(
                Column(f"{tag} {side}", (BulletItem(f"{tag} {side} point"),))
                for side in ("Rust", "Go")
            )
        )

    document = _doc([Section("s", "Side by side", (comparison("First"), comparison("Second")))])
    theme = load_theme(theme_name, repo)
    options = Options(agenda=False, dividers=False)
    prs = open_deck(render("pptx", document, theme, options).data)
    slide = next(s for s in prs.slides if title_of(s) == "Side by side")
    texts = [sh.text_frame.text for sh in slide.shapes if sh.has_text_frame]
    body = "\n".join(texts)
    expected = [f"{tag} {side} point" for tag in ("First", "Second") for side in ("Rust", "Go")]
    assert all(e in body for e in expected), texts
    # The shape tree is the reading order: title first, then the columns as planned.
    positions = [next(i for i, t in enumerate(texts) if e in t) for e in expected]
    assert texts[0] == "Side by side" and positions == sorted(positions)
    assert overflowing_frames(prs, theme) == []


@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    document=documents(max_sections=3),
    theme_name=st.sampled_from(ALL_THEMES),
    density=st.sampled_from(["concise", "full"]),
    dividers=st.sampled_from([None, False]),
)
def test_generated_documents_never_overflow(document, theme_name, density, dividers):
    theme = load_theme(theme_name, Project(REPO))
    document = dataclasses.replace(
        document, sections=number_sections(document.sections), audience="Testers"
    )
    options = Options(density=density, dividers=dividers)
    result = render("pptx", document, theme, options)
    prs = open_deck(result.data)
    assert len(prs.slides) == result.units
    assert all(title_of(s).strip() for s in prs.slides)
    assert overflowing_frames(prs, theme) == []
    shown = squash(
        " ".join(
            [sl.notes_slide.notes_text_frame.text for sl in prs.slides if sl.has_notes_slide]
            + [s.text_frame.text for sl in prs.slides for s in sl.shapes if s.has_text_frame]
            + [
                c.text
                for sl in prs.slides
                for s in sl.shapes
                if s.has_table
                for r in s.table.rows
                for c in r.cells
            ]
        )
    )
    for section in document.sections:
        for block in section.blocks:
            if isinstance(block, (Paragraph, Bullets)):
                texts = (
                    [block.text] if isinstance(block, Paragraph) else [i.text for i in block.items]
                )
                for word in (w for t in texts for w in t.split()):
                    assert squash(word) in shown, word[:50]


def test_python_pptx_s_xpath_queries_are_compiled_once_each_and_draw_the_same_deck(
    article_inputs, monkeypatch
):
    import threading

    from lxml import etree
    from pptx.oxml import xmlchemy

    from pipeline.renderers.pptx.ooxml import xpaths

    xpaths.install()
    assert xmlchemy.BaseOxmlElement.xpath is xpaths._compiled_xpath
    document, profiles, repo = article_inputs
    profile = profiles["tech-leaders"]
    args = (select(document, profile), load_theme(profile.theme, repo), profile.options_for("pptx"))
    compiled, evaluated = [], []
    compile_xpath = etree.XPath

    def compiling(text, **kwargs):
        compiled.append(text)
        return compile_xpath(text, **kwargs)

    def evaluating(element, text):
        evaluated.append(text)
        return xpaths._compiled_xpath(element, text)

    monkeypatch.setattr(xpaths, "_local", threading.local())  # nothing compiled yet
    monkeypatch.setattr(etree, "XPath", compiling)
    monkeypatch.setattr(xmlchemy.BaseOxmlElement, "xpath", evaluating)
    deck = render("pptx", *args).data
    assert len(evaluated) > 2000  # the placeholder test of every shape, mostly
    assert len(compiled) == len(set(compiled)) == len(set(evaluated)) < 100
    monkeypatch.setattr(xmlchemy.BaseOxmlElement, "xpath", xpaths.evaluated_by_lxml)
    assert render("pptx", *args).data == deck
