"""The renderer registry: one table of output formats, each a module imported only when used.

A renderer module defines:
    NAME: str                    the format name used on the command line and in profiles
    SUFFIX: str                  the output file's suffix, e.g. ".pptx"
    DESCRIPTION: str             one line for `twinpress build --help`
    UNIT: str                    what `units` counts: "slides", "pages" or "" (for text formats)
    Options                      a frozen dataclass of the options audience profiles may set
    render(document, theme, options) -> bytes
and may define `render_report(document, theme, options) -> Rendered`, which also says how
many slides or pages it made and where each section landed. Modules import their heavy
libraries inside the functions, so listing formats or reading options stays cheap and a
deck-only build never imports WeasyPrint.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from types import ModuleType
from typing import TYPE_CHECKING, Any, Mapping

from ..errors import ContentError, Diagnostic, one_of, suggest

if TYPE_CHECKING:
    from ..model import Document
    from ..themes import Theme

RENDERERS: dict[str, str] = {
    "pptx": "pipeline.renderers.pptx",
    "pdf": "pipeline.renderers.pdf",
    "html": "pipeline.renderers.html",
    "markdown": "pipeline.renderers.markdown",
}
# What `twinpress build` makes when no --format is given (markdown is on request).
DEFAULT_FORMATS: tuple[str, ...] = ("pptx", "pdf", "html")


@dataclass(frozen=True)
class Rendered:
    """A renderer's output and what the build reports and records about it."""

    data: bytes
    units: int = 0
    placement: Mapping[str, tuple[int, ...]] = field(default_factory=dict)  # section id -> units


def names() -> list[str]:
    return list(RENDERERS)


def get(name: str) -> ModuleType:
    """The renderer module for a format; an unknown name lists the available ones."""
    if name not in RENDERERS:
        hint = suggest(name, RENDERERS) or f"formats are {one_of(RENDERERS)}"
        raise ContentError([Diagnostic("error", "format.unknown",
                                       f"unknown format '{name}'", None, hint)])
    return importlib.import_module(RENDERERS[name])


def render(name: str, document: "Document", theme: "Theme", options: Any) -> Rendered:
    """Render through the module's richest entry point."""
    module = get(name)
    if hasattr(module, "render_report"):
        return module.render_report(document, theme, options)
    return Rendered(module.render(document, theme, options))
