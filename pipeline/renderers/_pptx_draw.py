"""Drawing slide plans into python-pptx slides: placeholders, text XML, tables, pictures, notes.

Every run gets an explicit size, weight, slant, colour and font family, and every text body
explicit insets and `noAutofit`, so what PowerPoint shows is exactly what was measured, and
the checker in pipeline.textfit can re-measure the file on its own.
"""

from __future__ import annotations

import io
from functools import lru_cache
from typing import TYPE_CHECKING, Sequence

from lxml import etree
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.shapes import PP_PLACEHOLDER as PH
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml.ns import qn

from ..textfit import EMU_PER_PT
from . import _pptx_xml as X
from ._pptx_plan import (BoxFrame, Bullet, PictureFrame, SlidePlan, TableFrame, Text,
                         TextFrame)

if TYPE_CHECKING:
    from ..themes import Theme

TITLES = (PH.TITLE, PH.CENTER_TITLE)
BODIES = (PH.BODY, PH.OBJECT, PH.SUBTITLE)
BAR_WIDTH = 64008  # 0.07 in: the coloured rule of a call-out


class Drawer:
    """Adds slides to a presentation, one SlidePlan at a time."""

    def __init__(self, prs, theme: Theme, layouts: dict, language: str) -> None:
        self.prs, self.theme, self.layouts, self.lang = prs, theme, layouts, language
        fonts = theme.fonts
        self.families = {"heading": fonts.heading.family, "body": fonts.body.family,
                         "mono": fonts.mono.family}
        self.images: dict[bytes, object] = {}  # marker PNG -> its one image part

    def add(self, plan: SlidePlan, number: int):
        layout = self.layouts[plan.layout]
        slide = self.prs.slides.add_slide(layout)
        title = next(p for p in slide.placeholders if p.placeholder_format.type in TITLES)
        bodies = sorted((p for p in slide.placeholders if p.placeholder_format.type in BODIES),
                        key=lambda p: (p.left, p.top))
        self._title(slide, title, plan)
        first = [title._element]
        if plan.kicker is not None:
            first.append(self._textbox(slide, plan.kicker)._element)
        if plan.number is not None:
            first.append(self._textbox(slide, plan.number)._element)
        used = self._subtitle(slide, bodies, plan)
        drawn, order = self._frames(slide, bodies, plan)
        used |= drawn
        for body in bodies:
            if body.shape_id not in used:
                body._element.getparent().remove(body._element)
        # Screen readers follow the shape tree: title, kicker, then the body top to bottom.
        X.move_to_front_of_reading_order(slide, first + order)
        if plan.footer:
            self._footer(slide, layout, plan.footer_text, plan.footer_size, number)
        shown = "".join(span.text for text in plan.title_texts for span in text.spans)
        notes = plan.notes
        if shown.endswith("…") and plan.title and not plan.title.endswith("…"):
            notes = f"{plan.title}\n\n{notes}".strip()  # the title was cut to fit
        if notes:
            slide.notes_slide.notes_text_frame.text = notes
        return slide

    # -- placeholders ----------------------------------------------------------------------

    def _title(self, slide, shape, plan: SlidePlan) -> None:
        rect = plan.title_rect
        if (shape.left, shape.top, shape.width, shape.height) != (rect.x, rect.y, rect.w,
                                                                    rect.h):
            X.set_rect(shape, rect)
        self.write(slide, shape.text_frame._txBody, plan.title_texts,
                   (0.0, 0.0, 3.6, 3.6), plan.title_anchor)

    def _subtitle(self, slide, bodies, plan: SlidePlan) -> set[int]:
        if plan.layout not in ("title", "section") or not bodies:
            return set()
        if not plan.subtitle:
            return set()
        shape = bodies[0]
        rect = plan.title_rect
        if shape.top < rect.bottom:
            shape.top = rect.bottom
        self.write(slide, shape.text_frame._txBody, plan.subtitle, (0.0, 0.0, 3.6, 3.6), "t")
        return {shape.shape_id}

    def _frames(self, slide, bodies, plan: SlidePlan) -> tuple[set[int], list]:
        """Draw the body frames; return the placeholders used and every shape in plan order."""
        used: set[int] = set()
        order: list = []
        slots = {"body": 0, "col0": 0, "col1": 1}
        tree = slide.shapes._spTree
        for frame in plan.frames:
            before = set(tree)  # holding the proxies keeps their identity stable
            match frame:
                case TextFrame():
                    index = slots.get(frame.slot or "", -1)
                    # A placeholder holds one frame: a second set of columns on the same
                    # slide (two comparisons) gets text boxes instead of overwriting the first.
                    if (plan.layout in ("content", "two_content") and 0 <= index < len(bodies)
                            and bodies[index].shape_id not in used):
                        shape = bodies[index]
                        X.set_rect(shape, frame.rect)
                        used.add(shape.shape_id)
                        order.append(shape._element)
                        self._fill_text(slide, shape, frame)
                    else:
                        self._textbox(slide, frame)
                case BoxFrame():
                    self._box(slide, frame)
                case TableFrame():
                    self._table(slide, frame)
                case PictureFrame():
                    self._picture(slide, frame)
            order += [element for element in tree if element not in before]
        return used, order

    def _fill_text(self, slide, shape, frame: TextFrame) -> None:
        if frame.fill:
            _fill(shape._element, frame.fill)
        shape.name = frame.name
        self.write(slide, shape.text_frame._txBody, frame.texts, frame.insets, frame.anchor)

    def _textbox(self, slide, frame: TextFrame):
        r = frame.rect
        shape = slide.shapes.add_textbox(r.x, r.y, r.w, r.h)
        self._fill_text(slide, shape, frame)
        return shape

    def _footer(self, slide, layout, text: str, size: float, number: int) -> None:
        for placeholder in layout.placeholders:
            kind = placeholder.placeholder_format.type
            if kind not in (PH.FOOTER, PH.SLIDE_NUMBER):
                continue
            slide.shapes.clone_placeholder(placeholder)
            shape = slide.placeholders[placeholder.placeholder_format.idx]
            deck, c = self.theme.type.deck, self.theme.colors
            align = "r" if kind == PH.SLIDE_NUMBER else "l"
            content = str(number) if kind == PH.SLIDE_NUMBER else text
            para = Text((_span(content),), size or deck.small, c.muted, 1.0, align=align)
            self.write(slide, shape.text_frame._txBody, [para], (0.0, 0.0, 3.6, 3.6), "ctr",
                       field="slidenum" if kind == PH.SLIDE_NUMBER else None)

    # -- shapes ----------------------------------------------------------------------------

    def _box(self, slide, frame: BoxFrame) -> None:
        r = frame.rect
        kind = MSO_SHAPE.ROUNDED_RECTANGLE if frame.link else MSO_SHAPE.RECTANGLE
        shape = slide.shapes.add_shape(kind, r.x, r.y, r.w, r.h)
        shape.name = frame.name
        _plain(shape._element, frame.fill)
        if frame.link:
            shape.click_action.hyperlink.address = frame.link
        anchor = "ctr" if frame.link else "t"
        self.write(slide, shape.text_frame._txBody, frame.texts, frame.insets, anchor)
        if not frame.link:
            bar = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, r.x, r.y, BAR_WIDTH, r.h)
            bar.name = f"{frame.name} rule"
            _plain(bar._element, frame.bar)
            X.mark_decorative(bar._element)

    def _table(self, slide, frame: TableFrame) -> None:
        r = frame.rect
        rows, cols = len(frame.cells), len(frame.widths)
        graphic = slide.shapes.add_table(rows, cols, r.x, r.y, r.w, r.h)
        graphic.name = frame.name
        table = graphic.table
        table.first_row, table.horz_banding = True, False
        tbl_pr = graphic._element.graphic.graphicData.tbl.tblPr
        for style_id in tbl_pr.findall(qn("a:tableStyleId")):
            tbl_pr.remove(style_id)  # explicit cell styles only: no theme table style leaks
        for column, width in zip(table.columns, frame.widths):
            column.width = width
        for row, height in zip(table.rows, frame.heights):
            row.height = height
        for i, row in enumerate(table.rows):
            fill = frame.header_fill if i == 0 else (frame.stripe if i % 2 == 0
                                                      else frame.background)
            for j, cell in enumerate(row.cells):
                self._cell(slide, cell, frame.cells[i][j], fill, frame.border)

    def _cell(self, slide, cell, texts: Sequence[Text], fill: str, border: str) -> None:
        from ._pptx_plan import CELL_INSETS

        left, right, top, bottom = (int(v * EMU_PER_PT) for v in CELL_INSETS)
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
        X.solid_fill(bottom_line, border)
        X.solid_fill(tc_pr, fill)
        self.write(slide, cell.text_frame._txBody, texts, None, None)

    def _picture(self, slide, frame: PictureFrame) -> None:
        r = frame.rect
        picture = slide.shapes.add_picture(frame.path, r.x, r.y, r.w, r.h)
        picture.name = frame.name
        X.set_alt_text(picture, frame.alt)

    # -- text ------------------------------------------------------------------------------

    def write(self, slide, tx_body, texts: Sequence[Text], insets, anchor,
              field: str | None = None) -> None:
        """Replace a text body's paragraphs with these, every property explicit."""
        body_pr = tx_body.find(qn("a:bodyPr"))
        if insets is not None:
            for name, value in zip(("lIns", "rIns", "tIns", "bIns"), insets):
                body_pr.set(name, str(int(round(value * EMU_PER_PT))))
            body_pr.set("wrap", "square")
            body_pr.set("rtlCol", "0")
            if anchor:
                body_pr.set("anchor", anchor)
            for child in list(body_pr):
                body_pr.remove(child)
            etree.SubElement(body_pr, qn("a:noAutofit"))
        for p in tx_body.findall(qn("a:p")):
            tx_body.remove(p)
        previous: Text | None = None
        for text in texts:
            tx_body.append(self._paragraph(slide, text, previous, field))
            previous = text

    def _paragraph(self, slide, text: Text, previous: Text | None, field: str | None):
        p = etree.Element(qn("a:p"))
        ppr = etree.SubElement(p, qn("a:pPr"), algn=text.align, lvl=str(text.level))
        if text.hang:
            ppr.set("marL", str(_emu(text.indent)))
            ppr.set("indent", str(-_emu(text.hang)))
        else:
            ppr.set("marL", str(_emu(text.indent)))
            ppr.set("indent", "0")
        spacing = etree.SubElement(etree.SubElement(ppr, qn("a:lnSpc")), qn("a:spcPct"))
        spacing.set("val", str(int(round(text.spacing * 100000))))
        etree.SubElement(etree.SubElement(ppr, qn("a:spcBef")), qn("a:spcPts"),
                         val=str(int(round(text.before * 100))))
        etree.SubElement(etree.SubElement(ppr, qn("a:spcAft")), qn("a:spcPts"),
                         val=str(int(round(text.after * 100))))
        self._bullet(slide, ppr, text, previous)
        for span in text.spans:
            run = etree.SubElement(p, qn("a:fld") if field else qn("a:r"))
            if field:
                run.set("id", X.guid("field", field))
                run.set("type", field)
            run.append(self._rpr(slide, text, span))
            etree.SubElement(run, qn("a:t")).text = span.text
        end = self._rpr(slide, text, text.spans[0] if text.spans else _span(""), "a:endParaRPr")
        for link in end.findall(qn("a:hlinkClick")):
            end.remove(link)
        p.append(end)
        return p

    def _rpr(self, slide, text: Text, span, tag: str = "a:rPr"):
        rpr = etree.Element(qn(tag), lang=self.lang, sz=str(int(round(text.size * 100))),
                            b="1" if span.bold else "0", i="1" if span.italic else "0",
                            dirty="0")
        X.solid_fill(rpr, span.color or text.color)
        family = self.families[span.role]
        for name in ("a:latin", "a:ea", "a:cs"):
            etree.SubElement(rpr, qn(name), typeface=family)
        if span.link:
            rid = slide.part.relate_to(span.link, RT.HYPERLINK, is_external=True)
            etree.SubElement(rpr, qn("a:hlinkClick"), {qn("r:id"): rid})
        return rpr

    def _bullet(self, slide, ppr, text: Text, previous: Text | None) -> None:
        bullet: Bullet | None = text.bullet
        if bullet is None:
            etree.SubElement(ppr, qn("a:buNone"))
            return
        if bullet.kind == "picture":
            etree.SubElement(ppr, qn("a:buSzPct"), val="120000")
            rid = self._marker_rid(slide, bullet)
            blip = etree.SubElement(etree.SubElement(ppr, qn("a:buBlip")), qn("a:blip"))
            blip.set(qn("r:embed"), rid)
            return
        color = etree.SubElement(ppr, qn("a:buClr"))
        etree.SubElement(color, qn("a:srgbClr"), val=X.hex_(bullet.color))
        etree.SubElement(ppr, qn("a:buSzPct"), val="100000")
        etree.SubElement(ppr, qn("a:buFont"), typeface=self.families["body"])
        if bullet.kind == "number":
            continues = previous is not None and previous.bullet is not None and (
                previous.bullet.kind == "number" and previous.level == text.level)
            auto = etree.SubElement(ppr, qn("a:buAutoNum"), type="arabicPeriod")
            if bullet.number > 1 and not continues:
                auto.set("startAt", str(bullet.number))
        else:
            etree.SubElement(ppr, qn("a:buChar"), char=bullet.char)

    def _marker_rid(self, slide, bullet: Bullet) -> str:
        png = marker_png(self.theme, bullet.marker or "dot", bullet.color)
        part = self.images.get(png)
        if part is None:  # python-pptx finds duplicates by walking every part: do it once
            part, rid = slide.part.get_or_add_image_part(io.BytesIO(png))
            self.images[png] = part
            return rid
        return slide.part.relate_to(part, RT.IMAGE)


