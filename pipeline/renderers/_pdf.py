"""WeasyPrint for the `pdf` renderer: per-process caches, the safe fetcher, and the checks that
turn anything WeasyPrint logs, any font the theme did not name and any refused URL into a
RenderError instead of a non-conforming file.

Imported only when a PDF is rendered, so deck-only builds never load WeasyPrint.
"""

from __future__ import annotations

import logging
import os
import threading
import warnings
from collections import OrderedDict
from pathlib import Path
from typing import TYPE_CHECKING, Iterable
from urllib.parse import urljoin

import weasyprint
from weasyprint.text.fonts import FontConfiguration

from ..errors import Diagnostic, RenderError, SourceLocation
from ..fetcher import AssetPolicy, BlockedURL, asset_fetcher, data_uri, mime_type
from ..model import Document
from . import Rendered, _html, _styles
from ._html import Glyphs, Page

if TYPE_CHECKING:
    from ..themes import Theme
    from .pdf import Options

VARIANTS = {"pdf/ua-1": "pdf/ua-1", "pdf/a-3b": "pdf/a-3b", "none": None}
_LOCK = threading.RLock()
_FONT_CONFIG: FontConfiguration | None = None
_OWNER = 0                  # the process the caches below belong to
_INHERITED: list = []       # font configurations a forked process got from its parent
_STYLESHEETS: OrderedDict[tuple, tuple[list, tuple[str, ...]]] = OrderedDict()
_IMAGES: dict = {}          # WeasyPrint's image cache, shared by every render in the process
_MAX_STYLESHEETS = 16
_MAX_IMAGES = 256


def render_briefing(document: Document, theme: "Theme", options: "Options") -> Rendered:
    """Lay out and write the briefing; raise RenderError rather than write a bad file."""
    try:
        return _render(document, theme, options)
    except BaseException as exc:
        blocked = refusal(exc)
        if blocked is None:
            raise
        raise RenderError([_blocked(blocked, document, theme)]) from None


def refusal(exc: BaseException) -> BlockedURL | None:
    """The policy's refusal behind `exc`: raised directly, or carried out of WeasyPrint."""
    if isinstance(exc, BlockedURL):
        return exc
    blocked = getattr(exc, "blocked", None)
    return blocked if isinstance(blocked, BlockedURL) else None


def _render(document: Document, theme: "Theme", options: "Options") -> Rendered:
    glyphs = _html.check_glyphs(document, theme)
    policy = _html.asset_policy(document, theme)
    page = Page(media="print", colors=theme.paper_colors, asset_url=_inline(policy),
                toc=options.toc, paper=options.paper or theme.paper,
                variant=options.variant if options.variant != "none" else "",
                section_breaks=options.section_breaks, emoji=glyphs.needs_emoji,
                emoji_markers=glyphs.emoji_markers)
    html = _html.render_html(document, theme, page)
    base_url = theme.dirs[0].as_uri() + "/"
    _refuse_attachments(html, base_url, policy, document)
    pdf_options = {"pdf_variant": VARIANTS[options.variant], "pdf_identifier": True}
    stylesheets, css_messages = _stylesheets(theme, page)
    fetcher = asset_fetcher(policy)
    with LogGuard(css_messages) as guard:
        laid_out = weasyprint.HTML(string=html, base_url=base_url,
                                   url_fetcher=fetcher).render(
            stylesheets=stylesheets, font_config=font_config(), cache=_image_cache(),
            **pdf_options)
        if laid_out.metadata.attachments or _attachment_links(laid_out):
            raise RenderError([_attachment(None, document)])
        with warnings.catch_warnings():
            # WeasyPrint 70 opens its sRGB profile for PDF/A's output intent and never
            # closes it (pdf/__init__.py): harmless, and not ours to leak into a caller's
            # -W error.
            warnings.filterwarnings("ignore", r"unclosed file .*sRGB2014\.icc",
                                    ResourceWarning)
            data = laid_out.write_pdf(**pdf_options)
    if fetcher.refused:
        raise fetcher.refused[0]
    guard.raise_if_any(document)
    _check_fonts(laid_out, theme, glyphs, document)
    return Rendered(data, len(laid_out.pages), placement(laid_out, document))


