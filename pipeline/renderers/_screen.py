"""The self-contained screen page: theme stylesheets with every url() inlined, fonts subset to
the characters used and embedded as WOFF2 data: URIs, images and icons as data: URIs.

The page refers to nothing outside itself, so publishing it on an intranet leaks no request
and needs no asset folder. Every file it inlines is read through the same AssetPolicy as
the PDF's fetcher.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urljoin

from ..errors import Diagnostic, RenderError, SourceLocation
from ..fetcher import AssetPolicy, BlockedURL, data_uri, mime_type
from ..model import MARKERS, Document
from . import _glyphs, _html, _styles
from ._html import Page

if TYPE_CHECKING:
    from ..themes import Theme
    from .html import Options

# Characters every embedded face keeps besides the document's own: Latin-1 and common
# punctuation, so that audiences of one document share one cached subset per face.
BASE_CHARSET = frozenset(range(0x20, 0x7F)) | frozenset(range(0xA0, 0x100)) | frozenset(
    range(0x2010, 0x2028)) | frozenset(range(0x2030, 0x203B)) | {0x20AC, 0x2122, 0x2192}
MAX_IMPORT_DEPTH = 8


def render_page(document: Document, theme: "Theme", options: "Options") -> str:
    """The briefing as one HTML string for screens."""
    glyphs = _html.check_glyphs(document, theme)
    policy = _html.asset_policy(document, theme)
    try:
        css = stylesheet(theme, policy, glyphs)
        page = Page(media="screen", colors=theme.colors, asset_url=_inline(policy),
                    toc=options.toc, emoji=glyphs.needs_emoji,
                    emoji_markers=glyphs.emoji_markers, inline_css=css)
        markup = _html.render_html(document, theme, page)
    except BlockedURL as exc:
        raise RenderError([Diagnostic(
            "error", "render.blocked-url", str(exc), _where(document),
            f"theme '{theme.name}' or the content refers to it; the page may inline only "
            "files inside the theme folders and the content's images")]) from None
    problems = _html.external_references(markup)
    if problems:
        raise RenderError([Diagnostic(
            "error", "render.external-reference", f"the page would refer to something "
            f"outside itself: {problem}", _where(document),
            f"a template of theme '{theme.name}' adds it; the page must be self-contained")
            for problem in dict.fromkeys(problems)])
    return markup


def _inline(policy: AssetPolicy):
    def url(path: Path) -> str:
        real = policy.check_path(path)
        return data_uri(real.read_bytes(), mime_type(real))

    return url


def _where(document: Document) -> SourceLocation | None:
    return SourceLocation(document.path, 1, 1) if document.path else None


def stylesheet(theme: "Theme", policy: AssetPolicy, glyphs: _html.Glyphs) -> str:
    """Generated token rules, then the theme's screen stylesheets with url()s inlined."""
    charset = BASE_CHARSET | glyphs.text
    emoji = frozenset(c for c in glyphs.text if _glyphs.is_emoji_range(c)) | _glyphs.JOINERS
    emoji |= {ord(c) for m in glyphs.emoji_markers for c in MARKERS[m]}

    def font_url(path: Path, role: str) -> str:
        real = policy.check_path(path)
        keep = emoji if role == "emoji" else charset
        return data_uri(_glyphs.subset_woff2(real, keep), "font/woff2")

    parts = [
        _styles.font_face_rules(theme, font_url, glyphs.needs_emoji, roles=("heading", "body")),
        _styles.custom_properties(theme, theme.colors, "screen", "A4", glyphs.needs_emoji),
        _styles.marker_rules(theme, theme.colors, policy, glyphs.emoji_markers),
    ]
    for path in _styles.stylesheet_files(theme, "screen", policy):
        parts.append(f"/* {path.parent.parent.name}/styles/{path.name} */")
        parts.append(inline_urls(path.read_text(encoding="utf-8"), path.as_uri(), policy))
    return "\n".join(parts)


def inline_urls(css: str, base_url: str, policy: AssetPolicy, depth: int = 0) -> str:
    """`css` with every url() made a data: URI and every @import replaced by its rules.

    tinycss2 tokenises the way browsers do, so an escaped `\\75 rl(` is found too; a URL
    the policy refuses raises BlockedURL.
    """
    import tinycss2

    rules = tinycss2.parse_stylesheet(css, skip_comments=True)
    out = []
    for rule in rules:
        if rule.type == "at-rule" and rule.lower_at_keyword == "import":
            out.append(_imported(rule, base_url, policy, depth))
            continue
        _rewrite(rule, base_url, policy)
        out.append(rule.serialize())
    return "".join(out)


def _imported(rule, base_url: str, policy: AssetPolicy, depth: int) -> str:
    import tinycss2

    if depth >= MAX_IMPORT_DEPTH:
        raise BlockedURL(base_url, f"@import nests deeper than {MAX_IMPORT_DEPTH}")
    tokens = [t for t in rule.prelude if t.type not in ("whitespace", "comment")]
    target = _url_of(tokens[0]) if tokens else None
    if target is None:
        raise BlockedURL(tinycss2.serialize(rule.prelude).strip(), "an @import without a URL")
    url = urljoin(base_url, target)
    data, _mime = policy.read(url)
    inner = inline_urls(data.decode("utf-8"), url, policy, depth + 1)
    media = tinycss2.serialize(tokens[1:]).strip()
    return f"@media {media} {{\n{inner}\n}}" if media else inner


def _url_of(token) -> str | None:
    if token.type == "url":
        return token.value
    if token.type == "string":
        return token.value
    if token.type == "function" and token.lower_name == "url":
        strings = [a for a in token.arguments if a.type == "string"]
        return strings[0].value if strings else None
    return None


def _rewrite(node, base_url: str, policy: AssetPolicy) -> None:
    """Replace, in place, every url() under `node` by the data: URI of what it names."""
    for attr in ("prelude", "content", "arguments"):
        children = getattr(node, attr, None)
        if not isinstance(children, list):
            continue
        for i, child in enumerate(children):
            if child.type == "url" or (child.type == "function" and child.lower_name == "url"):
                children[i] = _inlined(child, base_url, policy)
            else:
                _rewrite(child, base_url, policy)


def _inlined(token, base_url: str, policy: AssetPolicy):
    from tinycss2.ast import URLToken

    target = _url_of(token) or ""
    if target.startswith("#"):        # a reference inside the document (SVG filters)
        return token
    data, mime = policy.read(urljoin(base_url, target))
    return URLToken(token.source_line, token.source_column, data_uri(data, mime),
                    f"url({data_uri(data, mime)})")
