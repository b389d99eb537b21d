"""Slide planning: what of the document goes on which slides, in which shape.

Protocol. In: a Document already selected for one audience, a Theme, the pptx Options and
the Geometry of the base deck's layouts. Out: a list of SlidePlan, pure data that the
drawing module turns into python-pptx slides without making any decision of its own.

After the title slide, the agenda and the key takeaways (setpieces.py), a section becomes
its *parts* (topics.py): one topic per sub-heading (the blocks before the first form a
topic titled with the section), or parallel sub-sections side by side on one slide when
they fit; a verdict standing after a part is a banner at the foot of the part's last
slide when it fits, else a slide of its own. A part's blocks become *units* (blocks.py),
which the `SlideSetter` stacks into the body area at one scale: the largest that fits one
slide; when none does, the largest scale that still needs the fewest slides, with the
units split onto continuation slides titled "<title> (cont.)". A divider slide opens a
section that spans more than two slides (or every section, or none, by the options).
"""

from __future__ import annotations

from collections.abc import Sequence

from ...errors import RenderError
from ...labels import labels_for
from ...model import Block, CallToAction, Document, Paragraph, Section, Verdict, section_label
from ...tokens import Theme
from .blocks import UnitMaker
from .fitting import Fitter
from .geometry import Geometry
from .options import Dividers, Options
from .setpieces import SetPieces
from .slideplan import SlidePlan
from .slides import Setting, SlideSetter
from .style import Style
from .topics import Part, Topic, divider_lead, has_headings, is_closing, parts_of, topics_of
from .units import BoxUnit, TextUnit, Unit


