"""The renderer contract: what every output format provides, and what it returns.

A format is one `Renderer` subclass in its own folder under `pipeline/renderers/`, listed in
the table in `pipeline/renderers/__init__.py`. It renders a document already selected for
one audience into bytes (only the build writes files), and reads a built file back into
plain text with a library other than the one that wrote it, for `twinpress verify`. Its
module imports heavy libraries inside its methods, so listing formats and decoding options
stays cheap and a deck-only build never imports WeasyPrint.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, Generic, Literal, TypeVar

if TYPE_CHECKING:
    from ..context import BuildContext
    from ..errors import Diagnostic
    from ..model import Document
    from ..themes import Theme

UnitName = Literal["slides", "pages", ""]
OptionsT = TypeVar("OptionsT")


@dataclass(frozen=True)
class Rendered:
    """A rendered output and what the build reports and records about it."""

    data: bytes
    units: int = 0
    placement: Mapping[str, tuple[int, ...]] = field(default_factory=dict)  # section id -> units
    made: Mapping[str, bytes] = field(default_factory=dict)  # to keep for later builds: `store`


@dataclass(frozen=True, slots=True)
class Part:
    """A slide, a page, or a headed part of a text format, as plain text."""

    number: int
    text: str


@dataclass(frozen=True)
class ReadBack:
    """A built file's text as its reader found it, and how to match against it.

    `same_glyph` maps characters the file cannot tell apart to one of them (a PDF's text
    layer names one character per glyph); `whole_units` says a unit belongs to one section
    (a slide), so a section starts at a unit boundary; `data` says the file keeps charts'
    numbers as data (a deck's chart parts), so verify checks the values too.
    """

    parts: tuple[Part, ...]
    same_glyph: Mapping[int, str] | None = None
    whole_units: bool = False
    data: bool = False


class Renderer(ABC, Generic[OptionsT]):
    """One output format."""

    name: ClassVar[str]  # on the command line and in profiles' `options:`
    suffix: ClassVar[str]  # of the output file, e.g. ".pptx"
    unit: ClassVar[UnitName]  # what `Rendered.units` counts
    description: ClassVar[str]  # one line for `twinpress build --help`
    cost: ClassVar[int] = 1  # relative render time: pools start the dearest first
    draws_text: ClassVar[bool] = True  # sets text in the theme's fonts (glyphs are checked)
    Options: type[OptionsT]  # the frozen dataclass profiles' options decode into

    def warm(self) -> None:
        """Import this format's libraries before the first job needs them (warm pools)."""

    @abstractmethod
    def render(
        self, document: Document, theme: Theme, options: OptionsT, context: BuildContext
    ) -> Rendered:
        """The output for a document already selected for one audience."""

    @abstractmethod
    def read_back(self, path: Path, theme: Theme) -> ReadBack:
        """The text of a built file, read independently of this renderer's own code."""

    def check_theme(self, theme: Theme) -> list[Diagnostic]:
        """Problems this format finds in a theme, at the theme's lines (a deck's template
        layouts and backgrounds, say); every build and `twinpress check` report them."""
        return []

    @property
    def unit_label(self) -> str:
        """What verify calls one unit: 'slides', 'pages', or 'parts' for text formats."""
        return self.unit or "parts"
