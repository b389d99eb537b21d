"""A theme's font tokens: the text faces with their files, licences and substitutes, the
script fallbacks and the emoji font, and the facts derived from them (a theme's font files
and folders, the substitute a viewer draws with)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from .model import doc

FontRole = Literal["heading", "body", "mono"]
FONT_ROLES: tuple[FontRole, ...] = ("heading", "body", "mono")


@dataclass(frozen=True, slots=True)
class FaceFiles:
    """A font family's files (inside the theme) and licence."""

    family: str = field(metadata=doc("Family name as stored in the font files.", min_length=1))
    regular: Path = field(metadata=doc("Regular font file (.ttf or .otf)."))
    bold: Path = field(metadata=doc("Bold font file."))
    licence: Path = field(metadata=doc("Licence text shipped with the font (e.g. OFL.txt)."))
    italic: Path | None = field(default=None, metadata=doc("Italic font file."))
    bold_italic: Path | None = field(default=None, metadata=doc("Bold italic font file."))
    generic: Literal["sans-serif", "serif", "monospace"] = field(
        default="sans-serif", metadata=doc("CSS generic family, last in the stack.")
    )

    def files(self) -> dict[str, Path]:
        """The face's files by style ('regular', 'bold', 'italic', 'bold_italic')."""
        found = {
            "regular": self.regular,
            "bold": self.bold,
            "italic": self.italic,
            "bold_italic": self.bold_italic,
        }
        return {k: v for k, v in found.items() if v is not None}

    def file(self, bold: bool = False, italic: bool = False) -> Path:
        """The file for a weight and slant; a missing italic falls back to the upright."""
        if bold:
            return (self.bold_italic if italic else None) or self.bold
        return (self.italic if italic else None) or self.regular


@dataclass(frozen=True, slots=True)
class FontFace(FaceFiles):
    """A text font of the theme: its files, what a viewer without it draws instead, and the
    family the deck names when that is an Office font measured with a metric twin."""

    substitute: str | None = field(
        default=None,
        metadata=doc(
            "Family (from fonts.substitutes) a viewer without this font draws with; the deck "
            "is measured with both and sized for the wider. Default: the first substitute "
            "of the same generic family."
        ),
    )
    office_family: str | None = field(
        default=None,
        metadata=doc(
            "An Office font the deck names instead (e.g. Calibri), which every Office "
            "installation has; the files are then its metric-compatible twin (e.g. "
            "Carlito), used to measure the deck and to set the briefing, and the deck "
            "embeds nothing for this font."
        ),
    )

    @property
    def deck_family(self) -> str:
        """The family name the deck's runs and theme part give."""
        return self.office_family or self.family


@dataclass(frozen=True, slots=True)
class EmojiFont:
    """A colour emoji font: a fallback used only for emoji characters, never for digits."""

    family: str = field(metadata=doc("Family name as stored in the font file.", min_length=1))
    file: Path = field(metadata=doc("The font file (.ttf)."))
    licence: Path = field(metadata=doc("Licence text shipped with the font."))


Script = Literal["arabic", "hebrew", "cjk", "hangul", "devanagari", "thai", "cyrillic", "greek"]


@dataclass(frozen=True, slots=True)
class FallbackFace:
    """A font for the characters of other scripts than the text faces draw (Japanese, Arabic).

    It draws only what the text faces lack, in every output: the briefing's font stacks list
    it after them, and the deck sets it as the East Asian or complex-script typeface of its
    runs (PowerPoint's a:ea and a:cs) for the scripts it names."""

    family: str = field(metadata=doc("Family name as stored in the font file.", min_length=1))
    regular: Path = field(metadata=doc("Regular font file (.ttf or .otf)."))
    licence: Path = field(metadata=doc("Licence text shipped with the font (e.g. OFL.txt)."))
    scripts: tuple[Script, ...] = field(
        metadata=doc("The scripts it is for: cjk, arabic, hebrew, hangul, ...", min_items=1)
    )
    bold: Path | None = field(default=None, metadata=doc("Bold font file."))

    def files(self) -> dict[str, Path]:
        found = {"regular": self.regular, "bold": self.bold}
        return {k: v for k, v in found.items() if v is not None}

    def file(self, bold: bool = False) -> Path:
        return (self.bold if bold else None) or self.regular


@dataclass(frozen=True, slots=True)
class Fonts:
    heading: FontFace = field(metadata=doc("Titles and headings (set in its bold)."))
    body: FontFace = field(metadata=doc("Body text, bullets and tables."))
    mono: FontFace = field(metadata=doc("Code and figures."))
    emoji: EmojiFont | None = field(
        default=None,
        metadata=doc(
            "Fallback for emoji in the text and for emoji markers, so none shows as a box."
        ),
    )
    fallbacks: tuple[FallbackFace, ...] = field(
        default=(),
        metadata=doc("Fonts for characters of other scripts, tried in order after the text faces."),
    )
    substitutes: tuple[FaceFiles, ...] = field(
        default=(),
        metadata=doc(
            "Faces viewers draw when a theme font is missing (DejaVu Sans is LibreOffice's "
            "on a bare Linux): the deck is measured with these too, so it fits either way."
        ),
    )

    def substitute_for(self, face: FontFace) -> FaceFiles | None:
        """The face a viewer without `face` draws with (by name, else by generic family)."""
        if face.substitute:
            return next((s for s in self.substitutes if s.family == face.substitute), None)
        same = (s for s in self.substitutes if s.generic == face.generic)
        return next(same, self.substitutes[0] if self.substitutes else None)

    def for_scripts(self, scripts: frozenset[str]) -> FallbackFace | None:
        """The first fallback face meant for one of `scripts`."""
        return next((f for f in self.fallbacks if scripts & set(f.scripts)), None)

    def fallback_files(self) -> tuple[Path, ...]:
        return tuple(p for face in self.fallbacks for p in face.files().values())

    def role(self, role: FontRole) -> FontFace:
        return {"heading": self.heading, "body": self.body, "mono": self.mono}[role]

    def faces(self, roles: Iterable[FontRole] = FONT_ROLES) -> tuple[FontFace, ...]:
        """The text faces for `roles`, without repeating a family listed twice."""
        seen: dict[str, FontFace] = {}
        for role in roles:
            face = self.role(role)
            seen.setdefault(face.family, face)
        return tuple(seen.values())

    def files(self) -> tuple[Path, ...]:
        """Every text role's font files, each once, in a stable order."""
        roles = (self.heading, self.body, self.mono)
        return tuple(dict.fromkeys(p for face in roles for p in face.files().values()))

    def folders(self) -> tuple[Path, ...]:
        """The folders holding the font files, fallbacks and emoji included (fontconfig)."""
        files = [*self.files(), *self.fallback_files(), *([self.emoji.file] if self.emoji else [])]
        return tuple(sorted({Path(f).parent for f in files}))
