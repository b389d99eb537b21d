"""The asset policy: which files an output may contain, and WeasyPrint's fetcher that enforces it.

Every file that ends up inside a briefing (fonts, logo, icons, stylesheets, images) is read
through `AssetPolicy.resolve`, which accepts `data:` URIs and `file:` URLs whose real path
(symlinks and `..` resolved) lies inside an allowed folder or is an allowed file, and refuses
everything else: `http(s)`, `ftp`, any other scheme, and every path outside. WeasyPrint's
default fetcher reads any file and any URL (`<link rel=attachment href=file:///etc/passwd>`
embeds that file; see the notes on WeasyPrint 70, A2), so the PDF renderer passes
`asset_fetcher(policy)` to every HTML() and CSS() it builds.
"""

from __future__ import annotations

import base64
import mimetypes
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote_to_bytes, urlsplit

ALLOWED_SCHEMES = ("data", "file")
RASTER = (".png", ".jpg", ".jpeg", ".gif")


class BlockedURL(Exception):
    """A URL the asset policy refuses; the message names it and says why."""

    def __init__(self, url: str, reason: str):
        self.url, self.reason = url, reason
        shown = url if len(url) <= 120 else url[:117] + "..."
        super().__init__(f"refused to fetch '{shown}': {reason}")


@dataclass(frozen=True)
class AssetPolicy:
    """Folders and single files an output may read; nothing else is ever opened."""

    folders: tuple[Path, ...]
    files: frozenset[Path] = field(default_factory=frozenset)

    @classmethod
    def of(cls, folders: Iterable[Path], files: Iterable[Path] = ()) -> AssetPolicy:
        return cls(
            tuple(Path(f).resolve() for f in folders), frozenset(Path(f).resolve() for f in files)
        )

    def with_files(self, files: Iterable[Path]) -> AssetPolicy:
        return AssetPolicy(self.folders, self.files | {Path(f).resolve() for f in files})

    def allows(self, path: Path) -> bool:
        real = Path(path).resolve()
        return real.is_file() and (
            real in self.files or any(real.is_relative_to(f) for f in self.folders)
        )

    def check_path(self, path: Path, url: str | None = None) -> Path:
        """The real path of an allowed file; raise BlockedURL otherwise."""
        real = Path(path).resolve()
        if not (real in self.files or any(real.is_relative_to(f) for f in self.folders)):
            raise BlockedURL(
                url or str(path),
                "the file is outside the theme and content folders this output may read",
            )
        if not real.is_file():
            raise BlockedURL(url or str(path), "no such file")
        return real

    def resolve(self, url: str) -> Path | None:
        """The allowed file a URL names, None for a data: URI; raise BlockedURL otherwise."""
        scheme = urlsplit(url).scheme.lower()
        if scheme == "data":
            return None
        if scheme != "file":
            kind = f"'{scheme}:' URLs are" if scheme else "relative URLs without a base are"
            raise BlockedURL(
                url,
                f"{kind} never fetched; outputs may only use files inside "
                "the theme and content folders, and data: URIs",
            )
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            raise BlockedURL(url, "file: URLs on another host are never fetched")
        # urllib.request (with http.client, ssl and email) only when a file: URL is read:
        # a deck-only build never needs it.
        from urllib.request import url2pathname

        return self.check_path(Path(url2pathname(parts.path)), url)

    def data_url(self, path: Path) -> str:
        """An allowed file as a data: URI: outputs embed their assets and never name a path
        of the machine that built them (so two checkouts build the same bytes)."""
        real = self.check_path(path)
        if real.suffix.lower() in RASTER:  # pictures bigger than any output shows shrink
            from .images import embedded

            return data_uri(*embedded(real))
        return data_uri(real.read_bytes(), mime_type(real))

    def read(self, url: str) -> tuple[bytes, str]:
        """The bytes and MIME type behind an allowed URL (used to inline assets)."""
        path = self.resolve(url)
        if path is None:
            return decode_data_uri(url)
        return path.read_bytes(), mime_type(path)


def mime_type(path: Path) -> str:
    known = {
        ".svg": "image/svg+xml",
        ".woff2": "font/woff2",
        ".otf": "font/otf",
        ".ttf": "font/ttf",
    }
    return (
        known.get(path.suffix.lower())
        or mimetypes.guess_type(path.name)[0]
        or "application/octet-stream"
    )


def data_uri(data: bytes, mime: str) -> str:
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def decode_data_uri(url: str) -> tuple[bytes, str]:
    header, _, payload = url.partition(",")
    meta = header[len("data:") :].split(";")
    mime = meta[0] or "text/plain"
    if "base64" in meta[1:]:
        return base64.b64decode(payload), mime
    return unquote_to_bytes(payload), mime


_FETCHER_CLASS: type | None = None


def asset_fetcher(policy: AssetPolicy) -> Any:
    """A WeasyPrint URLFetcher that serves only what `policy` allows, with no redirects.

    A refusal raises a FatalURLFetchingError subclass, the one exception WeasyPrint does not
    swallow into a log line, so the render stops and the caller reports the URL.
    """
    return _fetcher_class()(policy)


def _fetcher_class() -> type:
    global _FETCHER_CLASS
    if _FETCHER_CLASS is None:
        _FETCHER_CLASS = _define_fetcher()
    return _FETCHER_CLASS


def _define_fetcher() -> type:
    from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

    class RefusedFetch(FatalURLFetchingError):
        """Carries the BlockedURL out of WeasyPrint's fetch wrappers."""

        def __init__(self, blocked: BlockedURL):
            super().__init__(str(blocked))
            self.blocked = blocked

    class AssetFetcher(URLFetcher):
        """data: and allowed file: URLs only; every other URL aborts the render."""

        Refused = RefusedFetch

        def __init__(self, policy: AssetPolicy):
            super().__init__(
                timeout=5,
                allowed_protocols=set(ALLOWED_SCHEMES),
                allow_redirects=False,
                fail_on_errors=True,
            )
            self.policy = policy
            self.fetched: list[str] = []
            # Kept because WeasyPrint catches even fatal errors while drawing an SVG and only
            # logs "Failed to render SVG image": the caller reports these instead.
            self.refused: list[BlockedURL] = []

        def fetch(self, url: str, headers: Any = None) -> Any:
            try:
                path = self.policy.resolve(url)
            except BlockedURL as blocked:
                self.refused.append(blocked)
                raise RefusedFetch(blocked) from None
            self.fetched.append(url)
            if path is None:
                data, mime = decode_data_uri(url)
                return URLFetcherResponse(url, data, {"Content-Type": mime})
            # Read the checked real path ourselves: the URL could name a symlink that is
            # swapped between the check and urllib's open.
            return URLFetcherResponse(
                path.as_uri(), path.read_bytes(), {"Content-Type": mime_type(path)}
            )

    return AssetFetcher
