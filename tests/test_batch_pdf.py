"""Personalised briefings stitched from a shared layout are the briefings a full render makes.

The fast path (renderers/briefing/shared.py, stitch.py, replay.py) lays the body out and
draws it once per group of copies; these tests hold it to a full WeasyPrint render of the
same personalised document: the same bytes, the same text and pixels on every page, a valid
tagged PDF with bookmarks and embedded subset fonts, and a full render wherever stitching
would not be exact.
"""

from __future__ import annotations

import dataclasses
import io
import subprocess
from pathlib import Path

import pikepdf
import pypdfium2
import pytest
from conftest import ARTICLE, REPO, write

from pipeline import renderers
from pipeline.audience import load_profiles, select
from pipeline.context import BuildContext
from pipeline.loader import load_document
from pipeline.project import Project
from pipeline.recipient import Recipient
from pipeline.renderers.briefing import shared
from pipeline.renderers.briefing.weasy import render_briefing
from pipeline.themes import load_theme

pytestmark = pytest.mark.slow

PEOPLE = (
    Recipient("dana", "Dana Kim", "Northwind"),
    Recipient("sean", "Seán O'Brien", "Fabrikam, Inc."),
    Recipient("zoe", "Zoë Quinn-Ávila", "Ünïcode & Sons — Research, Development and Operations"),
    Recipient("bo", "Bo"),
    Recipient("kj", "KJ Żółć", "Quixotic Jazz Vex Wyvern GmbH"),
)


@pytest.fixture(scope="module")
def inputs():
    repo = Project(REPO)
    return load_document(ARTICLE, repo), load_profiles(repo.audiences_file), repo


def copy_for(inputs, audience: str, recipient: Recipient):
    document, profiles, project = inputs
    profile = profiles[audience]
    personal = dataclasses.replace(select(document, profile), recipient=recipient)
    return personal, load_theme(profile.theme, project), profile.options_for("pdf")


def fast(document, theme, options) -> tuple[bytes, tuple[str, ...]]:
    shared.take_notes()
    result = renderers.get("pdf").render(document, theme, options, BuildContext())
    return result.data, shared.take_notes()


def full(document, theme, options) -> bytes:
    return render_briefing(document, theme, options, BuildContext()).data


@pytest.mark.parametrize("audience", ["tech-leaders", "engineers", "executives"])
def test_stitched_copies_are_byte_identical_to_full_renders(inputs, audience):
    made = []
    for person in PEOPLE:
        document, theme, options = copy_for(inputs, audience, person)
        data, notes = fast(document, theme, options)
        assert data == full(document, theme, options), person
        made.append(notes)
    assert made[0] == ("full-layout: the first copy of its group",)
    assert all(notes[0] == "shared-layout" for notes in made[1:])
    replayed = [int(n[1].split(":")[1].split("/")[0]) for n in made[1:]]
    pages = [int(n[1].split("/")[1]) for n in made[1:]]
    # A body page is replayed only where that is exact: a glyph the recipient's cover or
    # footer measured at another size first changes WeasyPrint's kerning numbers, and such
    # pages are drawn again (often with Lato, whose widths sit on rounding boundaries).
    assert sum(replayed) >= (0.75 if audience == "tech-leaders" else 0.25) * sum(pages)


def test_body_pages_are_replayed_not_drawn_again(inputs):
    for person in PEOPLE:
        fast(*copy_for(inputs, "tech-leaders", person))
    group = next(g for g in shared._GROUPS.values() if g.recorder is not None)
    assert group.recorder.replayed > 0
    recorded = [variants for variants in group.recorder.pages.values() if variants]
    assert len(recorded) == len(group.layout.boxes) - 1  # every body page


def test_a_page_whose_drawing_state_differs_is_drawn_live_and_still_exact(inputs):
    document, theme, options = copy_for(inputs, "executives", PEOPLE[0])
    fast(document, theme, options)  # the seed (unless an earlier test made the group)
    recorders = [g.recorder for g in shared._GROUPS.values() if g.recorder is not None]
    document, theme, options = copy_for(inputs, "executives", PEOPLE[1])
    before = sum(r.drawn for r in recorders)
    fast(document, theme, options)
    live = sum(r.drawn for r in recorders) - before  # pages this copy draws live anyway
    tampered = []
    for recorder in recorders:  # the first body page of every group's recording
        page, variants = next((n, v) for n, v in recorder.pages.items() if v)
        recorder.pages[page] = [dataclasses.replace(r, entry=("changed",)) for r in variants]
        tampered.append((recorder, page, variants))
    try:
        before = sum(r.drawn for r in recorders)
        data, notes = fast(document, theme, options)
        assert notes[0] == "shared-layout"
        assert sum(r.drawn for r in recorders) == before + live + 1
        assert data == full(document, theme, options)
    finally:
        for recorder, page, variants in tampered:
            recorder.pages[page] = variants


