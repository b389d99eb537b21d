"""Benchmark the pdf (and html) briefing: render time, pages per second and peak memory.

    .venv/bin/python -m benchmarks.bench_pdf            # the article and a 20x document
    .venv/bin/python -m benchmarks.bench_pdf --times 20 --repeat 3

Each case runs in a fresh process, so "cold" includes importing WeasyPrint and loading the
theme's fonts, "warm" is the median of the later renders in that process (what a warm
worker pays), and the peak memory is that process's maximum resident set size. The warm
render is split into its phases: Jinja2 HTML, WeasyPrint layout, and PDF writing.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--times", type=int, default=20, help="length of the long document")
    parser.add_argument("--repeat", type=int, default=3, help="renders per case (>= 2)")
    parser.add_argument("--case", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.case:
        print(json.dumps(_measure(json.loads(args.case), max(2, args.repeat))))
        return
    with tempfile.TemporaryDirectory(prefix="twinpress-bench-") as folder:
        from benchmarks.generate import scaled_source

        long_source = str(scaled_source(args.times, Path(folder)))
        cases = [
            {"name": "article, tech-leaders", "source": None, "audience": "tech-leaders"},
            {"name": "article, engineers", "source": None, "audience": "engineers"},
            {"name": "article, executives", "source": None, "audience": "executives"},
            {
                "name": f"article x{args.times}, tech-leaders",
                "source": long_source,
                "audience": "tech-leaders",
            },
        ]
        rows = [_run(case, args.repeat) for case in cases]
        rows.append(
            _run(
                {**cases[0], "name": "article, tech-leaders (html)", "format": "html"}, args.repeat
            )
        )
    _print(rows)


def _run(case: dict, repeat: int) -> dict:
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks.bench_pdf",
            "--case",
            json.dumps(case),
            "--repeat",
            str(repeat),
        ],
        cwd=REPO,
        check=True,
        capture_output=True,
        text=True,
    )
    return {**case, **json.loads(out.stdout.strip().splitlines()[-1])}


def _measure(case: dict, repeat: int) -> dict:
    started = time.perf_counter()
    from pipeline import collector, renderers
    from pipeline.audience import load_profiles, select
    from pipeline.context import BuildContext
    from pipeline.loader import load_document
    from pipeline.project import Project
    from pipeline.themes import load_theme

    collector.tune()  # as the command line and its workers do
    project = Project(REPO)
    source = Path(case["source"]) if case.get("source") else REPO / "content" / "rust-vs-go.yaml"
    profile = load_profiles(project.audiences_file)[case["audience"]]
    document = select(load_document(source, project), profile)
    theme = load_theme(profile.theme, project)
    fmt = case.get("format", "pdf")
    options = profile.options_for(fmt)
    phases = _instrument() if fmt == "pdf" else None  # before the first render: cold too
    times, cpu, units, size = [], [], 0, 0
    for _ in range(repeat):
        if phases:
            phases.clear()
        t, c = time.perf_counter(), time.process_time()
        result = renderers.get(fmt).render(document, theme, options, BuildContext())
        times.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
        units, size = result.units, len(result.data)
    cold = times[0] + (time.perf_counter() - started - sum(times))  # + imports and loading
    warm = statistics.median(times[1:])
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "cold": cold,
        "warm": warm,
        "warm_cpu": statistics.median(cpu[1:]),
        "pages": units,
        "bytes": size,
        "peak_mb": peak_mb,
        "phases": dict(phases or {}),
    }


def _instrument() -> dict:
    """Time the phases of a render by wrapping the functions that run them."""
    import weasyprint
    from weasyprint.document import Document

    from pipeline.renderers.briefing import compose

    phases: dict[str, float] = {}

    def timed(name, fn):
        def wrapper(*args, **kwargs):
            t = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                phases[name] = phases.get(name, 0.0) + time.perf_counter() - t

        return wrapper

    compose.render_html = timed("html", compose.render_html)
    weasyprint.HTML.render = timed("layout", weasyprint.HTML.render)
    Document.write_pdf = timed("write", Document.write_pdf)
    return phases


def _print(rows: list[dict]) -> None:
    head = (
        f"{'case':34} {'pages':>5} {'size':>8} {'cold s':>7} {'warm s':>7} {'cpu s':>6} "
        f"{'pages/s':>8} {'peak MB':>8}   warm phases (html / layout / write)"
    )
    print(head)
    print("-" * len(head))
    for r in rows:
        rate = f"{r['pages'] / r['warm']:8.1f}" if r["pages"] else f"{'-':>8}"
        ph = r["phases"]
        phases = f"{ph['html']:.2f} / {ph['layout']:.2f} / {ph['write']:.2f} s" if ph else ""
        print(
            f"{r['name']:34} {r['pages'] or '-':>5} {r['bytes'] / 1024:6.0f}KB "
            f"{r['cold']:7.2f} {r['warm']:7.2f} {r['warm_cpu']:6.2f} {rate} "
            f"{r['peak_mb']:8.0f}   {phases}"
        )
    print(
        "\ncold: first render in a fresh process, imports and loading included; warm: median "
        "of the later renders (wall clock; cpu s is the same in CPU time, which other load "
        "on the machine does not inflate); pages/s = pages / warm."
    )


if __name__ == "__main__":
    main()
