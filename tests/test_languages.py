"""Briefings and decks in the reader's language: labels, dates, scripts and directions."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pypdf
import pytest
from conftest import REPO, twinpress, write
from pptx import Presentation
from pptx.oxml.ns import qn

from pipeline.labels import CATALOGUE, KEYS, labels_for
from pipeline.loader import load_document
from pipeline.project import Project
from pipeline.themes import load_theme

FIXTURES = Path(__file__).parent / "fixtures" / "sources"


def deck_text(path: Path) -> str:
    """Every text of a deck: shapes, tables and speaker notes."""
    parts = []
    for slide in Presentation(str(path)).slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                parts.append(shape.text_frame.text)
            if getattr(shape, "has_table", False) and shape.has_table:
                parts += [c.text for row in shape.table.rows for c in row.cells]
        if slide.has_notes_slide:
            parts.append(slide.notes_slide.notes_text_frame.text)
    return "\n".join(parts)


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(str(path)).pages)


def html_text(path: Path) -> str:
    return re.sub(r"<[^>]+>", " ", path.read_text(encoding="utf-8").split("</style>")[-1])


def outputs_text(project: Project, audience: str, slug: str) -> dict[str, str]:
    folder = project.output / audience
    return {"pptx": deck_text(folder / f"{slug}.pptx"), "pdf": pdf_text(folder / f"{slug}.pdf"),
            "html": html_text(folder / f"{slug}.html"),
            "markdown": (folder / f"{slug}.md").read_text(encoding="utf-8")}  # fmt: skip


def article_in(project: Project, language: str, name: str) -> str:
    text = (REPO / "content" / "rust-vs-go.yaml").read_text(encoding="utf-8")
    write(project, f"{name}.yaml", text.replace("language: en", f"language: {language}"))
    return name


def english_only_labels(language: str, source: str) -> list[str]:
    """English labels that the language writes differently and the content never uses."""
    english, other = CATALOGUE["en"], CATALOGUE[language]
    found = []
    for key in KEYS:
        shown = re.sub(r"\{\w+\}", "", getattr(english, key)).strip(" .:")
        if shown and getattr(other, key) != getattr(english, key) and shown not in source:
            found.append(shown)
    return found


@pytest.mark.parametrize(
    "language,theme,date",
    [("de", None, "24. November 2026"), ("ja", "international", "2026年11月24日")],
)
def test_the_article_in_another_language_prints_no_english_label(project, language, theme, date):
    slug = article_in(project, language, f"article-{language}")
    args = ["build", f"content/{slug}.yaml", "-a", "tech-leaders", "-a", "executives"]
    args += ["-f", "pptx", "-f", "pdf", "-f", "html", "-f", "markdown"]
    done = twinpress(*args, *(["--theme", theme] if theme else []), cwd=project.root)
    assert done.returncode == 0, done.stderr
    source = (project.content / f"{slug}.yaml").read_text(encoding="utf-8")
    absent = english_only_labels(language, source)
    assert "Prepared for" in absent and "Contents" in absent  # the check has teeth
    labels = CATALOGUE[language]
    for audience in ("tech-leaders", "executives"):
        texts = outputs_text(project, audience, slug)
        for fmt, text in texts.items():
            for label in absent:  # as written and as CSS capitals print it
                assert label not in text and label.upper() not in text, (audience, fmt, label)
        for fmt in ("pptx", "pdf", "html"):
            assert date in texts[fmt], (audience, fmt)
        for fmt in ("pdf", "pptx"):
            assert labels.verdict.casefold() in texts[fmt].casefold(), (audience, fmt)
    briefing = outputs_text(project, "tech-leaders", slug)["pdf"]
    assert labels.contents in briefing and labels.prepared_for.upper() in briefing.upper()
    pages = len(pypdf.PdfReader(str(project.output / "tech-leaders" / f"{slug}.pdf")).pages)
    last = labels.page_of.format(page=pages, pages=pages)
    assert last.replace(" ", "") in briefing.replace(" ", "")
    verified = twinpress(
        "verify",
        f"content/{slug}.yaml",
        "-a",
        "tech-leaders",
        *(["--theme", theme] if theme else []),
        cwd=project.root,
    )
    assert verified.returncode == 0, verified.stdout + verified.stderr


def test_every_run_of_the_deck_carries_the_documents_language(project):
    slug = article_in(project, "de-AT", "article-at")
    assert (
        twinpress("build", slug, "-a", "engineers", "-f", "pptx", cwd=project.root).returncode == 0
    )
    prs = Presentation(str(project.output / "engineers" / f"{slug}.pptx"))
    runs = langs = 0
    for slide in prs.slides:
        frames = [s.text_frame for s in slide.shapes if s.has_text_frame]
        if slide.has_notes_slide:
            frames.append(slide.notes_slide.notes_text_frame)
        for frame in frames:
            for r in frame._txBody.iter(qn("a:r")):
                runs += 1
                rpr = r.find(qn("a:rPr"))
                langs += rpr is not None and rpr.get("lang") == "de-AT"
    assert runs > 100 and langs == runs


def test_a_source_in_japanese_and_arabic_builds_in_every_output(project):
    shutil.copy(FIXTURES / "scripts.yaml", project.content / "scripts.yaml")
    done = twinpress(
        "build",
        "scripts",
        "--theme",
        "international",
        "-a",
        "engineers",
        "-f",
        "pptx",
        "-f",
        "pdf",
        "-f",
        "html",
        "-f",
        "markdown",
        cwd=project.root,
    )
    assert done.returncode == 0, done.stderr
    folder = project.output / "engineers"
    # The briefing embeds only the theme's faces and its fallbacks, subset.
    fonts = pypdf.PdfReader(str(folder / "scripts.pdf"))
    names = {font["/BaseFont"].split("+")[-1] for page in fonts.pages
             for font in page["/Resources"]["/Font"].values()}  # fmt: skip
    assert names <= {"Inter", "Inter-Bold", "Noto-Sans-CJK-JP", "Noto-Sans-CJK-JP-Bold",
                     "Noto-Sans-Arabic", "Noto-Sans-Arabic-Bold"}, names  # fmt: skip
    assert any("CJK" in n for n in names) and any("Arabic" in n for n in names)
    text = pdf_text(folder / "scripts.pdf")
    assert "メモリ安全性" in text and "2026年11月24日" in text
    page = (folder / "scripts.html").read_text(encoding="utf-8")
    assert re.search(r'<p class="paragraph[^"]*" dir="rtl">تقدم', page)
    assert re.search(r'<p class="paragraph[^"]*">Rust は', page)  # left to right: unmarked
    prs = Presentation(str(folder / "scripts.pptx"))
    paragraphs = [p for s in prs.slides for sh in s.shapes if sh.has_text_frame
                  for p in sh.text_frame._txBody.iter(qn("a:p"))]  # fmt: skip
    arabic = [p for p in paragraphs if "تقدم" in "".join(t.text or "" for t in p.iter(qn("a:t")))]
    assert arabic and all(p.find(qn("a:pPr")).get("rtl") == "1" for p in arabic)
    east = {e.get("typeface") for p in paragraphs for e in p.iter(qn("a:ea"))}
    complex_ = {e.get("typeface") for p in paragraphs for e in p.iter(qn("a:cs"))}
    assert east == {"Noto Sans CJK JP"} and complex_ == {"Noto Sans Arabic"}
    verified = twinpress("verify", "scripts", "--theme", "international", "-a", "engineers",
                         cwd=project.root)  # fmt: skip
    assert verified.returncode == 0, verified.stdout + verified.stderr


def test_the_same_source_in_a_latin_only_theme_names_each_missing_character_once(project):
    shutil.copy(FIXTURES / "scripts.yaml", project.content / "scripts.yaml")
    done = twinpress("build", "scripts", cwd=project.root)
    assert done.returncode == 1
    errors = [line for line in done.stderr.splitlines() if ": error: " in line]
    # One report per theme the source is built with, not one per character or output.
    themes = ["corporate", "keynote", "high-contrast"]
    assert len(errors) == len(themes), errors
    for theme, error in zip(themes, errors, strict=True):
        assert re.match(r"content/scripts\.yaml:\d+:\d+: error: \d+ characters are in none of "
                        rf"the fonts of theme '{theme}'", error), error  # fmt: skip
        assert "at line" in error and "[render.missing-glyph]" in error
    assert not list(project.output.rglob("scripts.*"))  # no deck either: it would show boxes


def test_themes_and_profiles_override_labels_over_the_language(project):
    theme = project.themes / "corporate" / "theme.yaml"
    text = theme.read_text() + "labels:\n  kicker: Board paper\n  prepared_for: Circulated to\n"
    theme.unlink()
    theme.write_text(text)
    audiences = project.audiences_file.read_text().replace(
        "    theme: corporate\n", "    theme: corporate\n    labels: {prepared_for: Handed to}\n", 1
    )
    project.audiences_file.unlink()
    project.audiences_file.write_text(audiences)
    done = twinpress("build", "-a", "tech-leaders", "-f", "pdf", cwd=project.root)
    assert done.returncode == 0, done.stderr
    cover = pypdf.PdfReader(str(project.output / "tech-leaders/rust-vs-go.pdf")).pages[0]
    cover_text = cover.extract_text().upper()
    assert "BOARD PAPER" in cover_text and "HANDED TO" in cover_text
    assert "CIRCULATED TO" not in cover_text  # the profile's word wins over the theme's


def test_an_unknown_label_is_an_error_at_its_line_with_a_suggestion(project):
    theme = project.themes / "corporate" / "theme.yaml"
    text = theme.read_text() + "labels:\n  kiker: Board paper\n  agenda: Today {when}\n"
    theme.unlink()
    theme.write_text(text)
    done = twinpress("check", cwd=project.root)
    assert done.returncode == 1
    lines = text.splitlines()
    kiker, agenda = (
        lines.index("  kiker: Board paper") + 1,
        lines.index("  agenda: Today {when}") + 1,
    )
    assert f"themes/corporate/theme.yaml:{kiker}:3: error: unknown label 'kiker'; did you mean " \
           "'kicker'?" in done.stderr  # fmt: skip
    assert f"themes/corporate/theme.yaml:{agenda}:3: error: label 'agenda' has an unknown " \
           "placeholder {when}" in done.stderr  # fmt: skip


def test_every_language_has_every_label_with_the_english_placeholders():
    from pipeline.labels import placeholders

    for language, labels in CATALOGUE.items():
        for key in KEYS:
            used = set(re.findall(r"\{(\w+)\}", getattr(labels, key)))
            assert used <= placeholders(key), (language, key)
            assert getattr(labels, key).strip(), (language, key)


def test_a_regional_tag_uses_its_language_and_an_unknown_one_english(shipped_project):
    import dataclasses

    article = load_document(REPO / "content" / "rust-vs-go.yaml", shipped_project)
    theme = load_theme("corporate", shipped_project)
    for tag, word in (("de-CH", "Inhalt"), ("pt-BR", "Sumário"), ("sv", "Contents")):
        assert labels_for(dataclasses.replace(article, language=tag), theme).contents == word
