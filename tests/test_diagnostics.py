"""Mistakes as a new user makes them, through the real command line: each is reported at the
file and line that hold it (source, audiences, theme, template, stylesheet), in one pass,
with an exit code that says "your input" (1) rather than "our bug" (3), and nothing already
built is lost. Valid but awkward sources build and verify without a false alarm."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pypdf
import pytest
from conftest import png_header, twinpress, write
from layout import off_page_characters, overlapping_words

FIXTURES = Path(__file__).parent / "fixtures" / "sources"
FORMATS = ("-f", "pptx", "-f", "pdf", "-f", "html", "-f", "markdown")


def replace_in(path: Path, old: str, new: str) -> str:
    """Edit a project file (replacing its hard link to the shared template)."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    text = text.replace(old, new, 1)
    path.unlink()
    path.write_text(text, encoding="utf-8")
    return text


def line_of(text: str, fragment: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if fragment in line)


def errors(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if ": error: " in line or "error:" in line[:7]]


def no_outputs(project) -> bool:
    return not project.output.exists() or not any(p.is_file() for p in project.output.rglob("*"))


# -- audiences ---------------------------------------------------------------------------


def test_an_audience_whose_sections_are_a_typo_is_an_error_that_suggests_the_name(project):
    text = replace_in(project.audiences_file, "    exclude_sections: [intro]\n",
                      "    sections: [conclusoin]\n")  # fmt: skip
    done = twinpress("build", "-a", "executives", cwd=project.root)
    assert done.returncode == 1
    line = line_of(text, "  executives:")
    assert (f"content/audiences.yaml:{line}:3: error: audience 'executives' keeps nothing of "
            "rust-vs-go.yaml [audience.empty]") in done.stderr  # fmt: skip
    assert "hint: 'conclusoin' is not a section of this source; did you mean 'conclusion'?" in (
        done.stderr
    )
    assert no_outputs(project)


def test_a_new_source_with_its_own_sections_builds_without_false_warnings(project):
    shutil.copy(FIXTURES / "long-words.yaml", project.content / "long-words.yaml")
    done = twinpress("build", "long-words", "-f", "markdown", cwd=project.root)
    assert done.returncode == 0, done.stderr
    # 'intro' (excluded by executives) is a section of the article, another source.
    assert "intro" not in done.stderr and "warning" not in done.stderr
    for audience in ("tech-leaders", "engineers", "executives"):
        assert (project.output / audience / "long-words.md").is_file()


def test_an_audience_that_keeps_nothing_of_one_source_only_skips_it_with_a_warning(project):
    write(project, "notes.yaml", "title: Notes\ndate: 2026-11-24\nsections:\n  - id: notes\n"
          "    title: Notes\n    blocks:\n      - paragraph: Plain prose only.\n")  # fmt: skip
    done = twinpress("build", "-f", "markdown", cwd=project.root)
    assert done.returncode == 0, done.stderr
    assert re.search(r"content/audiences\.yaml:\d+:3: warning: audience 'executives' keeps "
                     r"nothing of notes\.yaml; it gets no outputs of it \[audience\.empty\]",
                     done.stderr)  # fmt: skip
    assert done.stderr.count("[audience.empty]") == 1  # once, not once per format
    assert (project.output / "tech-leaders" / "notes.md").is_file()
    assert not (project.output / "executives" / "notes.md").exists()
    assert (project.output / "executives" / "rust-vs-go.md").is_file()
    asked = twinpress("build", "notes", "-a", "executives", "-f", "markdown", cwd=project.root)
    assert asked.returncode == 1 and "error: audience 'executives' keeps nothing" in asked.stderr


# -- themes ------------------------------------------------------------------------------


def test_a_font_file_that_is_not_a_font_is_reported_at_the_theme_line_that_names_it(project):
    font = project.themes / "base" / "fonts" / "inter" / "Inter-Italic.otf"
    font.unlink()
    font.write_text("not a font")
    theme = (project.themes / "base" / "theme.yaml").read_text()
    for command in (("check",), ("build", "-a", "tech-leaders", "-f", "pptx")):
        done = twinpress(*command, cwd=project.root)
        assert done.returncode == 1, done.stderr
        found = [e for e in errors(done.stderr) if "[theme.font-invalid]" in e]
        lines = [i for i, t in enumerate(theme.splitlines(), 1) if "Inter-Italic.otf" in t]
        assert [e.split(": error")[0] for e in found] == [
            f"themes/base/theme.yaml:{n}:13" for n in lines
        ]
        assert "is not a font twinpress can read" in found[0]
        assert "bug in twinpress" not in done.stderr and "TTLibError" not in done.stderr
    assert no_outputs(project)


def child_theme(project, name: str, yaml: str = "") -> Path:
    folder = project.themes / name
    folder.mkdir()
    (folder / "theme.yaml").write_text(f"extends: corporate\n{yaml}", encoding="utf-8")
    return folder


