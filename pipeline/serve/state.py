"""What the live preview knows: the latest good outputs of every source × audience (a view),
the diagnostics of the last rebuild, and a version number that every change bumps.

Watch rounds come in from the build thread; page requests and event streams read from the
server's threads; everything goes through one lock. A failed rebuild keeps each view's last
good outputs (the build never replaces a good file with a failed one), so the page shows
the errors over the last good preview. Before the first rebuild, views are seeded from the
manifests an earlier build left in the output folder.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import manifest
from ..errors import Diagnostic, display_path
from ..jobs import Outcome
from ..watch import Round

Key = tuple[str, str]  # (source slug, audience name)


@dataclass(frozen=True)
class Output:
    """One built file of a view."""

    format: str
    path: Path
    sha256: str


@dataclass
class View:
    """One source for one audience: its latest good outputs and its own problems."""

    source: str
    audience: str
    label: str
    title: str
    theme: str = ""
    source_path: Path | None = None
    font_dirs: tuple[Path, ...] = ()
    font_files: tuple[Path, ...] = ()
    outputs: dict[str, Output] = field(default_factory=dict)
    problems: tuple[Diagnostic, ...] = ()

    @property
    def key(self) -> Key:
        return (self.source, self.audience)


@dataclass
class RoundInfo:
    at: float
    seconds: float
    changed: tuple[str, ...]
    built: int
    failed: int
    blocked: bool  # the inputs had errors: nothing was rebuilt


class State:
    """The views, the blocking diagnostics and the version, shared between threads."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self.views: dict[Key, View] = {}
        self.blocking: tuple[Diagnostic, ...] = ()  # a rebuild that could not even start
        self.building = True
        self.last: RoundInfo | None = None
        self.version = 0
        self.closed = False
        self._changed = threading.Condition()

    # -- writers ---------------------------------------------------------------------------

    def seed(self, labels: Mapping[str, str]) -> None:
        """Views of the outputs an earlier build left, shown until the first rebuild:
        audiences in the order of `labels` (name -> label, from the profiles), then others."""
        order = {name: n for n, name in enumerate(labels)}
        found = [_view_from_manifest(p) for p in self.out_dir.glob("*/*.manifest.json")]
        views = sorted(
            (v for v in found if v is not None),
            key=lambda v: (v.source, order.get(v.audience, len(order)), v.audience),
        )
        with self._changed:
            for view in views:
                view.label = labels.get(view.audience, view.audience)
                self.views.setdefault(view.key, view)
            self._bump()

    def begin(self, changed: tuple[Path, ...]) -> None:
        """A rebuild is starting."""
        with self._changed:
            self.building = True
            self._bump()

    def apply(self, round_: Round) -> list[View]:
        """Take in a finished rebuild; return the views it touched (for their slides)."""
        with self._changed:
            self.building = False
            self.last = _round_info(round_)
            if not round_.outcomes:
                # Nothing could be planned: every view keeps its last good outputs.
                self.blocking = round_.diagnostics
                self._bump()
                return []
            self.blocking = ()
            groups: dict[Key, list[Outcome]] = {}
            for outcome in round_.outcomes:
                job = outcome.job
                groups.setdefault((job.document.slug, job.profile.name), []).append(outcome)
            # The plan's own warnings: the outcomes' diagnostics go to their own views.
            rendered = {d for o in round_.outcomes for d in o.diagnostics}
            warnings = [d for d in round_.diagnostics if d.level == "warning" and d not in rendered]
            views = {key: self._updated(key, items, warnings) for key, items in groups.items()}
            self.views = views  # views no longer built (a removed audience) go
            self._bump()
            return list(views.values())

    def bump(self) -> None:
        """Something else the page shows changed (slides arrived)."""
        with self._changed:
            self._bump()

    def close(self) -> None:
        """Wake every event stream so that it ends."""
        with self._changed:
            self.closed = True
            self._changed.notify_all()

    def _bump(self) -> None:
        self.version += 1
        self._changed.notify_all()

    def _updated(self, key: Key, outcomes: list[Outcome], warnings: list[Diagnostic]) -> View:
        job = outcomes[0].job
        old = self.views.get(key)
        theme = job.theme
        view = View(
            source=key[0],
            audience=key[1],
            label=job.profile.label,
            title=job.document.title,
            theme=theme.name,
            source_path=job.document.path,
            font_dirs=theme.fonts.folders(),
            font_files=theme.fonts.files(),
            outputs=dict(old.outputs) if old else {},
        )
        problems: list[Diagnostic] = []
        for o in outcomes:
            fmt = o.job.format
            if o.status != "failed" and o.entry is not None:
                view.outputs[fmt] = Output(fmt, o.job.target, o.entry.sha256)
            problems.extend(o.diagnostics)
        source = job.document.path
        problems.extend(d for d in warnings if d.loc is None or d.loc.path == source)
        view.problems = tuple(dict.fromkeys(problems))
        return view

    # -- readers ---------------------------------------------------------------------------

    def wait(self, after: int, timeout: float) -> int | None:
        """The version once it is past `after` (or after `timeout`); None once closed."""
        with self._changed:
            self._changed.wait_for(lambda: self.closed or self.version > after, timeout)
            return None if self.closed else self.version

    def view(self, key: Key) -> View | None:
        with self._changed:
            return self.views.get(key)

    def first(self) -> Key | None:
        with self._changed:
            return next(iter(self.views), None)

    def snapshot(self, key: Key | None, deck: Callable[[View], dict[str, Any]]) -> dict[str, Any]:
        """Everything the page shows for one view, as JSON data."""
        with self._changed:
            view = self.views.get(key) if key else None
            diagnostics = [*self.blocking, *(view.problems if view else ())]
            return {
                "version": self.version,
                "building": self.building,
                "last": _last_json(self.last),
                "home": _url(next(iter(self.views))) if self.views else None,
                "sources": _sources_json(self.views.values()),
                "view": _view_json(view, deck) if view else None,
                "known": key is None or view is not None,
                "diagnostics": [
                    diagnostic_json(d) for d in sorted(diagnostics, key=Diagnostic.sort_key)
                ],
            }


