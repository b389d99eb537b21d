"""A chart as vector SVG, drawn with matplotlib in the theme's fonts and colours.

Why matplotlib: it measures text with the theme's own font files (so labels are placed
around real widths), writes text as SVG text in the named family (`svg.fonttype: none`),
and with a fixed `svg.hashsalt` and no date its SVG is byte-identical for the same data.
pygal writes a random id into every chart and guesses text widths; Vega-Lite (vl-convert)
is reproducible but starts a JavaScript runtime per process; plotly needs a Chrome to
export SVG. The measurements are in the README. matplotlib is imported only when a
document has a chart that no earlier build drew (`store`); `svgclean` makes its output
fit to print inline.

The numbers are the deck's: the same series colours in the same order, the same marker
shapes, values formatted with the chart's decimals and unit (in the document's language).
"""

from __future__ import annotations

import functools
import hashlib
import io
import warnings
from dataclasses import replace
from pathlib import Path
from typing import Any

from ... import store
from ...charts import Chart
from ...errors import Diagnostic, RenderError
from ...fingerprint import canonical
from .chartstyle import ChartStyle
from .svgclean import clean_svg

HASH_SALT = "twinpress"
_REGISTERED: set[Path] = set()


def chart_svg(
    chart: Chart, style: ChartStyle, prefix: str, made: dict[str, bytes] | None = None
) -> str:
    """The chart as one inline SVG element, its ids starting with `prefix`. With `made`,
    a drawing an earlier build stored is used (matplotlib is not even imported), and a
    chart drawn anew is added to `made` for the build to store."""
    if made is None:
        return clean_svg(_drawn(chart, style), prefix, chart.alt, style.faces)
    raw = store.reused(
        drawing_name(chart, style), made, lambda: _drawn(chart, style).encode("utf-8")
    )
    return clean_svg(raw.decode("utf-8"), prefix, chart.alt, style.faces)


def drawing_name(chart: Chart, style: ChartStyle) -> str:
    """What the chart's drawing is stored as: its data, its style, the bytes of the fonts it
    was measured with and the versions of matplotlib and of what lays its figures out
    (numpy, kiwisolver), with twinpress's code as in every key."""
    return store.key(
        "chart",
        canonical(chart),
        canonical(replace(style, files=())),
        *(digest(path) for path in style.files),
        *(store.version(name) for name in ("matplotlib", "numpy", "kiwisolver")),
    )


def _drawn(chart: Chart, style: ChartStyle) -> str:
    """matplotlib's SVG of the chart, drawn with the theme's font and the style's sizes."""
    import matplotlib

    _fonts(style)
    with matplotlib.rc_context(_rc(style)), warnings.catch_warnings():
        # A character the body font lacks (an emoji) is measured as nothing; the glyph
        # check has made sure a theme font draws it, and the SVG names every theme family.
        warnings.filterwarnings("ignore", r"Glyph \d+ .*missing from font", UserWarning)
        # Labels too long for any layout are drawn where matplotlib can put them.
        warnings.filterwarnings("ignore", "constrained_layout not applied", UserWarning)
        return _draw(chart, style)


def _fonts(style: ChartStyle) -> None:
    """Make the theme's body font the only one matplotlib can find for its family."""
    from matplotlib import font_manager

    for path in style.files:
        if path not in _REGISTERED:
            font_manager.fontManager.addfont(str(path))
            _REGISTERED.add(path)
    found = font_manager.findfont(
        font_manager.FontProperties(family=style.family), fallback_to_default=False
    )
    # Another project's copy of the same font may have been registered first in this
    # process: what matters is that the file found is the theme's font.
    if digest(Path(found)) not in {digest(p) for p in style.files}:
        raise RenderError(
            [
                Diagnostic(
                    "error",
                    "render.chart-font",
                    f"charts would measure text with another font called '{style.family}' "
                    f"({found}), not the theme's",
                    None,
                    "fonts.body.family must be the family name stored in its font files, "
                    "and one family name must mean one font",
                )
            ]
        )


def digest(path: Path) -> str:
    return _digest(path, path.stat().st_mtime_ns)


@functools.lru_cache(maxsize=64)
def _digest(path: Path, mtime: int) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _rc(style: ChartStyle) -> Any:  # matplotlib types rcParams as a Literal of every key
    return {
        "svg.fonttype": "none",
        "svg.hashsalt": HASH_SALT,
        "text.parse_math": False,  # '$' in a label is a dollar, not TeX (and not DejaVu)
        "font.family": [style.family],
        "font.size": style.size,
        "text.color": style.text,
        "axes.labelcolor": style.text,
        "axes.edgecolor": style.grid,
        "axes.linewidth": 0.8,
        "axes.unicode_minus": False,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.axisbelow": True,
        "axes.labelsize": style.size,
        "axes.labelpad": 6.0,
        "xtick.labelcolor": style.muted,
        "ytick.labelcolor": style.muted,
        "xtick.labelsize": style.size,
        "ytick.labelsize": style.size,
        "xtick.major.size": 0,
        "ytick.major.size": 0,
        "xtick.major.pad": 4,
        "ytick.major.pad": 4,
        "grid.color": style.grid,
        "grid.linewidth": 0.6,
        "legend.frameon": False,
        "legend.fontsize": style.size,
        "figure.dpi": 72,
        "savefig.dpi": 72,
    }


# The PDF and the HTML page of a build, and every audience that keeps a chart, draw the
# same chart with the same style: matplotlib's drawing is most of a chart's cost.
@functools.lru_cache(maxsize=32)
def _draw(chart: Chart, style: ChartStyle) -> str:
    from matplotlib.figure import Figure
    from matplotlib.layout_engine import ConstrainedLayoutEngine

    from .chartparts import Parts

    parts = Parts(chart, style)
    layout = ConstrainedLayoutEngine(w_pad=2 / 72, h_pad=4 / 72)
    figure = Figure(figsize=(style.width / 72, parts.height() / 72), layout=layout)
    axes = figure.add_subplot()
    handles = parts.draw(axes)
    if chart.legend:
        names = parts.legend_names()
        figure.legend(
            handles,
            names,
            loc="outside lower center",
            ncols=parts.legend_columns(names),
            handlelength=1.0,
            handleheight=0.8,
            handletextpad=0.5,
            columnspacing=1.4,
        )
    parts.settle(axes)
    if parts.values:
        parts.declutter(axes)
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", transparent=True, metadata={"Date": None, "Creator": None})
    return buffer.getvalue()
