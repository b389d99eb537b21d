"""The `pdf` renderer: the branded briefing, Jinja2 HTML rendered by WeasyPrint."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from ..model import Document, doc

if TYPE_CHECKING:
    from ..themes import Theme
    from . import Rendered

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
    section_breaks: Literal["flow", "page"] = field(default="flow", metadata=doc(
        "Where sections start: 'flow' continues on the same page after generous space "
        "(no half-empty pages); 'page' starts every section on a new page."))


def warm() -> None:
    """Import WeasyPrint and the briefing's modules (0.9 s) before the first job needs them."""
    from . import _pdf  # noqa: F401


def render(document: Document, theme: "Theme", options: Options) -> bytes:
    """Return the briefing as PDF bytes."""
    return render_report(document, theme, options).data


def render_report(document: Document, theme: "Theme", options: Options) -> "Rendered":
    """Return the briefing, its page count, and the pages each section spans."""
    from ._pdf import render_briefing

    return render_briefing(document, theme, options)
