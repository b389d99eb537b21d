"""What a briefing's charts are drawn with, as one value: part of a stored chart's key, and
importable without matplotlib (a chart found in the `store` never loads it)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class ChartStyle:
    """What a briefing's charts are drawn with: the medium's colours, the body font, sizes."""

    series: tuple[str, ...]
    text: str
    muted: str  # tick labels
    grid: str  # gridlines and axis lines
    background: str  # lines between slices
    family: str  # measured with
    faces: tuple[tuple[str, frozenset[int]], ...]  # SVG text's faces and what each draws
    files: tuple[Path, ...]  # the body family's font files
    size: float  # points: labels, ticks and legend
    width: float  # points: the column the chart fills
    height: float  # points: the tallest a chart may be (a page, less its titles)
    language: str
