"""How often twinpress's processes collect garbage: rarely, because rendering makes millions
of short-lived objects and almost no cycles.

A briefing is millions of WeasyPrint boxes, styles and glyph runs; a deck, thousands of
python-pptx proxies and measured paragraphs. With CPython's default thresholds a young
collection runs every 700 allocations and the older generations, which walk every live
object, follow every ten of those: collecting took a fifth to a third of a render
(measured on the 114-page briefing: 19.7 s of CPU with the defaults, 15.9 s with these),
for 7 % more peak memory. The command line and each worker process call `tune` once.

So rare, the full collection hardly ever runs, and the cycles a render leaves behind would
pile up in a warm worker (5 MB a briefing of the article): workers `settle` after warming
up (what exists then is frozen, never walked again) and collect `between_jobs`, spending
at most a twentieth of their time on it (a full collection after a briefing: about 0.03 s).
A parent forks its workers `frozen`, so a worker's first collection walks only its own
objects, not the loaded sources it inherited (65 ms of a build's critical path). A worker
renders `paused`: even at these thresholds a young collection walks the 100,000 objects
allocated since the last one, nearly all of them boxes and styles that live as long as the
render (timed by the collector's callbacks: 0.38 s of the 138-page briefing's render, most
of it cache misses, for 0.35 % of its instructions; 0.08 s of its deck's); the few cycles a
render makes (11 MB for that briefing) wait for the collection `between_jobs`, and when
that is skipped as too recent (short jobs in a batch), for the next one: bounded by the
same share of time.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Iterator
from contextlib import contextmanager

# A young collection every 100,000 allocations; older ones after 50 and 100 of those.
THRESHOLDS = (100_000, 50, 100)


def tune() -> None:
    """Collect garbage at `THRESHOLDS` in this process (and the workers it forks)."""
    gc.set_threshold(*THRESHOLDS)


SHARE = 20  # work at least this many times a full collection's cost between two of them
_next = 0.0  # monotonic time of the next collection between jobs


def settle() -> None:
    """After warming up: freeze every object (modules, caches), so later collections skip
    them. Not collected first: the garbage importing WeasyPrint leaves (under a thousand
    objects, a few hundred KB) stays frozen for the worker's life, where a full collection
    would cost 19 ms of a cold briefing's critical path."""
    gc.freeze()


@contextmanager
def frozen() -> Iterator[None]:
    """Fork within this: the child starts with every object its parent had frozen (its
    collections never walk them, nor write to their pages), the parent collects as before."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


@contextmanager
def paused() -> Iterator[None]:
    """No collection within (a render): what it allocates is collected `between_jobs`."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def before_exit() -> None:
    """Freeze everything: the interpreter's last collections at exit would walk all a
    command loaded (80 ms after a build), to free memory the system takes back anyway."""
    gc.freeze()


def between_jobs() -> None:
    """A full collection, unless the last one was too recent to be paid for."""
    global _next
    started = time.monotonic()
    if started < _next:
        return
    gc.collect()
    ended = time.monotonic()
    _next = ended + SHARE * (ended - started)
