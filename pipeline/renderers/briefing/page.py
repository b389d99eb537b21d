"""The self-contained screen page: the composed briefing with screen styles, every url()
inlined, fonts subset to the characters used and embedded as WOFF2 data: URIs, images and
icons as data: URIs.

The page refers to nothing outside itself, so publishing it on an intranet leaks no request
and needs no asset folder. Every file it inlines is read through the same AssetPolicy as
the PDF's fetcher.
"""

from __future__ import annotations

from pathlib import Path

from ...context import BuildContext
from ...coverage import JOINERS, is_emoji_range
from ...errors import Diagnostic, RenderError
from ...fetcher import AssetPolicy, data_uri
from ...model import MARKERS, Document
from ...tokens import Theme
from . import styles
from .compose import compose
from .glyphs import Glyphs
from .inline import inline_urls, subset_woff2
from .options import HtmlOptions
from .references import external_references
from .views import Page

# Characters every embedded face keeps besides the document's own: Latin-1 and common
# punctuation, so that audiences of one document share one cached subset per face.
BASE_CHARSET = (
    frozenset(range(0x20, 0x7F))
    | frozenset(range(0xA0, 0x100))
    | frozenset(range(0x2010, 0x2028))
    | frozenset(range(0x2030, 0x203B))
    | {0x20AC, 0x2122, 0x2192}
)


def render_page(
    document: Document, theme: Theme, options: HtmlOptions, build: BuildContext
) -> tuple[str, dict[str, bytes]]:
    """The briefing as one HTML string for screens, and the charts and fonts made for it."""
    made: dict[str, bytes] = {}

    def page_for(glyphs: Glyphs, policy: AssetPolicy) -> Page:
        return Page(
            media="screen",
            colors=theme.colors,
            asset_url=policy.data_url,
            toc=options.toc,
            takeaways=options.takeaways,
            chart_tables=options.chart_tables,
            chart_fonts=styles.chart_faces(theme, glyphs.needs_emoji),
            emoji=glyphs.needs_emoji,
            fallbacks=glyphs.fallbacks,
            emoji_markers=glyphs.emoji_markers,
            inline_css=stylesheet(theme, policy, glyphs, made),
        )

    draft = compose(document, theme, build, page_for)
    markup = draft.html
    problems = external_references(markup)
    if problems:
        raise RenderError(
            [
                Diagnostic(
                    "error",
                    "render.external-reference",
                    f"the page would refer to something outside itself: {problem}",
                    document.where,
                    f"a template of theme '{theme.name}' adds it; the page must be self-contained",
                )
                for problem in dict.fromkeys(problems)
            ]
        )
    return markup, made | draft.made


def stylesheet(theme: Theme, policy: AssetPolicy, glyphs: Glyphs, made: dict[str, bytes]) -> str:
    """Generated token rules, then the theme's screen stylesheets with url()s inlined (the
    fonts subset anew go into `made`)."""
    charset = BASE_CHARSET | glyphs.text
    emoji = frozenset(c for c in glyphs.text if is_emoji_range(c))
    emoji |= JOINERS
    emoji |= {ord(c) for m in glyphs.emoji_markers for c in MARKERS[m]}

    def font_url(path: Path, role: str) -> str:
        real = policy.check_path(path)
        keep = emoji if role == "emoji" else charset
        return data_uri(subset_woff2(real, keep, made), "font/woff2")

    parts = [
        styles.font_face_rules(
            theme, font_url, glyphs.needs_emoji, ("heading", "body"), glyphs.fallbacks
        ),
        styles.custom_properties(
            theme, theme.colors, "screen", "A4", glyphs.needs_emoji, glyphs.fallbacks
        ),
        styles.marker_rules(theme, theme.colors, policy, glyphs.emoji_markers),
    ]
    for path in styles.stylesheet_files(theme, "screen", policy):
        parts.append(f"/* {path.parent.parent.name}/styles/{path.name} */")
        parts.append(inline_urls(path.read_text(encoding="utf-8"), path.as_uri(), policy))
    return "\n".join(parts)
