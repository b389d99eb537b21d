"""Text bodies (`a:txBody`): writing planned paragraphs with every property explicit, and
reading a finished deck's paragraphs back for the overflow checker.

Every run gets an explicit size, weight, slant, colour, language and font family, and every
text body explicit insets and `noAutofit`, so what PowerPoint shows is exactly what was
measured, and the checker can re-measure the file from its XML alone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from lxml import etree
from pptx.opc.constants import RELATIONSHIP_TYPE as RT

from ....colors import digits
from ....fonts import FontRole
from ..geometry import EMU_PER_PT, emu
from ..slideplan import Anchor, Bullet, Insets, Span, Text
from .base import Element, guid, qn, solid_fill

PictureId = Callable[[Any, Bullet], str]  # (slide, picture bullet) -> rId of its image
DEFAULT_INSETS: Insets = (7.2, 7.2, 3.6, 3.6)  # bodyPr's defaults: 0.1 in, 0.05 in


def body_of(text_frame: Any) -> Element:
    """The `a:txBody` behind a python-pptx text frame (a shape's or a table cell's)."""
    return text_frame._txBody


class TextWriter:
    """Replaces text bodies' paragraphs with planned `Text`s."""

    def __init__(
        self,
        families: Mapping[FontRole, str],
        language: str,
        picture_id: PictureId,
        east_asian: str | None = None,
        complex_script: str | None = None,
    ) -> None:
        self.families, self.lang, self.picture_id = families, language, picture_id
        # PowerPoint draws CJK characters in a run's a:ea typeface and Arabic or Hebrew in its
        # a:cs typeface: the theme's fallback faces for those scripts, else the run's own.
        self.east_asian, self.complex_script = east_asian, complex_script

    def write(
        self,
        slide: Any,
        text_frame: Any,
        texts: Sequence[Text],
        insets: Insets | None,
        anchor: Anchor | None,
        field: str | None = None,
    ) -> None:
        """Set the frame's insets and anchor (unless None) and its paragraphs."""
        tx_body = body_of(text_frame)
        if insets is not None:
            _body_properties(tx_body.find(qn("a:bodyPr")), insets, anchor)
        for p in tx_body.findall(qn("a:p")):
            tx_body.remove(p)
        previous: Text | None = None
        for text in texts:
            tx_body.append(self._paragraph(slide, text, previous, field))
            previous = text

    def _paragraph(
        self, slide: Any, text: Text, previous: Text | None, field: str | None
    ) -> Element:
        p = etree.Element(qn("a:p"))
        align = "r" if text.rtl and text.align == "l" else text.align
        ppr = etree.SubElement(p, qn("a:pPr"), algn=align, lvl=str(text.level))
        if text.rtl:
            ppr.set("rtl", "1")
        ppr.set("marL", str(emu(text.indent)))
        ppr.set("indent", str(-emu(text.hang)) if text.hang else "0")
        spacing = etree.SubElement(etree.SubElement(ppr, qn("a:lnSpc")), qn("a:spcPct"))
        spacing.set("val", str(round(text.spacing * 100000)))
        etree.SubElement(
            etree.SubElement(ppr, qn("a:spcBef")),
            qn("a:spcPts"),
            val=str(round(text.before * 100)),
        )
        etree.SubElement(
            etree.SubElement(ppr, qn("a:spcAft")),
            qn("a:spcPts"),
            val=str(round(text.after * 100)),
        )
        self._bullet(slide, ppr, text, previous)
        for span in text.spans:
            run = etree.SubElement(p, qn("a:fld") if field else qn("a:r"))
            if field:
                run.set("id", guid("field", field))
                run.set("type", field)
            run.append(self._rpr(slide, text, span))
            etree.SubElement(run, qn("a:t")).text = span.text
        end = self._rpr(slide, text, text.spans[0] if text.spans else Span(""), "a:endParaRPr")
        for link in end.findall(qn("a:hlinkClick")):
            end.remove(link)
        p.append(end)
        return p

    def _rpr(self, slide: Any, text: Text, span: Span, tag: str = "a:rPr") -> Element:
        rpr = etree.Element(
            qn(tag),
            lang=self.lang,
            sz=str(round(text.size * 100)),
            b="1" if span.bold else "0",
            i="1" if span.italic else "0",
            dirty="0",
        )
        solid_fill(rpr, span.color or text.color)
        family = self.families[span.role]
        etree.SubElement(rpr, qn("a:latin"), typeface=family)
        etree.SubElement(rpr, qn("a:ea"), typeface=self.east_asian or family)
        etree.SubElement(rpr, qn("a:cs"), typeface=self.complex_script or family)
        if span.link:
            rid = slide.part.relate_to(span.link, RT.HYPERLINK, is_external=True)
            etree.SubElement(rpr, qn("a:hlinkClick"), {qn("r:id"): rid})
        return rpr

    def _bullet(self, slide: Any, ppr: Element, text: Text, previous: Text | None) -> None:
        bullet = text.bullet
        if bullet is None:
            etree.SubElement(ppr, qn("a:buNone"))
            return
        if bullet.kind == "picture":
            etree.SubElement(ppr, qn("a:buSzPct"), val="120000")
            blip = etree.SubElement(etree.SubElement(ppr, qn("a:buBlip")), qn("a:blip"))
            blip.set(qn("r:embed"), self.picture_id(slide, bullet))
            return
        color = etree.SubElement(ppr, qn("a:buClr"))
        etree.SubElement(color, qn("a:srgbClr"), val=digits(bullet.color))
        etree.SubElement(ppr, qn("a:buSzPct"), val="100000")
        etree.SubElement(ppr, qn("a:buFont"), typeface=self.families["body"])
        if bullet.kind == "number":
            continues = (
                previous is not None
                and previous.bullet is not None
                and (previous.bullet.kind == "number" and previous.level == text.level)
            )
            auto = etree.SubElement(ppr, qn("a:buAutoNum"), type="arabicPeriod")
            if bullet.number > 1 and not continues:
                auto.set("startAt", str(bullet.number))
        else:
            etree.SubElement(ppr, qn("a:buChar"), char=bullet.char)


