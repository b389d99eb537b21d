"""What embedding a theme's fonts costs a deck: size and render time, per shipped theme.

    .venv/bin/python -m benchmarks.deck_fonts [--audience tech-leaders] [--repeat 3]

For the article, one audience's deck in every theme that can draw it: its size without
embedded fonts (`pptx.embed_fonts: false`), with the fonts subset to the deck's text (what
twinpress ships) and with whole fonts; the render time of the first deck (subsetting runs,
fontTools loads) and the median of warm renders (subsets cached per font and text).
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import time
from pathlib import Path

from pipeline.audience import load_profiles, select
from pipeline.context import BuildContext
from pipeline.errors import ContentError
from pipeline.loader import load_document
from pipeline.project import Project
from pipeline.renderers import get
from pipeline.renderers.pptx import embedding
from pipeline.themes import Theme, load_theme

REPO = Path(__file__).resolve().parent.parent
ARTICLE = REPO / "content" / "rust-vs-go.yaml"


def _render(document: object, theme: Theme, options: object) -> tuple[int, float]:
    started = time.perf_counter()
    rendered = get("pptx").render(document, theme, options, BuildContext())  # type: ignore[arg-type]
    return len(rendered.data), time.perf_counter() - started


def _whole_fonts(theme: Theme, document: object, options: object) -> int:
    """The deck's size had the whole font files gone in (patched for this measurement)."""
    original = embedding.coverage_set
    embedding.coverage_set = lambda text: None  # type: ignore[assignment,return-value]
    try:
        return _render(document, theme, options)[0]
    finally:
        embedding.coverage_set = original


def measure(theme_name: str, project: Project, audience: str, repeat: int) -> None:
    profile = load_profiles(project.audiences_file)[audience]
    theme = load_theme(theme_name, project)
    document = select(load_document(ARTICLE, project), profile)
    options = profile.options_for("pptx")
    plain = dataclasses.replace(theme, pptx=dataclasses.replace(theme.pptx, embed_fonts=False))
    embedding._eot.cache_clear()
    try:
        size, cold = _render(document, theme, options)
    except ContentError as error:
        print(f"{theme_name:<14} cannot draw the article: {error.diagnostics[0].message}")
        return
    warm = statistics.median(_render(document, theme, options)[1] for _ in range(repeat))
    bare_size, bare_time = _render(document, plain, options)
    print(
        f"{theme_name:<14} no fonts {bare_size / 1024:6.0f} KB {bare_time:5.2f} s | "
        f"subset {size / 1024:6.0f} KB first {cold:5.2f} s warm {warm:5.2f} s | "
        f"whole {_whole_fonts(theme, document, options) / 1024:6.0f} KB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--audience", default="tech-leaders")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    project = Project(REPO)
    for folder in sorted(p for p in project.themes.iterdir() if (p / "theme.yaml").is_file()):
        measure(folder.name, project, args.audience, args.repeat)


if __name__ == "__main__":
    main()
