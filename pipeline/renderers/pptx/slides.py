"""Setting units onto slides: the scale for a topic, pagination, frames, titles and kickers.

The planner decides what a topic holds; `SlideSetter` finds the largest scale at which the
topic needs the fewest slides, splits its units across continuation slides titled
"<title> (cont.)", and places every frame in the layout's body area (frames.py makes
them). A verdict concluding the topic goes at the foot of its last slide as a banner when
it fits there. Pagination keeps a block's title with its body, moves a box, a table or
columns that fit a slide whole to the next slide rather than cutting them under a slide
that is already well filled, and evens out a last slide that would be left nearly empty.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, replace

from ...errors import RenderError
from ...labels import Labels
from ...model import Section
from .columns import ColumnsUnit
from .fitting import Fitter, too_long
from .frames import FrameMaker
from .geometry import Rect, emu, pt
from .measure import HEIGHT_SAFETY
from .slideplan import Frame, Insets, Layout, SlidePlan, Slot
from .style import LEADS_IN, Copy
from .tables import TableUnit
from .units import BoxUnit, ChartUnit, Ctx, ImageUnit, TextUnit, Unit

GAP = 16.0  # points between stacked units
BANNER_GAP = 24.0  # points at least between a slide's content and the banner at its foot
WELL_FILLED = 0.5  # a slide this full sends a box, table or columns that fit whole onwards
NEARLY_EMPTY = 0.35  # a last slide filled less than this is evened out with the one before
Page = list[tuple[Unit, float]]  # the units on one slide, with the height each takes
Cost = tuple[int, int]  # slides in all (a banner that did not fit needs its own), pages


@dataclass(frozen=True)
class Setting:
    """A topic set on slides, and whether its banner found room on the last one."""

    plans: list[SlidePlan]
    banner_placed: bool


class SlideSetter:
    """Places units and titles on slides for one theme and base deck."""

    def __init__(self, fitter: Fitter, labels: Labels) -> None:
        self.labels = labels
        self.fitter, self.geo, self.style = fitter, fitter.geo, fitter.style
        self.colors = fitter.colors
        self.frames = FrameMaker(fitter.colors)
        self.footer, self.footer_size = "", fitter.style.deck.small
        # Paragraphs' heights, shared by every topic's setting: a section is set twice when
        # it turns out to need a divider, and its paragraphs measure the same both times.
        self.measured: dict[tuple[Copy, int, float, Insets], float] = {}

    def topic_slides(
        self,
        title: str,
        kicker: str | None,
        units: list[Unit],
        notes: str,
        section: Section | None,
    ) -> list[SlidePlan]:
        setting = self.set(title, kicker, units, notes, section)
        assert setting is not None  # only a `single` setting can fail
        return setting.plans

    def set(
        self,
        title: str,
        kicker: str | None,
        units: list[Unit],
        notes: str,
        section: Section | None,
        *,
        banner: BoxUnit | None = None,
        single: bool = False,
        said: Mapping[int, tuple[int, str]] | None = None,
    ) -> Setting | None:
        """The topic's slides; with `single`, None unless it fits one slide.

        `said` gives a set piece's paragraphs (by `id`) their entry's number and line of the
        notes (the agenda's sections, the takeaways' sections and verdicts): spread over
        several slides, each slide's notes are the lines of the entries it shows, not the
        whole list again on every slide (which grew with the square of the document).
        """
        geo, deck = self.geo, self.style.deck
        longest = f"{title} {self.labels.fill('continued_n', n=99)}"
        _, probe = self.fitter.fit_title(longest, geo.title, deck.heading, deck.min_body + 4)
        top = max(geo.body.y, probe.bottom + emu(10))
        region = Rect(geo.body.x, top, geo.body.w, geo.body.bottom - top)
        gap = pt(geo.columns[1].x - geo.columns[0].right)
        ctx = Ctx(self.style, pt(region.w), gap, self.measured)
        k, pages, placed = self._choose_scale(units, ctx, pt(region.h), banner)
        if single and len(pages) > 1:
            return None
        plans: list[SlidePlan] = []
        for n, page in enumerate(pages):
            name = self._continued(title, n)
            title_texts, title_rect = self.fitter.fit_title(
                name, geo.title, deck.heading, deck.min_body + 4
            )
            foot = banner if placed and n == len(pages) - 1 else None
            frames, layout = self.place(page, k, ctx, region, foot)
            opening = self.labels.fill("continued_notes", title=title)
            if said is not None and len(pages) > 1:
                page_notes = _said_on(page, said)
            else:
                page_notes = notes if n == 0 else f"{opening}\n\n{notes}".strip()
            plans.append(
                SlidePlan(
                    layout,
                    name,
                    title_texts,
                    title_rect,
                    tuple(frames),
                    kicker=self.fitter.kicker(kicker),
                    notes=page_notes or name,
                    section=section.id if section else None,
                    footer_text=self.footer,
                    footer_size=self.footer_size,
                )
            )
        return Setting(plans, placed)

    def _continued(self, title: str, n: int) -> str:
        """The n-th slide's title of a topic: the title, then '<title> (cont.)', ..."""
        if n == 0:
            return title
        suffix = self.labels.continued if n == 1 else self.labels.fill("continued_n", n=n)
        return f"{title} {suffix}"

    def _choose_scale(
        self, units: list[Unit], ctx: Ctx, room: float, banner: BoxUnit | None
    ) -> tuple[int, list[Page], bool]:
        """The largest scale on one slide; else the largest needing the fewest slides."""
        last = self.style.steps - 1

        def attempt(k: int) -> tuple[Cost, list[Page], bool]:
            pages = self.paginate(units, k, ctx, room)
            placed = banner is not None and self._banner_fits(pages[-1], banner, k, ctx, room)
            missed = 1 if banner is not None and not placed else 0
            return (len(pages) + missed, len(pages)), pages, placed

        results = {last: attempt(last)}
        fewest = results[last][0]
        lo, hi = 0, last  # the page count falls as the scale shrinks: find the first minimum
        while lo < hi:
            mid = (lo + hi) // 2
            results[mid] = attempt(mid)
            if results[mid][0] <= fewest:
                hi = mid
            else:
                lo = mid + 1
        _, pages, placed = results[lo]
        usable = room * HEIGHT_SAFETY
        if len(pages) > 1 and _used(pages[-1]) < NEARLY_EMPTY * usable:
            even = self._even_out(units, pages, lo, ctx, usable)
            if banner is None or not placed or self._banner_fits(even[-1], banner, lo, ctx, room):
                pages = even  # (a banner that fitted must still fit)
        return lo, pages, placed

    def _banner_fits(self, page: Page, banner: BoxUnit, k: int, ctx: Ctx, room: float) -> bool:
        used = sum(h for _, h in page) + GAP * (len(page) - 1)
        return used + BANNER_GAP + banner.height(k, ctx) <= room * HEIGHT_SAFETY

    def paginate(self, units: list[Unit], k: int, ctx: Ctx, room: float) -> list[Page]:
        """The units on slides at step k, each slide filled before the next begins."""
        return self._fill(units, k, ctx, room * HEIGHT_SAFETY)

    def _fill(self, units: list[Unit], k: int, ctx: Ctx, usable: float) -> list[Page]:
        pages: list[Page] = [[]]
        left = usable
        queue = deque(_demote_statement(u, k, ctx, usable) for u in units)
        carried: Unit | None = None  # a lead-in moved to the next slide with what it leads
        while queue:
            unit = queue.popleft()
            gap = GAP if pages[-1] else 0.0
            need = unit.height_within(k, ctx, left - gap)  # None: certainly too tall
            if need is not None and gap + need <= left:
                pages[-1].append((unit, need))
                left -= gap + need
                continue
            fresh = not pages[-1] or (len(pages[-1]) == 1 and pages[-1][0][0] is carried)
            whole = isinstance(unit, (BoxUnit, ColumnsUnit, TableUnit)) and _fits(
                unit, need, k, ctx, usable
            )
            head: Unit | None = None
            tail: Unit | None = unit
            if not whole or fresh or usable - left < WELL_FILLED * usable:
                head, tail = unit.split(k, ctx, left - gap, forced=fresh)
            # else: it fits a slide of its own, and this one is well filled: do not cut it
            if head is not None:
                pages[-1].append((head, head.height(k, ctx)))
                if tail is not None:
                    queue.appendleft(tail)
                pages.append([])
                left = usable
            elif pages[-1]:
                queue.appendleft(unit)
                carried = _detach_lead(pages[-1], k, ctx)
                if carried is not None:
                    queue.appendleft(carried)
                pages.append([])
                left = usable
            else:
                raise too_long(self.fitter.loc, _unit_text(unit), "a whole slide")
        return [p for p in pages if p]

    def _even_out(
        self, units: list[Unit], pages: list[Page], k: int, ctx: Ctx, usable: float
    ) -> list[Page]:
        """Fill the slides less, so the last one is not left nearly empty: the smallest
        height per slide that still needs as many slides."""
        low, high = usable * 0.5, usable
        best = pages
        for _ in range(6):
            mid = (low + high) / 2
            try:
                trial = self._fill(units, k, ctx, mid)
            except RenderError:  # a unit needs more than this: fill more
                low = mid
                continue
            if len(trial) <= len(pages):
                best, high = trial, mid
            else:
                low = mid
        return best

    def place(
        self, page: Page, k: int, ctx: Ctx, region: Rect, banner: BoxUnit | None = None
    ) -> tuple[list[Frame], Layout]:
        """Stack a page's units top to bottom in the region and pick the layout; a banner
        goes at the region's foot."""
        frames: list[Frame] = []
        foot = None
        if banner is not None:
            h = emu(banner.height(k, ctx) / HEIGHT_SAFETY)
            foot = self.frames.box_frame(
                banner, k, ctx, Rect(region.x, region.bottom - h, region.w, h), "Verdict"
            )
            region = region.with_(h=region.h - h - emu(BANNER_GAP))
        y = region.y
        has_columns = any(isinstance(u, ColumnsUnit) for u, _ in page)
        layout: Layout = (
            "two_content"
            if has_columns
            else ("content" if isinstance(page[0][0], TextUnit) else "title_only")
        )
        body_free = layout == "content"
        for unit, height in page:
            h = emu(height / HEIGHT_SAFETY)
            rect = Rect(region.x, y, region.w, h)
            if isinstance(unit, TextUnit):
                slot: Slot | None = "body" if body_free else None
                body_free = False
                frames.append(self.frames.text_frame(unit, k, ctx, rect, region, slot, len(page)))
            elif isinstance(unit, ColumnsUnit):
                frames += self.frames.column_frames(unit, k, ctx, rect)
            elif isinstance(unit, TableUnit):
                frames += self.frames.table_frames(unit, k, ctx, rect)
            elif isinstance(unit, BoxUnit):
                frames.append(self.frames.box_frame(unit, k, ctx, rect))
            elif isinstance(unit, ImageUnit):
                frames += self.frames.image_frames(unit, k, ctx, rect, height)
            elif isinstance(unit, ChartUnit):
                frames += self.frames.chart_frames(unit, k, ctx, rect, height)
            y += h + emu(GAP)
        if foot is not None:
            frames.append(foot)
        return frames, layout


