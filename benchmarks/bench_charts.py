"""Charts: what they cost. Prints matplotlib's import time in a fresh process, the time to
draw each chart type as SVG, the deck's chart time, and whether the SVG is byte-identical
across processes.

    python -m benchmarks.bench_charts
"""

from __future__ import annotations

import hashlib
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "charts.yaml"

IMPORT = (
    "import time; t = time.perf_counter()\n"
    "from matplotlib.figure import Figure\n"
    "from matplotlib.backends import backend_svg\n"
    "print(time.perf_counter() - t)\n"
)
DRAW = """
import hashlib, sys, time
from pipeline.project import Project
from pipeline.loader import load_document
from pipeline.themes import load_theme
from pipeline.charts import Chart
from pipeline.renderers.briefing.chartparts import ChartStyle
from pipeline.renderers.briefing.chartsvg import _draw, chart_svg
from pipeline.renderers.briefing.styles import chart_faces
from pathlib import Path
project = Project(Path(sys.argv[1]))
document = load_document(project.content / "bench-charts.yaml", project)
theme = load_theme("corporate", project)
c, body = theme.paper_colors, theme.fonts.body
style = ChartStyle(c.series, c.text, c.muted, c.border, c.background, body.family,
                   chart_faces(theme, False), tuple(body.files().values()), 8.5, 482.0, 700.0,
                   "en")
digest = hashlib.sha256()
for block in (b for s in document.sections for b in s.blocks if isinstance(b, Chart)):
    chart_svg(block, style, "warm")
    times = []
    for _ in range(5):
        _draw.cache_clear()  # drawn each time, as a build's first use of a chart is
        t = time.perf_counter()
        svg = chart_svg(block, style, "c1")
        times.append(time.perf_counter() - t)
    digest.update(svg.encode())
    times.sort()
    print(f"{block.type:15} {times[2] * 1000:6.1f} ms  {len(svg) / 1024:5.1f} KB")
print("sha256", digest.hexdigest()[:16])
"""


def main() -> None:
    import shutil
    import tempfile

    imports = sorted(
        float(subprocess.run([sys.executable, "-c", IMPORT], capture_output=True, text=True,
                             check=True).stdout)
        for _ in range(5)
    )  # fmt: skip
    print(f"matplotlib import (fresh process, median of 5): {statistics.median(imports):.2f} s")
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        shutil.copytree(ROOT / "themes", root / "themes")
        (root / "content").mkdir()
        shutil.copy(FIXTURE, root / "content" / "bench-charts.yaml")
        runs = [
            subprocess.run([sys.executable, "-c", DRAW, str(root)], capture_output=True,
                           text=True, check=True, cwd=ROOT).stdout
            for _ in range(2)
        ]  # fmt: skip
        print("SVG per chart (median of 5, warm):")
        print(runs[0].rsplit("sha256", 1)[0].rstrip())
        same = runs[0].split("sha256")[1] == runs[1].split("sha256")[1]
        print(f"byte-identical SVG in two processes: {same}")
        from pipeline.context import BuildContext
        from pipeline.loader import load_document
        from pipeline.project import Project
        from pipeline.renderers.pptx.deck import render_deck
        from pipeline.renderers.pptx.options import Options
        from pipeline.themes import load_theme

        project = Project(root)
        document = load_document(root / "content" / "bench-charts.yaml", project)
        theme = load_theme("corporate", project)
        render_deck(document, theme, Options(), BuildContext())
        t = time.perf_counter()
        blobs = {
            hashlib.sha256(render_deck(document, theme, Options(), BuildContext()).data).digest()
            for _ in range(3)
        }
        print(f"deck of 8 native charts: {(time.perf_counter() - t) / 3:.2f} s; identical: "
              f"{len(blobs) == 1}")  # fmt: skip


if __name__ == "__main__":
    main()
