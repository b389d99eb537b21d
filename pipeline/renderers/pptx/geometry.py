"""Slide geometry: units (EMU, points, inches), boxes on the slide, and where layouts put them."""

from __future__ import annotations

from dataclasses import dataclass

EMU_PER_PT = 12700
EMU_PER_INCH = 914400


def emu(points: float) -> int:
    """Points to EMU, rounded."""
    return round(points * EMU_PER_PT)


def pt(emus: int) -> float:
    """EMU to points."""
    return emus / EMU_PER_PT


def inches(value: float) -> int:
    """Inches to EMU, rounded."""
    return round(value * EMU_PER_INCH)


@dataclass(frozen=True, slots=True)
class Rect:
    """A box on the slide in EMU."""

    x: int
    y: int
    w: int
    h: int

    @property
    def right(self) -> int:
        return self.x + self.w

    @property
    def bottom(self) -> int:
        return self.y + self.h

    def with_(self, **changes: int) -> Rect:
        values = {"x": self.x, "y": self.y, "w": self.w, "h": self.h, **changes}
        return Rect(**values)


def overlap(a: Rect, b: Rect) -> bool:
    """Whether two boxes share any area."""
    return a.x < b.right and b.x < a.right and a.y < b.bottom and b.y < a.bottom


def clear_of(box: Rect, above: Rect, limit: int, least: int = 0) -> Rect:
    """`box` moved below `above` where the two overlap (a subtitle under a title that grew),
    keeping its bottom when at least `least` is left and never passing `limit`."""
    top = above.bottom if overlap(box, above) else box.y
    bottom = box.bottom if box.bottom - top >= least else limit
    return Rect(box.x, top, box.w, max(0, min(bottom, limit) - top))


@dataclass(frozen=True, slots=True)
class Geometry:
    """Where the layouts put things; all boxes in EMU."""

    width: int
    height: int
    margin: int
    title: Rect  # content slides' title
    body: Rect  # content slides' body
    columns: tuple[Rect, Rect]
    cover_title: Rect
    cover_subtitle: Rect
    divider_title: Rect
    divider_body: Rect
    footer: Rect | None  # content slides' footer placeholder
    drawn: bool  # True: twinpress's own master (room for kickers and numbers)

    @property
    def floor(self) -> int:
        """The lowest a slide's text may reach: the slide's height less half a margin."""
        return self.height - self.margin // 2
