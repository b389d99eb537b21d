"""A theme's design tokens after inheritance: colours, fonts, sizes, spacing, files.

The same tokens drive every output: the deck's master and text, the briefing's stylesheet
and the html page. Field metadata documents each token and feeds the theme JSON Schema.
Facts derived from the tokens (a theme's font files, its footer lines) are defined here once.
"""

from __future__ import annotations

import hashlib
import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from .dates import long_date
from .errors import SourceLocation
from .fonts import Fonts
from .model import doc

if TYPE_CHECKING:
    from .model import Document

HEX = r"^#[0-9A-Fa-f]{6}$"
# {prepared_for} and {confidential} print in the document's language; {recipient} is who the
# copy is for: the recipient of a personalised copy (`twinpress batch`), else the audience's
# label; the recipient_* tokens are empty outside a batch.
RECIPIENT_FIELDS = ("name", "organisation", "role", "email", "id")
LINE_FIELDS = (
    "title",
    "organisation",
    "date",
    "audience",
    "confidential",
    "prepared_for",
    "recipient",
    *(f"recipient_{name}" for name in RECIPIENT_FIELDS),
)
LINE_SEPARATOR = " · "


def _color(text: str) -> dict[str, object]:
    return doc(text + " Hex colour like '#1F4E9B'.", pattern=HEX)


@dataclass(frozen=True, slots=True)
class Colors:
    """Colour tokens; contrast between the pairs renderers use is checked (WCAG 2.1 AA)."""

    background: str = field(metadata=_color("Slide and page background."))
    surface: str = field(metadata=_color("Panels, cards, call-out fills."))
    text: str = field(metadata=_color("Body text."))
    muted: str = field(metadata=_color("Secondary text: captions, footers, numbers."))
    primary: str = field(metadata=_color("Headings, rules, title bars, table headers."))
    on_primary: str = field(metadata=_color("Text on primary fills."))
    accent: str = field(metadata=_color("Markers, icons and highlights."))
    success: str = field(metadata=_color("Verdict call-outs."))
    warning: str = field(metadata=_color("Warning call-outs."))
    table_stripe: str = field(metadata=_color("Alternate table rows."))
    border: str = field(metadata=_color("Rules and table lines (decorative)."))


@dataclass(frozen=True, slots=True)
class DeckType:
    """Type sizes for the deck, in points."""

    title: float = field(default=40, metadata=doc("Title slide title."))
    subtitle: float = field(default=20, metadata=doc("Title slide subtitle."))
    heading: float = field(default=28, metadata=doc("Slide titles."))
    body: float = field(default=20, metadata=doc("Bullets and text at their largest."))
    min_body: float = field(
        default=14,
        metadata=doc(
            "Smallest body size when shrinking to fit; below it text moves to a new slide."
        ),
    )
    table: float = field(default=14, metadata=doc("Table text at its largest."))
    min_table: float = field(default=11, metadata=doc("Smallest table text."))
    small: float = field(default=11, metadata=doc("Footer, slide numbers, captions."))
    line_spacing: float = field(default=1.1, metadata=doc("Line height as a multiple."))


@dataclass(frozen=True, slots=True)
class PrintType:
    """Type sizes for the briefing, in points."""

    base: float = field(default=10.5, metadata=doc("Body text."))
    title: float = field(default=32, metadata=doc("Cover title."))
    section: float = field(default=19, metadata=doc("Section headings."))
    heading: float = field(default=13.5, metadata=doc("Sub-headings."))
    small: float = field(default=8.5, metadata=doc("Running header and footer, captions."))
    line_height: float = field(default=1.45, metadata=doc("Body line height as a multiple."))


@dataclass(frozen=True, slots=True)
class TypeScale:
    deck: DeckType = field(default=DeckType(), metadata=doc("Deck sizes."))
    print: PrintType = field(default=PrintType(), metadata=doc("Briefing sizes."))


