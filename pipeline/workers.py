"""Warm worker processes: each imports its renderers once and keeps them (and their fonts,
stylesheets and templates, which the renderers cache) across renders, builds and rebuilds.

Rendering is CPU-bound Python, so parallelism needs processes. A build's pool grows from
the one worker `head_start` forks before the sources load (it imports the dearest
requested format's libraries meanwhile, and is killed, not waited for, when nothing needs
rendering); the others import a renderer's libraries only when a job needs them, and a free
worker prefers jobs of the formats it has loaded. Workers render into memory and send the
bytes back: only the build writes files. A worker that crashes or exceeds the render time
limit is replaced; its job is reported as failed, never left hanging. A pool that renders
many outputs (`twinpress batch`) streams jobs through `stream` and replaces each worker
after `recycle_after` renders, so memory stays flat however long the batch.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import queue
import signal
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

from . import collector, renderers, scratch
from .jobs import Job, Outcome, failed, render_job

RENDER_TIMEOUT = float(os.environ.get("TWINPRESS_RENDER_TIMEOUT", 300))
STOP_WAIT = 2.0  # seconds a stopped worker has to exit by itself before it is killed
IDLE = 0.1  # seconds without a job after a render before a worker collects its garbage


def default_jobs() -> int:
    return max(
        1,
        len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1),
    )


@contextlib.contextmanager
def head_start(formats: Sequence[str]) -> Iterator[Workers | None]:
    """One worker, forked before the sources load, importing the libraries of the dearest
    of `formats` meanwhile (WeasyPrint: 0.4 s of a briefing's critical path): the build
    grows it into its pool. None on a single core, where it would slow the loading."""
    known = [f for f in formats or renderers.DEFAULT_FORMATS if f in renderers.RENDERERS]
    if default_jobs() < 2 or not known:
        yield None
        return
    dearest = max(known, key=lambda f: renderers.get(f).cost)
    with Workers(1, formats=(dearest,), warm=True) as pool:
        yield pool


@dataclass
class _Slot:
    process: Any  # a multiprocessing Process of the pool's context
    tasks: Any  # this worker's own queue: the parent always knows who holds which job
    job: int | None = None
    since: float = 0.0
    done: int = 0
    loaded: set[str] = field(default_factory=set)  # formats whose libraries it imported


@dataclass
class Workers:
    """A pool of render processes; `run` may be called many times (watch mode)."""

    count: int
    formats: Sequence[str] = ()  # with warm: import these renderers' libraries up front
    warm: bool = False  # worth it only for a pool that outlives one build (watch)
    recycle_after: int = 0  # replace a worker after this many renders (0: never)
    render: Callable[[Job], Outcome] = render_job  # what workers run (a module-level function)
    slots: list[_Slot] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._context: Any = multiprocessing.get_context("fork" if hasattr(os, "fork") else "spawn")
        self._results = self._context.Queue()
        self._retired: list[Any] = []
        scratch.sweep()  # what workers of a pool that was killed with them left behind
        self.slots = [self._spawn() for _ in range(self.count)]

    def _spawn(self, warm: bool = True) -> _Slot:
        tasks = self._context.Queue()
        process = self._context.Process(
            target=_serve,
            daemon=True,
            args=(tasks, self._results, self._warming(warm), self.render),
        )
        with collector.frozen():
            process.start()
        return _Slot(process, tasks, loaded=set(self._warming(warm)))

    def grow(self, count: int) -> None:
        """Have at least `count` workers (the new ones warm nothing: their jobs import)."""
        while len(self.slots) < count:
            self.slots.append(self._spawn(warm=False))

    def _warming(self, warm: bool) -> tuple[str, ...]:
        return tuple(self.formats) if self.warm and warm else ()

    def run(
        self, jobs: Sequence[Job], *, progress: Callable[[Outcome], None] | None = None
    ) -> list[Outcome]:
        """Render `jobs` across the pool; outcomes (with their bytes) come back in order."""
        # The dearest formats first, so the pool's last jobs are short ones.
        waiting = sorted(range(len(jobs)), key=lambda i: -jobs[i].renderer.cost)
        outcomes: dict[int, Outcome] = {}
        while len(outcomes) < len(jobs):
            self._dispatch(jobs, waiting)
            for i, outcome in self._collect(jobs):
                outcomes[i] = outcome
                if progress:
                    progress(outcome)
        return [outcomes[i] for i in range(len(jobs))]

    def stream(self, jobs: Iterable[Job]) -> Iterator[Outcome]:
        """Render `jobs`, taken from the iterable only as workers become free, and yield
        each outcome as it finishes (in any order): a batch of any length holds only one
        job per worker in memory."""
        source = iter(jobs)
        running: dict[int, Job] = {}
        counter = 0
        exhausted = False
        while True:
            for slot in self.slots:
                if slot.job is None and not exhausted:
                    job = next(source, None)
                    if job is None:
                        exhausted = True
                        break
                    running[counter] = job
                    slot.job, slot.since = counter, time.monotonic()
                    slot.tasks.put((counter, job))
                    counter += 1
            if not running:
                return
            for index, outcome in self._collect(running):
                running.pop(index, None)
                yield outcome

    def _dispatch(self, jobs: Sequence[Job], waiting: list[int]) -> None:
        for slot in self.slots:
            if slot.job is None and waiting:
                slot.job = waiting.pop(self._choose(slot, jobs, waiting))
                slot.since = time.monotonic()
                slot.loaded.add(jobs[slot.job].format)
                slot.tasks.put((slot.job, jobs[slot.job]))

    def _choose(self, slot: _Slot, jobs: Sequence[Job], waiting: list[int]) -> int:
        """Which of `waiting` (dearest first) a free worker takes: the dearest of a format it
        has loaded, else of a format no other worker has, else the dearest. A second
        process importing WeasyPrint costs 0.4 s, more than a briefing of the article."""
        formats = [jobs[i].format for i in waiting]
        others = {f for other in self.slots if other is not slot for f in other.loaded}
        for preferred in (slot.loaded, set(formats) - others):
            found = next((n for n, f in enumerate(formats) if f in preferred), None)
            if found is not None:
                return found
        return 0

    def _collect(self, jobs: Sequence[Job] | Mapping[int, Job]) -> Iterator[tuple[int, Outcome]]:
        """Yield finished (index, outcome); replace dead or overdue workers."""
        try:
            pid, index, payload = self._results.get(timeout=0.5)
        except queue.Empty:
            yield from self._reap(jobs)
            return
        for n, slot in enumerate(self.slots):
            if slot.process.pid == pid and slot.job == index:
                slot.job = None
                slot.done += 1
                if self.recycle_after and slot.done >= self.recycle_after:
                    self._retire(n)
        yield index, _restore(jobs[index], payload)

    def _retire(self, n: int) -> None:
        """Replace an idle worker by a fresh one (it exits once it reads the stop)."""
        self.slots[n].tasks.put(None)
        self._retired.append(self.slots[n].process)
        self.slots[n] = self._spawn()
        self._retired = [p for p in self._retired if p.is_alive()]

    def _reap(self, jobs: Sequence[Job] | Mapping[int, Job]) -> Iterator[tuple[int, Outcome]]:
        for n, slot in enumerate(self.slots):
            overdue = slot.job is not None and time.monotonic() - slot.since > RENDER_TIMEOUT
            if slot.process.is_alive() and not overdue:
                continue
            if overdue:
                slot.process.kill()
            slot.process.join(5)
            scratch.release(slot.process.pid)
            if slot.job is not None:
                why = (
                    f"took longer than {RENDER_TIMEOUT:g} s"
                    if overdue
                    else f"its worker process died (exit code {slot.process.exitcode})"
                )
                yield slot.job, failed(jobs[slot.job], why)
            self.slots[n] = self._spawn()

    def close(self) -> None:
        for slot in self.slots:
            if slot.done:
                slot.tasks.put(None)
            else:  # only warming up (imports), never a result half sent: nothing to lose
                slot.process.kill()
        for slot in self.slots:
            slot.process.join(STOP_WAIT)
            if slot.process.is_alive():
                slot.process.kill()
                slot.process.join(STOP_WAIT)
        for process in self._retired:
            process.join(STOP_WAIT)
        for process in [slot.process for slot in self.slots] + self._retired:
            if not process.is_alive():  # a killed worker could not remove its folders
                scratch.release(process.pid)
        self.slots, self._retired = [], []

    def __enter__(self) -> Workers:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()


def _serve(
    tasks: Any, results: Any, formats: tuple[str, ...], render: Callable[[Job], Outcome]
) -> None:
    """Worker main loop: warm up, then render jobs until told to stop."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C
    # ...and a SIGTERM sent to every process at once (systemd, `pkill -f`) ends a worker
    # quietly, not through the handler `serve` installed before forking it
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    collector.tune()  # as the command line does (a spawned worker starts with the defaults)
    parent = os.getppid()
    _die_with_parent()
    for fmt in formats:
        # Warming is a head start, not a render: a library that cannot load fails the first
        # job that needs it, reported there (not as a traceback, nor in every job's worker).
        with contextlib.suppress(Exception):
            renderers.get(fmt).warm()
    collector.settle()
    pid = os.getpid()
    rendered = False  # a render's cycles are still to be collected
    while True:
        try:
            task = tasks.get(timeout=IDLE if rendered else 1.0)
        except queue.Empty:
            if rendered:
                collector.between_jobs()
                rendered = False
            elif os.getppid() != parent:  # orphaned (the parent was killed): stop
                scratch.release()
                return
            continue
        if task is None:
            scratch.release()
            return
        if rendered:  # the parent has the last result: it gives a worker a job only then
            collector.between_jobs()
        index, job = task
        with collector.paused():
            outcome = render(job)
        results.put((pid, index, _strip(outcome)))
        # Not collecting now: the queue's thread is still sending the result, and a full
        # collection would hold the interpreter (and the result) for 30 to 50 ms.
        rendered = True


def _die_with_parent() -> None:
    """Ask Linux to kill this worker when its parent dies, even by SIGKILL."""
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass  # other systems: the orphan check in the loop above still ends the worker


Payload = tuple[Any, ...]


def _strip(outcome: Outcome) -> Payload:
    """What travels back to the parent: everything but the (large) job."""
    return (
        outcome.status,
        outcome.seconds,
        outcome.size,
        outcome.units,
        outcome.diagnostics,
        outcome.entry,
        outcome.data,
        outcome.notes,
        outcome.made,
    )


def _restore(job: Job, payload: Payload) -> Outcome:
    status, seconds, size, units, diagnostics, entry, data, notes, made = payload
    return Outcome(job, status, seconds, size, units, diagnostics, entry, data, notes, made)
