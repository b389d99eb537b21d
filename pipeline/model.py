"""The document model: immutable dataclasses and the closed set of block kinds renderers handle.

Field names mirror the YAML keys (`call-to-action` is the one kind with a dash). Field
metadata carries the documentation and constraints that the loader enforces and the JSON
Schema publishes, so the three never drift apart.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import Field, dataclass, field, fields, replace
from pathlib import Path
from typing import Any, ClassVar, Literal, get_args

from .errors import SourceLocation
from .recipient import Recipient

# Semantic bullet markers, with the emoji that stands for each in the source text.
MARKERS: dict[str, str] = {
    "dot": "•",
    "check": "✅",
    "cross": "❌",
    "bolt": "⚡",
    "rocket": "🚀",
    "pin": "📌",
    "tools": "🛠",
    "globe": "🌍",
    "star": "⭐",
    "bulb": "💡",
    "warning": "⚠",
    "arrow": "➜",
}
Marker = Literal[
    "dot",
    "check",
    "cross",
    "bolt",
    "rocket",
    "pin",
    "tools",
    "globe",
    "star",
    "bulb",
    "warning",
    "arrow",
]
Tone = Literal["note", "tip", "warning", "success"]

ID_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
TAG_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
LANG_PATTERN = r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$"


def doc(text: str, **constraints: object) -> dict[str, object]:
    """Field metadata: a description plus constraints (min_length, pattern, min_items, ...)."""
    return {"doc": text, **constraints}


def _loc() -> SourceLocation | None:
    return field(default=None, compare=False, repr=False, metadata={"yaml": False})


TEXT = doc("Plain text; it is escaped in every output.", min_length=1)


def text(what: str) -> dict[str, object]:
    return doc(what + " Plain text; it is escaped in every output.", min_length=1)


def _tags() -> Any:
    return field(
        default=frozenset(),
        metadata=doc(
            "Labels that audience profiles use to keep or drop this content, e.g. 'promo'.",
            item_pattern=TAG_PATTERN,
        ),
    )


def _derived() -> Any:
    return field(
        default=False,
        metadata=doc(
            "True when this content is not verbatim from the original article but derived from it."
        ),
    )


@dataclass(frozen=True, slots=True)
class BulletItem:
    """One bullet; its own marker overrides the list's, and `items` nest one level deeper."""

    text: str = field(metadata=TEXT)
    marker: Marker | None = field(default=None, metadata=doc("Marker for this item only."))
    items: tuple[BulletItem, ...] = field(default=(), metadata=doc("Nested bullets."))
    loc: SourceLocation | None = _loc()
    shorthand: ClassVar[str] = "text"


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A paragraph of prose."""

    text: str = field(metadata=TEXT)
    tags: frozenset[str] = _tags()
    derived: bool = _derived()
    loc: SourceLocation | None = _loc()
    kind: ClassVar[str] = "paragraph"
    shorthand: ClassVar[str] = "text"


@dataclass(frozen=True, slots=True)
class Heading:
    """A sub-heading inside a section; it starts a new topic (a new slide in the deck)."""

    text: str = field(metadata=TEXT)
    tags: frozenset[str] = _tags()
    derived: bool = _derived()
    loc: SourceLocation | None = _loc()
    kind: ClassVar[str] = "heading"
    shorthand: ClassVar[str] = "text"


@dataclass(frozen=True, slots=True)
class Bullets:
    """A bulleted list; `marker` is the semantic marker shown for every item."""

    items: tuple[BulletItem, ...] = field(metadata=doc("The bullets.", min_items=1))
    marker: Marker | None = field(
        default=None,
        metadata=doc(
            "Marker for every item: one of the semantic names (the emoji is accepted too)."
        ),
    )
    ordered: bool = field(default=False, metadata=doc("Number the items instead."))
    tags: frozenset[str] = _tags()
    derived: bool = _derived()
    loc: SourceLocation | None = _loc()
    kind: ClassVar[str] = "bullets"
    shorthand: ClassVar[str] = "items"


@dataclass(frozen=True, slots=True)
class Verdict:
    """The article's conclusion for a section, shown as a distinct call-out."""

    text: str = field(metadata=TEXT)
    label: str | None = field(
        default=None,
        metadata=doc("The call-out's label; defaults to the language's word for 'Verdict'."),
    )
    tags: frozenset[str] = _tags()
    derived: bool = _derived()
    loc: SourceLocation | None = _loc()
    kind: ClassVar[str] = "verdict"
    shorthand: ClassVar[str] = "text"


