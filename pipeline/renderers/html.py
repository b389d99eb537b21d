"""The `html` renderer: the briefing's templates with screen styles, as one self-contained file."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import RenderError
from ..model import Document, doc

NAME = "html"
SUFFIX = ".html"
UNIT = ""
DESCRIPTION = "Self-contained HTML briefing (fonts and images inlined) for intranets"


@dataclass(frozen=True)
class Options:
    toc: bool = field(default=True, metadata=doc("A linked table of contents."))


def render(document: Document, theme, options: Options) -> bytes:
    raise RenderError("the html renderer is not implemented yet")
