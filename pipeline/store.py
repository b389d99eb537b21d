"""What a render made that a later build can reuse: a chart's SVG (matplotlib's drawing), a
deck's embedded font subsets (fontTools' subsetting and outline conversion), a template as
Jinja compiled it, a language's hyphenation patterns as pyphen parsed them.

Each is named by a key made of everything it is made from (its data and style, the fonts'
bytes, the library's version and twinpress's own code), so a rebuild whose charts and
characters did not change neither makes them nor imports the libraries again: 0.3 s of a
briefing's critical path, 0.45 s of a deck's. They live in twinpress's cache folder
(`hashcache.folder()`), so projects stay clean, and losing them only costs time. Each file
carries the SHA-256 of its bytes: a damaged one is never used, only made again. A checksum
shows damage, not who wrote the file, so what runs as code (a compiled template) is read
with `look_up_private`, only from a folder and a file this user owns and no one else can
write (what Jinja asks of its own bytecode cache's folder). Renderers look things up and
hand new ones back with their output; only the build stores them.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.metadata
import os
from collections.abc import Callable, Mapping
from pathlib import Path

from . import fingerprint, hashcache
from .errors import OutputError
from .outputs import write_atomic

MAX_KEPT = 512  # files kept; past it, the oldest stored go first
_CHECK = 32  # bytes of SHA-256 ahead of the data


def folder() -> Path:
    return hashcache.folder() / "made"


def key(kind: str, *parts: str) -> str:
    """The file name of a `kind` of thing ('chart', 'eot', 'woff2') made from `parts`
    (canonical texts, each a different input)."""
    digest = hashlib.sha256(fingerprint.code().encode())
    for part in parts:
        digest.update(hashlib.sha256(part.encode()).digest())
    return f"{kind}-{digest.hexdigest()}"


def font_key(kind: str, path: Path, codes: frozenset[int] | None, *libraries: str) -> str:
    """The name of a font file cut to `codes` (None: whole) by fontTools and `libraries`."""
    versions = (version(name) for name in ("fonttools", *libraries))
    return key(kind, hashcache.digest(path), fingerprint.canonical(codes), *versions)


@functools.cache
def version(distribution: str) -> str:
    """An installed library's version, part of the keys of what it makes ('' if absent:
    fontTools writes WOFF2 with brotli or brotlicffi, whichever is there)."""
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return ""


def reused(name: str, made: dict[str, bytes], make: Callable[[], bytes]) -> bytes:
    """What is stored under `name`; else `make()`'s bytes, added to `made` to be stored."""
    kept = look_up(name)
    if kept is None:
        made[name] = kept = make()
    return kept


def look_up(name: str) -> bytes | None:
    """What was stored under `name`, or None when absent or damaged."""
    try:
        raw = (folder() / name).read_bytes()
    except OSError:
        return None
    check, data = raw[:_CHECK], raw[_CHECK:]
    return data if hashlib.sha256(data).digest() == check else None


def look_up_private(name: str) -> bytes | None:
    """`look_up`, where the folder and the file are this user's and no one else can write
    them; else None (on a system without user ids too), so the thing is made again."""
    root = folder()
    try:
        private = all(_private(os.stat(p)) for p in (root, root / name))
    except OSError:
        return None
    return look_up(name) if private else None


def _private(status: os.stat_result) -> bool:
    user = getattr(os, "geteuid", None)
    return user is not None and status.st_uid == user() and not status.st_mode & 0o022


def store(made: Mapping[str, bytes]) -> None:
    """Keep new things, each written atomically; a failure only means making them again."""
    if not made:
        return
    root = folder()
    try:
        # Private whatever the umask (a umask of 002 makes folders group-writable), so
        # `look_up_private` can trust what is kept.
        root.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not _private(root.stat()):
            with contextlib.suppress(OSError):  # not ours: `look_up_private` will refuse it
                root.chmod(0o700)
        for name, data in sorted(made.items()):  # mkstemp's files: this user's only
            write_atomic(root / name, hashlib.sha256(data).digest() + data, clean=False)
        _prune(root)
    except (OSError, OutputError):
        pass


def _prune(root: Path) -> None:
    kept = sorted(
        (p for p in root.iterdir() if not p.name.startswith(".")),
        key=lambda p: p.stat().st_mtime_ns,
    )
    for path in kept[: max(0, len(kept) - MAX_KEPT)]:
        path.unlink(missing_ok=True)
