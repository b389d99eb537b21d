"""Shapes: fills, outlines, positions, backgrounds, layout decorations, table cells, alt text
and reading order, where python-pptx has no API (or writes what PowerPoint would not)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from lxml import etree
from pptx.enum.shapes import PP_PLACEHOLDER as PH
from pptx.oxml.ns import nsdecls

from ....colors import digits
from ..geometry import Rect, emu
from ..slideplan import Insets
from .base import Element, qn, solid_fill

DECORATIVE_EXT = "{C183D7F6-B498-43B3-948B-1728B52AA6E4}"
ADEC = "http://schemas.microsoft.com/office/drawing/2017/decorative"


def element(shape: Any) -> Element:
    """The XML element behind a python-pptx shape, placeholder or layout."""
    return shape._element


def shape_tree(slide_like: Any) -> Element:
    """The `p:spTree` of a slide, layout or master: its shapes in z- and reading order."""
    return slide_like.shapes._spTree


def remove(shape: Any) -> None:
    """Delete a shape (an unused placeholder) from its slide or layout."""
    el = element(shape)
    el.getparent().remove(el)


def set_rect(shape: Any, rect: Rect) -> None:
    """Position and size together: python-pptx writes an `a:off` without `a:ext` when only
    `top` is set, and the shape then starts at the slide's left edge."""
    shape.left, shape.top, shape.width, shape.height = rect.x, rect.y, rect.w, rect.h


def fill(shape: Any, color: str) -> None:
    """Replace the shape's fill with a solid colour (placeholders keep their outline)."""
    sp_pr = element(shape).find(qn("p:spPr"))
    for old in sp_pr.findall(qn("a:solidFill")) + sp_pr.findall(qn("a:noFill")):
        sp_pr.remove(old)
    new = etree.Element(qn("a:solidFill"))
    etree.SubElement(new, qn("a:srgbClr"), val=digits(color))
    geom = sp_pr.find(qn("a:prstGeom"))
    if geom is not None:
        geom.addnext(new)
    else:
        xfrm = sp_pr.find(qn("a:xfrm"))
        (xfrm.addnext(new) if xfrm is not None else sp_pr.insert(0, new))


def plain(sp: Element, color: str | None) -> None:
    """A flat shape: one fill (or none), no outline, no theme style (no shadow, no white text)."""
    sp_pr = sp.find(qn("p:spPr"))
    geom = sp_pr.find(qn("a:prstGeom"))
    if color:
        new = etree.Element(qn("a:solidFill"))
        etree.SubElement(new, qn("a:srgbClr"), val=digits(color))
    else:
        new = etree.Element(qn("a:noFill"))
    geom.addnext(new)
    line = etree.Element(qn("a:ln"))
    etree.SubElement(line, qn("a:noFill"))
    new.addnext(line)
    style = sp.find(qn("p:style"))
    if style is not None:
        sp.remove(style)


def plain_shape(shape: Any, color: str | None) -> None:
    plain(element(shape), color)


# -- backgrounds and layouts -------------------------------------------------------------


def replace_background(c_sld: Element, color: str) -> None:
    old = c_sld.find(qn("p:bg"))
    if old is not None:
        c_sld.remove(old)
    bg = etree.fromstring(
        f"<p:bg {nsdecls('a', 'p')}><p:bgPr><a:solidFill><a:srgbClr "
        f'val="{digits(color)}"/></a:solidFill><a:effectLst/></p:bgPr></p:bg>'
    )
    c_sld.insert(0, bg)


def set_background(slide_like: Any, color: str) -> None:
    """A solid background on a master, layout or slide."""
    replace_background(element(slide_like).cSld, color)


def rename_layout(layout: Any, name: str) -> None:
    element(layout).cSld.set("name", name)


def clear_layout_text_style(shape: Any) -> None:
    """Drop a layout placeholder's own text overrides (caps, sizes) so the master rules."""
    tx_body = element(shape).find(qn("p:txBody"))
    if tx_body is None:
        return
    lst = tx_body.find(qn("a:lstStyle"))
    if lst is not None:
        for child in list(lst):
            lst.remove(child)
    body_pr = tx_body.find(qn("a:bodyPr"))
    for name in list(body_pr.attrib):
        del body_pr.attrib[name]
    for child in list(body_pr):
        body_pr.remove(child)


