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
from .errors import Collector, SourceLocation, suggest
from .fonts import Fonts
from .jsonschema import json_schema
from .project import Project
from .theme_checks import VALIDATORS, check_theme
from .tokens import Colors, Theme, fill_line
from .yamlsource import Map, Node, Scalar, load

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
        validators=VALIDATORS,
    )
    theme = decoder.dataclass(merged, Theme, "theme")
    if theme is MISSING or len(out.errors) > before:
        return None
    named: Theme = dataclasses.replace(
        theme, name=name, dirs=tuple(f for f, _ in chain), locations=_token_keys(merged)
    )
    check_theme(named, project, merged, out)
    return None if len(out.errors) > before else named


def _token_keys(merged: Map) -> dict[str, SourceLocation]:
    """Where each colour token ('colors.text', 'print.colors.text'), printed line ('footer',
    'confidentiality') and deck setting ('pptx.template', 'pptx.layouts.content') was set:
    the child's own line when a child set it."""
    found = {key: loc for key, loc in merged.keys.items() if key in ("footer", "confidentiality")}
    pptx = merged.get("pptx")
    if isinstance(pptx, Map):
        found.update({f"pptx.{key}": loc for key, loc in pptx.keys.items()})
        layouts = pptx.get("layouts")
        if isinstance(layouts, Map):
            found.update({f"pptx.layouts.{key}": loc for key, loc in layouts.keys.items()})
    for prefix, node in (("colors", merged.get("colors")), ("print.colors", _print_colors(merged))):
        if isinstance(node, Map):
            found.update({f"{prefix}.{key}": loc for key, loc in node.keys.items()})
    return found


def _print_colors(merged: Map) -> Node | None:
    printing = merged.get("print")
    return printing.get("colors") if isinstance(printing, Map) else None


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
