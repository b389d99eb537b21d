"""A corporate template as it will render: each layout's placeholders (kind, name, box) and
the colours its background paints (solid fills, gradient stops, a picture's light and dark
ends), resolved through the master's colour map and the theme part's colour scheme, its
background fill styles and DrawingML's colour transforms."""

from __future__ import annotations

import colorsys
import io
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from lxml import etree
from pptx.opc.constants import RELATIONSHIP_TYPE as RT

from ..geometry import Rect
from .base import Element, qn

A = "http://schemas.openxmlformats.org/drawingml/2006/main"
NS = {"a": A, "p": "http://schemas.openxmlformats.org/presentationml/2006/main"}


@dataclass(frozen=True, slots=True)
class Placeholder:
    kind: str  # 'title', 'body', 'footer', 'number', 'date', 'picture', 'other'
    name: str
    rect: Rect | None


@dataclass(frozen=True, slots=True)
class LayoutInfo:
    name: str
    placeholders: tuple[Placeholder, ...]
    backgrounds: tuple[str, ...]  # '#RRGGBB' colours its background paints
    shapes: tuple[tuple[Rect, tuple[str, ...]], ...] = ()  # filled master and layout shapes

    def of_kind(self, kind: str) -> list[Placeholder]:
        return [p for p in self.placeholders if p.kind == kind]

    def behind(self, rect: Rect) -> tuple[str, ...]:
        """Every colour painted behind `rect`: the background and the filled shapes of the
        master and layout that it overlaps."""
        found = list(self.backgrounds)
        for box, colors in self.shapes:
            if (
                box.x < rect.right
                and rect.x < box.right
                and box.y < rect.bottom
                and rect.y < box.bottom
            ):
                found += colors
        return tuple(dict.fromkeys(found))


@dataclass(frozen=True, slots=True)
class TemplateInfo:
    width: int
    height: int
    layouts: dict[str, LayoutInfo]


_KINDS = {"title": "title", "ctrTitle": "title", "body": "body", "obj": "body",
          "subTitle": "body", "ftr": "footer", "sldNum": "number", "dt": "date",
          "pic": "picture"}  # fmt: skip


def read_template(path: Path) -> TemplateInfo | None:
    """The template's layouts and backgrounds; None when it does not open."""
    return _read(path, path.stat().st_mtime_ns)


@lru_cache(maxsize=8)
def _read(path: Path, _mtime: int) -> TemplateInfo | None:
    from pptx import Presentation

    try:
        prs = Presentation(str(path))
    except Exception:  # a damaged package: zipfile, python-pptx and lxml raise many kinds
        return None
    layouts: dict[str, LayoutInfo] = {}
    for master in prs.slide_masters:
        scheme = _Scheme(master)
        for layout in master.slide_layouts:
            holders = tuple(_placeholder(shape) for shape in layout.placeholders)
            fill = _background(layout._element)
            fill = fill if fill is not None else _background(master._element)
            owner = layout if _background(layout._element) is not None else master
            # No background anywhere: PowerPoint paints the slide white.
            colors = tuple(dict.fromkeys(scheme.paints(fill, owner))) if fill is not None else ()
            shapes = tuple(_filled_shapes(master, scheme)) + tuple(_filled_shapes(layout, scheme))
            info = LayoutInfo(layout.name, holders, colors or ("#FFFFFF",), shapes)
            layouts.setdefault(layout.name, info)
    return TemplateInfo(int(prs.slide_width or 0), int(prs.slide_height or 0), layouts)


def _placeholder(shape: Any) -> Placeholder:
    ph = shape._element.find(".//" + qn("p:ph"))
    kind = _KINDS.get(ph.get("type", "obj") if ph is not None else "obj", "other")
    try:
        rect = Rect(shape.left, shape.top, shape.width, shape.height)
    except TypeError:  # a placeholder that inherits no position from anywhere
        rect = None
    if rect is not None and None in (rect.x, rect.y, rect.w, rect.h):
        rect = None
    return Placeholder(kind, shape.name, rect)


def _filled_shapes(owner: Any, scheme: _Scheme) -> Iterator[tuple[Rect, tuple[str, ...]]]:
    """Decorative shapes (not placeholders) with a fill, and the colours they paint."""
    for shape in owner.shapes:
        if shape.is_placeholder or shape.left is None or shape.width is None:
            continue
        sp_pr = shape._element.find(qn("p:spPr"))
        fill = next((c for c in sp_pr if etree.QName(c).localname.endswith("Fill")), None) \
            if sp_pr is not None else None  # fmt: skip
        colors = tuple(scheme.fill(fill, owner)) if fill is not None else ()
        if colors:
            yield Rect(shape.left, shape.top, shape.width, shape.height), colors


def _background(c_sld_owner: Element) -> Element | None:
    return c_sld_owner.find("p:cSld/p:bg", NS)


