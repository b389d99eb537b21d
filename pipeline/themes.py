"""Theme folders: design tokens shared by every renderer, inherited through `extends:` chains.

A theme is `themes/<name>/theme.yaml` plus the files it names (fonts, logo, icons,
templates, an optional corporate `.pptx`). A child theme's YAML is merged over its parent's
node by node before decoding, so an unknown or mistyped token is reported at the child's
own file and line, and relative paths resolve against the theme that wrote them.
"""

from __future__ import annotations

import dataclasses
import hashlib
import string
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Literal, Mapping

from .decode import MISSING, Decoder, json_schema
from .errors import Collector, ContentError, SourceLocation, one_of, suggest
from .model import MARKERS, doc
from .project import Project
from .yamlsource import Map, Node, Scalar, load

HEX = r"^#[0-9A-Fa-f]{6}$"
MAX_DEPTH = 8
FOOTER_FIELDS = ("title", "organisation", "date", "audience")
LINE_SEPARATOR = " · "


def _color(text: str) -> dict:
    return doc(text + " Hex colour like '#1F4E9B'.", pattern=HEX)


@dataclass(frozen=True, slots=True)
class Colors:
    """Colour tokens; contrast between the pairs renderers use is checked (WCAG 2.1 AA)."""

    background: str = field(metadata=_color("Slide and page background."))
    surface: str = field(metadata=_color("Panels, cards, call-out fills."))
    text: str = field(metadata=_color("Body text."))
    muted: str = field(metadata=_color("Secondary text: captions, footers, numbers."))
    primary: str = field(metadata=_color("Headings, rules, title bars, table headers."))
    on_primary: str = field(metadata=_color("Text on primary fills."))
    accent: str = field(metadata=_color("Markers, icons and highlights."))
    success: str = field(metadata=_color("Verdict call-outs."))
    warning: str = field(metadata=_color("Warning call-outs."))
    table_stripe: str = field(metadata=_color("Alternate table rows."))
    border: str = field(metadata=_color("Rules and table lines (decorative)."))


@dataclass(frozen=True, slots=True)
class FontFace:
    """A font family with its files (inside the theme) and licence."""

    family: str = field(metadata=doc("Family name as stored in the font files.", min_length=1))
    regular: Path = field(metadata=doc("Regular font file (.ttf or .otf)."))
    bold: Path = field(metadata=doc("Bold font file."))
    licence: Path = field(metadata=doc("Licence text shipped with the font (e.g. OFL.txt)."))
    italic: Path | None = field(default=None, metadata=doc("Italic font file."))
    bold_italic: Path | None = field(default=None, metadata=doc("Bold italic font file."))
    generic: Literal["sans-serif", "serif", "monospace"] = field(
        default="sans-serif", metadata=doc("CSS generic family, last in the stack."))

    def files(self) -> dict[str, Path]:
        found = {"regular": self.regular, "bold": self.bold, "italic": self.italic,
                 "bold_italic": self.bold_italic}
        return {k: v for k, v in found.items() if v is not None}


@dataclass(frozen=True, slots=True)
class EmojiFont:
    """A colour emoji font: a fallback used only for emoji characters, never for digits."""

    family: str = field(metadata=doc("Family name as stored in the font file.", min_length=1))
    file: Path = field(metadata=doc("The font file (.ttf)."))
    licence: Path = field(metadata=doc("Licence text shipped with the font."))


@dataclass(frozen=True, slots=True)
class Fonts:
    heading: FontFace = field(metadata=doc("Titles and headings (set in its bold)."))
    body: FontFace = field(metadata=doc("Body text, bullets and tables."))
    mono: FontFace = field(metadata=doc("Code and figures."))
    emoji: EmojiFont | None = field(default=None, metadata=doc(
        "Fallback for emoji in the text and for emoji markers, so none shows as a box."))


@dataclass(frozen=True, slots=True)
class DeckType:
    """Type sizes for the deck, in points."""

    title: float = field(default=40, metadata=doc("Title slide title."))
    subtitle: float = field(default=20, metadata=doc("Title slide subtitle."))
    heading: float = field(default=28, metadata=doc("Slide titles."))
    body: float = field(default=20, metadata=doc("Bullets and text at their largest."))
    min_body: float = field(default=14, metadata=doc("Smallest body size when shrinking to "
                                                     "fit; below it text moves to a new slide."))
    table: float = field(default=14, metadata=doc("Table text at its largest."))
    min_table: float = field(default=11, metadata=doc("Smallest table text."))
    small: float = field(default=11, metadata=doc("Footer, slide numbers, captions."))
    line_spacing: float = field(default=1.1, metadata=doc("Line height as a multiple."))


