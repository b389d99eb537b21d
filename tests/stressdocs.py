"""Stress documents: fixed, generated sources that use every block kind in awkward places.

They are what a designer sends back first: a verdict followed by more content, a
comparison whose title could part from its columns, columns of very different lengths, a
table of 20 rows with long cells, a long call to action with a link, parallel and
non-parallel sub-sections. Each is built the same way every run (no randomness), so a test
over them fails only on a regression.
"""

from __future__ import annotations

import datetime as dt

from pipeline.model import (
    BulletItem,
    Bullets,
    Callout,
    CallToAction,
    Column,
    Comparison,
    Document,
    Heading,
    Paragraph,
    Quote,
    Section,
    Table,
    Verdict,
    number_sections,
)

WORDS = [
    *("latency", "throughput", "ownership", "goroutines", "channels", "borrowing"),
    *("lifetimes", "allocation", "scheduling", "backpressure", "observability"),
    *("deployment", "migration", "tooling", "onboarding", "compilation"),
]


def words(n: int, seed: int) -> str:
    """n words from a fixed list, starting at `seed`, capitalised, ending in a full stop."""
    picked = [WORDS[(seed * 7 + i * 3) % len(WORDS)] for i in range(n)]
    return " ".join(picked).capitalize() + "."


def items(count: int, length: int, seed: int) -> tuple[BulletItem, ...]:
    return tuple(BulletItem(f"Point {seed}.{i}: " + words(length, seed + i)) for i in range(count))


def every_kind(n: int = 1) -> Section:
    """Sub-headings, then a verdict followed by a call-out, a titled comparison and a table."""
    rows = tuple(
        (f"Case {r}", words(3 + r % 9, r), words(2 + (r * 5) % 11, r + 3), "—") for r in range(20)
    )
    return Section(
        f"every-kind-{n}",
        f"Every kind of block {n}",
        (
            Paragraph(words(30, n)),
            Heading(f"First angle {n}"),
            Paragraph(words(45, n + 1)),
            Bullets(items(4, 6, n), marker="check"),
            Heading(f"Second angle {n}"),
            Bullets(items(6, 9, n + 2), marker="bolt"),
            Verdict(words(28, n + 3)),
            Callout(words(40, n + 4), tone="warning", label="Watch out"),
            Comparison(
                (
                    Column("Short side", items(2, 4, n + 5), marker="check"),
                    Column("Long side", items(9, 10, n + 6), marker="cross"),
                ),
                title=f"The two sides of {n}",
            ),
            Table(("Case", "Rust", "Go", "Zig"), rows, caption=words(12, n + 7)),
            Quote(words(25, n + 8), source="A reviewer"),
        ),
        summary=words(18, n + 9),
    )


def parallel(n: int = 1) -> Section:
    """Three parallel sub-sections (heading, paragraph, bullets), then a verdict."""
    blocks: list = [Paragraph(words(14, n))]
    for side, name in enumerate(("Rust", "Go", "Zig")):
        blocks += [
            Heading(f"{name}: angle {n}"),
            Paragraph(words(16, n + side)),
            Bullets(items(3, 4, n + side), marker="pin"),
        ]
    blocks.append(Verdict(words(24, n + 4)))
    return Section(f"parallel-{n}", f"Parallel sub-sections {n}", tuple(blocks))


def prose_pairs(n: int = 1) -> Section:
    """Two prose-only sub-sections: the columns show their paragraphs."""
    return Section(
        f"prose-{n}",
        f"Prose side by side {n}",
        (
            Heading(f"One view {n}"),
            Paragraph(words(34, n)),
            Heading(f"Other view {n}"),
            Paragraph(words(30, n + 1)),
            Verdict(words(20, n + 2)),
        ),
    )


def not_parallel(n: int = 1) -> Section:
    """Sub-sections of different shapes: each keeps a slide of its own."""
    return Section(
        f"mixed-{n}",
        f"Different shapes {n}",
        (
            Heading(f"A list {n}"),
            Bullets(items(5, 8, n), marker="star"),
            Heading(f"A table {n}"),
            Table(("Name", "Value"), tuple((f"Row {r}", words(4, r)) for r in range(6))),
            Heading(f"A quote {n}"),
            Quote(words(30, n), source="Someone"),
        ),
    )


def closing(n: int = 1) -> Section:
    """A long call to action with a link, after a short comparison."""
    return Section(
        f"closing-{n}",
        f"Next steps {n}",
        (
            Comparison(
                (
                    Column("Now", items(2, 5, n)),
                    Column("Later", items(2, 5, n + 1)),
                )
            ),
            CallToAction(
                "Book a working session with the platform engineering team this quarter",
                items(2, 7, n + 2),
                marker="rocket",
                link="https://handbook.example.com/engineering/platform/working-sessions",
            ),
        ),
    )


def document(sections: tuple[Section, ...], title: str) -> Document:
    return Document(
        title=title,
        date=dt.date(2026, 1, 2),
        sections=number_sections(sections),
        subtitle="A generated stress document",
        organisation="Stress Lab",
        audience="Testers",
    )


def stress_documents() -> dict[str, Document]:
    """The stress documents by name."""
    return {
        "every-kind": document((every_kind(1), every_kind(2), closing(1)), "Every block kind"),
        "parallel": document(
            (parallel(1), prose_pairs(1), not_parallel(1), parallel(2)), "Parallel and not"
        ),
    }