class _Scheme:
    """A master's colour map, its theme's colour scheme and background fill styles."""

    def __init__(self, master: Any) -> None:
        self.map = dict(master._element.find("p:clrMap", NS).attrib)
        theme: Element = etree.fromstring(master.part.part_related_by(RT.THEME).blob)
        self.scheme = {
            etree.QName(slot).localname: _slot_color(slot)
            for slot in theme.find(".//a:clrScheme", NS)
        }
        styles = theme.find(".//a:fmtScheme/a:bgFillStyleLst", NS)
        self.bg_styles = list(styles) if styles is not None else []

    def paints(self, bg: Element, layout: Any) -> Iterator[str]:
        """The colours a p:bg paints."""
        props = bg.find("p:bgPr", NS)
        if props is not None:
            yield from self.fill(next(iter(props), None), layout)
            return
        ref = bg.find("p:bgRef", NS)
        if ref is None:
            return
        placeholder = self.color(next(iter(ref), None), None)
        index = int(ref.get("idx", "0")) - 1001
        if 0 <= index < len(self.bg_styles):
            yield from self.fill(self.bg_styles[index], layout, placeholder)
        elif placeholder:
            yield placeholder

    def fill(self, fill: Element | None, owner: Any, ph: str | None = None) -> Iterator[str]:
        """The colours a DrawingML fill paints (none for noFill)."""
        if fill is None:
            return
        name = etree.QName(fill).localname
        if name == "solidFill":
            found = self.color(next(iter(fill), None), ph)
            if found:
                yield found
        elif name == "gradFill":
            for stop in fill.findall("a:gsLst/a:gs", NS):
                found = self.color(next(iter(stop), None), ph)
                if found:
                    yield found
        elif name == "pattFill":
            for part in ("a:fgClr", "a:bgClr"):
                holder = fill.find(part, NS)
                found = self.color(next(iter(holder), None), ph) if holder is not None else None
                if found:
                    yield found
        elif name == "blipFill":
            yield from _picture_ends(fill, owner)

    def color(self, el: Element | None, ph: str | None) -> str | None:
        """A DrawingML colour element as '#RRGGBB', transforms applied."""
        if el is None:
            return None
        name, value = etree.QName(el).localname, el.get("val", "")
        base: str | None
        if name == "srgbClr":
            base = f"#{value.upper()}"
        elif name == "sysClr":
            base = f"#{el.get('lastClr', 'FFFFFF').upper()}"
        elif name == "schemeClr":
            slot = ph if value == "phClr" else self.scheme.get(self.map.get(value, value))
            base = slot
        else:
            base = None
        return _transform(base, el) if base else None


def _slot_color(slot: Element) -> str:
    child = next(iter(slot), None)
    if child is None:
        return "#FFFFFF"
    if etree.QName(child).localname == "sysClr":
        return f"#{child.get('lastClr', 'FFFFFF').upper()}"
    return f"#{child.get('val', 'FFFFFF').upper()}"


def _transform(color: str, el: Element) -> str:
    """DrawingML's colour transforms (tint, shade, lumMod, lumOff, satMod), in order."""
    r, g, b = (int(color[i : i + 2], 16) / 255 for i in (1, 3, 5))
    for op in el:
        name, amount = etree.QName(op).localname, int(op.get("val", "100000")) / 100000
        if name == "tint":
            r, g, b = (1 - (1 - c) * amount for c in (r, g, b))
        elif name == "shade":
            r, g, b = (c * amount for c in (r, g, b))
        elif name in ("lumMod", "lumOff", "satMod"):
            h, light, s = colorsys.rgb_to_hls(r, g, b)
            if name == "lumMod":
                light *= amount
            elif name == "lumOff":
                light += amount
            else:
                s *= amount
            r, g, b = colorsys.hls_to_rgb(h, min(max(light, 0.0), 1.0), min(max(s, 0.0), 1.0))
    return "#" + "".join(f"{round(min(max(c, 0.0), 1.0) * 255):02X}" for c in (r, g, b))


def _picture_ends(fill: Element, owner: Any) -> Iterator[str]:
    """A background picture's light and dark ends (5th and 95th percentile luminance)."""
    from PIL import Image

    blip = fill.find("a:blip", NS)
    rid = blip.get(qn("r:embed")) if blip is not None else None
    if not rid:
        return
    try:
        data = owner.part.related_part(rid).blob
        with Image.open(io.BytesIO(data)) as im:
            small = im.convert("RGB").resize((64, 36))
    except Exception:  # an image Pillow cannot read: its colours stay unknown
        return
    pixels = sorted(small.getdata(), key=lambda p: 0.2126 * p[0] + 0.7152 * p[1] + 0.0722 * p[2])
    for share in (0.05, 0.95):
        p = pixels[int(share * (len(pixels) - 1))]
        yield "#" + "".join(f"{c:02X}" for c in p)
