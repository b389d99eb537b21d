"""WeasyPrint for the `pdf` medium: per-process caches, the safe fetcher, and the checks that
turn anything WeasyPrint logs, any font the theme did not name and any refused URL into a
RenderError instead of a non-conforming file.

Imported only when a PDF is rendered, so deck-only builds never load WeasyPrint.
"""

from __future__ import annotations

import logging
import os
import re
import threading
import warnings
from collections import OrderedDict
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType
from typing import Any, NamedTuple
from urllib.parse import urljoin

import weasyprint
from weasyprint.text.fonts import FontConfiguration

from ... import scratch
from ...context import BuildContext
from ...errors import Diagnostic, RenderError, SourceLocation
from ...fetcher import AssetPolicy, BlockedURL, asset_fetcher
from ...model import Document
from ...tokens import Theme
from ..contract import Rendered
from . import fontdates, hyphenation, references, styles, tagging, tuning, useragent
from .compose import blocked, compose
from .glyphs import Glyphs
from .options import PdfOptions
from .views import Page, end_anchor, section_anchor

VARIANTS = {"pdf/ua-1": "pdf/ua-1", "pdf/a-3b": "pdf/a-3b", "none": None}
_LOCK = threading.RLock()
_FONT_CONFIG: FontConfiguration | None = None
_OWNER = 0  # the process the caches below belong to
_INHERITED: list[FontConfiguration] = []  # font configurations a forked process got from its parent


class Sheets(NamedTuple):
    """A theme's parsed print stylesheets, what WeasyPrint logged while parsing them, and
    whether none of them could make a footnote or a note (`useragent`)."""

    parsed: list[Any]
    messages: tuple[Diagnostic, ...]
    no_notes: bool


_STYLESHEETS: OrderedDict[tuple[object, ...], Sheets] = OrderedDict()
_IMAGES: dict[str, Any] = {}  # WeasyPrint's image cache, shared by every render in the process
_MAX_STYLESHEETS = 16
_MAX_IMAGES = 256
tuning.install()
fontdates.install()


def render_briefing(
    document: Document, theme: Theme, options: PdfOptions, build: BuildContext
) -> Rendered:
    """Lay out and write the briefing; raise RenderError rather than write a bad file."""
    try:
        return _render(document, theme, options, build)
    except BaseException as exc:
        refused = refusal(exc)
        if refused is None:
            raise
        raise RenderError([blocked(refused, document, theme)]) from None


def refusal(exc: BaseException) -> BlockedURL | None:
    """The policy's refusal behind `exc`: raised directly, or carried out of WeasyPrint."""
    if isinstance(exc, BlockedURL):
        return exc
    carried = getattr(exc, "blocked", None)
    return carried if isinstance(carried, BlockedURL) else None


def _page(theme: Theme, options: PdfOptions) -> Any:
    def page_for(glyphs: Glyphs, policy: AssetPolicy) -> Page:
        # Assets go in as data: URIs (read through the policy): WeasyPrint names an image
        # after its URL, so file: URLs would put this checkout's paths into the bytes and
        # two checkouts of one commit would build different files.
        paper = options.paper or theme.paper
        return Page(
            media="print",
            colors=theme.paper_colors,
            asset_url=policy.data_url,
            toc=options.toc,
            takeaways=options.takeaways,
            paper=paper,
            variant=options.variant if options.variant != "none" else "",
            section_breaks=options.section_breaks,
            chart_tables=options.chart_tables,
            chart_width=styles.column_width(theme, paper),
            chart_height=styles.column_height(theme, paper),
            chart_fonts=styles.chart_faces(theme, glyphs.needs_emoji),
            emoji=glyphs.needs_emoji,
            fallbacks=glyphs.fallbacks,
            emoji_markers=glyphs.emoji_markers,
        )

    return page_for


