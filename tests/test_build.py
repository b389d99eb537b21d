"""The build step: output layout, atomic writes, and failures that never lose earlier outputs."""

from __future__ import annotations

import os

import pytest

from pipeline import build as builder
from pipeline import renderers
from pipeline.errors import ContentError, OutputError, RenderError
from pipeline.outputs import write_atomic
from pipeline.renderers.markdown import MarkdownRenderer


def plan(project, **kw):
    return builder.plan(project, formats=kw.pop("formats", ("markdown",)), **kw)


def test_markdown_build_writes_one_file_per_audience(project):
    outcomes = builder.build(plan(project))
    assert {o.status for o in outcomes} == {"built"}
    for audience in ("tech-leaders", "engineers", "executives"):
        text = (project.output / audience / "rust-vs-go.md").read_text()
        assert text.startswith('---\ntitle: "Rust vs. Go')
    promo = "Hire top Rust & Go developers today on Remoteplatz!"
    assert promo in (project.output / "tech-leaders/rust-vs-go.md").read_text()
    assert promo not in (project.output / "engineers/rust-vs-go.md").read_text()


def test_default_formats_are_the_registered_main_ones(project):
    jobs = builder.plan(project, audiences=("tech-leaders",)).jobs
    assert [j.format for j in jobs] == list(renderers.DEFAULT_FORMATS)
    assert [j.target.name for j in jobs] == ["rust-vs-go.pptx", "rust-vs-go.pdf", "rust-vs-go.html"]


def test_theme_override_applies_to_every_audience(project):
    jobs = plan(project, theme="keynote").jobs
    assert {j.theme.name for j in jobs} == {"keynote"}


def test_out_dir_option(project, tmp_path):
    outcomes = builder.build(
        plan(project, out_dir=tmp_path / "elsewhere", audiences=("executives",))
    )
    assert outcomes[0].job.target == tmp_path / "elsewhere/executives/rust-vs-go.md"
    assert outcomes[0].job.target.is_file()


def test_plan_reports_every_input_problem_at_once(project):
    with pytest.raises(ContentError) as info:
        builder.plan(project, audiences=("enginers", "nobody"), formats=("pfd",), theme="corprate")
    codes = sorted(d.code for d in info.value.diagnostics)
    assert codes == ["audience.unknown", "audience.unknown", "format.unknown", "theme.unknown"]
    hints = " ".join(d.hint or "" for d in info.value.diagnostics)
    assert "did you mean 'engineers'" in hints and "did you mean 'pdf'" in hints
    assert "did you mean 'corporate'" in hints


def test_strict_turns_warnings_into_errors(project):
    (project.content / "audiences.yaml").unlink()
    (project.content / "audiences.yaml").write_text(
        "audiences:\n  a:\n    label: A\n    description: d\n    theme: base\n"
        "    exclude_sections: [nope]\n"
    )
    assert plan(project).warnings
    with pytest.raises(ContentError):
        plan(project, strict=True)


def test_write_atomic_replaces_in_one_step(tmp_path):
    target = tmp_path / "out" / "deck.pptx"
    write_atomic(target, b"first")
    write_atomic(target, b"second")
    assert target.read_bytes() == b"second"
    assert [p.name for p in target.parent.iterdir()] == ["deck.pptx"]
    assert oct(target.stat().st_mode & 0o777) == "0o644"


def test_failed_write_keeps_the_previous_output(tmp_path, monkeypatch):
    target = tmp_path / "deck.pptx"
    target.write_bytes(b"good")

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OutputError) as info:
        write_atomic(target, b"half")
    assert "No space left on device" in str(info.value)
    assert target.read_bytes() == b"good"
    assert [p.name for p in tmp_path.iterdir()] == ["deck.pptx"]  # no temporary left behind


def test_unwritable_output_folder_is_a_clear_error(tmp_path):
    blocker = tmp_path / "output"
    blocker.write_text("a file where a folder should be")
    with pytest.raises(OutputError) as info:
        write_atomic(blocker / "a" / "deck.pptx", b"x")
    assert "cannot write to" in str(info.value)


def test_a_failing_renderer_leaves_other_outputs_and_old_files(project, monkeypatch):
    builder.build(plan(project))
    old = (project.output / "engineers/rust-vs-go.md").read_bytes()
    real = MarkdownRenderer.render

    def flaky(self, document, theme, options, context):
        if document.audience == "Engineering team":
            raise RenderError("the renderer gave up")
        return real(self, document, theme, options, context)

    monkeypatch.setattr(MarkdownRenderer, "render", flaky)
    outcomes = builder.build(plan(project), force=True)
    assert [o.status for o in outcomes] == ["built", "failed", "built"]
    assert outcomes[1].diagnostics[0].message == "the renderer gave up"
    assert (project.output / "engineers/rust-vs-go.md").read_bytes() == old