def test_every_bad_url_of_a_stylesheet_is_reported_at_its_line_and_column(project):
    folder = child_theme(project, "branded")
    (folder / "styles").mkdir()
    (folder / "styles" / "extra.css").write_text(
        "h1 { color: navy; }\n"
        "body { background: url('https://tracker.example.com/pixel.png'); }\n"
        "@import 'file:///etc/passwd';\n"
        ".logo { background: url(../../../outside.png); }\n",
        encoding="utf-8",
    )
    done = twinpress("check", cwd=project.root)
    assert done.returncode == 1
    places = [e.split(": error")[0] for e in errors(done.stderr) if "[theme.stylesheet-url]" in e]
    css = "themes/branded/styles/extra.css"
    assert places == [f"{css}:2:20", f"{css}:3:9", f"{css}:4:21"], done.stderr


def test_a_template_syntax_error_is_found_by_check_at_its_line(project):
    folder = child_theme(project, "branded")
    (folder / "templates" / "blocks").mkdir(parents=True)
    (folder / "templates" / "blocks" / "paragraph.html.j2").write_text(
        '<p class="paragraph">\n  {{ block.text }}\n  {% if block.tags %}\n</p>\n'
    )
    done = twinpress("check", cwd=project.root)
    assert done.returncode == 1
    where = r"themes/branded/templates/blocks/paragraph\.html\.j2:\d+:1"
    message = r"template syntax error: .*'endif'.* \[theme\.template\]"
    assert re.search(f"{where}: error: {message}", done.stderr), done.stderr


def test_a_template_that_fails_while_rendering_is_reported_at_the_template(project):
    folder = child_theme(project, "branded")
    (folder / "templates" / "blocks").mkdir(parents=True)
    (folder / "templates" / "blocks" / "paragraph.html.j2").write_text(
        "<p>\n{{ block.text.nope() }}\n</p>\n"
    )
    done = twinpress("build", "-a", "tech-leaders", "-f", "html", "--theme", "branded",
                     cwd=project.root)  # fmt: skip
    assert done.returncode == 1
    where = r"themes/branded/templates/blocks/paragraph\.html\.j2:2:1"
    message = r"template error in theme 'branded': .*'nope' \[render\.template\]"
    assert re.search(f"{where}: error: {message}", done.stderr), done.stderr
    assert "rust-vs-go.yaml:1:1" not in done.stderr and "bug in twinpress" not in done.stderr


def test_a_theme_that_fails_contrast_warns_on_every_build_and_fails_with_strict(project):
    child_theme(project, "pale", 'colors:\n  text: "#BBBBBB"\n')
    args = ("build", "-a", "tech-leaders", "-f", "markdown", "--theme", "pale")
    for _ in range(2):  # the second build has nothing to rebuild and still warns
        done = twinpress(*args, cwd=project.root)
        assert done.returncode == 0
        assert re.search(r"themes/pale/theme\.yaml:3:3: warning: text #BBBBBB on background "
                         r"#FFFFFF has contrast 1\.92:1, below WCAG 2\.1 AA's 4\.5:1",
                         done.stderr)  # fmt: skip
    before = (project.output / "tech-leaders" / "rust-vs-go.md").read_bytes()
    strict = twinpress(*args, "--strict", "--force", cwd=project.root)
    assert strict.returncode == 1
    assert "themes/pale/theme.yaml:3:3: error: text #BBBBBB" in strict.stderr
    assert (project.output / "tech-leaders" / "rust-vs-go.md").read_bytes() == before


def test_library_messages_never_reach_the_terminal_raw(project):
    done = twinpress("build", "-a", "tech-leaders", "--theme", "acme", "-f", "pdf", "-f", "html",
                     "-f", "pptx", cwd=project.root)  # fmt: skip
    assert done.returncode == 0, done.stderr
    for line in done.stderr.splitlines():  # only our table, our diagnostics and our summary
        assert re.match(r"(file |output/|\S+:\d+:\d+: (warning|error): |  hint: |\d+ of \d+ )",
                        line), line  # fmt: skip
    assert "timestamp" not in done.stderr and "WARNING" not in done.stderr


# -- sources -----------------------------------------------------------------------------


def test_a_source_that_does_not_exist_gets_no_made_up_line_and_names_are_found(project):
    done = twinpress("build", "content/rust-vs-og.yaml", "-f", "markdown", cwd=project.root)
    assert done.returncode == 1
    assert done.stderr.startswith(
        "content/rust-vs-og.yaml: error: there is no source 'content/rust-vs-og.yaml' "
        "[source.not-found]"
    ), done.stderr
    assert "did you mean 'rust-vs-go'?" in done.stderr
    by_name = twinpress("build", "rust-vs-go", "-a", "executives", "-f", "markdown",
                        cwd=project.root)  # fmt: skip
    assert by_name.returncode == 0, by_name.stderr
    assert (project.output / "executives" / "rust-vs-go.md").is_file()


