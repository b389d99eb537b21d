"""Running a batch: decide what is up to date, render the rest on an engine, write each
output in this (the client) process, and keep the ledger so a rerun resumes.

Incremental: an output is rendered again only when its inputs hash changed, or its file is
missing or not the file that was written. Isolated: a row that fails (a value the source
needs is empty, a character the theme's fonts lack, a worker that died) is reported at its
row and the others go on.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..errors import Diagnostic, PipelineError
from ..jobs import Outcome
from ..outputs import remove_abandoned_in, write_atomic
from . import ledger
from .engines import Engine
from .ledger import Ledger, Record
from .plan import Batch, Item

Progress = Callable[[Record], None]
EngineFactory = Callable[[], Engine]
SHARED_NOTE = "shared-layout"  # notes a PDF renderer leaves on outputs it did not lay out
REPLAYED = "replayed:"


@dataclass
class Report:
    """What a run did, for the summary and the exit code."""

    records: list[Record] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    seconds: float = 0.0
    engine: str = ""
    workers: int = 0
    shared: int = 0  # PDFs whose body pages came from a layout shared across recipients
    replayed: tuple[int, int] = (0, 0)  # their body pages replayed, of all their body pages

    def count(self, status: str) -> int:
        return sum(r.status == status for r in self.records)

    @property
    def pages(self) -> int:
        return sum(r.pages for r in self.records if r.status == "built")


def run(
    batch: Batch, engine: EngineFactory, *, force: bool = False, progress: Progress | None = None
) -> Report:
    """Make every output of the batch that is not up to date; write the ledger."""
    started = time.perf_counter()
    manifest, journal, mailing = batch.paths
    book = Ledger(manifest, journal)
    report = Report()
    pending = []
    for folder in {target_of(batch, item).parent for item in batch.items}:
        remove_abandoned_in(folder)
    for item in batch.items:
        current = None if force else _unchanged(batch, book, item)
        if current is not None:
            _done(report, book, current, progress)
        else:
            pending.append(item)
    if pending:
        with _started(engine) as made:
            report.engine, report.workers = made.name, made.workers
            for item, outcome in _render(batch, made, pending, report, book, progress):
                record = _written(batch, item, outcome, report)
                report.shared += SHARED_NOTE in outcome.notes
                report.replayed = _replayed(report.replayed, outcome.notes)
                _done(report, book, record, progress)
    book.save(_header(batch), [(i.row.id, i.format) for i in batch.items])
    write_atomic(mailing, _mailing(batch, book))
    report.seconds = time.perf_counter() - started
    return report


class _started:
    """Start an engine only when there is something to render; always close it."""

    def __init__(self, factory: EngineFactory) -> None:
        self.factory = factory

    def __enter__(self) -> Engine:
        self.engine = self.factory()
        return self.engine

    def __exit__(self, *exc: object) -> None:
        self.engine.close()


def _render(
    batch: Batch,
    engine: Engine,
    pending: list[Item],
    report: Report,
    book: Ledger,
    progress: Progress | None,
) -> Iterator[tuple[Item, Outcome]]:
    """Rows whose values are incomplete fail here; the others go to the engine, whose
    outcomes are matched back to their items by target."""
    by_target: dict[Path, Item] = {}

    def jobs() -> Iterator[object]:
        for item in pending:
            problems = batch.missing_values(item)
            if problems:
                record = _failed(item, batch, problems)
                report.diagnostics.extend(problems)
                _done(report, book, record, progress)
                continue
            job = batch.job(item)
            by_target[job.target] = item
            yield job

    for outcome in engine.render(jobs()):  # type: ignore[arg-type]
        yield by_target.pop(outcome.job.target), outcome


def target_of(batch: Batch, item: Item) -> Path:
    from .. import renderers

    folder = batch.out_dir / item.profile.name / batch.document.slug
    return folder / f"{item.row.id}{renderers.get(item.format).suffix}"


def _unchanged(batch: Batch, book: Ledger, item: Item) -> Record | None:
    record = book.get(item.row.id, item.format)
    if record is None or not record.ok or record.inputs != item.inputs:
        return None
    target = target_of(batch, item)
    if record.file != _relative(batch, target) or not ledger.stat_matches(target, record):
        return None
    return replace(record, status="unchanged")


def _written(batch: Batch, item: Item, outcome: Outcome, report: Report) -> Record:
    """Write a rendered output atomically; its record (failed when it could not be)."""
    target = target_of(batch, item)
    if outcome.status != "built" or outcome.data is None:
        problems = [_at_row(d, item) for d in outcome.diagnostics]
        report.diagnostics.extend(problems)
        return _failed(item, batch, problems)
    try:
        write_atomic(target, outcome.data, clean=False)
        st = os.stat(target)
    except (PipelineError, OSError) as exc:
        problems = list(exc.diagnostics) if isinstance(exc, PipelineError) else []
        report.diagnostics.extend(problems)
        return _failed(item, batch, problems)
    entry = outcome.entry
    return Record(
        item.row.id,
        item.format,
        item.profile.name,
        _relative(batch, target),
        "built",
        item.inputs,
        entry.sha256 if entry else "",
        st.st_size,
        st.st_mtime_ns,
        outcome.units,
    )


def _failed(item: Item, batch: Batch, problems: list[Diagnostic]) -> Record:
    return Record(
        item.row.id,
        item.format,
        item.profile.name,
        _relative(batch, target_of(batch, item)),
        "failed",
        item.inputs,
        errors=tuple(d.message for d in problems),
    )


def _at_row(diagnostic: Diagnostic, item: Item) -> Diagnostic:
    """A render failure, reported at the recipient's row (the source line goes in the hint)."""
    row = item.row
    if diagnostic.loc is not None and diagnostic.loc.path == row.loc.path:
        return diagnostic
    origin = f"(from {diagnostic.loc}) " if diagnostic.loc else ""
    hint = f"{origin}{diagnostic.hint or ''}".strip() or None
    return Diagnostic(
        diagnostic.level,
        diagnostic.code,
        f"recipient '{row.id}' ({item.format}): {diagnostic.message}",
        row.loc,
        hint,
    )


