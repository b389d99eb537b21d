"""Charts drawn, font subsets, compiled templates and hyphenation patterns made once are
kept for the next build: a rebuild reuses them byte for byte, a damaged one is made again,
anything one depends on makes it a new one; and outputs made by other twinpress code are
never kept as up to date."""

from __future__ import annotations

import os

import pytest

from pipeline import build as builder
from pipeline import fingerprint, store
from pipeline.renderers.briefing import chartsvg


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("TWINPRESS_CACHE", str(tmp_path / "cache"))
    return tmp_path / "cache" / "made"


def briefings(project, **kwargs):
    job_plan = builder.plan(project, audiences=("tech-leaders",), formats=("pdf", "html"))
    outcomes = builder.build(job_plan, force=True, **kwargs)
    assert [o.status for o in outcomes] == ["built", "built"]
    return {o.job.format: o.job.target.read_bytes() for o in outcomes}


def _never_drawn(chart, style):
    raise AssertionError(f"chart '{chart.title}' drawn again")


def test_a_rebuild_uses_the_charts_an_earlier_build_drew_and_writes_the_same_bytes(
    project, cache, monkeypatch
):
    first = briefings(project)
    kept = sorted(cache.glob("chart-*"))
    assert len(kept) == 2  # the article's one chart, in print and in screen colours
    monkeypatch.setattr(chartsvg, "_drawn", _never_drawn)  # the workers fork with it
    assert briefings(project) == first
    assert briefings(project, jobs=1) == first


def test_a_damaged_drawing_is_drawn_again_and_stored_again(project, cache):
    first = briefings(project)
    kept = {path: path.read_bytes() for path in cache.glob("chart-*")}
    for path in kept:
        path.write_bytes(kept[path][:-40])  # cut short
    assert briefings(project) == first
    assert {path: path.read_bytes() for path in kept} == kept


def _never_compiled(self, *args, **kwargs):
    raise AssertionError("a template compiled again")


def _never_parsed(self, path):
    raise AssertionError(f"{path.name} parsed again")


def test_a_rebuilt_briefing_loads_its_compiled_templates_and_hyphenation_from_the_store(
    project, cache, monkeypatch
):
    import pyphen

    from pipeline.renderers.briefing import templates

    monkeypatch.setattr(pyphen, "hdcache", {})  # as in a new process: English not yet parsed
    first = briefings(project)
    assert len(list(cache.glob("template-*"))) >= 10  # the base theme's templates
    assert len(list(cache.glob("hyphenation-*"))) == 1  # English
    monkeypatch.setattr(templates, "_ENVIRONMENTS", type(templates._ENVIRONMENTS)())
    monkeypatch.setattr(pyphen, "hdcache", {})
    monkeypatch.setattr(templates.ImmutableSandboxedEnvironment, "compile", _never_compiled)
    monkeypatch.setattr(pyphen.HyphDict, "__init__", _never_parsed)
    assert briefings(project) == first


def test_a_template_edited_after_a_build_is_compiled_again(project, cache):
    first = briefings(project)
    cover = project.root / "themes" / "base" / "templates" / "cover.html.j2"
    text = cover.read_text(encoding="utf-8")
    cover.unlink()  # a hard link to the shipped file: replace it, do not write through it
    cover.write_text(text.replace("{{ labels.kicker }}", "Edited kicker"), encoding="utf-8")
    edited = briefings(project)
    assert b"Edited kicker" in edited["html"]
    assert edited["pdf"] != first["pdf"]


def test_stored_hyphenation_patterns_break_words_where_pyphen_s_own_parse_does(cache, monkeypatch):
    import pyphen

    from pipeline.renderers.briefing import hyphenation

    words = ["concurrency", "hyphenation", "performance", "representative", "Rustaceans"]
    path = pyphen.LANGUAGES["en_US"]
    own = pyphen.HyphDict(path)
    monkeypatch.setattr(pyphen, "hdcache", {})
    made: dict[str, bytes] = {}
    hyphenation.prime("en-US", made)
    assert len(made) == 1
    store.store(made)
    monkeypatch.setattr(pyphen, "hdcache", {})
    monkeypatch.setattr(pyphen.HyphDict, "__init__", _never_parsed)
    again: dict[str, bytes] = {}
    hyphenation.prime("en-US", again)
    assert again == {}
    loaded = pyphen.hdcache[path]
    assert [loaded.positions(w) for w in words] == [own.positions(w) for w in words]
    assert [own.positions(w) for w in words][1] != []  # the words do break


