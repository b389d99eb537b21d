"""The OOXML python-pptx has no API for: theme colours, master styles, bullets, sections,
alt text, decorative marks, document properties and the reproducible zip."""

from __future__ import annotations

import datetime as dt
import io
import re
import uuid
import zipfile
from typing import TYPE_CHECKING, Iterable, Sequence

from lxml import etree
from pptx.oxml.ns import nsdecls, qn

if TYPE_CHECKING:
    from ..themes import Theme
    from ._pptx_base import Rect

A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
P14 = "http://schemas.microsoft.com/office/powerpoint/2010/main"
SECTIONS_EXT = "{521415D9-36F7-43E2-AB2F-B90AF26B5E84}"
DECORATIVE_EXT = "{C183D7F6-B498-43B3-948B-1728B52AA6E4}"
ADEC = "http://schemas.microsoft.com/office/drawing/2017/decorative"
# Namespace for twinpress's deterministic GUIDs (section ids, field ids).
GUID_NS = uuid.UUID("5d1f3f5e-4c1b-4c53-9a55-7477696e7072")


def guid(*parts: object) -> str:
    """A GUID that is the same on every build for the same inputs."""
    return "{%s}" % str(uuid.uuid5(GUID_NS, "/".join(map(str, parts)))).upper()


def hex_(color: str) -> str:
    return color.lstrip("#").upper()


def solid_fill(parent: etree._Element, color: str) -> etree._Element:
    fill = etree.SubElement(parent, qn("a:solidFill"))
    etree.SubElement(fill, qn("a:srgbClr"), val=hex_(color))
    return fill


# ----------------------------------------------------------------------------------------
# Theme part and master styles


def set_theme_colors_and_fonts(prs, theme: Theme) -> None:
    """Rewrite the theme part's colour and font schemes from the tokens."""
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT

    part = prs.slide_master.part.part_related_by(RT.THEME)
    root = etree.fromstring(part.blob)
    ns = {"a": A_NS}
    root.set("name", f"twinpress {theme.name or 'theme'}")
    c = theme.colors
    scheme = root.find(".//a:clrScheme", ns)
    scheme.set("name", f"twinpress {theme.name or 'theme'}")
    slots = {"dk1": c.text, "lt1": c.background, "dk2": c.primary, "lt2": c.surface,
             "accent1": c.primary, "accent2": c.accent, "accent3": c.success,
             "accent4": c.warning, "accent5": c.muted, "accent6": c.border,
             "hlink": c.accent, "folHlink": c.muted}
    for name, color in slots.items():
        slot = scheme.find(f"a:{name}", ns)
        for child in list(slot):
            slot.remove(child)
        etree.SubElement(slot, qn("a:srgbClr"), val=hex_(color))
    fonts = root.find(".//a:fontScheme", ns)
    fonts.set("name", f"twinpress {theme.name or 'theme'}")
    fonts.find("a:majorFont/a:latin", ns).set("typeface", theme.fonts.heading.family)
    fonts.find("a:minorFont/a:latin", ns).set("typeface", theme.fonts.body.family)
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def set_master_styles(master, theme: Theme) -> None:
    """Background, title and body styles of the master, so editing stays on brand."""
    deck = theme.type.deck
    c_sld = master._element.cSld
    _replace_background(c_sld, theme.colors.background)
    tx_styles = master._element.find(qn("p:txStyles"))
    title = tx_styles.find(qn("p:titleStyle"))
    body = tx_styles.find(qn("p:bodyStyle"))
    tx_styles.replace(title, etree.fromstring(_title_style(deck.heading, theme)))
    tx_styles.replace(body, etree.fromstring(_body_style(theme)))


def _title_style(size: float, theme: Theme) -> str:
    return (f'<p:titleStyle {nsdecls("a", "p")}><a:lvl1pPr algn="l" rtl="0">'
            '<a:lnSpc><a:spcPct val="90000"/></a:lnSpc><a:spcBef><a:spcPts val="0"/>'
            f'</a:spcBef><a:buNone/><a:defRPr sz="{int(size * 100)}" b="1" kern="0">'
            f'<a:solidFill><a:srgbClr val="{hex_(theme.colors.primary)}"/></a:solidFill>'
            '<a:latin typeface="+mj-lt"/><a:ea typeface="+mj-ea"/><a:cs typeface="+mj-cs"/>'
            '</a:defRPr></a:lvl1pPr></p:titleStyle>')


