"""Two pure WeasyPrint 70 helpers that layout calls for every text box and every computed
style, answered from memory when they were asked the same before.

- `Layout.setup` (one per text layout: 24,000 in the x20 briefing) builds a new Pango font
  description from the style's seven font properties. Pango copies a description into the
  layout that is given it and WeasyPrint's layout code never changes one, so layouts whose
  styles agree on those properties can be given the same description.
- Every computed style of a property declared with `var()` first asks `check_var` whether
  the declaration's tokens use a variable, walking and re-parsing them (10,000 times in the
  x20 briefing, for a few dozen declarations of the theme's stylesheets). The answer
  depends only on the tokens, which parsing made and nothing changes, so it is kept with
  the token it is about (held, so its id is not reused while the answer is kept).

Each memory is bounded: when full it is emptied, and the next calls ask WeasyPrint again.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import Any

LIMIT = 4096  # entries a memory holds before it is emptied
_lock = threading.Lock()


def font_descriptions(describe: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """`get_font_description` that returns the description made for the same font."""
    made: dict[tuple[Any, ...], Any] = {}

    @functools.wraps(describe)
    def get_font_description(style: Any) -> Any:
        key = _font_of(style)
        found = made.get(key)
        if found is None:
            found = describe(style)
            with _lock:
                if len(made) >= LIMIT:
                    made.clear()
                made[key] = found
        return found

    return get_font_description


def _font_of(style: Any) -> tuple[Any, ...]:
    """Every style value `get_font_description` reads (lists made hashable)."""
    variations = style["font_variation_settings"]
    return (
        tuple(style["font_family"]),
        style["font_style"],
        style["font_stretch"],
        style["font_weight"],
        style["font_size"],
        style["font_variant_caps"],
        variations if isinstance(variations, str) else tuple(map(tuple, variations)),
    )


def variable_checks(check: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """`check_var` that answers again for a token it has answered for."""
    answered: dict[int, tuple[Any, Any]] = {}

    @functools.wraps(check)
    def check_var(token: Any) -> Any:
        found = answered.get(id(token))
        if found is not None and found[0] is token:
            return found[1]
        answer = check(token)
        with _lock:
            if len(answered) >= LIMIT:
                answered.clear()
            answered[id(token)] = (token, answer)
        return answer

    return check_var
