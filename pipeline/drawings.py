"""Drawings a build made (a chart's SVG, from matplotlib), kept for the next build.

Looked up by a key made of everything a drawing is drawn from (its data and style, the fonts'
bytes, the drawing library's version and twinpress's own code), a rebuild whose chart did
not change neither draws it nor imports matplotlib (0.3 s of a briefing's critical path).
They live in twinpress's cache folder (`hashcache.folder()`), so projects stay clean, and
losing them only costs time. Renderers look drawings up and hand new ones back with their
output; only the build stores them. A drawing that cannot be read back is drawn again.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from pathlib import Path

from . import fingerprint, hashcache

MAX_KEPT = 512  # drawings kept; past it, the oldest stored go first


def folder() -> Path:
    return hashcache.folder() / "drawings"


def key(kind: str, *parts: str) -> str:
    """The file name of a `kind` of drawing made from `parts` (canonical texts)."""
    digest = hashlib.sha256(fingerprint.code().encode())
    for part in parts:
        digest.update(hashlib.sha256(part.encode()).digest())
    return f"{kind}-{digest.hexdigest()}.svg"


def look_up(name: str) -> bytes | None:
    try:
        return (folder() / name).read_bytes()
    except OSError:
        return None


def store(made: Mapping[str, bytes]) -> None:
    """Keep new drawings, each written atomically; a failure only means drawing again."""
    if not made:
        return
    root = folder()
    try:
        root.mkdir(parents=True, exist_ok=True)
        for name, data in sorted(made.items()):
            staged = root / f".{name}.{os.getpid()}.tmp"
            staged.write_bytes(data)
            os.replace(staged, root / name)
        _prune(root)
    except OSError:
        pass


def _prune(root: Path) -> None:
    kept = sorted(root.glob("*.svg"), key=lambda p: p.stat().st_mtime_ns)
    for path in kept[: max(0, len(kept) - MAX_KEPT)]:
        path.unlink(missing_ok=True)
