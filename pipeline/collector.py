"""How often twinpress's processes collect garbage: rarely, because rendering makes millions
of short-lived objects and almost no cycles.

A briefing is millions of WeasyPrint boxes, styles and glyph runs; a deck, thousands of
python-pptx proxies and measured paragraphs. With CPython's default thresholds a young
collection runs every 700 allocations and the older generations, which walk every live
object, follow every ten of those: collecting took a fifth to a third of a render
(measured on the 114-page briefing: 19.7 s of CPU with the defaults, 15.9 s with these),
for 7 % more peak memory. The command line and each worker process call `tune` once.
"""

from __future__ import annotations

import gc

# A young collection every 100,000 allocations; older ones after 50 and 100 of those.
THRESHOLDS = (100_000, 50, 100)


def tune() -> None:
    """Collect garbage at `THRESHOLDS` in this process (and the workers it forks)."""
    gc.set_threshold(*THRESHOLDS)
