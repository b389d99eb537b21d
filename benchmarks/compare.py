"""twinpress against Pandoc on the same content, in one run: medians of alternating repetitions.

    .venv/bin/pip install -e '.[bench]'      # pypandoc-binary: Pandoc itself
    .venv/bin/python -m benchmarks.compare [--reps 5] [--scale 20] [--bullets 20000]
        [--growth 1,5,20,100] [--only article,bullets,growth] [--timeout 600]
        [--before /other/checkout/.venv/bin/twinpress]

Three parts: the article and the article x20 against Pandoc (every case of a repetition
run back to back, then the next repetition, so the machine's load falls on all alike);
the huge source, one section of 20,000 bullets (about 5 MB), built as a deck, as a PDF and
verified, each as its own command; and the growth table, the deck and the PDF of the
article at 1x, 5x, 20x and 100x, in seconds per slide and per page (the renderer's own
seconds, from the build's summary, so the command's start-up does not flatter the large
sizes) and `verify` of both, in milliseconds per slide and page.

`--before` times another checkout's command too, on this checkout's content, alternating
with this one's in every repetition and size (before and after figures under the same load);
its rows are named "before". A command that outlives `--timeout` (at least 600 s for the
bullets) is stopped and reported as taking more than that.

Every measurement is a whole command as a user runs it (interpreter start-up, imports and
all), timed wall-clock; memory is the peak of the summed resident size of the command's
whole process tree (Pandoc plus the WeasyPrint it starts; twinpress plus its workers),
sampled every 10 ms from /proc. Pandoc gets the very same content: the twinpress markdown
renderer writes the audience's document as Pandoc Markdown (columns as Pandoc divs).
"""

from __future__ import annotations

import argparse
import os
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
BIN = Path(sys.executable).parent
TWINPRESS = str(BIN / "twinpress")
COMMANDS = {"twinpress": TWINPRESS}  # --before adds "before"
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


def measure(
    cmd: list[str], cwd: Path, env: dict | None = None, timeout: float | None = None
) -> tuple[float, int]:
    """Run a command; return (wall seconds, peak tree RSS bytes), seconds infinite if it
    outlived `timeout` (then it and its children are stopped). Fails loudly on error."""
    peak = 0
    started = time.perf_counter()
    process = subprocess.Popen(
        cmd,
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, **(env or {})},
        start_new_session=True,  # its own process group, to stop its workers with it
    )
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, tree_rss(process.pid))
            done.wait(0.01)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        _, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        done.set()
        sampler.join()
        return float("inf"), peak
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    if process.returncode:
        raise SystemExit(f"{' '.join(map(str, cmd))} failed:\n{err.decode(errors='replace')}")
    return seconds, peak


class Project:
    """A scratch copy of the repository's content and themes for one document size: the
    article `scale` times over, or one section of `bullets` bullets."""

    def __init__(self, root: Path, scale: int, bullets: int = 0, markdown: bool = True):
        self.root = root
        shutil.copytree(REPO / "content", root / "content")
        shutil.copytree(REPO / "themes", root / "themes")
        self.source = root / "content" / "rust-vs-go.yaml"
        sys.path.insert(0, str(REPO))
        from benchmarks.generate import bullets_source, scaled_source

        if scale > 1 or bullets:
            self.source.unlink()
            made = bullets_source(bullets, root) if bullets else scaled_source(scale, root)
            made.rename(self.source)
        if bullets:
            self._only_audience()
        self.markdown = self._markdown() if markdown else None

    def _only_audience(self) -> None:
        """Keep only AUDIENCE: the others name sections of the article, which this source
        lacks, so `check` would fail on them."""
        path = self.root / "content" / "audiences.yaml"
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        kept, keeping = [], True
        for line in lines:
            if re.match(r"  [\w-]+:", line):
                keeping = line.strip() == f"{AUDIENCE}:"
            if keeping:
                kept.append(line)
        path.write_text("".join(kept), encoding="utf-8")

    def _markdown(self) -> Path:
        """The audience's document as Pandoc Markdown, from twinpress's own renderer."""
        from pipeline import renderers
        from pipeline.audience import load_profiles, select
        from pipeline.context import BuildContext
        from pipeline.loader import load_document
        from pipeline.project import Project as P
        from pipeline.renderers.markdown.options import Options
        from pipeline.themes import load_theme

        project = P(self.root)
        profile = load_profiles(project.audiences_file)[AUDIENCE]
        document = select(load_document(self.source, project), profile)
        theme = load_theme(profile.theme, project)
        options = Options(columns="pandoc")
        rendered = renderers.get("markdown").render(document, theme, options, BuildContext())
        path = self.root / "pandoc-input.md"
        path.write_bytes(rendered.data)
        return path

    def twinpress(self, *args: str, command: str = TWINPRESS) -> list[str]:
        return [command, "--project", str(self.root), *args]