def _replayed(total: tuple[int, int], notes: tuple[str, ...]) -> tuple[int, int]:
    """Add a PDF's 'replayed:N/M' note (body pages drawn once per layout) to the total."""
    for note in notes:
        if note.startswith(REPLAYED):
            done, pages = note.removeprefix(REPLAYED).split("/")
            return total[0] + int(done), total[1] + int(pages)
    return total


def _done(report: Report, book: Ledger, record: Record, progress: Progress | None) -> None:
    report.records.append(record)
    if record.status != "unchanged":
        book.add(record)
    if progress:
        progress(record)


def _relative(batch: Batch, path: Path) -> str:
    return path.relative_to(batch.out_dir).as_posix()


def _header(batch: Batch) -> dict[str, object]:
    from ..manifest import file_hash

    source = batch.document.path
    assert source is not None, "batch documents come from files"
    return {
        "source": _shown(batch, source),
        "source_sha256": file_hash(source),
        "recipients": _shown(batch, batch.recipients.path),
        "recipients_sha256": batch.recipients.sha256,
        "formats": list(batch.request.formats),
    }


def _shown(batch: Batch, path: Path) -> str:
    """A path as the manifest records it: relative to the project when inside it."""
    resolved = path.resolve()
    root = batch.project.root.resolve()
    return resolved.relative_to(root).as_posix() if resolved.is_relative_to(root) else str(resolved)


def _mailing(batch: Batch, book: Ledger) -> bytes:
    rows = []
    for item in batch.items:
        record = book.get(item.row.id, item.format)
        if record is not None and record.ok:
            r = item.row.recipient
            rows.append((r.id, r.name, r.email, record.file, item.format))
    return ledger.mailing_csv(rows, len(batch.request.formats))