def _fits(unit: Unit, need: float | None, k: int, ctx: Ctx, usable: float) -> bool:
    """Whether the unit fits a slide of its own (its height is measured once at most)."""
    full = need if need is not None else unit.height_within(k, ctx, usable)
    return full is not None and full <= usable


def _used(page: Page) -> float:
    return sum(h for _, h in page) + GAP * (len(page) - 1)


def _detach_lead(page: Page, k: int, ctx: Ctx) -> TextUnit | None:
    """A lead-in ending the slide (a sub-heading, "It is known for:") goes on with what it
    introduces, when the slide keeps something else."""
    unit, _ = page[-1]
    if not isinstance(unit, TextUnit) or unit.statement or not unit.paras:
        return None
    if unit.paras[-1].role not in LEADS_IN or (len(unit.paras) == 1 and len(page) == 1):
        return None
    lead = TextUnit(unit.paras[-1:])
    page.pop()
    if len(unit.paras) > 1:
        rest = TextUnit(unit.paras[:-1])
        page.append((rest, rest.height(k, ctx)))
    return lead


def _demote_statement(unit: Unit, k: int, ctx: Ctx, usable: float) -> Unit:
    """A statement too long for one slide is set as ordinary body text instead."""
    if isinstance(unit, TextUnit) and unit.statement and unit.height(k, ctx) > usable:
        return TextUnit([replace(p, role="body") for p in unit.paras])
    return unit


def _unit_text(unit: Unit) -> str:
    if isinstance(unit, TextUnit) and unit.paras:
        return unit.paras[0].plain
    if isinstance(unit, TableUnit):
        return " | ".join(unit.header)
    return type(unit).__name__


def _said_on(page: Page, said: Mapping[int, tuple[int, str]]) -> str:
    """The notes lines of the entries a slide shows, in order, each entry once (a heading
    and its verdicts share one); a paragraph cut across two slides says what it shows."""
    lines: dict[int, str] = {}
    for unit, _ in page:
        for p in unit.paras if isinstance(unit, TextUnit) else ():
            entry, line = said.get(id(p)) or (-id(p), p.plain.replace("\t", " "))
            lines.setdefault(entry, line)
    return "\n".join(lines.values())
