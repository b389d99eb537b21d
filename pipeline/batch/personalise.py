"""Personalisation: `{{field}}` placeholders in a source's text, filled from a recipient.

One syntax, substituted by a regular expression and never evaluated: `{{name}}`,
`{{organisation}}`, `{{region}}` (any column of the recipients file; spaces inside the
braces are allowed). Values are plain text, escaped by every renderer like all text, and
a value is never scanned for placeholders again. Only text fields are personalised: ids,
tags, image paths, links and markers are not.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ..errors import Collector, SourceLocation, one_of, suggest
from ..model import Document
from ..recipient import Recipient

PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_-]*)\s*\}\}")
# Fields that are identifiers, paths or choices, not text a reader reads.
NOT_TEXT = frozenset({"id", "src", "link", "language", "marker", "tone", "audience"})


@dataclass(frozen=True)
class Reference:
    """A placeholder in the source: the field it names and where it is."""

    field: str
    loc: SourceLocation | None


def references(document: Document) -> list[Reference]:
    """Every placeholder in the document's text, located as precisely as the source allows
    (the placeholder's own line and column when it can be found in the file)."""
    lines = _source_lines(document)
    found = []
    for text, owner in _texts(document, document.loc):
        for match in PLACEHOLDER.finditer(text):
            found.append(Reference(match.group(1), _locate(match.group(0), owner, lines)))
    return sorted(found, key=lambda r: (r.loc.line, r.loc.column) if r.loc else (0, 0))


def check_fields(
    refs: list[Reference], columns: tuple[str, ...], file: str, out: Collector
) -> None:
    """A placeholder naming a field the recipients file does not define is an error."""
    for ref in refs:
        if ref.field not in columns:
            out.error(
                "batch.unknown-field",
                f"placeholder '{{{{{ref.field}}}}}' names no column of {file}",
                ref.loc,
                suggest(ref.field, columns) or f"its columns are {one_of(columns)}",
            )


def personalise(document: Document, recipient: Recipient) -> Document:
    """The document for one recipient: placeholders filled, `recipient` set. Pure."""
    filled: Document = _fill(document, dict(recipient.fields))
    return dataclasses.replace(filled, recipient=recipient)


def missing(document: Document, recipient: Recipient) -> list[str]:
    """Fields the document refers to that this recipient leaves empty, in order."""
    names = dict.fromkeys(r.field for r in references_quick(document))
    return [name for name in names if not recipient.value(name)]


def references_quick(document: Document) -> Iterator[Reference]:
    """The placeholders of a document, unlocated (for checking many rows quickly)."""
    for text, _ in _texts(document, None):
        for match in PLACEHOLDER.finditer(text):
            yield Reference(match.group(1), None)


# -- walking the model ---------------------------------------------------------------------


def _texts(value: Any, owner: SourceLocation | None) -> Iterator[tuple[str, SourceLocation | None]]:
    """(text, nearest located owner) for every text field holding '{{'."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        owner = getattr(value, "loc", None) or owner
        for f in dataclasses.fields(value):
            if f.name in NOT_TEXT or not f.metadata.get("yaml", True):
                continue
            yield from _texts(getattr(value, f.name), owner)
    elif isinstance(value, str):
        if "{{" in value:
            yield value, owner
    elif isinstance(value, tuple):
        for item in value:
            yield from _texts(item, owner)


def _fill(value: Any, values: dict[str, str]) -> Any:
    """`value` with placeholders filled; unchanged objects are returned as they are, so a
    personalised copy shares everything the recipient does not change."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {}
        for f in dataclasses.fields(value):
            if f.name in NOT_TEXT or not f.metadata.get("yaml", True):
                continue
            old = getattr(value, f.name)
            new = _fill(old, values)
            if new is not old:
                changes[f.name] = new
        return dataclasses.replace(value, **changes) if changes else value
    if isinstance(value, str):
        if "{{" not in value:
            return value
        return PLACEHOLDER.sub(lambda m: values.get(m.group(1), ""), value)
    if isinstance(value, tuple):
        items = tuple(_fill(v, values) for v in value)
        return items if any(a is not b for a, b in zip(items, value)) else value
    return value


def _source_lines(document: Document) -> list[str]:
    try:
        return document.path.read_text(encoding="utf-8-sig").splitlines() if document.path else []
    except OSError:
        return []


def _locate(
    placeholder: str, owner: SourceLocation | None, lines: list[str]
) -> SourceLocation | None:
    """The placeholder's line and column, searched from its owner's line on."""
    if owner is None or not lines:
        return owner
    for number in range(max(owner.line, 1), len(lines) + 1):
        column = lines[number - 1].find(placeholder)
        if column >= 0:
            return SourceLocation(owner.path, number, column + 1)
    return owner
