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
from dataclasses import replace

from ...dates import long_date
from ...errors import RenderError
from ...labels import labels_for
from ...model import (
    Block,
    CallToAction,
    Document,
    Section,
    Verdict,
    section_label,
)
from ...tokens import Theme
from .blocks import UnitMaker
from .fitting import Fitter
from .geometry import Geometry, Rect, clear_of, emu, inches, overlap
from .measure import HEIGHT_SAFETY
from .options import Options
from .slideplan import SlidePlan, Span, Text, TextFrame
from .slides import SlideSetter
from .style import Copy, Style
from .topics import divider_lead, has_headings, topics_of
from .units import TextUnit


class Planner:
    """Turns a selected document into SlidePlans for one theme and options."""

    def __init__(
        self, document: Document, theme: Theme, options: Options, geometry: Geometry
    ) -> None:
        self.doc, self.theme, self.options, self.geo = document, theme, options, geometry
        self.style = Style(theme)
        self.colors = theme.colors
        self.fitter = Fitter(theme, geometry, self.style)
        self.fitter.loc = document.where
        self.setter = SlideSetter(self.fitter, labels_for(document, theme))
        self.labels = labels_for(document, theme)
        self.maker = UnitMaker(theme.colors, self.labels, options.density == "concise")
        self.dividers = theme.pptx.dividers if options.dividers is None else options.dividers
        self.concise = options.density == "concise"
        self.setter.footer, self.setter.footer_size = self.fitter.fit_footer(
            theme.footer_line(document)
        )

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
        title, rect = self.fitter.fit_title(doc.title, geo.cover_title, deck.title, deck.heading)
        meta = " · ".join(
            x
            for x in (
                doc.organisation,
                long_date(doc.date, doc.language),
                self.labels.fill("prepared_for_audience", audience=doc.prepared_for)
                if doc.prepared_for
                else None,
            )
            if x
        )
        sub: list[Text] = []
        if doc.subtitle:
            sub.append(Text((Span(doc.subtitle),), deck.subtitle, c.text, 1.05, after=14))
        if meta:
            sub.append(
                Text(
                    (Span(meta, bold=True, color=c.muted),),
                    max(deck.small + 2, 12),
                    c.muted,
                    1.0,
                    after=4,
                )
            )
        confidentiality = self.theme.confidentiality_line(doc)
        if confidentiality:
            sub.append(Text((Span(confidentiality),), deck.small, c.muted, 1.0))
        sub_rect = clear_of(geo.cover_subtitle, rect, geo.floor, inches(1.0))
        notes = doc.description or doc.subtitle or doc.title
        try:
            sub = self.fitter.shrink_to(sub, sub_rect)
        except RenderError:  # a subtitle of many paragraphs' length: cut it, keep it in notes
            sub = self.fitter.cut_to(sub, sub_rect)
            notes = "\n\n".join(x for x in (doc.subtitle, doc.description) if x)
        return SlidePlan(
            "title",
            doc.title,
            title,
            rect,
            subtitle=tuple(sub),
            subtitle_rect=sub_rect,
            notes=notes,
            footer=False,
            title_anchor="b",
        )

    def agenda(self) -> list[SlidePlan]:
        c = self.colors
        paras = []
        for section in self.doc.sections:
            number = f"{section.number:02d}" if section.number else "·"
            paras.append(
                Copy(
                    "agenda", (Span(number + "\t", bold=True, color=c.accent), Span(section.title))
                )
            )
        return self.setter.topic_slides(
            self.labels.agenda, None, [TextUnit(paras)], self._agenda_notes(), None
        )

    def _agenda_notes(self) -> str:
        return "\n".join(section_label(s) for s in self.doc.sections)

    # -- sections -------------------------------------------------------------------------

    def section(self, section: Section) -> list[SlidePlan]:
        self.fitter.loc = section.loc or self.doc.where
        topics = topics_of(section)
        slides: list[SlidePlan] = []
        lead = section.summary
        if self.dividers and section.number is not None:
            opening = divider_lead(topics) if not lead else None
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
            slides += self.topic(
                section,
                heading,
                blocks,
                lead if i == 0 else None,
                label if i == 0 and heading else None,
            )
        return slides

    def divider(self, section: Section, lead: str | None) -> SlidePlan:
        geo, deck, c = self.geo, self.style.deck, self.colors
        title, rect = self.fitter.fit_title(
            section.title, geo.divider_title, deck.title - 4, deck.heading
        )
        body: list[Text] = []
        body_rect = clear_of(geo.divider_body, rect, geo.floor, inches(0.8))
        if lead:
            texts = [Text((Span(lead),), deck.subtitle + 2, c.muted, deck.line_spacing)]
            body = self.fitter.shrink_to(texts, body_rect)  # RenderError: the caller copes
        number = None
        size = deck.title * 2
        number_text = Text(
            (Span(f"{section.number:02d}", role="heading", bold=True),), size, c.accent, 1.0
        )
        height = emu(self.style.height([number_text], 1e4) / HEIGHT_SAFETY)
        spot = Rect(rect.x, rect.y - height, emu(size * 3), height)
        # Above the title, unless the layout puts the lead there (Office's Section Header).
        if geo.divider_title.y - height >= geo.margin // 2 and not (
            body and overlap(spot, body_rect)
        ):
            number = TextFrame(spot, (number_text,), anchor="b", name="Section number")
        else:
            title = (
                tuple(
                    replace(
                        t,
                        spans=(
                            Span(f"{section.number}. ", role="heading", bold=True, color=c.accent),
                            *t.spans,
                        ),
                    )
                    for t in title[:1]
                )
                + title[1:]
            )
        notes = lead or section_label(section)
        return SlidePlan(
            "section",
            section.title,
            title,
            rect,
            subtitle=tuple(body),
            subtitle_rect=body_rect,
            notes=notes,
            section=section.id,
            footer=False,
            number=number,
            title_anchor="b",
        )

    def topic(
        self,
        section: Section,
        heading: str | None,
        blocks: list[Block],
        lead: str | None,
        label: str | None = None,
    ) -> list[SlidePlan]:
        title = heading or section.title
        kicker = section_label(section) if heading else None
        if heading is None and section.number is not None and self.geo.drawn:
            kicker = f"{section.number:02d}"
        if blocks and isinstance(blocks[0], CallToAction):
            return self.closing(section, blocks[0], section_label(section), heading)
        if blocks and isinstance(blocks[0], Verdict) and heading is None and has_headings(section):
            title = f"{blocks[0].label or self.labels.verdict} — {section.title}"
            kicker = section_label(section)
        units, notes = self.maker.units(blocks, lead, label)
        if not units:
            return []
        if not notes:
            notes = lead or section.summary or ""
        return self.setter.topic_slides(title, kicker, units, notes, section)

    def closing(
        self, section: Section, cta: CallToAction, kicker: str, heading: str | None = None
    ) -> list[SlidePlan]:
        """The call to action as a closing slide: the action large, its lines and link below.

        Like every content slide it carries its section's label; a sub-heading that leads
        into the call to action opens the body.
        """
        geo, deck, c = self.geo, self.style.deck, self.colors
        paras = self.maker.bullet_paras(cta.items, cta.marker, False)
        if heading:
            paras.insert(0, Copy("lead", (Span(heading, bold=True),)))
        if cta.link:
            label = re.sub(r"^https://", "", cta.link).rstrip("/")
            paras.append(
                Copy("lead", (Span(f"→ {label}", bold=True, color=c.accent, link=cta.link),))
            )
        notes = "\n".join(
            [*([heading] if heading else []), *(i.text for i in cta.items), cta.action]
        )
        title, rect = self.fitter.fit_title(
            cta.action, geo.divider_title, deck.title - 4, deck.heading, link=cta.link
        )
        # The section's label stays on the slide: a section may be only its call to action.
        kicker_frame = self.fitter.kicker(kicker, above=rect)
        if kicker_frame is None:
            paras.insert(0, Copy("lead", (Span(kicker, bold=True, color=c.accent),)))
        body_rect = clear_of(geo.divider_body, rect, geo.floor, inches(1.0))
        texts = [self.style.text(p, 0) for p in paras]
        try:
            body = self.fitter.shrink_to(texts, body_rect, floor=0.7) if texts else []
        except RenderError:  # too many lines for a closing slide: an ordinary topic instead
            return self.setter.topic_slides(
                cta.action, kicker, [TextUnit(paras)], notes, section, link=cta.link
            )
        return [
            SlidePlan(
                "section",
                cta.action,
                title,
                rect,
                subtitle=tuple(body),
                subtitle_rect=body_rect,
                notes=notes,
                section=section.id,
                footer=False,
                title_anchor="b",
                kicker=kicker_frame,
            )
        ]

    # -- layout of one topic onto slides ---------------------------------------------------
