"""Where a PDF's text lines are, as oriented boxes, and which of them overlap.

pdfplumber gives every character its text matrix, so a line of text turned 45 or 90
degrees (a chart's category labels) is a rotated rectangle here, not a pile of upright
letter boxes that overlap each other. Lines are runs of characters that follow one
another along one direction; two lines overlap when their rectangles do (separating axis
test), after shrinking each by a tolerance.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

Point = tuple[float, float]


@dataclass
class Line:
    text: str
    origin: Point  # baseline start, PDF user space (y up)
    direction: Point  # unit vector along the baseline
    length: float
    size: float
    end: Point

    def corners(self, shrink: float) -> list[Point]:
        ux, uy = self.direction
        vx, vy = -uy, ux
        low, high = -0.2 * self.size + shrink, 0.75 * self.size - shrink
        start, stop = shrink, max(shrink, self.length - shrink)
        ox, oy = self.origin
        return [
            (ox + ux * s + vx * t, oy + uy * s + vy * t)
            for s, t in ((start, low), (stop, low), (stop, high), (start, high))
        ]


def text_lines(page) -> list[Line]:
    """The page's characters joined into lines, each with its own orientation."""
    lines: list[Line] = []
    for char in page.chars:
        a, b, _c, _d, e, f = char["matrix"]
        scale = math.hypot(a, b) or 1.0
        direction = (a / scale, b / scale)
        advance = char["adv"] * scale if char.get("adv") else char["width"]
        size = char["size"]
        last = lines[-1] if lines else None
        if char["text"].isspace():  # a space joins words but has no ink: only moves on
            if last is not None:
                last.text += " "
                last.end = (
                    last.end[0] + direction[0] * advance,
                    last.end[1] + direction[1] * advance,
                )
            continue
        if (
            last is not None
            and abs(last.direction[0] - direction[0]) < 1e-3
            and abs(last.direction[1] - direction[1]) < 1e-3
            and math.dist(last.end, (e, f)) < 0.35 * size
        ):
            last.text += char["text"]
            last.length = math.dist(last.origin, (e, f)) + advance  # up to this glyph's end
        else:
            last = Line(char["text"], (e, f), direction, advance, size, (e, f))
            lines.append(last)
        last.end = (e + direction[0] * advance, f + direction[1] * advance)
    for line in lines:
        line.text = line.text.strip()
    return [line for line in lines if line.text]


def _separated(p: list[Point], q: list[Point]) -> bool:
    for shape in (p, q):
        for i in range(len(shape)):
            x1, y1 = shape[i]
            x2, y2 = shape[(i + 1) % len(shape)]
            axis = (y1 - y2, x2 - x1)
            a = [axis[0] * x + axis[1] * y for x, y in p]
            b = [axis[0] * x + axis[1] * y for x, y in q]
            if max(a) <= min(b) or max(b) <= min(a):
                return True
    return False


def overlapping(lines: list[Line], shrink: float = 0.6) -> list[tuple[str, str]]:
    """Pairs of lines whose boxes overlap by more than `shrink` points on each side."""
    boxes = [line.corners(shrink) for line in lines]
    found = []
    for i in range(len(lines)):
        for j in range(i + 1, len(lines)):
            if not _separated(boxes[i], boxes[j]):
                found.append((lines[i].text, lines[j].text))
    return found
