"""The table of output formats: each a typed `Renderer` in its own folder, imported when used.

Adding a format is one folder (a `Renderer` subclass with its options and its reader) and
one line here; nothing else in twinpress names formats.
"""

from __future__ import annotations

import importlib
from functools import cache
from typing import Any

from ..errors import ContentError, Diagnostic, one_of, suggest
from .contract import Part, ReadBack, Rendered, Renderer

__all__ = ["DEFAULT_FORMATS", "RENDERERS", "Part", "ReadBack", "Rendered", "Renderer", "get"]

RENDERERS: dict[str, str] = {
    "pptx": "pipeline.renderers.pptx:PptxRenderer",
    "pdf": "pipeline.renderers.briefing.pdf:PdfRenderer",
    "html": "pipeline.renderers.briefing.html:HtmlRenderer",
    "markdown": "pipeline.renderers.markdown:MarkdownRenderer",
}
# What `twinpress build` makes when no --format is given (markdown is on request).
DEFAULT_FORMATS: tuple[str, ...] = ("pptx", "pdf", "html")


@cache
def get(name: str) -> Renderer[Any]:
    """The renderer for a format; an unknown name lists the available ones."""
    if name not in RENDERERS:
        hint = suggest(name, RENDERERS) or f"formats are {one_of(RENDERERS)}"
        raise ContentError(
            [Diagnostic("error", "format.unknown", f"unknown format '{name}'", None, hint)]
        )
    module, _, cls = RENDERERS[name].partition(":")
    renderer: Renderer[Any] = getattr(importlib.import_module(module), cls)()
    return renderer