@dataclass(frozen=True, slots=True)
class Callout:
    """A highlighted note, tip or warning."""

    text: str = field(metadata=TEXT)
    label: str | None = field(default=None, metadata=doc("Optional label; defaults to the tone."))
    tone: Tone = field(default="note", metadata=doc("How the call-out is coloured."))
    tags: frozenset[str] = _tags()
    derived: bool = _derived()
    loc: SourceLocation | None = _loc()
    kind: ClassVar[str] = "callout"
    shorthand: ClassVar[str] = "text"


@dataclass(frozen=True, slots=True)
class Column:
    """One side of a comparison: a heading and its items."""

    heading: str = field(metadata=text("The column heading, e.g. 'Rust'."))
    items: tuple[BulletItem, ...] = field(metadata=doc("The column's points.", min_items=1))
    marker: Marker | None = field(default=None, metadata=doc("Marker for every item."))
    loc: SourceLocation | None = _loc()


@dataclass(frozen=True, slots=True)
class Comparison:
    """Two or more columns side by side (Rust | Go)."""

    columns: tuple[Column, ...] = field(metadata=doc("The columns.", min_items=2, max_items=4))
    title: str | None = field(default=None, metadata=doc("Optional heading above the columns."))
    tags: frozenset[str] = _tags()
    derived: bool = _derived()
    loc: SourceLocation | None = _loc()
    kind: ClassVar[str] = "comparison"
    shorthand: ClassVar[str] = "columns"


@dataclass(frozen=True, slots=True)
class Table:
    """A table with one header row; every row has as many cells as the header."""

    header: tuple[str, ...] = field(metadata=doc("Column headings.", min_items=1, max_items=8))
    rows: tuple[tuple[str, ...], ...] = field(metadata=doc("Body rows.", min_items=1))
    caption: str | None = field(default=None, metadata=doc("What the table shows."))
    tags: frozenset[str] = _tags()
    derived: bool = _derived()
    loc: SourceLocation | None = _loc()
    kind: ClassVar[str] = "table"
    shorthand: ClassVar[str] = ""


@dataclass(frozen=True, slots=True)
class Quote:
    """A quotation with an optional source."""

    text: str = field(metadata=TEXT)
    source: str | None = field(default=None, metadata=doc("Who said it, or where."))
    tags: frozenset[str] = _tags()
    derived: bool = _derived()
    loc: SourceLocation | None = _loc()
    kind: ClassVar[str] = "quote"
    shorthand: ClassVar[str] = "text"


@dataclass(frozen=True, slots=True)
class Image:
    """A picture from inside the project; `alt` is required for accessibility."""

    src: str = field(
        metadata=doc(
            "Path relative to the source file; it must stay inside content/ or themes/.",
            min_length=1,
        )
    )
    alt: str = field(metadata=doc("What the image shows, for screen readers.", min_length=1))
    caption: str | None = field(default=None, metadata=doc("Caption shown under the image."))
    path: Path | None = field(default=None, compare=False, repr=False, metadata={"yaml": False})
    tags: frozenset[str] = _tags()
    derived: bool = _derived()
    loc: SourceLocation | None = _loc()
    kind: ClassVar[str] = "image"
    shorthand: ClassVar[str] = ""


@dataclass(frozen=True, slots=True)
class CallToAction:
    """The closing call to action: supporting lines, then the action itself."""

    action: str = field(metadata=text("The action itself, e.g. 'Book a call today'."))
    items: tuple[BulletItem, ...] = field(default=(), metadata=doc("Lines leading up to it."))
    marker: Marker | None = field(default=None, metadata=doc("Marker shown with the action."))
    link: str | None = field(
        default=None,
        metadata=doc("Optional https:// link for the action.", pattern=r"^https://\S+$"),
    )
    tags: frozenset[str] = _tags()
    derived: bool = _derived()
    loc: SourceLocation | None = _loc()
    kind: ClassVar[str] = "call-to-action"
    shorthand: ClassVar[str] = "action"


Block = (
    Paragraph
    | Heading
    | Bullets
    | Verdict
    | Callout
    | Comparison
    | Table
    | Quote
    | Image
    | CallToAction
)
BLOCK_TYPES: dict[str, type] = {cls.kind: cls for cls in get_args(Block)}


