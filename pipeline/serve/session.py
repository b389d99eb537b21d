"""One `twinpress serve` session: bind the server, then let watch's warm rebuild loop drive
the state, the slides and the pages until Ctrl-C, then stop every thread and process.

Threads: the main thread runs pipeline.watch (rebuilds in warm worker processes; each
round updates the state and wakes the pages' event streams); one thread serves HTTP (a
thread per request); one renders slides. Stopping (Ctrl-C, SIGTERM) leaves the watch loop
(which closes its worker processes), ends the event streams, kills a running LibreOffice,
and closes the socket.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .. import hashcache
from ..errors import Collector, Diagnostic, PipelineError, display_path
from ..project import Project
from ..watch import Round, watch
from . import DEFAULT_HOST, DEFAULT_PORT
from .server import PreviewServer
from .slides import Slides
from .state import State


class ServeError(PipelineError):
    """The server cannot listen where it was asked to."""


@dataclass(frozen=True)
class Options:
    sources: Sequence[Path] = ()
    audiences: Sequence[str] = ()
    theme: str | None = None
    out_dir: Path | None = None
    jobs: int | None = None
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    explicit_host: bool = False  # the user named the host: a public one is allowed
    open_browser: bool = False


def is_loopback(host: str) -> bool:
    """Whether every address `host` names is a loopback address (127.0.0.0/8, ::1)."""
    try:
        infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        return False
    addresses = {str(info[4][0]).split("%", 1)[0] for info in infos}
    return bool(addresses) and all(ipaddress.ip_address(a).is_loopback for a in addresses)


def bind(options: Options, state: State, slides: Slides) -> PreviewServer:
    """The listening server; ServeError when the address is refused or cannot be used."""
    host = options.host or "0.0.0.0"
    loopback = is_loopback(host)
    if not loopback and not options.explicit_host:
        raise _error(
            "serve.host-refused",
            f"refusing to serve on {host}, which is not a loopback address",
            "the preview is for this machine; to share it on purpose, pass --host explicitly",
        )
    try:
        infos = socket.getaddrinfo(host, options.port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise _error("serve.host-unknown", f"cannot resolve host '{host}': {exc}") from None
    family, _type, _proto, _name, address = infos[0]
    try:
        return PreviewServer(
            (str(address[0]), int(address[1])), family, state, slides, check_host=loopback
        )
    except OSError as exc:
        taken = exc.errno is not None and exc.errno == 98  # EADDRINUSE
        raise _error(
            "serve.port-in-use" if taken else "serve.bind",
            f"cannot listen on {host} port {options.port}: {exc.strerror or exc}",
            "choose another with --port N, or --port 0 for any free port" if taken else None,
        ) from None


def url_of(server: PreviewServer, host: str) -> str:
    """The address to open: the host as given (a name stays a name), with the real port."""
    port = server.server_address[1]
    if not host or host in ("0.0.0.0", "::"):
        host = socket.gethostname()
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/"


def run(
    project: Project,
    options: Options,
    *,
    report: Callable[[Round], None],
    echo: Callable[[str], None],
    stop: threading.Event | None = None,
) -> None:
    """Serve until `stop` is set or KeyboardInterrupt; then stop everything started here."""
    state = State(options.out_dir or project.output)
    state.seed(_labels(project))
    slides = Slides(hashcache.folder() / "slides", state.bump, echo)
    server = bind(options, state, slides)
    url = url_of(server, options.host)
    http = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.2}, name="twinpress-http"
    )
    http.start()
    slides.start()

    def on_round(round_: Round) -> None:
        report(round_)
        for view in state.apply(round_):
            slides.want(view)

    def ready() -> None:
        echo(f"watching {display_path(project.content)} and {display_path(project.themes)}")
        if options.open_browser:  # once there is something to see
            import webbrowser

            threading.Thread(target=webbrowser.open, args=(url,), daemon=True).start()

    echo(f"serving {url} (Ctrl-C stops)")
    if not slides.libreoffice:
        echo("note: LibreOffice is not installed: the page shows each deck's outline")
    try:
        watch(
            project,
            sources=options.sources,
            audiences=options.audiences,
            theme=options.theme,
            out_dir=options.out_dir,
            jobs=options.jobs,
            on_round=on_round,
            on_change=state.begin,
            ready=ready,
            stop=stop,
        )
    finally:
        state.close()
        slides.close()
        server.shutdown()
        server.server_close()
        http.join(5)


def _labels(project: Project) -> dict[str, str]:
    """Audience names and labels, in the profiles' order; problems wait for the build."""
    from ..audience import read_profiles

    profiles = read_profiles(project.audiences_file, Collector())
    return {name: profile.label for name, profile in profiles.items()}


def _error(code: str, message: str, hint: str | None = None) -> ServeError:
    return ServeError([Diagnostic("error", code, message, None, hint)])
