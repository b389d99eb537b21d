"""The deck as slide images for the live preview, rendered in the background.

One thread renders one deck at a time: python-pptx reads the slide titles (the outline, and
each image's alt text), LibreOffice converts the deck to PDF with the theme's own fonts
(pipeline.office), and pypdfium2 rasterises every page to a PNG. A set of slide images is
named by the hash of the deck's bytes and of the theme's font files, and kept in the user's
cache folder, so an unchanged deck is never converted twice, even across restarts. The view
a page is looking at is rendered first; a deck replaced by a newer build before its turn is
skipped. Without LibreOffice, the outline is all there is, and the page says why.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import tempfile
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import hashcache, office
from ..errors import PipelineError, display_path
from .state import Key, View

WIDTH = 1280  # px: sharp in a half-screen pane on a high-density display
KEEP = 48  # slide sets kept in the cache; the oldest beyond it are removed
FORMAT = 1  # bump when the images change for the same deck (size, format)
SET_KEY = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class Slide:
    number: int
    width: int
    height: int
    title: str


@dataclass(frozen=True)
class _Request:
    view: Key
    deck: Path
    sha256: str
    font_dirs: tuple[Path, ...]
    key: str


class Slides:
    """The background renderer and the slide sets it has made."""

    def __init__(
        self,
        cache: Path,
        on_update: Callable[[], None],
        echo: Callable[[str], None] = lambda _line: None,
    ) -> None:
        self.cache = cache
        self.libreoffice = office.available()
        self._on_update = on_update
        self._echo = echo
        self._lock = threading.Condition()
        self._stop = threading.Event()
        self._pending: OrderedDict[Key, _Request] = OrderedDict()
        self._wanted: dict[Key, str] = {}  # view -> set key of its current deck
        self._shown: dict[Key, str] = {}  # view -> the newest set key that is ready
        self._ready: dict[str, tuple[Slide, ...]] = {}
        self._outlines: dict[str, tuple[str, ...]] = {}
        self._rendering: str | None = None
        self._errors: dict[str, str] = {}  # set key -> why it could not be rendered
        self._thread = threading.Thread(target=self._run, name="twinpress-slides", daemon=True)

    # -- the build thread ------------------------------------------------------------------

    def want(self, view: View) -> None:
        """Make sure the slides of the view's current deck exist, or are on their way."""
        deck = view.outputs.get("pptx")
        if deck is None:
            return
        key = _set_key(deck.sha256, view.font_dirs, view.font_files)
        with self._lock:
            if (previous := self._wanted.get(view.key)) in self._ready:
                self._shown[view.key] = previous  # shown until the new deck's slides are in
            self._wanted[view.key] = key
            if key not in self._ready and (found := _load(self.cache / key)) is not None:
                self._ready[key] = found
                self._outlines[key] = tuple(s.title for s in found)
            if self._settled(key) or any(
                r.key == key for r in self._pending.values() if r.view != view.key
            ):
                self._pending.pop(view.key, None)  # an older deck of this view is not needed
                return
            self._pending[view.key] = _Request(
                view.key, deck.path, deck.sha256, view.font_dirs, key
            )
            self._lock.notify_all()

    def _settled(self, key: str) -> bool:
        """Ready, being rendered, failed, or (without LibreOffice) outlined: no new request."""
        return (
            key in self._ready
            or key == self._rendering
            or key in self._errors
            or (not self.libreoffice and key in self._outlines)
        )

    def start(self) -> None:
        self._thread.start()

    def close(self) -> None:
        """Stop: a running LibreOffice conversion is killed; wait for the thread."""
        self._stop.set()
        with self._lock:
            self._lock.notify_all()
        if self._thread.is_alive():
            self._thread.join(15)

    # -- the server's threads --------------------------------------------------------------

    def prefer(self, view: Key) -> None:
        """A page is looking at this view: render its deck next."""
        with self._lock:
            if view in self._pending:
                self._pending.move_to_end(view, last=False)

    def image(self, key: str, number: int) -> Path | None:
        """The PNG of one slide of a ready set, or None."""
        if not SET_KEY.fullmatch(key):
            return None
        with self._lock:
            slides = self._ready.get(key)
        if slides is None or not 1 <= number <= len(slides):
            return None
        return self.cache / key / f"{number:03d}.png"

    def describe(self, view: View) -> dict[str, Any]:
        """What the page's deck pane shows for a view, as JSON data."""
        if "pptx" not in view.outputs:
            return {"status": "none", "message": "This audience gets no deck.", "slides": []}
        with self._lock:
            wanted = self._wanted.get(view.key)
            shown = wanted if wanted in self._ready else self._shown.get(view.key)
            status = "waiting" if wanted is None else self._state_of(wanted)
            slides = self._ready.get(shown, ()) if shown else ()
            return {
                "status": status,
                "message": self._message(status, wanted),
                "stale": bool(slides) and shown != wanted,
                "slides": [
                    {
                        "url": f"/slides/{shown}/{s.number}.png",
                        "width": s.width,
                        "height": s.height,
                        "title": s.title,
                    }
                    for s in slides
                ],
                "outline": list(self._outlines.get(wanted or "", ())),
            }

    def _state_of(self, key: str) -> str:
        if key in self._ready:
            return "ready"
        if key == self._rendering:
            return "rendering"
        if key in self._errors:
            return "failed"
        if not self.libreoffice and key in self._outlines:
            return "outline"
        return "queued"

    def _message(self, status: str, key: str | None) -> str | None:
        if status == "outline":
            return (
                "LibreOffice is not installed, so the slides cannot be drawn: this is the "
                f"deck's outline. To see the slides, {office.INSTALL_HINT}, and restart."
            )
        if status == "failed" and key:
            return self._errors.get(key)
        if status in ("queued", "rendering"):
            if not self.libreoffice:
                return "Reading the deck's outline…"
            return "Rendering the slides with LibreOffice…"
        return None

    # -- the slides thread -----------------------------------------------------------------

    def _run(self) -> None:
        while not self._stop.is_set():
            with self._lock:
                self._lock.wait_for(lambda: self._stop.is_set() or bool(self._pending))
                if self._stop.is_set():
                    return
                _view, request = self._pending.popitem(last=False)
                if self._settled(request.key):
                    continue
                self._rendering = request.key
            self._on_update()
            self._render(request)
            self._on_update()

    def _render(self, request: _Request) -> None:
        started = time.perf_counter()
        try:
            data = request.deck.read_bytes()
        except OSError:
            data = b""
        if hashlib.sha256(data).hexdigest() != request.sha256:
            self._finish(request, None, None)  # replaced by a newer build: its request follows
            return
        try:
            with tempfile.TemporaryDirectory(prefix="twinpress-slides-") as tmp:
                deck = Path(tmp) / "deck.pptx"
                deck.write_bytes(data)
                titles = read_titles(deck)
                with self._lock:
                    self._outlines[request.key] = titles
                if not self.libreoffice:
                    self._finish(request, None, None)
                    return
                self._on_update()  # the outline, while LibreOffice works
                pdf = office.convert(
                    deck, Path(tmp), "pdf", font_dirs=request.font_dirs, cancel=self._stop
                )
                slides = self._store(request.key, pdf, titles)
        except PipelineError as exc:
            if not self._stop.is_set():
                self._finish(request, None, "; ".join(str(d) for d in exc.diagnostics))
            return
        except Exception as exc:  # a bug must not stop the previews of later decks
            self._finish(request, None, f"internal error: {type(exc).__name__}: {exc}")
            return
        self._finish(request, slides, None)
        self._echo(
            f"slides: {display_path(request.deck)}, {len(slides)} slides in "
            f"{time.perf_counter() - started:.1f} s"
        )

    def _finish(
        self, request: _Request, slides: tuple[Slide, ...] | None, error: str | None
    ) -> None:
        with self._lock:
            self._rendering = None
            if slides is not None:
                self._ready[request.key] = slides
                for view, key in self._wanted.items():
                    if key == request.key:
                        self._shown[view] = key
            elif error is not None:
                self._errors[request.key] = error
            keep = set(self._shown.values()) | set(self._wanted.values())
        if slides is not None:
            _prune(self.cache, keep)

    def _store(self, key: str, pdf: Path, titles: tuple[str, ...]) -> tuple[Slide, ...]:
        """Rasterise the PDF into the cache, atomically: a set is whole or absent."""
        self.cache.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{key[:12]}-", dir=self.cache))
        try:
            slides = _rasterise(pdf, staging, titles, self._stop)
            meta = [[s.width, s.height, s.title] for s in slides]
            (staging / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
            # Fails when another server made the same set first: that one is used.
            with contextlib.suppress(OSError):
                os.rename(staging, self.cache / key)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        return slides


def read_titles(deck: Path) -> tuple[str, ...]:
    """Each slide's title (python-pptx), or its first text when it has no title."""
    from pptx import Presentation

    titles = []
    for number, slide in enumerate(Presentation(str(deck)).slides, 1):
        title = slide.shapes.title
        text = title.text_frame.text if title is not None and title.has_text_frame else ""
        if not text.strip():
            texts = (s.text_frame.text for s in slide.shapes if s.has_text_frame)
            text = next((t for t in texts if t.strip()), f"Slide {number}")
        titles.append(" ".join(text.split()))
    return tuple(titles)


def _rasterise(
    pdf: Path, folder: Path, titles: tuple[str, ...], stop: threading.Event
) -> tuple[Slide, ...]:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(pdf))
    try:
        slides = []
        for index in range(len(document)):
            if stop.is_set():
                raise office.OfficeError("stopped")
            page = document[index]
            width, _height = page.get_size()
            image = page.render(scale=WIDTH / width).to_pil().convert("RGB")
            image.save(folder / f"{index + 1:03d}.png", "PNG", compress_level=3)
            title = titles[index] if index < len(titles) else f"Slide {index + 1}"
            slides.append(Slide(index + 1, image.width, image.height, title))
        return tuple(slides)
    finally:
        document.close()


def _set_key(deck_sha: str, font_dirs: tuple[Path, ...], font_files: tuple[Path, ...]) -> str:
    fonts = [f"{f}:{hashcache.digest(f)}" for f in font_files if f.is_file()]
    text = "\n".join([str(FORMAT), str(WIDTH), deck_sha, *map(str, font_dirs), *fonts])
    return hashlib.sha256(text.encode()).hexdigest()


def _load(folder: Path) -> tuple[Slide, ...] | None:
    """A set made earlier, when it is whole; touched, so pruning keeps it."""
    try:
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        slides = tuple(Slide(n, int(w), int(h), str(t)) for n, (w, h, t) in enumerate(meta, 1))
        if not all((folder / f"{s.number:03d}.png").is_file() for s in slides):
            return None
        os.utime(folder / "meta.json")
    except (OSError, ValueError, TypeError):
        return None
    return slides


def _prune(cache: Path, keep: set[str]) -> None:
    sets = [p for p in cache.iterdir() if SET_KEY.fullmatch(p.name) and p.name not in keep]
    sets.sort(key=lambda p: _mtime(p / "meta.json"), reverse=True)
    for old in sets[max(0, KEEP - len(keep)) :]:
        shutil.rmtree(old, ignore_errors=True)


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0