def _render(document: Document, theme: Theme, options: PdfOptions, build: BuildContext) -> Rendered:
    draft = compose(document, theme, build, _page(theme, options))
    html, glyphs, policy, page = draft.html, draft.glyphs, draft.policy, draft.page
    base_url = theme.dirs[0].as_uri() + "/"
    _refuse_attachments(html, base_url, policy, document)
    pdf_options = {"pdf_variant": VARIANTS[options.variant], "pdf_identifier": True}
    hyphenation.prime(document.language, draft.made)
    sheets = _stylesheets(theme, page)
    fetcher = asset_fetcher(policy)
    with LogGuard(sheets.messages, document.where) as guard:
        laid_out = source(html, base_url, fetcher, sheets).render(
            stylesheets=sheets.parsed,
            font_config=font_config(),
            cache=_image_cache(),
            **pdf_options,
        )
        if laid_out.metadata.attachments or _attachment_links(laid_out):
            raise RenderError([_attachment(None, document)])
        with warnings.catch_warnings():
            # WeasyPrint 70 opens its sRGB profile for PDF/A's output intent and never
            # closes it (pdf/__init__.py): harmless, and not ours to leak into a caller's
            # -W error.
            warnings.filterwarnings("ignore", r"unclosed file .*sRGB2014\.icc", ResourceWarning)
            with tagging.painting_once():  # its pages let their boxes go once painted
                data = laid_out.write_pdf(**pdf_options)
    if fetcher.refused:
        raise fetcher.refused[0]
    guard.raise_if_any()
    _check_fonts(laid_out, theme, glyphs, document)
    return Rendered(data, len(laid_out.pages), placement(laid_out, document), draft.made)


def source(html: str, base_url: str, fetcher: Any, sheets: Sheets) -> Any:
    """The briefing's HTML parsed for WeasyPrint, with the user-agent stylesheet it needs."""
    parsed = weasyprint.HTML(string=html, base_url=base_url, url_fetcher=fetcher)
    if sheets.no_notes:
        useragent.quiet_user_agent(parsed)
    return parsed


# --- per-process caches ---------------------------------------------------------------------


def font_config() -> FontConfiguration:
    """One FontConfiguration per process: each @font-face is fetched and registered once."""
    global _FONT_CONFIG, _OWNER
    with _LOCK:
        if os.getpid() != _OWNER:
            # A forked worker builds its own, with stylesheets parsed against it. It keeps
            # the parent's object alive: collecting it would delete the parent's font folder.
            if _FONT_CONFIG is not None:
                _INHERITED.append(_FONT_CONFIG)
            _FONT_CONFIG, _OWNER = None, os.getpid()
            _STYLESHEETS.clear()
            _IMAGES.clear()
        if _FONT_CONFIG is None:
            _FONT_CONFIG = FontConfiguration()
            # WeasyPrint's own folder (mkdtemp) outlives a worker, which never collects it
            _FONT_CONFIG._folder = scratch.folder("fonts")
        return _FONT_CONFIG


def _image_cache() -> dict[str, Any]:
    with _LOCK:
        if len(_IMAGES) > _MAX_IMAGES:
            _IMAGES.clear()
        return _IMAGES


def _stylesheets(theme: Theme, page: Page) -> Sheets:
    """The parsed stylesheets for a theme and page setup, with what WeasyPrint logged while
    parsing them (cached per theme fingerprint: a bad stylesheet fails every build, not
    only the first in a process)."""
    key = (
        theme.fingerprint, theme.dirs, page.paper, page.variant, page.emoji, page.fallbacks,
        page.emoji_markers,
    )  # fmt: skip
    font_config()  # resets the caches in a freshly forked process
    with _LOCK:
        if key in _STYLESHEETS:
            _STYLESHEETS.move_to_end(key)
            return _STYLESHEETS[key]
        texts: list[str] = []
        with LogGuard() as guard:
            sheets = _parse_stylesheets(theme, page, guard, texts)
        parsed = Sheets(sheets, tuple(guard.found), not useragent.may_make_notes(texts))
        _STYLESHEETS[key] = parsed
        while len(_STYLESHEETS) > _MAX_STYLESHEETS:
            _STYLESHEETS.popitem(last=False)
        return parsed


def _parse_stylesheets(theme: Theme, page: Page, guard: LogGuard, texts: list[str]) -> list[Any]:
    """The stylesheets parsed, their texts appended to `texts`."""
    policy = AssetPolicy.of(theme.dirs)
    fetcher = asset_fetcher(policy)
    fonts = font_config()
    generated = "\n".join(
        [
            styles.font_face_rules(
                theme,
                lambda path, _role: policy.check_path(path).as_uri(),
                page.emoji,
                fallbacks=page.fallbacks,
            ),
            styles.custom_properties(
                theme, page.colors, "print", page.paper, page.emoji, page.fallbacks
            ),
            styles.page_rules(theme, page.paper),
            styles.marker_rules(theme, page.colors, policy, page.emoji_markers),
        ]
    )
    base = theme.dirs[0].as_uri() + "/"
    texts.append(generated)
    sheets = [
        weasyprint.CSS(string=generated, base_url=base, url_fetcher=fetcher, font_config=fonts)
    ]
    for path in styles.stylesheet_files(theme, "print", policy):
        guard.sheet = path  # what WeasyPrint says while parsing it is about this file
        texts.append(path.read_text(encoding="utf-8"))
        sheets.append(
            weasyprint.CSS(
                string=texts[-1],
                base_url=path.as_uri(),
                url_fetcher=fetcher,
                font_config=fonts,
            )
        )
    guard.sheet = None
    return sheets


