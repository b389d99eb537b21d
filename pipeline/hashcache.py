"""Content hashes of files, remembered across runs by (size, modification time).

Incremental builds decide by content hashes, but re-reading a theme's fonts (the emoji
font alone is 10 MB) on every run would cost more than the check saves. A file is hashed
again only when its size or mtime changed; the cache lives in the user's cache folder
(`$XDG_CACHE_HOME/twinpress`), so projects stay clean, and losing it only costs time.
"""

from __future__ import annotations

import atexit
import hashlib
import json
import os
from pathlib import Path
from typing import Any

_cache: dict[str, list[Any]] | None = None
_dirty = False
# Entries kept: a few projects' worth. Past it, files that are gone go first, then the
# oldest; an evicted file is only hashed again.
MAX_ENTRIES = 4000


def folder() -> Path:
    """twinpress's cache folder: $TWINPRESS_CACHE, else $XDG_CACHE_HOME/twinpress."""
    root = os.environ.get("TWINPRESS_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "twinpress"
    )
    return Path(root)


def _path() -> Path:
    return folder() / "file-hashes.json"


def _load() -> dict[str, list[Any]]:
    global _cache
    if _cache is None:
        try:
            data = json.loads(_path().read_text(encoding="utf-8"))
            _cache = data if isinstance(data, dict) else {}
        except (OSError, ValueError):
            _cache = {}
        atexit.register(save)
    return _cache


def digest(path: Path) -> str:
    """SHA-256 of the file's content, from the cache when the file is unchanged."""
    global _dirty
    stat = path.stat()
    key, signature = str(path.resolve()), [stat.st_size, stat.st_mtime_ns]
    cache = _load()
    known = cache.get(key)
    if isinstance(known, list) and known[:2] == signature:
        return str(known[2])
    value = hashlib.sha256(path.read_bytes()).hexdigest()
    cache[key] = [*signature, value]
    _dirty = True
    return value


def save() -> None:
    """Write the cache atomically; a failure only means hashing again next time."""
    global _dirty
    if not _dirty or _cache is None:
        return
    _prune(_cache)
    target = _path()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(_cache), encoding="utf-8")
        os.replace(tmp, target)
        _dirty = False
    except OSError:
        pass


def _prune(cache: dict[str, list[Any]]) -> None:
    if len(cache) <= MAX_ENTRIES:
        return
    for key in [k for k in cache if not os.path.exists(k)]:
        del cache[key]
    for key in list(cache)[: max(0, len(cache) - MAX_ENTRIES)]:
        del cache[key]
