"""The build: load, select, theme, render, write. The only module that writes outputs."""

from __future__ import annotations

import os
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Literal, Sequence

from . import manifest, renderers
from .audience import Profile, check_against, read_profiles, select
from .errors import (Collector, ContentError, Diagnostic, OutputError, PipelineError,
                     SourceLocation, suggest)
from .loader import read_document
from .model import Document
from .project import Project
from .themes import Theme, read_theme

if TYPE_CHECKING:
    from .workers import Workers


@dataclass(frozen=True)
class Job:
    """One output: a source, for one audience, in one format."""

    document: Document
    profile: Profile
    theme: Theme
    format: str
    out_dir: Path

    @property
    def target(self) -> Path:
        suffix = renderers.get(self.format).SUFFIX
        return self.out_dir / self.profile.name / f"{self.document.slug}{suffix}"


@dataclass
class Outcome:
    job: Job
    status: Literal["built", "unchanged", "failed"]
    seconds: float = 0.0
    size: int = 0
    units: int = 0
    diagnostics: list[Diagnostic] = field(default_factory=list)
    entry: manifest.Entry | None = None

    @property
    def unit(self) -> str:
        return renderers.get(self.job.format).UNIT


@dataclass
class Plan:
    """Everything a build needs, validated up front so nothing is written from bad input."""

    jobs: list[Job]
    warnings: list[Diagnostic]


Progress = Callable[[Outcome], None]


def plan(project: Project, *, sources: Sequence[Path] = (), audiences: Sequence[str] = (),
         formats: Sequence[str] = (), theme: str | None = None, out_dir: Path | None = None,
         strict: bool = False) -> Plan:
    """Load and check every input; raise ContentError listing all problems at once."""
    out = Collector()
    documents, profiles = load_inputs(project, sources, out)
    chosen = _choose_audiences(profiles, audiences, out)
    _check_formats(formats, out)
    themes = _load_themes(project, chosen, theme, out)
    check_against(profiles, documents, out)
    if strict:
        out.items = [Diagnostic("error", d.code, d.message, d.loc, d.hint) for d in out.items]
    out.raise_if_errors()
    out_dir = out_dir or project.output
    jobs = [Job(doc, profile, themes[theme or profile.theme], fmt, out_dir)
            for doc in documents for profile in chosen
            for fmt in (formats or [f for f in renderers.DEFAULT_FORMATS if profile.wants(f)])]
    return Plan(jobs, out.warnings)


def load_inputs(project: Project, sources: Sequence[Path],
                out: Collector) -> tuple[list[Document], dict[str, Profile]]:
    """Every source and the audience profiles, with all problems reported into `out`."""
    paths = list(sources) or project.sources()
    if not paths:
        out.error("source.none", f"no sources found in {project.content}",
                  hint="create one with `twinpress init NAME`")
    documents = [d for d in (read_document(Path(p), project, out) for p in paths) if d]
    profiles = read_profiles(project.audiences_file, out)
    return documents, profiles


def build(job_plan: Plan, progress: Progress | None = None, *, force: bool = False,
          jobs: int | None = None, workers: "Workers | None" = None) -> list[Outcome]:
    """Render and write every job whose inputs changed (all with `force`), then manifests.

    Up-to-date checks run here; the rest renders in `workers` (a warm pool, as watch mode
    keeps one), or in a pool of `jobs` processes made for this build, or in-process when
    only one output needs rendering.
    """
    outcomes: list[Outcome | None] = [None] * len(job_plan.jobs)
    pending: list[int] = []
    for i, job in enumerate(job_plan.jobs):
        if job.target.parent.is_dir():
            _remove_abandoned_temporaries(job.target)
            _remove_abandoned_temporaries(manifest.path_for(job.target))
        current = None if force else _unchanged(job)
        if current is None:
            pending.append(i)
            continue
        outcomes[i] = current
        if progress:
            progress(current)
    for i, outcome in zip(pending, _render_all([job_plan.jobs[i] for i in pending], progress,
                                               jobs, workers)):
        outcomes[i] = outcome
    done = [o for o in outcomes if o is not None]
    write_manifests(done)
    return done


def _unchanged(job: Job) -> Outcome | None:
    started = time.perf_counter()
    try:
        entry = up_to_date(job, inputs_of(job))
    except OSError:
        return None
    if entry is None:
        return None
    return Outcome(job, "unchanged", time.perf_counter() - started, job.target.stat().st_size,
                   entry.units, entry=entry)


def _render_all(pending: list[Job], progress: Progress | None, jobs: int | None,
                workers: "Workers | None") -> list[Outcome]:
    from .workers import Workers, default_jobs

    count = min(jobs or default_jobs(), len(pending))
    if workers is not None and pending:
        return workers.run(pending, force=True, progress=progress)
    if count <= 1:
        outcomes = []
        for job in pending:
            outcomes.append(run(job, force=True))
            if progress:
                progress(outcomes[-1])
        return outcomes
    with Workers(count, formats=sorted({j.format for j in pending})) as pool:
        return pool.run(pending, force=True, progress=progress)


