"""Who one personalised copy of a briefing is for (`twinpress batch`): a recipient, as the
document model carries it (Document.recipient) to the renderers and the footer tokens."""

from __future__ import annotations

from dataclasses import dataclass, field

from .errors import SourceLocation


@dataclass(frozen=True, slots=True)
class Recipient:
    """Who one personalised copy is for: a row of a recipients file (`twinpress batch`).

    `fields` holds every column of the row by name, the known ones included, so placeholders
    and footer tokens look values up in one place.
    """

    id: str
    name: str = ""
    organisation: str = ""
    role: str = ""
    email: str = ""
    fields: tuple[tuple[str, str], ...] = ()
    loc: SourceLocation | None = field(default=None, compare=False, repr=False)

    @property
    def label(self) -> str:
        """How covers name the reader: 'Dana Kim, Northwind' (the id when both are empty)."""
        return ", ".join(x for x in (self.name, self.organisation) if x) or self.id

    def value(self, name: str) -> str:
        """A field's value ('' when the row leaves it empty or has no such column)."""
        return dict(self.fields).get(name, "")
