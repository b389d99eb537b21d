"""Which files the preview server may send: outputs inside the output folder, nothing else.

A request names a file by URL path segments. Each segment is decoded and refused when it is
empty, `.` or `..`, hidden, or holds a slash, a backslash or a NUL byte, so `..`, absolute
paths and encoded tricks never reach the file system. The joined path is then resolved
(following symlinks) and must still lie inside the resolved output folder, be a regular
file and have an output's suffix: a symlink that leaves the folder is refused.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from urllib.parse import unquote

from .. import renderers

TYPES = {
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".pdf": "application/pdf",
    ".html": "text/html; charset=utf-8",
    ".md": "text/markdown; charset=utf-8",
    ".png": "image/png",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
}


class Refused(Exception):
    """A request for a path the server does not serve; `status` is the HTTP answer."""

    def __init__(self, status: int, why: str) -> None:
        super().__init__(why)
        self.status = status


def segments(raw: str) -> list[str]:
    """The decoded segments of a URL path; Refused (400) for anything but plain names."""
    if not raw.startswith("/"):
        raise Refused(400, "the path must start with /")
    parts = raw[1:].split("/")
    try:
        decoded = [unquote(p, errors="strict") for p in parts]
    except UnicodeDecodeError:
        raise Refused(400, "the path is not UTF-8") from None
    for part in decoded:
        if not part or part in (".", "..") or part.startswith("."):
            raise Refused(400, f"bad path segment {part!r}")
        if any(c in part for c in "/\\\0") or any(ord(c) < 32 for c in part):
            raise Refused(400, "a path segment holds a separator or a control character")
    return decoded


def output_file(root: Path, names: Iterable[str]) -> Path:
    """The output file that `names` (audience, file) points to inside `root`, or Refused."""
    parts = list(names)
    if len(parts) != 2:
        raise Refused(404, "outputs are /output/<audience>/<file>")
    suffixes = {renderers.get(f).suffix for f in renderers.RENDERERS}
    if Path(parts[1]).suffix not in suffixes:
        raise Refused(404, "not an output")
    return inside(root, root.joinpath(*parts))


def inside(root: Path, path: Path) -> Path:
    """`path` resolved, when it is a regular file inside `root` (both resolved); else Refused."""
    base = root.resolve()
    try:
        target = path.resolve(strict=True)
    except (OSError, RuntimeError):  # missing, or a symlink loop
        raise Refused(404, "no such file") from None
    if not target.is_relative_to(base):
        raise Refused(403, "the file is outside the output folder")
    if not target.is_file():
        raise Refused(404, "not a file")
    return target


def content_type(path: Path) -> str:
    return TYPES.get(path.suffix, "application/octet-stream")
