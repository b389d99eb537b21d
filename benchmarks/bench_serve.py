"""`twinpress serve`: seconds from saving a section title to seeing it in an open page.

    .venv/bin/python -m benchmarks.bench_serve [--reps 3] [-a AUDIENCE]...

Runs the real command on a copy of the repository's project, opens the page in headless
Chromium (Debian's, driven by Playwright, as the tests do), then saves a new title for the
'performance' section `--reps` times and prints, per save: the rebuild's own seconds (as
the terminal reports them), the seconds until the new title is in the page's briefing, and
until the slide images with it (LibreOffice) are in the page. Medians at the end.
"""

from __future__ import annotations

import argparse
import os
import queue
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TITLE = 'title: "Performance: Speed vs. Efficiency"'
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
ARGS += ["--disable-component-update", "--disable-sync", "--no-first-run"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("-a", "--audience", action="append", default=[])
    args = parser.parse_args()
    audiences = args.audience or ["tech-leaders"]
    with tempfile.TemporaryDirectory(prefix="twinpress-bench-serve-") as tmp:
        root = Path(tmp)
        shutil.copytree(REPO / "content", root / "content")
        shutil.copytree(REPO / "themes", root / "themes")
        options = [a for name in audiences for a in ("-a", name)]
        env = {**os.environ, "NO_COLOR": "1", "TWINPRESS_CACHE": str(root / "cache")}
        command = [sys.executable, "-m", "pipeline", "serve", "--port", "0", *options]
        server = subprocess.Popen(
            command, cwd=root, text=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env
        )
        lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=lambda: [lines.put(x) for x in server.stdout], daemon=True).start()
        try:
            url = re.search(r"http://\S+/", wait(lines, "serving http://")).group(0)
            rows = measure(url, root, audiences[0], args.reps, lines)
        finally:
            server.send_signal(signal.SIGINT)
            server.wait(30)
    print(f"audiences: {', '.join(audiences)}")
    print(f"{'save':>4}  {'rebuild s':>9}  {'page s':>7}  {'slides s':>8}")
    for n, (rebuild, page, slides) in enumerate(rows, 1):
        print(f"{n:>4}  {rebuild:>9.2f}  {page:>7.2f}  {slides:>8.2f}")
    medians = [statistics.median(col) for col in zip(*rows)]
    print(f"{'med':>4}  {medians[0]:>9.2f}  {medians[1]:>7.2f}  {medians[2]:>8.2f}")


def measure(url: str, root: Path, audience: str, reps: int, lines) -> list[tuple[float, ...]]:
    from playwright.sync_api import sync_playwright

    source = root / "content" / "rust-vs-go.yaml"
    rows = []
    with tempfile.TemporaryDirectory() as profile, sync_playwright() as playwright:
        browser = playwright.chromium.launch_persistent_context(
            profile, executable_path="/usr/bin/chromium", headless=True, args=ARGS
        )
        page = browser.new_page()
        page.goto(f"{url}preview/rust-vs-go/{audience}")
        frame = page.frame_locator("#frames iframe.current")
        frame.locator("#s-performance_title").wait_for(timeout=120_000)
        wait_slides(page, "Performance: Speed vs. Efficiency")
        previous = TITLE
        for n in range(1, reps + 1):
            text = f"Performance, take {n}"
            new = f'title: "{text}"'
            saved = time.monotonic()
            source.write_text(source.read_text().replace(previous, new))
            previous = new
            frame.locator("#s-performance_title", has_text=text).wait_for(timeout=120_000)
            page_seconds = time.monotonic() - saved
            wait_slides(page, text)
            slides_seconds = time.monotonic() - saved
            rebuilt = wait(lines, "rust-vs-go.yaml: rebuilt")
            seconds = float(re.search(r" in ([\d.]+) s", rebuilt).group(1))
            rows.append((seconds, page_seconds, slides_seconds))
        browser.close()
    return rows


def wait_slides(page, title: str) -> None:
    page.wait_for_function(
        "t => [...document.querySelectorAll('#slides img')].some(i => i.alt.includes(t))",
        arg=title,
        timeout=300_000,
    )


def wait(lines, fragment: str, timeout: float = 300) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=0.5)
        except queue.Empty:
            continue
        if fragment in line:
            return line
    raise SystemExit(f"no line with {fragment!r} in {timeout} s")


if __name__ == "__main__":
    main()
