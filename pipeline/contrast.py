"""WCAG 2.1 contrast of every colour pair the renderers use, for `twinpress themes --check`.

Renderers only put text or icons on the pairs listed in PAIRS; checking them here makes a
theme accessible by construction, in the deck (screen colours) and in the briefing (paper
colours) alike. Relative luminance is what survives greyscale printing, so a pair that
passes here also stays legible on a black-and-white printer.

Chart series colours are graphics: each must reach 3:1 against the background (WCAG 1.4.11),
and each must differ from the next one (bars side by side, stacked segments, pie slices,
the last slice touching the first) by a CIEDE2000 distance of at least 20 with normal
colour vision and 10 under simulated deuteranopia, protanopia and tritanopia (Brettel's
simulation, via coloraide). A distance of about 2 is just noticeable side by side; 20
tells two colours apart at a glance, across a slide or in a legend, which is what a chart
reader has to do.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .colors import contrast
from .errors import Diagnostic
from .tokens import Colors, Theme

NORMAL_DISTANCE = 20.0  # CIEDE2000 between neighbouring series colours
CVD_DISTANCE = 10.0  # the same, under each simulated colour-vision deficiency
VISIONS = {"normal vision": None, "deuteranopia": "deutan", "protanopia": "protan"}
VISIONS["tritanopia"] = "tritan"

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

    def line(self) -> str:
        mark = "ok  " if self.ok else "FAIL"
        return (
            f"{mark} {self.ratio:5.2f}:1 (min {self.minimum:g}) {self.palette}: "
            f"{self.pair.foreground} {self.foreground} on {self.pair.background} "
            f"{self.background} - {self.pair.where}"
        )


@dataclass(frozen=True)
class Distance:
    """How far apart two neighbouring series colours look, for one kind of colour vision."""

    palette: str
    first: int  # 1-based series numbers
    second: int
    colors: tuple[str, str]
    vision: str
    delta: float  # CIEDE2000

    @property
    def minimum(self) -> float:
        return NORMAL_DISTANCE if self.vision == "normal vision" else CVD_DISTANCE

    @property
    def ok(self) -> bool:
        return self.delta >= self.minimum

    def line(self) -> str:
        mark = "ok  " if self.ok else "FAIL"
        a, b = self.colors
        return (
            f"{mark} {self.delta:5.1f} ΔE00 (min {self.minimum:g}) {self.palette}: "
            f"series {self.first} {a} next to series {self.second} {b} - {self.vision}"
        )


def palettes(theme: Theme) -> dict[str, Colors]:
    """The palettes the theme's outputs use, by name."""
    if theme.paper_colors != theme.colors:
        return {"deck and screen": theme.colors, "briefing (paper)": theme.paper_colors}
    return {"deck, screen and paper": theme.colors}


def check(theme: Theme) -> list[Result]:
    """Every pair, and every series colour on the background, in every palette."""
    results = []
    for name, colors in palettes(theme).items():
        results += [_measure(name, colors, pair) for pair in PAIRS]
        for n, color in enumerate(colors.series, 1):
            pair = Pair(f"series {n}", "background", "graphic", "chart bars, lines and slices")
            bg = colors.background
            results.append(Result(name, pair, color, bg, contrast(color, bg)))
    return results


def distinct(theme: Theme) -> list[Distance]:
    """Every neighbouring pair of series colours, cyclically, under every kind of vision."""
    from coloraide import Color

    out = []
    for name, colors in palettes(theme).items():
        series = colors.series
        for i, first in enumerate(series):
            j = (i + 1) % len(series)
            for vision, deficiency in VISIONS.items():
                a, b = Color(first), Color(series[j])
                if deficiency:
                    a, b = a.filter(deficiency), b.filter(deficiency)
                delta = a.delta_e(b, method="2000")
                out.append(Distance(name, i + 1, j + 1, (first, series[j]), vision, delta))
    return out


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
