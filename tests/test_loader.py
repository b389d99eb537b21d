"""The loader: every error code at its line and column, safety limits, and the real article."""

from __future__ import annotations

import re
import time

import pytest
from conftest import REPO, SHIPPED_CONTENT, SHIPPED_THEMES, png_header, write

from pipeline.errors import ContentError, Diagnostic
from pipeline.loader import load_document
from pipeline.model import Bullets, CallToAction, Comparison, Heading, Table, Verdict
from pipeline.project import Project

HEAD = "title: T\ndate: 2026-01-01\nsections:\n"


def diagnostics(project: Project, text: str | bytes, name: str = "doc.yaml") -> list[Diagnostic]:
    path = project.content / name
    path.unlink(missing_ok=True)
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    with pytest.raises(ContentError) as info:
        load_document(path, project)
    return list(info.value.diagnostics)


def only(found: list[Diagnostic], code: str) -> Diagnostic:
    matching = [d for d in found if d.code == code]
    assert matching, f"no {code} in {[str(d) for d in found]}"
    return matching[0]


# (code, source text, line, column, a fragment the message or hint must contain)
CASES = [
    ("yaml.syntax", HEAD + "  - id: a\n    title: [oops\n    blocks: []\n", 6, 11, "while parsing"),
    ("yaml.tag", "title: !!python/object/apply:os.system [ls]\n", 1, 8, "not allowed"),
    ("yaml.tag", "title: !custom x\n", 1, 8, "!custom"),
    ("yaml.recursive-alias", "title: &t [*t]\n", 1, 8, "refers to the node"),
    ("yaml.duplicate-key", "title: A\ntitle: B\n", 2, 1, "line 1"),
    ("yaml.merge-key", "base: &b {x: 1}\nother:\n  <<: *b\n", 3, 3, "merge"),
    ("yaml.multiple-documents", "title: a\n---\ntitle: b\n", 3, 1, "'---' line above"),
    ("yaml.key", "? [a, b]\n: x\n", 1, 3, "plain text"),
    ("source.empty", "", 1, 1, "empty"),
    ("source.empty", "# only a comment\n\n", 1, 1, "empty"),
    ("source.encoding", b"title: caf\xe9\n", 1, 1, "UTF-8"),
    ("source.binary", b"\x89PNG\r\n\x1a\n\x00\x00", 1, 1, "binary"),
    ("content.unknown-key", HEAD.replace("title: T", "titel: T"), 1, 1, "did you mean 'title'"),
    (
        "content.missing-key",
        "date: 2026-01-01\nsections: [{id: a, title: A}]\n",
        1,
        1,
        "add 'title:'",
    ),
    (
        "content.type",
        HEAD + "  - id: a\n    title: A\n    numbered: maybe\n",
        6,
        15,
        "true or false",
    ),
    (
        "content.type",
        "title: yes\ndate: 2026-01-01\nsections: [{id: a, title: A}]\n",
        1,
        8,
        "quote it",
    ),
    (
        "content.unknown-kind",
        HEAD + "  - id: a\n    title: A\n    blocks:\n      - bulets: [x]\n",
        7,
        9,
        "did you mean 'bullets'",
    ),
    (
        "content.block-shape",
        HEAD + "  - id: a\n    title: A\n    blocks:\n      - paragraph: x\n"
        "        tags: [promo]\n",
        8,
        9,
        "indent 'tags:'",
    ),
    (
        "content.block-shape",
        HEAD + "  - id: a\n    title: A\n    blocks:\n      - paragraph: x\n        heading: y\n",
        8,
        9,
        "own '- '",
    ),
    (
        "content.block-shape",
        HEAD + "  - id: a\n    title: A\n    blocks:\n      - just text\n",
        7,
        9,
        "paragraph: Some text",
    ),
    (
        "content.invalid-value",
        HEAD + "  - id: a\n    title: A\n    blocks:\n      - bullets:\n"
        "          marker: chek\n          items: [x]\n",
        8,
        19,
        "did you mean 'check'",
    ),
    ("content.invalid-value", HEAD + "  - id: Not Valid\n    title: A\n", 4, 9, "'not-valid'"),
    (
        "content.invalid-value",
        HEAD + "  - id: a\n    title: A\n    blocks:\n      - call-to-action:"
        "\n          action: Go\n          link: http://example.com\n",
        9,
        17,
        "https://",
    ),
    ("content.empty", HEAD + "  - id: a\n    title: ''\n", 5, 12, "empty"),
    ("content.empty", HEAD + "  - id: a\n    title:\n", 5, 11, "empty"),
    ("content.count", HEAD.replace("sections:\n", "sections: []\n"), 3, 11, "at least 1"),
    (
        "content.count",
        HEAD + "  - id: a\n    title: A\n    blocks:\n      - comparison:\n"
        "          - {heading: R, items: [x]}\n",
        8,
        11,
        "at least 2",
    ),
    (
        "content.date",
        "title: T\ndate: 24/11/2026\nsections: [{id: a, title: A}]\n",
        2,
        7,
        "2026-11-24",
    ),
    (
        "content.control-character",
        'title: "bell\\a"\ndate: 2026-01-01\nsections: [{id: a, title: A}]\n',
        1,
        13,  # at the escape itself, not at the start of the text
        "U+0007",
    ),
    (
        "source.control-character",
        "title: T\ndate: 2026-01-01\nsections: [{id: a, title: raw \x07 bell}]\n",
        3,
        31,
        "U+0007",
    ),
    (
        "content.duplicate-id",
        HEAD + "  - id: a\n    title: A\n  - id: a\n    title: B\n",
        6,
        9,
        "line 4",
    ),
    (
        "content.table-shape",
        HEAD + "  - id: a\n    title: A\n    blocks:\n      - table:\n"
        "          header: [x, y]\n          rows:\n            - [1, 2]\n            - [3]\n",
        11,
        15,
        "one cell per column",
    ),
]


