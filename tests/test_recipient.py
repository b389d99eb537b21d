"""Decks as recipients see them: converted by LibreOffice twice, once with the theme's fonts
and once with only the fonts a bare Debian has (so DejaVu Sans stands in for them), for the
article, stress sources and public templates of other makers. Either way no character
leaves a slide, no two words overprint and no body text runs into the footer band; the
briefing (which embeds its fonts) the same in one rendering. The fonts the decks carry are
checked as PowerPoint reads them: parts, content types, relationships and EOT headers, the
headers with W3C's independent `eotinfo` and the font data unpacked by libeot's `eot2ttf`."""

from __future__ import annotations

import io
import re
import shutil
import struct
import subprocess
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import REPO, render
from fontTools.ttLib import TTFont
from layout import Reading, overlapping_words, read
from pptx import Presentation
from pptx.enum.shapes import PP_PLACEHOLDER as PH
from stress import write_all

from pipeline import office
from pipeline.audience import load_profiles, select
from pipeline.loader import load_document
from pipeline.project import Project
from pipeline.themes import load_theme

TEMPLATES = REPO / "tests" / "fixtures" / "templates"
LO_LAYOUTS = ("  layouts:\n    title: Title Slide\n    section: Title Slide\n"
              "    content: Title, Content\n    two_content: Title, 2 Content\n"
              "    title_only: Title Only\n")  # fmt: skip
# Test themes on public templates: folder -> (template file, extra theme.yaml lines).
TEMPLATE_THEMES = {
    "on-python-pptx": ("python-pptx-default.pptx", ""),
    "on-pandoc": ("pandoc-reference.pptx", ""),
    "on-pandoc-gradient": ("pandoc-reference-gradient.pptx", ""),
    "on-libreoffice": ("libreoffice-vivid.pptx", LO_LAYOUTS),
}
AUDIENCES = ("tech-leaders", "engineers", "executives")
# (source, theme, audience): the article in every shipped deck theme, each stress source in
# one theme, and the public templates with the article and the block-kinds stress source.
CASES = [
    *(("rust-vs-go", t, a) for t in ("corporate", "keynote", "high-contrast", "acme")
      for a in AUDIENCES),
    *(("stress-lists", "corporate", a) for a in ("tech-leaders", "engineers")),
    *(("stress-words", "high-contrast", a) for a in AUDIENCES),
    *(("stress-tables", "keynote", a) for a in AUDIENCES),
    *(("stress-kinds", "acme", a) for a in AUDIENCES),
    *((s, t, "tech-leaders") for t in TEMPLATE_THEMES for s in ("rust-vs-go", "stress-kinds")),
    ("stress-words", "on-python-pptx", "engineers"),
]  # fmt: skip
MODES = ("bare", "theme fonts")


@dataclass
class View:
    deck: Path
    pdfs: dict[str, Path]  # mode -> LibreOffice's rendering
    readings: dict[str, Reading]  # mode -> its words and off-page characters, read once
    footers: list[tuple[float, float, set[str]]]  # per slide: footer band top, bottom, words


def case_id(case: tuple[str, str, str]) -> str:
    return "-".join(case)


@pytest.fixture(scope="session")
def lab(template_project, tmp_path_factory) -> Project:
    """The shipped project plus the stress sources and the template test themes."""
    root = tmp_path_factory.mktemp("recipient")
    shutil.copytree(template_project, root, dirs_exist_ok=True)
    write_all(root / "content", REPO / "themes" / "base" / "logo.png")
    for name, (template, extra) in TEMPLATE_THEMES.items():
        folder = root / "themes" / name
        folder.mkdir()
        shutil.copy(TEMPLATES / template, folder / "template.pptx")
        (folder / "theme.yaml").write_text(
            f"description: The corporate theme on {template}\nextends: corporate\n"
            f"pptx:\n  template: template.pptx\n{extra}",
            encoding="utf-8",
        )
    return Project(root)


