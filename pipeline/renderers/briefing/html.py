"""The `html` format: the briefing for screens, one self-contained file (page.py)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..contract import ReadBack, Rendered, Renderer
from .options import HtmlOptions

if TYPE_CHECKING:
    from ...context import BuildContext
    from ...model import Document
    from ...tokens import Theme


class HtmlRenderer(Renderer[HtmlOptions]):
    name = "html"
    suffix = ".html"
    unit = ""
    description = "Self-contained HTML briefing (fonts and images inlined) for intranets"
    cost = 1
    Options = HtmlOptions

    def warm(self) -> None:
        from . import page  # noqa: F401  (Jinja2, the font subsetter)

    def render(
        self, document: Document, theme: Theme, options: HtmlOptions, context: BuildContext
    ) -> Rendered:
        from .page import render_page

        markup, made = render_page(document, theme, options, context)
        return Rendered(markup.encode("utf-8"), made=made)

    def read_back(self, path: Path, theme: Theme) -> ReadBack:
        from .readback import read_html

        return read_html(path)
