"""The document model: immutability, numbering, texts, and the YAML round trip."""

from __future__ import annotations

import dataclasses
import typing

import pytest
from conftest import ARTICLE, write
from hypothesis import HealthCheck, given, settings
from strategies import documents

from pipeline import model
from pipeline.loader import load_document
from pipeline.model import (
    BLOCK_TYPES,
    Block,
    BulletItem,
    Bullets,
    Paragraph,
    Section,
    block_texts,
    number_sections,
    section_label,
)
from pipeline.serialize import to_yaml


def test_the_block_set_is_closed_and_every_kind_is_named_once():
    members = typing.get_args(Block)
    assert len(members) == len(BLOCK_TYPES) == 11
    assert set(BLOCK_TYPES) == {
        "paragraph",
        "heading",
        "bullets",
        "verdict",
        "callout",
        "comparison",
        "table",
        "quote",
        "image",
        "call-to-action",
        "chart",
    }
    for cls in members:
        assert dataclasses.is_dataclass(cls) and cls.__dataclass_params__.frozen
        assert "loc" in {f.name for f in dataclasses.fields(cls)}


def test_nodes_are_immutable():
    para = Paragraph("text")
    with pytest.raises(dataclasses.FrozenInstanceError):
        para.text = "changed"  # type: ignore[misc]


def test_numbering_skips_unnumbered_sections():
    secs = (Section("intro", "Intro", numbered=False), Section("a", "A"), Section("b", "B"))
    numbered = number_sections(secs)
    assert [s.number for s in numbered] == [None, 1, 2]
    assert [section_label(s) for s in numbered] == ["Intro", "1. A", "2. B"]


def test_block_texts_walk_nested_bullets_in_reading_order():
    block = Bullets((BulletItem("a", items=(BulletItem("a1"), BulletItem("a2"))), BulletItem("b")))
    assert block_texts(block) == ("a", "a1", "a2", "b")


EXAMPLES = {
    "paragraph": model.Paragraph("p"),
    "heading": model.Heading("h"),
    "bullets": model.Bullets((BulletItem("b"),)),
    "verdict": model.Verdict("v"),
    "callout": model.Callout("c", label="L"),
    "quote": model.Quote("q", source="s"),
    "comparison": model.Comparison(
        (model.Column("R", (BulletItem("r"),)), model.Column("G", (BulletItem("g"),))), title="t"
    ),
    "table": model.Table(("h1", "h2"), (("a", "b"),)),
    "image": model.Image("x.png", "alt", caption="cap"),
    "call-to-action": model.CallToAction("act", items=(BulletItem("i"),)),
    "chart": model.Chart(
        "column",
        "T",
        "alt",
        (model.Series("s1", (1.0, 2.0)), model.Series("s2", (3.0, None))),
        ("c1", "c2"),
        x_title="x",
        y_title="y",
        source="src",
    ),
}
EXPECTED = {
    "paragraph": ("p",),
    "heading": ("h",),
    "bullets": ("b",),
    "verdict": ("v",),
    "callout": ("L", "c"),
    "quote": ("q", "s"),
    "comparison": ("t", "R", "r", "G", "g"),
    "table": ("h1", "h2", "a", "b"),
    "image": ("cap",),
    "call-to-action": ("i", "act"),
    "chart": ("T", "x", "y", "c1", "c2", "s1", "s2", "src"),  # alt is not printed: see data
}


@pytest.mark.parametrize("kind", sorted(BLOCK_TYPES))
def test_every_block_kind_has_its_texts_in_reading_order(kind):
    assert block_texts(EXAMPLES[kind]) == EXPECTED[kind]


def test_block_texts_refuses_unknown_nodes():
    with pytest.raises(TypeError):
        block_texts(object())  # type: ignore[arg-type]


def test_article_round_trips_through_yaml(project):
    document = load_document(ARTICLE, project)
    again = load_document(write(project, "again.yaml", to_yaml(document)), project)
    assert again == document


def test_locations_point_into_the_source(project):
    document = load_document(ARTICLE, project)
    lines = ARTICLE.read_text().splitlines()
    for section in document.sections:
        assert lines[section.loc.line - 1].strip().startswith(f"- id: {section.id}")
        for block in section.blocks:
            assert lines[block.loc.line - 1].lstrip().startswith(f"- {block.kind}")


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(document=documents())
def test_any_valid_document_round_trips(tmp_path_factory, template_project, document):
    from pipeline.project import Project

    root = tmp_path_factory.mktemp("rt")
    (root / "content").mkdir()
    (root / "themes").symlink_to(template_project / "themes")
    path = root / "content" / "doc.yaml"
    path.write_text(to_yaml(document), encoding="utf-8")
    loaded = load_document(path, Project(root))
    assert loaded == dataclasses.replace(document, sections=number_sections(document.sections))