def _body_style(theme: Theme) -> str:
    deck, c = theme.type.deck, theme.colors
    levels = []
    for level in range(9):
        size = max(deck.min_body - 2, deck.body - 2 * min(level, 3))
        hang = int(size * 1.5 * 12700)
        mar = level * 365760 + hang
        char, color = ("•", c.accent) if level % 2 == 0 else ("–", c.muted)
        levels.append(
            f'<a:lvl{level + 1}pPr marL="{mar}" indent="-{hang}" algn="l" rtl="0">'
            f'<a:lnSpc><a:spcPct val="{int(deck.line_spacing * 100000)}"/></a:lnSpc>'
            f'<a:spcBef><a:spcPts val="0"/></a:spcBef><a:spcAft><a:spcPts '
            f'val="{int(theme.spacing.deck.paragraph * 100)}"/></a:spcAft>'
            f'<a:buClr><a:srgbClr val="{hex_(color)}"/></a:buClr>'
            f'<a:buFont typeface="{theme.fonts.body.family}"/><a:buChar char="{char}"/>'
            f'<a:defRPr sz="{int(size * 100)}" kern="0"><a:solidFill><a:srgbClr '
            f'val="{hex_(c.text)}"/></a:solidFill><a:latin typeface="+mn-lt"/>'
            '<a:ea typeface="+mn-ea"/><a:cs typeface="+mn-cs"/></a:defRPr>'
            f'</a:lvl{level + 1}pPr>')
    return f'<p:bodyStyle {nsdecls("a", "p")}>{"".join(levels)}</p:bodyStyle>'


def _replace_background(c_sld: etree._Element, color: str) -> None:
    old = c_sld.find(qn("p:bg"))
    if old is not None:
        c_sld.remove(old)
    bg = etree.fromstring(f'<p:bg {nsdecls("a", "p")}><p:bgPr><a:solidFill><a:srgbClr '
                          f'val="{hex_(color)}"/></a:solidFill><a:effectLst/></p:bgPr></p:bg>')
    c_sld.insert(0, bg)


def set_background(slide_like, color: str) -> None:
    """A solid background on a layout or slide."""
    _replace_background(slide_like._element.cSld, color)


def set_rect(shape, rect: Rect) -> None:
    shape.left, shape.top, shape.width, shape.height = rect.x, rect.y, rect.w, rect.h


def clear_layout_text_style(shape) -> None:
    """Drop a layout placeholder's own text overrides (caps, sizes) so the master rules."""
    tx_body = shape._element.find(qn("p:txBody"))
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


def set_placeholder_text_style(shape, kind, master_theme: bool = True) -> None:
    """Footer and slide-number placeholders on the master: small, muted, aligned."""
    from pptx.enum.shapes import PP_PLACEHOLDER as PH

    if kind not in (PH.FOOTER, PH.SLIDE_NUMBER):
        return
    tx_body = shape._element.find(qn("p:txBody"))
    lst = tx_body.find(qn("a:lstStyle"))
    for child in list(lst):
        lst.remove(child)
    align = "r" if kind == PH.SLIDE_NUMBER else "l"
    lst.append(etree.fromstring(f'<a:lvl1pPr {nsdecls("a")} algn="{align}"/>'))


def _next_shape_id(sp_tree: etree._Element) -> int:
    ids = [int(e.get("id")) for e in sp_tree.iter(qn("p:cNvPr")) if e.get("id", "").isdigit()]
    return max(ids, default=1) + 1


def add_layout_rect(layout, rect: Rect, color: str, name: str) -> None:
    """A decorative filled rectangle on a layout (behind everything else)."""
    from pptx.oxml.shapes.autoshape import CT_Shape

    tree = layout.shapes._spTree
    sp = CT_Shape.new_autoshape_sp(_next_shape_id(tree), name, "rect", rect.x, rect.y,
                                   rect.w, rect.h)
    _plain_fill(sp, color)
    mark_decorative(sp)
    tree.insert(2, sp)  # after nvGrpSpPr and grpSpPr: lowest in z-order


def _plain_fill(sp: etree._Element, color: str) -> None:
    sp_pr = sp.find(qn("p:spPr"))
    geom = sp_pr.find(qn("a:prstGeom"))
    fill = etree.Element(qn("a:solidFill"))
    etree.SubElement(fill, qn("a:srgbClr"), val=hex_(color))
    geom.addnext(fill)
    fill.addnext(etree.fromstring(f'<a:ln {nsdecls("a")}><a:noFill/></a:ln>'))
    style = sp.find(qn("p:style"))
    if style is not None:
        sp.remove(style)


def add_layout_picture(layout, path, rect: Rect, alt: str) -> None:
    """A picture on a layout, fitted inside `rect` with its aspect kept."""
    from PIL import Image as PILImage
    from pptx.oxml.shapes.picture import CT_Picture

    with PILImage.open(path) as im:
        w, h = im.size
    scale = min(rect.w / w, rect.h / h)
    cx, cy = int(w * scale), int(h * scale)
    _, rid = layout.part.get_or_add_image_part(str(path))
    tree = layout.shapes._spTree
    pic = CT_Picture.new_pic(_next_shape_id(tree), "Logo", alt, rid, rect.x, rect.y, cx, cy)
    tree.append(pic)


