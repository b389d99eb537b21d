"""`twinpress batch` at size: N personalised briefings of the article, per engine.

    .venv/bin/python -m benchmarks.batch                 # 1,000 briefings per case
    .venv/bin/python -m benchmarks.batch --count 200 --before-count 40

Cases, each a fresh batch into its own folder (tech-leaders, PDF):
- `warm single render`: one full render in a warm process (the rate before batches);
- `local, 1 worker, full layouts`: the batch with the shared layouts switched off (every
  copy laid out and drawn in full: what item 6 improves on), on `--before-count` rows;
- `local` with 1 and 2 workers, and `dask` (a LocalCluster) with 1 and 2 workers.

Figures: total seconds, briefings/s, pages/s per core, the peak summed resident memory of
the whole process tree (this process, its workers, the dask scheduler and nannies; sampled
every 50 ms from /proc), the memory after the first and the last tenth of the batch (flat
memory means a pool that does not grow), the scaling from one to two workers, and a
projection for 10,000 briefings on 16 and 64 cores from the measured per-core rate.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.compare import tree_rss

REPO = Path(__file__).resolve().parent.parent
AUDIENCE = "tech-leaders"
FIRST = ["Dana", "Li", "Seán", "Zoë", "Ali", "Grace", "Kwame", "Ines", "Oskar", "Mei"]
LAST = ["Kim", "Wei", "O'Brien", "Quinn-Ávila", "Özdemir", "Hopper", "Mensah", "Duarte"]
ORGS = ["Northwind", "Contoso", "Fabrikam, Inc.", "Wide World Importers", "Tailspin Toys"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000, help="briefings per case")
    parser.add_argument("--before-count", type=int, default=0, help="rows of the full-layout case")
    parser.add_argument("--cases", default="before,local1,local2,dask1,dask2")
    args = parser.parse_args()
    before_count = args.before_count or min(args.count, 100)
    cases = args.cases.split(",")
    with tempfile.TemporaryDirectory(prefix="twinpress-batch-") as folder:
        root = Path(folder)
        shutil.copytree(REPO / "content", root / "content")
        shutil.copytree(REPO / "themes", root / "themes")
        rows = {"main": _people(root, args.count), "before": _people(root, before_count)}
        single = _warm_single(root)
        print(f"warm single render: {single:.3f} s ({1 / single:.2f} briefings/s per core)")
        results = []
        for case in cases:
            engine = "dask" if case.startswith("dask") else "local"
            workers = 1 if case in ("before", "local1", "dask1") else 2
            people = rows["before"] if case == "before" else rows["main"]
            results.append(_run(root, case, engine, workers, people))
        _print(results, single)


def _people(root: Path, count: int) -> Path:
    lines = ["id,name,organisation,email"]
    for n in range(count):
        name = f"{FIRST[n % len(FIRST)]} {LAST[(n // len(FIRST)) % len(LAST)]} {n}"
        lines.append(f'r{n:05d},{name},"{ORGS[n % len(ORGS)]}",p{n}@example.com')
    path = root / f"people-{count}.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _warm_single(root: Path) -> float:
    """Median of warm full renders of the tech-leaders briefing, in this process."""
    from pipeline import renderers
    from pipeline.audience import load_profiles, select
    from pipeline.context import BuildContext
    from pipeline.loader import load_document
    from pipeline.project import Project
    from pipeline.themes import load_theme

    project = Project(root)
    profile = load_profiles(project.audiences_file)[AUDIENCE]
    document = select(load_document(root / "content" / "rust-vs-go.yaml", project), profile)
    theme = load_theme(profile.theme, project)
    renderer, options = renderers.get("pdf"), profile.options_for("pdf")
    times = []
    for _ in range(6):
        started = time.perf_counter()
        renderer.render(document, theme, options, BuildContext())
        times.append(time.perf_counter() - started)
    return statistics.median(times[1:])


def _run(root: Path, case: str, engine: str, workers: int, people: Path) -> dict[str, Any]:
    from pipeline.batch.engines import make_engine
    from pipeline.batch.plan import Request, plan
    from pipeline.batch.run import run
    from pipeline.project import Project

    out = root / f"out-{case}"
    batch = plan(
        Project(root),
        Request(root / "content" / "rust-vs-go.yaml", people, AUDIENCE, ("pdf",), out),
    )
    restore = _full_layouts() if case == "before" else (lambda: None)
    samples: list[int] = []
    marks: list[int] = []  # the tree's memory after the first and after the last tenth
    done = threading.Event()
    sampler = threading.Thread(target=_sample, args=(samples, done), daemon=True)
    count = len(batch.items)
    finished = [0]

    def progress(record: Any) -> None:
        finished[0] += 1
        if finished[0] in (max(1, count // 10), count):
            marks.append(tree_rss(os.getpid()))

    sampler.start()
    started = time.perf_counter()
    try:
        report = run(batch, lambda: make_engine(engine, workers, ("pdf",), None), progress=progress)
    finally:
        restore()
        done.set()
        sampler.join()
    seconds = time.perf_counter() - started
    assert report.count("failed") == 0, report.diagnostics[:3]
    return {
        "case": case,
        "engine": engine,
        "workers": workers,
        "count": count,
        "seconds": seconds,
        "pages": report.pages,
        "peak_mb": max(samples) / 2**20,
        "tenth_mb": marks[0] / 2**20 if marks else 0.0,
        "end_mb": marks[-1] / 2**20 if marks else 0.0,
        "shared": report.shared,
        "replayed": report.replayed,
    }


def _sample(samples: list[int], done: threading.Event) -> None:
    while not done.wait(0.05):
        samples.append(tree_rss(os.getpid()))


def _full_layouts() -> Callable[[], None]:
    """Switch the shared layouts off (forked local workers inherit it): every copy is laid
    out in full, as a shell loop over `twinpress build` would."""
    from pipeline.renderers.briefing import pdf, weasy

    original = pdf.PdfRenderer.render

    def full(self: Any, document: Any, theme: Any, options: Any, context: Any) -> Any:
        return weasy.render_briefing(document, theme, options, context)

    pdf.PdfRenderer.render = full  # type: ignore[method-assign]
    return lambda: setattr(pdf.PdfRenderer, "render", original)


def _print(results: list[dict[str, Any]], single: float) -> None:
    head = (
        f"{'case':8} {'engine':6} {'workers':>7} {'briefings':>9} {'seconds':>8} "
        f"{'briefings/s':>11} {'pages/s/core':>12} {'peak MB':>8} {'MB@10%':>7} {'MB@end':>7}"
        "  shared  replayed"
    )
    print("\n" + head + "\n" + "-" * len(head))
    per_core: dict[str, float] = {}
    for r in results:
        rate = r["count"] / r["seconds"]
        per_core[r["case"]] = rate / r["workers"]
        replayed, body = r["replayed"]
        print(
            f"{r['case']:8} {r['engine']:6} {r['workers']:>7} {r['count']:>9} "
            f"{r['seconds']:8.1f} {rate:11.2f} {r['pages'] / r['seconds'] / r['workers']:12.1f} "
            f"{r['peak_mb']:8.0f} {r['tenth_mb']:7.0f} {r['end_mb']:7.0f}  {r['shared']:>6}  "
            f"{replayed}/{body}"
        )
    print(f"\nwarm single render: {1 / single:.2f} briefings/s per core")
    for case, rate in per_core.items():
        print(
            f"{case}: {rate:.2f} briefings/s per core = {rate * single:.1f}x a warm single render"
        )
    for engine in ("local", "dask"):
        one, two = (next((r for r in results if r["case"] == f"{engine}{n}"), None) for n in (1, 2))
        if one and two:
            print(f"{engine}: two workers give {one['seconds'] / two['seconds']:.2f}x one worker")
    best = max((v for k, v in per_core.items() if k != "before"), default=0.0)
    if best:
        for cores in (16, 64):
            print(
                f"projection: 10,000 briefings on {cores} cores at {best:.2f}/s per core: "
                f"{10_000 / (best * cores):.0f} s"
            )


if __name__ == "__main__":
    main()
