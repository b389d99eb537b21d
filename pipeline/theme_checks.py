"""Checks of a decoded theme that need its files or its nodes: fonts that are fonts, a
template that opens and has the layouts the deck uses, files inside the project, footer
placeholders and label overrides. Each problem is reported at the theme file and line that
caused it (a child theme's own line when the child set the token)."""

from __future__ import annotations

import struct
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .decode import MISSING, Decoder
from .errors import Collector, SourceLocation, one_of, suggest
from .fetcher import AssetPolicy, BlockedURL
from .fonts import FONT_ROLES, EmojiFont, FaceFiles, FallbackFace, FontFace, Fonts
from .labels import override_problems
from .project import Project
from .tokens import LINE_FIELDS, Logo, PptxSettings, Theme
from .yamlsource import Map


def check_theme(theme: Theme, project: Project, merged: Map, out: Collector) -> None:
    """The checks that need the whole theme."""
    _check_paths_inside(theme, project, merged, out)
    _check_footer(theme, merged, out)
    _check_labels(theme, merged, out)
    _check_stylesheets(theme, out)
    _check_templates(theme, out)


def _check_templates(theme: Theme, out: Collector) -> None:
    """Every template of the chain parses: a syntax error is found by `twinpress check`, at
    its file and line, not at the first render that includes it."""
    from jinja2 import Environment, TemplateSyntaxError

    env = Environment(autoescape=True)
    for folder in theme.dirs:
        for template in sorted((folder / "templates").rglob("*.j2")):
            try:
                env.parse(template.read_text(encoding="utf-8", errors="replace"))
            except TemplateSyntaxError as exc:
                out.error("theme.template", f"template syntax error: {exc.message}",
                          SourceLocation(template, exc.lineno or 1, 1),
                          "fix the template at that line")  # fmt: skip


def _check_stylesheets(theme: Theme, out: Collector) -> None:
    """Every url() and @import of the chain's stylesheets must name a file of the theme
    chain: reported at the stylesheet's line and column, all of them in one pass (the PDF
    engine's fetcher would stop at the first)."""
    from urllib.parse import urljoin

    policy = AssetPolicy.of(theme.dirs)
    for folder in theme.dirs:
        for sheet in sorted((folder / "styles").glob("*.css")):
            for url, line, column in _urls(sheet.read_text(encoding="utf-8", errors="replace")):
                try:
                    policy.resolve(urljoin(sheet.as_uri(), url))
                except BlockedURL as refused:
                    out.error("theme.stylesheet-url", f"stylesheet refers to '{url}': "
                              f"{refused.reason}", SourceLocation(sheet, line, column),
                              "outputs may use only files of the theme chain (fonts, icons, "
                              "images in the theme folders) and data: URIs")  # fmt: skip


def _urls(css: str) -> Iterator[tuple[str, int, int]]:
    """(url, line, column) of every url() and @import target in a stylesheet."""
    import tinycss2

    def walk(nodes: Any) -> Iterator[tuple[str, int, int]]:
        for node in nodes or ():
            if node.type == "url":
                yield node.value, node.source_line, node.source_column
            elif node.type == "function" and node.lower_name == "url":
                value = "".join(a.value for a in node.arguments if a.type == "string")
                yield value, node.source_line, node.source_column
            elif node.type == "at-rule" and node.lower_at_keyword == "import":
                for token in node.prelude:
                    if token.type == "string":
                        yield token.value, token.source_line, token.source_column
            for attr in ("prelude", "content", "arguments"):
                child = getattr(node, attr, None)
                if isinstance(child, list):
                    yield from walk(child)

    for url, line, column in walk(tinycss2.parse_stylesheet(css, skip_comments=True)):
        if not url.startswith(("data:", "#")):
            yield url, line, column


