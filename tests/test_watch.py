"""`twinpress watch` as a user runs it: edits rebuild, errors are reported, watching goes on."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time

import pytest


class Watcher:
    """The watch command in a subprocess, its output readable line by line with timeouts."""

    def __init__(self, project, *args: str):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "pipeline", "watch", *args],
            cwd=project.root,
            text=True,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            env={**os.environ, "NO_COLOR": "1"},
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        self.reader = threading.Thread(target=self._pump, daemon=True)
        self.reader.start()

    def _pump(self) -> None:
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))

    def wait_for(self, fragment: str, timeout: float = 60) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.2)
            except queue.Empty:
                continue
            self.seen.append(line)
            if fragment in line:
                return line
        raise AssertionError(
            f"no line with {fragment!r} in {timeout} s; saw:\n" + "\n".join(self.seen)
        )

    def stop(self, sig: int = signal.SIGINT) -> int:
        self.process.send_signal(sig)
        try:
            return self.process.wait(20)
        finally:
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait(5)
            self.reader.join(5)
            self.process.stdout.close()
            while not self.lines.empty():
                self.seen.append(self.lines.get())


def edit(path, old: str, new: str) -> None:
    text = path.read_text().replace(old, new)
    path.unlink()  # the fixture's files are hard links to a shared template
    path.write_text(text)


@pytest.fixture
def watcher(project):
    w = Watcher(project, "-f", "markdown", "-j", "2")
    yield w
    if w.process.poll() is None:
        w.stop()


def test_watch_rebuilds_edits_and_survives_errors(project, watcher):
    source = project.content / "rust-vs-go.yaml"
    watcher.wait_for("rebuilt output/tech-leaders/rust-vs-go.md")
    watcher.wait_for("watching content and themes")

    edit(source, "Before diving into technical comparisons", "Before diving into details")
    line = watcher.wait_for(": rebuilt")
    assert "output/tech-leaders/rust-vs-go.md" in line and "executives" not in line
    assert (
        "Before diving into details" in (project.output / "tech-leaders/rust-vs-go.md").read_text()
    )

    edit(source, 'title: "Rust vs. Go', "title: [broken")
    watcher.wait_for("[yaml.syntax]")
    watcher.wait_for("not rebuilt, fix the errors above")

    edit(source, "title: [broken", 'title: "Rust vs. Go')
    watcher.wait_for("nothing to rebuild")

    edit(project.themes / "base" / "theme.yaml", "footer: ", "footer: ")  # touch a theme
    (project.themes / "corporate" / "note.txt").write_text("a new theme file")
    line = watcher.wait_for(": rebuilt")
    assert "output/tech-leaders/rust-vs-go.md" in line  # corporate is tech-leaders' theme

    assert watcher.stop() == 0
    assert watcher.seen[-1] == "stopped"


def test_watch_stopped_by_sigterm_closes_its_workers_and_exits_cleanly(project, watcher):
    """`kill`, systemd and container runtimes stop with SIGTERM: the same clean stop as
    Ctrl-C (workers closed, "stopped", exit 0), not a death by signal."""
    watcher.wait_for("watching content and themes")
    assert watcher.stop(signal.SIGTERM) == 0
    assert watcher.seen[-1] == "stopped"
    assert not any("Traceback" in line for line in watcher.seen)


def test_watch_starting_on_fresh_outputs_warms_its_workers_without_writing(project):
    """With nothing to rebuild at start, watch renders once in memory (so the first edit
    is as fast as the later ones) and leaves every output file as it was."""
    subprocess.run(
        [sys.executable, "-m", "pipeline", "build", "-f", "markdown"],
        cwd=project.root,
        check=True,
        capture_output=True,
    )
    outputs = sorted(project.output.rglob("*.md")) + sorted(project.output.rglob("*.json"))
    before = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in outputs}
    w = Watcher(project, "-f", "markdown", "-j", "2")
    try:
        w.wait_for("nothing to rebuild")
        w.wait_for("watching content and themes")
        assert {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in outputs} == before
        assert not [p for p in project.output.rglob("*") if ".tmp" in p.name]
    finally:
        assert w.stop() == 0