def test_hyphenation_patterns_pyphen_keeps_as_objects_are_parsed_not_stored(cache, monkeypatch):
    import pyphen

    from pipeline.renderers.briefing import hyphenation

    monkeypatch.setattr(pyphen, "hdcache", {})
    made: dict[str, bytes] = {}
    hyphenation.prime("hu", made)  # Hungarian: nonstandard breaks ('ssz=sz')
    assert made == {}
    assert pyphen.LANGUAGES["hu_HU"] in pyphen.hdcache


def decks(project, **kwargs):
    job_plan = builder.plan(project, audiences=("tech-leaders", "executives"), formats=("pptx",))
    outcomes = builder.build(job_plan, force=True, **kwargs)
    assert [o.status for o in outcomes] == ["built", "built"]
    return [o.job.target.read_bytes() for o in outcomes]


def _never_made(path, codes):
    raise AssertionError(f"{path.name} subset again")


def test_a_rebuilt_deck_embeds_the_font_subsets_an_earlier_build_made_byte_for_byte(
    project, cache, monkeypatch
):
    from pipeline.renderers.pptx import embedding

    first = decks(project)
    assert len(list(cache.glob("eot-*"))) >= 2  # the theme's body and heading faces at least
    monkeypatch.setattr(embedding, "eot", _never_made)
    assert decks(project) == first


def _never_subset(path, mtime, codes):
    raise AssertionError(f"{path.name} subset again")


def test_a_rebuilt_html_page_inlines_the_web_font_subsets_an_earlier_build_made(
    project, cache, monkeypatch
):
    from pipeline.renderers.briefing import inline

    first = briefings(project)
    assert len(list(cache.glob("woff2-*"))) >= 2
    monkeypatch.setattr(inline, "_subset_woff2", _never_subset)
    monkeypatch.setattr(chartsvg, "_drawn", _never_drawn)
    assert briefings(project) == first


def test_a_damaged_font_subset_is_made_again_not_embedded(project, cache):
    first = decks(project)
    for path in cache.glob("eot-*"):
        data = bytearray(path.read_bytes())
        data[len(data) // 2] ^= 0xFF  # one byte flipped in the middle of the font
        path.write_bytes(bytes(data))
    assert decks(project) == first


def _style(**changes):
    from dataclasses import replace

    from pipeline.renderers.briefing.chartstyle import ChartStyle

    style = ChartStyle(
        ("#112233", "#445566"), "#000000", "#555555", "#cccccc", "#ffffff", "Inter",
        (("Inter", frozenset({65, 66})),), (), 9.0, 480.0, 620.0, "en",
    )  # fmt: skip
    return replace(style, **changes)


def _chart(**changes):
    from dataclasses import replace

    from pipeline.charts import Chart, Series

    chart = Chart(
        type="bar", title="T", alt="A", series=(Series("S", (1.0, 2.0)),), categories=("a", "b")
    )
    return replace(chart, **changes)


def test_a_drawing_s_name_changes_with_whatever_it_is_drawn_from(tmp_path, monkeypatch):
    font = tmp_path / "Face.ttf"
    font.write_bytes(b"one font")
    name = chartsvg.drawing_name
    base = name(_chart(), _style(files=(font,)))
    assert name(_chart(), _style(files=(font,))) == base
    assert name(_chart(categories=("a", "c")), _style(files=(font,))) != base
    assert name(_chart(), _style(files=(font,), text="#000001")) != base
    assert name(_chart(), _style(files=(font,), width=481.0)) != base
    font.write_bytes(b"another font")
    os.utime(font, ns=(1, 1))  # a new modification time, as any edit makes
    assert name(_chart(), _style(files=(font,))) != base
    font.write_bytes(b"one font")
    os.utime(font, ns=(2, 2))
    assert name(_chart(), _style(files=(font,))) == base
    monkeypatch.setattr(fingerprint, "code", lambda: "other code")
    assert name(_chart(), _style(files=(font,))) != base


def test_a_drawing_s_name_does_not_depend_on_the_order_a_set_was_built_in():
    forward = _style(faces=(("Inter", frozenset(range(4000))),))
    backward = _style(faces=(("Inter", frozenset(reversed(range(4000)))),))
    assert chartsvg.drawing_name(_chart(), forward) == chartsvg.drawing_name(_chart(), backward)


def test_the_oldest_things_stored_go_first_past_the_number_kept(cache, monkeypatch):
    monkeypatch.setattr(store, "MAX_KEPT", 2)
    for n in range(3):
        store.store({f"chart-{n}": b"<svg/>"})
        os.utime(cache / f"chart-{n}", ns=(n + 1, n + 1))
    assert sorted(p.name for p in cache.iterdir()) == ["chart-1", "chart-2"]
    assert store.look_up("chart-2") == b"<svg/>"


def test_an_output_made_by_other_twinpress_code_is_built_again(project, monkeypatch):
    job_plan = builder.plan(project, audiences=("executives",), formats=("markdown",))
    assert builder.build(job_plan)[0].status in {"built", "unchanged"}
    assert builder.build(job_plan)[0].status == "unchanged"
    monkeypatch.setattr(fingerprint, "code", lambda: "a checkout with other code")
    assert builder.build(job_plan)[0].status == "built"


def test_the_code_fingerprint_follows_every_file_of_the_package(tmp_path, monkeypatch):
    package = tmp_path / "pipeline"
    (package / "renderers").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "renderers" / "page.j2").write_text("<p>{{ x }}</p>")
    (package / "__pycache__").mkdir()
    monkeypatch.setattr(fingerprint, "PACKAGE", package)
    fingerprint.code.cache_clear()
    try:
        before = fingerprint.code()
        (package / "__pycache__" / "x.pyc").write_bytes(b"compiled")
        fingerprint.code.cache_clear()
        assert fingerprint.code() == before
        (package / "renderers" / "page.j2").write_text("<p>{{ y }}</p>")
        fingerprint.code.cache_clear()
        assert fingerprint.code() != before
    finally:
        fingerprint.code.cache_clear()


