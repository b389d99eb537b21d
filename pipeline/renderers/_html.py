"""The briefing as HTML: the Jinja2 environment over the theme chain and the document's context.

Both the `pdf` and `html` renderers call `render_html`. Templates live in each theme's
`templates/` folder and are looked up child first, so a theme overrides one template by
shipping a file of the same name; `{% extends "!base/section.html.j2" %}` reaches the named
theme's own copy. Templates only ever see plain values (strings, numbers, tuples and
namespaces of them), never model objects or paths, and run in Jinja's sandbox with
autoescaping on, so neither content nor a theme can read files or inject markup.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Callable, Literal

from .. import __version__
from ..errors import Diagnostic, RenderError
from ..fetcher import AssetPolicy
from ..model import (BulletItem, Bullets, CallToAction, Column, Comparison, Document,
                     Heading, Image, Section, Table, block_texts, yaml_fields)
from ..themes import Colors, Theme
from . import _glyphs, _styles

Media = Literal["print", "screen"]
ROOT_TEMPLATE = "briefing.html.j2"
DEFAULT_MARKER = "dot"
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
# Text the templates print around the content. English; a theme overrides a template to
# change them, and twinpress passes the same names to every template.
LABELS = {
    "kicker": "Briefing", "prepared_for": "Prepared for", "published_by": "Published by",
    "date": "Date", "contents": "Contents", "about": "About this briefing",
    "summary": "In brief", "derived": "Derived from the article's statements, not verbatim.",
    "derived_table": "Derived table: compiled from facts the article states elsewhere; "
                     "not part of the original text.",
    "tones": {"note": "Note", "tip": "Tip", "warning": "Warning", "success": "Success"},
}


# Block kinds a paragraph just before introduces ("It is known for:"): kept on its page.
LEAD_INS = ("bullets", "comparison", "table", "image")


@dataclass(frozen=True)
class Page:
    """What the two media need from a render: how assets are addressed, and page settings."""

    media: Media
    colors: Colors
    asset_url: Callable[[Path], str]      # an allowed file -> URL the output refers to
    toc: bool = True
    paper: str = "A4"
    variant: str = ""
    section_breaks: str = "flow"
    inline_css: str = ""
    emoji: bool = False
    emoji_markers: frozenset[str] = field(default_factory=frozenset)


def render_html(document: Document, theme: Theme, page: Page) -> str:
    """The briefing as one HTML string; RenderError for a template problem (a file the asset
    policy refuses raises BlockedURL, which the renderer reports)."""
    from jinja2 import TemplateError, TemplateNotFound
    from jinja2.sandbox import SecurityError

    env = environment(theme)
    try:
        return env.get_template(ROOT_TEMPLATE).render(context(document, theme, page))
    except SecurityError as exc:
        raise RenderError([_diag("render.template-unsafe", f"a template of theme "
                                 f"'{theme.name}' did something unsafe: {exc}",
                                 document)]) from None
    except TemplateNotFound as exc:
        folders = ", ".join(str(d / "templates") for d in theme.dirs)
        raise RenderError([_diag("render.template", f"theme '{theme.name}' has no template "
                                 f"'{exc.name}'", document, f"looked in {folders}")]) from None
    except TemplateError as exc:
        where = f" ({exc.filename}:{exc.lineno})" if getattr(exc, "lineno", None) else ""
        raise RenderError([_diag("render.template", f"template error in theme "
                                 f"'{theme.name}'{where}: {exc}", document,
                                 "check the theme's templates/ folder")]) from None


def _diag(code: str, message: str, document: Document, hint: str | None = None) -> Diagnostic:
    from ..errors import SourceLocation

    loc = SourceLocation(document.path, 1, 1) if document.path else None
    return Diagnostic("error", code, message, loc, hint)


# --- the environment ------------------------------------------------------------------------

_ENVIRONMENTS: OrderedDict[tuple, object] = OrderedDict()
_LOCK = threading.Lock()


def environment(theme: Theme):
    """The sandboxed Jinja2 environment for a theme chain (cached per theme fingerprint)."""
    key = (theme.fingerprint, theme.dirs)
    with _LOCK:
        if key in _ENVIRONMENTS:
            _ENVIRONMENTS.move_to_end(key)
            return _ENVIRONMENTS[key]
    env = _make_environment(theme)
    with _LOCK:
        _ENVIRONMENTS[key] = env
        while len(_ENVIRONMENTS) > 16:
            _ENVIRONMENTS.popitem(last=False)
    return env


def _make_environment(theme: Theme):
    from jinja2 import ChoiceLoader, PrefixLoader, StrictUndefined
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    folders = [d / "templates" for d in theme.dirs]
    by_name = {f"!{d.name}": _ThemeLoader([d / "templates"], d) for d in theme.dirs}
    loader = ChoiceLoader([_ThemeLoader(folders, *theme.dirs),
                           PrefixLoader(by_name, delimiter="/")])
    return ImmutableSandboxedEnvironment(
        loader=loader, autoescape=True, undefined=StrictUndefined, trim_blocks=True,
        lstrip_blocks=True, auto_reload=False)


def _theme_loader_base():
    from jinja2 import FileSystemLoader

    return FileSystemLoader


class _ThemeLoader(_theme_loader_base()):
    """A FileSystemLoader that refuses a template whose real path leaves its theme folder
    (a symlink to /etc/passwd would otherwise be included as text)."""

    def __init__(self, searchpath, *roots: Path):
        super().__init__(searchpath)
        self.policy = AssetPolicy.of(roots)

    def get_source(self, environment, template):
        source, filename, uptodate = super().get_source(environment, template)
        self.policy.check_path(Path(filename), f"template {template}")
        return source, filename, uptodate


# --- the context ----------------------------------------------------------------------------


def context(document: Document, theme: Theme, page: Page) -> dict:
    """Everything the templates see, as plain values."""
    sections = tuple(_section_view(s, page) for s in document.sections)
    return {
        "doc": _document_view(document),
        "sections": sections,
        "media": page.media,
        "variant": page.variant.replace("/", "-"),
        "toc": page.toc,
        "section_breaks": page.section_breaks,
        "labels": SimpleNamespace(**LABELS),
        "lead_ins": LEAD_INS,
        "logo": SimpleNamespace(src=page.asset_url(theme.logo.svg), alt=theme.logo.alt),
        "confidentiality": theme.confidentiality_text(**_footer_values(document)),
        "footer": theme.footer_text(**_footer_values(document)),
        "generator": f"twinpress {__version__}",
        "inline_css": _markup(page.inline_css),
        "color_scheme": "dark" if _is_dark(page.colors.background) else "light",
    }


def _markup(css: str):
    from markupsafe import Markup

    # Generated by twinpress from validated tokens and theme files, and made unable to
    # close its <style> element; it is the one value templates print unescaped.
    return Markup(_styles.safe_for_style_element(css))


def _footer_values(document: Document) -> dict[str, str]:
    return {"title": document.title, "organisation": document.organisation or "",
            "date": date_text(document), "audience": document.audience or ""}


def _document_view(document: Document) -> SimpleNamespace:
    created = _w3c(document.date)
    return SimpleNamespace(
        title=document.title, subtitle=document.subtitle, organisation=document.organisation,
        author=document.byline, language=document.language, keywords=document.keywords,
        description=document.description, audience=document.audience,
        date=document.date.isoformat(), date_text=date_text(document),
        created=created, modified=modified_date() or created)


def date_text(document: Document) -> str:
    d = document.date
    if document.language.split("-")[0] == "en":
        return f"{d.day} {MONTHS[d.month - 1]} {d.year}"
    return d.isoformat()


def _w3c(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def modified_date() -> str | None:
    """SOURCE_DATE_EPOCH as a W3C date, when the build environment sets it."""
    raw = os.environ.get("SOURCE_DATE_EPOCH")
    if raw is None or not raw.strip():
        return None
    try:
        moment = dt.datetime.fromtimestamp(int(raw), dt.timezone.utc)
    except (ValueError, OverflowError, OSError):
        raise RenderError([Diagnostic("error", "render.source-date-epoch",
                                      f"SOURCE_DATE_EPOCH={raw!r} is not a number of seconds "
                                      "since 1970", None,
                                      "unset it or set it to e.g. $(git log -1 --format=%ct)")])
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _is_dark(hex_color: str) -> bool:
    r, g, b = (int(hex_color[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b < 128


def asset_policy(document: Document, theme: Theme) -> AssetPolicy:
    """The theme's folders and the document's own images: nothing else may be read."""
    images = [b.path for s in document.sections for b in s.blocks
              if isinstance(b, Image) and b.path is not None]
    return AssetPolicy.of(theme.dirs, images)


def section_anchor(section: Section) -> str:
    """The section's id in the page. Derived ids add '_', which section ids cannot contain,
    so section 'concurrency-2' never meets the second sub-heading of 'concurrency'."""
    return f"s-{section.id}"


def end_anchor(section: Section) -> str:
    return f"{section_anchor(section)}_end"


def _section_view(section: Section, page: Page) -> SimpleNamespace:
    anchor = section_anchor(section)
    parts, subheadings, level, n = [], [], 3, 0
    for block in section.blocks:
        part_anchor = ""
        if isinstance(block, Heading):
            n += 1
            part_anchor = f"{anchor}_{n}"
            subheadings.append(SimpleNamespace(text=block.text, anchor=part_anchor))
            parts.append(SimpleNamespace(kind=block.kind, block=_view(block, page), level=3,
                                         anchor=part_anchor))
            level = 4
            continue
        parts.append(SimpleNamespace(kind=block.kind, block=_view(block, page), level=level,
                                     anchor=part_anchor))
    kinds = [p.kind for p in parts] + [""]
    parts = [SimpleNamespace(**vars(p), next=kinds[i + 1]) for i, p in enumerate(parts)]
    return SimpleNamespace(
        id=section.id, anchor=anchor, title_anchor=f"{anchor}_title",
        end_anchor=end_anchor(section), number=section.number, title=section.title,
        number_text=f"{section.number}." if section.number else "",
        summary=section.summary, parts=tuple(parts), subheadings=tuple(subheadings))


def _view(value, page: Page, marker: str | None = None):
    """A model value as plain values: dataclasses become namespaces of their YAML fields."""
    if isinstance(value, Image):
        return SimpleNamespace(src=page.asset_url(value.path), alt=value.alt,
                               caption=value.caption, derived=value.derived,
                               tags=tuple(sorted(value.tags)))
    if isinstance(value, (BulletItem, Column)) or hasattr(value, "kind"):
        own = getattr(value, "marker", None)
        # A call to action's marker belongs to the action; its lines carry their own.
        inherited = None if isinstance(value, CallToAction) else own or marker
        values = {}
        for f in yaml_fields(type(value)):
            child = getattr(value, f.name)
            values[f.name] = _view(child, page, inherited)
        if isinstance(value, BulletItem):
            values["marker"] = own or marker or DEFAULT_MARKER
        if isinstance(value, Table):
            values["widths"] = column_widths(value.header, value.rows)
        return SimpleNamespace(**values)
    if isinstance(value, frozenset):
        return tuple(sorted(value))
    if isinstance(value, tuple):
        return tuple(_view(v, page, marker) for v in value)
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    raise TypeError(f"no template view for {type(value).__name__}")


def column_widths(header: tuple[str, ...], rows: tuple[tuple[str, ...], ...]) -> tuple[float, ...]:
    """Column widths in percent, from the text each column holds.

    Tables use the fixed layout: WeasyPrint's automatic layout measures every break point
    of every cell, which grows with the square of a cell's length (600 words: 20 s). Short
    columns get room for their longest word; long ones share the rest.
    """
    weights = []
    for c in range(len(header)):
        cells = [header[c], *(row[c] for row in rows if c < len(row))]
        longest_word = max((len(w) for cell in cells for w in cell.split()), default=1)
        longest_cell = max(len(cell) for cell in cells)
        weights.append(max(min(longest_word, 24) + 2, min(longest_cell, 48)))
    total = sum(weights)
    return tuple(round(100 * w / total, 2) for w in weights)


# --- text and fonts -------------------------------------------------------------------------


def document_text(document: Document, theme: Theme) -> list[tuple[str, object]]:
    """Every piece of text the briefing prints, with the model object it comes from."""
    pieces: list[tuple[str, object]] = [
        (t, document) for t in (document.title, document.subtitle, document.organisation,
                                document.byline, document.description, document.audience,
                                date_text(document)) if t]
    values = _footer_values(document)
    pieces.append((theme.confidentiality_text(**values), theme))
    pieces.append((theme.footer_text(**values), theme))
    for section in document.sections:
        pieces += [(section.title, section)] + ([(section.summary, section)]
                                                if section.summary else [])
        for block in section.blocks:
            label = getattr(block, "label", None)
            pieces += [(t, block) for t in (*block_texts(block), *([label] if label else []))]
            if getattr(block, "alt", None):
                pieces.append((block.alt, block))
    pieces += [(v, theme) for v in _label_strings()]
    return pieces


def _label_strings() -> list[str]:
    out = []
    for value in LABELS.values():
        out += list(value.values()) if isinstance(value, dict) else [value]
    return out + ["Page 0123456789 of ."]


@dataclass(frozen=True)
class Glyphs:
    """What the theme's fonts must draw for one document."""

    text: frozenset[int]              # every code point printed
    needs_emoji: bool                 # some code point only the emoji face has
    emoji_markers: frozenset[str]     # markers drawn as emoji (theme markers: emoji)