# --- checks ---------------------------------------------------------------------------------


class LogGuard(logging.Handler):
    """Collects WeasyPrint's warnings and errors during one render (in this thread only).

    WeasyPrint logs a missing alt text, a missing glyph, an unloadable image or a CSS rule it
    ignored, and writes the file anyway; every one of those makes a briefing we would not
    send, so each fails the build. A message about a stylesheet ("... at 3:7") is located in
    that stylesheet; the others at `where` (the document).
    """

    def __init__(
        self, earlier: Iterable[Diagnostic] = (), where: SourceLocation | None = None
    ) -> None:
        super().__init__(logging.WARNING)
        self.thread = threading.get_ident()
        self.found: list[Diagnostic] = list(earlier)
        self.where = where
        self.sheet: Path | None = None  # the stylesheet being parsed
        self._logger = logging.getLogger("weasyprint")
        self._level = self._logger.level

    def emit(self, record: logging.LogRecord) -> None:
        if record.thread != self.thread:
            return
        message = record.getMessage()
        at = _POSITION.search(message)
        where = SourceLocation(self.sheet, int(at[1]), int(at[2])) if self.sheet and at else (
            SourceLocation.file(self.sheet) if self.sheet else self.where)  # fmt: skip
        hint = (
            "fix the rule at that line of the stylesheet"
            if self.sheet
            else "no PDF was written; fix the content or theme named in the message"
        )
        self.found.append(Diagnostic("error", "render.weasyprint",
                                     f"WeasyPrint reported: {record.levelname.lower()}: "
                                     f"{message}", where, hint))  # fmt: skip

    def __enter__(self) -> LogGuard:
        self._logger.addHandler(self)
        if self._logger.getEffectiveLevel() > logging.WARNING:
            self._logger.setLevel(logging.WARNING)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._logger.removeHandler(self)
        self._logger.setLevel(self._level)

    def raise_if_any(self) -> None:
        if self.found:
            raise RenderError(list(dict.fromkeys(self.found)))


_POSITION = re.compile(r"\bat (\d+):(\d+)\b")


def _check_fonts(laid_out: Any, theme: Theme, glyphs: Glyphs, document: Document) -> None:
    """The PDF may embed only the theme's families (and its emoji face when used)."""
    allowed = {f.family for f in theme.fonts.faces()} | set(glyphs.fallbacks)
    if glyphs.needs_emoji:
        allowed.add(styles.emoji_family(theme))
    used = sorted({font.family for font in laid_out.fonts.values()})
    stray = [f for f in used if f not in allowed]
    if stray:
        raise RenderError(
            [
                Diagnostic(
                    "error",
                    "render.stray-font",
                    f"the briefing would embed font '{family}', which "
                    f"theme '{theme.name}' does not name (it names {', '.join(sorted(allowed))})",
                    document.where,
                    "a stylesheet or template asks for another font-family",
                )
                for family in stray
            ]
        )


def _refuse_attachments(html: str, base_url: str, policy: AssetPolicy, document: Document) -> None:
    """A briefing never carries files: refuse <link rel=attachment> and <a rel=attachment>
    before WeasyPrint sees them (content cannot produce them; only a template can)."""
    for target in references.attachment_targets(html):
        url = urljoin(base_url, target)
        policy.resolve(url)  # a URL outside the policy is reported as such
        raise RenderError([_attachment(url, document)])


def _attachment_links(laid_out: Any) -> list[str]:
    return [
        target for page in laid_out.pages for kind, target, *_ in page.links if kind == "attachment"
    ]


def _attachment(url: str | None, document: Document) -> Diagnostic:
    what = f"'{url}'" if url else "a file"
    return Diagnostic(
        "error",
        "render.attachment",
        f"a template asks to embed {what} as a file attachment; briefings never embed files",
        document.where,
        'remove rel="attachment" from the theme\'s templates',
    )


def placement(laid_out: Any, document: Document) -> dict[str, tuple[int, ...]]:
    """Section id -> the 1-based pages it spans, from the anchors WeasyPrint laid out."""
    first: dict[str, int] = {}
    for number, page in enumerate(laid_out.pages, start=1):
        for anchor in page.anchors:
            first.setdefault(anchor, number)
    spans = {}
    for section in document.sections:
        anchor = section_anchor(section)
        start, end = first.get(anchor), first.get(end_anchor(section))
        if start is not None:
            spans[section.id] = tuple(range(start, (end or start) + 1))
    return spans
