"""The hyphenation patterns WeasyPrint asks pyphen for, read from the `store`.

pyphen parses a language's pattern file the first time a process hyphenates it: 0.065 s for
English (11,000 patterns), on the critical path of every cold briefing whose stylesheet
says `hyphens: auto`. Parsed, the patterns are a dict of strings to offsets and tuples of
ints; `marshal` (which holds data, never code) reads them back in 0.005 s. `prime` puts
them where pyphen looks first, its own per-process cache, so WeasyPrint's
`pyphen.Pyphen(lang=...)` finds them there. It runs before every briefing's render (the
shipped themes hyphenate body text), so a language whose patterns cannot be stored (see
`_plain`) is parsed then, where WeasyPrint would parse it at its first hyphenated word.
"""

from __future__ import annotations

import marshal
import sys
from typing import Any

import pyphen

from ... import store

PINNED = "0.18.1"  # the HyphDict attributes `_hyph_dict` sets are this version's


def prime(language: str, made: dict[str, bytes]) -> None:
    """Have pyphen's dictionary for `language` loaded: from the store when it is there,
    else parsed by pyphen and handed to `made` for the build to keep."""
    fallback = pyphen.language_fallback(language) if language else None
    if fallback is None or pyphen.__version__ != PINNED:
        return
    path = pyphen.LANGUAGES[fallback]
    if path in pyphen.hdcache:
        return
    python = f"{sys.version_info[0]}.{sys.version_info[1]}"
    name = store.key("hyphenation", PINNED, str(path), python)
    patterns = _patterns(store.look_up(name))
    if patterns is not None:
        pyphen.hdcache[path] = _hyph_dict(patterns)
        return
    parsed = pyphen.HyphDict(path)
    pyphen.hdcache[path] = parsed
    if _plain(parsed.patterns):
        made[name] = marshal.dumps(parsed.patterns)


def _patterns(kept: bytes | None) -> dict[str, tuple[int, tuple[int, ...]]] | None:
    if kept is None:
        return None
    try:
        patterns = marshal.loads(kept)
    except (EOFError, ValueError, TypeError):
        return None
    # The store checked the bytes against their SHA-256, and only `_plain` patterns go in.
    return patterns if isinstance(patterns, dict) and patterns else None


def _plain(patterns: dict[Any, Any]) -> bool:
    """Only offsets and ints: a language with nonstandard hyphenation ('ff=f') keeps
    pyphen's own objects among its values, which marshal cannot hold."""
    return all(
        isinstance(key, str)
        and isinstance(value, tuple)
        and len(value) == 2
        and isinstance(value[0], int)
        and isinstance(value[1], tuple)
        and all(type(v) is int for v in value[1])
        for key, value in patterns.items()
    )


def _hyph_dict(patterns: dict[str, tuple[int, tuple[int, ...]]]) -> pyphen.HyphDict:
    """A HyphDict as its constructor would leave it after parsing these patterns."""
    loaded = pyphen.HyphDict.__new__(pyphen.HyphDict)
    loaded.patterns = patterns
    loaded.cache = {}
    loaded.maxlen = max(len(key) for key in patterns)
    return loaded
