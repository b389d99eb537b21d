"""The deck's set pieces: title slide, agenda, key takeaways, section dividers, closing slide.

Each is one or a few SlidePlans of a fixed shape, filled from the document: the key
takeaways only from its verdict blocks (pipeline/takeaways.py), so they never invent
text. A few sections or takeaways are set as tiles side by side, which fill the slide as
a short list would not. The call to action's closing slide shows the action as a plain
title and its link on a line of its own, short enough never to wrap (a hyperlinked run
that wraps is laid out as a URL field by LibreOffice, mid-word and over the text below).
"""

from __future__ import annotations

import re
from dataclasses import replace
from urllib.parse import urlsplit

from ...dates import long_date
from ...errors import RenderError
from ...labels import Labels
from ...model import CallToAction, Document, Section, section_label
from ...takeaways import takeaways
from ...tokens import Theme
from .blocks import UnitMaker
from .columns import ColumnsUnit
from .fitting import Fitter
from .geometry import Rect, clear_of, emu, inches, overlap, pt
from .measure import HEIGHT_SAFETY, WIDTH_SAFETY
from .measure import width as measure
from .slideplan import BODY_INSETS, SlidePlan, Span, Text, TextFrame
from .slides import GAP, SlideSetter
from .style import Copy, Style
from .units import TextUnit, Unit

TILES = 3  # an agenda of up to twice as many sections, or as many takeaways, are tiles
TILES_FILL = 0.6  # of the body area's height, which tiles take together


def _number(section: Section) -> str:
    return f"{section.number:02d}" if section.number else "·"


def _tile_heading(text: str) -> Copy:
    return Copy("col_heading", (Span(text, role="heading", bold=True),))


class SetPieces:
    """The fixed-shape slides of one document's deck."""

    def __init__(
        self,
        document: Document,
        theme: Theme,
        fitter: Fitter,
        setter: SlideSetter,
        maker: UnitMaker,
        labels: Labels,
    ) -> None:
        self.doc, self.theme, self.fitter, self.setter = document, theme, fitter, setter
        self.maker, self.labels = maker, labels
        self.style: Style = fitter.style
        self.geo, self.colors = fitter.geo, theme.colors

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
        """The sections as a list; a few of them as tiles, which fill the slide."""
        c, sections = self.colors, self.doc.sections
        entries = [
            (
                section_label(s),
                [
                    Copy(
                        "agenda",
                        (Span(_number(s) + "\t", bold=True, color=c.accent), Span(s.title)),
                    )
                ],
            )
            for s in sections
        ]
        if len(sections) <= TILES * 2:
            tiles = [
                (
                    [Copy("tile_number", (Span(_number(s), role="heading", bold=True),))]
                    if s.number
                    else [],
                    [Copy("lead", (Span(s.title, bold=True),))],
                )
                for s in sections
            ]
            setting = self.setter.set(
                self.labels.agenda, None, self._tiles(tiles), _notes(entries), None, single=True
            )
            if setting is not None:
                return setting.plans
        return self._listed(self.labels.agenda, entries)

    def _listed(self, title: str, entries: list[tuple[str, list[Copy]]]) -> list[SlidePlan]:
        """A set piece as one list: each entry a line of the notes and its paragraphs, so a
        slide of it says in its notes what it shows."""
        paras = [p for _, shown in entries for p in shown]
        # By identity: two paragraphs may read alike (two sections' equal verdicts).
        said = {id(p): (n, line) for n, (line, shown) in enumerate(entries) for p in shown}
        setting = self.setter.set(title, None, [TextUnit(paras)], _notes(entries), None, said=said)
        assert setting is not None  # only a `single` setting can fail
        return setting.plans

    def _tiles(self, tiles: list[tuple[list[Copy], list[Copy]]]) -> list[Unit]:
        """Tiles in rows of up to three, together filling most of the body area."""
        rows = -(-len(tiles) // TILES)
        size, extra = divmod(len(tiles), rows)
        room = pt(self.geo.body.h) * HEIGHT_SAFETY * TILES_FILL - GAP * (rows - 1)
        units: list[Unit] = []
        at = 0
        for i in range(rows):
            row = tiles[at : at + size + (1 if i < extra else 0)]
            at += len(row)
            tops = [(heads + items)[0] for heads, items in row]  # a tile's first line leads it
            rests = [(heads + items)[1:] for heads, items in row]
            units.append(ColumnsUnit(tops, rests, floor=room / rows))
        return units

    def takeaways(self) -> list[SlidePlan]:
        """Each section that has a verdict: its number and title, then its verdicts."""
        c = self.colors
        entries: list[tuple[str, list[Copy]]] = []  # a section's notes line, its paragraphs
        found = takeaways(self.doc)
        for item in found:
            section = item.section
            line = f"{section_label(section)}: {' '.join(item.verdicts)}"
            heading = Copy(
                "takeaway_title",
                (
                    Span(_number(section) + "\t", bold=True, color=c.accent),
                    Span(section.title, bold=True, color=c.primary),
                ),
            )
            verdicts = [Copy("takeaway", (Span(text),)) for text in item.verdicts]
            entries.append((line, [heading, *verdicts]))
        if not entries:
            return []
        title = self.labels.key_takeaways
        if len(found) <= TILES:  # side by side, when they fit one slide
            tiles = [
                ([_tile_heading(f"{_number(t.section)}  {t.section.title}".lstrip("· "))],
                 [Copy("box_text", (Span(v),)) for v in t.verdicts])
                for t in found
            ]  # fmt: skip
            setting = self.setter.set(
                title, None, self._tiles(tiles), _notes(entries), None, single=True
            )
            if setting is not None:
                return setting.plans
        return self._listed(title, entries)

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
            shown = self._link_label(cta.link, pt(geo.divider_body.w))
            paras.append(
                Copy("lead", (Span(f"→ {shown}", bold=True, color=c.accent, link=cta.link),))
            )
        notes = "\n".join(
            [
                *([heading] if heading else []),
                *(i.text for i in cta.items),
                cta.action,
                *([cta.link] if cta.link else []),
            ]
        )
        title, rect = self.fitter.fit_title(
            cta.action, geo.divider_title, deck.title - 4, deck.heading
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
            return self.setter.topic_slides(cta.action, kicker, [TextUnit(paras)], notes, section)
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

    def _link_label(self, link: str, width: float) -> str:
        """The link as shown: without https://, then only its host, then cut, to stay on
        one line (the whole address is the link's target and in the notes)."""
        parts = urlsplit(link)
        candidates = [re.sub(r"^https://", "", link).rstrip("/"), parts.netloc]
        face = self.style.face("body", True, False)
        size = self.style.text(Copy("lead", (Span("→ "),)), 0).size
        room = (width - BODY_INSETS[0] - BODY_INSETS[1]) * WIDTH_SAFETY * 0.9
        for text in candidates:
            if measure(face, f"→ {text}", size) <= room:
                return text
        host = parts.netloc
        while len(host) > 1 and measure(face, f"→ {host}…", size) > room:
            host = host[:-1]
        return host + "…"


def _notes(entries: list[tuple[str, list[Copy]]]) -> str:
    """A set piece's notes on one slide: every entry's line."""
    return "\n".join(line for line, _ in entries)