def check_glyphs(document: Document, theme: Theme) -> Glyphs:
    """Find what to draw and make sure the theme's fonts can draw it, or raise RenderError
    naming each missing character and where it comes from."""
    text_fonts = _glyphs.coverage(_styles.font_files(theme))
    emoji_font = _glyphs.cmap(theme.fonts.emoji.file) if theme.fonts.emoji else frozenset()
    usable_emoji = frozenset(c for c in emoji_font if _glyphs.is_emoji_range(c))
    problems: dict[int, object] = {}
    printed: set[int] = set()
    for text, source in document_text(document, theme):
        for code in _glyphs.drawn(text):
            printed.add(code)
            if code not in text_fonts and code not in usable_emoji:
                problems.setdefault(code, source)
    if problems:
        raise RenderError([_missing_glyph(code, source, theme)
                           for code, source in sorted(problems.items())])
    markers = _emoji_markers(document, theme, text_fonts | usable_emoji)
    needs = any(c not in text_fonts for c in printed) or any(
        ord(ch) in usable_emoji for m in markers & used_markers(document)
        for ch in _marker_chars(m))
    return Glyphs(frozenset(printed), needs, markers)


def used_markers(document: Document) -> frozenset[str]:
    """Every marker a bullet, column or call to action of the document shows."""
    found: set[str] = set()

    def walk(items, marker):
        for item in items:
            found.add(item.marker or marker or DEFAULT_MARKER)
            walk(item.items, item.marker or marker)

    for section in document.sections:
        for block in section.blocks:
            if isinstance(block, Bullets) and not block.ordered:
                walk(block.items, block.marker)
            elif isinstance(block, Comparison):
                for column in block.columns:
                    walk(column.items, column.marker)
            elif isinstance(block, CallToAction):
                walk(block.items, None)
                if block.marker:
                    found.add(block.marker)
    return frozenset(found)