@dataclass(frozen=True, slots=True)
class DeckSpacing:
    margin: float = field(default=0.6, metadata=doc("Slide margin, inches."))
    gutter: float = field(default=0.4, metadata=doc("Space between columns, inches."))
    paragraph: float = field(default=6, metadata=doc("Space after each bullet, points."))


@dataclass(frozen=True, slots=True)
class PrintSpacing:
    margin_top: float = field(default=24, metadata=doc("Page margin, millimetres."))
    margin_bottom: float = field(default=22, metadata=doc("Page margin, millimetres."))
    margin_side: float = field(default=20, metadata=doc("Page margin, millimetres."))


@dataclass(frozen=True, slots=True)
class Spacing:
    deck: DeckSpacing = field(default=DeckSpacing(), metadata=doc("Deck spacing."))
    print: PrintSpacing = field(default=PrintSpacing(), metadata=doc("Briefing spacing."))


@dataclass(frozen=True, slots=True)
class Logo:
    svg: Path = field(metadata=doc("Vector logo, used in the briefing."))
    png: Path = field(metadata=doc("Raster logo (at least 600 px wide), used in the deck."))
    alt: str = field(metadata=doc("Alt text for the logo.", min_length=1))


@dataclass(frozen=True, slots=True)
class PptxLayouts:
    """Names of the slide layouts the deck uses, looked up by name in the template."""

    title: str = field(default="Title Slide", metadata=doc("Title slide layout."))
    section: str = field(default="Section Header", metadata=doc("Section divider layout."))
    content: str = field(default="Title and Content", metadata=doc("Bullets and text."))
    two_content: str = field(default="Two Content", metadata=doc("Comparisons."))
    title_only: str = field(default="Title Only", metadata=doc("Tables, images, call-outs."))


@dataclass(frozen=True, slots=True)
class PptxSettings:
    template: Path | None = field(
        default=None,
        metadata=doc(
            "Corporate template .pptx whose masters and layouts the deck is built on; "
            "when absent twinpress draws its own master from the tokens."
        ),
    )
    layouts: PptxLayouts = field(default=PptxLayouts(), metadata=doc("Layout names."))
    dividers: bool = field(default=True, metadata=doc("A divider slide before each section."))
    embed_fonts: bool = field(
        default=True,
        metadata=doc(
            "Carry the theme's fonts inside the deck (subset, as PowerPoint embeds them), so "
            "PowerPoint shows them where they are not installed."
        ),
    )


@dataclass(frozen=True, slots=True)
class PrintSettings:
    colors: Colors | None = field(
        default=None,
        metadata=doc(
            "Colour overrides for the briefing only, e.g. a dark deck theme printing on white."
        ),
    )


