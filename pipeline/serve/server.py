"""The preview's HTTP server (the standard library's ThreadingHTTPServer): the page and its
assets, the state as JSON, server-sent events, the outputs and the slide images.

Routes (GET and HEAD only; the server changes nothing):

    /                              the first preview (or the page, before anything is built)
    /preview/<source>/<audience>   the page: deck and briefing side by side
    /assets/<name>                 the page's own script, style sheet and icon
    /api/state?source=S&audience=A what the page shows, as JSON
    /events                        an event each time the state changes (text/event-stream)
    /output/<audience>/<file>      an output (the briefing, downloads), see files.py
    /slides/<set>/<n>.png          a slide image, by the hash-named set it belongs to

Safety: requests on a loopback address must name a loopback host (Host header), so a web
page elsewhere cannot read the preview through DNS rebinding; every answer forbids MIME
sniffing; the page may load only its own assets (Content-Security-Policy), and a briefing
may load nothing and run no script.
"""

from __future__ import annotations

import json
import socket
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from . import files
from .slides import Slides
from .state import Key, State

KEEPALIVE = 15.0  # seconds between comments on an idle event stream (proxies, sleep)
NO_STORE, IMMUTABLE = "no-store", "public, max-age=31536000, immutable"
LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
PAGE_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; frame-src 'self'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'"
)
# The briefing is self-contained (inline styles, fonts and images as data: URLs).
BRIEFING_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; font-src data:; img-src data:; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'self'"
)


