"""Fingerprints: twinpress's own code as one hash, and any input value in a canonical text.

`code()` hashes the version and the bytes of every file of the package, so the up-to-date
check and the `store` never keep what other code made: a developer's checkout or a CI
cache that changed its code (not its version) builds again. Hashing the package's files
(about 140) takes 5 ms, once per process.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from . import __version__

PACKAGE = Path(__file__).resolve().parent


@functools.cache
def code() -> str:
    """SHA-256 of the version and of every file of the package (by path and content)."""
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(PACKAGE.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def canonical(value: Any) -> str:
    """repr of the fields that compare, mappings and sets sorted: the same value gives the
    same text in every process (a set's order depends on the process's hash seed)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        parts = (
            f"{f.name}={canonical(getattr(value, f.name))}"
            for f in dataclasses.fields(value)
            if f.compare
        )
        return f"{type(value).__name__}({', '.join(parts)})"
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{k!r}: {canonical(v)}" for k, v in sorted(value.items())) + "}"
    if isinstance(value, (set, frozenset)):
        return repr(sorted(value))
    if isinstance(value, (tuple, list)):
        return "(" + ", ".join(canonical(v) for v in value) + ")"
    return repr(value)
