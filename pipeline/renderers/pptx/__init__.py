"""The `pptx` format: a native, editable PowerPoint deck built with python-pptx.

`master` draws the master from the tokens (or opens a corporate template), `planner` and
`slides` decide what goes on which slide into pure `SlidePlan`s, `draw` makes them slides,
`ooxml` holds everything python-pptx has no API for, `measure` and `overflow` size and
check text with the theme's own fonts, `readback` reads a deck for `twinpress verify`.
This module only names the format; the rest is imported when a deck is rendered.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..contract import ReadBack, Rendered, Renderer
from .options import Options as DeckOptions

if TYPE_CHECKING:
    from ...context import BuildContext
    from ...errors import Diagnostic
    from ...model import Document
    from ...tokens import Theme


class PptxRenderer(Renderer[DeckOptions]):
    name = "pptx"
    suffix = ".pptx"
    unit = "slides"
    description = "Editable PowerPoint deck (16:9), on the theme's master"
    cost = 2
    Options = DeckOptions

    def warm(self) -> None:
        from . import deck  # noqa: F401  (python-pptx and the planner)

    def render(
        self, document: Document, theme: Theme, options: DeckOptions, context: BuildContext
    ) -> Rendered:
        from .deck import render_deck

        return render_deck(document, theme, options, context)

    def check_theme(self, theme: Theme) -> list[Diagnostic]:
        if theme.pptx.template is None:  # nothing to check: python-pptx stays unloaded
            return []
        from .template_checks import template_problems

        return template_problems(theme)

    def read_back(self, path: Path, theme: Theme) -> ReadBack:
        from .readback import read_deck

        return read_deck(path)