@dataclass(frozen=True, slots=True)
class PrintType:
    """Type sizes for the briefing, in points."""

    base: float = field(default=10.5, metadata=doc("Body text."))
    title: float = field(default=32, metadata=doc("Cover title."))
    section: float = field(default=19, metadata=doc("Section headings."))
    heading: float = field(default=13.5, metadata=doc("Sub-headings."))
    small: float = field(default=8.5, metadata=doc("Running header and footer, captions."))
    line_height: float = field(default=1.45, metadata=doc("Body line height as a multiple."))


@dataclass(frozen=True, slots=True)
class TypeScale:
    deck: DeckType = field(default=DeckType(), metadata=doc("Deck sizes."))
    print: PrintType = field(default=PrintType(), metadata=doc("Briefing sizes."))


@dataclass(frozen=True, slots=True)
class DeckSpacing:
    margin: float = field(default=0.6, metadata=doc("Slide margin, inches."))
    gutter: float = field(default=0.4, metadata=doc("Space between columns, inches."))
    paragraph: float = field(default=6, metadata=doc("Space after each bullet, points."))


@dataclass(frozen=True, slots=True)
class PrintSpacing:
    margin_top: float = field(default=24, metadata=doc("Page margin, millimetres."))
    margin_bottom: float = field(default=22, metadata=doc("Page margin, millimetres."))
    margin_side: float = field(default=20, metadata=doc("Page margin, millimetres."))


@dataclass(frozen=True, slots=True)
class Spacing:
    deck: DeckSpacing = field(default=DeckSpacing(), metadata=doc("Deck spacing."))
    print: PrintSpacing = field(default=PrintSpacing(), metadata=doc("Briefing spacing."))


@dataclass(frozen=True, slots=True)
class Logo:
    svg: Path = field(metadata=doc("Vector logo, used in the briefing."))
    png: Path = field(metadata=doc("Raster logo (at least 600 px wide), used in the deck."))
    alt: str = field(metadata=doc("Alt text for the logo.", min_length=1))


@dataclass(frozen=True, slots=True)
class PptxLayouts:
    """Names of the slide layouts the deck uses, looked up by name in the template."""

    title: str = field(default="Title Slide", metadata=doc("Title slide layout."))
    section: str = field(default="Section Header", metadata=doc("Section divider layout."))
    content: str = field(default="Title and Content", metadata=doc("Bullets and text."))
    two_content: str = field(default="Two Content", metadata=doc("Comparisons."))
    title_only: str = field(default="Title Only", metadata=doc("Tables, images, call-outs."))


@dataclass(frozen=True, slots=True)
class PptxSettings:
    template: Path | None = field(default=None, metadata=doc(
        "Corporate template .pptx whose masters and layouts the deck is built on; "
        "when absent twinpress draws its own master from the tokens."))
    layouts: PptxLayouts = field(default=PptxLayouts(), metadata=doc("Layout names."))
    dividers: bool = field(default=True, metadata=doc("A divider slide before each section."))


@dataclass(frozen=True, slots=True)
class PrintSettings:
    colors: Colors | None = field(default=None, metadata=doc(
        "Colour overrides for the briefing only, e.g. a dark deck theme printing on white."))


@dataclass(frozen=True)
class Theme:
    """Every token of one theme after inheritance, plus where its files live."""

    description: str = field(metadata=doc("One line shown by `twinpress themes`.",
                                          min_length=1))
    colors: Colors = field(metadata=doc("Colour tokens for the deck and the screen."))
    fonts: Fonts = field(metadata=doc("Font families with their files and licences."))
    logo: Logo = field(metadata=doc("The brand logo."))
    footer: str = field(metadata=doc(
        "Footer line on slides and pages; may use {title}, {organisation}, {date}, {audience}."))
    confidentiality: str = field(metadata=doc("Confidentiality line, e.g. 'Internal use only'."))
    extends: str | None = field(default=None, metadata=doc("Parent theme's folder name."))
    print: PrintSettings = field(default=PrintSettings(), metadata=doc("Briefing-only tokens."))
    type: TypeScale = field(default=TypeScale(), metadata=doc("Type sizes."))
    spacing: Spacing = field(default=Spacing(), metadata=doc("Margins and gaps."))
    slide_size: Literal["16:9", "16:10", "4:3"] = field(default="16:9",
                                                        metadata=doc("Deck aspect ratio."))
    paper: Literal["A4", "Letter"] = field(default="A4", metadata=doc("Briefing paper size."))
    markers: Literal["icons", "emoji"] = field(default="icons", metadata=doc(
        "Show bullet markers as the theme's icons or as the source's emoji."))
    pptx: PptxSettings = field(default=PptxSettings(), metadata=doc("Deck template settings."))
    name: str = field(default="", metadata={"yaml": False})
    dirs: tuple[Path, ...] = field(default=(), metadata={"yaml": False})

    @property
    def paper_colors(self) -> Colors:
        """The colours the briefing uses: `print.colors` over `colors`."""
        return self.print.colors or self.colors

    @property
    def parent(self) -> str | None:
        return self.extends

    def find(self, relative: str) -> Path | None:
        """A file in the theme chain, child first (templates, stylesheets, icons)."""
        for folder in self.dirs:
            candidate = folder / relative
            if candidate.is_file():
                return candidate
        return None

    def icon(self, marker: str) -> Path | None:
        return self.find(f"icons/{marker}.svg")

    def footer_text(self, **values: str) -> str:
        return fill_line(self.footer, values)

    def confidentiality_text(self, **values: str) -> str:
        return fill_line(self.confidentiality, values)

    @cached_property
    def fingerprint(self) -> str:
        """Hash of every file in the chain: changes whenever the theme could render differently."""
        from .hashcache import digest as file_digest

        digest = hashlib.sha256()
        for folder in self.dirs:
            for path in sorted(p for p in folder.rglob("*") if p.is_file()):
                digest.update(str(path.relative_to(folder)).encode())
                digest.update(file_digest(path).encode())
        return digest.hexdigest()[:16]



