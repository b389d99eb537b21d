"""Scratch folders: a build, a batch or a killed pool leaves nothing in the temporary folder."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import twinpress

from pipeline import scratch, workers
from pipeline.jobs import Job, Outcome


@pytest.fixture
def tmpdir_of_its_own(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """TMPDIR for this test alone, in this process and in the processes it starts."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setenv("TMPDIR", str(folder))
    monkeypatch.setattr("tempfile.tempdir", None)  # gettempdir() reads TMPDIR again
    monkeypatch.setattr(scratch, "_roots", {})  # this process's root is made there too
    return folder


def test_a_build_of_every_format_leaves_nothing_in_the_temporary_folder(project, tmpdir_of_its_own):
    done = twinpress("build", "--jobs", "2", cwd=project.root)
    assert done.returncode == 0, done.stderr
    assert len(list(project.output.rglob("*.pdf"))) == 3  # WeasyPrint copied fonts for these
    assert os.listdir(tmpdir_of_its_own) == []


def test_the_briefing_s_fonts_are_copied_into_this_process_s_scratch_folder():
    from pipeline.renderers.briefing import weasy

    folder = Path(weasy.font_config()._folder)
    assert folder.parent.name.startswith(f"{scratch.PREFIX}{os.getpid()}-")


def test_a_folder_lives_until_its_process_releases_it(tmpdir_of_its_own):
    made = scratch.folder("fonts")
    (made / "a.ttf").write_bytes(b"font")
    assert made.is_dir() and made.parent.parent == tmpdir_of_its_own
    scratch.release()
    assert os.listdir(tmpdir_of_its_own) == []
    assert scratch.folder("fonts").is_dir()  # a new root after a release


def test_a_sweep_removes_the_folders_of_processes_that_ended_and_keeps_the_running_ones(
    tmpdir_of_its_own,
):
    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], text=True,
                           capture_output=True, check=True)  # fmt: skip
    gone = tmpdir_of_its_own / f"{scratch.PREFIX}{int(ended.stdout)}-abc"
    (gone / "fonts-x").mkdir(parents=True)
    mine = scratch.folder("fonts")
    unrelated = tmpdir_of_its_own / "twinpress-preview-123"
    unrelated.mkdir()
    scratch.sweep()
    assert not gone.exists()
    assert mine.is_dir() and unrelated.is_dir()


def _hold_a_folder(job: Job) -> Outcome:
    """A worker 'render' that makes a scratch folder, then hangs until it is killed."""
    scratch.folder("fonts")
    time.sleep(60)
    return Outcome(job, "built")


def test_a_worker_that_is_killed_has_its_folders_removed_by_its_pool(
    project, tmpdir_of_its_own, monkeypatch
):
    from pipeline import build as builder

    monkeypatch.setattr(workers, "RENDER_TIMEOUT", 1.0)
    job = builder.plan(project, formats=("markdown",)).jobs[0]
    with workers.Workers(1, render=_hold_a_folder) as pool:
        (outcome,) = pool.run([job])
        assert outcome.status == "failed" and "longer than 1 s" in outcome.diagnostics[0].message
    assert not [p for p in tmpdir_of_its_own.iterdir() if p.name.startswith(scratch.PREFIX)
                and not p.name.startswith(f"{scratch.PREFIX}{os.getpid()}-")]  # fmt: skip