@dataclass(frozen=True)
class Theme:
    """Every token of one theme after inheritance, plus where its files live."""

    description: str = field(metadata=doc("One line shown by `twinpress themes`.", min_length=1))
    colors: Colors = field(metadata=doc("Colour tokens for the deck and the screen."))
    fonts: Fonts = field(metadata=doc("Font families with their files and licences."))
    logo: Logo = field(metadata=doc("The brand logo."))
    footer: str = field(
        metadata=doc(
            "Footer line on slides and pages; may use {title}, {organisation}, {date}, "
            "{audience}, {confidential} and {prepared_for} (the last two in the document's "
            "language: 'prepared for' the recipient of a personalised copy, else the audience), "
            "{recipient} and {recipient_name}, {recipient_organisation}, {recipient_role}, "
            "{recipient_email}, {recipient_id}."
        )
    )
    confidentiality: str = field(
        metadata=doc(
            "Confidentiality line, e.g. 'Internal use only'; the same placeholders as footer."
        )
    )
    extends: str | None = field(default=None, metadata=doc("Parent theme's folder name."))
    print: PrintSettings = field(default=PrintSettings(), metadata=doc("Briefing-only tokens."))
    type: TypeScale = field(default=TypeScale(), metadata=doc("Type sizes."))
    spacing: Spacing = field(default=Spacing(), metadata=doc("Margins and gaps."))
    slide_size: Literal["16:9", "16:10", "4:3"] = field(
        default="16:9", metadata=doc("Deck aspect ratio.")
    )
    paper: Literal["A4", "Letter"] = field(default="A4", metadata=doc("Briefing paper size."))
    markers: Literal["icons", "emoji"] = field(
        default="icons",
        metadata=doc("Show bullet markers as the theme's icons or as the source's emoji."),
    )
    pptx: PptxSettings = field(default=PptxSettings(), metadata=doc("Deck template settings."))
    labels: dict[str, str] = field(
        default_factory=dict,
        compare=False,
        metadata=doc(
            "Words the outputs print around the content, over the language's own "
            "(e.g. kicker: Board briefing); see the README for every key."
        ),
    )
    name: str = field(default="", metadata={"yaml": False})
    locations: dict[str, SourceLocation] = field(
        default_factory=dict, compare=False, repr=False, metadata={"yaml": False}
    )  # token path -> where it was set (colour contrast warnings point there)
    dirs: tuple[Path, ...] = field(default=(), metadata={"yaml": False})

    @property
    def paper_colors(self) -> Colors:
        """The colours the briefing uses: `print.colors` over `colors`."""
        return self.print.colors or self.colors

    @property
    def parent(self) -> str | None:
        return self.extends

    def find(self, relative: str) -> Path | None:
        """A file in the theme chain, child first (templates, stylesheets, icons)."""
        for folder in self.dirs:
            candidate = folder / relative
            if candidate.is_file():
                return candidate
        return None

    def icon(self, marker: str) -> Path | None:
        return self.find(f"icons/{marker}.svg")

    def footer_line(self, document: Document) -> str:
        """The footer for a document, its tokens filled ({title}, {date}, ...)."""
        return fill_line(self.footer, line_fields(document, self))

    def confidentiality_line(self, document: Document) -> str:
        return fill_line(self.confidentiality, line_fields(document, self))

    @cached_property
    def fingerprint(self) -> str:
        """Hash of every file in the chain: changes whenever the theme could render differently."""
        from .hashcache import digest as file_digest

        digest = hashlib.sha256()
        for folder in self.dirs:
            for path in sorted(p for p in folder.rglob("*") if p.is_file()):
                digest.update(str(path.relative_to(folder)).encode())
                digest.update(file_digest(path).encode())
        return digest.hexdigest()[:16]


def line_fields(document: Document, theme: Theme) -> dict[str, str]:
    """The values footer and confidentiality tokens take for a document; {confidential} and
    {prepared_for} are labels in the document's language."""
    from .labels import labels_for

    labels = labels_for(document, theme)
    recipient, reader = document.recipient, document.prepared_for
    return {
        "title": document.title,
        "organisation": document.organisation or "",
        "date": long_date(document.date, document.language),
        "audience": document.audience or "",
        "confidential": labels.confidential,
        "prepared_for": labels.fill("for_audience", audience=reader) if reader else "",
        "recipient": reader,
        **{
            f"recipient_{name}": getattr(recipient, name) if recipient else ""
            for name in RECIPIENT_FIELDS
        },
    }


def fill_line(template: str, values: Mapping[str, str]) -> str:
    """Fill a footer-like line; a ' · ' part whose placeholders are all empty is left out.

    "{organisation} · {title}" without an organisation reads "Title", not " · Title".
    """
    parts = []
    for part in template.split(LINE_SEPARATOR):
        names = [name for _, name, _, _ in string.Formatter().parse(part) if name]
        if names and not any(values.get(name) for name in names):
            continue
        parts.append(part.format_map({k: values.get(k) or "" for k in LINE_FIELDS}))
    return LINE_SEPARATOR.join(parts)