def available(project: Project) -> list[str]:
    """Names of the theme folders in the project."""
    if not project.themes.is_dir():
        return []
    return sorted(p.parent.name for p in project.themes.glob("*/theme.yaml"))


def load_theme(name: str, project: Project, where: SourceLocation | None = None) -> Theme:
    """Load a theme and its ancestors; raise ContentError with every problem."""
    out = Collector()
    theme = read_theme(name, project, out, where)
    out.raise_if_errors()
    assert theme is not None
    return theme


def read_theme(name: str, project: Project, out: Collector,
               where: SourceLocation | None = None) -> Theme | None:
    chain = _read_chain(name, project, out, where)
    if chain is None:
        return None
    merged = chain[-1][1]
    for _folder, node in reversed(chain[:-1]):
        merged = merge(merged, node)
    before = len(out.errors)
    merged = _apply_print_colors(merged)
    decoder = Decoder(out, "theme", validators={FontFace: _check_font, Logo: _check_logo,
                                                PptxSettings: _check_template,
                                                EmojiFont: _check_emoji})
    theme = decoder.dataclass(merged, Theme, "theme")
    if theme is MISSING or len(out.errors) > before:
        return None
    _check_paths_inside(theme, project, merged, out)
    _check_footer(theme, merged, out)
    if len(out.errors) > before:
        return None
    return dataclasses.replace(theme, name=name, dirs=tuple(f for f, _ in chain))


def _read_chain(name: str, project: Project, out: Collector,
                where: SourceLocation | None) -> list[tuple[Path, Map]] | None:
    """[(folder, node)] from the named theme up to its root ancestor."""
    chain: list[tuple[Path, Map]] = []
    seen: list[str] = []
    while name:
        folder = project.themes / name
        if not (folder / "theme.yaml").is_file():
            choices = available(project)
            out.error("theme.unknown", f"unknown theme '{name}'", where,
                      suggest(name, choices) or f"available themes: {', '.join(choices)}")
            return None
        if name in seen:
            out.error("theme.cycle", f"themes extend each other in a cycle: "
                      f"{' -> '.join(seen + [name])}", where, "remove one 'extends:'")
            return None
        if len(seen) >= MAX_DEPTH:
            out.error("theme.too-deep", f"theme chain is deeper than {MAX_DEPTH}", where)
            return None
        seen.append(name)
        node = load(folder / "theme.yaml", out)
        if not isinstance(node, Map):
            if node is not None:
                out.error("theme.type", "theme.yaml must be a mapping of tokens", node.loc)
            return None
        chain.append((folder.resolve(), node))
        parent = node.get("extends")
        where = parent.loc if parent is not None else None
        name = parent.value.strip() if isinstance(parent, Scalar) and parent.kind == "str" else ""
    return chain


# Token groups that only make sense whole: a Manrope heading must not keep Inter's italics.
ATOMIC = {("fonts", "heading"), ("fonts", "body"), ("fonts", "mono"), ("fonts", "emoji"),
          ("logo",)}


def merge(parent: Map, child: Map, path: tuple[str, ...] = ()) -> Map:
    """Child tokens over parent tokens, mapping by mapping; `extends` is never inherited."""
    items = {k: v for k, v in parent.items.items() if k != "extends"}
    keys = {k: v for k, v in parent.keys.items() if k != "extends"}
    for key, value in child.items.items():
        old, where = items.get(key), (*path, key)
        deep = isinstance(old, Map) and isinstance(value, Map) and where not in ATOMIC
        items[key] = merge(old, value, where) if deep else value
        keys[key] = child.keys[key]
    return Map(items, keys, child.loc)


