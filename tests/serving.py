"""Helpers for the `twinpress serve` tests: the real command in a subprocess, its output read
line by line, its state fetched over HTTP, and a headless Chromium driven by Playwright."""

from __future__ import annotations

import json
import os
import queue
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


class Served:
    """`twinpress serve --port 0` in a subprocess; `url` once it listens."""

    def __init__(
        self, root: Path, *args: str, env: dict[str, str] | None = None, session: bool = False
    ):
        """`session`: in a process group of its own, which `stop(group=True)` signals whole."""
        self.process = subprocess.Popen(
            [sys.executable, "-m", "pipeline", "serve", "--port", "0", *args],
            cwd=root,
            text=True,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            env={**os.environ, "NO_COLOR": "1", **(env or {})},
            start_new_session=session,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        self.reader = threading.Thread(target=self._pump, daemon=True)
        self.reader.start()
        line = self.wait_for("serving http://")
        found = re.search(r"http://[^/\s]+/", line)
        assert found, line
        self.url = found.group(0)

    def _pump(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))

    def wait_for(self, fragment: str, timeout: float = 120) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.2)
            except queue.Empty:
                if self.process.poll() is not None and self.lines.empty():
                    break
                continue
            self.seen.append(line)
            if fragment in line:
                return line
        raise AssertionError(f"no line with {fragment!r}; saw:\n" + "\n".join(self.seen))

    def get(self, path: str) -> bytes:
        with urllib.request.urlopen(self.url.rstrip("/") + path, timeout=30) as answer:
            return answer.read()

    def state(self, source: str = "", audience: str = "") -> dict:
        query = f"?source={source}&audience={audience}" if source else ""
        return json.loads(self.get(f"/api/state{query}"))

    def wait_state(self, test, source: str, audience: str, timeout: float = 120) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            state = self.state(source, audience)
            if test(state):
                return state
            time.sleep(0.2)
        raise AssertionError(f"state never matched; last: {json.dumps(state)[:2000]}")

    def stop(self, sig: int = signal.SIGINT, group: bool = False) -> int:
        """Signal the server (with `group`, every process of its session, as systemd and
        `pkill -f` do) and wait for it to end."""
        if group:
            os.killpg(self.process.pid, sig)
        else:
            self.process.send_signal(sig)
        try:
            return self.process.wait(30)
        finally:
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait(5)
            self.reader.join(5)
            assert self.process.stdout is not None
            self.process.stdout.close()
            while not self.lines.empty():
                self.seen.append(self.lines.get())


def edit(path: Path, old: str, new: str) -> None:
    """Save an edit of the first `old`, as an editor would (the fixture's files are hard
    links: replace the file)."""
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.unlink()
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@contextmanager
def chromium(viewport=(1440, 900)):
    """A fresh headless Chromium (Debian's) with a private profile; yields the context."""
    from playwright.sync_api import sync_playwright

    with (
        tempfile.TemporaryDirectory(prefix="twinpress-chromium-") as profile,
        sync_playwright() as playwright,
    ):
        context = playwright.chromium.launch_persistent_context(
            profile,
            executable_path=CHROMIUM,
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": viewport[0], "height": viewport[1]},
            accept_downloads=True,
        )
        try:
            yield context
        finally:
            context.close()
