"""The warm worker pool: same outputs as in-process, and crashes or hangs never hang a build
(not even a build of one output)."""

from __future__ import annotations

import gc
import os
import time
import weakref

import pytest

from pipeline import build as builder
from pipeline import workers
from pipeline.jobs import Job, Outcome
from pipeline.renderers.markdown import MarkdownRenderer


def plan(project):
    return builder.plan(project, formats=("markdown",))


def outputs(project) -> dict[str, bytes]:
    return {
        p.relative_to(project.output).as_posix(): p.read_bytes()
        for p in sorted(project.output.rglob("*.md"))
    }


def test_parallel_build_writes_what_a_sequential_build_writes(project):
    builder.build(plan(project), force=True, jobs=1)
    sequential = outputs(project)
    outcomes = builder.build(plan(project), force=True, jobs=2)
    assert [o.status for o in outcomes] == ["built"] * 3
    assert outputs(project) == sequential


def test_a_crashing_worker_fails_its_job_only(project, monkeypatch):
    builder.build(plan(project), force=True, jobs=1)
    before = outputs(project)
    real = MarkdownRenderer.render

    def crash(self, document, theme, options, context):
        if document.audience == "Engineering team":
            os._exit(7)  # the worker dies mid-render, as on a segfault or an OOM kill
        return real(self, document, theme, options, context)

    monkeypatch.setattr(MarkdownRenderer, "render", crash)  # forked workers inherit the patch
    outcomes = builder.build(plan(project), force=True, jobs=2)
    status = {o.job.profile.name: o for o in outcomes}
    assert status["tech-leaders"].status == status["executives"].status == "built"
    failed = status["engineers"]
    assert failed.status == "failed" and "exit code 7" in failed.diagnostics[0].message
    assert outputs(project) == before  # the failed job's previous output is untouched


def test_a_hanging_render_is_stopped(project, monkeypatch):
    real = MarkdownRenderer.render

    def hang(self, document, theme, options, context):
        if document.audience == "Executive board":
            time.sleep(60)
        return real(self, document, theme, options, context)

    monkeypatch.setattr(MarkdownRenderer, "render", hang)
    monkeypatch.setattr(workers, "RENDER_TIMEOUT", 1.5)
    started = time.monotonic()
    outcomes = builder.build(plan(project), force=True, jobs=2)
    assert time.monotonic() - started < 20
    status = {o.job.profile.name: o for o in outcomes}
    assert status["executives"].status == "failed"
    assert "longer than 1.5 s" in status["executives"].diagnostics[0].message
    assert status["engineers"].status == "built"


def test_a_pool_serves_several_builds(project):
    job_plan = plan(project)
    with workers.Workers(2, formats=("markdown",)) as pool:
        pids = {s.process.pid for s in pool.slots}
        first = builder.build(job_plan, force=True, pool=pool)
        second = builder.build(job_plan, force=True, pool=pool)
        assert {s.process.pid for s in pool.slots} == pids  # the same warm processes
    assert [o.status for o in first + second] == ["built"] * 6


def test_a_single_output_that_hangs_is_stopped_too(project, monkeypatch):
    """One output renders in one worker process, under the same time limit as a pool's:
    a build of a single output can never hang."""

    def hang(self, document, theme, options, context):
        time.sleep(60)

    monkeypatch.setattr(MarkdownRenderer, "render", hang)
    monkeypatch.setattr(workers, "RENDER_TIMEOUT", 1.5)
    job_plan = builder.plan(project, formats=("markdown",), audiences=("executives",))
    started = time.monotonic()
    (outcome,) = builder.build(job_plan, force=True, jobs=4)
    assert time.monotonic() - started < 20
    assert outcome.status == "failed" and "longer than 1.5 s" in outcome.diagnostics[0].message


def test_a_single_output_renders_in_one_worker(project, monkeypatch):
    started = []
    real = workers.Workers.__post_init__

    def counted(self):
        started.append(self.count)
        real(self)

    monkeypatch.setattr(workers.Workers, "__post_init__", counted)
    job_plan = builder.plan(project, formats=("markdown",), audiences=("executives",))
    assert builder.build(job_plan, force=True, jobs=4)[0].status == "built"
    assert started == [1]


class _Cycle:
    def __init__(self) -> None:
        self.me = self  # only the collector frees it


_left: list[weakref.ref] = []


def _leave_a_cycle(job: Job) -> Outcome:
    """A worker 'render' that leaves a cycle behind and tells whether the earlier ones live."""
    alive = tuple("alive" if ref() is not None else "freed" for ref in _left)
    _left.append(weakref.ref(_Cycle()))
    return Outcome(job, "built", notes=alive)


