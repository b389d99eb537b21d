"""Theme folders: loading `themes/<name>/theme.yaml` chains into one `Theme` of tokens.

A theme is `themes/<name>/theme.yaml` plus the files it names (fonts, logo, icons,
templates, an optional corporate `.pptx`). A child theme's YAML is merged over its parent's
node by node before decoding, so an unknown or mistyped token is reported at the child's
own file and line, and relative paths resolve against the theme that wrote them. The token
types themselves live in `tokens.py`.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from .decode import MISSING, Decoder
from .errors import Collector, SourceLocation, one_of, suggest
from .jsonschema import json_schema
from .project import Project
from .tokens import (
    LINE_FIELDS,
    Colors,
    EmojiFont,
    FontFace,
    Fonts,
    Logo,
    PptxSettings,
    Theme,
    fill_line,
)
from .yamlsource import Map, Scalar, load

__all__ = ["Colors", "Fonts", "Theme", "available", "fill_line", "load_theme", "read_theme"]

MAX_DEPTH = 8


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


def read_theme(
    name: str, project: Project, out: Collector, where: SourceLocation | None = None
) -> Theme | None:
    chain = _read_chain(name, project, out, where)
    if chain is None:
        return None
    merged = chain[-1][1]
    for _folder, node in reversed(chain[:-1]):
        merged = merge(merged, node)
    before = len(out.errors)
    merged = _apply_print_colors(merged)
    decoder = Decoder(
        out,
        "theme",
        validators={
            FontFace: _check_font,
            Logo: _check_logo,
            PptxSettings: _check_template,
            EmojiFont: _check_emoji,
        },
    )
    theme = decoder.dataclass(merged, Theme, "theme")
    if theme is MISSING or len(out.errors) > before:
        return None
    _check_paths_inside(theme, project, merged, out)
    _check_footer(theme, merged, out)
    if len(out.errors) > before:
        return None
    named: Theme = dataclasses.replace(theme, name=name, dirs=tuple(f for f, _ in chain))
    return named


def _read_chain(
    name: str, project: Project, out: Collector, where: SourceLocation | None
) -> list[tuple[Path, Map]] | None:
    """[(folder, node)] from the named theme up to its root ancestor."""
    chain: list[tuple[Path, Map]] = []
    seen: list[str] = []
    while name:
        folder = project.themes / name
        if not (folder / "theme.yaml").is_file():
            choices = available(project)
            out.error(
                "theme.unknown",
                f"unknown theme '{name}'",
                where,
                suggest(name, choices) or f"available themes: {', '.join(choices)}",
            )
            return None
        if name in seen:
            out.error(
                "theme.cycle",
                f"themes extend each other in a cycle: {' -> '.join([*seen, name])}",
                where,
                "remove one 'extends:'",
            )
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
ATOMIC = {("fonts", "heading"), ("fonts", "body"), ("fonts", "mono"), ("fonts", "emoji"), ("logo",)}


def merge(parent: Map, child: Map, path: tuple[str, ...] = ()) -> Map:
    """Child tokens over parent tokens, mapping by mapping; `extends` is never inherited."""
    items = {k: v for k, v in parent.items.items() if k != "extends"}
    keys = {k: v for k, v in parent.keys.items() if k != "extends"}
    for key, value in child.items.items():
        old, where = items.get(key), (*path, key)
        if isinstance(old, Map) and isinstance(value, Map) and where not in ATOMIC:
            value = merge(old, value, where)
        items[key] = value
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


def _check_font(face: FontFace, node: Map, dec: Decoder) -> Any:
    ok = True
    for key, path in face.files().items():
        if not path.is_file():
            dec.error(
                "font-missing",
                f"font file '{path.name}' for '{face.family}' does not exist",
                node.items[key].loc,
            )
            ok = False
        elif path.suffix.lower() not in (".ttf", ".otf"):
            dec.error(
                "font-format",
                f"font file '{path.name}' is not .ttf or .otf",
                node.items[key].loc,
                "ship the TrueType or OpenType file",
            )
            ok = False
    if not face.licence.is_file():
        dec.error(
            "font-licence",
            f"licence file '{face.licence.name}' for '{face.family}' does not exist",
            node.items["licence"].loc,
            "fonts ship with their licence (e.g. OFL.txt)",
        )
        ok = False
    return face if ok else MISSING


def _check_emoji(font: EmojiFont, node: Map, dec: Decoder) -> Any:
    for key in ("file", "licence"):
        path = getattr(font, key)
        if not path.is_file():
            dec.error(
                "font-missing",
                f"emoji font {key} '{path.name}' does not exist",
                node.items[key].loc,
            )
            return MISSING
    return font


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
    template = settings.template
    if template is not None and (not template.is_file() or template.suffix != ".pptx"):
        dec.error(
            "template-missing",
            f"template '{template.name}' is missing or not .pptx",
            node.items["template"].loc,
            "give the path of a .pptx file in the theme",
        )
        return MISSING
    return settings


def _check_paths_inside(theme: Theme, project: Project, merged: Map, out: Collector) -> None:
    """Theme files end up inside outputs, so they must live inside the project."""
    fonts = theme.fonts
    paths = [*fonts.files(), *(f.licence for f in (fonts.heading, fonts.body, fonts.mono))]
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


def theme_schema() -> dict[str, Any]:
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
