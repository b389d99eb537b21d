"""Embedded fonts in the package, as PowerPoint writes them: one `ppt/fonts/fontN.fntdata`
part per face (content type application/x-fontdata, related from the presentation part),
listed in `p:embeddedFontLst` with `embedTrueTypeFonts` (and `saveSubsetFonts`) set on
`p:presentation`. python-pptx has no API for any of it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from lxml import etree
from pptx.opc.constants import CONTENT_TYPE as CT
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.package import Part

from ..embedding import EmbeddedFamily
from .base import Element, qn

if TYPE_CHECKING:
    from pptx.presentation import Presentation

# p:presentation's children that follow p:embeddedFontLst (ECMA-376 Part 1, 19.2.1.26).
_AFTER = ("custShowLst", "photoAlbum", "custDataLst", "kinsoku", "defaultTextStyle",
          "modifyVerifier", "extLst")  # fmt: skip
_STYLE_ELEMENTS = {"regular": "regular", "bold": "bold", "italic": "italic",
                   "bold_italic": "boldItalic"}  # fmt: skip


def typefaces_used(prs: Presentation) -> set[str]:
    """Every typeface a run, paragraph end or bullet of a slide or chart names."""
    found: set[str] = set()
    tags = (qn("a:latin"), qn("a:ea"), qn("a:cs"), qn("a:buFont"))
    for root in _text_roots(prs):
        for el in root.iter(*tags):
            face = el.get("typeface")
            if face and not face.startswith("+"):
                found.add(face)
    return found


# What a chart may print beyond its XML's text: numbers in the viewer's locale (digits,
# signs, separators: comma, point, no-break and narrow no-break spaces, apostrophe).
_CHART_NUMBERS = "0123456789+-−.,\u00a0\u202f'%E"


def _charts(prs: Presentation) -> list[Element]:
    """The slides' charts' XML (a chart's text lives in its own part)."""
    return [s.chart._chartSpace for slide in prs.slides for s in slide.shapes if s.has_chart]


def _text_roots(prs: Presentation) -> list[Element]:
    return [slide._element for slide in prs.slides] + _charts(prs)


def deck_text(prs: Presentation) -> str:
    """Every character the slides, their charts and their notes show."""
    parts = [el.text or "" for slide in prs.slides for el in slide._element.iter(qn("a:t"))]
    for chart in _charts(prs):
        parts += [el.text or "" for el in chart.iter(qn("a:t"), qn("c:v"), qn("c:formatCode"))]
        parts.append(_CHART_NUMBERS)
    for slide in prs.slides:
        if slide.has_notes_slide:
            parts += [el.text or "" for el in slide.notes_slide._element.iter(qn("a:t"))]
    return "".join(parts)


def embed(prs: Presentation, families: Sequence[EmbeddedFamily], subset: bool) -> None:
    """Add the font parts and list them in presentation.xml."""
    root: Element = prs.part._element
    for old in root.findall(qn("p:embeddedFontLst")):
        root.remove(old)
    if not families:
        return
    lst = etree.Element(qn("p:embeddedFontLst"))
    package = prs.part.package
    for family in families:
        entry = etree.SubElement(lst, qn("p:embeddedFont"))
        etree.SubElement(entry, qn("p:font"), typeface=family.typeface, panose=family.panose,
                         pitchFamily=str(family.pitch_family), charset="0")  # fmt: skip
        for style, blob in family.styles.items():
            name = package.next_partname("/ppt/fonts/font%d.fntdata")
            part = Part(name, CT.X_FONTDATA, package, blob)
            rid = prs.part.relate_to(part, RT.FONT)
            etree.SubElement(entry, qn(f"p:{_STYLE_ELEMENTS[style]}"), {qn("r:id"): rid})
    _insert(root, lst)
    root.set("embedTrueTypeFonts", "1")
    if subset:
        root.set("saveSubsetFonts", "1")


def _insert(root: Element, lst: Element) -> None:
    """Place the list where the schema wants it: before the first element that follows it."""
    for child in root:
        if etree.QName(child).localname in _AFTER:
            child.addprevious(lst)
            return
    root.append(lst)
