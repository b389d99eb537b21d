"""Slide planning: what of the document goes on which slides, in which shape.

Protocol. In: a Document already selected for one audience, a Theme, the pptx Options and
the Geometry of the base deck's layouts. Out: a list of SlidePlan, pure data that the
drawing module turns into python-pptx slides without making any decision of its own.

A section becomes an optional divider, then one *topic* per sub-heading (the blocks before
the first sub-heading form a topic titled with the section). A topic's blocks become
*units* (a text flow, columns, a table, a call-out box, a quote, an image), which the
`SlideSetter` stacks into the body area at one scale: the largest that fits one slide;
when none does, the largest scale that still needs the fewest slides, with the units split
at paragraph, item, row or (for a single huge bullet) sentence and word boundaries onto
continuation slides titled "<title> (cont.)".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import assert_never

from ...colors import tint
from ...dates import long_date
from ...errors import Diagnostic, RenderError
from ...model import (Block, BulletItem, Bullets, Callout, CallToAction, Comparison, Document,
                      Heading, Image, Paragraph, Quote, Section, Table, Verdict, section_label)
from ...tokens import Theme
from .geometry import Geometry, Rect, emu
from .measure import HEIGHT_SAFETY
from .options import Options
from .slideplan import SlidePlan, Span, Text, TextFrame
from .slides import SlideSetter
from .style import Copy, Style
from .tables import TableUnit
from .units import BoxUnit, ColumnsUnit, ImageUnit, TextUnit, Unit

LEAD_WORDS = 32            # a paragraph this short may lead a list on a concise slide
DIVIDER_LEAD_WORDS = 40    # a section's one-paragraph opening may sit on its divider
STATEMENT_WORDS = 70       # a lone paragraph this short is set large, as a statement
Topic = tuple[str | None, list[Block]]   # a sub-heading (None: the section's opening) and blocks


class Planner:
    """Turns a selected document into SlidePlans for one theme and options."""

    def __init__(self, document: Document, theme: Theme, options: Options,
                 geometry: Geometry) -> None:
        self.doc, self.theme, self.options, self.geo = document, theme, options, geometry
        self.style = Style(theme)
        self.colors = theme.colors
        self.setter = SlideSetter(theme, geometry, self.style)
        self.setter.loc = document.where
        self.dividers = theme.pptx.dividers if options.dividers is None else options.dividers
        self.concise = options.density == "concise"
        self.setter.footer, self.setter.footer_size = self.setter.fit_footer(
            theme.footer_line(document))

    def plan(self) -> list[SlidePlan]:
        slides = [self.cover()]
        if self.options.agenda and self.doc.sections:
            slides += self.agenda()
        for section in self.doc.sections:
            slides += self.section(section)
        return slides

    # -- title slide and agenda ---------------------------------------------------------

    def cover(self) -> SlidePlan:
        doc, deck, c = self.doc, self.style.deck, self.colors
        geo = self.geo
        title, rect = self.setter.fit_title(doc.title, geo.cover_title, deck.title, deck.heading)
        meta = " · ".join(x for x in (doc.organisation, long_date(doc.date, doc.language),
                                      f"Prepared for {doc.audience}" if doc.audience else None)
                          if x)
        sub: list[Text] = []
        if doc.subtitle:
            sub.append(Text((Span(doc.subtitle),), deck.subtitle, c.text, 1.05, after=14))
        if meta:
            sub.append(Text((Span(meta, bold=True, color=c.muted),), max(deck.small + 2, 12),
                            c.muted, 1.0, after=4))
        confidentiality = self.theme.confidentiality_line(doc)
        if confidentiality:
            sub.append(Text((Span(confidentiality),), deck.small, c.muted, 1.0))
        sub_rect = geo.cover_subtitle.with_(y=max(geo.cover_subtitle.y, rect.bottom))
        notes = doc.description or doc.subtitle or doc.title
        try:
            sub = self.setter.shrink_to(sub, sub_rect)
        except RenderError:  # a subtitle of many paragraphs' length: cut it, keep it in notes
            sub = self.setter.cut_to(sub, sub_rect)
            notes = "\n\n".join(x for x in (doc.subtitle, doc.description) if x)
        return SlidePlan("title", doc.title, title, rect, subtitle=tuple(sub), notes=notes,
                         footer=False, title_anchor="b")

    def agenda(self) -> list[SlidePlan]:
        c = self.colors
        paras = []
        for section in self.doc.sections:
            number = f"{section.number:02d}" if section.number else "·"
            paras.append(Copy("agenda", (Span(number + "\t", bold=True, color=c.accent),
                                      Span(section.title))))
        return self.setter.topic_slides("Agenda", None, [TextUnit(paras)], self._agenda_notes(), None)

    def _agenda_notes(self) -> str:
        return "\n".join(section_label(s) for s in self.doc.sections)

    # -- sections -------------------------------------------------------------------------

    def section(self, section: Section) -> list[SlidePlan]:
        self.setter.loc = section.loc or self.doc.where
        topics = _topics(section)
        slides: list[SlidePlan] = []
        lead = section.summary
        if self.dividers and section.number is not None:
            opening = _divider_lead(topics) if not lead else None
            try:
                slides.append(self.divider(section, lead or opening))
            except RenderError:  # a summary too long for the divider opens the body instead
                slides.append(self.divider(section, None))
            else:
                topics = topics[1:] if opening is not None else topics
                lead = None
        if lead and (not topics or isinstance(topics[0][1][0], CallToAction)):
            # The summary needs a slide of its own: the section has nothing else, or opens
            # with its call to action, whose closing slide has no room for a lead.
            topics = [(None, []), *topics]
        # Template decks draw no kickers: without a divider, a section opening on a
        # sub-heading's slide would never show its own title, so its body starts with it.
        label = section_label(section) if not self.geo.drawn and not slides else None
        for i, (heading, blocks) in enumerate(topics):
            slides += self.topic(section, heading, blocks, lead if i == 0 else None,
                                 label if i == 0 and heading else None)
        return slides

    def divider(self, section: Section, lead: str | None) -> SlidePlan:
        geo, deck, c = self.geo, self.style.deck, self.colors
        title, rect = self.setter.fit_title(section.title, geo.divider_title, deck.title - 4,
                                     deck.heading)
        body: list[Text] = []
        if lead:
            body = self.setter.shrink_to([Text((Span(lead),), deck.subtitle + 2, c.muted,
                                         deck.line_spacing)],
                                   geo.divider_body.with_(y=max(geo.divider_body.y,
                                                                rect.bottom)))
        number = None
        size = deck.title * 2
        number_text = Text((Span(f"{section.number:02d}", role="heading", bold=True),),
                           size, c.accent, 1.0)
        height = emu(self.style.height([number_text], 1e4) / HEIGHT_SAFETY)
        if geo.divider_title.y - height >= geo.margin // 2:
            number = TextFrame(Rect(rect.x, rect.y - height, emu(size * 3), height),
                               (number_text,), anchor="b", name="Section number")
        else:
            title = tuple(replace(t, spans=(Span(f"{section.number}. ", role="heading",
                                                 bold=True, color=c.accent), *t.spans))
                          for t in title[:1]) + title[1:]
        notes = lead or section_label(section)
        return SlidePlan("section", section.title, title, rect, subtitle=tuple(body),
                         notes=notes, section=section.id, footer=False, number=number,
                         title_anchor="b")

    def topic(self, section: Section, heading: str | None, blocks: list[Block],
              lead: str | None, label: str | None = None) -> list[SlidePlan]:
        title = heading or section.title
        kicker = section_label(section) if heading else None
        if heading is None and section.number is not None and self.geo.drawn:
            kicker = f"{section.number:02d}"
        if blocks and isinstance(blocks[0], CallToAction):
            return self.closing(section, blocks[0], section_label(section), heading)
        if blocks and isinstance(blocks[0], Verdict) and heading is None and _has_headings(
                section):
            title = f"{blocks[0].label} — {section.title}"
            kicker = section_label(section)
        units, notes = self.units(blocks, lead, label)
        if not units:
            return []
        if not notes:
            notes = lead or section.summary or ""
        return self.setter.topic_slides(title, kicker, units, notes, section)

    def units(self, blocks: list[Block], lead: str | None,
              label: str | None = None) -> tuple[list[Unit], str]:
        """The blocks of one topic as units, and the prose that goes to the notes."""
        units: list[Unit] = []
        prose: list[str] = []
        hidden: list[Paragraph] = []

        def text_unit() -> TextUnit:
            if not units or not isinstance(units[-1], TextUnit) or units[-1].statement:
                units.append(TextUnit([]))
            return units[-1]  # type: ignore[return-value]

        if label:
            text_unit().paras.append(Copy("lead", (Span(label, bold=True,
                                                     color=self.colors.primary),)))
        if lead:
            text_unit().paras.append(Copy("lead", (Span(lead),)))
        for i, block in enumerate(blocks):
            following = blocks[i + 1] if i + 1 < len(blocks) else None
            match block:
                case Paragraph():
                    prose.append(block.text)
                    if self.concise and not _leads(block, following, i):
                        hidden.append(block)
                        continue
                    role = "lead" if self.concise else "body"
                    text_unit().paras.append(Copy(role, (Span(block.text),)))
                case Heading():
                    text_unit().paras.append(Copy("col_heading", (Span(block.text, bold=True),)))
                case Bullets():
                    text_unit().paras.extend(self.bullet_paras(block.items, block.marker,
                                                               block.ordered))
                case Verdict():
                    units.append(self.box(block.label, block.text, self.colors.success))
                case Callout():
                    tone = {"note": self.colors.primary, "tip": self.colors.accent,
                            "warning": self.colors.warning, "success": self.colors.success}
                    units.append(self.box(block.label or block.tone.title(), block.text,
                                          tone[block.tone]))
                case Comparison():
                    if block.title:
                        text_unit().paras.append(Copy("lead", (Span(block.title, bold=True),)))
                    units.append(self.columns(block))
                case Table():
                    units.append(TableUnit(block.header, list(block.rows), block.caption))
                    if block.caption:
                        prose.append(block.caption)
                case Quote():
                    units.append(self.quote(block))
                case Image():
                    units.append(_image_unit(block))
                case CallToAction():
                    pass  # a closing slide of its own (see topic)
                case _:
                    assert_never(block)
        if units == [] and hidden:
            # A prose-only topic on a concise deck: its first paragraph is the statement.
            units.append(TextUnit([Copy("statement", (Span(hidden[0].text),))], statement=True))
        elif (len(units) == 1 and isinstance(units[0], TextUnit)
              and len(units[0].paras) == 1 and units[0].paras[0].role in ("body", "lead")
              and len(units[0].paras[0].plain.split()) <= STATEMENT_WORDS):
            units[0] = TextUnit([replace(units[0].paras[0], role="statement")], statement=True)
        return [u for u in units if not isinstance(u, TextUnit) or u.paras], "\n\n".join(prose)

    def bullet_paras(self, items: Sequence[BulletItem], marker: str | None, ordered: bool,
                     level: int = 0) -> list[Copy]:
        paras = []
        for n, item in enumerate(items, 1):
            mark = item.marker or (marker if level == 0 else None)
            paras.append(Copy("bullet", (Span(item.text),), level=min(level, 4), marker=mark,
                           number=n if ordered and level == 0 else None))
            paras += self.bullet_paras(item.items, None, False, level + 1)
        return paras

    def box(self, label: str, text: str, tone: str) -> BoxUnit:
        fill = tint(tone, self.colors.background, 0.12)
        return BoxUnit(Copy("box_label", (Span(label.upper() if label.isascii() else label,
                                            bold=True),)),
                       [Copy("box_text", (Span(text),))], tone, fill)

    def columns(self, block: Comparison) -> ColumnsUnit:
        headings = [Copy("col_heading", (Span(col.heading, role="heading", bold=True),))
                    for col in block.columns]
        items = [self.bullet_paras(col.items, col.marker, False) for col in block.columns]
        return ColumnsUnit(headings, items)

    def quote(self, block: Quote) -> BoxUnit:
        paras = [Copy("quote", (Span(f"“{block.text}”", role="heading", italic=False),))]
        if block.source:
            paras.append(Copy("source", (Span(f"— {block.source}"),)))
        return BoxUnit(None, paras, self.colors.accent, None)

    def closing(self, section: Section, cta: CallToAction, kicker: str,
                heading: str | None = None) -> list[SlidePlan]:
        """The call to action as a closing slide: the action large, its lines and link below.

        Like every content slide it carries its section's label; a sub-heading that leads
        into the call to action opens the body.
        """
        geo, deck, c = self.geo, self.style.deck, self.colors
        paras = self.bullet_paras(cta.items, cta.marker, False)
        if heading:
            paras.insert(0, Copy("lead", (Span(heading, bold=True),)))
        if cta.link:
            label = re.sub(r"^https://", "", cta.link).rstrip("/")
            paras.append(Copy("lead", (Span(f"→ {label}", bold=True, color=c.accent,
                                         link=cta.link),)))
        notes = "\n".join([*([heading] if heading else []), *(i.text for i in cta.items),
                           cta.action])
        title, rect = self.setter.fit_title(cta.action, geo.divider_title, deck.title - 4,
                                     deck.heading, link=cta.link)
        # The section's label stays on the slide: a section may be only its call to action.
        label = self.setter.kicker(kicker, above=rect)
        if label is None:
            paras.insert(0, Copy("lead", (Span(kicker, bold=True, color=c.accent),)))
        body_rect = geo.divider_body.with_(y=max(geo.divider_body.y, rect.bottom))
        texts = [self.style.text(p, 0) for p in paras]
        try:
            body = self.setter.shrink_to(texts, body_rect, floor=0.7) if texts else []
        except RenderError:  # too many lines for a closing slide: an ordinary topic instead
            return self.setter.topic_slides(cta.action, kicker, [TextUnit(paras)], notes, section,
                                     link=cta.link)
        return [SlidePlan("section", cta.action, title, rect, subtitle=tuple(body),
                          notes=notes, section=section.id, footer=False, title_anchor="b",
                          kicker=label)]

    # -- layout of one topic onto slides ---------------------------------------------------



def _topics(section: Section) -> list[tuple[str | None, list[Block]]]:
    """Split a section at its sub-headings; a closing verdict and a call to action stand alone.

    A sub-heading still waiting for content keeps whatever comes next, even a verdict, a
    call to action or another sub-heading: a topic without blocks would drop its heading.
    """
    topics: list[tuple[str | None, list[Block]]] = [(None, [])]
    for block in section.blocks:
        heading, blocks = topics[-1]
        waiting = heading is not None and not blocks
        if isinstance(block, Heading) and not waiting:
            topics.append((block.text, []))
        elif isinstance(block, CallToAction):
            if waiting:
                blocks.append(block)
            else:
                topics.append((None, [block]))
            topics.append((None, []))
        elif isinstance(block, Verdict) and heading is not None and not waiting:
            topics.append((None, [block]))
        else:
            blocks.append(block)
    return [(h, b) for h, b in topics if b]


def _has_headings(section: Section) -> bool:
    return any(isinstance(b, Heading) for b in section.blocks)


def _divider_lead(topics) -> str | None:
    """A section's opening topic that is one short paragraph can sit on the divider."""
    if len(topics) < 2 or topics[0][0] is not None:
        return None
    blocks = topics[0][1]
    if len(blocks) == 1 and isinstance(blocks[0], Paragraph) and len(
            blocks[0].text.split()) <= DIVIDER_LEAD_WORDS:
        return blocks[0].text
    return None


def _leads(block: Paragraph, following: Block | None, index: int) -> bool:
    """On a concise slide, keep a paragraph that introduces the list right after it."""
    if not isinstance(following, (Bullets, Comparison)):
        return False
    words = len(block.text.split())
    return words <= LEAD_WORDS and (block.text.rstrip().endswith(":") or index == 0)


def _image_unit(block: Image) -> ImageUnit:
    from PIL import Image as PILImage

    if block.path is None:
        raise RenderError([Diagnostic("error", "pptx.image", f"image '{block.src}' has no "
                                      "resolved file", block.loc)])
    with PILImage.open(block.path) as im:
        w, h = im.size
    return ImageUnit(str(block.path), block.alt, block.caption, h / w if w else 1.0)