def _emoji_markers(document: Document, theme: Theme, drawable: frozenset[int]) -> frozenset[str]:
    """In `markers: emoji` themes, the markers whose emoji the fonts can draw; the others
    fall back to the theme's icons rather than print a box."""
    from ..model import MARKERS

    if theme.markers != "emoji":
        return frozenset()
    return frozenset(m for m in MARKERS
                     if all(ord(c) in drawable for c in _marker_chars(m)))


def _marker_chars(marker: str) -> str:
    from ..model import MARKERS

    return "".join(chr(c) for c in _glyphs.drawn(MARKERS[marker]))


def _missing_glyph(code: int, source: object, theme: Theme) -> Diagnostic:
    loc = getattr(source, "loc", None)
    families = ", ".join(f.family for f in _styles.faces(theme))
    emoji = f" or {theme.fonts.emoji.family}" if theme.fonts.emoji else ""
    return Diagnostic("error", "render.missing-glyph",
                      f"{_glyphs.describe(code)} is in none of the fonts of theme "
                      f"'{theme.name}' ({families}{emoji}); it would print from another font "
                      "or as a box",
                      loc, "replace the character, or give the theme a font that has it")


# --- what the generated markup refers to ----------------------------------------------------

# Attributes through which markup loads or navigates to another resource.
REFERENCE_ATTRIBUTES = frozenset({"src", "srcset", "href", "xlink:href", "data", "poster",
                                  "action", "formaction", "background", "ping", "manifest",
                                  "longdesc", "codebase", "archive", "lowsrc", "dynsrc"})
