"""WCAG 2.1 contrast of every colour pair the renderers use, for `twinpress themes --check`.

Renderers only put text or icons on the pairs listed in PAIRS; checking them here makes a
theme accessible by construction, in the deck (screen colours) and in the briefing (paper
colours) alike. Relative luminance is what survives greyscale printing, so a pair that
passes here also stays legible on a black-and-white printer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .colors import contrast
from .errors import Diagnostic
from .tokens import Colors, Theme

Use = Literal["text", "large text", "graphic"]
MINIMUM: dict[Use, float] = {"text": 4.5, "large text": 3.0, "graphic": 3.0}


@dataclass(frozen=True)
class Pair:
    foreground: str
    background: str
    use: Use
    where: str


PAIRS: tuple[Pair, ...] = (
    Pair("text", "background", "text", "body text, bullets, notes"),
    Pair("muted", "background", "text", "captions, footers, slide and page numbers"),
    Pair("primary", "background", "text", "titles and headings"),
    Pair("text", "surface", "text", "call-outs, comparison columns, quotes"),
    Pair("muted", "surface", "text", "labels inside panels"),
    Pair("primary", "surface", "text", "column headings inside panels"),
    Pair("success", "surface", "text", "verdict labels"),
    Pair("warning", "surface", "text", "warning labels"),
    Pair("on_primary", "primary", "text", "table header rows, call to action, title bars"),
    Pair("text", "table_stripe", "text", "striped table rows"),
    Pair("accent", "background", "graphic", "bullet markers and icons"),
    Pair("accent", "surface", "graphic", "markers and icons inside panels"),
    Pair("success", "background", "graphic", "verdict bars"),
    Pair("warning", "background", "graphic", "warning bars"),
)


@dataclass(frozen=True)
class Result:
    palette: str  # "deck and screen" or "briefing (paper)"
    pair: Pair
    foreground: str
    background: str
    ratio: float

    @property
    def minimum(self) -> float:
        return MINIMUM[self.pair.use]

    @property
    def ok(self) -> bool:
        return self.ratio >= self.minimum


def check(theme: Theme) -> list[Result]:
    """Every pair in every palette the theme's outputs use."""
    palettes = {"deck and screen": theme.colors}
    if theme.paper_colors != theme.colors:
        palettes["briefing (paper)"] = theme.paper_colors
    else:
        palettes = {"deck, screen and paper": theme.colors}
    return [_measure(name, colors, pair) for name, colors in palettes.items() for pair in PAIRS]


def _measure(palette: str, colors: Colors, pair: Pair) -> Result:
    fg, bg = getattr(colors, pair.foreground), getattr(colors, pair.background)
    return Result(palette, pair, fg, bg, contrast(fg, bg))


def warnings_for(theme: Theme) -> list[Diagnostic]:
    """A warning per failing pair, at the theme line that set its foreground colour (every
    build prints them; `--strict` makes them errors)."""
    found = []
    for result in check(theme):
        if result.ok:
            continue
        paper = result.palette.startswith("briefing")
        token = result.pair.foreground
        key = f"print.colors.{token}" if paper and f"print.colors.{token}" in theme.locations \
            else f"colors.{token}"  # fmt: skip
        found.append(
            Diagnostic(
                "warning",
                "theme.contrast",
                f"{token} {result.foreground} on {result.pair.background} {result.background} has "
                f"contrast {result.ratio:.2f}:1, below WCAG 2.1 AA's {result.minimum:g}:1 "
                f"({result.pair.where}, {result.palette})",
                theme.locations.get(key),
                "darken or lighten one of the two; `twinpress themes --check` lists every pair",
            )
        )
    return found
