"""Build manifests: what each output was made from, and where each section landed in it.

`output/<audience>/<slug>.manifest.json` records, per format, the output's hash, its
slide or page count, section id -> slide/page numbers as the renderer placed them, and the
hash of every input (source, audience profile, theme files, renderer options, twinpress's
version and code). `twinpress verify` cross-checks it against the outputs, and the build uses the
input hash to skip outputs whose inputs did not change.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import __version__, fingerprint

SCHEMA_VERSION = 1


@dataclass(frozen=True)
class Entry:
    """One format's record in a manifest."""

    file: str
    sha256: str
    inputs: str
    units: int
    unit: str
    sections: Mapping[str, tuple[int, ...]] = field(default_factory=dict)


def path_for(output: Path) -> Path:
    """The manifest beside an output: deck.pptx -> deck.manifest.json."""
    return output.with_name(output.name.rsplit(".", 1)[0] + ".manifest.json")


def read(path: Path) -> dict[str, Any]:
    """The manifest's data, or an empty one when it is missing or unreadable."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) and data.get("manifest") == SCHEMA_VERSION else {}


def entry(data: Mapping[str, Any], fmt: str) -> Entry | None:
    raw = data.get("outputs", {}).get(fmt)
    if not isinstance(raw, dict):
        return None
    try:
        sections = {k: tuple(v) for k, v in raw.get("sections", {}).items()}
        return Entry(
            raw["file"], raw["sha256"], raw["inputs"], int(raw["units"]), raw["unit"], sections
        )
    except (KeyError, TypeError, ValueError):
        return None


def updated(
    data: Mapping[str, Any],
    *,
    source: Path,
    audience: str,
    theme: str,
    entries: Mapping[str, Entry],
) -> bytes:
    """The manifest with these formats' entries replaced; other formats are kept."""
    outputs = dict(data.get("outputs", {})) if data else {}
    for fmt, item in entries.items():
        outputs[fmt] = {
            **dataclasses.asdict(item),
            "sections": {k: list(v) for k, v in item.sections.items()},
        }
    body = {
        "manifest": SCHEMA_VERSION,
        "generator": f"twinpress {__version__}",
        "source": source.name,
        "source_sha256": file_hash(source),
        "audience": audience,
        "theme": theme,
        "outputs": dict(sorted(outputs.items())),
    }
    return (json.dumps(body, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def file_hash(path: Path) -> str:
    from .hashcache import digest

    return digest(path)


def data_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def inputs_hash(
    *,
    source: bytes,
    profile: Any,
    theme_fingerprint: str,
    fmt: str,
    options: Any,
    context: str = "",
    images: tuple[bytes, ...] = (),
) -> str:
    """Everything that can change an output: a rebuild is needed when this changes.

    `context` is the build context's fingerprint (SOURCE_DATE_EPOCH)."""
    digest = hashlib.sha256()
    for part in (
        fingerprint.code().encode(),
        fmt.encode(),
        source,
        fingerprint.canonical(profile).encode(),
        theme_fingerprint.encode(),
        repr(options).encode(),
        context.encode(),
        *images,
    ):
        digest.update(hashlib.sha256(part).digest())
    return digest.hexdigest()