def set_language(text_frame: Any, language: str) -> None:
    """Give every run of a text frame (speaker notes set as plain text) the language, so
    PowerPoint checks spelling and breaks lines by it."""
    for p in body_of(text_frame).iter(qn("a:p")):
        for run in p.iter(qn("a:r")):
            rpr = run.find(qn("a:rPr"))
            if rpr is None:
                rpr = etree.Element(qn("a:rPr"))
                run.insert(0, rpr)
            rpr.set("lang", language)
        end = p.find(qn("a:endParaRPr"))
        if end is None:
            end = etree.SubElement(p, qn("a:endParaRPr"))
        end.set("lang", language)


def _body_properties(body_pr: Element, insets: Insets, anchor: Anchor | None) -> None:
    for name, value in zip(("lIns", "rIns", "tIns", "bIns"), insets):
        body_pr.set(name, str(round(value * EMU_PER_PT)))
    body_pr.set("wrap", "square")
    body_pr.set("rtlCol", "0")
    if anchor:
        body_pr.set("anchor", anchor)
    for child in list(body_pr):
        body_pr.remove(child)
    etree.SubElement(body_pr, qn("a:noAutofit"))


# -- reading back ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RunXml:
    """A run as written: its text (a line break is '\\n'), size, family, weight, slant."""

    text: str
    size: float | None
    family: str | None
    bold: bool
    italic: bool
    line_break: bool = False


@dataclass(frozen=True, slots=True)
class ParagraphXml:
    """A paragraph as written, all lengths in points."""

    runs: tuple[RunXml, ...]
    end: RunXml  # the end-of-paragraph properties (an empty line's size)
    spacing: float = 1.0
    before: float = 0.0
    after: float = 0.0
    indent: float = 0.0  # marL
    hanging: bool = False  # a negative first-line indent


def insets_of(text_frame: Any) -> Insets:
    """A text frame's insets in points, PowerPoint's defaults where none is written."""
    body_pr = body_of(text_frame).find(qn("a:bodyPr"))
    names = ("lIns", "rIns", "tIns", "bIns")
    left, right, top, bottom = (
        int(body_pr.get(n)) / EMU_PER_PT if body_pr.get(n) is not None else d
        for n, d in zip(names, DEFAULT_INSETS)
    )
    return left, right, top, bottom


def read_paragraphs(text_frame: Any) -> Iterator[ParagraphXml]:
    """The paragraphs of a text frame as its XML says, for re-measuring."""
    for p in body_of(text_frame).iter(qn("a:p")):
        runs = []
        for child in p:
            if child.tag == qn("a:br"):
                runs.append(RunXml("\n", None, None, False, False, line_break=True))
            elif child.tag in (qn("a:r"), qn("a:fld")):
                runs.append(_run(child.find(qn("a:rPr")), child.findtext(qn("a:t")) or ""))
        yield _paragraph_xml(p.find(qn("a:pPr")), tuple(runs), _run(p.find(qn("a:endParaRPr")), ""))


def _run(rpr: Element | None, text: str) -> RunXml:
    if rpr is None:
        return RunXml(text, None, None, False, False)
    size = int(rpr.get("sz")) / 100 if rpr.get("sz") else None
    latin = rpr.find(qn("a:latin"))
    family = latin.get("typeface") if latin is not None else None
    return RunXml(text, size, family, rpr.get("b") == "1", rpr.get("i") == "1")


def _paragraph_xml(ppr: Element | None, runs: tuple[RunXml, ...], end: RunXml) -> ParagraphXml:
    if ppr is None:
        return ParagraphXml(runs, end)
    spacing = 1.0
    pct = ppr.find(f"{qn('a:lnSpc')}/{qn('a:spcPct')}")
    if pct is not None:
        spacing = int(pct.get("val")) / 100000
    return ParagraphXml(
        runs,
        end,
        spacing,
        _points(ppr.find(f"{qn('a:spcBef')}/{qn('a:spcPts')}")),
        _points(ppr.find(f"{qn('a:spcAft')}/{qn('a:spcPts')}")),
        int(ppr.get("marL", "0")) / EMU_PER_PT,
        int(ppr.get("indent", "0")) < 0,
    )


def _points(spc: Element | None) -> float:
    return int(spc.get("val")) / 100 if spc is not None else 0.0
