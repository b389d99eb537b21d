"""What a batch made: the batch manifest, its journal, and the mailing list.

`OUT/<slug>.<recipients>.batch.json` records, per recipient id and format, the output's
path, hash, size, page count, the hash of its inputs and its status. While a batch runs,
each finished output is appended to a journal beside it (one JSON line, written after the
output itself is in place), so a batch killed at any moment is resumed by the next run
without redoing what was finished; the manifest is rewritten atomically at the end and
the journal removed. `OUT/<slug>.<recipients>.mailing.csv` lists id, name, email and path
of every output that was made, for a mailer.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, TextIO

from .. import __version__
from ..outputs import write_atomic

SCHEMA_VERSION = 1


@dataclass(frozen=True)
class Record:
    """One output of one recipient."""

    id: str
    format: str
    audience: str
    file: str  # relative to the output folder
    status: str  # built | unchanged | failed
    inputs: str
    sha256: str = ""
    size: int = 0
    mtime_ns: int = 0
    pages: int = 0
    errors: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.status in ("built", "unchanged")


def paths(out_dir: Path, slug: str, recipients: Path) -> tuple[Path, Path, Path]:
    """The manifest, its journal and the mailing list of a batch."""
    stem = f"{slug}.{recipients.stem}"
    return (
        out_dir / f"{stem}.batch.json",
        out_dir / f".{stem}.batch.journal",
        out_dir / f"{stem}.mailing.csv",
    )


class Ledger:
    """The records of one batch: read at the start, appended to as outputs finish."""

    def __init__(self, manifest: Path, journal: Path) -> None:
        self.manifest, self.journal = manifest, journal
        self.records: dict[tuple[str, str], Record] = {}
        self._handle: TextIO | None = None
        for raw in _manifest_records(manifest) + _journal_records(journal):
            record = _record(raw)
            if record is not None:
                self.records[(record.id, record.format)] = record

    def get(self, ident: str, fmt: str) -> Record | None:
        return self.records.get((ident, fmt))

    def add(self, record: Record) -> None:
        """Remember a finished output, durably enough to survive the process being killed."""
        self.records[(record.id, record.format)] = record
        if self._handle is None:
            self.journal.parent.mkdir(parents=True, exist_ok=True)
            self._handle = self.journal.open("a", encoding="utf-8")
        self._handle.write(json.dumps(_raw(record), ensure_ascii=False) + "\n")
        self._handle.flush()  # in the kernel: a killed process loses nothing

    def save(self, header: Mapping[str, Any], keep: Iterable[tuple[str, str]]) -> None:
        """Write the manifest (only the outputs in `keep`, in that order), drop the journal."""
        rows: dict[str, dict[str, Any]] = {}
        for ident, fmt in keep:
            record = self.records.get((ident, fmt))
            if record is not None:
                rows.setdefault(ident, {})[fmt] = _raw(record)
        body = {
            "batch": SCHEMA_VERSION,
            "generator": f"twinpress {__version__}",
            **header,
            "outputs": rows,
        }
        write_atomic(
            self.manifest, (json.dumps(body, indent=2, ensure_ascii=False) + "\n").encode()
        )
        self.close()
        self.journal.unlink(missing_ok=True)

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None


def read_manifest(path: Path) -> dict[str, Any]:
    """A batch manifest's data, or {} when it is missing or unreadable."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) and data.get("batch") == SCHEMA_VERSION else {}


def mailing_csv(rows: Iterable[tuple[str, str, str, str, str]], formats: int) -> bytes:
    """id, name, email, path (and format, when the batch made more than one)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["id", "name", "email", "path", *(["format"] if formats > 1 else [])])
    for ident, name, email, path, fmt in rows:
        writer.writerow([ident, name, email, path, *([fmt] if formats > 1 else [])])
    return buffer.getvalue().encode("utf-8")


def stat_matches(path: Path, record: Record) -> bool:
    """The output is there as it was written (same size and modification time)."""
    try:
        st = os.stat(path)
    except OSError:
        return False
    return st.st_size == record.size and st.st_mtime_ns == record.mtime_ns


def _manifest_records(path: Path) -> list[Any]:
    outputs = read_manifest(path).get("outputs", {})
    if not isinstance(outputs, dict):
        return []
    return [
        r for formats in outputs.values() if isinstance(formats, dict) for r in formats.values()
    ]


def _journal_records(path: Path) -> list[Any]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return []
    found = []
    for line in lines:
        try:
            found.append(json.loads(line))
        except ValueError:
            continue  # the line being written when the batch was killed
    return found


def _raw(record: Record) -> dict[str, Any]:
    raw = asdict(record)
    raw["errors"] = list(record.errors)
    return raw


def _record(raw: Any) -> Record | None:
    if not isinstance(raw, dict):
        return None
    try:
        return Record(
            id=str(raw["id"]),
            format=str(raw["format"]),
            audience=str(raw["audience"]),
            file=str(raw["file"]),
            status=str(raw["status"]),
            inputs=str(raw["inputs"]),
            sha256=str(raw.get("sha256", "")),
            size=int(raw.get("size", 0)),
            mtime_ns=int(raw.get("mtime_ns", 0)),
            pages=int(raw.get("pages", 0)),
            errors=tuple(str(e) for e in raw.get("errors", ())),
        )
    except (KeyError, TypeError, ValueError):
        return None