def _collecting(job: Job) -> Outcome:
    """A worker 'render' that tells whether the garbage collector runs during renders."""
    return Outcome(job, "built", notes=("collecting" if gc.isenabled() else "paused",))


def test_a_worker_renders_with_the_collector_paused(project):
    job = plan(project).jobs[0]
    with workers.Workers(1, render=_collecting) as pool:
        assert pool.run([job])[0].notes == ("paused",)


def test_a_worker_collects_the_cycles_a_render_left_before_it_renders_again(project):
    job = plan(project).jobs[0]
    _left.clear()
    with workers.Workers(1, render=_leave_a_cycle) as pool:
        assert pool.run([job])[0].notes == ()
        time.sleep(10 * workers.IDLE)
        assert pool.run([job])[0].notes == ("freed",)


def test_a_worker_s_collections_never_walk_what_it_inherited_and_its_parent_s_still_do(
    project,
):
    """Forked frozen: a worker's collections skip the parent's objects (its loaded sources),
    so a cycle that was garbage in the parent at the fork outlives the worker's collections,
    and the parent, which unfroze, still frees it."""
    job = plan(project).jobs[0]
    _left.clear()
    _left.append(weakref.ref(_Cycle()))  # garbage already, freed only by a collection
    with workers.Workers(1, render=_leave_a_cycle) as pool:
        pool.run([job])  # the worker has settled (frozen what it had) before its first job
        time.sleep(10 * workers.IDLE)
        assert pool.run([job])[0].notes == ("alive", "freed")
        assert gc.get_freeze_count() == 0
        gc.collect()
        assert _left[0]() is None


def test_a_head_start_worker_warms_the_dearest_format_and_grows_into_the_build_s_pool(project):
    if workers.default_jobs() < 2:
        pytest.fail("needs two cores: a head start is only made where there is a core for it")
    with workers.head_start(("markdown", "html")) as early:
        assert early is not None and len(early.slots) == 1
        assert early.formats == ("html",)  # the dearer of the two
        first = early.slots[0].process.pid
        outcomes = builder.build(plan(project), force=True, jobs=2, started=early)
        assert [o.status for o in outcomes] == ["built"] * 3
        assert len(early.slots) == 2 and early.slots[0].process.pid == first


def test_a_build_with_nothing_to_render_does_not_wait_for_its_head_start_to_warm_up(
    project, monkeypatch
):
    builder.build(plan(project), force=True, jobs=1)
    monkeypatch.setattr(MarkdownRenderer, "warm", lambda self: time.sleep(60))
    started = time.monotonic()
    with workers.head_start(("markdown",)) as early:
        outcomes = builder.build(plan(project), started=early)
    assert [o.status for o in outcomes] == ["unchanged"] * 3
    assert time.monotonic() - started < workers.STOP_WAIT  # killed, not asked to stop


def _pid(job: Job) -> Outcome:
    return Outcome(job, "built", notes=(str(os.getpid()),))


def test_a_worker_takes_a_job_of_a_format_it_has_loaded_before_a_dearer_one(project):
    """The briefing (dearest) goes to the worker that has not imported the deck's library
    but may import WeasyPrint, not to the one that already has the deck's."""
    job_plan = builder.plan(project, audiences=("executives",), formats=("pdf", "pptx"))
    with workers.Workers(1, formats=("pptx",), warm=True, render=_pid) as pool:
        pool.grow(2)
        warm, fresh = (slot.process.pid for slot in pool.slots)
        outcomes = pool.run(job_plan.jobs)
        ran = {o.job.format: int(o.notes[0]) for o in outcomes}
        assert ran == {"pptx": warm, "pdf": fresh}
        assert pool.slots[1].loaded == {"pdf"}


def test_a_head_start_whose_library_cannot_load_fails_only_the_jobs_that_need_it(
    project, monkeypatch
):
    """A warm-up that raises (WeasyPrint without Pango, say) is no traceback and no dead
    worker: the job of that format fails with its own diagnostic, the others render (and
    are held back, as the formats of one source and audience land together)."""
    from pipeline.renderers.briefing.html import HtmlRenderer

    def broken(self, *args):
        raise ImportError("cannot load library 'pango'")

    monkeypatch.setattr(HtmlRenderer, "warm", broken)
    monkeypatch.setattr(HtmlRenderer, "render", broken)
    job_plan = builder.plan(project, audiences=("executives",), formats=("html", "markdown"))
    with workers.head_start(("html", "markdown")) as early:
        outcomes = builder.build(job_plan, force=True, started=early)
    status = {o.job.format: o for o in outcomes}
    assert status["markdown"].status == "held"
    assert status["html"].status == "failed"
    (problem,) = status["html"].diagnostics
    assert "pango" in problem.message and "worker process died" not in problem.message
