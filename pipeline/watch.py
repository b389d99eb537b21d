"""`twinpress watch`: rebuild what an edit affects as soon as a file is saved, with warm workers.

The worker pool outlives each rebuild, so WeasyPrint, python-pptx, fonts and stylesheets
stay loaded. Every change reloads the inputs; a source with errors prints its diagnostics
and watching goes on. Incremental builds then rebuild only the outputs whose inputs (as
each audience sees them) changed.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .errors import Diagnostic, PipelineError
from .jobs import Outcome
from .project import Project


@dataclass(frozen=True)
class Round:
    """One rebuild: what changed, what was built, how long it took."""

    changed: tuple[Path, ...]
    outcomes: tuple[Outcome, ...]
    diagnostics: tuple[Diagnostic, ...]
    seconds: float


def watch(
    project: Project,
    *,
    sources: Sequence[Path] = (),
    audiences: Sequence[str] = (),
    formats: Sequence[str] = (),
    theme: str | None = None,
    out_dir: Path | None = None,
    jobs: int | None = None,
    on_round: Callable[[Round], None],
    stop: threading.Event | None = None,
    ready: Callable[[], None] | None = None,
    on_change: Callable[[tuple[Path, ...]], None] | None = None,
) -> None:
    """Build once, then rebuild on every change under content/ and themes/ until `stop`.

    `on_change` hears of each batch of changed files before its rebuild starts (so a live
    preview can say "rebuilding"); `on_round` hears of every rebuild once it is done.
    """
    from watchfiles import watch as changes

    from . import build as builder
    from .renderers import DEFAULT_FORMATS
    from .workers import Workers, default_jobs

    wanted = tuple(formats) or DEFAULT_FORMATS
    count = jobs or default_jobs()
    with Workers(count, formats=wanted, warm=True) as pool:
        shown: set[Diagnostic] = set()

        def rebuild(changed: tuple[Path, ...]) -> None:
            started = time.perf_counter()
            try:
                job_plan = builder.plan(
                    project,
                    sources=sources,
                    audiences=audiences,
                    formats=formats,
                    theme=theme,
                    out_dir=out_dir,
                )
                outcomes = builder.build(job_plan, pool=pool)
            except PipelineError as exc:
                on_round(Round(changed, (), exc.diagnostics, time.perf_counter() - started))
                return
            if not changed and outcomes and all(o.status == "unchanged" for o in outcomes):
                # Nothing to build at start: render once anyway and drop the bytes, so each
                # worker's fonts, templates and caches are warm for the first edit.
                pool.run([o.job for o in outcomes])
            problems = tuple(d for o in outcomes for d in o.diagnostics)
            # A warning is shown once, not again on every save while it stands.
            fresh = tuple(w for w in job_plan.warnings if w not in shown)
            shown.update(job_plan.warnings)
            on_round(
                Round(changed, tuple(outcomes), fresh + problems, time.perf_counter() - started)
            )

        folders = [str(p) for p in (project.content, project.themes) if p.is_dir()]
        started = False
        # The first (empty) yield comes once the watcher is live: build then, so that an
        # edit saved while the first build runs is seen as a change, never lost.
        for batch in changes(
            *folders,
            stop_event=stop,
            debounce=400,
            step=30,
            rust_timeout=200,
            yield_on_timeout=True,
        ):
            if not started:
                started = True
                rebuild(())
                if ready:
                    ready()
            changed = tuple(sorted({Path(path) for _change, path in batch}))
            if changed:
                if on_change:
                    on_change(changed)
                rebuild(changed)