def drop_thumbnail(prs) -> None:
    """The template's thumbnail shows the template, not this deck."""
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT

    pkg = prs.part.package
    for rid, rel in list(pkg._rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            pkg._rels.pop(rid)


# ----------------------------------------------------------------------------------------
# Accessibility


def set_alt_text(shape, text: str) -> None:
    """Alt text for a picture or graphic frame (python-pptx writes the file name)."""
    c_nv_pr = shape._element._nvXxPr.cNvPr
    c_nv_pr.set("descr", text)


def mark_decorative(element: etree._Element) -> None:
    """PowerPoint's 'Mark as decorative': screen readers skip the shape."""
    c_nv_pr = next(element.iter(qn("p:cNvPr")))
    c_nv_pr.attrib.pop("descr", None)
    ext_lst = c_nv_pr.find(qn("a:extLst"))
    if ext_lst is None:
        ext_lst = etree.SubElement(c_nv_pr, qn("a:extLst"))
    ext = etree.SubElement(ext_lst, qn("a:ext"), uri=DECORATIVE_EXT)
    etree.SubElement(ext, f"{{{ADEC}}}decorative", nsmap={"adec": ADEC}, val="1")


def move_to_front_of_reading_order(slide, elements: Sequence[etree._Element]) -> None:
    """Put these shapes first in the shape tree, in this order (screen readers follow it)."""
    tree = slide.shapes._spTree
    anchor = tree.find(qn("p:grpSpPr"))
    for element in reversed(elements):
        tree.remove(element)
        anchor.addnext(element)


# ----------------------------------------------------------------------------------------
# Sections


def remove_sections(prs) -> None:
    root = prs.part._element
    ext_lst = root.find(qn("p:extLst"))
    if ext_lst is None:
        return
    for ext in ext_lst.findall(qn("p:ext")):
        if ext.get("uri") == SECTIONS_EXT:
            ext_lst.remove(ext)


def set_sections(prs, groups: Iterable[tuple[str, str, Sequence[int]]]) -> None:
    """PowerPoint sections: (key, name, slide ids) per group, each slide in exactly one."""
    remove_sections(prs)
    root = prs.part._element
    ext_lst = root.find(qn("p:extLst"))
    if ext_lst is None:
        ext_lst = etree.SubElement(root, qn("p:extLst"))
    ext = etree.Element(qn("p:ext"), uri=SECTIONS_EXT)
    ext_lst.insert(0, ext)
    lst = etree.SubElement(ext, f"{{{P14}}}sectionLst", nsmap={"p14": P14})
    for key, name, ids in groups:
        section = etree.SubElement(lst, f"{{{P14}}}section", name=name, id=guid("section", key))
        id_lst = etree.SubElement(section, f"{{{P14}}}sldIdLst")
        for slide_id in ids:
            etree.SubElement(id_lst, f"{{{P14}}}sldId", id=str(slide_id))


# ----------------------------------------------------------------------------------------
# Document properties and the reproducible package


def set_core_properties(prs, *, title: str, subject: str, author: str, keywords: str,
                        language: str, category: str, comments: str, when: dt.datetime) -> None:
    """Overwrite every core property (the default template ships another author's)."""
    props = prs.core_properties
    props.title = title[:255]
    props.subject = subject[:255]
    props.author = author[:255]
    props.last_modified_by = author[:255]
    props.keywords = keywords[:255]
    props.language = language
    props.category = category[:255]
    props.comments = comments[:255]
    props.content_status = ""
    props.identifier = ""
    props.version = ""
    props.revision = 1
    props.created = when
    props.modified = when
    props.last_printed = when


def set_app_properties(prs, slides: int, notes: int, titles: Sequence[str]) -> None:
    """docProps/app.xml as this deck is, not as the template was."""
    for part in prs.part.package.iter_parts():
        if str(part.partname) == "/docProps/app.xml":
            part._blob = _app_xml(slides, notes, titles)
            return


def _app_xml(slides: int, notes: int, titles: Sequence[str]) -> bytes:
    vt = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
    ns = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
    root = etree.Element(f"{{{ns}}}Properties", nsmap={None: ns, "vt": vt})
    for name, value in (("Application", "twinpress"), ("Slides", str(slides)),
                        ("Notes", str(notes)), ("HiddenSlides", "0"),
                        ("ScaleCrop", "false"), ("LinksUpToDate", "false"),
                        ("SharedDoc", "false"), ("HyperlinksChanged", "false")):
        etree.SubElement(root, f"{{{ns}}}{name}").text = value
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_CORE_DATES = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")


def normalize_package(blob: bytes) -> bytes:
    """The same deck as a byte-stable zip: fixed entry times, modes and order."""
    source = zipfile.ZipFile(io.BytesIO(blob))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        names = source.namelist()
        # [Content_Types].xml must stay first; the rest keep python-pptx's stable order.
        for name in names:
            info = zipfile.ZipInfo(name, date_time=FIXED_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 0
            target.writestr(info, source.read(name))
    return out.getvalue()