def _inline(policy: AssetPolicy):
    # Assets go in as data: URIs (read through the policy): WeasyPrint names an image after
    # its URL, so file: URLs would put this checkout's paths into the bytes and two
    # checkouts of one commit would build different files.
    def url(path: Path) -> str:
        real = policy.check_path(path)
        return data_uri(real.read_bytes(), mime_type(real))

    return url


# --- per-process caches ---------------------------------------------------------------------


def font_config() -> FontConfiguration:
    """One FontConfiguration per process: each @font-face is fetched and registered once."""
    global _FONT_CONFIG, _OWNER
    with _LOCK:
        if _OWNER != os.getpid():
            # A forked worker builds its own, with stylesheets parsed against it. It keeps
            # the parent's object alive: collecting it would delete the parent's font folder.
            if _FONT_CONFIG is not None:
                _INHERITED.append(_FONT_CONFIG)
            _FONT_CONFIG, _OWNER = None, os.getpid()
            _STYLESHEETS.clear()
            _IMAGES.clear()
        if _FONT_CONFIG is None:
            _FONT_CONFIG = FontConfiguration()
        return _FONT_CONFIG


def _image_cache() -> dict:
    with _LOCK:
        if len(_IMAGES) > _MAX_IMAGES:
            _IMAGES.clear()
        return _IMAGES


def _stylesheets(theme: "Theme", page: Page) -> tuple[list, tuple[str, ...]]:
    """The parsed stylesheets for a theme and page setup, with what WeasyPrint logged while
    parsing them (cached per theme fingerprint: a bad stylesheet fails every build, not
    only the first in a process)."""
    key = (theme.fingerprint, theme.dirs, page.paper, page.variant, page.emoji,
           page.emoji_markers)
    font_config()               # resets the caches in a freshly forked process
    with _LOCK:
        if key in _STYLESHEETS:
            _STYLESHEETS.move_to_end(key)
            return _STYLESHEETS[key]
        with LogGuard() as guard:
            sheets = _parse_stylesheets(theme, page)
        sheets = (sheets, tuple(guard.messages))
        _STYLESHEETS[key] = sheets
        while len(_STYLESHEETS) > _MAX_STYLESHEETS:
            _STYLESHEETS.popitem(last=False)
        return sheets


def _parse_stylesheets(theme: "Theme", page: Page) -> list:
    policy = AssetPolicy.of(theme.dirs)
    fetcher = asset_fetcher(policy)
    fonts = font_config()
    generated = "\n".join([
        _styles.font_face_rules(theme, lambda path, _role: policy.check_path(path).as_uri(),
                                page.emoji),
        _styles.custom_properties(theme, page.colors, "print", page.paper, page.emoji),
        _styles.page_rules(theme, page.paper),
        _styles.marker_rules(theme, page.colors, policy, page.emoji_markers),
    ])
    base = theme.dirs[0].as_uri() + "/"
    sheets = [weasyprint.CSS(string=generated, base_url=base, url_fetcher=fetcher,
                             font_config=fonts)]
    for path in _styles.stylesheet_files(theme, "print", policy):
        sheets.append(weasyprint.CSS(string=path.read_text(encoding="utf-8"),
                                     base_url=path.as_uri(), url_fetcher=fetcher,
                                     font_config=fonts))
    return sheets


# --- checks ---------------------------------------------------------------------------------


