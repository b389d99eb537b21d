"""Where a batch renders: `local` (the warm worker pool) or `dask` (dask.distributed).

Both take jobs lazily and yield outcomes as they finish, with the rendered bytes; neither
writes a file (the batch does, in the client process). Workers of both engines run
`render_row`, so the bytes are the same whichever engine made them.

- `local`: one warm process per core (pipeline/workers.py); WeasyPrint, fonts and
  stylesheets load once per process, and each process is replaced after `RECYCLE_AFTER`
  renders so memory stays flat over any number of rows.
- `dask`: a `distributed.Client` on `--scheduler ADDRESS`, or a `LocalCluster` of worker
  processes bound to 127.0.0.1 when none is given. Workers need twinpress installed and the
  project's files (themes, content images) at the same paths as the client.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterable, Iterator
from types import TracebackType
from typing import Any, Protocol

from .. import renderers, scratch, workers
from ..errors import ContentError, Diagnostic
from ..jobs import Job, Outcome, failed, render_job

ENGINES = ("local", "dask")
RECYCLE_AFTER = int(os.environ.get("TWINPRESS_RECYCLE_AFTER", 400))
_RENDER_LOCK = threading.Lock()  # a dask worker may run several tasks in threads


def render_row(job: Job) -> Outcome:
    """Render one output of a batch (in a worker); notes say how the PDF was laid out."""
    with _RENDER_LOCK:
        outcome = render_job(job)
        if job.format == "pdf":
            from ..renderers.briefing.shared import take_notes

            outcome.notes = take_notes()
    return outcome


class Engine(Protocol):
    name: str
    workers: int

    def render(self, jobs: Iterable[Job]) -> Iterator[Outcome]: ...

    def close(self) -> None: ...


class LocalEngine:
    """The warm worker pool of pipeline/workers.py, streaming and recycling."""

    name = "local"

    def __init__(self, count: int, formats: Iterable[str]) -> None:
        self.workers = count
        for fmt in formats:  # forked workers inherit the imports instead of each paying them
            renderers.get(fmt).warm()
        self._pool = workers.Workers(
            count, sorted(formats), warm=True, recycle_after=RECYCLE_AFTER, render=render_row
        )

    def render(self, jobs: Iterable[Job]) -> Iterator[Outcome]:
        return self._pool.stream(jobs)

    def close(self) -> None:
        self._pool.close()

    def __enter__(self) -> LocalEngine:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class DaskEngine:
    """dask.distributed: a client on a scheduler, or on a private LocalCluster."""

    name = "dask"

    def __init__(self, count: int, scheduler: str | None) -> None:
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise ContentError([_no_dask()]) from None
        self._cluster: Any = None
        if scheduler:
            self._client = Client(scheduler, timeout="30s")
        else:
            self._cluster = LocalCluster(
                n_workers=count,
                threads_per_worker=1,
                processes=True,
                host="127.0.0.1",
                dashboard_address=None,
                silence_logs=logging.ERROR,
            )
            self._client = Client(self._cluster)
        self.workers = max(1, len(self._client.scheduler_info().get("workers", {})) or count)

    def render(self, jobs: Iterable[Job]) -> Iterator[Outcome]:
        """Submit jobs a window at a time (twice the workers), yield results as they come."""
        from distributed import as_completed

        source = iter(jobs)
        window = 2 * self.workers
        pending: dict[Any, Job] = {}
        stream = as_completed()
        for job in source:
            self._submit(job, pending, stream)
            if len(pending) >= window:
                break
        for future in stream:
            job = pending.pop(future)
            yield _result(future, job)
            nxt = next(source, None)
            if nxt is not None:
                self._submit(nxt, pending, stream)

    def _submit(self, job: Job, pending: dict[Any, Job], stream: Any) -> None:
        future = self._client.submit(render_payload, job, pure=False)
        pending[future] = job
        stream.add(future)

    def close(self) -> None:
        self._client.close()
        if self._cluster is not None:
            self._cluster.close()
            scratch.sweep()  # dask's worker processes end without removing their folders

    def __enter__(self) -> DaskEngine:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def render_payload(job: Job) -> tuple[Any, ...]:
    """What a dask worker sends back: the outcome without its (large) job."""
    return workers._strip(render_row(job))


def _result(future: Any, job: Job) -> Outcome:
    try:
        return workers._restore(job, future.result())
    except Exception as exc:  # the worker died, or the task could not run there
        return failed(job, f"the dask task failed: {type(exc).__name__}: {exc}")


def make_engine(name: str, count: int, formats: Iterable[str], scheduler: str | None) -> Engine:
    if name == "dask":
        return DaskEngine(count, scheduler)
    return LocalEngine(count, formats)


def _no_dask() -> Diagnostic:
    return Diagnostic(
        "error",
        "batch.no-dask",
        "--engine dask needs dask.distributed, which is not installed",
        None,
        "pip install 'twinpress[dask]' (on the client and on every worker)",
    )