class PreviewServer(ThreadingHTTPServer):
    """The server, holding what the handlers read: state, slides, assets, allowed hosts."""

    daemon_threads = True

    def __init__(
        self,
        address: tuple[str, int],
        family: socket.AddressFamily,
        state: State,
        slides: Slides,
        *,
        check_host: bool,
    ) -> None:
        self.address_family = family
        self.state = state
        self.slides = slides
        self.check_host = check_host
        self.assets = _assets()
        super().__init__(address, Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that went away mid-answer is not an error worth a traceback."""
        import sys

        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class Handler(BaseHTTPRequestHandler):
    server: PreviewServer
    server_version = "twinpress-serve"
    sys_version = ""

    def do_GET(self) -> None:
        self._answer(body=True)

    def do_HEAD(self) -> None:
        self._answer(body=False)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the terminal shows rebuilds, not requests."""

    # -- routing ---------------------------------------------------------------------------

    def _answer(self, body: bool) -> None:
        self.body = body
        if self.server.check_host and not self._host_allowed():
            self._text(HTTPStatus.MISDIRECTED_REQUEST, "this server answers to localhost only")
            return
        # Not urlsplit: it would read `//etc/passwd` as a host and a path.
        path, _mark, query = self.path.partition("?")
        path = path.partition("#")[0]
        try:
            parts = files.segments(path) if path != "/" else []
            self._route(parts, parse_qs(query))
        except files.Refused as refused:
            self._text(HTTPStatus(refused.status), str(refused))

    def _route(self, parts: list[str], query: dict[str, list[str]]) -> None:
        head, rest = (parts[0], parts[1:]) if parts else ("", [])
        if not parts:
            self._home()
        elif head == "preview" and len(rest) == 2:
            self._page((rest[0], rest[1]))
        elif head == "assets" and len(rest) == 1 and rest[0] in self.server.assets:
            self._bytes(self.server.assets[rest[0]], files.content_type(Path(rest[0])))
        elif head == "favicon.ico" and not rest:
            self._bytes(self.server.assets["icon.svg"], "image/svg+xml")
        elif head == "api" and rest == ["state"]:
            self._state(query)
        elif head == "events" and not rest:
            self._events()
        elif head == "output":
            self._file(files.output_file(self.server.state.out_dir, rest), html_policy=True)
        elif head == "slides" and len(rest) == 2:
            self._slide(rest[0], rest[1])
        else:
            raise files.Refused(404, "not found")

    def _host_allowed(self) -> bool:
        host = (self.headers.get("Host") or "").strip().lower()
        if host.startswith("["):  # [::1]:8765
            host = host[1 : host.find("]")] if "]" in host else host
        elif host.count(":") == 1:
            host = host.split(":", 1)[0]
        return host in LOOPBACK_NAMES

    # -- answers ---------------------------------------------------------------------------

    def _home(self) -> None:
        first = self.server.state.first()
        if first is None:
            self._page(None)
            return
        self.send_response(HTTPStatus.FOUND)
        self.send_header("Location", f"/preview/{first[0]}/{first[1]}")
        self.send_header("Content-Length", "0")
        self._common_headers()
        self.end_headers()

    def _page(self, key: Key | None) -> None:
        """The page (the same for every view: its script reads the view from the URL); a
        view that is not built answers 404, and the page lists those that are."""
        state = self.server.state
        unknown = key is not None and state.view(key) is None and state.first() is not None
        status = HTTPStatus.NOT_FOUND if unknown else HTTPStatus.OK
        page = self.server.assets["page.html"]
        self._bytes(page, "text/html; charset=utf-8", PAGE_POLICY, status=status)

    def _state(self, query: dict[str, list[str]]) -> None:
        source, audience = query.get("source", [""])[0], query.get("audience", [""])[0]
        key = (source, audience) if source and audience else None
        if key:
            self.server.slides.prefer(key)
        snapshot = self.server.state.snapshot(key, self.server.slides.describe)
        data = json.dumps(snapshot, ensure_ascii=False).encode("utf-8")
        self._bytes(data, "application/json; charset=utf-8")

    def _events(self) -> None:
        """One `update` event (with the new version) per change, until the server stops."""
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self._common_headers()
        self.end_headers()
        if not self.body:
            return
        state = self.server.state
        try:
            self.wfile.write(b"retry: 1000\n\n")
            seen = -1
            while (version := state.wait(seen, KEEPALIVE)) is not None:
                if version == seen:
                    self.wfile.write(b": idle\n\n")
                else:
                    self.wfile.write(f"event: update\ndata: {version}\n\n".encode())
                    seen = version
                self.wfile.flush()
        except ConnectionError:
            return  # the page was closed

    def _file(self, path: Path, html_policy: bool = False, cache: str = NO_STORE) -> None:
        policy = BRIEFING_POLICY if html_policy and path.suffix == ".html" else "default-src 'none'"
        try:
            data = path.read_bytes()
        except OSError:
            raise files.Refused(404, "no such file") from None
        self._bytes(data, files.content_type(path), policy, cache=cache)

    def _slide(self, key: str, name: str) -> None:
        number = name.removesuffix(".png")
        path = self.server.slides.image(key, int(number)) if number.isdigit() else None
        if path is None:
            raise files.Refused(404, "no such slide")
        # Named by the hash of what they show: the same URL never shows anything else.
        self._file(files.inside(self.server.slides.cache, path), cache=IMMUTABLE)

    def _text(self, status: HTTPStatus, message: str) -> None:
        text = f"{status.value} {status.phrase}: {message}\n"
        self._bytes(text.encode(), "text/plain; charset=utf-8", status=status)

    def _bytes(
        self,
        data: bytes,
        content_type: str,
        policy: str = "default-src 'none'",
        status: HTTPStatus = HTTPStatus.OK,
        cache: str = NO_STORE,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Content-Security-Policy", policy)
        self._common_headers(cache)
        self.end_headers()
        if self.body:
            self.wfile.write(data)

    def _common_headers(self, cache: str = NO_STORE) -> None:
        self.send_header("Cache-Control", cache)
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("Cross-Origin-Resource-Policy", "same-origin")


def _assets() -> dict[str, bytes]:
    """The page's files, shipped as package data, read once."""
    folder = resources.files("pipeline.serve") / "assets"
    return {item.name: item.read_bytes() for item in folder.iterdir() if item.is_file()}
