"""Randomly corrupted sources always give located diagnostics, never a traceback."""

from __future__ import annotations

from conftest import ARTICLE
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.errors import Collector
from pipeline.loader import read_document

ORIGINAL = ARTICLE.read_text(encoding="utf-8")
LINES = ORIGINAL.splitlines(keepends=True)
NOISE = st.sampled_from(
    [
        *list(":-[]{}&*!|>'\"#%@`\t ,?\\"),
        "\n",
        "  ",
        "- ",
        ": ",
        "!!python/object:os.system",
        "&a",
        "*a",
        "<<: ",
        "\x00",
        "\u2028",
        "\ufeff",
        "é",
        "🚀",
        "null",
        "~",
        "yes",
        "2026-13-45",
        "0x1F",
        "---\n",
    ]
)


@st.composite
def corrupted(draw) -> str:
    """The article with one to five random edits at random places."""
    text = ORIGINAL
    for _ in range(draw(st.integers(1, 5))):
        edit = draw(
            st.sampled_from(
                [
                    "insert",
                    "delete",
                    "replace",
                    "swap-lines",
                    "indent",
                    "truncate",
                    "duplicate-line",
                ]
            )
        )
        at = draw(st.integers(0, max(0, len(text) - 1)))
        if edit == "insert":
            text = text[:at] + draw(NOISE) + text[at:]
        elif edit == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 40)) :]
        elif edit == "replace":
            text = text[:at] + draw(NOISE) + text[at + 1 :]
        elif edit == "truncate":
            text = text[:at]
        else:
            lines = text.splitlines(keepends=True) or [""]
            i = draw(st.integers(0, len(lines) - 1))
            j = draw(st.integers(0, len(lines) - 1))
            if edit == "swap-lines":
                lines[i], lines[j] = lines[j], lines[i]
            elif edit == "indent":
                lines[i] = draw(st.sampled_from([" ", "   ", "\t", ""])) + lines[i].lstrip()
            else:
                lines.insert(j, lines[i])
            text = "".join(lines)
    return text


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(text=corrupted())
def test_corrupted_sources_give_located_diagnostics(project_for_properties, text):
    path = project_for_properties.content / "corrupted.yaml"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    out = Collector()
    document = read_document(path, project_for_properties, out)  # must not raise
    if document is None:
        assert out.errors, "no document and no error"
    for d in out.items:
        assert d.loc is not None and d.loc.line >= 1 and d.loc.column >= 1, str(d)
        assert d.loc.path == path
        text_form = str(d)
        assert (
            text_form.startswith(f"{path}:{d.loc.line}:{d.loc.column}: ")
            or f":{d.loc.line}:{d.loc.column}: " in text_form
        )
        assert text_form.split("\n")[0].endswith(f"[{d.code}]")


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=400))
def test_arbitrary_bytes_never_crash_the_loader(project_for_properties, data):
    path = project_for_properties.content / "bytes.yaml"
    path.write_bytes(data)
    out = Collector()
    read_document(path, project_for_properties, out)
    assert all(d.loc is not None for d in out.items)


def test_corruption_is_really_applied():
    """Guard against a strategy that silently produces the original text."""
    from hypothesis import find

    assert find(corrupted(), lambda t: t != ORIGINAL) != ORIGINAL


def test_cli_never_prints_a_traceback_for_a_corrupted_source(project):
    from conftest import twinpress, write

    write(project, "rust-vs-go.yaml", ORIGINAL.replace("  - id: basics", "  - id: basics\n\t"))
    result = twinpress("check", cwd=project.root)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "[yaml.syntax]" in result.stderr and "tabs" in result.stderr


import pytest


@pytest.fixture(scope="module")
def project_for_properties(tmp_path_factory, template_project):
    """One project for many Hypothesis examples (function fixtures are not reset per example)."""
    from pipeline.project import Project

    root = tmp_path_factory.mktemp("props")
    (root / "content").mkdir()
    (root / "themes").symlink_to(template_project / "themes")
    return Project(root)


def test_a_value_spanning_lines_is_quoted_on_the_diagnostic_s_one_line(project_for_properties):
    """Found by the corruption test: a line break moved into an id made the message span
    lines, so its first line lost the [code]."""
    path = project_for_properties.content / "broken-id.yaml"
    path.write_text(
        'title: T\ndate: 2026-11-24\nsections:\n  - id: "hiring\\n\\n  x"\n    title: A\n'
        "    blocks:\n      - paragraph: P\n",
        encoding="utf-8",
    )
    out = Collector()
    read_document(path, project_for_properties, out)
    (problem,) = [d for d in out.errors if d.code == "content.invalid-value"]
    first = str(problem).split("\n")[0]
    assert first.endswith("[content.invalid-value]") and "hiring\\n\\n  x" in first
