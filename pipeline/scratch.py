"""Scratch folders a process needs while it lives, removed when it ends, even by a kill.

WeasyPrint copies a stylesheet's @font-face fonts into a temporary folder and removes it
only when its FontConfiguration is collected. That never happens in a worker process
(multiprocessing ends it with `os._exit`) nor in one that is killed, so every build left
one folder per worker behind, 2 to 4 MB of fonts each: a machine that builds all day fills
its temporary folder. Here a process's folders live under one root named by its process
id. A process removes its own root when it exits normally (`atexit`, and `release()` for a
worker, which ends without running atexit); the pool that stopped or killed a worker
removes that worker's root; roots whose process is gone (a pool killed with its workers)
are swept when the next pool starts.
"""

from __future__ import annotations

import atexit
import os
import re
import shutil
import tempfile
from pathlib import Path

from .outputs import alive

PREFIX = "twinpress-process-"
_OWNED = re.compile(re.escape(PREFIX) + r"(\d+)-")
_roots: dict[int, Path] = {}  # process id -> its root (a forked child inherits its parent's)


def folder(purpose: str) -> Path:
    """A new, empty folder for this process, under its root."""
    return Path(tempfile.mkdtemp(prefix=f"{purpose}-", dir=_root()))


def _root() -> Path:
    pid = os.getpid()
    root = _roots.get(pid)
    if root is None or not root.is_dir():
        root = Path(tempfile.mkdtemp(prefix=f"{PREFIX}{pid}-"))
        _roots[pid] = root
        atexit.register(release, pid)
    return root


def release(pid: int | None = None) -> None:
    """Remove the scratch folders of process `pid` (default: this one)."""
    pid = os.getpid() if pid is None else pid
    own = _roots.pop(pid, None)
    for root in [*([own] if own else []), *Path(tempfile.gettempdir()).glob(f"{PREFIX}{pid}-*")]:
        shutil.rmtree(root, ignore_errors=True)


def sweep() -> None:
    """Remove the scratch folders of processes that no longer run."""
    try:
        entries = list(os.scandir(tempfile.gettempdir()))
    except OSError:
        return
    for entry in entries:
        owner = _OWNED.match(entry.name)
        if owner and not alive(int(owner[1])):
            shutil.rmtree(entry.path, ignore_errors=True)