# Elements that exist only to load something else; the briefing uses none of them.
LOADING_ELEMENTS = frozenset({"link", "base", "script", "iframe", "frame", "frameset",
                              "object", "embed", "applet", "portal", "audio", "video",
                              "source", "track"})
LINK_SCHEMES = ("https:", "mailto:", "#")


def _scan(markup: str) -> list[tuple[str, dict[str, str], str]]:
    """(tag, attributes, text of a <style> element) for every start tag in `markup`."""
    from html.parser import HTMLParser

    found: list[tuple[str, dict[str, str], str]] = []

    class Scanner(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, {k.lower(): v or "" for k, v in attrs}, ""))

        def handle_startendtag(self, tag, attrs):
            self.handle_starttag(tag, attrs)

        def handle_data(self, data):
            if self.lasttag == "style" and found and found[-1][0] == "style":
                tag, attrs, text = found[-1]
                found[-1] = (tag, attrs, text + data)

    Scanner(convert_charrefs=True).feed(markup)
    return found


def attachment_targets(markup: str) -> list[str]:
    """The href of every element asking WeasyPrint to embed a file (rel=attachment)."""
    return [attrs.get("href", "") for tag, attrs, _ in _scan(markup)
            if tag in ("link", "a") and "attachment" in attrs.get("rel", "").lower().split()]