def _font_problem(path: Path) -> str | None:
    """Why a file is not a usable font, or None."""
    from .coverage import cmap  # read once: the coverage checks of every render reuse it

    if cmap(path):
        return None
    # HarfBuzz reads a damaged file as an empty face; fontTools says what is wrong with it.
    from fontTools.ttLib import TTFont, TTLibError

    try:
        with TTFont(path, lazy=True) as font:
            font.getBestCmap()
    except (TTLibError, OSError, ValueError, KeyError, AssertionError, struct.error) as exc:
        return str(exc) or type(exc).__name__
    return "it maps no characters"


def _check_files(
    family: str, files: dict[str, Path], licence: Path, node: Map, dec: Decoder
) -> bool:
    ok = True
    for key, path in files.items():
        loc = node.items[key].loc
        if not path.is_file():
            dec.error("font-missing", f"font file '{path.name}' for '{family}' does not exist", loc)
            ok = False
        elif path.suffix.lower() not in (".ttf", ".otf"):
            dec.error(
                "font-format",
                f"font file '{path.name}' is not .ttf or .otf",
                loc,
                "ship the TrueType or OpenType file",
            )
            ok = False
        elif (problem := _font_problem(path)) is not None:
            dec.error(
                "font-invalid",
                f"font file '{path.name}' for '{family}' is not a font "
                f"twinpress can read ({problem})",
                loc,
                "replace it with the family's .ttf or .otf file",
            )
            ok = False
    if not licence.is_file():
        dec.error(
            "font-licence",
            f"licence file '{licence.name}' for '{family}' does not exist",
            node.items["licence"].loc,
            "fonts ship with their licence (e.g. OFL.txt)",
        )
        ok = False
    return ok


def _check_font(face: FontFace, node: Map, dec: Decoder) -> Any:
    if not _check_files(face.family, face.files(), face.licence, node, dec):
        return MISSING
    if not face.office_family:
        _check_embedding(face.family, face.files(), node, dec)
    return face


def _check_embedding(family: str, files: dict[str, Path], node: Map, dec: Decoder) -> None:
    """A font whose licence bits forbid embedding is left out of decks: say so where the
    theme names it."""
    from .renderers.pptx.embedding import permission

    for key, path in files.items():
        allowed = permission(path)
        if not allowed.embeddable:
            dec.warning(
                "font-not-embeddable",
                f"font file '{path.name}' for '{family}' is not embedded in decks: "
                f"{allowed.reason}",
                node.items[key].loc,
                "viewers without the font see its substitute; use a font whose licence "
                "allows embedding (OFL fonts do), or set pptx.embed_fonts: false",
            )


def _check_substitute(face: FaceFiles, node: Map, dec: Decoder) -> Any:
    return face if _check_files(face.family, face.files(), face.licence, node, dec) else MISSING


def _check_substitute_names(fonts: Fonts, node: Map, dec: Decoder) -> Any:
    """A face's `substitute:` names one of `fonts.substitutes`."""
    names = [s.family for s in fonts.substitutes]
    for role in FONT_ROLES:
        face, face_node = fonts.role(role), node.get(role)
        if face.substitute and face.substitute not in names and isinstance(face_node, Map):
            dec.error(
                "font-substitute",
                f"substitute '{face.substitute}' of fonts.{role} is not in fonts.substitutes",
                face_node.items["substitute"].loc,
                suggest(face.substitute, names) or f"substitutes are {one_of(names)}",
            )
    return fonts


def _check_fallback(face: FallbackFace, node: Map, dec: Decoder) -> Any:
    if not _check_files(face.family, face.files(), face.licence, node, dec):
        return MISSING
    _check_embedding(face.family, face.files(), node, dec)
    return face


def _check_emoji(font: EmojiFont, node: Map, dec: Decoder) -> Any:
    files = {"file": font.file}
    return font if _check_files(font.family, files, font.licence, node, dec) else MISSING


