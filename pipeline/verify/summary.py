"""The key takeaways in an output, read as what they are: a summary of verdicts.

A deck's "Key takeaways" slide and a briefing's box repeat each section's title and
verdicts (pipeline/takeaways.py). Left in the text, that copy could stand in for a section
whose own verdict went missing, or pull a section's start forward. So before sections are
located, the summary is found (its label on a line of its own, then every title and
verdict in order, within as many units as it has texts) and masked out of the stream; its
units are reported as the summary's.
"""

from __future__ import annotations

from collections.abc import Sequence

from .stream import Stream, norm, stream_end, stream_find

MASK = "\x00"  # neither a letter nor a digit: no text to look for ever matches it


def mask_summary(
    stream: Stream, texts: Sequence[str], whole_units: bool
) -> tuple[Stream, list[int]]:
    """The stream without the summary (whole units for slides), and the summary's units."""
    found = _find(stream, [norm(t, stream.fold) for t in texts])
    if found is None:
        return stream, []
    lo, hi = found
    first, last = stream.unit_at(lo), stream.unit_at(hi - 1)
    if whole_units:
        lo, hi = stream.starts[first], stream.starts[last] + len(stream.texts[last])
    masked = []
    for i, text in enumerate(stream.texts):
        start = stream.starts[i]
        a, b = max(lo - start, 0), min(hi - start, len(text))
        masked.append(text[:a] + MASK * (b - a) + text[b:] if a < b else text)
    return (
        Stream(stream.units, masked, stream.starts, stream.spans, stream.fold, stream.skipping),
        [stream.units[i].number for i in range(first, last + 1)],
    )


def _find(stream: Stream, needles: list[str]) -> tuple[int, int] | None:
    """Where the label starts a line and every text follows it, in order, nearby."""
    if len(needles) < 2 or not needles[0]:
        return None
    label = needles[0]
    for start in stream.line_starts:
        if not stream.joined.startswith(label, start):
            continue
        limit = min(stream.unit_at(start) + len(needles), len(stream.texts) - 1)
        hi = stream.starts[limit] + len(stream.texts[limit])
        cursor = start + len(label)
        for needle in needles[1:]:
            if not needle:
                continue
            at: int | None = stream.joined.find(needle, cursor, hi)
            if at == -1:  # continued onto the next unit
                at = stream_find(stream, needle, cursor)
            if at is None or stream.unit_at(at) > limit:
                break
            cursor = stream_end(stream, needle, at)
        else:
            return start, cursor
    return None
