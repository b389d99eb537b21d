"""Shared fixtures: throwaway projects, the real article, and a CLI runner."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.project import Project

REPO = Path(__file__).resolve().parent.parent
ARTICLE = REPO / "content" / "rust-vs-go.yaml"
# What twinpress ships. Tests copy only these, so a user's own sources and themes in the
# repository never change what the tests see.
SHIPPED_CONTENT = ("rust-vs-go.yaml", "audiences.yaml", "schema.json", "audiences.schema.json")
SHIPPED_THEMES = ("base", "corporate", "keynote", "high-contrast", "international", "acme")
THEMES = ("base", "corporate", "keynote", "high-contrast")
# A source whose title and text hold colour emoji (the briefing's emoji face is loaded for it).
EMOJI_SOURCE = """\
title: Launch 🚀 notes
date: 2026-01-02
sections:
  - id: one
    title: Ready ✅
    blocks:
      - paragraph: Shipped in 2026 🎉 with 12 fixes.
"""


def pytest_configure(config: pytest.Config) -> None:
    """Tests hash thousands of throwaway files: keep them out of the user's hash cache."""
    import tempfile

    if "TWINPRESS_CACHE" not in os.environ:
        os.environ["TWINPRESS_CACHE"] = tempfile.mkdtemp(prefix="twinpress-cache-")
        config.add_cleanup(lambda: shutil.rmtree(os.environ.pop("TWINPRESS_CACHE"), True))


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """A skipped test hides a missing dependency: CI must fail instead."""
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = len(reporter.stats.get("skipped", [])) if reporter else 0
    if skipped and not os.environ.get("TWINPRESS_ALLOW_SKIPS"):
        reporter.write_line(
            f"{skipped} test(s) skipped: failing the run "
            "(set TWINPRESS_ALLOW_SKIPS=1 to allow locally)",
            red=True,
        )
        session.exitstatus = 1


@pytest.fixture(scope="session")
def template_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the shipped content and themes, made once per session."""
    root = tmp_path_factory.mktemp("template")
    (root / "content").mkdir()
    for name in SHIPPED_CONTENT:
        shutil.copy2(REPO / "content" / name, root / "content" / name)
    for name in SHIPPED_THEMES:
        shutil.copytree(REPO / "themes" / name, root / "themes" / name)
    shutil.copy2(REPO / "themes" / "theme.schema.json", root / "themes" / "theme.schema.json")
    return root


@pytest.fixture
def project(template_project: Path, tmp_path: Path) -> Project:
    """A private project (hard-linked copy of the template) that a test may change."""
    root = tmp_path / "project"
    shutil.copytree(template_project, root, copy_function=os.link)
    return Project(root)


@pytest.fixture
def shipped_project(template_project: Path) -> Project:
    """The shipped content and themes, read-only (shared by the session's tests)."""
    return Project(template_project)


def write(project: Project, name: str, text: str) -> Path:
    """Write a source into the project's content folder (replacing any hard link)."""
    path = project.content / name
    path.unlink(missing_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def png_header(width: int, height: int) -> bytes:
    """A PNG whose header claims a size (its pixels are never there)."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0"))
        + chunk(b"IEND", b"")
    )


def twinpress(
    *args: str, cwd: Path, env: dict | None = None, timeout: float = 600
) -> subprocess.CompletedProcess:
    """Run the real command line in a subprocess, as a user would."""
    return subprocess.run(
        [sys.executable, "-m", "pipeline", *args],
        cwd=cwd,
        text=True,
        capture_output=True,
        timeout=timeout,
        env={**os.environ, "NO_COLOR": "1", **(env or {})},
    )


# --- Briefings (pdf, html): the article rendered once per audience, theme and options ------


@pytest.fixture(scope="session")
def article_inputs():
    """The article, the audience profiles and the repository project, loaded once."""
    from pipeline.audience import load_profiles
    from pipeline.loader import load_document

    repo = Project(REPO)
    return load_document(ARTICLE, repo), load_profiles(repo.audiences_file), repo


def render(fmt: str, document, theme, options=None, context=None):
    """Render through the renderer table, as the build does; the build context comes from
    the environment (SOURCE_DATE_EPOCH) unless given."""
    from pipeline import renderers
    from pipeline.context import BuildContext

    renderer = renderers.get(fmt)
    return renderer.render(
        document,
        theme,
        options if options is not None else renderer.Options(),
        context or BuildContext.from_environment(),
    )


@pytest.fixture(scope="session")
def briefing(article_inputs):
    """briefing(audience, fmt="pdf", theme=None, **options) -> (Rendered, selected document),
    rendered through the renderer registry once per session for each distinct call."""
    import dataclasses

    from pipeline.audience import select
    from pipeline.themes import load_theme

    document, profiles, repo = article_inputs
    cache: dict = {}

    def make(audience: str, fmt: str = "pdf", theme: str | None = None, **options):
        key = (audience, fmt, theme, tuple(sorted(options.items())))
        if key not in cache:
            profile = profiles[audience]
            chosen = load_theme(theme or profile.theme, repo)
            opts = dataclasses.replace(profile.options_for(fmt), **options)
            selected = select(document, profile)
            cache[key] = (render(fmt, selected, chosen, opts), selected)
        return cache[key]

    return make