@pytest.mark.parametrize(
    "code,text,line,column,fragment", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)]
)
def test_error_code_is_reported_at_its_place(project, code, text, line, column, fragment):
    found = only(diagnostics(project, text), code)
    assert (found.loc.line, found.loc.column) == (line, column), str(found)
    assert fragment in f"{found.message} {found.hint or ''}", str(found)
    assert re.fullmatch(
        rf"\S+doc\.yaml:{line}:{column}: error: .+ \[{re.escape(code)}\](\n  hint: .+)?",
        str(found),
        re.S,
    ), str(found)


def image_source(src: str) -> str:
    return HEAD + (
        "  - id: a\n    title: A\n    blocks:\n      - image:\n"
        f"          src: {src}\n          alt: A picture\n"
    )


@pytest.mark.parametrize(
    "src,code",
    [
        ("https://example.com/a.png", "content.image-url"),
        ("file:///etc/passwd", "content.image-url"),
        ("/etc/passwd", "content.image-outside"),
        ("../../etc/hostname", "content.image-outside"),
        ("images/nothere.png", "content.image-missing"),
        ("notes.txt", "content.image-format"),
        ("fake.png", "content.image-invalid"),
        ("huge.png", "content.image-too-large"),
        ("claims.png", "content.image-too-large"),
    ],
)
def test_image_paths_are_checked(project, src, code):
    (project.content / "notes.txt").write_text("not an image")
    (project.content / "fake.png").write_bytes(b"not a png at all")
    (project.content / "huge.png").write_bytes(png_header(9000, 9000))  # 81 megapixels
    (project.content / "claims.png").write_bytes(png_header(20000, 20000))
    found = only(diagnostics(project, image_source(src)), code)
    assert (found.loc.line, found.loc.column) == (8, 16)


def test_a_large_image_is_scaled_down_for_the_outputs_and_kept_as_it_is(project, tmp_path):
    from PIL import Image as PILImage

    from pipeline.images import MAX_SIDE, embedded

    path = project.content / "wide.png"
    PILImage.new("RGB", (4800, 1200), "teal").save(path)
    data, mime = embedded(path)
    with PILImage.open(__import__("io").BytesIO(data)) as im:
        assert im.size == (MAX_SIDE, 600) and mime == "image/png"
    assert embedded(path) == (data, mime)  # the same bytes every time
    with PILImage.open(path) as original:
        assert original.size == (4800, 1200)


def test_image_symlink_out_of_the_project_is_refused(project, tmp_path):
    outside = tmp_path / "secret.png"
    outside.write_bytes((REPO / "themes/base/logo.png").read_bytes())
    (project.content / "link.png").symlink_to(outside)
    only(diagnostics(project, image_source("link.png")), "content.image-outside")