def _check_logo(logo: Logo, node: Map, dec: Decoder) -> Any:
    ok = True
    for key in ("svg", "png"):
        path = getattr(logo, key)
        if not path.is_file() or path.suffix.lower() != f".{key}":
            dec.error(
                "logo-missing",
                f"logo file '{path.name}' is missing or not .{key}",
                node.items[key].loc,
            )
            ok = False
    return logo if ok else MISSING


def _check_template(settings: PptxSettings, node: Map, dec: Decoder) -> Any:
    """A corporate template that opens as a presentation and has the layouts named."""
    template = settings.template
    if template is None:
        return settings
    loc = node.items["template"].loc
    if not template.is_file() or template.suffix != ".pptx":
        dec.error(
            "template-missing",
            f"template '{template.name}' is missing or not .pptx",
            loc,
            "give the path of a .pptx file in the theme",
        )
        return MISSING
    names = _layout_names(template)
    if names is None:
        dec.error(
            "template-invalid",
            f"template '{template.name}' is not a PowerPoint file "
            "python-pptx can open (damaged, or another format renamed .pptx)",
            loc,
            "save the template again from PowerPoint as .pptx",
        )
        return MISSING
    layouts = node.get("layouts")
    ok = True
    for role in ("title", "section", "content", "two_content", "title_only"):
        name = getattr(settings.layouts, role)
        if name not in names:
            where = layouts.keys.get(role, layouts.loc) if isinstance(layouts, Map) else loc
            hint = f"its layouts are {', '.join(repr(n) for n in names) or 'none'}"
            dec.error(
                "template-layout",
                f"template '{template.name}' has no layout named '{name}' (for {role})",
                where,
                hint,
            )
            ok = False
    return settings if ok else MISSING


def _layout_names(template: Path) -> list[str] | None:
    """The template's layout names, or None when it does not open."""
    from pptx import Presentation

    try:
        prs = Presentation(str(template))
    except Exception:  # a damaged package: zipfile, python-pptx and lxml raise many kinds
        return None
    return [layout.name for master in prs.slide_masters for layout in master.slide_layouts]


def _check_paths_inside(theme: Theme, project: Project, merged: Map, out: Collector) -> None:
    """Theme files end up inside outputs, so they must live inside the project."""
    fonts = theme.fonts
    paths = [*fonts.files(), *(f.licence for f in (fonts.heading, fonts.body, fonts.mono))]
    paths += [*fonts.fallback_files(), *(f.licence for f in fonts.fallbacks)]
    paths += [theme.logo.svg, theme.logo.png]
    if theme.fonts.emoji:
        paths += [theme.fonts.emoji.file, theme.fonts.emoji.licence]
    if theme.pptx.template:
        paths.append(theme.pptx.template)
    for path in paths:
        if not project.contains_asset(path):
            out.error(
                "theme.outside",
                f"theme file '{path}' is outside the project's themes/ and content/ folders",
                merged.loc,
            )


def _check_labels(theme: Theme, merged: Map, out: Collector) -> None:
    table = merged.get("labels")
    keys = table.keys if isinstance(table, Map) else {}
    out.extend(override_problems(theme.labels, "theme", keys, merged.loc))


def _check_footer(theme: Theme, merged: Map, out: Collector) -> None:
    for key in ("footer", "confidentiality"):
        try:
            getattr(theme, key).format_map(dict.fromkeys(LINE_FIELDS, ""))
        except (KeyError, ValueError, IndexError) as exc:
            node = merged.get(key)
            out.error(
                "theme.placeholder",
                f"'{key}' has an unknown placeholder {exc}",
                node.loc if node else merged.loc,
                f"placeholders are {one_of('{' + f + '}' for f in LINE_FIELDS)}",
            )


VALIDATORS: dict[type, Any] = {
    FontFace: _check_font,
    FaceFiles: _check_substitute,
    Fonts: _check_substitute_names,
    FallbackFace: _check_fallback,
    EmojiFont: _check_emoji,
    Logo: _check_logo,
    PptxSettings: _check_template,
}
