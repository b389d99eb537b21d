"""twinpress against Pandoc on the same content, in one run: medians of alternating repetitions.

    .venv/bin/pip install -e '.[bench]'      # pypandoc-binary: Pandoc itself
    .venv/bin/python -m benchmarks.compare [--reps 5] [--scale 20]

Every measurement is a whole command as a user runs it (interpreter start-up, imports and
all), timed wall-clock; memory is the peak of the summed resident size of the command's
whole process tree (Pandoc plus the WeasyPrint it starts; twinpress plus its workers),
sampled every 10 ms from /proc. Pandoc gets the very same content: the twinpress markdown
renderer writes the audience's document as Pandoc Markdown (columns as Pandoc divs).
"""

from __future__ import annotations

import argparse
import os
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
BIN = Path(sys.executable).parent
AUDIENCE = "tech-leaders"


def tree_rss(root: int) -> int:
    """Summed VmRSS (bytes) of `root` and all its descendants."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    parents[int(entry)] = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                pass
    family, frontier = {root}, [root]
    while frontier:
        pid = frontier.pop()
        for child, parent in parents.items():
            if parent == pid and child not in family:
                family.add(child)
                frontier.append(child)
    total = 0
    for pid in family:
        try:
            with open(f"/proc/{pid}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1]) * 1024
        except OSError:
            pass
    return total


def measure(cmd: list[str], cwd: Path, env: dict | None = None) -> tuple[float, int]:
    """Run a command; return (wall seconds, peak tree RSS bytes). Fails loudly on error."""
    peak = 0
    started = time.perf_counter()
    process = subprocess.Popen(
        cmd,
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, **(env or {})},
    )
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, tree_rss(process.pid))
            done.wait(0.01)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = process.communicate()
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    if process.returncode:
        raise SystemExit(f"{' '.join(map(str, cmd))} failed:\n{err.decode(errors='replace')}")
    return seconds, peak


class Project:
    """A scratch copy of the repository's content and themes for one document size."""

    def __init__(self, root: Path, scale: int):
        self.root = root
        shutil.copytree(REPO / "content", root / "content")
        shutil.copytree(REPO / "themes", root / "themes")
        if scale > 1:
            sys.path.insert(0, str(REPO))
            from benchmarks.generate import scaled_source

            (root / "content" / "rust-vs-go.yaml").unlink()
            scaled_source(scale, root / "content").rename(root / "content" / "rust-vs-go.yaml")
        self.source = root / "content" / "rust-vs-go.yaml"
        self.markdown = self._markdown()

    def _markdown(self) -> Path:
        """The audience's document as Pandoc Markdown, from twinpress's own renderer."""
        from pipeline.audience import load_profiles, select
        from pipeline.loader import load_document
        from pipeline.project import Project as P
        from pipeline.renderers import markdown

        project = P(self.root)
        profile = load_profiles(project.audiences_file)[AUDIENCE]
        document = select(load_document(self.source, project), profile)
        path = self.root / "pandoc-input.md"
        path.write_bytes(markdown.render(document, None, markdown.Options(columns="pandoc")))
        return path

    def twinpress(self, *args: str) -> list[str]:
        return [str(BIN / "twinpress"), "--project", str(self.root), *args]


def pandoc_cmd() -> str:
    import pypandoc

    return pypandoc.get_pandoc_path()


