"""The visual check: every deck of the article and of the stress documents, drawn by
LibreOffice, uses at least a quarter of the body area of each content slide (title,
divider and closing slides excepted), and has no words over other words, no text off
the slide and no text frame that overflows."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import REPO, render
from layout import off_page_characters, overlapping_words
from pptx import Presentation
from slidefill import NEAR_EMPTY, content_fill, near_empty
from stressdocs import stress_documents

from pipeline import office
from pipeline.audience import load_profiles, select
from pipeline.loader import load_document
from pipeline.project import Project
from pipeline.renderers.pptx.options import Options
from pipeline.renderers.pptx.overflow import overflowing_frames
from pipeline.themes import load_theme

ARTICLE = REPO / "content" / "rust-vs-go.yaml"
STRESS_STYLES = (("corporate", "concise"), ("keynote", "full"), ("acme", "concise"))


def _cases() -> list[tuple[str, str, str, str]]:
    """(label, source, theme or audience, density): the article per audience, then each
    stress document in a drawn and a template theme, concise and full."""
    cases = [
        (f"article-{a}", "article", a, "") for a in ("tech-leaders", "engineers", "executives")
    ]
    cases += [
        (f"{name}-{theme}-{density}", name, theme, density)
        for name in stress_documents()
        for theme, density in STRESS_STYLES
    ]
    return cases


@pytest.fixture(scope="module")
def drawn(tmp_path_factory) -> dict:
    """label -> (deck bytes, LibreOffice's PDF of it, theme), each converted once."""
    repo = Project(REPO)
    folder = tmp_path_factory.mktemp("fill")
    stress = stress_documents()
    article = load_document(ARTICLE, repo)
    profiles = load_profiles(repo.audiences_file)
    out = {}
    for label, source, who, density in _cases():
        if source == "article":
            profile = profiles[who]
            document, theme = select(article, profile), load_theme(profile.theme, repo)
            options = profile.options_for("pptx")
        else:
            document, theme, options = (
                stress[source],
                load_theme(who, repo),
                Options(density=density),
            )
        data = render("pptx", document, theme, options).data
        path = folder / f"{label}.pptx"
        path.write_bytes(data)
        out[label] = (data, office.convert(path, folder, font_dirs=theme.fonts.folders()), theme)
    return out


@pytest.mark.parametrize("label", [c[0] for c in _cases()])
def test_no_content_slide_is_nearly_empty(drawn, label):
    data, pdf, theme = drawn[label]
    fills = content_fill(data, pdf, theme)
    assert fills  # the check saw the content slides
    assert near_empty(data, pdf, theme) == [], [str(f) for f in fills if f.used < NEAR_EMPTY]


@pytest.mark.parametrize("label", [c[0] for c in _cases()])
def test_nothing_collides_leaves_the_slide_or_overflows(drawn, label):
    import io

    data, pdf, theme = drawn[label]
    assert overlapping_words(pdf) == []
    assert off_page_characters(pdf) == 0
    assert overflowing_frames(Presentation(io.BytesIO(data)), theme) == []


def test_the_fill_check_is_not_blind(drawn, tmp_path):
    """A slide holding one short line must fail it: empty a content slide and look."""
    import io

    data, _, theme = drawn["article-tech-leaders"]
    prs = Presentation(io.BytesIO(data))
    slide = next(s for s in prs.slides if s.shapes.title.text_frame.text == "Introduction")
    body = next(s for s in slide.shapes if s.name == "Statement")
    body.text_frame.text = "One short line."
    path = tmp_path / "emptied.pptx"
    prs.save(path)
    pdf = office.convert(path, tmp_path, font_dirs=theme.fonts.folders())
    found = near_empty(path.read_bytes(), pdf, theme)
    assert [f.title for f in found] == ["Introduction"]


def test_slide_images_exist_for_the_contact_sheet(drawn):
    """The PDFs the check reads are LibreOffice's own: a page per slide."""
    import pypdf

    for _, pdf, _ in drawn.values():
        assert isinstance(pdf, Path)
        assert len(pypdf.PdfReader(str(pdf)).pages) == len(
            Presentation(pdf.with_suffix(".pptx")).slides
        )
