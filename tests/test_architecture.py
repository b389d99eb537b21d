"""The package's shape: no import cycles, small modules, one folder per format, python-pptx
internals in one place, and every renderer in the table honouring the contract."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

import pytest
from conftest import REPO, render

from pipeline import renderers
from pipeline.audience import load_profiles, select
from pipeline.loader import load_document
from pipeline.project import Project
from pipeline.renderers.contract import Renderer
from pipeline.themes import load_theme

PACKAGE = REPO / "pipeline"
MAX_LINES = 400


def modules() -> dict[str, Path]:
    """Dotted module name -> file, for every module of the package."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(REPO).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def imports_of(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """Every pipeline module `name` imports anywhere: at the top, inside functions, and under
    TYPE_CHECKING (a cycle hidden in a function is still a cycle)."""
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name in known}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            for alias in node.names:
                target = f"{base}.{alias.name}"
                found.add(target if target in known else base)
    return {m for m in found if m in known and m != name}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in graph:
        if v not in index:
            visit(v)
    return found


def test_no_module_imports_itself_through_other_modules():
    known = modules()
    graph = {name: imports_of(name, path, known) for name, path in known.items()}
    assert graph["pipeline.build"] >= {"pipeline.workers", "pipeline.jobs"}  # the walk works
    assert cycles(graph) == []


def test_the_cycle_finder_finds_a_cycle_hidden_in_a_function(tmp_path):
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]


@pytest.mark.parametrize("name", sorted(modules()))
def test_every_module_is_short_and_says_what_it_owns(name):
    path = modules()[name]
    text = path.read_text(encoding="utf-8")
    assert len(text.splitlines()) <= MAX_LINES, f"{name} has over {MAX_LINES} lines: split it"
    assert ast.get_docstring(ast.parse(text)), f"{name} does not open with a docstring"


def test_only_the_ooxml_folder_touches_python_pptx_internals():
    """Private attributes of python-pptx objects and raw XML (lxml, pptx.oxml) stay in one
    folder, the one place to look when python-pptx changes."""
    ooxml = PACKAGE / "renderers" / "pptx" / "ooxml"
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.is_relative_to(ooxml):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
                ("lxml", "pptx.oxml")
            ):
                offenders.append(f"{path.name}: imports {node.module}")
            if (
                isinstance(node, ast.Attribute)
                and node.attr.startswith("_")
                and not node.attr.startswith("__")
                and not (isinstance(node.value, ast.Name) and node.value.id in ("self", "cls"))
                and "pptx" in path.parts
            ):
                offenders.append(f"{path.name}:{node.lineno}: .{node.attr}")
    assert offenders == []


@pytest.mark.parametrize("fmt", list(renderers.RENDERERS))
def test_every_format_is_one_typed_renderer_in_its_own_folder(fmt):
    renderer = renderers.get(fmt)
    assert isinstance(renderer, Renderer) and renderer.name == fmt
    module = renderers.RENDERERS[fmt].split(":")[0].split(".")
    assert module[:2] == ["pipeline", "renderers"] and (PACKAGE / "renderers" / module[2]).is_dir()
    assert renderer.suffix.startswith(".") and renderer.unit in ("slides", "pages", "")
    renderer.Options()  # every option has a default


@pytest.mark.parametrize("fmt", list(renderers.RENDERERS))
def test_every_renderer_reads_its_own_output_back(fmt, tmp_path):
    repo = Project(REPO)
    profile = load_profiles(repo.audiences_file)["executives"]
    document = select(load_document(REPO / "content" / "rust-vs-go.yaml", repo), profile)
    theme = load_theme(profile.theme, repo)
    rendered = render(fmt, document, theme, profile.options_for(fmt))
    target = tmp_path / f"out{renderers.get(fmt).suffix}"
    target.write_bytes(rendered.data)
    read = renderers.get(fmt).read_back(target, theme)
    text = " ".join(part.text for part in read.parts)
    assert [p.number for p in read.parts] == list(range(1, len(read.parts) + 1))
    if renderers.get(fmt).unit:
        assert len(read.parts) == rendered.units
    for section in document.sections:
        assert section.title.split(":")[0] in text.replace("\n", " ")


def test_renderers_get_their_dates_from_the_build_context_not_the_environment(monkeypatch):
    from pipeline.context import BuildContext

    repo = Project(REPO)
    document = load_document(REPO / "content" / "rust-vs-go.yaml", repo)
    theme = load_theme("corporate", repo)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "not a number")  # never read by a renderer
    epoch = BuildContext(epoch=dt.datetime(2030, 1, 2, 3, 4, 5))
    deck = render("pptx", document, theme, context=epoch)
    import io

    from pptx import Presentation

    assert Presentation(io.BytesIO(deck.data)).core_properties.created == epoch.epoch