class LogGuard(logging.Handler):
    """Collects WeasyPrint's warnings and errors during one render (in this thread only).

    WeasyPrint logs a missing alt text, a missing glyph, an unloadable image or a CSS rule it
    ignored, and writes the file anyway; every one of those makes a briefing we would not
    send, so each fails the build.
    """

    def __init__(self, earlier: Iterable[str] = ()) -> None:
        super().__init__(logging.WARNING)
        self.thread = threading.get_ident()
        self.messages: list[str] = list(earlier)
        self._logger = logging.getLogger("weasyprint")
        self._level = self._logger.level

    def emit(self, record: logging.LogRecord) -> None:
        if record.thread == self.thread:
            self.messages.append(f"{record.levelname.lower()}: {record.getMessage()}")

    def __enter__(self) -> "LogGuard":
        self._logger.addHandler(self)
        if self._logger.getEffectiveLevel() > logging.WARNING:
            self._logger.setLevel(logging.WARNING)
        return self

    def __exit__(self, *exc) -> None:
        self._logger.removeHandler(self)
        self._logger.setLevel(self._level)

    def raise_if_any(self, document: Document) -> None:
        if self.messages:
            raise RenderError([Diagnostic(
                "error", "render.weasyprint", f"WeasyPrint reported: {m}", _where(document),
                "no PDF was written; fix the content or theme named in the message")
                for m in dict.fromkeys(self.messages)])


def _check_fonts(laid_out, theme: "Theme", glyphs: Glyphs, document: Document) -> None:
    """The PDF may embed only the theme's families (and its emoji face when used)."""
    allowed = {f.family for f in _styles.faces(theme)}
    if glyphs.needs_emoji:
        allowed.add(_styles.emoji_family(theme))
    used = sorted({font.family for font in laid_out.fonts.values()})
    stray = [f for f in used if f not in allowed]
    if stray:
        raise RenderError([Diagnostic(
            "error", "render.stray-font", f"the briefing would embed font '{family}', which "
            f"theme '{theme.name}' does not name (it names {', '.join(sorted(allowed))})",
            _where(document), "a stylesheet or template asks for another font-family")
            for family in stray])


def _refuse_attachments(html: str, base_url: str, policy: AssetPolicy,
                        document: Document) -> None:
    """A briefing never carries files: refuse <link rel=attachment> and <a rel=attachment>
    before WeasyPrint sees them (content cannot produce them; only a template can)."""
    for target in _html.attachment_targets(html):
        url = urljoin(base_url, target)
        policy.resolve(url)            # a URL outside the policy is reported as such
        raise RenderError([_attachment(url, document)])


def _attachment_links(laid_out) -> list[str]:
    return [target for page in laid_out.pages for kind, target, *_ in page.links
            if kind == "attachment"]


def _attachment(url: str | None, document: Document) -> Diagnostic:
    what = f"'{url}'" if url else "a file"
    return Diagnostic("error", "render.attachment", f"a template asks to embed {what} as a "
                      "file attachment; briefings never embed files", _where(document),
                      "remove rel=\"attachment\" from the theme's templates")


def _blocked(blocked: BlockedURL, document: Document | None, theme: "Theme") -> Diagnostic:
    return Diagnostic("error", "render.blocked-url", str(blocked), _where(document),
                      f"theme '{theme.name}' or the content refers to it; outputs may use "
                      "only files inside the theme folders and the content's images")


def _where(document: Document | None) -> SourceLocation | None:
    return SourceLocation(document.path, 1, 1) if document and document.path else None


def placement(laid_out, document: Document) -> dict[str, tuple[int, ...]]:
    """Section id -> the 1-based pages it spans, from the anchors WeasyPrint laid out."""
    first: dict[str, int] = {}
    for number, page in enumerate(laid_out.pages, start=1):
        for anchor in page.anchors:
            first.setdefault(anchor, number)
    spans = {}
    for section in document.sections:
        anchor = _html.section_anchor(section)
        start, end = first.get(anchor), first.get(_html.end_anchor(section))
        if start is not None:
            spans[section.id] = tuple(range(start, (end or start) + 1))
    return spans
