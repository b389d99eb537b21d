"""Outputs as one normalised text stream: letters and digits only, units laid end to end,
with each unit's lines, so a text can be found whole, split over units, or filling lines."""

from __future__ import annotations

import bisect
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from ..renderers.contract import Part

# Shortest leading piece of a text split over units: continuation pieces are several words,
# and shorter pieces could reassemble a deleted text from words that occur elsewhere.
MIN_PIECE = 20


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
class Stream:
    """Normalised units laid end to end, with each unit's start offset and its lines."""

    units: list[Part]
    texts: list[str]
    starts: list[int]
    spans: list[list[tuple[int, int]]]  # per unit, (start, end) of each non-empty line
    fold: Mapping[int, str] | None = None
    skipping: bool = False  # decks: a continued text may skip slides (see _find_from)

    @classmethod
    def of(
        cls, units: list[Part], fold: Mapping[int, str] | None = None, skipping: bool = False
    ) -> Stream:
        texts, starts, spans, at = [], [], [], 0
        for unit in units:
            starts.append(at)
            parts = [norm(line, fold) for line in unit.text.splitlines()]
            offset, unit_spans = at, []
            for part in parts:
                if part:
                    unit_spans.append((offset, offset + len(part)))
                offset += len(part)
            texts.append("".join(parts))
            spans.append(unit_spans)
            at += len(texts[-1])
        return cls(units, texts, starts, spans, fold, skipping)

    def __post_init__(self) -> None:
        self.joined = "".join(self.texts)
        lines = [span for unit in self.spans for span in unit]
        self.line_starts = [start for start, _ in lines]
        self.line_ends = [end for _, end in lines]

    def whole_lines(self, title: str, lo: int, hi: int, page_number: bool = False) -> list[int]:
        """Offsets in [lo, hi) where `title` fills whole lines (however it wrapped), maybe
        after a section number and, with `page_number`, before one (a contents entry)."""
        found = []
        at = self.joined.find(title, lo, hi) if title else -1
        while at >= 0:
            end = at + len(title)
            first = bisect.bisect_right(self.line_starts, at) - 1
            last = bisect.bisect_right(self.line_starts, end - 1) - 1
            head = self.joined[self.line_starts[first] : at]
            tail = self.joined[end : self.line_ends[last]]
            if (not head or head.isdigit()) and (not tail or (page_number and tail.isdigit())):
                found.append(at)
            at = self.joined.find(title, at + 1, hi)
        return found

    def heading_lines(self, title: str, lo: int, hi: int) -> list[int]:
        """Offsets in [lo, hi) of lines that are `title`, maybe after a section number."""
        return self.whole_lines(title, lo, hi)

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


def stream_find(stream: Stream, needle: str, lo: int) -> int | None:
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


def stream_end(stream: Stream, needle: str, at: int) -> int:
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