@dataclass(frozen=True, slots=True)
class Section:
    """A numbered part of the article; `id` is stable across edits and outputs."""

    id: str = field(
        metadata=doc(
            "Stable identifier used by audiences, tests and manifests.", pattern=ID_PATTERN
        )
    )
    title: str = field(metadata=text("The section heading, without its number."))
    blocks: tuple[Block, ...] = field(default=(), metadata=doc("The section's content."))
    numbered: bool = field(
        default=True,
        metadata=doc("Number this section (1, 2, ...). The introduction is usually not numbered."),
    )
    summary: str | None = field(
        default=None,
        metadata=doc(
            "One-sentence takeaway, editorial rather than verbatim; short audiences show it."
        ),
    )
    tags: frozenset[str] = _tags()
    number: int | None = field(default=None, compare=False, metadata={"yaml": False})
    loc: SourceLocation | None = _loc()


@dataclass(frozen=True, slots=True)
class Document:
    """One source file: metadata and sections."""

    title: str = field(metadata=text("The document title."))
    date: dt.date = field(
        metadata=doc(
            "Publication date (YYYY-MM-DD); fixes the outputs' dates so builds are reproducible."
        )
    )
    sections: tuple[Section, ...] = field(metadata=doc("The article's sections.", min_items=1))
    subtitle: str | None = field(default=None, metadata=doc("Shown under the title."))
    organisation: str | None = field(default=None, metadata=doc("Publishing organisation."))
    author: str | None = field(default=None, metadata=doc("Author; defaults to the organisation."))
    language: str = field(
        default="en",
        metadata=doc("BCP 47 language tag, e.g. 'en' or 'en-GB'.", pattern=LANG_PATTERN),
    )
    keywords: tuple[str, ...] = field(default=(), metadata=doc("Keywords for the metadata."))
    description: str | None = field(default=None, metadata=doc("One-paragraph abstract."))
    labels: dict[str, str] = field(
        default_factory=dict, compare=False, repr=False, metadata={"yaml": False}
    )  # the audience profile's label overrides, set by audience selection
    audience: str | None = field(default=None, compare=False, metadata={"yaml": False})
    # Set by `twinpress batch` on each personalised copy; in repr, so in the inputs hash.
    recipient: Recipient | None = field(default=None, compare=False, metadata={"yaml": False})
    path: Path | None = field(default=None, compare=False, repr=False, metadata={"yaml": False})
    loc: SourceLocation | None = _loc()

    @property
    def prepared_for(self) -> str:
        """Who the outputs say they are for: the recipient, else the audience's label."""
        return self.recipient.label if self.recipient else self.audience or ""

    @property
    def slug(self) -> str:
        return self.path.stem if self.path else "document"

    @property
    def byline(self) -> str:
        return self.author or self.organisation or ""

    @property
    def where(self) -> SourceLocation | None:
        """Where a problem with the document as a whole is reported: its first key."""
        if self.loc is not None:
            return self.loc
        return SourceLocation.file(self.path) if self.path else None


def section_label(section: Section) -> str:
    """The heading as the article prints it: '2. Performance: ...' or just the title."""
    return f"{section.number}. {section.title}" if section.number else section.title


def yaml_fields(cls: type) -> list[Field[Any]]:
    """The dataclass fields that appear in YAML (not those derived after loading)."""
    return [f for f in fields(cls) if f.metadata.get("yaml", True)]


def number_sections(sections: tuple[Section, ...]) -> tuple[Section, ...]:
    """Give numbered sections 1, 2, ... in order; numbers survive audience selection."""
    out, n = [], 0
    for section in sections:
        if section.numbered:
            n += 1
            section = replace(section, number=n)
        out.append(section)
    return tuple(out)


def block_texts(block: Block) -> tuple[str, ...]:
    """Every piece of text a block carries, in reading order (for coverage checks)."""
    match block:
        case Quote():
            return (block.text, block.source) if block.source else (block.text,)
        case Paragraph() | Heading() | Callout():
            extra = (block.label,) if isinstance(block, Callout) and block.label else ()
            return (*extra, block.text)
        case Verdict():
            return (block.text,)
        case Bullets():
            return _item_texts(block.items)
        case Comparison():
            head = (block.title,) if block.title else ()
            return head + tuple(
                t for c in block.columns for t in (c.heading, *_item_texts(c.items))
            )
        case Table():
            return block.header + tuple(cell for row in block.rows for cell in row)
        case Image():
            return (block.caption,) if block.caption else ()
        case CallToAction():
            return (*_item_texts(block.items), block.action)
    raise TypeError(f"unknown block {block!r}")


def _item_texts(items: tuple[BulletItem, ...]) -> tuple[str, ...]:
    return tuple(t for i in items for t in (i.text, *_item_texts(i.items)))
