"""Stress sources for the fit tests, written from the article's own sentences: long lists,
long bullets, long URLs and unbroken words, big tables, wide comparisons, long titles, and
every block kind many times. Deterministic, so a failure names the same slide every run."""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path

from conftest import ARTICLE

from pipeline.loader import load_document
from pipeline.model import Bullets, Paragraph, block_texts
from pipeline.project import Project

HEAD = "title: {title}\nsubtitle: {subtitle}\norganisation: Remoteplatz\ndate: 2026-11-24\n"
URLS = [
    "https://docs.example.com/reference/observability/pipelines/ingestion-and-routing-v2",
    "https://handbook.example.com/platform/ownership/telemetry-pipelines-and-dashboards",
]
WORDS = ["ObservabilityPipelineIngestionRoutingControllerConfiguration2026",
         "CostCentreAllocationPlatformSharedInfrastructureBudgetTag2026"]  # fmt: skip


def sentences() -> list[str]:
    """Every sentence of the article's paragraphs and bullets, in order."""
    document = load_document(ARTICLE, Project(ARTICLE.parent.parent))
    found: list[str] = []
    for section in document.sections:
        for block in section.blocks:
            if isinstance(block, (Paragraph, Bullets)):
                for text in block_texts(block):
                    found += [s.strip() for s in re.split(r"(?<=[.!?])\s+", text) if s.strip()]
    return found


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _cycle(n: int, start: int = 0) -> list[str]:
    pool = sentences()
    return list(itertools.islice(itertools.cycle(pool), start, start + n))


def lists() -> str:
    """40 bullets in one section, 300-character bullets, nested lists."""
    long = [" ".join(_cycle(4, i * 4))[:300] for i in range(8)]
    out = HEAD.format(title=_q("Forty bullets and very long ones"), subtitle=_q("Lists"))
    out += "sections:\n  - id: forty\n    title: Forty points from the article\n    blocks:\n"
    out += "      - bullets:\n" + "".join(f"          - {_q(s)}\n" for s in _cycle(40))
    out += "  - id: long\n    title: Bullets of three hundred characters\n    blocks:\n"
    out += "      - bullets:\n" + "".join(f"          - {_q(s)}\n" for s in long)
    out += "  - id: nested\n    title: Nested points\n    blocks:\n      - bullets:\n"
    for i, s in enumerate(_cycle(6, 50)):
        out += f"          - text: {_q(s)}\n            items: [{_q(_cycle(1, 60 + i)[0])}]\n"
    return out


def words() -> str:
    """Long URLs and unbroken words in every kind of text; 200-character titles."""
    title = " ".join(_cycle(3, 5))[:200]
    out = HEAD.format(title=_q(title), subtitle=_q(" ".join(_cycle(2, 9))))
    out += "sections:\n"
    for n in range(3):
        heading = " ".join(_cycle(3, 12 + n * 3))[:200]
        out += f"  - id: words-{n}\n    title: {_q(heading)}\n    summary: {_q(_cycle(1, n)[0])}\n"
        out += "    blocks:\n"
        out += f"      - paragraph: {_q(_cycle(1, 20 + n)[0] + ' See ' + URLS[n % 2] + '.')}\n"
        out += "      - bullets:\n"
        out += f"          - {_q(WORDS[0] + ' ' + _cycle(1, 30 + n)[0])}\n"
        out += f"          - {_q('Reference: ' + URLS[(n + 1) % 2])}\n"
        out += f"          - {_q(_cycle(1, 40 + n)[0] + ' ' + WORDS[1])}\n"
        out += f"      - verdict: {_q(_cycle(1, 44 + n)[0] + ' ' + URLS[n % 2])}\n"
        out += "      - table:\n          header: [Tag, Meaning]\n          rows:\n"
        out += f"            - [{_q(WORDS[1])}, {_q(_cycle(1, 48 + n)[0])}]\n"
    return out


def tables() -> str:
    """A 20-row table, 4-column comparisons, two comparisons in one section."""
    out = HEAD.format(title=_q("Tables and comparisons"), subtitle=_q("Wide and long"))
    out += "sections:\n  - id: table\n    title: Twenty rows\n    blocks:\n      - table:\n"
    out += "          caption: Every point with its source section\n"
    out += "          header: [Point, Detail, Area, Weight]\n          rows:\n"
    for i, s in enumerate(_cycle(20, 3)):
        area = ["Speed", "Safety", "Teams"][i % 3]
        out += f"            - [{_q(s[:40])}, {_q(s)}, {area}, {i + 1}]\n"
    for n in range(2):
        out += f"  - id: compare-{n}\n    title: Four columns, set {n + 1}\n    blocks:\n"
        for _ in range(2):
            out += "      - comparison:\n"
            for c, name in enumerate(["Rust", "Go", "Java", "Python"]):
                items = ", ".join(_q(s) for s in _cycle(4, n * 16 + c * 4))
                out += f"          - heading: {name}\n            items: [{items}]\n"
    return out


def every_kind(image: str) -> str:
    """Every block kind, three times over, under sub-headings."""
    out = HEAD.format(title=_q("Every kind of block"), subtitle=_q("Three times over"))
    out += "sections:\n"
    for n in range(3):
        s = _cycle(12, n * 12)
        out += f"  - id: kinds-{n}\n    title: Every block, round {n + 1}\n"
        out += f"    summary: {_q(s[0])}\n    blocks:\n"
        out += f"      - heading: {_q(s[1][:60])}\n      - paragraph: {_q(s[2] + ' ' + s[3])}\n"
        out += f"      - bullets: [{_q(s[4])}, {_q(s[5])}, {_q(s[6])}]\n"
        out += f"      - callout: {_q(s[7])}\n      - quote: {_q(s[8])}\n"
        out += "      - comparison:\n"
        out += f"          - heading: Rust\n            items: [{_q(s[9])}, {_q(s[10])}]\n"
        out += f"          - heading: Go\n            items: [{_q(s[11])}, {_q(s[0])}]\n"
        out += "      - table:\n          header: [Aspect, Note]\n          rows:\n"
        out += f"            - [Speed, {_q(s[1])}]\n            - [Safety, {_q(s[2])}]\n"
        out += f"      - image: {{src: {image}, alt: The organisation's logo}}\n"
        out += f"      - heading: {_q(s[3][:60])}\n      - verdict: {_q(s[4])}\n"
    out += "  - id: closing\n    title: What to do next\n    blocks:\n"
    out += "      - call-to-action:\n          action: Book a call with our platform team\n"
    out += f"          items: [{_q(_cycle(1, 70)[0])}]\n          link: {URLS[0]}\n"
    return out


def write_all(content: Path, image: Path) -> list[Path]:
    """The stress sources in `content/`, with the image they use; their paths."""
    (content / "images").mkdir(exist_ok=True)
    (content / "images" / "logo.png").write_bytes(image.read_bytes())
    sources = {"stress-lists": lists(), "stress-words": words(), "stress-tables": tables(),
               "stress-kinds": every_kind("images/logo.png")}  # fmt: skip
    paths = []
    for name, text in sources.items():
        path = content / f"{name}.yaml"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths
