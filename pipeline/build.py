"""The build: load -> select -> theme -> render -> write. The only module that writes outputs.

`plan` loads and checks every input first, so nothing is written from bad input; `build`
skips outputs whose inputs did not change, renders the rest (in warm worker processes when
there is more than one), and writes each output and its manifest atomically.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from . import contrast, coverage, manifest, renderers, store, workers
from .audience import Profile, check_against, check_selects, read_profiles, select
from .context import BuildContext
from .errors import Collector, ContentError, Diagnostic, PipelineError, SourceLocation, suggest
from .jobs import Job, Outcome, inputs_of, render_job
from .loader import read_document
from .model import Document
from .outputs import remove_abandoned_temporaries, write_atomic, write_together
from .project import Project
from .themes import Theme, available, read_theme

Progress = Callable[[Outcome], None]


@dataclass
class Plan:
    """Everything a build needs, validated up front so nothing is written from bad input."""

    jobs: list[Job]
    warnings: list[Diagnostic]


@dataclass(frozen=True)
class Inputs:
    """A project's sources, profiles and the themes the chosen audiences use, all valid."""

    documents: list[Document]
    profiles: list[Profile]
    themes: dict[str, Theme]
    warnings: list[Diagnostic]
    # (document index, audience) pairs that keep nothing and so get no outputs
    empty: frozenset[tuple[int, str]] = frozenset()


def plan(
    project: Project,
    *,
    sources: Sequence[Path] = (),
    audiences: Sequence[str] = (),
    formats: Sequence[str] = (),
    theme: str | None = None,
    out_dir: Path | None = None,
    strict: bool = False,
) -> Plan:
    """Load and check every input; raise ContentError listing all problems at once."""
    inputs = load(
        project, sources=sources, audiences=audiences, formats=formats, theme=theme, strict=strict
    )
    context = BuildContext.from_environment()
    out_dir = out_dir or project.output
    jobs = [
        Job(doc, profile, inputs.themes[theme or profile.theme], fmt, out_dir, context)
        for i, doc in enumerate(inputs.documents)
        for profile in inputs.profiles
        if (i, profile.name) not in inputs.empty
        for fmt in (formats or [f for f in renderers.DEFAULT_FORMATS if profile.wants(f)])
    ]
    return Plan(jobs, inputs.warnings)


def load(
    project: Project,
    *,
    sources: Sequence[Path] = (),
    audiences: Sequence[str] = (),
    formats: Sequence[str] = (),
    theme: str | None = None,
    strict: bool = False,
    every_theme: bool = False,
) -> Inputs:
    """Every source, the chosen audiences and their themes (with `every_theme`, all of the
    project's); ContentError on any problem."""
    out = Collector()
    documents, profiles = load_inputs(project, sources, out)
    chosen = _choose_audiences(profiles, audiences, out)
    _check_formats(formats, out)
    themes = _load_themes(project, chosen, theme, out)
    if every_theme:  # `check`: the project's other themes too, though no audience uses them
        for name in available(project):
            if name not in themes and (loaded := read_theme(name, project, out)) is not None:
                themes[name] = loaded
    others = _other_sources(project, sources)
    empty = check_selects(chosen, documents, out, named=audiences, others=others)
    for loaded in themes.values():
        out.extend(contrast.warnings_for(loaded))
        for fmt in formats or renderers.DEFAULT_FORMATS:
            out.extend(renderers.get(fmt).check_theme(loaded))
    # Names in audiences.yaml are checked against every source of the project, not only
    # those being built: a new source does not know the others' section ids.
    check_against(profiles, [*documents, *others], out)
    if strict:
        out.items = [replace(d, level="error") for d in out.items]
    out.raise_if_errors()
    return Inputs(documents, chosen, themes, out.warnings, frozenset(empty))


def load_inputs(
    project: Project, sources: Sequence[Path], out: Collector
) -> tuple[list[Document], dict[str, Profile]]:
    """Every source and the audience profiles, with all problems reported into `out`."""
    found = (_source_path(project, Path(p), out) for p in sources)
    paths = [p for p in found if p is not None] if sources else project.sources()
    if not sources and not paths:
        out.error(
            "source.none",
            f"no sources found in {project.content}",
            hint="create one with `twinpress init NAME`",
        )
    documents = [d for d in (read_document(Path(p), project, out) for p in paths) if d]
    profiles = read_profiles(project.audiences_file, out)
    return documents, profiles


def _source_path(project: Project, given: Path, out: Collector) -> Path | None:
    """A source named on the command line: a path, or a name in content/ ('rust-vs-go')."""
    if given.exists():
        return given
    for candidate in (project.content / f"{given}.yaml", project.content / f"{given}.yml",
                      project.content / given.name):  # fmt: skip
        if candidate.is_file():
            return candidate
    names = [p.stem for p in project.sources()]
    out.error(
        "source.not-found",
        f"there is no source '{given}'",
        SourceLocation.file(given),
        suggest(given.stem, names)
        or (
            f"sources are {', '.join(names)}" if names else "create one with `twinpress init NAME`"
        ),
    )
    return None


def _other_sources(project: Project, sources: Sequence[Path]) -> list[Document]:
    """The project's sources not named on the command line, as far as they load."""
    if not sources:
        return []
    named = {Path(p).resolve() for p in sources}
    quiet = Collector()  # their problems are reported when they are built
    others = (read_document(p, project, quiet) for p in project.sources()
              if p.resolve() not in named)  # fmt: skip
    return [d for d in others if d is not None]


def build(
    job_plan: Plan,
    progress: Progress | None = None,
    *,
    force: bool = False,
    jobs: int | None = None,
    pool: workers.Workers | None = None,
    started: workers.Workers | None = None,
) -> list[Outcome]:
    """Render and write every job whose inputs changed (all with `force`), then manifests.

    The rest renders in `pool` (a warm pool, as watch mode keeps one), or in a pool of
    `jobs` processes made for this build (one process for a single output; `started`, a
    `workers.head_start`, grown to that), each render within the worker time limit.
    """
    outcomes: list[Outcome | None] = [None] * len(job_plan.jobs)
    pending: list[int] = []
    for i, job in enumerate(job_plan.jobs):
        remove_abandoned_temporaries(job.target)
        remove_abandoned_temporaries(manifest.path_for(job.target))
        current = None if force else _unchanged(job)
        if current is None:
            pending.append(i)
            continue
        outcomes[i] = current
        if progress:
            progress(current)
    check_glyphs([job_plan.jobs[i] for i in pending])
    rendered = _render_all([job_plan.jobs[i] for i in pending], progress, jobs, pool, started)
    store.store({name: data for o in rendered for name, data in o.made.items()})
    for i, outcome in zip(pending, _land_together(rendered)):
        outcomes[i] = outcome
    done = [o for o in outcomes if o is not None]
    write_manifests(done)
    return done


def check_glyphs(jobs: Sequence[Job]) -> None:
    """Refuse, before anything renders, every character a job's theme cannot draw: once per
    source and theme, grouped, with the lines it is on (not once per output)."""
    found: dict[tuple[Path | None, str], dict[int, list[SourceLocation | None]]] = {}
    themes: dict[str, Theme] = {}
    done: set[tuple[Path | None, str, str]] = set()
    for job in jobs:
        key = (job.document.path, job.profile.name, job.theme.name)
        if not job.renderer.draws_text or key in done:
            continue
        done.add(key)
        themes[job.theme.name] = job.theme
        absent = coverage.missing(select(job.document, job.profile), job.theme)
        merged = found.setdefault((job.document.path, job.theme.name), {})
        for code, places in absent.items():
            merged.setdefault(code, []).extend(p for p in places if p not in merged[code])
    problems = [d for (path, name), absent in found.items() if absent
                for d in coverage.report(themes[name], absent)]  # fmt: skip
    if problems:
        raise ContentError(problems)


def run(job: Job, *, force: bool = False) -> Outcome:
    """Build one output in this process: keep it when up to date, else render and write it."""
    current = None if force else _unchanged(job)
    if current is not None:
        return current
    rendered = render_job(job)
    store.store(rendered.made)
    return _written(rendered)


def _land_together(rendered: list[Outcome]) -> list[Outcome]:
    """Write the formats of each source and audience together, or none of them: when one
    fails, the others are held back, so a deck and its briefing never come from two versions
    of the source. Each group is staged in temporaries, then renamed into place."""
    groups: dict[Path, list[int]] = {}
    for i, outcome in enumerate(rendered):
        groups.setdefault(manifest.path_for(outcome.job.target), []).append(i)
    landed = list(rendered)
    for members in groups.values():
        if any(rendered[i].status == "failed" for i in members):
            for i in members:
                if rendered[i].status == "built":
                    landed[i] = _held(rendered[i])
            continue
        built = [i for i in members if rendered[i].status == "built"]
        try:
            write_together([(rendered[i].job.target, rendered[i].data or b"") for i in built])
        except PipelineError as exc:
            for i in built:
                landed[i] = replace(rendered[i], status="failed", data=None,
                                    diagnostics=list(exc.diagnostics))  # fmt: skip
            continue
        for i in built:
            landed[i] = replace(rendered[i], data=None)
    return landed


def _held(outcome: Outcome) -> Outcome:
    job = outcome.job
    return replace(outcome, status="held", data=None, diagnostics=[Diagnostic(
        "warning", "build.held", f"{job.target.name} for '{job.profile.name}' was not written "
        "because another format of the same source and audience failed", job.document.where,
        "the previous outputs are kept, all from one version; fix the error and build again",
    )])  # fmt: skip


def _written(outcome: Outcome) -> Outcome:
    """Write a rendered outcome's bytes to its target; a write failure fails the outcome."""
    if outcome.status != "built" or outcome.data is None:
        return outcome
    try:
        write_atomic(outcome.job.target, outcome.data)
    except PipelineError as exc:
        return replace(outcome, status="failed", diagnostics=list(exc.diagnostics), data=None)
    return replace(outcome, data=None)


def _unchanged(job: Job) -> Outcome | None:
    started = time.perf_counter()
    try:
        entry = up_to_date(job, inputs_of(job))
    except OSError:
        return None
    if entry is None:
        return None
    return Outcome(
        job,
        "unchanged",
        time.perf_counter() - started,
        job.target.stat().st_size,
        entry.units,
        entry=entry,
    )


def _render_all(
    pending: list[Job],
    progress: Progress | None,
    jobs: int | None,
    pool: workers.Workers | None,
    started: workers.Workers | None,
) -> list[Outcome]:
    if not pending:
        return []
    if pool is not None:
        return pool.run(pending, progress=progress)
    # Even a single output renders in a worker process: only a process can be stopped when
    # a render overruns its time limit, so no build can hang (forking costs milliseconds).
    count = min(jobs or workers.default_jobs(), len(pending))
    if started is not None:
        started.grow(count)
        return started.run(pending, progress=progress)
    with workers.Workers(count, formats=sorted({j.format for j in pending})) as made:
        return made.run(pending, progress=progress)


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
        assert job.document.path is not None, "built documents come from files"
        data = manifest.updated(
            manifest.read(path),
            source=job.document.path,
            audience=job.profile.name,
            theme=job.theme.name,
            entries={o.job.format: o.entry for o in items if o.entry is not None},
        )
        write_atomic(path, data)


def _choose_audiences(
    profiles: dict[str, Profile], names: Sequence[str], out: Collector
) -> list[Profile]:
    chosen = []
    for name in names or list(profiles):
        if name in profiles:
            chosen.append(profiles[name])
        elif profiles:
            out.error(
                "audience.unknown",
                f"unknown audience '{name}'",
                None,
                suggest(name, profiles) or f"audiences are {', '.join(profiles)}",
            )
    return chosen


def _check_formats(formats: Iterable[str], out: Collector) -> None:
    for fmt in formats:
        try:
            renderers.get(fmt)
        except ContentError as exc:
            out.extend(exc.diagnostics)


def _load_themes(
    project: Project, profiles: list[Profile], override: str | None, out: Collector
) -> dict[str, Theme]:
    wanted = {override: None} if override else {p.theme: p.theme_loc for p in profiles}
    themes = {}
    for name, where in wanted.items():
        theme = read_theme(name, project, out, where)
        if theme is not None:
            themes[name] = theme
    return themes
