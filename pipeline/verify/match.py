"""Finding sections in an output's text: in source order, with all their text, robustly.

Matching ignores everything but letters and digits (after NFKC and case folding), so line
breaks, hyphenation, typographic quotes and marker glyphs never cause false alarms; a text
broken across two slides or pages (a continuation) is matched piece by piece.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from ..charts import Chart, chart_anchor_texts
from ..model import Document, Section, block_data, block_texts, section_label
from ..renderers.contract import Part

Status = Literal["ok", "missing", "partial", "out-of-order", "unverifiable"]
# Shortest leading piece of a text split over units: continuation pieces are several words,
# and shorter pieces could reassemble a deleted text from words that occur elsewhere.
MIN_PIECE = 20


@dataclass
class SectionResult:
    id: str
    title: str
    status: Status = "ok"
    units: list[int] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


def norm(text: str, fold: Mapping[int, str] | None = None) -> str:
    """Letters and digits only, case-folded: robust to wrapping, hyphens, quotes, glyphs.

    `fold` maps characters that share one glyph in the output's fonts to one of them (a
    PDF's text layer can name only one character per glyph: Inter draws Latin 'ɩ' and
    Greek 'ι' alike, so the PDF says 'ι' for both).
    """
    # Upper case first: CSS may print a label in capitals, and capitals lose distinctions
    # that case folding alone keeps (dotless 'ı' prints as 'I', which folds to 'i').
    text = unicodedata.normalize("NFKC", text).upper().casefold()
    if fold:  # after case folding: CSS may have printed the text in capitals
        text = text.translate(fold)
    return "".join(c for c in text if c.isalnum())


@dataclass
class _Stream:
    """Normalised units laid end to end, with each unit's start offset and its lines."""

    units: list[Part]
    texts: list[str]
    starts: list[int]
    lines: list[tuple[int, str]]  # (offset, normalised text) of every line, and line pairs
    spans: list[list[tuple[int, int]]]  # per unit, (start, end) of each single line
    fold: Mapping[int, str] | None = None
    skipping: bool = False  # decks: a continued text may skip slides (see _find_from)

    @classmethod
    def of(
        cls, units: list[Part], fold: Mapping[int, str] | None = None, skipping: bool = False
    ) -> _Stream:
        texts, starts, lines, spans, at = [], [], [], [], 0
        for unit in units:
            starts.append(at)
            parts = [norm(line, fold) for line in unit.text.splitlines()]
            offset, unit_spans = at, []
            for i, part in enumerate(parts):
                if part:
                    lines.append((offset, part))
                    unit_spans.append((offset, offset + len(part)))
                    following = next((p for p in parts[i + 1 :] if p), "")
                    if following:  # a heading wrapped over two lines
                        lines.append((offset, part + following))
                offset += len(part)
            texts.append("".join(parts))
            spans.append(unit_spans)
            at += len(texts[-1])
        return cls(units, texts, starts, lines, spans, fold, skipping)

    def __post_init__(self) -> None:
        self.joined = "".join(self.texts)

    def heading_lines(self, title: str, lo: int, hi: int) -> list[int]:
        """Offsets in [lo, hi) of lines that are `title`, maybe after a section number."""
        found = []
        for offset, line in self.lines:
            if (
                lo <= offset < hi
                and line.endswith(title)
                and (line == title or line[: -len(title)].isdigit())
            ):
                found.append(offset + len(line) - len(title))
        return sorted(set(found))

    @property
    def end(self) -> int:
        return self.starts[-1] + len(self.texts[-1]) if self.texts else 0

    def unit_at(self, offset: int) -> int:
        """Index of the unit holding `offset`."""
        return max(0, bisect.bisect_right(self.starts, offset) - 1)

    def find(self, needle: str, lo: int, hi: int) -> list[int] | None:
        """Indices of the units holding `needle` within [lo, hi): whole in one unit if it
        is anywhere, else split over consecutive units, else (decks only) over units that
        skip others."""
        first, last = self.unit_at(lo), self.unit_at(max(lo, hi - 1))
        for i in range(first, last + 1):
            if needle in self._window(i, lo, hi):
                return [i]
        for skipping in (False, True) if self.skipping else (False,):
            for i in range(first, last + 1):
                found = self._find_from(needle, i, lo, hi, last, skipping)
                if found is not None:
                    return found
        return None

    def _find_from(
        self, needle: str, i: int, lo: int, hi: int, last: int, skipping: bool
    ) -> list[int] | None:
        """`needle` starting in unit i, its rest continuing in the next unit, or with
        `skipping` in any later one: a deck continues each column of a comparison on its
        own slides, so an item's pieces can sit on slides 5, 8 and 9."""
        if needle in self._window(i, lo, hi):
            return [i]
        size = self.leading_piece(needle, i, lo, hi)
        if not size:
            return None
        for j in range(i + 1, (last if skipping else min(last, i + 1)) + 1):
            rest = self._find_from(needle[size:], j, lo, hi, last, skipping)
            if rest is not None:
                return [i, *rest]
        return None

    def leading_piece(self, needle: str, i: int, lo: int, hi: int) -> int:
        """Length of the longest start of `needle` that a text continued elsewhere could
        leave in unit i: it ends a line there (the end of its frame, cell or column) and is
        long, or is whole lines (a deck may continue a column one line per slide)."""
        begins = {start for start, _ in self.spans[i]}
        floor = max(lo, self.starts[i])
        best = 0
        for _start, end in self.spans[i]:
            if end > hi or end <= floor:
                continue
            for size in range(min(len(needle) - 1, end - floor), best, -1):
                if self.joined[end - size : end] == needle[:size] and (
                    size >= MIN_PIECE or end - size in begins
                ):
                    best = size
                    break
        return best

    def _window(self, i: int, lo: int, hi: int) -> str:
        text, start = self.texts[i], self.starts[i]
        return text[max(0, lo - start) : min(len(text), hi - start)]


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
    stream = _Stream.of(units, fold, skipping=whole_units)
    results = [SectionResult(s.id, section_label(s)) for s in document.sections]
    bounds = _section_bounds(document.sections, stream, results, whole_units)
    for section, result, (lo, hi) in zip(document.sections, results, bounds):
        if result.status in ("missing", "out-of-order", "unverifiable"):
            continue
        _check_texts(section, result, stream, lo, hi, data)
    return results