def test_a_valid_image_resolves_inside_the_project(project):
    (project.content / "images").mkdir()
    (project.content / "images/logo.png").write_bytes((REPO / "themes/base/logo.png").read_bytes())
    path = write(project, "doc.yaml", image_source("images/logo.png"))
    image = load_document(path, project).sections[0].blocks[0]
    assert image.path == (project.content / "images/logo.png").resolve()
    assert image.alt == "A picture"


def test_missing_image_suggests_a_close_name(project):
    (project.content / "images").mkdir()
    (project.content / "images/diagram.png").write_bytes(
        (REPO / "themes/base/logo.png").read_bytes()
    )
    found = only(diagnostics(project, image_source("images/diagramm.png")), "content.image-missing")
    assert "diagram.png" in found.hint


def test_alias_bomb_is_refused_quickly(project):
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        prev, cur = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    started = time.perf_counter()
    found = diagnostics(project, "\n".join(lines) + "\n")
    assert time.perf_counter() - started < 1.0
    assert [d.code for d in found] == ["yaml.alias-bomb"]


def test_too_many_nodes_is_refused(project):
    text = "title: [" + ",".join(["1"] * 600_000) + "]\n"
    assert [d.code for d in diagnostics(project, text)] == ["yaml.too-many-nodes"]


def test_oversized_file_is_refused_without_reading_it(project):
    path = project.content / "big.yaml"
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    started = time.perf_counter()
    with pytest.raises(ContentError) as info:
        load_document(path, project)
    assert time.perf_counter() - started < 1.0
    assert [d.code for d in info.value.diagnostics] == ["source.too-large"]
    assert "50.0 MiB" in info.value.diagnostics[0].message


def test_unreadable_file(project):
    (project.content / "folder.yaml").mkdir()
    with pytest.raises(ContentError) as info:
        load_document(project.content / "folder.yaml", project)
    assert [d.code for d in info.value.diagnostics] == ["source.unreadable"]


def test_missing_file(project):
    with pytest.raises(ContentError) as info:
        load_document(project.content / "nope.yaml", project)
    assert [d.code for d in info.value.diagnostics] == ["source.not-found"]


def test_every_problem_is_reported_in_one_pass(project):
    text = (
        HEAD + "  - id: a\n    title: A\n    blocks:\n      - bulets: [x]\n"
        "      - bullets: {marker: nope, items: [y]}\n  - id: a\n    titel: B\n"
    )
    codes = sorted(d.code for d in diagnostics(project, text))
    assert codes == [
        "content.duplicate-id",
        "content.invalid-value",
        "content.missing-key",
        "content.unknown-key",
        "content.unknown-kind",
    ]


def test_emoji_marker_in_the_source_means_the_semantic_marker(project):
    text = (
        HEAD + "  - id: a\n    title: A\n    blocks:\n      - bullets: {marker: ✅, items: [x]}\n"
        '      - bullets: {marker: "🛠️", items: [y]}\n'
    )
    blocks = load_document(write(project, "doc.yaml", text), project).sections[0].blocks
    assert [b.marker for b in blocks] == ["check", "tools"]


def test_empty_section_is_a_warning_not_an_error(project):
    path = write(project, "doc.yaml", HEAD + "  - id: a\n    title: A\n")
    from pipeline.errors import Collector
    from pipeline.loader import read_document

    out = Collector()
    assert read_document(path, project, out) is not None
    assert [d.code for d in out.warnings] == ["content.empty-section"]


@pytest.mark.parametrize("language,warned", [("sv", True), ("de-CH", False), ("en-GB", False)])
def test_a_language_without_shipped_labels_warns_at_its_line(project, language, warned):
    from pipeline.errors import Collector
    from pipeline.loader import read_document

    text = f"title: T\nlanguage: {language}\ndate: 2026-01-01\nsections:\n"
    path = write(
        project, "doc.yaml", text + "  - id: a\n    title: A\n    blocks: [{paragraph: x}]\n"
    )
    out = Collector()
    assert read_document(path, project, out) is not None
    found = [d for d in out.warnings if d.code == "content.language-labels"]
    assert bool(found) == warned
    if warned:
        assert (found[0].loc.line, found[0].loc.column) == (2, 11)
        assert "no labels for language 'sv'" in found[0].message