def test_a_stitched_copy_is_a_valid_tagged_pdf_with_bookmarks_and_subset_fonts(inputs, tmp_path):
    fast(*copy_for(inputs, "tech-leaders", PEOPLE[0]))
    document, theme, options = copy_for(inputs, "tech-leaders", PEOPLE[2])
    data, notes = fast(document, theme, options)
    assert notes[0] == "shared-layout"
    path = tmp_path / "copy.pdf"
    path.write_bytes(data)
    check = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "No syntax or stream encoding errors" in check.stdout
    with pikepdf.open(path) as pdf:
        root = pdf.Root
        assert root.MarkInfo.Marked and str(root.Lang) == "en"
        assert "/ID" in pdf.trailer
        nums = root.StructTreeRoot.ParentTree.Nums
        parents = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
        for number, page in enumerate(pdf.pages):  # the structure tree reaches every page
            assert int(page.StructParents) == number
            assert len(parents[number]) > 0, f"page {number + 1} has no tagged content"
        titles = _outline(pdf)
        assert titles[0] == "Introduction" and len(titles) >= len(document.sections)
        for page in pdf.pages:
            for font in page.Resources.Font.values():
                descendant = font.DescendantFonts[0] if "/DescendantFonts" in font else font
                descriptor = descendant.FontDescriptor
                assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
                assert "+" in str(font.BaseFont), f"{font.BaseFont} is not a subset"


def _outline(pdf) -> list[str]:
    titles = []
    with pdf.open_outline() as outline:
        stack = list(reversed(outline.root))
        while stack:
            item = stack.pop()
            titles.append(item.title)
            stack.extend(reversed(item.children))
    return titles


def test_every_page_reads_and_looks_like_the_full_render(inputs):
    fast(*copy_for(inputs, "engineers", PEOPLE[0]))
    document, theme, options = copy_for(inputs, "engineers", PEOPLE[4])
    stitched, _ = fast(document, theme, options)
    reference = full(document, theme, options)
    ours, theirs = pypdfium2.PdfDocument(stitched), pypdfium2.PdfDocument(reference)
    assert len(ours) == len(theirs)
    for a, b in zip(ours, theirs):
        assert a.get_textpage().get_text_range() == b.get_textpage().get_text_range()
        assert _pixels(a) == _pixels(b)
    first = ours[0].get_textpage().get_text_range()
    assert "KJ Żółć, Quixotic Jazz Vex Wyvern GmbH" in " ".join(first.split())
    for page in list(ours)[1:]:
        footer = " ".join(page.get_textpage().get_text_range().split())
        assert "prepared for KJ Żółć, Quixotic Jazz Vex Wyvern GmbH" in footer


def _pixels(page) -> bytes:
    image = page.render(scale=0.75).to_pil()
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def test_personalised_body_text_is_laid_out_in_full_and_shows_each_value(project: Project):
    source = ARTICLE.read_text(encoding="utf-8").replace(
        "sections:\n",
        "sections:\n  - id: note\n    title: For {{region}}\n    numbered: false\n"
        "    blocks:\n      - paragraph: Figures for {{region}} only.\n",
        1,
    )
    path = write(project, "regional.yaml", source)
    document = load_document(path, project)
    profile = load_profiles(project.audiences_file)["tech-leaders"]
    theme = load_theme(profile.theme, project)
    from pipeline.batch.personalise import personalise

    for region in ("EMEA", "APAC"):
        recipient = Recipient("x", "Dana", fields=(("region", region),))
        personal = personalise(select(document, profile), recipient)
        data, notes = fast(personal, theme, profile.options_for("pdf"))
        assert notes == ("full-layout: the first copy of its group",)  # every copy: its own
        text = " ".join(pypdfium2.PdfDocument(data)[2].get_textpage().get_text_range().split())
        assert f"Figures for {region} only." in text


def test_a_theme_whose_cover_has_no_id_is_laid_out_in_full(project: Project, tmp_path: Path):
    theme_dir = project.themes / "plain-cover"
    (theme_dir / "templates").mkdir(parents=True)
    (theme_dir / "theme.yaml").write_text(
        "extends: corporate\ndescription: A cover without its id.\n", encoding="utf-8"
    )
    cover = (project.themes / "base" / "templates" / "cover.html.j2").read_text(encoding="utf-8")
    (theme_dir / "templates" / "cover.html.j2").write_text(
        cover.replace(' id="cover"', ""), encoding="utf-8"
    )
    document = load_document(ARTICLE, project)
    profile = load_profiles(project.audiences_file)["tech-leaders"]
    theme = load_theme("plain-cover", project)
    personal = dataclasses.replace(select(document, profile), recipient=PEOPLE[0])
    options = profile.options_for("pdf")
    data, notes = fast(personal, theme, options)
    assert notes == ("full-layout: the theme's cover has no id='cover'",)
    assert data == full(personal, theme, options)
