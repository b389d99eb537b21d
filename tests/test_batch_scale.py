"""Batches at size and on Dask: 60 recipients killed a third of the way and resumed, every copy
verified; the dask engine (its own LocalCluster, or one the test starts with two worker
processes) makes the same bytes as the local pool."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import twinpress

from pipeline.project import Project

pytestmark = pytest.mark.slow

SOURCE = "content/rust-vs-go.yaml"
# Large enough that the kill lands mid-batch with work on both workers; benchmarks/batch.py
# measures the thousands.
ROWS = 60
KILL_AT = 20


def recipients(project: Project, count: int) -> Path:
    folder = project.root / "recipients"
    folder.mkdir(exist_ok=True)
    rows = ["id,name,organisation,email"]
    for n in range(count):
        rows.append(f"r{n:04d},Person {n},Company {n % 17},p{n}@example.com")
    path = folder / f"people-{count}.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def hashes(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_a_60_row_batch_killed_part_way_resumes_then_every_copy_verifies(project):
    people = recipients(project, ROWS).relative_to(project.root)
    args = [sys.executable, "-m", "pipeline", "batch", SOURCE, "--recipients", str(people)]
    args += ["-a", "tech-leaders", "-j", "2"]
    journal = project.output / f".rust-vs-go.people-{ROWS}.batch.journal"
    started = subprocess.Popen(
        args,
        cwd=project.root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline and started.poll() is None:
        if journal.is_file() and len(journal.read_text().splitlines()) >= KILL_AT:
            break
        time.sleep(0.2)
    assert started.poll() is None, "the batch ended before it could be killed"
    os.killpg(started.pid, signal.SIGKILL)
    started.wait()
    finished = len(journal.read_text().splitlines())
    assert KILL_AT <= finished < ROWS
    folder = project.output / "tech-leaders" / "rust-vs-go"
    assert len(list(folder.glob("*.pdf"))) in (finished, finished + 1)  # one may lack its line

    resumed = twinpress(*args[3:], cwd=project.root)
    assert resumed.returncode == 0, resumed.stderr
    summary = next(
        line for line in resumed.stdout.splitlines() if line.startswith(f"{ROWS} outputs")
    )
    built = int(summary.split(": ")[1].split(" built")[0])
    unchanged = int(summary.split(", ")[1].split(" unchanged")[0])
    assert unchanged >= finished and built + unchanged == ROWS, summary
    assert not journal.exists() and not list(folder.glob(".*.tmp"))

    verified = twinpress(
        "verify", SOURCE, "--recipients", str(people), "-a", "tech-leaders", cwd=project.root
    )
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert f"{ROWS} outputs verified: {ROWS} ok, 0 failed" in verified.stdout

    dask = twinpress(*args[3:], "--engine", "dask", "--out", "by-dask", cwd=project.root)
    assert dask.returncode == 0, dask.stderr
    assert hashes(project.root / "by-dask" / "tech-leaders" / "rust-vs-go") == hashes(folder)


def test_a_local_cluster_of_two_worker_processes_makes_the_local_engines_bytes(project):
    from distributed import Client, LocalCluster

    people = recipients(project, 6).relative_to(project.root)
    common = ("--recipients", str(people), "-a", "executives")
    local = twinpress("batch", SOURCE, *common, "-j", "2", "--out", "local", cwd=project.root)
    assert local.returncode == 0, local.stderr
    with (
        LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
        ) as cluster,
        Client(cluster) as client,
    ):
        pids = set(client.run(os.getpid).values())
        assert len(pids) == 2 and os.getpid() not in pids
        done = twinpress(
            "batch",
            SOURCE,
            *common,
            "--engine",
            "dask",
            "--scheduler",
            cluster.scheduler_address,
            "--out",
            "cluster",
            cwd=project.root,
        )
    assert done.returncode == 0, done.stderr
    assert "dask engine, 2 workers" in done.stdout
    where = Path("executives") / "rust-vs-go"
    made = hashes(project.root / "cluster" / where)
    assert len(made) == 6 and made == hashes(project.root / "local" / where)
