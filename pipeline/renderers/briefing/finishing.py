"""Each page's content stream written down as soon as the page is painted (WeasyPrint 70,
pydyf 0.13).

WeasyPrint paints every page of a briefing into a pydyf `Stream`, a list of small operator
strings and dictionaries, and pydyf joins and compresses each list only when it writes the
file: until then a briefing holds every page's operators as separate Python objects (about
0.1 MB a page of bullets). `finish_page` serialises a painted page's stream at once, with
pydyf's own `Stream.data` (so the bytes are those writing would have made: the same
operators, the same compression), keeps those bytes and drops the list; writing reads the
bytes back. Nothing is ever lost silently: the list becomes an empty tuple, so drawing on a
finished page fails; a finished stream whose dictionary or compression changed afterwards
fails when written; and a page cannot be finished unless `serialised_once` is installed.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

FINISHED = "_twinpress_finished"  # a finished stream's attribute: (bytes, extra, compress)
_MARK = "_twinpress_serialised_once"  # on the installed `Stream.data` getter


def painting_then_finishing(paint: Callable[..., None]) -> Callable[..., None]:
    """`Page.paint` that finishes the stream it painted."""

    @functools.wraps(paint)
    def paint_and_finish(page: Any, stream: Any, *args: Any, **kwargs: Any) -> None:
        paint(page, stream, *args, **kwargs)
        finish_page(stream)

    return paint_and_finish


def finish_page(stream: Any) -> None:
    """Serialise a painted page's stream now and keep only the bytes."""
    if not getattr(type(stream).data.fget, _MARK, False):
        raise RuntimeError("finishing.serialised_once is not installed: the page would be empty")
    data = stream.data
    setattr(stream, FINISHED, (data, dict(stream.extra), stream.compress))
    stream.stream = ()


def serialised_once(serialise: Callable[[Any], bytes]) -> property:
    """`Stream.data` that returns a finished stream's bytes as they were made."""

    def data(stream: Any) -> bytes:
        finished: tuple[bytes, dict[str, Any], bool] | None = stream.__dict__.get(FINISHED)
        if finished is None:
            return serialise(stream)
        made, extra, compress = finished
        if stream.extra != extra or stream.compress != compress:
            raise RuntimeError("a page's stream changed after it was finished")
        return made

    setattr(data, _MARK, True)
    return property(data)