def set_footer_alignment(shape: Any, kind: PH) -> None:
    """Footer and slide-number placeholders on the master: left and right aligned."""
    if kind not in (PH.FOOTER, PH.SLIDE_NUMBER):
        return
    lst = element(shape).find(qn("p:txBody")).find(qn("a:lstStyle"))
    for child in list(lst):
        lst.remove(child)
    align = "r" if kind == PH.SLIDE_NUMBER else "l"
    lst.append(etree.fromstring(f'<a:lvl1pPr {nsdecls("a")} algn="{align}"/>'))


def _next_shape_id(sp_tree: Element) -> int:
    ids = [int(e.get("id")) for e in sp_tree.iter(qn("p:cNvPr")) if e.get("id", "").isdigit()]
    return max(ids, default=1) + 1


def add_layout_rect(layout: Any, rect: Rect, color: str, name: str) -> None:
    """A decorative filled rectangle on a layout (behind everything else)."""
    from pptx.oxml.shapes.autoshape import CT_Shape

    tree = shape_tree(layout)
    sp = CT_Shape.new_autoshape_sp(
        _next_shape_id(tree), name, "rect", rect.x, rect.y, rect.w, rect.h
    )
    plain(sp, color)
    mark_decorative(sp)
    tree.insert(2, sp)  # after nvGrpSpPr and grpSpPr: lowest in z-order


def add_layout_picture(layout: Any, path: Path, rect: Rect, alt: str) -> None:
    """A picture on a layout, fitted inside `rect` with its aspect kept."""
    from PIL import Image as PILImage
    from pptx.oxml.shapes.picture import CT_Picture

    with PILImage.open(path) as im:
        w, h = im.size
    scale = min(rect.w / w, rect.h / h)
    cx, cy = int(w * scale), int(h * scale)
    _, rid = layout.part.get_or_add_image_part(str(path))
    tree = shape_tree(layout)
    # new_pic is the one python-pptx constructor used here that carries no annotations.
    pic = CT_Picture.new_pic(  # type: ignore[no-untyped-call]
        _next_shape_id(tree), "Logo", alt, rid, rect.x, rect.y, cx, cy
    )
    tree.append(pic)


# -- tables -------------------------------------------------------------------------------


def drop_table_style(graphic_frame: Any) -> None:
    """Explicit cell styles only: no theme table style leaks into the table's look."""
    tbl_pr = element(graphic_frame).graphic.graphicData.tbl.tblPr
    for style_id in tbl_pr.findall(qn("a:tableStyleId")):
        tbl_pr.remove(style_id)


def style_cell(cell: Any, insets: Insets, fill_color: str, border: str) -> None:
    """Insets, a centred anchor, one hairline under the cell, and a solid fill."""
    left, right, top, bottom = (emu(v) for v in insets)
    cell.margin_left, cell.margin_right = left, right
    cell.margin_top, cell.margin_bottom = top, bottom
    cell.vertical_anchor = None
    tc_pr = cell._tc.get_or_add_tcPr()
    tc_pr.set("anchor", "ctr")
    for child in list(tc_pr):
        tc_pr.remove(child)
    for side in ("lnL", "lnR", "lnT"):
        line = etree.SubElement(tc_pr, qn(f"a:{side}"), w="0")
        etree.SubElement(line, qn("a:noFill"))
    bottom_line = etree.SubElement(tc_pr, qn("a:lnB"), w="9525")
    solid_fill(bottom_line, border)
    solid_fill(tc_pr, fill_color)


# -- accessibility -----------------------------------------------------------------------


def set_alt_text(shape: Any, text: str) -> None:
    """Alt text for a picture or graphic frame (python-pptx writes the file name)."""
    element(shape)._nvXxPr.cNvPr.set("descr", text)


def mark_decorative(el: Element) -> None:
    """PowerPoint's 'Mark as decorative': screen readers skip the shape."""
    c_nv_pr = next(el.iter(qn("p:cNvPr")))
    c_nv_pr.attrib.pop("descr", None)
    ext_lst = c_nv_pr.find(qn("a:extLst"))
    if ext_lst is None:
        ext_lst = etree.SubElement(c_nv_pr, qn("a:extLst"))
    ext = etree.SubElement(ext_lst, qn("a:ext"), uri=DECORATIVE_EXT)
    etree.SubElement(ext, f"{{{ADEC}}}decorative", nsmap={"adec": ADEC}, val="1")


def mark_shape_decorative(shape: Any) -> None:
    mark_decorative(element(shape))


def move_to_front_of_reading_order(slide: Any, elements: Sequence[Element]) -> None:
    """Put these shapes first in the shape tree, in this order (screen readers follow it)."""
    tree = shape_tree(slide)
    anchor = tree.find(qn("p:grpSpPr"))
    for el in reversed(elements):
        tree.remove(el)
        anchor.addnext(el)
