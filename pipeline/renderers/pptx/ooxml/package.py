"""The presentation as a package: its theme part, master text styles, sections, document
properties, part names, and the reproducible zip, where python-pptx has no API."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Iterable, Sequence
from typing import IO, TYPE_CHECKING, Any

from lxml import etree
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.packuri import PackURI
from pptx.oxml.ns import nsdecls
from pptx.package import Package

from ....colors import digits
from .base import Element, guid, qn
from .shapes import set_background

if TYPE_CHECKING:
    from pptx.presentation import Presentation

    from ....tokens import Theme

A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
P14 = "http://schemas.microsoft.com/office/powerpoint/2010/main"
SECTIONS_EXT = "{521415D9-36F7-43E2-AB2F-B90AF26B5E84}"
Section = tuple[str, str, Sequence[int]]  # (key, name, slide ids)


class _CountingPackage(Package):
    """A package that names new parts from counters: python-pptx's own `next_partname`
    walks every part for each new one, which makes a long deck quadratic. The names are
    the same (the lowest free number)."""

    def __init__(self, pkg_file: str | IO[bytes]) -> None:
        super().__init__(pkg_file)
        self._counters: dict[str, int] = {}
        self._used: set[str] | None = None

    def next_partname(self, tmpl: str) -> PackURI:
        if self._used is None:
            self._used = {str(part.partname) for part in self.iter_parts()}
        n = self._counters.get(tmpl, 0) + 1
        while tmpl % n in self._used:
            n += 1
        self._counters[tmpl] = n
        self._used.add(tmpl % n)
        return PackURI(tmpl % n)


def open_presentation(blob: bytes) -> Presentation:
    """A python-pptx Presentation of `blob`, on a package that names parts in linear time."""
    presentation: Presentation = _CountingPackage.open(
        io.BytesIO(blob)
    ).main_document_part.presentation
    return presentation


def slide_ids(prs: Presentation) -> list[int]:
    """The `p:sldId` ids of the slides, in order (PowerPoint sections refer to them)."""
    return [int(sld_id.get("id")) for sld_id in prs.slides._sldIdLst]


def remove_slides(prs: Presentation) -> None:
    """Delete a template's sample slides, and sections or custom shows naming them."""
    ids = prs.slides._sldIdLst
    for sld_id in list(ids):
        prs.part.drop_rel(sld_id.rId)
        ids.remove(sld_id)
    root = prs.part._element
    for lst in root.findall(qn("p:custShowLst")):
        root.remove(lst)
    remove_sections(prs)


# ----------------------------------------------------------------------------------------
# Theme part and master styles


def set_theme_colors_and_fonts(prs: Presentation, theme: Theme) -> None:
    """Rewrite the theme part's colour and font schemes from the tokens."""
    part = prs.slide_master.part.part_related_by(RT.THEME)
    root: Element = etree.fromstring(part.blob)
    ns = {"a": A_NS}
    root.set("name", f"twinpress {theme.name or 'theme'}")
    c = theme.colors
    scheme: Element = root.find(".//a:clrScheme", ns)
    scheme.set("name", f"twinpress {theme.name or 'theme'}")
    slots = {
        "dk1": c.text,
        "lt1": c.background,
        "dk2": c.primary,
        "lt2": c.surface,
        "accent1": c.primary,
        "accent2": c.accent,
        "accent3": c.success,
        "accent4": c.warning,
        "accent5": c.muted,
        "accent6": c.border,
        "hlink": c.accent,
        "folHlink": c.muted,
    }
    for name, color in slots.items():
        slot: Element = scheme.find(f"a:{name}", ns)
        for child in list(slot):
            slot.remove(child)
        etree.SubElement(slot, qn("a:srgbClr"), val=digits(color))
    fonts: Element = root.find(".//a:fontScheme", ns)
    fonts.set("name", f"twinpress {theme.name or 'theme'}")
    fonts.find("a:majorFont/a:latin", ns).set("typeface", theme.fonts.heading.deck_family)
    fonts.find("a:minorFont/a:latin", ns).set("typeface", theme.fonts.body.deck_family)
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def set_master_styles(master: Any, theme: Theme) -> None:
    """Background, title and body styles of the master, so editing stays on brand."""
    deck = theme.type.deck
    set_background(master, theme.colors.background)
    tx_styles = master._element.find(qn("p:txStyles"))
    title = tx_styles.find(qn("p:titleStyle"))
    body = tx_styles.find(qn("p:bodyStyle"))
    tx_styles.replace(title, etree.fromstring(_title_style(deck.heading, theme)))
    tx_styles.replace(body, etree.fromstring(_body_style(theme)))