@pytest.fixture(scope="session")
def views(lab, tmp_path_factory) -> dict[str, View]:
    """Every case's deck, converted in both modes (two LibreOffice runs side by side)."""
    folder = tmp_path_factory.mktemp("recipient-decks")
    profiles = load_profiles(lab.audiences_file)
    documents = {s: load_document(lab.content / f"{s}.yaml", lab) for s, _, _ in CASES}
    found: dict[str, View] = {}
    groups: dict[str, list[Path]] = {}
    for case in CASES:
        source, theme_name, audience = case
        theme = load_theme(theme_name, lab)
        profile = profiles[audience]
        deck = folder / f"{case_id(case)}.pptx"
        deck.write_bytes(render("pptx", select(documents[source], profile), theme,
                                profile.options_for("pptx")).data)  # fmt: skip
        found[case_id(case)] = View(deck, {}, {}, _footer_bands(deck))
        groups.setdefault(theme_name, []).append(deck)
    jobs = [(mode, name, decks) for mode in MODES for name, decks in groups.items()]

    def convert(job: tuple[str, str, list[Path]]) -> list[tuple[Path, str, Path]]:
        mode, name, decks = job
        fonts = load_theme(name, lab).fonts.folders() if mode == "theme fonts" else ()
        out = folder / mode.replace(" ", "-") / name
        pdfs = office.convert_all(decks, out, font_dirs=fonts, bare=True)
        return [(deck, mode, pdf) for deck, pdf in zip(decks, pdfs, strict=True)]

    with ThreadPoolExecutor(2) as pool:
        for converted in pool.map(convert, jobs):
            for deck, mode, pdf in converted:
                found[deck.stem].pdfs[mode] = pdf
                found[deck.stem].readings[mode] = read(pdf)
    return found


def _footer_bands(deck: Path) -> list[tuple[float, float, set[str]]]:
    """Per slide, the vertical extent of its footer and slide number, and their words."""
    bands = []
    for number, slide in enumerate(Presentation(str(deck)).slides, 1):
        shapes = [s for s in slide.placeholders
                  if s.placeholder_format.type in (PH.FOOTER, PH.SLIDE_NUMBER)]  # fmt: skip
        if not shapes:
            bands.append((0.0, 0.0, set()))
            continue
        top = min(s.top for s in shapes) / 12700
        bottom = max(s.top + s.height for s in shapes) / 12700
        texts = {w for s in shapes for w in s.text_frame.text.split()} | {str(number)}
        bands.append((top, bottom, texts))
    return bands


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_no_character_leaves_a_slide_and_no_words_overprint(views, case, mode):
    reading = views[case_id(case)].readings[mode]
    assert reading.off_page == 0
    assert overlapping_words(reading) == []


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_no_body_text_runs_into_the_footer_band(views, case, mode):
    view = views[case_id(case)]
    intruders = []
    for number, (page, (top, bottom, footer)) in enumerate(
        zip(view.readings[mode].pages, view.footers, strict=True), 1
    ):
        if bottom <= top:
            continue  # title, divider and closing slides have no footer
        for word in page:
            inside = word["bottom"] > top + 1 and word["top"] < bottom - 1
            if inside and not any(word["text"] in f for f in footer):
                intruders.append((number, word["text"]))
    assert intruders == []


def test_the_checks_see_what_a_bare_machine_draws(views):
    """The bare rendering really lacks the theme fonts, and draws DejaVu Sans instead."""
    view = views["rust-vs-go-corporate-tech-leaders"]
    fonts = {mode: _pdf_fonts(pdf) for mode, pdf in view.pdfs.items()}
    assert any("Inter" in f for f in fonts["theme fonts"])
    assert not any("Inter" in f for f in fonts["bare"])
    assert any("DejaVuSans" in f for f in fonts["bare"])


def _pdf_fonts(pdf: Path) -> set[str]:
    listing = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True)
    return {line.split()[0] for line in listing.stdout.splitlines()[2:] if line.strip()}


def test_a_deck_measured_without_its_substitute_would_collide_on_a_bare_machine(lab, tmp_path):
    """The checks have teeth: the same executives deck measured with the theme font alone
    (as before substitutes) overprints once LibreOffice draws it in DejaVu Sans."""
    import dataclasses

    theme = load_theme("high-contrast", lab)
    alone = dataclasses.replace(theme, fonts=dataclasses.replace(theme.fonts, substitutes=()))
    profile = load_profiles(lab.audiences_file)["executives"]
    document = select(load_document(lab.content / "rust-vs-go.yaml", lab), profile)
    deck = tmp_path / "alone.pptx"
    deck.write_bytes(render("pptx", document, alone, profile.options_for("pptx")).data)
    pdf = office.convert(deck, tmp_path, bare=True)
    assert overlapping_words(pdf) != []


BRIEFING_CASES = [("rust-vs-go", a) for a in AUDIENCES] + [
    (s, "engineers") for s in ("stress-lists", "stress-words", "stress-tables", "stress-kinds")
]


@pytest.mark.parametrize("source,audience", BRIEFING_CASES)
def test_the_briefing_holds_the_same_sources(lab, source, audience):
    profile = load_profiles(lab.audiences_file)[audience]
    document = select(load_document(lab.content / f"{source}.yaml", lab), profile)
    pdf = render("pdf", document, load_theme(profile.theme, lab), profile.options_for("pdf")).data
    reading = read(pdf)
    assert reading.off_page == 0
    assert overlapping_words(reading) == []


# -- the fonts the deck carries ------------------------------------------------------------