def external_references(markup: str) -> list[str]:
    """Everything in `markup` that would make a browser load or open something outside the
    page: loading elements, non-data: sources, url()s in styles. Hyperlinks may go to
    https:, mailto: or a #fragment."""
    problems = []
    for tag, attrs, style in _scan(markup):
        if tag in LOADING_ELEMENTS:
            problems.append(f"<{tag}> element")
        for name, value in attrs.items():
            value = value.strip()
            if name == "style":
                problems += [f"url({u}) in a style attribute" for u in css_references(value)]
            elif name not in REFERENCE_ATTRIBUTES or value.startswith("data:"):
                continue
            elif tag == "a" and name == "href" and value.lower().startswith(LINK_SCHEMES):
                continue
            elif value.startswith("#"):
                continue
            else:
                problems.append(f"<{tag} {name}=\"{value[:80]}\">")
        if tag == "style":
            problems += [f"url({u}) in <style>" for u in css_references(style)]
    return problems


def css_references(css: str) -> list[str]:
    """Every url() and @import target in `css` that is not a data: URI or a #fragment."""
    import tinycss2

    found: list[str] = []

    def walk(nodes):
        for node in nodes or ():
            if node.type == "url":
                found.append(node.value)
            elif node.type == "function" and node.lower_name == "url":
                found.append("".join(a.value for a in node.arguments if a.type == "string"))
            elif node.type == "at-rule" and node.lower_at_keyword == "import":
                strings = [t.value for t in node.prelude if t.type in ("string", "url")]
                found.extend(strings or ["@import"])
            for attr in ("prelude", "content", "arguments"):
                child = getattr(node, attr, None)
                if isinstance(child, list):
                    walk(child)

    walk(tinycss2.parse_stylesheet(css, skip_comments=True))
    return [u for u in found if not (u.startswith("data:") or u.startswith("#"))]