def _title_style(size: float, theme: Theme) -> str:
    return (
        f'<p:titleStyle {nsdecls("a", "p")}><a:lvl1pPr algn="l" rtl="0">'
        '<a:lnSpc><a:spcPct val="90000"/></a:lnSpc><a:spcBef><a:spcPts val="0"/>'
        f'</a:spcBef><a:buNone/><a:defRPr sz="{int(size * 100)}" b="1" kern="0">'
        f'<a:solidFill><a:srgbClr val="{digits(theme.colors.primary)}"/></a:solidFill>'
        '<a:latin typeface="+mj-lt"/><a:ea typeface="+mj-ea"/><a:cs typeface="+mj-cs"/>'
        "</a:defRPr></a:lvl1pPr></p:titleStyle>"
    )


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
            f'<a:buClr><a:srgbClr val="{digits(color)}"/></a:buClr>'
            f'<a:buFont typeface="{theme.fonts.body.deck_family}"/><a:buChar char="{char}"/>'
            f'<a:defRPr sz="{int(size * 100)}" kern="0"><a:solidFill><a:srgbClr '
            f'val="{digits(c.text)}"/></a:solidFill><a:latin typeface="+mn-lt"/>'
            '<a:ea typeface="+mn-ea"/><a:cs typeface="+mn-cs"/></a:defRPr>'
            f"</a:lvl{level + 1}pPr>"
        )
    return f"<p:bodyStyle {nsdecls('a', 'p')}>{''.join(levels)}</p:bodyStyle>"


def drop_thumbnail(prs: Presentation) -> None:
    """The template's thumbnail shows the template, not this deck."""
    pkg = prs.part.package
    for rid, rel in list(pkg._rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            pkg._rels.pop(rid)


# ----------------------------------------------------------------------------------------
# Sections


def remove_sections(prs: Presentation) -> None:
    root = prs.part._element
    ext_lst = root.find(qn("p:extLst"))
    if ext_lst is None:
        return
    for ext in ext_lst.findall(qn("p:ext")):
        if ext.get("uri") == SECTIONS_EXT:
            ext_lst.remove(ext)


def set_sections(prs: Presentation, groups: Iterable[Section]) -> None:
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


def set_core_properties(
    prs: Presentation,
    *,
    title: str,
    subject: str,
    author: str,
    keywords: str,
    language: str,
    category: str,
    comments: str,
    when: dt.datetime,
) -> None:
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


def set_app_properties(prs: Presentation, slides: int, notes: int, titles: Sequence[str]) -> None:
    """docProps/app.xml as this deck is, not as the template was."""
    for part in prs.part.package.iter_parts():
        if str(part.partname) == "/docProps/app.xml":
            part._blob = _app_xml(slides, notes, titles)
            return


def _app_xml(slides: int, notes: int, titles: Sequence[str]) -> bytes:
    vt = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
    ns = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
    nsmap: Any = {None: ns, "vt": vt}  # the default namespace's key is None
    root = etree.Element(f"{{{ns}}}Properties", nsmap=nsmap)
    for name, value in (
        ("Application", "twinpress"),
        ("Slides", str(slides)),
        ("Notes", str(notes)),
        ("HiddenSlides", "0"),
        ("ScaleCrop", "false"),
        ("LinksUpToDate", "false"),
        ("SharedDoc", "false"),
        ("HyperlinksChanged", "false"),
    ):
        etree.SubElement(root, f"{{{ns}}}{name}").text = value
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


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