_IN_PROCESS = """
import sys
from pathlib import Path
from pipeline import build as builder
from pipeline.project import Project
project = Project(Path(sys.argv[1]))
(job,) = builder.plan(project, audiences=("tech-leaders",), formats=("pdf",)).jobs
assert builder.run(job, force=True).status == "built"
print(sorted(m for m in sys.modules if m.split(".")[0] == "matplotlib"))
"""


def test_a_briefing_whose_charts_were_all_drawn_before_never_imports_matplotlib(project, cache):
    import subprocess
    import sys

    def loaded() -> str:
        done = subprocess.run(
            [sys.executable, "-c", _IN_PROCESS, str(project.root)],
            capture_output=True, text=True, check=True, env=os.environ,
        )  # fmt: skip
        return done.stdout.strip()

    assert loaded() != "[]"  # drawn, and stored
    assert loaded() == "[]"


def test_what_runs_as_code_is_read_only_from_a_store_no_one_else_can_write(cache):
    store.store({"template-x": b"compiled"})
    assert store.look_up_private("template-x") == b"compiled"
    cache.chmod(0o777)  # a folder anyone can write to: anyone could have put the file there
    assert store.look_up_private("template-x") is None
    assert store.look_up("template-x") == b"compiled"  # data (a chart) is still reused
    cache.chmod(0o755)
    (cache / "template-x").chmod(0o666)
    assert store.look_up_private("template-x") is None
    (cache / "template-x").chmod(0o644)
    assert store.look_up_private("template-x") == b"compiled"
    cache.chmod(0o775)  # made under a umask of 002: the next build makes it private again
    store.store({"template-y": b"compiled"})
    assert store.look_up_private("template-x") == store.look_up_private("template-y")
    assert oct(cache.stat().st_mode & 0o777) == "0o700"


def test_compiled_templates_are_looked_up_only_through_the_private_look_up(monkeypatch):
    import jinja2

    from pipeline.renderers.briefing import templates

    asked = []
    monkeypatch.setattr(store, "look_up_private", asked.append)
    monkeypatch.setattr(store, "look_up", lambda name: pytest.fail(f"{name} read unchecked"))
    bucket = jinja2.bccache.Bucket(jinja2.Environment(), "cover.html.j2", "checksum")
    templates.StoredBytecode().load_bytecode(bucket)
    assert len(asked) == 1 and asked[0].startswith("template-")
    assert bucket.code is None  # nothing private was found: Jinja compiles it