def run(job: Job, *, force: bool = False, write: bool = True) -> Outcome:
    """Build one output; a failure is reported in the Outcome, never raised.

    `write=False` renders and discards (watch mode warms its workers' caches that way)."""
    started = time.perf_counter()
    try:
        inputs = inputs_of(job)
        if not force:
            current = up_to_date(job, inputs)
            if current is not None:
                return Outcome(job, "unchanged", time.perf_counter() - started,
                               job.target.stat().st_size, current.units, entry=current)
        document = select(job.document, job.profile)
        result = renderers.render(job.format, document, job.theme,
                                  job.profile.options_for(job.format))
        if write:
            write_atomic(job.target, result.data)
    except PipelineError as exc:
        return Outcome(job, "failed", time.perf_counter() - started,
                       diagnostics=list(exc.diagnostics))
    except Exception as exc:  # a bug: keep the traceback for --debug, name the job
        return Outcome(job, "failed", time.perf_counter() - started,
                       diagnostics=[_internal(job, exc)])
    entry = manifest.Entry(job.target.name, manifest.data_hash(result.data), inputs,
                           result.units, renderers.get(job.format).UNIT, result.placement)
    return Outcome(job, "built", time.perf_counter() - started, len(result.data),
                   result.units, entry=entry)


def inputs_of(job: Job) -> str:
    """Hash of everything the output depends on.

    The document is hashed as this audience sees it (after selection), so an edit to a
    section an audience leaves out, or to a YAML comment, rebuilds nothing for it.
    """
    from .hashcache import digest

    document = select(job.document, job.profile)
    images = tuple(digest(b.path).encode() for s in document.sections for b in s.blocks
                   if getattr(b, "path", None) is not None)
    return manifest.inputs_hash(source=repr(document).encode(), profile=job.profile,
                                theme_fingerprint=job.theme.fingerprint, fmt=job.format,
                                options=job.profile.options_for(job.format), images=images)


def up_to_date(job: Job, inputs: str) -> manifest.Entry | None:
    """The manifest entry when the output exists unchanged and was made from these inputs."""
    data = manifest.read(manifest.path_for(job.target))
    entry = manifest.entry(data, job.format)
    if entry is None or entry.inputs != inputs or not job.target.is_file():
        return None
    return entry if manifest.file_hash(job.target) == entry.sha256 else None


def write_manifests(outcomes: list[Outcome]) -> None:
    """One manifest per audience and source, updated with the formats just built."""
    groups: dict[Path, list[Outcome]] = {}
    for o in outcomes:
        if o.status == "built" and o.entry is not None:
            groups.setdefault(manifest.path_for(o.job.target), []).append(o)
    for path, items in groups.items():
        job = items[0].job
        data = manifest.updated(manifest.read(path), source=job.document.path,
                                audience=job.profile.name, theme=job.theme.name,
                                entries={o.job.format: o.entry for o in items})
        write_atomic(path, data)


def _internal(job: Job, exc: Exception) -> Diagnostic:
    detail = "".join(traceback.format_exception(exc)) if os.environ.get(
        "TWINPRESS_DEBUG") else f"{type(exc).__name__}: {exc}"
    return Diagnostic("error", "internal.render", f"{job.format} renderer failed: {detail}",
                      SourceLocation(job.document.path, 1, 1) if job.document.path else None,
                      "this is a bug in twinpress; rerun with --debug and report it")


def write_atomic(target: Path, data: bytes) -> None:
    """Write to a temporary file beside the target, then rename it over the target."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        _remove_abandoned_temporaries(target)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.{os.getpid()}.", suffix=".tmp",
                                   dir=target.parent)
    except OSError as exc:
        raise _unwritable(f"cannot write to {target.parent}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise _unwritable(f"cannot write {target}: {exc.strerror or exc}") from None
        raise


def _remove_abandoned_temporaries(target: Path) -> None:
    """Delete temporaries left by a build that was killed; their pid is in their name."""
    for tmp in target.parent.glob(f".{target.name}.*.tmp"):
        parts = tmp.name[len(target.name) + 2:].split(".")
        if parts and parts[0].isdigit() and not _alive(int(parts[0])):
            tmp.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    """Whether `pid` runs; a zombie (killed, not yet reaped) counts as dead."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True
    return state not in ("Z", "X")


def _unwritable(message: str) -> OutputError:
    return OutputError([Diagnostic("error", "output.unwritable", message, None,
                                   "choose a writable folder with --out, or free some space")])


def _choose_audiences(profiles: dict[str, Profile], names: Sequence[str],
                      out: Collector) -> list[Profile]:
    chosen = []
    for name in names or list(profiles):
        if name in profiles:
            chosen.append(profiles[name])
        elif profiles:
            out.error("audience.unknown", f"unknown audience '{name}'", None,
                      suggest(name, profiles) or f"audiences are {', '.join(profiles)}")
    return chosen


def _check_formats(formats: Iterable[str], out: Collector) -> None:
    for fmt in formats:
        try:
            renderers.get(fmt)
        except ContentError as exc:
            out.extend(exc.diagnostics)


def _load_themes(project: Project, profiles: list[Profile], override: str | None,
                 out: Collector) -> dict[str, Theme]:
    wanted = {override: None} if override else {p.theme: p.theme_loc for p in profiles}
    themes = {}
    for name, where in wanted.items():
        theme = read_theme(name, project, out, where)
        if theme is not None:
            themes[name] = theme
    return themes