def marker_png(theme: Theme, marker: str, color: str) -> bytes:
    """The picture for a bullet marker: the theme's icon in the accent, or the emoji."""
    if theme.markers == "emoji" and theme.fonts.emoji is not None:
        return _emoji_png(str(theme.fonts.emoji.file), marker)
    icon = theme.find(f"icons/{marker}.png") or theme.find("icons/dot.png")
    if icon is None:
        return _emoji_png(str(theme.fonts.emoji.file), marker) if theme.fonts.emoji else (
            _dot_png(color))
    return _recolor(str(icon), color)


@lru_cache(maxsize=128)
def _recolor(path: str, color: str) -> bytes:
    """The icon's alpha mask filled with one colour, as a PNG with no timestamps."""
    from PIL import Image as PILImage

    with PILImage.open(path) as im:
        mask = im.getchannel("A") if "A" in im.getbands() else im.convert("L")
    rgb = tuple(int(color[i:i + 2], 16) for i in (1, 3, 5))
    out = PILImage.new("RGBA", mask.size, rgb + (255,))
    out.putalpha(mask)
    buffer = io.BytesIO()
    out.save(buffer, "PNG", optimize=False)
    return buffer.getvalue()


@lru_cache(maxsize=64)
def _emoji_png(font_path: str, marker: str) -> bytes:
    """The source's emoji drawn in colour from the theme's emoji font (CBDT strike 109 px)."""
    from PIL import Image as PILImage, ImageDraw, ImageFont

    from ..model import MARKERS

    char = MARKERS.get(marker, MARKERS["dot"])
    font = ImageFont.truetype(font_path, 109)
    canvas = PILImage.new("RGBA", (160, 160), (0, 0, 0, 0))
    ImageDraw.Draw(canvas).text((10, 10), char, font=font, embedded_color=True)
    box = canvas.getbbox() or (0, 0, 160, 160)
    glyph = canvas.crop(box)
    side = max(glyph.size)
    square = PILImage.new("RGBA", (side, side), (0, 0, 0, 0))
    square.paste(glyph, ((side - glyph.width) // 2, (side - glyph.height) // 2))
    buffer = io.BytesIO()
    square.save(buffer, "PNG", optimize=False)
    return buffer.getvalue()


@lru_cache(maxsize=16)
def _dot_png(color: str) -> bytes:
    from PIL import Image as PILImage, ImageDraw

    im = PILImage.new("RGBA", (96, 96), (0, 0, 0, 0))
    rgb = tuple(int(color[i:i + 2], 16) for i in (1, 3, 5))
    ImageDraw.Draw(im).ellipse((28, 28, 68, 68), fill=rgb + (255,))
    buffer = io.BytesIO()
    im.save(buffer, "PNG")
    return buffer.getvalue()


def _span(text: str):
    from ._pptx_plan import Span

    return Span(text)


def _emu(pt: float) -> int:
    return int(round(pt * EMU_PER_PT))


def _fill(sp: etree._Element, color: str) -> None:
    sp_pr = sp.find(qn("p:spPr"))
    for old in sp_pr.findall(qn("a:solidFill")) + sp_pr.findall(qn("a:noFill")):
        sp_pr.remove(old)
    fill = etree.Element(qn("a:solidFill"))
    etree.SubElement(fill, qn("a:srgbClr"), val=X.hex_(color))
    geom = sp_pr.find(qn("a:prstGeom"))
    if geom is not None:
        geom.addnext(fill)
    else:
        xfrm = sp_pr.find(qn("a:xfrm"))
        (xfrm.addnext(fill) if xfrm is not None else sp_pr.insert(0, fill))


def _plain(sp: etree._Element, color: str | None) -> None:
    """A flat shape: one fill (or none), no outline, no theme style (no shadow, no white text)."""
    sp_pr = sp.find(qn("p:spPr"))
    geom = sp_pr.find(qn("a:prstGeom"))
    if color:
        fill = etree.Element(qn("a:solidFill"))
        etree.SubElement(fill, qn("a:srgbClr"), val=X.hex_(color))
    else:
        fill = etree.Element(qn("a:noFill"))
    geom.addnext(fill)
    line = etree.Element(qn("a:ln"))
    etree.SubElement(line, qn("a:noFill"))
    fill.addnext(line)
    style = sp.find(qn("p:style"))
    if style is not None:
        sp.remove(style)
