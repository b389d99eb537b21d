"""Outputs as one normalised text stream: letters and digits only, units laid end to end,
with each unit's lines, so a text can be found whole, split over units, or filling lines."""

from __future__ import annotations

import bisect
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ..renderers.contract import Part

# Shortest leading piece of a text split over units: continuation pieces are several words,
# and shorter pieces could reassemble a deleted text from words that occur elsewhere.
MIN_PIECE = 20
# The index: needles are keyed by their K-grams at S offsets, and read at every S-th offset.
_K, _STEP = 12, 8
_INDEXED = _K + _STEP - 1  # shorter texts are looked for one by one


def _common_prefix(text: str, at: int, needle: str, limit: int) -> int:
    """How many first characters of `needle` (at most `limit`) `text` repeats from `at`."""
    if text.startswith(needle[:limit], at):
        return limit
    low, high = 0, limit  # text[at:at+low] matches, text[at:at+high] does not
    while high - low > 1:
        mid = (low + high) // 2
        if text.startswith(needle[:mid], at):
            low = mid
        else:
            high = mid
    return low


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
        self._occurrences: dict[str, list[int]] = {}
        # Where each line's text begins, by that text: the lines a short piece can start on.
        self._lines_by_text: dict[str, list[int]] = {}
        for start, end in lines:
            if end - start < MIN_PIECE:
                self._lines_by_text.setdefault(self.joined[start:end], []).append(start)

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

    def index(self, needles: Iterable[str]) -> None:
        """Find every occurrence of these texts (and of their leading pieces) in one pass.

        A long needle is looked up by its K-grams at S offsets, and the stream read at every
        S-th position: any occurrence covers one of those positions with one of those
        K-grams. Texts shorter than that are looked for one by one, once each.
        """
        keys: dict[str, list[tuple[str, int]]] = {}
        wanted = {n for n in needles if len(n) >= _INDEXED}
        wanted |= {n[:MIN_PIECE] for n in wanted if len(n) > MIN_PIECE}
        wanted -= self._occurrences.keys()
        for needle in wanted:
            self._occurrences[needle] = []
            for offset in range(_STEP):
                keys.setdefault(needle[offset : offset + _K], []).append((needle, offset))
        joined, found = self.joined, self._occurrences
        for at in range(0, len(joined) - _K + 1, _STEP):
            for needle, offset in keys.get(joined[at : at + _K], ()):
                start = at - offset
                if start >= 0 and joined.startswith(needle, start):
                    found[needle].append(start)
        for needle in wanted:
            found[needle].sort()

    def occurrences(self, needle: str) -> list[int]:
        """Sorted offsets of every occurrence of `needle` in the stream."""
        found = self._occurrences.get(needle)
        if found is None:  # not indexed: one scan, kept for the next question
            found, at = [], self.joined.find(needle)
            while at >= 0:
                found.append(at)
                at = self.joined.find(needle, at + 1)
            self._occurrences[needle] = found
        return found

    def whole(self, needle: str, lo: int, hi: int, after_unit: int = -1) -> int | None:
        """The first unit (after `after_unit`) holding all of `needle` within [lo, hi)."""
        found = self.occurrences(needle)
        for at in found[bisect.bisect_left(found, lo) :]:
            end = at + len(needle)
            if end > hi:
                return None
            unit = self.unit_at(at)
            if unit > after_unit and end <= self.starts[unit] + len(self.texts[unit]):
                return unit
        return None

    def find(self, needle: str, lo: int, hi: int) -> list[int] | None:
        """Indices of the units holding `needle` within [lo, hi): whole in one unit if it
        is anywhere, else split over consecutive units, else (decks only) over units that
        skip others."""
        unit = self.whole(needle, lo, hi)
        if unit is not None:
            return [unit]
        last = self.unit_at(max(lo, hi - 1))
        for skipping in (False, True) if self.skipping else (False,):
            memo: dict[tuple[int, int], list[int] | None] = {}
            for i in self._piece_units(needle, lo, hi, self.unit_at(lo) - 1, last):
                found = self._find_from(needle, 0, i, lo, hi, last, skipping, memo)
                if found is not None:
                    return found
        return None

    def _find_from(
        self,
        needle: str,
        offset: int,
        i: int,
        lo: int,
        hi: int,
        last: int,
        skipping: bool,
        memo: dict[tuple[int, int], list[int] | None],
    ) -> list[int] | None:
        """`needle[offset:]` starting in unit i, its rest continuing in the next unit, or
        with `skipping` in any later one: a deck continues each column of a comparison on
        its own slides, so an item's pieces can sit on slides 5, 8 and 9."""
        key = (offset, i)
        if key in memo:
            return memo[key]
        memo[key] = None  # nothing is found twice from one place
        rest = needle[offset:]
        if rest in self._window(i, lo, hi):
            memo[key] = [i]
            return [i]
        size = self.leading_piece(rest, i, lo, hi)
        if not size:
            return None
        tail = rest[size:]
        if skipping:
            whole = self.whole(tail, max(lo, self.starts[i]), hi, after_unit=i)
            later = sorted(
                set(self._piece_units(tail, lo, hi, i, last))
                | ({whole} if whole is not None else set())
            )
        else:
            later = [i + 1] if i < last else []
        for j in later:
            found = self._find_from(needle, offset + size, j, lo, hi, last, skipping, memo)
            if found is not None:
                memo[key] = [i, *found]
                return memo[key]
        return None

    def _piece_units(self, needle: str, lo: int, hi: int, after: int, last: int) -> list[int]:
        """Units after `after` (up to `last`) where a leading piece of `needle` could end a
        line: they hold its first MIN_PIECE characters, or a line that starts it."""
        units = set()
        if len(needle) > MIN_PIECE and after + 1 < len(self.starts):
            found = self.occurrences(needle[:MIN_PIECE])
            for at in found[bisect.bisect_left(found, max(lo, self.starts[after + 1])) :]:
                if at >= hi:
                    break
                units.add(self.unit_at(at))
        for size in range(1, min(MIN_PIECE, len(needle))):
            for at in self._lines_by_text.get(needle[:size], ()):
                if lo <= at < hi:
                    unit = self.unit_at(at)
                    if after < unit <= last:
                        units.add(unit)
        return sorted(u for u in units if after < u <= last)

    def leading_piece(self, needle: str, i: int, lo: int, hi: int) -> int:
        """Length of the longest start of `needle` that a text continued elsewhere could
        leave in unit i: it ends a line there (the end of its frame, cell or column) and is
        long, or is whole lines (a deck may continue a column one line per slide)."""
        floor = max(lo, self.starts[i])
        top = min(hi, self.starts[i] + len(self.texts[i]))
        ends = [end for _, end in self.spans[i]]
        limit = len(needle) - 1
        best = 0
        candidates: list[tuple[int, int]] = []  # (piece start, shortest piece allowed)
        if limit >= MIN_PIECE:
            found = self.occurrences(needle[:MIN_PIECE])
            for at in found[bisect.bisect_left(found, floor) :]:
                if at >= top:
                    break
                candidates.append((at, MIN_PIECE))
        candidates += [(start, 1) for start, _ in self.spans[i] if floor <= start < top]
        for start, shortest in candidates:
            common = _common_prefix(self.joined, start, needle, min(limit, top - start))
            if common < shortest:
                continue
            if shortest == 1:  # whole lines, shorter than a long piece (counted above)
                common = min(common, MIN_PIECE - 1)
            # the last line end within the stretch that matches
            k = bisect.bisect_right(ends, start + common) - 1
            if k >= 0 and ends[k] - start >= shortest and ends[k] > floor:
                best = max(best, ends[k] - start)
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
