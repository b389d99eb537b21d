"""Finding sections in an output's text: in source order, with all their text, robustly.

Matching ignores everything but letters and digits (after NFKC and case folding), so line
breaks, hyphenation, typographic quotes and marker glyphs never cause false alarms; a text
broken across two slides or pages (a continuation) is matched piece by piece.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from ..charts import Chart, chart_anchor_texts
from ..model import Document, Section, block_data, block_texts, section_label
from ..renderers.contract import Part
from .stream import Stream, norm, stream_end, stream_find
from .summary import mask_summary

# Texts shorter than this (letters and digits) occur by chance elsewhere in an output.
SHORT_ANCHOR = 12

Status = Literal["ok", "missing", "partial", "out-of-order", "unverifiable"]


@dataclass
class SectionResult:
    id: str
    title: str
    status: Status = "ok"
    units: list[int] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


def locate(
    document: Document,
    units: list[Part],
    fold: Mapping[int, str] | None = None,
    whole_units: bool = False,
    data: bool = False,
) -> list[SectionResult]:
    """Where each section of `document` is among `units`, and what of it is missing.

    With `whole_units` (slides), a unit belongs to one section: a section starts at the
    beginning of the slide carrying its heading, wherever on the slide the heading is read.
    With `data`, a chart's values are looked for as well as its labels.
    """
    return locate_all(document, units, fold, whole_units, data=data)[0]


def locate_all(
    document: Document,
    units: list[Part],
    fold: Mapping[int, str] | None = None,
    whole_units: bool = False,
    summary: Sequence[str] = (),
    data: bool = False,
) -> tuple[list[SectionResult], list[int]]:
    """The sections as `locate` finds them once the summary (the key takeaways: its
    label, then each title and verdict) is set aside, and the units holding the summary."""
    stream = Stream.of(units, fold, skipping=whole_units)
    stream, summary_units = mask_summary(stream, summary, whole_units)
    # Every text to look for, found in one pass: each lookup then costs what it finds, not
    # a scan of the output from the section's start (which made verify quadratic).
    stream.index(norm(text, fold) for s in document.sections for text in _looked_for(s, data))
    results = [SectionResult(s.id, section_label(s)) for s in document.sections]
    bounds = _section_bounds(document.sections, stream, results, whole_units)
    for section, result, (lo, hi) in zip(document.sections, results, bounds):
        if result.status in ("missing", "out-of-order", "unverifiable"):
            continue
        _check_texts(section, result, stream, lo, hi, data)
    return results, summary_units


def _looked_for(section: Section, data: bool) -> list[str]:
    """Every text `locate` may look for in a section: its title, texts and chart values."""
    numbers = [t for b in section.blocks for t in block_data(b)] if data else []
    return [section.title, *_expected_texts(section), *numbers]


def _expected_texts(section: Section) -> list[str]:
    texts = [t for b in section.blocks for t in block_texts(b)]
    return ([section.summary] if section.summary else []) + texts


def _section_bounds(
    sections: Sequence[Section],
    stream: Stream,
    results: list[SectionResult],
    whole_units: bool = False,
) -> list[tuple[int, int]]:
    """Each section's span: from its first heading after the previous section's content
    (agenda and contents pages excepted) to the next section's start."""
    contents = _contents_units(sections, stream)
    starts: list[int | None] = []
    cursor = 0
    for section, result in zip(sections, results):
        anchor = _anchor(section, stream.fold)
        if not anchor:  # only emoji and pictures without captions: no text to look for
            result.status = "unverifiable"
            starts.append(None)
            continue
        title = norm(section.title, stream.fold)
        if len(anchor) < min(len(title), SHORT_ANCHOR):
            # A caption 'Go' is in many places (a kicker repeating the previous title): a
            # longer title, as a heading outside the agenda, marks the start better.
            heading = _first_heading(stream, title, cursor, stream.end, contents)
            if heading is not None and stream.unit_at(heading) not in contents:
                anchor = title
        at = stream_find(stream, anchor, cursor)
        if at is None:
            heading = _first_heading(stream, title, cursor, stream.end, contents)
            if heading is not None and stream.unit_at(heading) not in contents:
                starts.append(heading)  # the heading is there: texts decide 'partial'
                cursor = heading + len(title)
                continue
            earlier = stream_find(stream, anchor, 0) if anchor else None
            result.status = "out-of-order" if earlier is not None else "missing"
            starts.append(None)
            continue
        heading = _heading(stream, section, title, cursor, at, contents, whole_units)
        starts.append(heading if heading is not None else cursor)
        cursor = stream_end(stream, anchor, at)
    bounds = []
    for i, start in enumerate(starts):
        following = next((s for s in starts[i + 1 :] if s is not None), stream.end)
        bounds.append((start or 0, following))
    return bounds


