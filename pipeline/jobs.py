"""Jobs: one output to make (a source, for one audience, in one format) and its outcome.

`render_job` renders a job to bytes and never writes: worker processes run it and send the
bytes back, and only the build writes files. It never raises either: a failure is an
Outcome with diagnostics, and an unexpected exception (a bug) names the job.
"""

from __future__ import annotations

import time
import traceback
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from . import manifest, renderers
from .audience import Profile, select
from .context import BuildContext
from .errors import Diagnostic, PipelineError
from .model import Document, Image
from .tokens import Theme

Status = Literal["built", "unchanged", "failed", "held"]  # held: built, not written


@dataclass(frozen=True)
class Job:
    """One output: a source, for one audience, in one format."""

    document: Document
    profile: Profile
    theme: Theme
    format: str
    out_dir: Path
    context: BuildContext = field(default_factory=BuildContext)

    @property
    def renderer(self) -> renderers.Renderer[Any]:
        return renderers.get(self.format)

    @property
    def target(self) -> Path:
        return self.out_dir / self.profile.name / f"{self.document.slug}{self.renderer.suffix}"

    @property
    def options(self) -> Any:
        return self.profile.options_for(self.format)


@dataclass
class Outcome:
    """What became of a job; `data` holds a rendered output until the build writes it."""

    job: Job
    status: Status
    seconds: float = 0.0
    size: int = 0
    units: int = 0
    diagnostics: list[Diagnostic] = field(default_factory=list)
    entry: manifest.Entry | None = None
    data: bytes | None = field(default=None, repr=False)
    notes: tuple[str, ...] = ()  # how it was made, for summaries (e.g. a shared layout)
    made: Mapping[str, bytes] = field(default_factory=dict, repr=False)  # for `store`

    @property
    def unit(self) -> str:
        return self.job.renderer.unit


def render_job(job: Job) -> Outcome:
    """Render one output into memory; a failure is reported in the Outcome, never raised."""
    started = time.perf_counter()
    try:
        inputs = inputs_of(job)
        document = select(job.document, job.profile)
        result = job.renderer.render(document, job.theme, job.options, job.context)
    except PipelineError as exc:
        return Outcome(
            job, "failed", time.perf_counter() - started, diagnostics=list(exc.diagnostics)
        )
    except Exception as exc:  # a bug: keep the traceback for --debug, name the job
        return Outcome(
            job, "failed", time.perf_counter() - started, diagnostics=[_internal(job, exc)]
        )
    entry = manifest.Entry(
        job.target.name,
        manifest.data_hash(result.data),
        inputs,
        result.units,
        job.renderer.unit,
        result.placement,
    )
    return Outcome(
        job,
        "built",
        time.perf_counter() - started,
        len(result.data),
        result.units,
        entry=entry,
        data=result.data,
        made=result.made,
    )


def inputs_of(job: Job) -> str:
    """Hash of everything the output depends on.

    The document is hashed as this audience sees it (after selection), so an edit to a
    section an audience leaves out, or to a YAML comment, rebuilds nothing for it.
    """
    from .hashcache import digest

    document = select(job.document, job.profile)
    images = tuple(
        digest(b.path).encode()
        for s in document.sections
        for b in s.blocks
        if isinstance(b, Image) and b.path is not None
    )
    return manifest.inputs_hash(
        source=repr(document).encode(),
        profile=job.profile,
        theme_fingerprint=job.theme.fingerprint,
        fmt=job.format,
        options=job.options,
        context=job.context.fingerprint,
        images=images,
    )


def failed(job: Job, why: str) -> Outcome:
    """The outcome of a job whose worker died or overran its time."""
    return Outcome(
        job,
        "failed",
        diagnostics=[
            Diagnostic(
                "error",
                "render.worker",
                f"{job.format} for '{job.profile.name}' failed: {why}",
                job.document.where,
                "the previous output is untouched; TWINPRESS_RENDER_TIMEOUT raises the time limit",
            )
        ],
    )


def _internal(job: Job, exc: Exception) -> Diagnostic:
    detail = (
        "".join(traceback.format_exception(exc))
        if job.context.debug
        else f"{type(exc).__name__}: {exc}"
    )
    return Diagnostic(
        "error",
        "internal.render",
        f"{job.format} renderer failed: {detail}",
        job.document.where,
        "this is a bug in twinpress; rerun with --debug and report it",
    )