def _apply_print_colors(merged: Map) -> Map:
    """Complete `print.colors` with the screen colours so it decodes as a full Colors."""
    printing, colors = merged.get("print"), merged.get("colors")
    if not (isinstance(printing, Map) and isinstance(colors, Map)):
        return merged
    overrides = printing.get("colors")
    if not isinstance(overrides, Map):
        return merged
    full = merge(colors, overrides, ("colors",))
    printing = Map({**printing.items, "colors": full}, printing.keys, printing.loc)
    return Map({**merged.items, "print": printing}, merged.keys, merged.loc)


def _check_font(face: FontFace, node: Map, dec: Decoder):
    ok = True
    for key, path in face.files().items():
        if not path.is_file():
            dec.error("font-missing", f"font file '{path.name}' for '{face.family}' "
                      "does not exist", node.items[key].loc)
            ok = False
        elif path.suffix.lower() not in (".ttf", ".otf"):
            dec.error("font-format", f"font file '{path.name}' is not .ttf or .otf",
                      node.items[key].loc, "ship the TrueType or OpenType file")
            ok = False
    if not face.licence.is_file():
        dec.error("font-licence", f"licence file '{face.licence.name}' for '{face.family}' "
                  "does not exist", node.items["licence"].loc,
                  "fonts ship with their licence (e.g. OFL.txt)")
        ok = False
    return face if ok else MISSING


def _check_emoji(font: EmojiFont, node: Map, dec: Decoder):
    for key in ("file", "licence"):
        path = getattr(font, key)
        if not path.is_file():
            dec.error("font-missing", f"emoji font {key} '{path.name}' does not exist",
                      node.items[key].loc)
            return MISSING
    return font


def _check_logo(logo: Logo, node: Map, dec: Decoder):
    ok = True
    for key in ("svg", "png"):
        path = getattr(logo, key)
        if not path.is_file() or path.suffix.lower() != f".{key}":
            dec.error("logo-missing", f"logo file '{path.name}' is missing or not .{key}",
                      node.items[key].loc)
            ok = False
    return logo if ok else MISSING


def _check_template(settings: PptxSettings, node: Map, dec: Decoder):
    template = settings.template
    if template is not None and (not template.is_file() or template.suffix != ".pptx"):
        dec.error("template-missing", f"template '{template.name}' is missing or not .pptx",
                  node.items["template"].loc, "give the path of a .pptx file in the theme")
        return MISSING
    return settings


def _check_paths_inside(theme: Theme, project: Project, merged: Map, out: Collector) -> None:
    """Theme files end up inside outputs, so they must live inside the project."""
    paths = [p for face in (theme.fonts.heading, theme.fonts.body, theme.fonts.mono)
             for p in (*face.files().values(), face.licence)]
    paths += [theme.logo.svg, theme.logo.png]
    if theme.fonts.emoji:
        paths += [theme.fonts.emoji.file, theme.fonts.emoji.licence]
    if theme.pptx.template:
        paths.append(theme.pptx.template)
    for path in paths:
        if not project.contains_asset(path):
            out.error("theme.outside", f"theme file '{path}' is outside the project's "
                      "themes/ and content/ folders", merged.loc)


def fill_line(template: str, values: Mapping[str, str]) -> str:
    """Fill a footer-like line; a ' · ' part whose placeholders are all empty is left out.

    "{organisation} · {title}" without an organisation reads "Title", not " · Title".
    """
    parts = []
    for part in template.split(LINE_SEPARATOR):
        names = [name for _, name, _, _ in string.Formatter().parse(part) if name]
        if names and not any(values.get(name) for name in names):
            continue
        parts.append(part.format_map({k: values.get(k) or "" for k in FOOTER_FIELDS}))
    return LINE_SEPARATOR.join(parts)


def _check_footer(theme: Theme, merged: Map, out: Collector) -> None:
    for key in ("footer", "confidentiality"):
        try:
            getattr(theme, key).format_map({k: "" for k in FOOTER_FIELDS})
        except (KeyError, ValueError, IndexError) as exc:
            node = merged.get(key)
            out.error("theme.placeholder", f"'{key}' has an unknown placeholder {exc}",
                      node.loc if node else merged.loc,
                      f"placeholders are {one_of('{' + f + '}' for f in FOOTER_FIELDS)}")


def theme_schema() -> dict:
    """JSON Schema of theme.yaml; nothing is required because children inherit."""
    schema = json_schema(Theme, "twinpress theme")
    _drop_required(schema)
    schema["$id"] = "https://twinpress.dev/schema/theme.json"
    return schema


def _drop_required(node: object) -> None:
    if isinstance(node, dict):
        node.pop("required", None)
        for value in node.values():
            _drop_required(value)
    elif isinstance(node, list):
        for value in node:
            _drop_required(value)


def marker_emoji(marker: str | None) -> str:
    return MARKERS.get(marker or "dot", MARKERS["dot"])
