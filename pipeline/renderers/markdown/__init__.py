"""The `markdown` format: the document as clean Markdown for wikis, and for feeding Pandoc."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..contract import Part, ReadBack, Rendered, Renderer
from .options import Options as MarkdownOptions

if TYPE_CHECKING:
    from ...context import BuildContext
    from ...model import Document
    from ...tokens import Theme


class MarkdownRenderer(Renderer[MarkdownOptions]):
    name = "markdown"
    suffix = ".md"
    unit = ""
    description = "Clean Markdown (Pandoc-compatible) for wikis and other tools"
    cost = 0
    draws_text = False  # plain text: the reader's own fonts show it
    Options = MarkdownOptions

    def render(
        self, document: Document, theme: Theme, options: MarkdownOptions, context: BuildContext
    ) -> Rendered:
        from ...labels import labels_for
        from .writer import markdown

        return Rendered(markdown(document, labels_for(document, theme), options))

    def read_back(self, path: Path, theme: Theme) -> ReadBack:
        return ReadBack((Part(1, path.read_text(encoding="utf-8")),))
