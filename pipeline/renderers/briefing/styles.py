"""The briefing's stylesheets: theme tokens as CSS custom properties, font faces, markers, files.

Only validated tokens reach CSS: colours are checked hex, sizes are numbers, the paper and
marker names come from closed lists, and family names are written as escaped CSS strings.
No other YAML text is ever interpolated into a stylesheet: running headers take their text
from the document with `string-set`, not from `content: "..."`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import fields
from pathlib import Path
from typing import Literal

from ...errors import Diagnostic, RenderError
from ...fetcher import AssetPolicy, data_uri
from ...fonts import FONT_ROLES, FontFace, FontRole
from ...model import MARKERS
from ...tokens import Colors, Theme
from . import glyphs

Media = Literal["print", "screen"]
# Page sizes in millimetres.
PAPER_MM: dict[str, tuple[float, float]] = {"A4": (210.0, 297.0), "Letter": (215.9, 279.4)}
# The structural stylesheet shared by both media, then the one for each medium.
STYLESHEETS: dict[str, tuple[str, ...]] = {
    "print": ("briefing.css", "print.css"),
    "screen": ("briefing.css", "screen.css"),
}
# Every theme in the chain may add rules in this file without replacing a whole stylesheet.
EXTRA = "extra.css"
_HEX = re.compile(r"^#[0-9A-Fa-f]{6}$")
WEIGHTS = {
    "regular": (400, "normal"),
    "bold": (700, "normal"),
    "italic": (400, "italic"),
    "bold_italic": (700, "italic"),
}


def css_string(text: str) -> str:
    """`text` as a double-quoted CSS string in which only letters, digits, space, '-' and '_'
    appear literally; everything else is a hex escape, so no value can end the string or a
    <style> element."""
    out = []
    for char in text:
        if char.isascii() and (char.isalnum() or char in " -_"):
            out.append(char)
        else:
            out.append(f"\\{ord(char):x} ")
    return '"' + "".join(out) + '"'


_URL_SAFE = re.compile(r"^(data|file):[A-Za-z0-9:/._~%+=;,-]*$")


def css_url(uri: str) -> str:
    """url("...") for a data: or file: URI; one with any character that could end the
    string is escaped like any other CSS string."""
    return f'url("{uri}")' if _URL_SAFE.match(uri) else f"url({css_string(uri)})"


def color(value: str) -> str:
    if not _HEX.match(value):  # the theme loader validated it; never trust a drift
        raise ValueError(f"not a hex colour: {value!r}")
    return value.lower()


def number(value: float) -> str:
    return f"{float(value):.4g}"


def family_stack(
    theme: Theme, first: FontFace, emoji: bool, fallbacks: frozenset[str] = frozenset()
) -> str:
    """`first`, then the theme's other families, the script fallbacks the text needs, then
    the emoji face when it is needed.

    No generic family closes the stack: a character the theme's fonts lack is reported
    before layout instead of being drawn from whatever the machine has.
    """
    names = [first.family] + [f.family for f in theme.fonts.faces() if f.family != first.family]
    names += [f.family for f in theme.fonts.fallbacks if f.family in fallbacks]
    if emoji and theme.fonts.emoji:
        names.append(emoji_family(theme))
    return ", ".join(css_string(n) for n in names)


def emoji_family(theme: Theme) -> str:
    # A name of our own: listing a family whose name contains "emoji" makes Pango draw
    # digits from it (WeasyPrint #2291, #2800); the unicode-range keeps it to emoji anyway.
    return "twinpress emoji"


UrlFor = Callable[[Path, str], str]  # (font file, role) -> URL for src


def font_face_rules(
    theme: Theme,
    url_for: UrlFor,
    emoji: bool,
    roles: Iterable[FontRole] = FONT_ROLES,
    fallbacks: frozenset[str] = frozenset(),
) -> str:
    """@font-face rules for every file of the theme's faces, and of the fallback and emoji
    faces the text needs."""
    rules = []
    for fallback in theme.fonts.fallbacks:
        if fallback.family not in fallbacks:
            continue
        for style, path in fallback.files().items():
            weight, slant = WEIGHTS[style]
            rules.append(
                f"@font-face {{ font-family: {css_string(fallback.family)}; "
                f"src: {css_url(url_for(path, fallback.family))}; "
                f"font-weight: {weight}; font-style: {slant}; }}"
            )
    for face in theme.fonts.faces(roles):
        for style, path in face.files().items():
            weight, slant = WEIGHTS[style]
            rules.append(
                f"@font-face {{ font-family: {css_string(face.family)}; "
                f"src: {css_url(url_for(path, face.family))}; "
                f"font-weight: {weight}; font-style: {slant}; }}"
            )
    if emoji and theme.fonts.emoji:
        path = theme.fonts.emoji.file
        rules.append(
            f"@font-face {{ font-family: {css_string(emoji_family(theme))}; "
            f"src: {css_url(url_for(path, 'emoji'))}; "
            f"unicode-range: {glyphs.unicode_range()}; }}"
        )
    return "\n".join(rules)


def custom_properties(
    theme: Theme,
    colors: Colors,
    media: Media,
    paper: str,
    emoji: bool,
    fallbacks: frozenset[str] = frozenset(),
) -> str:
    """`:root { --color-primary: ...; --font-body: ...; --size-base: ...; }` from the tokens."""
    props = {
        f"--color-{f.name.replace('_', '-')}": color(getattr(colors, f.name))
        for f in fields(Colors)
    }
    props.update(
        {
            f"--font-{role}": family_stack(theme, theme.fonts.role(role), emoji, fallbacks)
            for role in FONT_ROLES
        }
    )
    sizes = theme.type.print
    props.update(
        {
            f"--size-{name}": _size(getattr(sizes, name), media)
            for name in ("base", "title", "section", "heading", "small")
        }
    )
    props["--line-height"] = number(sizes.line_height)
    if media == "print":
        props.update(_page_properties(theme, paper))
    body = "\n".join(f"  {k}: {v};" for k, v in props.items())
    return f":root {{\n{body}\n}}"


def _size(points: float, media: Media) -> str:
    # Screens are read from further away than paper: 1pt of print becomes 1.6px (1.2 x the
    # CSS 4/3 px per pt), so 10.5pt body text is 16.8px on screen.
    return f"{number(points)}pt" if media == "print" else f"{number(points * 1.6)}px"


def _page_properties(theme: Theme, paper: str) -> dict[str, str]:
    width, height = PAPER_MM[paper]
    space = theme.spacing.print
    return {
        "--page-width": f"{number(width)}mm",
        "--page-height": f"{number(height)}mm",
        "--margin-top": f"{number(space.margin_top)}mm",
        "--margin-bottom": f"{number(space.margin_bottom)}mm",
        "--margin-side": f"{number(space.margin_side)}mm",
    }


def page_rules(theme: Theme, paper: str) -> str:
    """@page geometry; `size` and `margin` take no var() in WeasyPrint, so they are written
    out from the validated tokens."""
    width, height = PAPER_MM[paper]
    space = theme.spacing.print
    return (
        f"@page {{ size: {number(width)}mm {number(height)}mm; "
        f"margin: {number(space.margin_top)}mm {number(space.margin_side)}mm "
        f"{number(space.margin_bottom)}mm; }}\n"
        f":root {{ --cover-height: {number(height)}mm; }}"
    )


def marker_rules(
    theme: Theme, colors: Colors, policy: AssetPolicy, emoji_markers: Iterable[str]
) -> str:
    """One rule per semantic marker: the theme's icon in the accent colour, or its emoji.

    Icons are CSS backgrounds, which tagged PDF marks as artifacts, so a decorative marker
    needs no alt text and screen readers skip it.
    """
    rules = []
    emoji = set(emoji_markers)
    emoji_stack = ", ".join(
        css_string(n)
        for n in ([emoji_family(theme)] if theme.fonts.emoji else []) + [theme.fonts.body.family]
    )
    for marker, char in MARKERS.items():
        selector = f".m-{marker}::before"
        if marker in emoji:
            # The emoji face first, so a marker the text font also has (⚠) is in colour too;
            # selectors as specific as briefing.css's box rule, which they adjust.
            rules.append(
                f"ul.bullets > li.m-{marker}::before, p.cta-action.m-{marker}::before "
                f"{{ content: {css_string(char)}; background: none; "
                f"font-family: {emoji_stack}; vertical-align: baseline; "
                f"line-height: 1; }}"
            )
            continue
        icon = theme.icon(marker)
        if icon is None:
            raise RenderError(
                [
                    Diagnostic(
                        "error",
                        "render.theme-file",
                        f"theme '{theme.name}' has no icon for marker '{marker}'",
                        None,
                        f"add icons/{marker}.svg to the theme or its parent",
                    )
                ]
            )
        # On the call to action's primary fill the accent may not contrast: use on_primary.
        for scope, ink in (("", colors.accent), (".cta ", colors.on_primary)):
            uri = icon_uri(icon, ink, policy)
            rules.append(f'{scope}{selector} {{ content: ""; background-image: {css_url(uri)}; }}')
    return "\n".join(rules)


def icon_uri(path: Path, ink: str, policy: AssetPolicy) -> str:
    """The icon as a data: URI, its `currentColor` strokes and fills set to `ink`."""
    real = policy.check_path(path)
    svg = real.read_text(encoding="utf-8").replace("currentColor", color(ink))
    return data_uri(svg.encode("utf-8"), "image/svg+xml")


def stylesheet_files(theme: Theme, media: Media, policy: AssetPolicy) -> list[Path]:
    """The theme's stylesheets for a medium, each looked up child first, then every
    `extra.css` from the root theme down to the child."""
    found = []
    for name in STYLESHEETS[media]:
        path = theme.find(f"styles/{name}")
        if path is None:
            raise RenderError(
                [
                    Diagnostic(
                        "error",
                        "render.theme-file",
                        f"theme '{theme.name}' has no styles/{name}",
                        None,
                        "every theme chain needs it; the base theme ships one",
                    )
                ]
            )
        found.append(policy.check_path(path))
    for folder in reversed(theme.dirs):
        extra = folder / "styles" / EXTRA
        if extra.is_file():
            found.append(policy.check_path(extra))
    return found