def pandoc_cmd() -> str:
    try:
        import pypandoc
    except ImportError:
        sys.exit("compare.py: Pandoc comes with pypandoc: pip install -e '.[bench]'")
    return pypandoc.get_pandoc_path()


def watch_edit_latency(project: Project, command: str = TWINPRESS) -> tuple[float, int]:
    """Seconds from saving a one-section edit to deck and PDF both rebuilt, in watch mode."""
    out = project.root / "watch-out"
    process = subprocess.Popen(
        project.twinpress(
            "watch", "-a", AUDIENCE, "-f", "pptx", "-f", "pdf", "--out", str(out), command=command
        ),
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
        pair = ("-f", "pptx", "-f", "pdf", "--out", str(out))
        every = ("-f", "pptx", "-f", "pdf", "-f", "html", "-f", "markdown", "--out", str(out))
        cases = {}
        for who, command in COMMANDS.items():
            cases |= {
                f"{who}: one audience, deck + PDF": (
                    project.twinpress("build", "-a", AUDIENCE, "--force", *pair, command=command),
                    {},
                ),
                f"{who}: every audience, every format": (
                    project.twinpress("build", "--force", *every, command=command),
                    {},
                ),
                f"{who}: no-change rebuild": (
                    project.twinpress("build", *every, command=command),
                    {},
                ),
            }
        cases |= {
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
            for who, command in COMMANDS.items() if scale == 1 else ():
                rows.setdefault(f"{who}: one-section edit, watch mode", []).append(
                    watch_edit_latency(project, command)
                )
            print(f"  repetition {rep + 1}/{reps} done", file=sys.stderr)
    return [
        (name, statistics.median(t for t, _ in v), max(m for _, m in v)) for name, v in rows.items()
    ]


_BUILT = re.compile(r"(\d+) (slides|pages)\s+[\d.]+ [KMG]?B\s+([\d.]+)\s+built")
INF = float("inf")


def render_seconds(cmd: list[str], cwd: Path, timeout: float) -> tuple[float, int, float]:
    """Run a one-output build: (its render seconds, its slides or pages, command seconds),
    everything infinite and no units if it outlived `timeout`."""
    started = time.perf_counter()
    try:
        out = subprocess.run(
            cmd, cwd=cwd, capture_output=True, text=True, check=False, timeout=timeout
        )
    except subprocess.TimeoutExpired:
        return INF, 0, INF
    seconds = time.perf_counter() - started
    match = _BUILT.search(out.stdout)
    if out.returncode or not match:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{out.stdout}\n{out.stderr}")
    return float(match[3]), int(match[1]), seconds


def huge(count: int, timeout: float) -> list[tuple[str, float, int]]:
    """The one-section source of `count` bullets: check, deck, PDF, then verify of both."""
    rows = []
    with tempfile.TemporaryDirectory(prefix="twinpress-compare-") as tmp:
        project = Project(Path(tmp) / "bullets", 1, bullets=count, markdown=False)
        out = str(Path(tmp) / "out")
        build = ("build", "-a", AUDIENCE, "--force", "--out", out)
        for name, cmd in (
            ("check", project.twinpress("check")),
            ("deck (.pptx)", project.twinpress(*build, "-f", "pptx")),
            ("PDF", project.twinpress(*build, "-f", "pdf")),
            (
                "verify deck and PDF",
                project.twinpress(
                    "verify", "-a", AUDIENCE, "-f", "pptx", "-f", "pdf", "--out", out
                ),
            ),
        ):
            if name.startswith("verify") and INF in (seconds for _, seconds, _ in rows):
                rows.append((name, float("nan"), 0))  # an output is missing: nothing to verify
                continue
            seconds, peak = measure(cmd, project.root, timeout=timeout)
            rows.append((name, seconds, peak))
            print(f"  {count} bullets: {name} done", file=sys.stderr)
    return rows


Growth = tuple[str, int, int, float, int, float, float, float]


def growth(scales: list[int], timeout: float) -> list[Growth]:
    """Deck and PDF of the article at each scale, then verify of both, by each command:
    (command, scale, slides, deck render s, pages, PDF render s, verify s, the three
    commands' s)."""
    rows = []
    with tempfile.TemporaryDirectory(prefix="twinpress-compare-") as tmp:
        for scale in scales:
            project = Project(Path(tmp) / f"x{scale}", scale, markdown=False)
            for who, command in COMMANDS.items():
                rows.append((who, scale, *_grown(project, Path(tmp) / who, command, timeout)))
                print(f"  growth x{scale} ({who}) done", file=sys.stderr)
    return rows


def _grown(
    project: Project, out: Path, command: str, timeout: float
) -> tuple[int, float, int, float, float, float]:
    build = ("build", "-a", AUDIENCE, "--force", "--out", str(out))
    deck_s, slides, deck_cmd = render_seconds(
        project.twinpress(*build, "-f", "pptx", command=command), project.root, timeout
    )
    pdf_s, pages, pdf_cmd = render_seconds(
        project.twinpress(*build, "-f", "pdf", command=command), project.root, timeout
    )
    verify = ("verify", "-a", AUDIENCE, "-f", "pptx", "-f", "pdf", "--out", str(out))
    built = slides and pages  # else an output timed out: nothing to verify
    cmd = project.twinpress(*verify, command=command)
    verify_s = measure(cmd, project.root, timeout=timeout)[0] if built else INF
    return slides, deck_s, pages, pdf_s, verify_s, deck_cmd + pdf_cmd + verify_s


def _s(seconds: float, timeout: float, digits: int = 1) -> str:
    if seconds != seconds:  # NaN: not run
        return "not run"
    return f"> {timeout:.0f}" if seconds == INF else f"{seconds:.{digits}f}"


def report_huge(count: int, rows: list[tuple[str, float, int]], timeout: float) -> None:
    print(f"\n## One section of {count:,} bullets")
    print("| command | seconds | peak MB |")
    print("|---|---:|---:|")
    for name, seconds, peak in rows:
        print(f"| {name} | {_s(seconds, timeout)} | {peak / 2**20:.0f} |")


def report_growth(rows: list[Growth], timeout: float) -> None:
    print("\n## Growth: the article 1x to 100x (render ms per slide and per page)")
    print(
        "| size | twinpress | slides | deck s | ms/slide | pages | PDF s | ms/page | verify s |"
        " verify ms/unit | commands s |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for who, scale, slides, deck_s, pages, pdf_s, verify_s, total in rows:
        per_slide = _s(1000 * deck_s / slides, timeout) if slides else f"> {timeout:.0f}"
        per_page = _s(1000 * pdf_s / pages, timeout) if pages else f"> {timeout:.0f}"
        units = slides + pages
        per_unit = _s(1000 * verify_s / units, timeout) if units else f"> {timeout:.0f}"
        print(
            f"| x{scale} | {who} | {slides} | {_s(deck_s, timeout, 2)} | {per_slide} | {pages} | "
            f"{_s(pdf_s, timeout, 2)} | {per_page} | {_s(verify_s, timeout, 2)} | {per_unit} | "
            f"{_s(total, timeout)} |"
        )


def report(scale: int, rows: list[tuple[str, float, int]]) -> None:
    values = {name: (t, m) for name, t, m in rows}
    pandoc_pair = values["pandoc: .pptx"][0] + values["pandoc: PDF via WeasyPrint"][0]
    print(f"\n## The article x{scale}" if scale > 1 else "\n## The article")
    print(f"| case | median s | peak MB | vs Pandoc .pptx + PDF ({pandoc_pair:.2f} s) |")
    print("|---|---:|---:|---:|")
    for name, seconds, peak in rows:
        ratio = f"{seconds / pandoc_pair:.2f}" if not name.startswith("pandoc") else ""
        print(f"| {name} | {seconds:.2f} | {peak / 2**20:.0f} | {ratio} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--scale", type=int, default=20, help="the long document's factor")
    parser.add_argument("--bullets", type=int, default=20000, help="the huge source's bullets")
    parser.add_argument("--growth", default="1,5,20,100", help="article sizes for the growth table")
    parser.add_argument("--only", default="article,bullets,growth", help="parts to run")
    parser.add_argument("--timeout", type=float, default=600, help="seconds before a command stops")
    parser.add_argument("--before", help="another checkout's twinpress command, timed alongside")
    args = parser.parse_args()
    if args.before:
        COMMANDS["before"] = args.before
    parts = set(args.only.split(","))
    print(
        f"twinpress vs Pandoc: {args.reps} alternating repetitions, medians; {os.cpu_count()} CPUs;"
        f" {', '.join(f'{who}: {command}' for who, command in COMMANDS.items())}"
    )
    if "article" in parts:
        for scale in (1, args.scale):
            report(scale, run(args.reps, scale))
    if "bullets" in parts:
        limit = max(args.timeout, 600)  # the bound for a build that never ends
        report_huge(args.bullets, huge(args.bullets, limit), limit)
    if "growth" in parts:
        scales = [int(n) for n in args.growth.split(",")]
        report_growth(growth(scales, args.timeout), args.timeout)


if __name__ == "__main__":
    main()