def diagnostic_json(d: Diagnostic) -> dict[str, Any]:
    """A diagnostic's parts, and its text exactly as the terminal prints it."""
    loc = d.loc
    return {
        "level": d.level,
        "code": d.code,
        "message": d.message,
        "hint": d.hint,
        "where": str(loc) if loc else "",
        "path": display_path(loc.path) if loc else "",
        "line": loc.line if loc else 0,
        "column": loc.column if loc else 0,
        "text": str(d),
    }


def _url(key: Key) -> str:
    return f"/preview/{key[0]}/{key[1]}"


def _sources_json(views: Iterable[View]) -> list[dict[str, Any]]:
    sources: dict[str, dict[str, Any]] = {}
    for v in views:
        entry = sources.setdefault(v.source, {"name": v.source, "title": v.title, "audiences": []})
        entry["audiences"].append({"name": v.audience, "label": v.label, "url": _url(v.key)})
    return list(sources.values())


def _view_json(view: View, deck: Callable[[View], dict[str, Any]]) -> dict[str, Any]:
    files = {
        fmt: {
            "url": f"/output/{view.audience}/{out.path.name}?v={out.sha256[:16]}",
            "name": out.path.name,
            "sha256": out.sha256,
        }
        for fmt, out in sorted(view.outputs.items())
    }
    return {
        "source": view.source,
        "audience": view.audience,
        "label": view.label,
        "title": view.title,
        "theme": view.theme,
        "path": display_path(view.source_path) if view.source_path else "",
        "files": files,
        "deck": deck(view),
    }


def _last_json(last: RoundInfo | None) -> dict[str, Any] | None:
    if last is None:
        return None
    return {
        "at": time.strftime("%H:%M:%S", time.localtime(last.at)),
        "seconds": round(last.seconds, 2),
        "changed": list(last.changed),
        "built": last.built,
        "failed": last.failed,
        "blocked": last.blocked,
    }


def _round_info(round_: Round) -> RoundInfo:
    changed = tuple(display_path(p) for p in round_.changed if p.exists())
    return RoundInfo(
        time.time(),
        round_.seconds,
        changed,
        sum(o.status == "built" for o in round_.outcomes),
        sum(o.status == "failed" for o in round_.outcomes),
        not round_.outcomes and any(d.level == "error" for d in round_.diagnostics),
    )


def _view_from_manifest(path: Path) -> View | None:
    data = manifest.read(path)
    audience, source = data.get("audience"), data.get("source")
    if not isinstance(audience, str) or not isinstance(source, str):
        return None
    if audience != path.parent.name:  # a manifest copied from elsewhere
        return None
    slug = Path(source).stem
    view = View(source=slug, audience=audience, label=audience, title=slug)
    for fmt in data.get("outputs", {}):
        entry = manifest.entry(data, fmt)
        target = path.parent / entry.file if entry else None
        if entry and target and target.is_file() and "/" not in entry.file:
            view.outputs[fmt] = Output(fmt, target, entry.sha256)
    return view if view.outputs else None
