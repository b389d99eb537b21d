"""verify's matcher: the indexed search finds exactly what the plain definition finds, and
its work grows with the output, not with the output times the number of texts."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.model import BulletItem, Bullets, Document, Section
from pipeline.renderers.contract import Part
from pipeline.verify import locate
from pipeline.verify.stream import MIN_PIECE, Stream


class Reference(Stream):
    """The matcher's definition, searched the slow, obvious way (as verify did before it was
    indexed): every unit from the start of the span, every size of every line's piece."""

    def find(self, needle: str, lo: int, hi: int) -> list[int] | None:
        first, last = self.unit_at(lo), self.unit_at(max(lo, hi - 1))
        for i in range(first, last + 1):
            if needle in self._window(i, lo, hi):
                return [i]
        for skipping in (False, True) if self.skipping else (False,):
            for i in range(first, last + 1):
                found = self._reference_from(needle, i, lo, hi, last, skipping)
                if found is not None:
                    return found
        return None

    def _reference_from(self, needle, i, lo, hi, last, skipping):
        if needle in self._window(i, lo, hi):
            return [i]
        size = self.leading_piece(needle, i, lo, hi)
        if not size:
            return None
        for j in range(i + 1, (last if skipping else min(last, i + 1)) + 1):
            rest = self._reference_from(needle[size:], j, lo, hi, last, skipping)
            if rest is not None:
                return [i, *rest]
        return None

    def leading_piece(self, needle: str, i: int, lo: int, hi: int) -> int:
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


# Few letters, so texts repeat, overlap and cross line and unit boundaries often.
words = st.text(alphabet="abc", min_size=1, max_size=9)
lines = st.lists(words, min_size=1, max_size=4).map(" ".join)
units = st.lists(st.lists(lines, min_size=1, max_size=4).map("\n".join), min_size=1, max_size=6)


@settings(max_examples=300, deadline=None)
@given(units, st.data())
def test_the_indexed_search_finds_what_the_definition_finds(texts, data):
    parts = [Part(n, text) for n, text in enumerate(texts, 1)]
    skipping = data.draw(st.booleans())
    fast, slow = Stream.of(parts, skipping=skipping), Reference.of(parts, skipping=skipping)
    joined = slow.joined
    # Needles cut from the output (whole, split over units, nearly right) and made up.
    start = data.draw(st.integers(0, max(0, len(joined) - 1)))
    length = data.draw(st.integers(1, 60))
    cut = joined[start : start + length]
    needles = [cut, cut + "a", "b" + cut, data.draw(st.text(alphabet="abc", min_size=1))]
    fast.index(needles)
    lo = data.draw(st.one_of(st.just(0), st.integers(0, len(joined))))
    hi = data.draw(st.one_of(st.just(len(joined)), st.integers(lo, len(joined))))
    hi = max(lo, hi)
    for needle in needles:
        assert fast.find(needle, lo, hi) == slow.find(needle, lo, hi), needle
        for i in range(len(parts)):
            piece = fast.leading_piece(needle, i, lo, hi)
            assert piece == slow.leading_piece(needle, i, lo, hi), (needle, i)


def _bullets(count: int) -> tuple[Document, list[Part]]:
    """A section of long bullets on slides of four, every tenth bullet cut over two slides."""
    items = [
        f"Item {n} says something about backend number {n * 7919 % 10007} and its latency"
        for n in range(count)
    ]
    document = Document(
        "T",
        dt.date(2026, 1, 1),
        (Section("a", "Alpha", blocks=(Bullets(tuple(BulletItem(t) for t in items)),), number=1),),
    )
    slides, lines = [Part(1, "Cover")], ["Alpha"]
    for n, item in enumerate(items):
        if n % 10 == 9:
            half = len(item) // 2
            lines.append(item[:half])
            slides.append(Part(len(slides) + 1, "\n".join(lines)))
            lines = ["Alpha (cont.)", item[half:]]
        else:
            lines.append(item)
        if len(lines) == 5:
            slides.append(Part(len(slides) + 1, "\n".join(lines)))
            lines = ["Alpha (cont.)"]
    slides.append(Part(len(slides) + 1, "\n".join(lines)))
    return document, slides


def test_a_long_section_is_located_with_work_in_proportion_to_it(monkeypatch):
    """4,000 bullets on 1,100 slides, 400 of them cut over two slides: found whole or in
    pieces, with a few piece measurements per slide (the matcher used to try every slide
    of the section for every text)."""
    calls = []
    real = Stream.leading_piece

    def counted(self, needle, i, lo, hi):
        calls.append(i)
        return real(self, needle, i, lo, hi)

    monkeypatch.setattr(Stream, "leading_piece", counted)
    document, slides = _bullets(4000)
    (found,) = locate(document, slides, whole_units=True)
    assert found.status == "ok" and found.units == list(range(2, len(slides) + 1))
    assert 400 <= len(calls) <= 4 * len(slides)
