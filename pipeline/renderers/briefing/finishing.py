"""Each page's content stream written down as soon as the page is painted (WeasyPrint 70,
pydyf 0.13).

WeasyPrint paints every page of a briefing into a pydyf `Stream`, a list of small operator
strings and dictionaries, and pydyf joins and compresses each list only when it writes the
file: until then a briefing holds every page's operators as separate Python objects (about
0.1 MB a page of bullets). `finish_page` serialises a painted page's stream at once, with
pydyf's own `Stream.data` (so the bytes are those writing would have made: the same
operators, the same compression), keeps those bytes and drops the list; writing reads the
bytes back. The list becomes an empty tuple, so anything that tried to draw on a finished
page would fail loudly instead of being left out of the file.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

FINISHED = "_twinpress_finished"  # a finished stream's attribute: its serialised bytes


def painting_then_finishing(paint: Callable[..., None]) -> Callable[..., None]:
    """`Page.paint` that finishes the stream it painted."""

    @functools.wraps(paint)
    def paint_and_finish(page: Any, stream: Any, *args: Any, **kwargs: Any) -> None:
        paint(page, stream, *args, **kwargs)
        finish_page(stream)

    return paint_and_finish


def finish_page(stream: Any) -> None:
    """Serialise a painted page's stream now and keep only the bytes."""
    data = stream.data
    setattr(stream, FINISHED, data)
    stream.stream = ()


def serialised_once(serialise: Callable[[Any], bytes]) -> property:
    """`Stream.data` that returns a finished stream's bytes as they were made."""

    def data(stream: Any) -> bytes:
        finished: bytes | None = stream.__dict__.get(FINISHED)
        return serialise(stream) if finished is None else finished

    return property(data)