def watch_edit_latency(project: Project) -> tuple[float, int]:
    """Seconds from saving a one-section edit to deck and PDF both rebuilt, in watch mode."""
    out = project.root / "watch-out"
    process = subprocess.Popen(
        project.twinpress("watch", "-a", AUDIENCE, "-f", "pptx", "-f", "pdf", "--out", str(out)),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    peak = 0
    try:
        _wait_line(process, "watching")
        deck = out / AUDIENCE / "rust-vs-go.pptx"
        pdf = out / AUDIENCE / "rust-vs-go.pdf"
        before = (deck.stat().st_mtime_ns, pdf.stat().st_mtime_ns)
        text = project.source.read_text()
        marker = "Concurrency is essential for scaling modern backend applications."
        edited = text.replace(marker, marker.replace("essential", "vital"), 1)
        started = time.perf_counter()
        project.source.write_text(edited)
        _wait_line(process, "rebuilt")
        seconds = time.perf_counter() - started
        peak = tree_rss(process.pid)
        after = (deck.stat().st_mtime_ns, pdf.stat().st_mtime_ns)
        assert after[0] != before[0] and after[1] != before[1], "watch did not rebuild both"
        project.source.write_text(text)
        _wait_line(process, "rebuilt")
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(20)
    return seconds, peak


def _wait_line(process: subprocess.Popen, fragment: str, timeout: float = 120) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if fragment in line:
            return line
        if not line and process.poll() is not None:
            break
    raise SystemExit(f"watch never printed {fragment!r}")


def run(reps: int, scale: int) -> list[tuple[str, float, int]]:
    rows: dict[str, list[tuple[float, int]]] = {}
    with tempfile.TemporaryDirectory(prefix="twinpress-compare-") as tmp:
        project = Project(Path(tmp) / f"x{scale}", scale)
        out = Path(tmp) / "out"
        pandoc = pandoc_cmd()
        env = {"PATH": f"{BIN}:{os.environ.get('PATH', '')}"}  # weasyprint for --pdf-engine
        cases = {
            "twinpress: one audience, deck + PDF": (
                project.twinpress(
                    "build", "-a", AUDIENCE, "-f", "pptx", "-f", "pdf", "--force", "--out", str(out)
                ),
                {},
            ),
            "twinpress: every audience, every format": (
                project.twinpress(
                    "build",
                    "-f",
                    "pptx",
                    "-f",
                    "pdf",
                    "-f",
                    "html",
                    "-f",
                    "markdown",
                    "--force",
                    "--out",
                    str(out),
                ),
                {},
            ),
            "twinpress: no-change rebuild": (
                project.twinpress(
                    "build",
                    "-f",
                    "pptx",
                    "-f",
                    "pdf",
                    "-f",
                    "html",
                    "-f",
                    "markdown",
                    "--out",
                    str(out),
                ),
                {},
            ),
            "pandoc: .pptx": ([pandoc, str(project.markdown), "-o", str(out / "p.pptx")], {}),
            "pandoc: PDF via WeasyPrint": (
                [
                    pandoc,
                    str(project.markdown),
                    "-s",
                    "-o",
                    str(out / "p.pdf"),
                    "--pdf-engine=weasyprint",
                    "--metadata",
                    "title=Rust vs. Go",
                ],
                env,
            ),
        }
        out.mkdir()
        for rep in range(reps):
            for name, (cmd, extra) in cases.items():
                rows.setdefault(name, []).append(measure(cmd, project.root, extra))
            if scale == 1:
                rows.setdefault("twinpress: one-section edit, watch mode", []).append(
                    watch_edit_latency(project)
                )
            print(f"  repetition {rep + 1}/{reps} done", file=sys.stderr)
    return [
        (name, statistics.median(t for t, _ in v), max(m for _, m in v)) for name, v in rows.items()
    ]


def report(scale: int, rows: list[tuple[str, float, int]]) -> None:
    values = {name: (t, m) for name, t, m in rows}
    pandoc_pair = values["pandoc: .pptx"][0] + values["pandoc: PDF via WeasyPrint"][0]
    print(f"\n## The article x{scale}" if scale > 1 else "\n## The article")
    print(f"| case | median s | peak MB | vs Pandoc .pptx + PDF ({pandoc_pair:.2f} s) |")
    print("|---|---:|---:|---:|")
    for name, seconds, peak in rows:
        ratio = f"{seconds / pandoc_pair:.2f}" if name.startswith("twinpress") else ""
        print(f"| {name} | {seconds:.2f} | {peak / 2**20:.0f} | {ratio} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--scale", type=int, default=20, help="the long document's factor")
    args = parser.parse_args()
    print(
        f"twinpress vs Pandoc: {args.reps} alternating repetitions, medians; {os.cpu_count()} CPUs"
    )
    for scale in (1, args.scale):
        report(scale, run(args.reps, scale))


if __name__ == "__main__":
    main()
