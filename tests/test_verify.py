"""Coverage across outputs, proved by `twinpress verify`, and mutations proving it is not blind."""

from __future__ import annotations

import json
import shutil

import pytest
from conftest import twinpress, write

from pipeline import renderers
from pipeline.audience import load_profiles, select
from pipeline.loader import load_document
from pipeline.model import block_texts
from pipeline.renderers.contract import Part
from pipeline.themes import load_theme
from pipeline.verify import locate

FORMATS = ("pptx", "pdf", "html", "markdown")
ALL_SECTIONS = [
    "intro",
    "basics",
    "performance",
    "concurrency",
    "ease-of-use",
    "use-cases",
    "hiring",
    "future",
    "conclusion",
]


@pytest.fixture(scope="module")
def built(tmp_path_factory, template_project):
    """Every audience in every format, built once for this module."""
    root = tmp_path_factory.mktemp("verified")
    shutil.copytree(template_project, root, dirs_exist_ok=True)
    result = twinpress("build", *[a for f in FORMATS for a in ("-f", f)], cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    from pipeline.project import Project

    return Project(root)


@pytest.fixture
def copy(built, tmp_path):
    """A private copy of the built project, for mutations."""
    from pipeline.project import Project

    root = tmp_path / "copy"
    shutil.copytree(built.root, root, symlinks=True)
    return Project(root)


def report(project, *args: str) -> dict:
    result = twinpress("verify", "--json", *args, cwd=project.root)
    data = json.loads(result.stdout)
    assert (result.returncode == 0) == data["ok"]
    return data


def test_every_audience_and_format_covers_its_sections_in_order(built):
    data = report(built, *[a for f in FORMATS for a in ("-f", f)])
    assert data["ok"], json.dumps([o["problems"] for o in data["outputs"]], indent=1)
    profiles = load_profiles(built.audiences_file)
    document = load_document(built.content / "rust-vs-go.yaml", built)
    for output in data["outputs"]:
        expected = [s.id for s in select(document, profiles[output["audience"]]).sections]
        assert [s["id"] for s in output["sections"]] == expected
        assert all(s["status"] == "ok" and not s["missing"] for s in output["sections"])
        starts = [s["units"][0] for s in output["sections"]]
        assert starts == sorted(starts), f"{output['file']}: sections out of order"


def test_the_full_article_deck_and_pdf_cover_all_nine_sections(built):
    data = report(built, "-a", "tech-leaders", "-f", "pptx", "-f", "pdf")
    for output in data["outputs"]:
        assert [s["id"] for s in output["sections"]] == ALL_SECTIONS
        assert all(s["units"] for s in output["sections"])


def test_every_text_of_the_article_is_in_the_deck_and_the_pdf(built):
    """The same check without verify's locator: plain text search over whole outputs."""
    from pipeline.verify import norm

    document = load_document(built.content / "rust-vs-go.yaml", built)
    theme = load_theme("corporate", built)
    for fmt, name in (("pptx", "rust-vs-go.pptx"), ("pdf", "rust-vs-go.pdf")):
        read = renderers.get(fmt).read_back(built.output / "tech-leaders" / name, theme)
        text = norm(" ".join(u.text for u in read.parts))
        for section in document.sections:
            assert norm(section.title) in text
            for block in section.blocks:
                for piece in block_texts(block):
                    assert norm(piece) in text, (fmt, section.id, piece)


def test_manifest_placement_matches_what_verify_reads(built):
    data = report(built, "-f", "pptx", "-f", "pdf")
    for output in data["outputs"]:
        manifest = json.loads(
            (built.root / output["file"]).with_name("rust-vs-go.manifest.json").read_text()
        )
        placed = manifest["outputs"][output["format"]]["sections"]
        for section in output["sections"]:
            assert section["units"][0] in placed[section["id"]], (output["file"], section)


def test_deleting_a_slide_is_caught(copy):
    from pptx import Presentation

    path = copy.output / "tech-leaders" / "rust-vs-go.pptx"
    deck = Presentation(str(path))
    victim = next(
        i for i, s in enumerate(deck.slides) if s.shapes.title.text == "The Future of Rust vs. Go"
    )
    slides = deck.slides._sldIdLst
    slides.remove(slides[victim])
    deck.save(str(path))
    data = report(copy, "-a", "tech-leaders", "-f", "pptx")
    assert not data["ok"]
    problems = data["outputs"][0]["problems"]
    messages = " ".join(p["message"] for p in problems)
    assert "section 'future'" in messages and "tech-leaders/rust-vs-go.pptx" in messages
    assert {p["code"] for p in problems} >= {"verify.modified"}


def test_a_verdict_left_only_in_the_key_takeaways_is_caught(copy):
    """The key takeaways repeat the verdicts: verify reads them as a summary, so a verdict
    gone from its section's slide is missing there, whatever the summary still says."""
    from pptx import Presentation

    path = copy.output / "tech-leaders" / "rust-vs-go.pptx"
    assert report(copy, "-a", "tech-leaders", "-f", "pptx")["outputs"][0]["summary"] == {
        "name": "key takeaways",
        "units": [3],
    }
    deck = Presentation(str(path))
    slide = next(s for s in deck.slides if s.shapes.title.text.startswith("Performance"))
    for shape in [s for s in slide.shapes if s.name.startswith("Verdict")]:
        shape._element.getparent().remove(shape._element)
    deck.save(str(path))
    data = report(copy, "-a", "tech-leaders", "-f", "pptx")
    assert not data["ok"]
    partial = [p for p in data["outputs"][0]["problems"] if p["code"] == "verify.partial"]
    assert len(partial) == 1 and "section 'performance'" in partial[0]["message"]
    assert "If your priority is absolute speed" in partial[0]["message"]


def test_deleting_a_page_is_caught(copy):
    from pypdf import PdfReader, PdfWriter

    path = copy.output / "engineers" / "rust-vs-go.pdf"
    reader, writer = PdfReader(str(path)), PdfWriter()
    for number, page in enumerate(reader.pages, 1):
        if number != 4:
            writer.add_page(page)
    writer.write(str(path))
    data = report(copy, "-a", "engineers", "-f", "pdf")
    assert not data["ok"]
    bad = {s["id"]: s["status"] for s in data["outputs"][0]["sections"] if s["status"] != "ok"}
    assert bad, data
    messages = " ".join(p["message"] for p in data["outputs"][0]["problems"])
    for ident in bad:
        assert f"section '{ident}'" in messages


def test_deleting_a_bullets_text_is_caught(copy):
    from pptx import Presentation

    path = copy.output / "engineers" / "rust-vs-go.pptx"
    deck = Presentation(str(path))
    emptied = 0
    for slide in deck.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                for paragraph in shape.text_frame.paragraphs:
                    if paragraph.text == "Blockchain applications":
                        for run in paragraph.runs:
                            run.text = ""
                        emptied += 1
    assert emptied == 1
    deck.save(str(path))
    data = report(copy, "-a", "engineers", "-f", "pptx")
    problems = data["outputs"][0]["problems"]
    partial = [p for p in problems if p["code"] == "verify.partial"]
    assert partial and "'Blockchain applications'" in partial[0]["message"]
    assert "section 'performance'" in partial[0]["message"]


def test_deleting_a_bullet_in_html_is_caught(copy):
    path = copy.output / "executives" / "rust-vs-go.html"
    text = path.read_text()
    assert text.count("Expansion into cloud computing") == 1
    path.write_text(text.replace("Expansion into cloud computing", ""))
    data = report(copy, "-a", "executives", "-f", "html")
    messages = " ".join(p["message"] for p in data["outputs"][0]["problems"])
    assert "section 'future' is only partly in" in messages
    assert "Expansion into cloud computing" in messages


def test_reordered_pages_are_caught(copy):
    from pypdf import PdfReader, PdfWriter

    path = copy.output / "tech-leaders" / "rust-vs-go.pdf"
    reader, writer = PdfReader(str(path)), PdfWriter()
    pages = list(reader.pages)
    for page in pages[:2] + pages[2:][::-1]:  # cover and contents first, the rest reversed
        writer.add_page(page)
    writer.write(str(path))
    data = report(copy, "-a", "tech-leaders", "-f", "pdf")
    statuses = {s["status"] for s in data["outputs"][0]["sections"]}
    assert "out-of-order" in statuses or "partial" in statuses
    assert not data["ok"]


def test_a_stale_output_is_caught(copy):
    source = copy.content / "rust-vs-go.yaml"
    write(
        copy,
        "rust-vs-go.yaml",
        source.read_text().replace("Concurrency is essential", "Concurrency is crucial"),
    )
    data = report(copy, "-a", "engineers", "-f", "pdf")
    problems = data["outputs"][0]["problems"]
    stale = [p for p in problems if p["code"] == "verify.stale"]
    assert stale and "the source changed" in stale[0]["message"]


def test_a_theme_change_makes_outputs_stale(copy):
    (copy.themes / "keynote" / "extra.txt").write_text("changed")
    data = report(copy, "-a", "engineers", "-f", "pptx")
    assert any(
        p["code"] == "verify.stale" and "theme" in p["message"]
        for p in data["outputs"][0]["problems"]
    )
    other = report(copy, "-a", "tech-leaders", "-f", "pptx")
    assert other["ok"]  # corporate is untouched


def test_a_missing_output_is_reported(copy):
    (copy.output / "executives" / "rust-vs-go.pptx").unlink()
    result = twinpress("verify", "-a", "executives", "-f", "pptx", cwd=copy.root)
    assert result.returncode == 1 and "[verify.missing-output]" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_damaged_output_is_reported_not_crashed(copy):
    (copy.output / "executives" / "rust-vs-go.pdf").write_bytes(b"%PDF-1.7 garbage")
    result = twinpress("verify", "-a", "executives", "-f", "pdf", cwd=copy.root)
    assert result.returncode == 1 and "[verify.unreadable]" in result.stderr
    assert "Traceback" not in result.stderr


def test_human_report_lists_where_each_section_is(built):
    result = twinpress("verify", "-a", "tech-leaders", cwd=built.root)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    header = next(line for line in lines if line.startswith("section"))
    assert "pptx (slides)" in header and "pdf (pages)" in header and "html" in header
    row = next(line for line in lines if line.startswith("performance"))
    assert len(row.split()) == 4


def test_locate_finds_a_bullet_split_across_two_slides():
    import datetime as dt

    from pipeline.model import BulletItem, Bullets, Document, Section

    long = "word " * 40 + "end of the long bullet"
    document = Document(
        "T",
        dt.date(2026, 1, 1),
        (Section("a", "Alpha", blocks=(Bullets((BulletItem(long.strip()),)),), number=1),),
    )
    half = len(long) // 2
    units = [
        Part(1, "Cover page"),
        Part(2, "Alpha\n" + long[:half] + "\n2"),
        Part(3, "Alpha (cont.)\n" + long[half:] + "\n3"),
    ]
    (found,) = locate(document, units)
    assert found.status == "ok" and found.units == [2, 3]
    units[2] = Part(3, "Alpha (cont.)\nsomething else")
    (found,) = locate(document, units)
    assert found.status == "partial"


def test_a_split_match_cannot_be_assembled_from_scattered_words():
    import datetime as dt

    from pipeline.model import BulletItem, Bullets, Document, Section

    document = Document(
        "T",
        dt.date(2026, 1, 1),
        (
            Section(
                "a",
                "Alpha",
                blocks=(
                    Bullets(
                        (
                            BulletItem("Blockchain applications"),
                            BulletItem("Experience in blockchain, fintech"),
                        )
                    ),
                ),
                number=1,
            ),
        ),
    )
    units = [
        Part(1, "Alpha\nExperience in blockchain, fintech"),
        Part(2, "Alpha (cont.)\nHigh-performance applications"),
    ]
    (found,) = locate(document, units)
    assert found.status == "partial" and found.missing == ["Blockchain applications"]


def test_a_section_whose_only_text_is_a_short_caption_starts_at_its_own_title():
    """Found by the property test: a picture captioned 'Go' after a slide whose kicker
    repeats the previous title ('... with Go') must not start its section on that slide."""
    import datetime as dt

    from pipeline.model import Document, Image, Paragraph, Section

    document = Document(
        "T",
        dt.date(2026, 1, 1),
        (
            Section("a", "Rust or Go", blocks=(Paragraph("Pick by team and workload."),)),
            Section("b", "Picture of the gopher", blocks=(Image("g.png", "", caption="Go"),)),
            Section("c", "What to do next", blocks=(Paragraph("Go and try both."),)),
        ),
    )
    units = [
        Part(1, "Rust or Go\nPick by team and workload."),
        Part(2, "Next steps\nRust or Go"),  # a call to action's kicker names its section
        Part(3, "Picture of the gopher\nGo"),
        Part(4, "What to do next\nGo and try both."),
    ]
    found = locate(document, units, whole_units=True)
    assert [(f.status, f.units) for f in found] == [("ok", [1]), ("ok", [3]), ("ok", [4])]


def test_a_split_piece_must_end_a_line_where_it_is_cut():
    """The start of a text found mid-line elsewhere is not a continuation of it."""
    import datetime as dt

    from pipeline.model import BulletItem, Bullets, Document, Section

    text = "Rust delivers unmatched performance by eliminating runtime overhead entirely"
    document = Document(
        "T",
        dt.date(2026, 1, 1),
        (Section("a", "Alpha", blocks=(Bullets((BulletItem(text),)),), number=1),),
    )
    units = [
        Part(1, "Cover"),
        Part(2, "Alpha\nRust delivers unmatched performance by eliminating waste, and more"),
        Part(3, "Alpha (cont.)\nruntime overhead entirely"),
    ]
    (found,) = locate(document, units)
    assert found.status == "partial"
    units[1] = Part(2, "Alpha\nRust delivers unmatched performance by eliminating")
    (found,) = locate(document, units)
    assert found.status == "ok" and found.units == [2, 3]


def test_a_section_with_no_text_to_find_is_unverifiable_not_missing():
    """An emoji title over an uncaptioned picture gives verify nothing to look for: it says
    so (a warning), and the sections around it are still checked."""
    import datetime as dt

    from pipeline.model import BulletItem, Bullets, Document, Image, Section

    document = Document(
        "T",
        dt.date(2026, 1, 1),
        (
            Section("a", "Alpha", blocks=(Bullets((BulletItem("First point"),)),), number=1),
            Section("pin", "📌", blocks=(Image("images/logo.png", "A logo"),), number=2),
            Section("c", "Gamma", blocks=(Bullets((BulletItem("Last point"),)),), number=3),
        ),
    )
    units = [Part(1, "Alpha\nFirst point"), Part(2, "📌"), Part(3, "Gamma\nLast point")]
    statuses = [found.status for found in locate(document, units)]
    assert statuses == ["ok", "unverifiable", "ok"]
    units[2] = Part(3, "Gamma\nsomething else")
    assert [found.status for found in locate(document, units)][2] == "partial"


def test_text_printed_in_capitals_still_matches():
    """Labels print through CSS text-transform: 'ı' becomes 'I', 'ß' becomes 'SS'."""
    from pipeline.verify import norm

    for text in ("naïve ıėĻ", "Straße", "ςίγμα", "Ǆemal"):
        assert norm(text.upper()) == norm(text), text
