"""Make big sources: the article N times over (its sections repeated with fresh ids), or one
section of N long bullets (the "huge source" of issue 16).

python -m benchmarks.generate 20 > /tmp/article-x20.yaml
python -m benchmarks.generate --bullets 20000 > /tmp/bullets-20000.yaml   # about 5 MB
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

from pipeline.loader import load_document
from pipeline.model import Document
from pipeline.project import Project
from pipeline.serialize import to_yaml

REPO = Path(__file__).resolve().parent.parent
ARTICLE = REPO / "content" / "rust-vs-go.yaml"


def scaled(document: Document, times: int) -> Document:
    """The document's sections `times` over; copy k gets ids like `performance-k`."""
    sections = []
    for k in range(1, times + 1):
        for s in document.sections:
            suffix = "" if k == 1 else f"-{k}"
            title = s.title if k == 1 else f"{s.title} (part {k})"
            sections.append(replace(s, id=s.id + suffix, title=title))
    return replace(document, sections=tuple(sections))


def scaled_source(times: int, folder: Path | None = None) -> Path:
    """Write the scaled article as a source file and return its path."""
    project = Project(REPO)
    document = scaled(load_document(ARTICLE, project), times)
    folder = folder or Path(tempfile.mkdtemp(prefix="twinpress-bench-"))
    path = folder / f"rust-vs-go-x{times}.yaml"
    path.write_text(to_yaml(document), encoding="utf-8")
    return path


_WORDS = (
    "memory",
    "safety",
    "ownership",
    "borrow",
    "checker",
    "goroutine",
    "channel",
    "latency",
    "throughput",
    "microservice",
    "backend",
    "compile",
    "runtime",
    "garbage",
    "collector",
    "thread",
    "pool",
    "async",
    "await",
    "deployment",
    "container",
    "scaling",
    "observability",
    "benchmark",
    "allocation",
    "cache",
    "request",
    "handler",
    "scheduler",
    "lifetime",
    "trait",
    "interface",
    "module",
    "package",
    "toolchain",
    "release",
)


def bullets_text(count: int, seed: int = 16) -> str:
    """A source of one section holding `count` bullets of about 250 characters each (20,000
    bullets make about 5 MB), every one different, so no measurement cache hides the work."""
    rng = random.Random(seed)
    lines = [
        "# yaml-language-server: $schema=schema.json",
        f"title: One section of {count} bullets",
        "date: 2026-11-24",
        "organisation: Benchmarks",
        "sections:",
        "  - id: bullets",
        "    title: Everything at once",
        "    blocks:",
        "      - bullets:",
    ]
    for n in range(1, count + 1):
        words = [rng.choice(_WORDS) for _ in range(27)]
        lines.append(f"          - Item {n}, {' '.join(words).capitalize()}.")
    return "\n".join(lines) + "\n"


def bullets_source(count: int, folder: Path | None = None) -> Path:
    """Write the one-section source of `count` bullets and return its path."""
    folder = folder or Path(tempfile.mkdtemp(prefix="twinpress-bench-"))
    path = folder / f"bullets-{count}.yaml"
    path.write_text(bullets_text(count), encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.generate",
        description="Print a big source on standard output: the article TIMES over, or one "
        "section of N bullets.",
    )
    parser.add_argument(
        "times", nargs="?", type=int, default=20, help="copies of the article (default 20)"
    )
    parser.add_argument("--bullets", type=int, metavar="N", help="one section of N bullets")
    args = parser.parse_args(argv)
    if args.bullets is not None:
        sys.stdout.write(bullets_text(args.bullets))
    else:
        sys.stdout.write(to_yaml(scaled(load_document(ARTICLE, Project(REPO)), args.times)))


if __name__ == "__main__":
    main()