EMBEDDED = {"corporate": "Inter", "keynote": "Manrope", "high-contrast": "Lato"}


@pytest.mark.parametrize("theme_name,family", EMBEDDED.items())
def test_the_deck_carries_its_fonts_as_powerpoint_embeds_them(views, theme_name, family):
    deck = views[f"rust-vs-go-{theme_name}-engineers"].deck
    package = zipfile.ZipFile(deck)
    types = package.read("[Content_Types].xml").decode()
    assert '<Default Extension="fntdata" ContentType="application/x-fontdata"/>' in types
    presentation = package.read("ppt/presentation.xml").decode()
    assert 'embedTrueTypeFonts="1"' in presentation and 'saveSubsetFonts="1"' in presentation
    listed = re.search(r"<p:embeddedFontLst>(.*?)</p:embeddedFontLst>", presentation).group(1)
    assert f'typeface="{family}"' in listed
    # Schema order: the list comes after the slide and notes sizes.
    assert presentation.index("<p:notesSz") < presentation.index("<p:embeddedFontLst>")
    rels = package.read("ppt/_rels/presentation.xml.rels").decode()
    targets = dict(re.findall(r'Id="(rId\d+)" Type="[^"]+/relationships/font" Target="([^"]+)"',
                              rels))  # fmt: skip
    styles = re.findall(r"<p:(regular|bold|italic|boldItalic) r:id=\"(rId\d+)\"/>", listed)
    assert {s for s, _ in styles} >= {"regular", "bold"}
    for _, rid in styles:
        assert f"ppt/{targets[rid]}" in package.namelist()
    Presentation(str(deck))  # python-pptx opens it; LibreOffice converted it above


@pytest.mark.parametrize("theme_name,family", EMBEDDED.items())
def test_every_embedded_font_is_an_eot_an_independent_reader_accepts(
    lab, views, theme_name, family, tmp_path
):
    deck = views[f"rust-vs-go-{theme_name}-engineers"].deck
    fonts = load_theme(theme_name, lab).fonts
    originals = {f.family: f.regular for f in fonts.faces()}
    package = zipfile.ZipFile(deck)
    text = _deck_characters(deck)
    parts = [n for n in package.namelist() if n.endswith(".fntdata")]
    names = set()
    for name in parts:
        blob = package.read(name)
        path = tmp_path / Path(name).name
        path.write_bytes(blob)
        info = _eotinfo(path)
        names.add(info["FamilyName"])
        assert int(info["EOTSize"]) == len(blob)
        assert int(info["FontDataSize"]) < len(blob)
        assert info["Version"] == "0x00020002" and info["fsType"] == "installable"
        # eotinfo tests its flag bits against the version field (a bug in eot-utils 1.1),
        # so the flags and the magic number are read here by offset (W3C EOT, section 2).
        assert struct.unpack_from("<L", blob, 12)[0] == 0x1  # TTEMBED_SUBSET, uncompressed
        assert struct.unpack_from("<H", blob, 34)[0] == 0x504C
        unpacked = tmp_path / f"{path.stem}.ttf"
        subprocess.run(["eot2ttf", str(path), str(unpacked)], check=True)
        with TTFont(unpacked) as font, TTFont(originals[info["FamilyName"]]) as original:
            assert "glyf" in font and "CFF " not in font  # TrueType outlines, as PowerPoint
            had, kept = original.getBestCmap(), font.getBestCmap()
            dropped = {c for c in text if ord(c) in had and ord(c) not in kept}
            assert not dropped, sorted(dropped)[:10]  # the subset kept every character used
    assert family in names and names <= set(originals)
    assert len(parts) >= 2 * len(names)  # at least regular and bold of each


def _eotinfo(path: Path) -> dict[str, str]:
    out = subprocess.run(["eotinfo", str(path)], capture_output=True, text=True, check=True)
    return {k.strip(): v.strip() for k, v in (line.split(":", 1) for line in
            out.stdout.splitlines() if ":" in line)}  # fmt: skip


def _deck_characters(deck: Path) -> set[str]:
    prs = Presentation(str(deck))
    return {c for slide in prs.slides for shape in slide.shapes if shape.has_text_frame
            for c in shape.text_frame.text}  # fmt: skip


def test_embedding_is_reproducible_and_subset_and_can_be_turned_off(lab):
    import dataclasses

    theme = load_theme("corporate", lab)
    profile = load_profiles(lab.audiences_file)["executives"]
    document = select(load_document(lab.content / "rust-vs-go.yaml", lab), profile)
    first = render("pptx", document, theme, profile.options_for("pptx")).data
    assert render("pptx", document, theme, profile.options_for("pptx")).data == first
    off = dataclasses.replace(theme, pptx=dataclasses.replace(theme.pptx, embed_fonts=False))
    plain = render("pptx", document, off, profile.options_for("pptx")).data
    assert not [n for n in zipfile.ZipFile(io.BytesIO(plain)).namelist() if "fntdata" in n]
    assert b"embeddedFontLst" not in zipfile.ZipFile(io.BytesIO(plain)).read("ppt/presentation.xml")
    whole = sum(p.stat().st_size for p in theme.fonts.body.files().values())
    carried = len(first) - len(plain)
    assert 0 < carried < whole / 4  # subset: a fraction of the four Inter files


