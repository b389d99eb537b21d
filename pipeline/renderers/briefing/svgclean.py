"""A chart's SVG made fit to print inline: accessible, self-contained, reproducible, safe.

matplotlib's SVG is rewritten before it goes into the page: its CSS `style` attributes become
SVG presentation attributes (WeasyPrint's SVG reader logs every CSS declaration it does not
know as HTML, which would fail the build), ids get the chart's own prefix (two charts on one
page must not share `clip-path` ids), metadata and the DOCTYPE go, and it gains a `<title>`
with the chart's alt text, which screen readers read and WeasyPrint writes as the PDF
figure's /Alt. The SVG is parsed and serialised again, so nothing in it can end the element
or carry markup: elements and attributes outside the drawing vocabulary are dropped.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

SVG = "http://www.w3.org/2000/svg"
XLINK = "http://www.w3.org/1999/xlink"
HREF = f"{{{XLINK}}}href"

# What matplotlib draws charts with; anything else (script, foreignObject, image) is dropped.
ELEMENTS = frozenset(
    f"{{{SVG}}}{name}"
    for name in ("svg", "g", "defs", "path", "use", "text", "tspan", "clipPath", "rect", "title")
)
PRESENTATION = frozenset(
    {
        "fill",
        "fill-opacity",
        "fill-rule",
        "stroke",
        "stroke-width",
        "stroke-linejoin",
        "stroke-linecap",
        "stroke-opacity",
        "stroke-dasharray",
        "stroke-dashoffset",
        "stroke-miterlimit",
        "opacity",
        "font-size",
        "font-family",
        "font-weight",
        "font-style",
        "text-anchor",
        "dominant-baseline",
        "clip-path",
    }
)
ATTRIBUTES = PRESENTATION | {
    "id",
    "d",
    "x",
    "y",
    "width",
    "height",
    "viewBox",
    "transform",
    "clip-path",
    "version",
    HREF,
}
_URL = re.compile(r"url\(#([^)]+)\)")


Faces = tuple[tuple[str, frozenset[int]], ...]  # (family, the code points it draws), in order
JOINERS = frozenset({0x200D, 0xFE0E, 0xFE0F, 0x20E3})


def clean_svg(raw: str, prefix: str, alt: str, faces: Faces) -> str:
    """The SVG as it goes inline into the briefing, its ids starting with `prefix`, its
    text in the theme's faces: SVG text inherits no font from the page, and WeasyPrint's
    SVG text takes no fallback from a list of families, so a character the body face lacks
    goes into a <tspan> naming the face that has it (never a font of the machine's)."""
    root = ET.fromstring(raw)
    _prune(root)
    ids = {el.get("id") for el in root.iter() if el.get("id")}
    used = _references(root)
    for el in list(root.iter()):
        _presentation_attributes(el)
        _rename(el, prefix, ids, used)
        if el.tag == f"{{{SVG}}}text":
            _font_runs(el, faces)
    title = ET.Element(f"{{{SVG}}}title")
    title.text = alt
    root.insert(0, title)
    root.set("role", "img")
    root.set("class", "chart-svg")
    # Plain names and SVG 2's plain href, the namespace declared once: ElementTree's
    # prefixes are process-wide, and another library may register its own for SVG.
    for el in root.iter():
        el.tag = el.tag.removeprefix(f"{{{SVG}}}")
        if HREF in el.attrib:
            el.set("href", el.attrib.pop(HREF))
    root.attrib = {"xmlns": SVG, **root.attrib}
    return ET.tostring(root, encoding="unicode")


def _prune(parent: ET.Element) -> None:
    """Drop elements outside the vocabulary (metadata, style, ...) and unknown attributes."""
    for child in list(parent):
        if child.tag not in ELEMENTS:
            parent.remove(child)
        else:
            _prune(child)
    for name in list(parent.attrib):
        if name not in ATTRIBUTES and name != "style":
            del parent.attrib[name]
    href = parent.get(HREF)
    if href is not None and not href.startswith("#"):
        del parent.attrib[HREF]


def _presentation_attributes(el: ET.Element) -> None:
    style = el.attrib.pop("style", "")
    for declaration in style.split(";"):
        name, _, value = declaration.partition(":")
        name, value = name.strip(), value.strip()
        if name in PRESENTATION and value:
            el.set(name, value)


def _font_runs(el: ET.Element, faces: Faces) -> None:
    """Name the body face, and put runs of characters only another face has in tspans."""
    body = faces[0][0]
    el.set("font-family", _quoted(body))
    text = el.text or ""
    runs: list[list[str]] = []  # [family, characters]
    for char in text:
        code = ord(char)
        if char.isspace() or code in JOINERS:
            family = runs[-1][0] if runs else body
        else:
            family = next((name for name, cover in faces if code in cover), body)
        if runs and runs[-1][0] == family:
            runs[-1][1] += char
        else:
            runs.append([family, char])
    if len(runs) <= 1 and (not runs or runs[0][0] == body):
        return
    el.text = runs[0][1] if runs[0][0] == body else ""
    last: ET.Element | None = None
    for family, chars in runs[1:] if runs[0][0] == body else runs:
        if family == body and last is not None:
            last.tail = (last.tail or "") + chars
            continue
        last = ET.SubElement(el, f"{{{SVG}}}tspan", {"font-family": _quoted(family)})
        last.text = chars


def _quoted(family: str) -> str:
    return '"' + family.replace('"', "") + '"'


def _references(root: ET.Element) -> set[str]:
    used = set()
    for el in root.iter():
        href = el.get(HREF, "")
        if href.startswith("#"):
            used.add(href[1:])
        for value in (el.get("clip-path", ""), el.get("style", "")):
            used.update(_URL.findall(value))
    return used


def _rename(el: ET.Element, prefix: str, ids: set[str | None], used: set[str]) -> None:
    """Referenced ids get the prefix; ids nothing refers to are dropped."""
    ident = el.get("id")
    if ident is not None:
        if ident in used:
            el.set("id", f"{prefix}-{ident}")
        else:
            del el.attrib["id"]
    href = el.get(HREF)
    if href and href[1:] in ids:
        el.set(HREF, f"#{prefix}-{href[1:]}")
    clip = el.get("clip-path")
    if clip:
        el.set("clip-path", _URL.sub(lambda m: f"url(#{prefix}-{m.group(1)})", clip))
