"""Make an N-times-longer version of the article: its sections repeated with fresh ids.

python -m benchmarks.generate 20 > /tmp/article-x20.yaml
"""

from __future__ import annotations

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


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    sys.stdout.write(to_yaml(scaled(load_document(ARTICLE, Project(REPO)), n)))
