"""The briefing's one pipeline, shared by its two media (pdf and html).

glyph check -> asset policy -> page settings -> templates -> HTML, with any file the policy
refuses reported as `render.blocked-url`. The media differ only in the `Page` they ask for
(print or screen colours, how assets are addressed, inline styles) and in what they do with
the HTML: WeasyPrint lays it out, or it is the page itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ...context import BuildContext
from ...errors import Diagnostic, RenderError
from ...fetcher import AssetPolicy, BlockedURL
from ...model import Document, Image
from ...tokens import Theme
from .glyphs import Glyphs, check_glyphs
from .templates import render_html
from .views import Page, context

PageFor = Callable[[Glyphs, AssetPolicy], Page]


@dataclass(frozen=True)
class Draft:
    """The briefing's HTML, and what a medium needs to finish it."""

    html: str
    glyphs: Glyphs
    policy: AssetPolicy
    page: Page
    made: dict[str, bytes]  # charts drawn for it, for the build to keep (`store`)


def compose(document: Document, theme: Theme, build: BuildContext, page_for: PageFor) -> Draft:
    """Check the glyphs, fix the policy, and render the templates for the medium's page."""
    glyphs = check_glyphs(document, theme)
    policy = asset_policy(document, theme)
    made: dict[str, bytes] = {}
    try:
        page = page_for(glyphs, policy)
        html = render_html(
            document, theme, lambda: context(document, theme, page, build, made), made
        )
    except BlockedURL as exc:
        raise RenderError([blocked(exc, document, theme)]) from None
    return Draft(html, glyphs, policy, page, made)


def asset_policy(document: Document, theme: Theme) -> AssetPolicy:
    """The theme's folders and the document's own images: nothing else may be read."""
    images = [
        b.path
        for s in document.sections
        for b in s.blocks
        if isinstance(b, Image) and b.path is not None
    ]
    return AssetPolicy.of(theme.dirs, images)


def blocked(refused: BlockedURL, document: Document | None, theme: Theme) -> Diagnostic:
    return Diagnostic(
        "error",
        "render.blocked-url",
        str(refused),
        document.where if document else None,
        f"theme '{theme.name}' or the content refers to it; outputs may use "
        "only files inside the theme folders and the content's images",
    )