def _expected_texts(section: Section) -> list[str]:
    texts = [t for b in section.blocks for t in block_texts(b)]
    return ([section.summary] if section.summary else []) + texts


def _section_bounds(
    sections: Sequence[Section],
    stream: _Stream,
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
        at = stream_find(stream, anchor, cursor)
        if at is None:
            heading = _first_heading(
                stream, norm(section.title, stream.fold), cursor, stream.end, contents
            )
            if heading is not None and stream.unit_at(heading) not in contents:
                starts.append(heading)  # the heading is there: texts decide 'partial'
                cursor = heading + len(norm(section.title, stream.fold))
                continue
            earlier = stream_find(stream, anchor, 0) if anchor else None
            result.status = "out-of-order" if earlier is not None else "missing"
            starts.append(None)
            continue
        title = norm(section.title, stream.fold)
        heading = _heading(stream, section, title, cursor, at, contents, whole_units)
        starts.append(heading if heading is not None else cursor)
        cursor = stream_end(stream, anchor, at)
    bounds = []
    for i, start in enumerate(starts):
        following = next((s for s in starts[i + 1 :] if s is not None), stream.end)
        bounds.append((start or 0, following))
    return bounds


def _heading(
    stream: _Stream,
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


def _contents_units(sections: Sequence[Section], stream: _Stream) -> set[int]:
    """Agenda slides and contents pages: units listing most sections' titles as lines of
    their own (with a number before or a page number after) and consisting largely of them
    (measured: contents pages 27-93 % titles, content pages under 10 %)."""
    titles = {norm(s.title, stream.fold) for s in sections} - {""}
    if len(titles) < 2:
        return set()
    needed = max(2, -(-len(titles) * 3 // 5))  # 60 % of the titles, rounded up
    listed: dict[int, set[str]] = {}
    for offset, line in stream.lines:
        for title in titles:
            if title in line and re.fullmatch(r"\d*" + re.escape(title) + r"\d*", line):
                listed.setdefault(stream.unit_at(offset), set()).add(title)
    return {
        unit
        for unit, found in listed.items()
        if len(found) >= needed and sum(map(len, found)) >= 0.15 * len(stream.texts[unit])
    }


def _first_heading(stream: _Stream, title: str, lo: int, hi: int, contents: set[int]) -> int | None:
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


def stream_find(stream: _Stream, needle: str, lo: int) -> int | None:
    """Offset of `needle` (contiguous, or from the first piece when split) at or after `lo`."""
    at = stream.joined.find(needle, lo)
    if at >= 0:
        return at
    found = stream.find(needle, lo, stream.end)
    if not found:
        return None
    unit = found[0]
    piece = stream.leading_piece(needle, unit, lo, stream.end)
    start = stream.starts[unit]
    return start + stream.texts[unit].find(needle[:piece], max(0, lo - start))


def stream_end(stream: _Stream, needle: str, at: int) -> int:
    """Offset just past `needle` found at `at`: past its last piece when it is split over
    units (a paragraph continued on the next slide), so the next section starts after it."""
    if stream.joined.startswith(needle, at):
        return at + len(needle)
    found = stream.find(needle, at, stream.end) or [stream.unit_at(at)]
    rest = needle
    for unit in found[:-1]:
        rest = rest[stream.leading_piece(rest, unit, at, stream.end) :]
    last = found[-1]
    start = stream.starts[last]
    where = stream.texts[last].find(rest, max(0, at - start))
    return start + where + len(rest) if where >= 0 else at + len(needle)


def _check_texts(
    section: Section, result: SectionResult, stream: _Stream, lo: int, hi: int, data: bool
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
