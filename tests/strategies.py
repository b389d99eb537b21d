"""Hypothesis strategies for valid documents: every block kind, long and short text, scripts."""

from __future__ import annotations

import datetime as dt
import unicodedata

from hypothesis import strategies as st

from pipeline.charts import MAX_CATEGORIES, Chart, ChartType, Series
from pipeline.model import (
    MARKERS,
    BulletItem,
    Bullets,
    Callout,
    CallToAction,
    Column,
    Comparison,
    Document,
    Heading,
    Image,
    Paragraph,
    Quote,
    Section,
    Table,
    Verdict,
)

# Latin, Latin-1, Latin Extended, Greek, Cyrillic: what the shipped theme fonts cover.
# (Coptic letters sit inside the Greek block but no shipped font has them; a source using
# them fails the PDF build with a named render.missing-glyph error, by design.)
COVERED = st.characters(
    codec="utf-8",
    categories=("L", "N", "P", "S", "Zs"),
    exclude_characters="\u2028\u2029\ufeff" + "".join(map(chr, range(0x3E2, 0x3F0))),
    min_codepoint=0x20,
    max_codepoint=0x4FF,
)
WORDS = [
    "Rust",
    "Go",
    "latency",
    "throughput",
    "ownership",
    "Goroutines",
    "cloud-native",
    "microservices",
    "Ελληνικά",
    "Кириллица",
    "naïve",
    "façade",
    "Straße",
    "🚀",
    "✅",
    "📌",
    "Supercalifragilisticexpialidocious" * 3,
    "https://example.com/a/very/long/path",
]