class Planner:
    """Turns a selected document into SlidePlans for one theme and options."""

    def __init__(
        self, document: Document, theme: Theme, options: Options, geometry: Geometry
    ) -> None:
        self.doc, self.theme, self.options, self.geo = document, theme, options, geometry
        self.style = Style(theme)
        self.fitter = Fitter(theme, geometry, self.style)
        self.fitter.loc = document.where
        self.labels = labels_for(document, theme)
        self.setter = SlideSetter(self.fitter, self.labels)
        self.concise = options.density == "concise"
        self.maker = UnitMaker(theme.colors, self.labels, self.concise)
        self.pieces = SetPieces(document, theme, self.fitter, self.setter, self.maker, self.labels)
        self.dividers: Dividers = options.dividers or ("auto" if theme.pptx.dividers else "never")
        self.banners = options.verdicts == "banner"
        self.setter.footer, self.setter.footer_size = self.fitter.fit_footer(
            theme.footer_line(document)
        )

    def plan(self) -> list[SlidePlan]:
        slides = [self.pieces.cover()]
        if self.options.agenda and self.doc.sections:
            slides += self.pieces.agenda()
        if self.options.takeaways:
            slides += self.pieces.takeaways()
        for section in self.doc.sections:
            slides += self.section(section)
        return slides

    # -- sections -------------------------------------------------------------------------

    def section(self, section: Section) -> list[SlidePlan]:
        """A divider where it helps (or always, or never), then the section's parts."""
        self.fitter.loc = section.loc or self.doc.where
        topics = topics_of(section)
        numbered = section.number is not None
        if self.dividers == "always" and numbered:
            return self._divided(section, topics)
        body = self._body(section, topics, section.summary, divided=False)
        if self.dividers == "auto" and numbered and len(body) > 2:
            return self._divided(section, topics)
        return body

    def _divided(self, section: Section, topics: list[Topic]) -> list[SlidePlan]:
        """The divider carries the summary, or else a short opening paragraph."""
        lead = section.summary
        opening = divider_lead(topics) if not lead else None
        try:
            divider = self.pieces.divider(section, lead or opening)
        except RenderError:  # a summary too long for the divider opens the body instead
            return [self.pieces.divider(section, None), *self._body(section, topics, lead, True)]
        rest = topics[1:] if opening is not None else topics
        return [divider, *self._body(section, rest, None, True)]

    def _body(
        self, section: Section, topics: list[Topic], lead: str | None, divided: bool
    ) -> list[SlidePlan]:
        leads = [lead] if lead else []
        opening = divider_lead(topics)
        if opening is not None and (divided or is_closing(topics[1])):
            opening = None
        if opening is not None:
            # A short opening paragraph leads the next slide (full density) or goes into
            # its notes (concise) instead of filling a slide of its own.
            topics = topics[1:]
        if leads and (not topics or is_closing(topics[0])):
            # The summary needs a slide of its own: the section has nothing else, or opens
            # with its call to action, whose closing slide has no room for a lead.
            topics = [(None, []), *topics]
        # Template decks draw no kickers: without a divider, a section opening on a
        # sub-heading's slide would never show its own title, so its body starts with it.
        label = section_label(section) if not self.geo.drawn and not divided else None
        slides: list[SlidePlan] = []
        for i, part in enumerate(parts_of(section, topics, self.banners)):
            first = i == 0
            slides += self.part(
                section,
                part,
                leads if first else [],
                label if first else None,
                opening if first else None,
            )
        return slides

    def part(
        self,
        section: Section,
        part: Part,
        leads: list[str],
        label: str | None,
        opening: str | None,
    ) -> list[SlidePlan]:
        """A part's slides; a banner that finds no room gets a slide of its own after them.

        `opening`, a section's short opening paragraph, leads the part in full density and
        goes to the notes in concise density, or when that lets sub-sections share a slide
        (or their verdict sit at its foot).
        """
        banner = self.maker.banner(part.banner) if part.banner else None
        notes = opening if opening and self.concise else ""
        if opening and not self.concise:
            leads = [*leads, opening]
        setting = self.side_by_side(section, part.topics, leads, notes, banner)
        if opening and not self.concise and (setting is None or not setting.banner_placed):
            other = self.side_by_side(section, part.topics, leads[:-1], opening, banner)
            if other is not None and (setting is None or other.banner_placed):
                setting = other
        plans: list[SlidePlan] = list(setting.plans) if setting else []
        placed = setting.banner_placed if setting else False
        for i, (heading, blocks) in enumerate(part.topics if setting is None else []):
            first, last = i == 0, i == len(part.topics) - 1  # one by one
            one = self.topic(
                section,
                heading,
                blocks,
                leads if first else [],
                label if first and heading else None,
                banner if last else None,
                notes if first else "",
            )
            plans += one.plans
            placed = one.banner_placed
        if part.banner and not placed:
            plans += self.topic(section, None, list(part.banner), [], None, None, "").plans
        return plans

    def side_by_side(
        self,
        section: Section,
        topics: list[Topic],
        leads: list[str],
        notes: str,
        banner: BoxUnit | None,
    ) -> Setting | None:
        """Parallel sub-sections as columns on one slide titled with the section; None
        when there is only one, or they do not fit one slide at the theme's sizes."""
        if len(topics) < 2:
            return None
        units: list[Unit] = [TextUnit(self.maker.leads(leads))] if leads else []
        units.append(self.maker.side_by_side(topics))
        prose = [b.text for _, blocks in topics for b in blocks if isinstance(b, Paragraph)]
        text = "\n\n".join([notes, *prose]).strip() or section.summary or ""
        return self.setter.set(
            section.title, self._kicker(section), units, text, section, banner=banner, single=True
        )

    def _kicker(self, section: Section) -> str | None:
        return f"{section.number:02d}" if section.number is not None and self.geo.drawn else None

    def topic(
        self,
        section: Section,
        heading: str | None,
        blocks: Sequence[Block],
        leads: list[str],
        label: str | None,
        banner: BoxUnit | None,
        notes: str,
    ) -> Setting:
        title = heading or section.title
        kicker = section_label(section) if heading else self._kicker(section)
        if blocks and isinstance(blocks[0], CallToAction):
            return Setting(
                self.pieces.closing(section, blocks[0], section_label(section), heading), False
            )
        verdicts = [b for b in blocks if isinstance(b, Verdict)]
        units: list[Unit]
        standing = heading is None and not leads and not label and has_headings(section)
        if blocks and len(verdicts) == len(blocks) and standing:
            # A verdict standing on its own slide: titled as what it is, and set large.
            title = f"{verdicts[0].label or self.labels.verdict} — {section.title}"
            kicker = section_label(section)
            units = [self.maker.verdict(v, alone=len(verdicts) == 1) for v in verdicts]
            prose = ""
        else:
            units, prose = self.maker.units(list(blocks), leads, label)
        if not units:
            return Setting([], False)
        text = "\n\n".join(x for x in (notes, prose) if x) or " ".join(leads)
        text = text or section.summary or ""
        setting = self.setter.set(title, kicker, units, text, section, banner=banner)
        assert setting is not None
        return setting
