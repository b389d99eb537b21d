"""Audience profiles: loading with diagnostics, and the pure selection of content."""

from __future__ import annotations

import dataclasses

import pytest
from conftest import ARTICLE, write
from hypothesis import HealthCheck, given, settings
from strategies import documents

from pipeline.audience import Profile, load_profiles, select
from pipeline.errors import ContentError
from pipeline.loader import load_document
from pipeline.model import Heading, Paragraph, Section, block_texts


@pytest.fixture(scope="module")
def article(shipped_project_module):
    return load_document(ARTICLE, shipped_project_module)


@pytest.fixture(scope="module")
def shipped_project_module():
    from conftest import REPO

    from pipeline.project import Project

    return Project(REPO)


@pytest.fixture(scope="module")
def profiles(shipped_project_module):
    return load_profiles(shipped_project_module.audiences_file)


def texts(document) -> list[str]:
    return [t for s in document.sections for b in s.blocks for t in block_texts(b)]


def test_shipped_profiles(profiles):
    assert list(profiles) == ["tech-leaders", "engineers", "executives"]
    assert {p.theme for p in profiles.values()} == {"corporate", "keynote", "high-contrast"}
    pptx = profiles["engineers"].options_for("pptx")
    assert pptx.density == "full" and pptx.notes is True
    assert profiles["executives"].options_for("pdf").toc is False


def test_tech_leaders_see_everything(article, profiles):
    selected = select(article, profiles["tech-leaders"])
    unsummarised = tuple(dataclasses.replace(s, summary=None) for s in article.sections)
    assert selected == dataclasses.replace(article, sections=unsummarised, audience="Tech leaders")
    assert len(selected.sections) == 9


def test_engineers_lose_only_the_promotion(article, profiles):
    selected = select(article, profiles["engineers"])
    assert [s.id for s in selected.sections] == [s.id for s in article.sections]
    assert not any("Remoteplatz" in t for t in texts(selected))
    assert not any("promo" in b.tags for s in selected.sections for b in s.blocks)
    kept = [t for t in texts(article) if t in texts(selected)]
    assert len(kept) == len(texts(selected))  # nothing added
    hiring = next(s for s in selected.sections if s.id == "hiring")
    assert not any(isinstance(b, Heading) for b in hiring.blocks)  # the promo heading went too


def test_executives_get_summaries_and_verdicts_only(article, profiles):
    selected = select(article, profiles["executives"])
    ids = [s.id for s in selected.sections]
    assert "intro" not in ids and ids[0] == "basics"
    assert all(s.summary for s in selected.sections)
    kinds = {b.kind for s in selected.sections for b in s.blocks}
    assert kinds <= {"verdict", "comparison", "table", "chart", "callout", "call-to-action"}
    assert {"verdict", "comparison", "table", "chart"} <= kinds
    assert [s.number for s in selected.sections] == [1, 2, 3, 4, 5, 6, 7, 8]
    length = lambda doc: sum(len(t) for t in texts(doc))  # noqa: E731
    assert length(selected) < length(article) / 2


def test_selection_is_pure(article, profiles):
    before = dataclasses.replace(article)
    select(article, profiles["executives"])
    assert article == before


def test_summaries_are_hidden_unless_asked(article):
    profile = Profile(label="x", description="x", theme="base")
    assert all(s.summary is None for s in select(article, profile).sections)


def test_dangling_headings_are_dropped():
    section = Section(
        "a",
        "A",
        blocks=(
            Heading("kept"),
            Paragraph("p", tags=frozenset({"x"})),
            Heading("h2"),
            Paragraph("q"),
        ),
    )
    import datetime as dt

    from pipeline.model import Document

    doc = Document("T", dt.date(2026, 1, 1), (section,))
    profile = Profile(label="x", description="x", theme="base", exclude_tags=frozenset({"x"}))
    (kept,) = select(doc, profile).sections
    assert [b.text for b in kept.blocks] == ["h2", "q"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document=documents())
def test_selection_never_adds_content(document):
    profiles = [
        Profile(label="x", description="x", theme="base", exclude_tags=frozenset(t))
        for t in ([], ["promo"], ["promo", "detail"])
    ]
    profiles.append(
        Profile(label="x", description="x", theme="base", kinds=("verdict",), summaries=True)
    )
    for profile in profiles:
        selected = select(document, profile)
        original = {s.id: s for s in document.sections}
        assert [s.id for s in selected.sections] == [
            s.id for s in document.sections if s.id in {x.id for x in selected.sections}
        ]
        for section in selected.sections:
            assert set(section.blocks) <= set(original[section.id].blocks)


PROFILE_ERRORS = [
    (
        "audiences:\n  a:\n    label: A\n    description: d\n    theme: base\n    options:\n"
        "      pptx: {agendaa: true}\n",
        "audience.unknown-key",
        7,
        14,
        "did you mean 'agenda'",
    ),
    (
        "audiences:\n  a:\n    label: A\n    description: d\n    theme: base\n    options:\n"
        "      ppt: {}\n",
        "audience.unknown-format",
        7,
        7,
        "did you mean 'pptx'",
    ),
    (
        "audiences:\n  a:\n    label: A\n    description: d\n    theme: base\n    formats: [pfd]\n",
        "audience.unknown-format",
        6,
        15,
        "did you mean 'pdf'",
    ),
    (
        "audiences:\n  a:\n    label: A\n    description: d\n    theme: base\n"
        "    kinds: [bulets]\n",
        "audience.invalid-value",
        6,
        13,
        "did you mean 'bullets'",
    ),
    (
        "audiences:\n  Bad Name:\n    label: A\n    description: d\n    theme: base\n",
        "audience.invalid-name",
        2,
        3,
        "lowercase",
    ),
    (
        "audiences:\n  a:\n    description: d\n    theme: base\n",
        "audience.missing-key",
        3,
        5,
        "label",
    ),
    ("audience:\n  a: {}\n", "audience.shape", 1, 1, "audiences:"),
    (
        "audiences:\n  a:\n    label: A\n    description: d\n    theme: base\n    options:\n"
        "      pdf: {paper: A5}\n",
        "audience.invalid-value",
        7,
        20,
        "'A4'",
    ),
]


@pytest.mark.parametrize("text,code,line,column,fragment", PROFILE_ERRORS)
def test_profile_errors_are_located(project, text, code, line, column, fragment):
    path = write(project, "audiences.yaml", text)
    with pytest.raises(ContentError) as info:
        load_profiles(path)
    found = [d for d in info.value.diagnostics if d.code == code]
    assert found, [str(d) for d in info.value.diagnostics]
    assert (found[0].loc.line, found[0].loc.column) == (line, column), str(found[0])
    assert fragment in f"{found[0].message} {found[0].hint}", str(found[0])