def test_every_error_code_in_the_loader_is_tested():
    """A new code without a test here fails, so the table above stays complete."""
    sources = [REPO / "pipeline" / n for n in ("yamlsource.py", "decode.py", "loader.py")]
    text = "\n".join(p.read_text() for p in sources)
    emitted = set(re.findall(r'"((?:yaml|source)\.[a-z-]+)"', text))
    emitted |= {f"content.{c}" for c in re.findall(r'(?:dec|self)\.error\(\s*"([a-z-]+)"', text)}
    emitted |= set(re.findall(r'"(content\.[a-z-]+)"', text))
    tested = {c[0] for c in CASES} | {
        "content.image-url",
        "content.image-outside",
        "content.image-missing",
        "content.image-format",
        "content.image-invalid",
        "content.image-too-large",
        "yaml.alias-bomb",
        "yaml.too-many-nodes",
        "source.too-large",
        "source.not-found",
        "content.empty-section",
        "content.language-labels",
        "source.unreadable",
    }
    untested = emitted - tested - {"content.invalid-key"}  # dict keys: audiences only
    assert not untested, f"error codes without a test: {sorted(untested)}"


# -- the real article ---------------------------------------------------------------------
@pytest.fixture(scope="module")
def article(shipped_project):
    return load_document(REPO / "content" / "rust-vs-go.yaml", shipped_project)


@pytest.fixture(scope="module")
def shipped_project():
    return Project(REPO)


def test_article_has_every_section_in_order(article):
    assert [s.id for s in article.sections] == [
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
    assert [s.number for s in article.sections] == [None, 1, 2, 3, 4, 5, 6, 7, 8]
    assert article.language == "en" and article.date.isoformat() == "2026-11-24"


def test_article_text_is_verbatim_from_the_seed(article):
    source = re.sub(r"\s+", " ", (REPO / "tests/fixtures/seed-article.txt").read_text())
    from pipeline.model import block_texts

    for section in article.sections:
        assert section.id == "intro" or section.title in source, section.title
        for block in section.blocks:
            if block.derived or (isinstance(block, Comparison) and section.id == "conclusion"):
                continue
            for text in block_texts(block):
                if isinstance(block, Verdict):
                    text = "Verdict: " + text
                assert text in source, text
    assert "Choose Rust if you need maximum performance" in source


def test_article_marks_its_derived_and_promotional_content(article):
    use_cases = next(s for s in article.sections if s.id == "use-cases")
    (table,) = use_cases.blocks
    assert isinstance(table, Table) and table.derived and table.header == ("Use case", "Rust", "Go")
    promo = [b for s in article.sections for b in s.blocks if "promo" in b.tags]
    assert any("Remoteplatz" in t for b in promo for t in _texts(b))
    assert isinstance(promo[-1], CallToAction)
    assert not any(
        "Remoteplatz" in t
        for s in article.sections
        for b in s.blocks
        if "promo" not in b.tags
        for t in _texts(b)
    )
    verdicts = [s.id for s in article.sections for b in s.blocks if isinstance(b, Verdict)]
    assert verdicts == ["performance", "concurrency", "ease-of-use"]


def test_article_keeps_every_bullet_marker(article):
    markers = [
        b.marker or i.marker
        for s in article.sections
        for b in s.blocks
        if isinstance(b, Bullets)
        for i in b.items
    ]
    assert markers.count("check") == 8 and markers.count("bolt") == 4
    assert {"rocket", "pin", "tools", "globe"} <= set(markers)
    headings = [b.text for s in article.sections for b in s.blocks if isinstance(b, Heading)]
    assert "Rust: Memory Safety & Performance" in headings


def _texts(block):
    from pipeline.model import block_texts

    return block_texts(block)


def test_shipped_yaml_parses_with_pure_python_yaml_too():
    """libyaml is lenient in places; the files must also parse without it (editors, CI)."""
    import yaml

    content = [REPO / "content" / name for name in SHIPPED_CONTENT if name.endswith(".yaml")]
    themes = [REPO / "themes" / name / "theme.yaml" for name in SHIPPED_THEMES]
    for path in [*content, *themes]:
        assert yaml.load(path.read_text(), Loader=yaml.SafeLoader) is not None, path