def _canonical(text: str) -> str:
    """The form the loader stores: NFC, stripped, single-spaced."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def texts(min_words: int = 1, max_words: int = 40) -> st.SearchStrategy[str]:
    """Words from a list (incl. emoji and very long words) mixed with random covered text."""
    word = st.one_of(st.sampled_from(WORDS), st.text(COVERED, min_size=1, max_size=12))
    return (
        st.lists(word, min_size=min_words, max_size=max_words)
        .map(" ".join)
        .map(_canonical)
        .filter(bool)
    )


short = texts(1, 6)
long = texts(20, 120)
any_text = st.one_of(short, texts(1, 25), long)
markers = st.one_of(st.none(), st.sampled_from(sorted(MARKERS)))
tags = st.frozensets(st.sampled_from(["promo", "detail", "internal"]), max_size=2)


def bullet_items(depth: int = 0, max_size: int = 8) -> st.SearchStrategy:
    children = bullet_items(depth + 1, 3) if depth < 1 else st.just(())
    item = st.builds(
        BulletItem, text=any_text, marker=markers, items=st.one_of(st.just(()), children.map(tuple))
    )
    return st.lists(item, min_size=1, max_size=max_size).map(tuple)


def blocks(images: tuple = ()) -> st.SearchStrategy:
    common = {"tags": tags, "derived": st.booleans()}
    kinds = [
        st.builds(Paragraph, text=any_text, **common),
        st.builds(Heading, text=short, **common),
        st.builds(
            Bullets,
            items=st.one_of(bullet_items(), bullet_items(max_size=40)),
            marker=markers,
            ordered=st.booleans(),
            **common,
        ),
        st.builds(Verdict, text=any_text, **common),
        st.builds(
            Callout,
            text=any_text,
            label=st.one_of(st.none(), short),
            tone=st.sampled_from(["note", "tip", "warning", "success"]),
            **common,
        ),
        st.builds(
            Comparison,
            columns=st.lists(
                st.builds(Column, heading=short, items=bullet_items(max_size=6), marker=markers),
                min_size=2,
                max_size=3,
            ).map(tuple),
            title=st.one_of(st.none(), short),
            **common,
        ),
        _tables(common),
        st.builds(Quote, text=any_text, source=st.one_of(st.none(), short), **common),
        st.builds(
            CallToAction,
            action=short,
            items=st.one_of(st.just(()), bullet_items(max_size=3)),
            marker=markers,
            **common,
        ),
    ]
    if images:
        kinds.append(
            st.builds(
                Image,
                src=st.sampled_from([i[0] for i in images]),
                alt=short,
                caption=st.one_of(st.none(), short),
                **common,
            ).map(lambda im: _with_path(im, images))
        )
    return st.one_of(kinds)


def _with_path(image: Image, images: tuple) -> Image:
    from dataclasses import replace

    return replace(image, path=dict(images)[image.src])


def _tables(common: dict) -> st.SearchStrategy:
    def build(width: int) -> st.SearchStrategy:
        row = st.lists(st.one_of(short, texts(1, 15)), min_size=width, max_size=width).map(tuple)
        return st.builds(
            Table,
            header=row,
            rows=st.lists(row, min_size=1, max_size=30).map(tuple),
            caption=st.one_of(st.none(), short),
            **common,
        )

    return st.integers(1, 5).flatmap(build)


NUMBER = st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False).map(lambda v: round(v, 2))
LABEL = st.one_of(short, texts(4, 12))  # category and series names, some long


# Labels a person would write: up to about 60 characters, no word over 30.
SANE_LABEL = st.one_of(short, texts(2, 6)).filter(
    lambda t: len(t) <= 60 and max(map(len, t.split())) <= 30
)


def charts(
    common: dict | None = None,
    max_categories: int = MAX_CATEGORIES,
    label: st.SearchStrategy[str] = LABEL,
) -> st.SearchStrategy:
    """Valid charts of every type: 1 to 50 categories, negative values and gaps where the
    type allows them, long labels (up to hundreds of characters), up to 4 series."""
    common = common or {}

    def build(kind: ChartType) -> st.SearchStrategy:
        round_ = kind in ("pie", "doughnut")
        optional = st.one_of(st.none(), label)
        extra = {
            "title": label,
            "alt": texts(1, 20),
            "x_title": st.none() if round_ else optional,
            "y_title": st.none() if round_ else optional,
            "unit": st.sampled_from([None, "ms", "%", "€", "$", "req/s"]),
            "decimals": st.one_of(st.none(), st.integers(0, 3)),
            "labels": st.sampled_from([None, True, False]),
            "source": optional,
            **common,
        }
        names = st.lists(label, min_size=1, max_size=1 if round_ else 4, unique_by=_key)
        if kind == "scatter":
            point = st.tuples(NUMBER, NUMBER)
            series = names.flatmap(
                lambda ns: st.tuples(
                    *(
                        st.builds(
                            Series,
                            name=st.just(n),
                            points=st.lists(point, min_size=1, max_size=20).map(tuple),
                        )
                        for n in ns
                    )
                )
            )
            return st.builds(Chart, type=st.just(kind), series=series, **extra)
        count = st.integers(1, 8 if round_ else max_categories)

        def with_count(n: int) -> st.SearchStrategy:
            categories = st.lists(label, min_size=n, max_size=n, unique_by=_key).map(tuple)
            if round_:
                value = st.floats(0, 1e6, allow_nan=False).map(lambda v: round(v, 2))
                values = st.lists(value, min_size=n, max_size=n).filter(any)
            else:
                value = st.one_of(NUMBER, NUMBER, NUMBER, st.none())
                values = st.lists(value, min_size=n, max_size=n).filter(
                    lambda vs: any(v is not None for v in vs)
                )
            series = names.flatmap(
                lambda ns: st.tuples(
                    *(
                        st.builds(Series, name=st.just(name), values=values.map(tuple))
                        for name in ns
                    )
                )
            )
            return st.builds(
                Chart, type=st.just(kind), categories=categories, series=series, **extra
            )

        return count.flatmap(with_count)

    kinds = ["column", "bar", "stacked-column", "stacked-bar", "line", "pie", "doughnut", "scatter"]
    return st.sampled_from(kinds).flatmap(build)


def sections(images: tuple = ()) -> st.SearchStrategy:
    return st.builds(
        Section,
        id=st.just("x"),
        title=short,
        blocks=st.lists(blocks(images), max_size=6).map(tuple),
        numbered=st.booleans(),
        summary=st.one_of(st.none(), texts(1, 30)),
        tags=tags,
    )


def _key(title: str) -> str:
    from pipeline.verify import norm

    return norm(title)


def documents(images: tuple = (), max_sections: int = 6) -> st.SearchStrategy[Document]:
    """Valid documents; `images` is ((src, absolute path), ...) usable by image blocks."""
    from dataclasses import replace

    def number(secs: list[Section]) -> tuple[Section, ...]:
        return tuple(replace(s, id=f"section-{i}") for i, s in enumerate(secs, 1))

    return st.builds(
        Document,
        title=short,
        date=st.dates(dt.date(2000, 1, 1), dt.date(2030, 12, 31)),
        # Titles differ: `verify` tells sections apart by their titles and text, and two
        # sections with one title and the same text are the same section twice.
        sections=st.lists(
            sections(images), min_size=1, max_size=max_sections, unique_by=lambda s: _key(s.title)
        ).map(number),
        subtitle=st.one_of(st.none(), short),
        organisation=st.one_of(st.none(), short),
        author=st.one_of(st.none(), short),
        language=st.sampled_from(["en", "en-GB", "de"]),
        keywords=st.lists(short, max_size=4).map(tuple),
        description=st.one_of(st.none(), texts(1, 30)),
    )


# -- sub-sections: parallel (side by side in the deck) and not -----------------------------

SKELETON_KINDS = ("paragraph", "bullets")
plain_words = st.lists(st.sampled_from(WORDS[:8]), min_size=1, max_size=6).map(" ".join)


def _subsection_blocks(kinds: tuple[str, ...], text: st.SearchStrategy[str]) -> st.SearchStrategy:
    parts = []
    for kind in kinds:
        if kind == "paragraph":
            parts.append(st.builds(Paragraph, text=text))
        else:
            items = st.lists(st.builds(BulletItem, text=text), min_size=1, max_size=3).map(tuple)
            parts.append(st.builds(Bullets, items=items, marker=markers))
    return st.tuples(*parts)


def parallel_sections(text: st.SearchStrategy[str] = plain_words) -> st.SearchStrategy[Section]:
    """A section of 2-3 parallel sub-sections: each a heading, then the same kinds of blocks
    (paragraphs and bullets), maybe after an opening paragraph and before a verdict."""

    @st.composite
    def build(draw: st.DrawFn) -> Section:
        kinds = tuple(draw(st.lists(st.sampled_from(SKELETON_KINDS), min_size=1, max_size=3)))
        count = draw(st.integers(2, 3))
        blocks: list = []
        if draw(st.booleans()):
            blocks.append(Paragraph(draw(text)))
        for n in range(count):
            blocks.append(Heading(f"Side {n + 1}: {draw(text)}"))
            blocks += draw(_subsection_blocks(kinds, text))
        if draw(st.booleans()):
            blocks.append(Verdict(draw(text)))
        return Section("parallel", draw(short), tuple(blocks))

    return build()


def unparallel_sections(text: st.SearchStrategy[str] = plain_words) -> st.SearchStrategy[Section]:
    """A section of 2-3 sub-sections whose kinds of blocks differ (prose aside)."""

    @st.composite
    def build(draw: st.DrawFn) -> Section:
        shapes = draw(
            st.lists(
                st.sampled_from([("bullets",), ("bullets", "bullets"), ("table",), ("quote",)]),
                min_size=2,
                max_size=3,
            ).filter(lambda s: len(set(s)) == len(s))
        )
        blocks: list = []
        for n, kinds in enumerate(shapes):
            blocks.append(Heading(f"Part {n + 1}: {draw(text)}"))
            for kind in kinds:
                if kind == "table":
                    rows = st.lists(st.tuples(text, text), min_size=1, max_size=4).map(tuple)
                    blocks.append(Table(("Name", "Value"), draw(rows)))
                elif kind == "quote":
                    blocks.append(Quote(draw(text)))
                else:
                    blocks += draw(_subsection_blocks(("bullets",), text))
        return Section("unparallel", draw(short), tuple(blocks))

    return build()
