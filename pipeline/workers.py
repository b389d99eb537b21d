"""Warm worker processes: each imports its renderers once and keeps them (and their fonts,
stylesheets and templates, which the renderers cache) across renders, builds and rebuilds.

Rendering is CPU-bound Python, so parallelism needs processes. The pool is created only when
a build has work for more than one job, so a no-change or single-output build pays nothing,
and a worker imports a renderer's libraries only if a job needs them (a deck-only build
never imports WeasyPrint). A worker that crashes or exceeds the render time limit is
replaced; its job is reported as failed, never left hanging.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import signal
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable, Sequence

if TYPE_CHECKING:
    from .build import Job, Outcome

RENDER_TIMEOUT = float(os.environ.get("TWINPRESS_RENDER_TIMEOUT", 300))
# The slowest formats first, so the pool's last jobs are short ones.
COST = {"pdf": 0, "pptx": 1, "html": 2, "markdown": 3}


def default_jobs() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
               else (os.cpu_count() or 1))


@dataclass
class _Slot:
    process: multiprocessing.Process
    tasks: object  # this worker's own queue: the parent always knows who holds which job
    job: int | None = None
    since: float = 0.0


@dataclass
class Workers:
    """A pool of render processes; `run` may be called many times (watch mode)."""

    count: int
    formats: Sequence[str] = ()  # with warm: import these renderers' libraries up front
    warm: bool = False           # worth it only for a pool that outlives one build (watch)
    slots: list[_Slot] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._write = True
        self._context = multiprocessing.get_context("fork" if hasattr(os, "fork") else "spawn")
        self._results = self._context.Queue()
        self.slots = [self._spawn() for _ in range(self.count)]

    def _spawn(self) -> _Slot:
        tasks = self._context.Queue()
        process = self._context.Process(target=_serve, daemon=True,
                                        args=(tasks, self._results,
                                              tuple(self.formats) if self.warm else ()))
        process.start()
        return _Slot(process, tasks)

    def run(self, jobs: Sequence["Job"], *, force: bool = False, write: bool = True,
            progress: Callable[["Outcome"], None] | None = None) -> list["Outcome"]:
        """Render `jobs` across the pool; outcomes come back in the jobs' order."""
        self._write = write
        waiting = sorted(range(len(jobs)), key=lambda i: COST.get(jobs[i].format, 9))
        outcomes: dict[int, "Outcome"] = {}
        while len(outcomes) < len(jobs):
            self._dispatch(jobs, waiting, force)
            for i, outcome in self._collect(jobs):
                outcomes[i] = outcome
                if progress:
                    progress(outcome)
        return [outcomes[i] for i in range(len(jobs))]

    def _dispatch(self, jobs: Sequence["Job"], waiting: list[int], force: bool) -> None:
        for slot in self.slots:
            if slot.job is None and waiting:
                slot.job, slot.since = waiting.pop(0), time.monotonic()
                slot.tasks.put((slot.job, jobs[slot.job], force, self._write))

    def _collect(self, jobs: Sequence["Job"]):
        """Yield finished (index, outcome); replace dead or overdue workers."""
        try:
            pid, index, payload = self._results.get(timeout=0.5)
        except queue.Empty:
            yield from self._reap(jobs)
            return
        for slot in self.slots:
            if slot.process.pid == pid and slot.job == index:
                slot.job = None
        yield index, _restore(jobs[index], payload)

    def _reap(self, jobs: Sequence["Job"]):
        for n, slot in enumerate(self.slots):
            overdue = slot.job is not None and time.monotonic() - slot.since > RENDER_TIMEOUT
            if slot.process.is_alive() and not overdue:
                continue
            if overdue:
                slot.process.kill()
            slot.process.join(5)
            if slot.job is not None:
                why = (f"took longer than {RENDER_TIMEOUT:g} s" if overdue else
                       f"its worker process died (exit code {slot.process.exitcode})")
                yield slot.job, _failed(jobs[slot.job], why)
            self.slots[n] = self._spawn()

    def close(self) -> None:
        for slot in self.slots:
            slot.tasks.put(None)
        for slot in self.slots:
            slot.process.join(2)
            if slot.process.is_alive():
                slot.process.kill()
        self.slots = []

    def __enter__(self) -> "Workers":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _serve(tasks, results, formats: tuple[str, ...]) -> None:
    """Worker main loop: warm up, then render jobs until told to stop."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C
    parent = os.getppid()
    _die_with_parent()
    from . import renderers
    from .build import run

    for fmt in formats:
        warm = getattr(renderers.get(fmt), "warm", None)
        if warm:
            warm()
    pid = os.getpid()
    while True:
        try:
            task = tasks.get(timeout=1.0)
        except queue.Empty:
            if os.getppid() != parent:  # orphaned (the parent was killed): stop
                return
            continue
        if task is None:
            return
        index, job, force, write = task
        results.put((pid, index, _strip(run(job, force=force, write=write))))


def _die_with_parent() -> None:
    """Ask Linux to kill this worker when its parent dies, even by SIGKILL."""
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass  # other systems: the orphan check in the loop above still ends the worker


def _strip(outcome: "Outcome") -> tuple:
    """What travels back to the parent: everything but the (large) job."""
    return (outcome.status, outcome.seconds, outcome.size, outcome.units,
            outcome.diagnostics, outcome.entry)


def _restore(job: "Job", payload: tuple) -> "Outcome":
    from .build import Outcome

    status, seconds, size, units, diagnostics, entry = payload
    return Outcome(job, status, seconds, size, units, diagnostics, entry)


def _failed(job: "Job", why: str) -> "Outcome":
    from .build import Outcome
    from .errors import Diagnostic, SourceLocation

    loc = SourceLocation(job.document.path, 1, 1) if job.document.path else None
    return Outcome(job, "failed", diagnostics=[Diagnostic(
        "error", "render.worker", f"{job.format} for '{job.profile.name}' failed: {why}", loc,
        "the previous output is untouched; TWINPRESS_RENDER_TIMEOUT raises the time limit")])
