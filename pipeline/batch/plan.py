"""Planning a batch: every input read and checked before anything renders.

A problem with the source, the audiences, the themes or the recipients file as a whole (a
duplicate id, an unknown audience, a placeholder naming no column) stops the batch before it
starts, with every problem reported in one pass. A problem of one row's values (a field the
source uses left empty) only fails that row, when its turn comes.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from .. import renderers
from ..audience import Profile, check_against, read_profiles, select
from ..context import BuildContext
from ..errors import Collector, ContentError, Diagnostic, display_path, suggest
from ..jobs import Job, inputs_of
from ..loader import read_document
from ..model import Document
from ..project import Project
from ..recipient import Recipient
from ..themes import Theme, read_theme
from . import ledger
from .personalise import check_fields, personalise, references, references_quick
from .recipients import Recipients, Row, read_recipients


@dataclass(frozen=True)
class Request:
    """What `twinpress batch` was asked for."""

    source: Path
    recipients: Path
    audience: str | None = None
    formats: tuple[str, ...] = ("pdf",)
    out_dir: Path | None = None


@dataclass(frozen=True)
class BatchJob(Job):
    """One output of one recipient: OUT/<audience>/<slug>/<id>.<ext>."""

    recipient_id: str = ""

    @property
    def target(self) -> Path:
        folder = self.out_dir / self.profile.name / self.document.slug
        return folder / f"{self.recipient_id}{self.renderer.suffix}"


@dataclass(frozen=True)
class Item:
    """One output to make: a row, its audience and a format."""

    row: Row
    profile: Profile
    format: str
    inputs: str  # hash of everything the output depends on


@dataclass
class Batch:
    """A validated batch: the document, the rows and what each output depends on."""

    project: Project
    request: Request
    document: Document
    recipients: Recipients
    profiles: dict[str, Profile]
    themes: dict[str, Theme]
    out_dir: Path
    context: BuildContext
    items: list[Item] = field(default_factory=list)
    warnings: list[Diagnostic] = field(default_factory=list)
    _selected: dict[str, Document] = field(default_factory=dict)
    _fields: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @cached_property
    def paths(self) -> tuple[Path, Path, Path]:
        """The batch manifest, its journal and the mailing list."""
        return ledger.paths(self.out_dir, self.document.slug, self.recipients.path)

    def theme_for(self, profile: Profile) -> Theme:
        return self.themes[profile.theme]

    def selected(self, profile: Profile) -> Document:
        """The document as this audience sees it (once per audience)."""
        if profile.name not in self._selected:
            self._selected[profile.name] = select(self.document, profile)
        return self._selected[profile.name]

    def fields_used(self, profile: Profile) -> tuple[str, ...]:
        """The recipient fields this audience's document uses, each once."""
        if profile.name not in self._fields:
            refs = references_quick(self.selected(profile))
            self._fields[profile.name] = tuple(dict.fromkeys(r.field for r in refs))
        return self._fields[profile.name]

    def job(self, item: Item) -> BatchJob:
        """The job for an item: the document personalised for its row (cheap when the
        source has no placeholders for this audience)."""
        selected = self.selected(item.profile)
        recipient = item.row.recipient
        document = (
            personalise(selected, recipient)
            if self.fields_used(item.profile)
            else dataclasses.replace(selected, recipient=recipient)
        )
        return BatchJob(
            document,
            item.profile,
            self.theme_for(item.profile),
            item.format,
            self.out_dir,
            self.context,
            recipient.id,
        )

    def missing_values(self, item: Item) -> list[Diagnostic]:
        """A row that leaves a field the source uses empty fails, at that cell."""
        recipient = item.row.recipient
        return [
            Diagnostic(
                "error",
                "batch.missing-value",
                f"recipient '{recipient.id}' has no value for '{name}', "
                f"which {self.document.slug} uses as {{{{{name}}}}}",
                item.row.where(name),
                "fill the cell in, or leave the placeholder out of the source",
            )
            for name in self.fields_used(item.profile)
            if not recipient.value(name)
        ]


def plan(project: Project, request: Request) -> Batch:
    """Read and check every input; raise ContentError listing every problem."""
    out = Collector()
    document = read_document(Path(request.source), project, out)
    profiles = read_profiles(project.audiences_file, out)
    for fmt in request.formats:
        try:
            renderers.get(fmt)
        except ContentError as exc:
            out.extend(exc.diagnostics)
    if request.audience and profiles and request.audience not in profiles:
        out.error(
            "audience.unknown",
            f"unknown audience '{request.audience}'",
            None,
            suggest(request.audience, profiles) or f"audiences are {', '.join(profiles)}",
        )
    recipients = read_recipients(Path(request.recipients), out, profiles)
    if document is not None:
        check_against(profiles, [document], out)
        check_fields(references(document), recipients.columns, display_path(recipients.path), out)
    chosen = _audiences(recipients.rows, request.audience, profiles, out)
    themes = _themes(project, [profiles[name] for name in chosen], out)
    out.raise_if_errors()
    assert document is not None
    batch = Batch(
        project,
        request,
        document,
        recipients,
        profiles,
        themes,
        (request.out_dir or project.output),
        BuildContext.from_environment(),
        warnings=out.warnings,
    )
    batch.items = _items(batch)
    return batch


def _audiences(
    rows: Sequence[Row], default: str | None, profiles: dict[str, Profile], out: Collector
) -> list[str]:
    """The audiences the rows use; rows without one need -a."""
    orphans = [r for r in rows if not r.audience and not default]
    if orphans:
        more = f" (and {len(orphans) - 1} more rows)" if len(orphans) > 1 else ""
        out.error(
            "batch.no-audience",
            f"recipient '{orphans[0].id}' has no audience{more}",
            orphans[0].loc,
            f"give one with -a ({', '.join(profiles)}), or add an 'audience' column",
        )
    used = {r.audience or default for r in rows}
    return [name for name in profiles if name in used]


def _themes(project: Project, profiles: list[Profile], out: Collector) -> dict[str, Theme]:
    themes = {}
    for profile in profiles:
        if profile.theme not in themes:
            theme = read_theme(profile.theme, project, out, profile.theme_loc)
            if theme is not None:
                themes[profile.theme] = theme
    return themes


def _items(batch: Batch) -> list[Item]:
    """Every (row, format), with the hash of its inputs: the audience's document, profile,
    theme, options and build context (hashed once per audience and format), and the row."""
    base: dict[tuple[str, str], str] = {}
    items = []
    for row in batch.recipients.rows:
        profile = batch.profiles[row.audience or batch.request.audience or ""]
        for fmt in batch.request.formats:
            key = (profile.name, fmt)
            if key not in base:
                job = Job(
                    batch.selected(profile),
                    profile,
                    batch.theme_for(profile),
                    fmt,
                    batch.out_dir,
                    batch.context,
                )
                base[key] = inputs_of(job)
            items.append(Item(row, profile, fmt, row_inputs(base[key], row.recipient)))
    return items


def row_inputs(base: str, recipient: Recipient) -> str:
    """The inputs hash of one recipient's output (`base`: its audience's and format's)."""
    return hashlib.sha256(f"{base}\0{recipient!r}".encode()).hexdigest()
