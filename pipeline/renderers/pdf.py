"""The `pdf` renderer: the branded briefing, Jinja2 HTML rendered by WeasyPrint."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from ..errors import RenderError
from ..model import Document, doc

NAME = "pdf"
SUFFIX = ".pdf"
UNIT = "pages"
DESCRIPTION = "Branded PDF briefing (tagged PDF/UA-1), via WeasyPrint"


@dataclass(frozen=True)
class Options:
    paper: Literal["A4", "Letter"] | None = field(default=None, metadata=doc(
        "Paper size; unset follows the theme."))
    toc: bool = field(default=True, metadata=doc("A table of contents with page numbers."))
    variant: Literal["pdf/ua-1", "pdf/a-3b", "none"] = field(default="pdf/ua-1", metadata=doc(
        "PDF standard: tagged PDF/UA-1 (accessible), PDF/A-3b (archival), or none."))


def render(document: Document, theme, options: Options) -> bytes:
    raise RenderError("the pdf renderer is not implemented yet")