@pytest.mark.parametrize("command", ["check", "build"])
def test_an_image_that_claims_too_many_pixels_is_a_located_error_not_a_crash(project, command):
    (project.content / "images").mkdir(exist_ok=True)
    (project.content / "images" / "poster.png").write_bytes(png_header(20000, 20000))
    image = "      - image: {src: images/poster.png, alt: A poster}\n"
    text = replace_in(project.content / "rust-vs-go.yaml", "    blocks:\n", "    blocks:\n" + image)
    done = twinpress(command, cwd=project.root)
    assert done.returncode == 1, done.stderr  # a mistake in the input, not an internal error
    line = line_of(text, "images/poster.png")
    message = (
        r"image 'images/poster\.png' is too large: its header claims 400 megapixels; "
        r"the limit is 40 megapixels \[content\.image-too-large\]"
    )
    assert re.search(rf"content/rust-vs-go\.yaml:{line}:\d+: error: {message}", done.stderr)
    assert "DecompressionBomb" not in done.stderr and "internal error" not in done.stderr
    assert no_outputs(project)


# -- outputs stay in step ----------------------------------------------------------------


def test_when_one_format_fails_the_others_of_that_source_and_audience_are_held(project):
    args = ("build", "-a", "tech-leaders", "-f", "pptx", "-f", "html")
    assert twinpress(*args, cwd=project.root).returncode == 0
    deck = project.output / "tech-leaders" / "rust-vs-go.pptx"
    before = deck.read_bytes()
    blocks = project.themes / "corporate" / "templates" / "blocks"
    blocks.mkdir(parents=True)
    (blocks / "paragraph.html.j2").write_text("{{ block.text.nope() }}\n")
    replace_in(project.content / "rust-vs-go.yaml", "Before diving into technical comparisons",
               "Before diving into details")  # fmt: skip
    done = twinpress(*args, cwd=project.root)
    assert done.returncode == 1
    table = done.stdout + done.stderr
    assert re.search(r"output/tech-leaders/rust-vs-go\.pptx .* held", table), table
    assert "[build.held]" in done.stderr and "held back" in done.stdout
    assert deck.read_bytes() == before  # the deck still matches the briefing beside it


def test_outputs_built_with_another_theme_verify_against_that_theme(project):
    args = ("-a", "engineers", "--theme", "high-contrast")
    assert twinpress("build", *args, "-f", "pptx", "-f", "pdf", cwd=project.root).returncode == 0
    done = twinpress("verify", "-a", "engineers", "-f", "pptx", "-f", "pdf", cwd=project.root)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "stale" not in done.stdout + done.stderr


def test_verify_works_with_the_runtime_install_alone(project):
    """pypdf reads the briefings back: it is a runtime dependency, not a test one."""
    from importlib.metadata import requires

    runtime = [r for r in requires("twinpress") or [] if "extra ==" not in r]
    assert any(r.lower().startswith("pypdf") for r in runtime), runtime


# -- awkward but valid text --------------------------------------------------------------


@pytest.fixture(scope="module")
def long_words(template_project, tmp_path_factory):
    """The long-words source built for every audience in every format, then verified."""
    from pipeline.project import Project

    root = tmp_path_factory.mktemp("long-words")
    shutil.copytree(template_project, root, dirs_exist_ok=True)
    shutil.copy(FIXTURES / "long-words.yaml", root / "content" / "long-words.yaml")
    built = twinpress("build", "long-words", *FORMATS, cwd=root)
    assert built.returncode == 0, built.stderr
    return Project(root), twinpress("verify", "long-words", cwd=root)


def test_long_titles_urls_and_words_verify_without_false_alarms(long_words):
    _project, verified = long_words
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert "manifest-mismatch" not in verified.stdout and "partial" not in verified.stdout


@pytest.mark.parametrize("audience", ["tech-leaders", "engineers", "executives"])
def test_long_titles_wrap_in_the_briefing_and_nothing_overprints(long_words, audience):
    project, _ = long_words
    pdf = project.output / audience / "long-words.pdf"
    assert overlapping_words(pdf) == []
    assert off_page_characters(pdf) == 0
    pages = [p.extract_text() for p in pypdf.PdfReader(str(pdf)).pages]
    # The cover holds its long title, the subtitle and the facts on one page.
    assert "PREPARED FOR" in pages[0] and "November 24, 2026" in pages[0]
    assert "PREPARED FOR" not in pages[1]


def test_long_urls_break_without_a_printed_hyphen(long_words):
    project, _ = long_words
    pdf = project.output / "engineers" / "long-words.pdf"
    text = "".join(p.extract_text() for p in pypdf.PdfReader(str(pdf)).pages)
    joined = re.sub(r"\s+", "", text)
    source = (FIXTURES / "long-words.yaml").read_text()
    urls = set(re.findall(r"https://[^\s\"]+", source)) - {
        "https://handbook.example.com/engineering/platform/operating-distributed-backends"
    }  # the call to action's link, printed as its action's words
    assert len(urls) >= 5
    for url in urls:
        assert url in joined, url  # whole, with no hyphen added where it broke