def test_an_office_family_is_named_and_not_embedded(views):
    deck = views["rust-vs-go-acme-engineers"].deck
    package = zipfile.ZipFile(deck)
    assert not [n for n in package.namelist() if n.endswith(".fntdata")]
    slide = package.read("ppt/slides/slide3.xml").decode()
    assert 'typeface="Calibri"' in slide and "Carlito" not in slide


def test_a_font_whose_licence_forbids_embedding_is_left_out_with_a_warning(lab, tmp_path):
    from conftest import twinpress

    root = tmp_path / "project"
    shutil.copytree(lab.root, root)
    folder = root / "themes" / "restricted"
    (folder / "fonts").mkdir(parents=True)
    for style in ("Regular", "Bold"):
        with TTFont(REPO / f"themes/high-contrast/fonts/lato/Lato-{style}.ttf") as font:
            font["OS/2"].fsType = 0x0002  # Restricted License embedding
            font.save(folder / "fonts" / f"Lato-{style}.ttf")
    shutil.copy(REPO / "themes/high-contrast/fonts/lato/OFL.txt", folder / "fonts" / "OFL.txt")
    face = ("    family: Lato\n    regular: fonts/Lato-Regular.ttf\n    bold: fonts/Lato-Bold.ttf\n"
            "    licence: fonts/OFL.txt\n")  # fmt: skip
    (folder / "theme.yaml").write_text(f"description: Lato, not embeddable\nextends: corporate\n"
                                       f"fonts:\n  heading:\n{face}  body:\n{face}")  # fmt: skip
    done = twinpress("build", "rust-vs-go", "-a", "executives", "-f", "pptx", "--theme",
                     "restricted", cwd=root)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert re.search(r"themes/restricted/theme\.yaml:6:14: warning: font file 'Lato-Regular\.ttf' "
                     r"for 'Lato' is not embedded in decks: its licence bits forbid embedding",
                     done.stderr), done.stderr  # fmt: skip
    package = zipfile.ZipFile(root / "output" / "executives" / "rust-vs-go.pptx")
    assert b'typeface="Lato"' not in package.read("ppt/presentation.xml")


# -- templates -----------------------------------------------------------------------------


def test_a_template_gradient_is_what_contrast_is_checked_against(lab):
    from conftest import twinpress

    done = twinpress("themes", "--check", "on-pandoc-gradient", "on-pandoc", cwd=lab.root)
    assert done.returncode == 1
    lines = [line for line in done.stderr.splitlines() if "[theme.template-contrast]" in line]
    assert lines and all(line.startswith("themes/on-pandoc-gradient/theme.yaml:4:3: warning:")
                         for line in lines)  # fmt: skip
    assert any("text #1A2230 on #494842" in line for line in lines)


def test_a_comparison_layout_for_two_content_is_an_error_naming_its_placeholders(lab, tmp_path):
    from conftest import twinpress

    root = tmp_path / "project"
    shutil.copytree(lab.root, root)
    theme = root / "themes" / "on-pandoc" / "theme.yaml"
    theme.write_text(theme.read_text() + "  layouts:\n    two_content: Comparison\n")
    done = twinpress("check", cwd=root)
    assert done.returncode == 1
    assert ("themes/on-pandoc/theme.yaml:6:5: error: layout 'Comparison' (for two_content) has 4 "
            "body placeholders ('Text Placeholder 2', 'Content Placeholder 3', 'Text Placeholder "
            "4', 'Content Placeholder 5'); two_content needs two side by side "
            "[theme.template-slot]") in done.stderr  # fmt: skip


def test_a_subtitle_moved_below_a_long_title_keeps_its_place_and_size(views):
    """A moved placeholder gets every coordinate (a bare `top` makes python-pptx write
    `a:off x="0"` without `a:ext`, dropping the subtitle onto the slide's left edge)."""
    for case in CASES:
        prs = Presentation(str(views[case_id(case)].deck))
        for slide in prs.slides:
            for shape in slide.placeholders:
                xfrm = shape._element.find(".//{*}xfrm")
                if xfrm is not None:
                    assert xfrm.find("{*}ext") is not None, (case, shape.name)
                    assert xfrm.find("{*}off").get("x") != "0" or shape.left == 0
