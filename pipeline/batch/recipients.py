"""Recipients files for `twinpress batch`: CSV (UTF-8, a header row) or YAML (a list of
mappings), read into located rows with every problem reported in one pass.

Column `id` is required, unique (ignoring case, as some file systems do) and safe as a file
name; `name`, `organisation`, `role`, `email` and `audience` are known; any other column is
a field a source may use as `{{column}}`. Values are plain text: they are never evaluated.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Collector, SourceLocation, one_of, suggest
from ..recipient import Recipient
from ..yamlsource import Map, Node, Scalar, Seq, load

KNOWN = ("id", "name", "organisation", "role", "email", "audience")
MAX_BYTES = 64 * 1024 * 1024
COLUMN = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")
# Letters, digits, '.', '_' and '-', starting with a letter or digit: a file name on every
# system, never a path, never hidden.
SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
RESERVED = {"con", "prn", "aux", "nul", *(f"com{n}" for n in range(10))}
RESERVED |= {f"lpt{n}" for n in range(10)}
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


@dataclass(frozen=True)
class Row:
    """One recipient, where its row and each of its cells are in the file."""

    recipient: Recipient
    audience: str
    loc: SourceLocation
    cells: dict[str, SourceLocation] = field(default_factory=dict, compare=False)

    @property
    def id(self) -> str:
        return self.recipient.id

    def where(self, column: str) -> SourceLocation:
        """The cell of `column` in this row, or the row itself when it has none."""
        return self.cells.get(column, self.loc)


@dataclass(frozen=True)
class Recipients:
    path: Path
    columns: tuple[str, ...]  # every column the file defines, in order
    rows: tuple[Row, ...]
    sha256: str


Cell = tuple[str, SourceLocation]


def read_recipients(path: Path, out: Collector, audiences: Collection[str] = ()) -> Recipients:
    """Read a recipients file; problems go into `out` and bad rows are left out."""
    raw = _read_bytes(path, out)
    records: list[dict[str, Cell]] = []
    columns: list[str] = []
    if raw is not None:
        if path.suffix.lower() in (".yaml", ".yml"):
            columns, records = _yaml_records(path, out)
        else:
            text = _decode(raw, path, out)
            if text is not None:
                columns, records = _csv_records(text, path, out)
    rows = _rows(path, columns, records, audiences, out)
    digest = hashlib.sha256(raw or b"").hexdigest()
    return Recipients(path, tuple(columns), tuple(rows), digest)


# -- reading -----------------------------------------------------------------------------


def _read_bytes(path: Path, out: Collector) -> bytes | None:
    start = SourceLocation(path, 1, 1)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            out.error(
                "recipients.too-large",
                f"file is {size / 2**20:.1f} MiB; the limit is {MAX_BYTES / 2**20:.0f} MiB",
                start,
                "split the recipients into several files",
            )
            return None
        data = path.read_bytes()
    except FileNotFoundError:
        out.error("recipients.not-found", "recipients file does not exist", start)
        return None
    except OSError as exc:
        out.error("recipients.unreadable", f"cannot read file: {exc.strerror or exc}", start)
        return None
    if b"\0" in data:
        out.error("recipients.binary", "file is binary, not CSV or YAML text", start)
        return None
    return data


def _decode(data: bytes, path: Path, out: Collector) -> str | None:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        out.error(
            "recipients.encoding",
            f"file is not valid UTF-8 (byte {exc.start})",
            SourceLocation(path, line, 1),
            "save the file as UTF-8 (in a spreadsheet: 'CSV UTF-8')",
        )
        return None


def _csv_records(text: str, path: Path, out: Collector) -> tuple[list[str], list[dict[str, Cell]]]:
    records = [r for r in parse_csv(text, path) if any(value for value, _ in r)]
    if not records:
        out.error("recipients.empty", "file has no header row", SourceLocation(path, 1, 1))
        return [], []
    header, body = records[0], records[1:]
    columns = _columns(header, out)
    rows = []
    for record in body:
        if len(record) != len(header):
            out.error(
                "recipients.row-shape",
                f"row has {len(record)} cells; the header has {len(header)}",
                record[0][1],
                "quote values that contain the separator",
            )
            continue
        rows.append({c: cell for c, cell in zip(columns, record) if c})
    return [c for c in columns if c], rows


def parse_csv(text: str, path: Path) -> Iterator[list[Cell]]:
    """RFC 4180 CSV with each cell's line and column (the separator, ',' ';' or a tab, is
    the one the header line uses most)."""
    first = text.split("\n", 1)[0]
    sep = max((",", ";", "\t"), key=first.count)
    i, line, col, n = 0, 1, 1, len(text)
    while i < n:
        record: list[Cell] = []
        while True:
            loc = SourceLocation(path, line, col)
            value: list[str] = []
            if i < n and text[i] == '"':
                i, col = i + 1, col + 1
                while i < n:
                    ch = text[i]
                    if ch == '"' and text[i + 1 : i + 2] == '"':
                        value.append('"')
                        i, col = i + 2, col + 2
                    elif ch == '"':
                        i, col = i + 1, col + 1
                        break
                    else:
                        value.append(ch)
                        i, line, col = (
                            (i + 1, line + 1, 1) if ch == "\n" else (i + 1, line, col + 1)
                        )
            while i < n and text[i] not in (sep, "\n", "\r"):
                value.append(text[i])
                i, col = i + 1, col + 1
            record.append(("".join(value), loc))
            if i < n and text[i] == sep:
                i, col = i + 1, col + 1
                continue
            break
        if text.startswith("\r\n", i):
            i += 1
        i, line, col = i + 1, line + 1, 1
        yield record


def _columns(header: list[Cell], out: Collector) -> list[str]:
    """Column names ('' for one that is unusable, reported once)."""
    names: list[str] = []
    seen: dict[str, SourceLocation] = {}
    for raw, loc in header:
        name = raw.strip()
        if not COLUMN.match(name):
            out.error(
                "recipients.column-name",
                f"column name '{name}' is not usable as a field name"
                if name
                else "a column has no name",
                loc,
                "use letters, digits, '_' and '-', starting with a letter (e.g. 'region')",
            )
            names.append("")
            continue
        if name in seen:
            out.error(
                "recipients.duplicate-column",
                f"column '{name}' appears twice",
                loc,
                f"the first is at column {seen[name].column}",
            )
            names.append("")
            continue
        seen[name] = loc
        _warn_near_known(name, loc, out)
        names.append(name)
    return names


def _warn_near_known(name: str, loc: SourceLocation, out: Collector) -> None:
    if name in KNOWN:
        return
    near = "organisation" if name.lower() == "organization" else None
    hint = f"did you mean '{near}'?" if near else suggest(name.lower(), KNOWN)
    if hint or name.lower() in KNOWN:
        out.warning(
            "recipients.column-like-known",
            f"column '{name}' is a custom field, not one of the known columns",
            loc,
            hint or f"did you mean '{name.lower()}'?",
        )


def _yaml_records(path: Path, out: Collector) -> tuple[list[str], list[dict[str, Cell]]]:
    node = load(path, out)
    if isinstance(node, Map) and isinstance(node.get("recipients"), Seq):
        node = node.get("recipients")
    if not isinstance(node, Seq):
        if node is not None:
            out.error(
                "recipients.shape",
                "a YAML recipients file is a list of mappings (one per recipient)",
                node.loc,
                "write '- id: dana-kim' and the other keys under it",
            )
        return [], []
    columns: dict[str, None] = {}
    records = []
    for item in node.items:
        if not isinstance(item, Map):
            out.error("recipients.shape", "each recipient is a mapping of columns", item.loc)
            continue
        before = len(out.errors)
        record = {}
        for key, value in item.items.items():
            loc = item.keys[key]
            if not COLUMN.match(key):
                out.error(
                    "recipients.column-name",
                    f"key '{key}' is not usable as a field name",
                    loc,
                    "use letters, digits, '_' and '-', starting with a letter",
                )
                continue
            cell = _scalar_text(key, value, out)
            if cell is not None:
                if key not in columns:
                    _warn_near_known(key, loc, out)
                columns.setdefault(key)
                record[key] = (cell, value.loc)
        if len(out.errors) == before:  # a recipient with a bad value is left out
            records.append(record | {"": ("", item.loc)})
    return list(columns), records


def _scalar_text(key: str, node: Node, out: Collector) -> str | None:
    if not isinstance(node, Scalar):
        out.error(
            "recipients.type",
            f"'{key}' must be text, not {'a list' if isinstance(node, Seq) else 'a mapping'}",
            node.loc,
        )
        return None
    return "" if node.kind == "null" else node.value


# -- checking ------------------------------------------------------------------------------


def _rows(
    path: Path,
    columns: list[str],
    records: list[dict[str, Cell]],
    audiences: Collection[str],
    out: Collector,
) -> list[Row]:
    if columns and "id" not in columns:
        out.error(
            "recipients.no-id",
            "the recipients file has no 'id' column",
            SourceLocation(path, 1, 1),
            "add a column 'id' with a unique, file-name-safe id per recipient (e.g. 'dana-kim')",
        )
        return []
    if columns and not records:
        out.error("recipients.empty", "the file lists no recipients", SourceLocation(path, 1, 1))
    rows: list[Row] = []
    seen: dict[str, Row] = {}
    for record in records:
        row = _row(record, path, audiences, out)
        if row is None:
            continue
        key = row.id.casefold()
        if key in seen:
            out.error(
                "recipients.duplicate-id",
                f"id '{row.id}' is used twice",
                row.where("id"),
                f"the first is at line {seen[key].loc.line}; ids name the output files",
            )
            continue
        seen[key] = row
        rows.append(row)
    return rows


def _row(
    record: dict[str, Cell], path: Path, audiences: Collection[str], out: Collector
) -> Row | None:
    start = record.get("", next(iter(record.values()), ("", SourceLocation(path, 1, 1))))[1]
    values: dict[str, str] = {}
    bad = False
    for column, (raw, loc) in record.items():
        if not column:
            continue
        value = unicodedata.normalize("NFC", raw.strip())
        control = CONTROL.search(value)
        if control:
            out.error(
                "recipients.control-character",
                f"'{column}' contains the control character U+{ord(control.group()):04X}",
                loc,
                "remove it",
            )
            bad = True
        values[column] = value
    cells = {c: loc for c, (_, loc) in record.items() if c}
    loc = cells.get("id", start)
    bad |= not _check_id(values.get("id", ""), loc, out)
    bad |= not _check_email(values.get("email", ""), cells.get("email", loc), out)
    bad |= not _check_audience(
        values.get("audience", ""), cells.get("audience", loc), audiences, out
    )
    if bad:
        return None
    recipient = Recipient(
        id=values["id"],
        name=values.get("name", ""),
        organisation=values.get("organisation", ""),
        role=values.get("role", ""),
        email=values.get("email", ""),
        fields=tuple(values.items()),
        loc=SourceLocation(path, loc.line, 1),
    )
    return Row(recipient, values.get("audience", ""), SourceLocation(path, loc.line, 1), cells)


def _check_id(ident: str, loc: SourceLocation, out: Collector) -> bool:
    if not ident:
        out.error("recipients.id-missing", "this recipient has no id", loc)
        return False
    if not SAFE_ID.match(ident) or ident.lower().split(".")[0] in RESERVED:
        out.error(
            "recipients.id-unsafe",
            f"id '{ident}' is not safe as a file name",
            loc,
            "use letters, digits, '.', '_' and '-' (at most 100), starting with a letter or "
            "digit, e.g. 'dana-kim'",
        )
        return False
    return True


def _check_email(email: str, loc: SourceLocation, out: Collector) -> bool:
    if email and not EMAIL.match(email):
        out.error("recipients.email", f"'{email}' is not an e-mail address", loc)
        return False
    return True


def _check_audience(
    audience: str, loc: SourceLocation, audiences: Collection[str], out: Collector
) -> bool:
    if audience and audiences and audience not in audiences:
        out.error(
            "recipients.audience-unknown",
            f"unknown audience '{audience}'",
            loc,
            suggest(audience, audiences) or f"audiences are {one_of(audiences)}",
        )
        return False
    return True