def test_a_renderer_bug_is_reported_not_raised(project, monkeypatch):
    monkeypatch.setattr(MarkdownRenderer, "render", lambda *a: 1 / 0)
    outcome = builder.build(plan(project, audiences=("executives",)))[0]
    assert outcome.status == "failed"
    (diag,) = outcome.diagnostics
    assert diag.code == "internal.render" and "ZeroDivisionError" in diag.message
    assert diag.loc.path.name == "rust-vs-go.yaml"


def test_unchanged_inputs_are_not_rebuilt(project):
    first = builder.build(plan(project))
    assert {o.status for o in first} == {"built"}
    second = builder.build(plan(project))
    assert {o.status for o in second} == {"unchanged"}
    assert [o.size for o in second] == [o.size for o in first]
    assert {o.status for o in builder.build(plan(project), force=True)} == {"built"}


@pytest.mark.parametrize("change", ["source", "theme", "audiences", "output", "epoch"])
def test_any_input_change_rebuilds(project, change, monkeypatch):
    builder.build(plan(project))
    if change == "source":
        path = project.content / "rust-vs-go.yaml"
        text = path.read_text().replace("subtitle: Choosing", "subtitle: Picking")
        path.unlink()
        path.write_text(text)
    elif change == "theme":
        (project.themes / "base" / "extra.css").write_text("/* new */")
    elif change == "audiences":
        path = project.content / "audiences.yaml"
        text = path.read_text().replace("density: full", "density: concise")
        path.unlink()
        path.write_text(text)
    elif change == "output":
        target = project.output / "engineers" / "rust-vs-go.md"
        target.write_text("tampered")
    else:
        monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    statuses = {o.job.profile.name: o.status for o in builder.build(plan(project))}
    if change == "audiences":  # only the engineers profile changed (markdown ignores pptx
        assert statuses["engineers"] == "built"  # options, but options are hashed as given)
        assert statuses["tech-leaders"] == "unchanged"
    elif change == "output":
        assert statuses == {
            "tech-leaders": "unchanged",
            "engineers": "built",
            "executives": "unchanged",
        }
    else:
        assert set(statuses.values()) == {"built"}


def test_moving_a_profile_within_its_file_changes_nothing(project):
    builder.build(plan(project))
    path = project.content / "audiences.yaml"
    text = "# a new comment shifts every line\n" + path.read_text()
    path.unlink()
    path.write_text(text)
    assert {o.status for o in builder.build(plan(project))} == {"unchanged"}


def test_manifest_records_outputs_and_inputs(project):
    import json

    builder.build(plan(project, audiences=("executives",)))
    data = json.loads((project.output / "executives/rust-vs-go.manifest.json").read_text())
    assert data["manifest"] == 1 and data["audience"] == "executives"
    assert data["theme"] == "high-contrast" and data["source"] == "rust-vs-go.yaml"
    entry = data["outputs"]["markdown"]
    target = project.output / "executives/rust-vs-go.md"
    import hashlib

    assert entry["file"] == "rust-vs-go.md"
    assert entry["sha256"] == hashlib.sha256(target.read_bytes()).hexdigest()
    assert len(entry["inputs"]) == 64


def test_edits_only_rebuild_the_audiences_they_reach(project):
    builder.build(plan(project))
    path = project.content / "rust-vs-go.yaml"
    text = path.read_text()
    path.unlink()
    path.write_text(
        text.replace("In this guide, we'll break down", "In this guide we break down").replace(
            "# Promotional content", "# promotional content"
        )
    )
    statuses = {o.job.profile.name: o.status for o in builder.build(plan(project))}
    assert statuses == {
        "tech-leaders": "built",
        "engineers": "built",
        "executives": "unchanged",
    }  # executives leave the intro out


def test_comment_edits_rebuild_nothing(project):
    builder.build(plan(project))
    path = project.content / "rust-vs-go.yaml"
    text = "# a comment\n" + path.read_text()
    path.unlink()
    path.write_text(text)
    assert {o.status for o in builder.build(plan(project))} == {"unchanged"}


def test_the_hash_cache_stays_small_dropping_gone_files_first(tmp_path, monkeypatch):
    """Every throwaway project would otherwise stay in the cache forever (it reached 10 MB
    and cost a no-change build 0.3 s to read)."""
    import json

    from pipeline import hashcache

    monkeypatch.setenv("TWINPRESS_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(hashcache, "_cache", None)
    monkeypatch.setattr(hashcache, "MAX_ENTRIES", 5)
    files = []
    for n in range(8):
        files.append(tmp_path / f"f{n}.txt")
        files[-1].write_text(str(n))
    for path in files:
        hashcache.digest(path)
    for path in files[:2]:
        path.unlink()
    hashcache.save()
    kept = json.loads((tmp_path / "cache" / "file-hashes.json").read_text())
    assert len(kept) == 5
    assert str(files[0].resolve()) not in kept and str(files[-1].resolve()) in kept
    monkeypatch.setattr(hashcache, "_cache", None)
    assert hashcache.digest(files[-1]) == kept[str(files[-1].resolve())][2]
