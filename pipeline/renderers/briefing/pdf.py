"""The `pdf` format: the branded briefing, the composed HTML laid out by WeasyPrint."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..contract import ReadBack, Rendered, Renderer
from .options import PdfOptions

if TYPE_CHECKING:
    from ...context import BuildContext
    from ...model import Document
    from ...tokens import Theme


class PdfRenderer(Renderer[PdfOptions]):
    name = "pdf"
    suffix = ".pdf"
    unit = "pages"
    description = "Branded PDF briefing (tagged PDF/UA-1), via WeasyPrint"
    cost = 3
    Options = PdfOptions

    def warm(self) -> None:
        _import_weasyprint()

    def render(
        self, document: Document, theme: Theme, options: PdfOptions, context: BuildContext
    ) -> Rendered:
        _import_weasyprint()
        if document.recipient is not None:  # `twinpress batch`: share the body's layout
            from .shared import render_personalised

            return render_personalised(document, theme, options, context)
        from .weasy import render_briefing

        return render_briefing(document, theme, options, context)

    def read_back(self, path: Path, theme: Theme) -> ReadBack:
        from .readback import read_pdf

        return read_pdf(path, theme)


def _import_weasyprint() -> None:
    """WeasyPrint and the briefing's tuning of it (0.4 s), before anything else imports it."""
    from .libraries import import_weasyprint

    import_weasyprint()
    from . import weasy  # noqa: F401
