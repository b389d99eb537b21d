"""Text measurement: widths agree with FreeType, wrapping is PowerPoint's, and LibreOffice
breaks our test paragraphs into the line counts we predict."""

from __future__ import annotations

import itertools
import subprocess

import pytest
from conftest import REPO
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import ImageFont

from pipeline import office
from pipeline.project import Project
from pipeline.renderers.pptx.measure import (
    UNKNOWN_EM,
    Box,
    Face,
    Para,
    em_width,
    fits,
    frame_height,
    line_count,
    theme_face,
    width,
    wrap,
)
from pipeline.themes import load_theme

INTER = REPO / "themes/base/fonts/inter/Inter-Regular.otf"
EMOJI = REPO / "themes/base/fonts/noto-color-emoji/NotoColorEmoji.ttf"
FACE = Face(str(INTER), (str(EMOJI),))
BOLD = Face(str(INTER.with_name("Inter-Bold.otf")), (str(EMOJI),))
TEXT = (
    "Rust delivers unmatched performance by eliminating runtime overhead. It compiles to "
    "efficient machine code, making it perfect for high-performance APIs, blockchain "
    "applications, and edge computing and IoT. Go's Goroutines allow lightweight, "
    "concurrent execution, making it one of the fastest languages for high traffic."
)


@pytest.mark.parametrize(
    "text",
    [
        "Memory safety without garbage collection",
        "Ελληνικά και Кириллица",
        "naïve façade Straße 2026",
    ],
)
def test_widths_match_freetype(text):
    pillow = ImageFont.truetype(str(INTER), 40).getlength(text)
    assert width(FACE, text, 40) == pytest.approx(pillow, rel=0.01)


def test_missing_characters_use_the_fallback_or_one_em():
    assert em_width(FACE, "🚀") == pytest.approx(2550 / 2048, rel=0.01)  # Noto Color Emoji
    assert em_width(FACE, "漢") == UNKNOWN_EM  # no theme font has it
    assert em_width(FACE, "\u200d\ufe0f") == 0  # joiners add nothing


def test_wrap_is_greedy_and_never_wider_than_the_line():
    lines = wrap([(TEXT, FACE)], 20, 300)
    assert " ".join(lines) == TEXT
    assert all(width(FACE, line, 20) <= 300 for line in lines)
    for line, following in itertools.pairwise(lines):  # greedy: the next word did not fit
        assert width(FACE, f"{line} {following.split()[0]}", 20) > 300


def test_a_word_longer_than_the_line_breaks_by_character():
    word = "Donaudampfschifffahrtsgesellschaft" * 3
    lines = wrap([(f"short {word} tail", FACE)], 20, 200)
    assert lines[0] == "short"
    assert "".join(lines[1:]).replace(" ", "") == word + "tail"
    assert all(width(FACE, line, 20) <= 200 for line in lines)


RUNS = st.tuples(
    st.text(st.sampled_from("ab WMi.\n🚀"), max_size=60), st.sampled_from((FACE, BOLD))
)
WORDS = st.lists(st.text(st.sampled_from("abiMW"), min_size=1, max_size=6), max_size=30)


@settings(deadline=None)
@given(st.lists(RUNS, min_size=1, max_size=4), st.floats(6, 60), st.floats(0, 400))
def test_lines_counted_from_the_words_widths_are_the_lines_the_wrapper_makes(runs, size, limit):
    """The planner counts lines from each paragraph's word widths kept in ems; the count
    is the wrapper's, with runs in two faces, hard breaks, runs of spaces and words too
    long for the line (which it leaves to the wrapper)."""
    segments = tuple(runs)
    assert line_count(segments, size, limit) == len(wrap(segments, size, limit))


@settings(deadline=None)
@given(WORDS, WORDS, st.floats(6, 18), st.floats(120, 400))
def test_lines_of_words_that_fit_the_line_are_counted_without_the_wrapper(
    first, second, size, limit
):
    """No word is wider than the line (6 characters at 18 pt stay under 120 pt): the count
    comes from the widths alone and still equals the wrapper's."""
    import pipeline.renderers.pptx.measure as measure

    segments = ((" ".join(first), FACE), (" " + " ".join(second), BOLD))
    wrapped = len(wrap(segments, size, limit))

    def refused(*args):
        raise AssertionError("counted by the wrapper")

    measure.wrap, kept = refused, measure.wrap
    try:
        assert line_count(segments, size, limit) == wrapped
    finally:
        measure.wrap = kept


def test_hard_breaks_start_new_lines():
    assert wrap([("one\ntwo", FACE)], 20, 500) == ["one", "two"]


def test_fits_keeps_the_safety_margin():
    para = Para(((TEXT, FACE),), 20, 1.1)
    need = frame_height([para], Box(400, 1000), safe=False)
    assert fits([para], Box(400, need + 1), safe=False)
    assert not fits([para], Box(400, need - 1), safe=False)
    assert not fits([para], Box(400, need + 1))  # the layout keeps ~8 % free


def _line_boxes(tmp_path, themes):
    """A deck of text boxes in each theme's body font; (theme, face, size, width) per slide."""
    from pptx import Presentation
    from pptx.util import Emu, Pt

    prs = Presentation()
    cases = []
    for theme in themes:
        face = theme_face(theme, "body")
        for size, box_w in ((18, 4.0), (24, 6.0), (14, 3.0)):
            slide = prs.slides.add_slide(prs.slide_layouts[6])
            shape = slide.shapes.add_textbox(
                Emu(0), Emu(0), Emu(int(box_w * 914400)), Emu(int(6.5 * 914400))
            )
            frame = shape.text_frame
            frame.word_wrap = True
            frame.margin_left = frame.margin_right = 0
            run = frame.paragraphs[0].add_run()
            run.text = TEXT
            run.font.size, run.font.name = Pt(size), theme.fonts.body.deck_family
            cases.append((theme, face, size, box_w * 72))
    source = tmp_path / "lines.pptx"
    prs.save(source)
    return source, cases


def _lines_per_page(pdf) -> list[int]:
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return [len([line for line in page.splitlines() if line.strip()]) for page in text.split("\f")]


def _lines(path: str, size: float, width_pt: float) -> int:
    return len(wrap([(TEXT, Face(path))], size, width_pt))


def test_libreoffice_breaks_lines_where_we_predict_with_and_without_the_theme_fonts(tmp_path):
    """Boxes of text in each theme's body font: LibreOffice's line count is the font's, and
    on a machine without the theme fonts it is the substitute's; the deck's measure (the
    wider of the two) never needs fewer lines than either."""
    project = Project(REPO)
    themes = [load_theme(n, project) for n in ("corporate", "keynote", "high-contrast", "acme")]
    source, cases = _line_boxes(tmp_path, themes)
    fonts = sorted({d for theme in themes for d in theme.fonts.folders()})
    installed = _lines_per_page(office.convert(source, tmp_path / "theme", font_dirs=fonts))
    bare = _lines_per_page(office.convert(source, tmp_path / "bare", bare=True))
    expected_installed = [_lines(face.path, size, w) for _, face, size, w in cases]
    expected_bare = [_lines(face.substitutes[0], size, w) for _, face, size, w in cases]
    assert installed[: len(cases)] == expected_installed
    assert bare[: len(cases)] == expected_bare
    assert expected_bare != expected_installed  # the substitute really wraps differently
    for (_, face, size, w), a, b in zip(cases, expected_installed, expected_bare, strict=True):
        assert len(wrap([(TEXT, face)], size, w)) >= max(a, b)