def _heading(
    stream: Stream,
    section: Section,
    title: str,
    cursor: int,
    at: int,
    contents: set[int],
    whole_units: bool,
) -> int | None:
    """Where the section starts: of its title-lines up to its anchor's unit, the latest
    after which all its texts are still found and most of them before the anchor's end.

    Earlier candidates can be the same words inside the previous section (a wrapped table
    cell reading 'Straße'); later ones can be a kicker repeating the title on the section's
    third slide. Decks start sections at slide boundaries, and a slide's kicker may be
    read after the slide's own title.
    """
    unit = stream.unit_at(at)
    end = stream.starts[unit] + len(stream.texts[unit])
    found = [
        x for x in stream.heading_lines(title, cursor, end) if stream.unit_at(x) not in contents
    ]
    if whole_units:
        found = sorted({max(cursor, stream.starts[stream.unit_at(x)]) for x in found})
    else:
        found = [x for x in found if x <= at]
    texts = [n for n in (norm(t, stream.fold) for t in _expected_texts(section)) if n]

    def score(candidate: int) -> tuple[bool, int]:
        # Texts found after the candidate, and how many sit between it and the anchor: a
        # repeated section (same title, same text) must not pull the start to its twin.
        return (
            all(stream.find(t, candidate, stream.end) is not None for t in texts),
            sum(stream.find(t, candidate, end) is not None for t in texts),
        )

    if found:
        scores = [score(c) for c in found]
        best = max(scores)
        return next(c for c, sc in zip(reversed(found), reversed(scores)) if sc == best)
    heading = _first_heading(stream, title, cursor, end if whole_units else at + 1, contents)
    if heading is not None and whole_units:
        heading = max(cursor, stream.starts[stream.unit_at(heading)])
    return heading


def _contents_units(sections: Sequence[Section], stream: Stream) -> set[int]:
    """Agenda slides and contents pages: units listing most sections' titles as lines of
    their own (with a number before or a page number after), consisting largely of them
    (measured: contents pages 27-93 % titles, content pages under 10 %), and holding none of
    those sections' own text but for the last one's (a section may start right after the
    contents): a page of long headings with their paragraphs is not a contents page."""
    titles = {norm(s.title, stream.fold): s for s in sections}
    titles.pop("", None)
    if len(titles) < 2:
        return set()
    needed = max(2, -(-len(titles) * 3 // 5))  # 60 % of the titles, rounded up
    bodies = _Bodies(set(titles), stream.fold)
    listed: dict[int, dict[str, int]] = {}
    for title in titles:
        for at in stream.whole_lines(title, 0, stream.end, page_number=True):
            listed.setdefault(stream.unit_at(at), {}).setdefault(title, at)
    return {
        unit
        for unit, found in listed.items()
        if len(found) >= needed
        and sum(map(len, found)) >= 0.15 * len(stream.texts[unit])
        and not bodies.held_in(
            stream.texts[unit],
            [titles[t] for t, _ in sorted(found.items(), key=lambda item: item[1])][:-1],
        )
    }


class _Bodies:
    """Sections' own texts, normalised once: a long source's contents run to many pages,
    each checked against the texts of every section it lists."""

    def __init__(self, titles: set[str], fold: Mapping[int, str] | None) -> None:
        self.titles, self.fold = titles, fold
        self._needles: dict[int, list[str]] = {}

    def held_in(self, text: str, sections: Sequence[Section]) -> bool:
        """Whether `text` holds any of these sections' own texts (long enough not to be
        chance, and not part of a title)."""
        # Every SHORT_ANCHOR-long window of the text, so most needles are ruled out by a set
        # lookup instead of a scan of the page: linear, where scanning was units x sections.
        windows = {text[i : i + SHORT_ANCHOR] for i in range(len(text) - SHORT_ANCHOR + 1)}
        return any(
            needle[:SHORT_ANCHOR] in windows and needle in text
            for section in sections
            for needle in self._of(section)
        )

    def _of(self, section: Section) -> list[str]:
        if id(section) not in self._needles:
            needles = (norm(piece, self.fold) for piece in _expected_texts(section))
            long_enough = (n for n in needles if len(n) >= SHORT_ANCHOR)
            self._needles[id(section)] = [
                n for n in long_enough if not any(n in t for t in self.titles)
            ]
        return self._needles[id(section)]


def _first_heading(stream: Stream, title: str, lo: int, hi: int, contents: set[int]) -> int | None:
    """The first occurrence of `title` in [lo, hi) outside agenda and contents units.

    Headings are lines of their own in every output, so whole-line matches win: a short
    title that also occurs inside some earlier text must not end that text's section.
    """
    if not title:
        return None
    lines = [at for at in stream.heading_lines(title, lo, hi) if stream.unit_at(at) not in contents]
    if lines:
        return lines[0]
    joined = stream.joined
    first = None
    at = joined.find(title, lo, hi) if title else -1
    while at >= 0:
        first = at if first is None else first
        if stream.unit_at(at) not in contents:
            return at
        at = joined.find(title, at + 1, hi)
    return first


def _anchor(section: Section, fold: Mapping[int, str] | None) -> str:
    """The section's most distinctive text: its longest, which no agenda repeats. A chart
    offers only its title and source: its categories and series names recur in the
    charts of other sections ('Q1 2026')."""
    texts = [norm(section.summary, fold)] if section.summary else []
    texts += [
        norm(t, fold)
        for b in section.blocks
        for t in (chart_anchor_texts(b) if isinstance(b, Chart) else block_texts(b))
    ]
    return max(texts or [norm(section.title, fold)], key=len)


def _check_texts(
    section: Section, result: SectionResult, stream: Stream, lo: int, hi: int, data: bool
) -> None:
    units: set[int] = set()
    title = norm(section.title, stream.fold)
    if title:  # a title of only symbols or emoji has nothing to match on
        where = stream.find(title, lo, hi)
        if where is None:
            result.missing.append(section.title)
        else:
            units.update(where)
    numbers = [t for b in section.blocks for t in block_data(b)] if data else []
    for text in _expected_texts(section) + numbers:
        needle = norm(text, stream.fold)
        if not needle:
            continue
        where = stream.find(needle, lo, hi)
        if where is None:
            result.missing.append(text)
        else:
            units.update(where)
    result.units = sorted(stream.units[i].number for i in units)
    if result.missing:
        result.status = "partial"
