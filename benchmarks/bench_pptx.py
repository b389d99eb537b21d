"""Deck render time and peak memory, for the article and for a 20x longer generated document.

    .venv/bin/python -m benchmarks.bench_pptx [--times 20] [--repeat 5] [--audience tech-leaders]

Times are wall-clock seconds of the deck renderer's `render` in a warm process (the first,
cold render is shown on its own: it loads fonts and builds the theme's master); peak memory is the
tracemalloc peak of one warm render (Python objects only: lxml's C trees are not traced),
and the process's peak resident set size so far (the article runs first, so the jump on
the long document is its cost).
"""

from __future__ import annotations

import argparse
import resource
import statistics
import time
import tracemalloc
from pathlib import Path

from benchmarks.generate import scaled_source
from pipeline import collector, renderers
from pipeline.audience import load_profiles, select
from pipeline.context import BuildContext
from pipeline.loader import load_document
from pipeline.project import Project
from pipeline.themes import load_theme

REPO = Path(__file__).resolve().parent.parent
ARTICLE = REPO / "content" / "rust-vs-go.yaml"


def measure(label: str, source: Path, audience: str, repeat: int) -> None:
    project = Project(REPO)
    profile = load_profiles(project.audiences_file)[audience]
    theme = load_theme(profile.theme, project)
    document = select(load_document(source, project), profile)
    options = profile.options_for("pptx")
    deck = renderers.get("pptx")
    started = time.perf_counter()
    result = deck.render(document, theme, options, BuildContext())
    cold = time.perf_counter() - started
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        deck.render(document, theme, options, BuildContext())
        runs.append(time.perf_counter() - started)
    tracemalloc.start()
    deck.render(document, theme, options, BuildContext())
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"{label:<22} {result.units:>5} slides {len(result.data) / 1024:>8.0f} KB  "
        f"cold {cold:6.3f} s  warm median {statistics.median(runs):6.3f} s "
        f"(min {min(runs):.3f})  Python heap peak {peak / 2**20:6.1f} MiB  "
        f"process RSS peak {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB"
    )


def main() -> None:
    collector.tune()  # as the command line and its workers do
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--times", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--audience", default="tech-leaders")
    args = parser.parse_args()
    print(f"pptx renderer, audience {args.audience}")
    measure("article", ARTICLE, args.audience, args.repeat)
    measure(
        f"article x{args.times}", scaled_source(args.times), args.audience, max(1, args.repeat // 2)
    )


if __name__ == "__main__":
    main()
