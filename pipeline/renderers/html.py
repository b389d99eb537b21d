"""The `html` renderer: the briefing's templates with screen styles, as one self-contained file."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..model import Document, doc

if TYPE_CHECKING:
    from ..themes import Theme

NAME = "html"
SUFFIX = ".html"
UNIT = ""
DESCRIPTION = "Self-contained HTML briefing (fonts and images inlined) for intranets"


@dataclass(frozen=True)
class Options:
    toc: bool = field(default=True, metadata=doc("A linked table of contents."))


def warm() -> None:
    """Import the page's modules (Jinja2, the font subsetter) before the first job."""
    from . import _screen  # noqa: F401


def render(document: Document, theme: "Theme", options: Options) -> bytes:
    """Return the briefing as one UTF-8 HTML page that refers to nothing outside itself."""
    from ._screen import render_page

    return render_page(document, theme, options).encode("utf-8")
