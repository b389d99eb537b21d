"""`twinpress batch` end to end: outputs per recipient, manifest, mailing list, incremental
reruns, isolated failures, decks and pages, per-row audiences, and the warm pool."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
from pathlib import Path

import pytest
from conftest import twinpress, write
from pptx import Presentation
from pypdf import PdfReader

from pipeline import workers
from pipeline.jobs import Job, Outcome
from pipeline.project import Project

pytestmark = pytest.mark.slow

PEOPLE = """\
id,name,organisation,email
dana-kim,Dana Kim,Northwind,dana@example.com
li-wei,Li Wei,Contoso,li@example.com
o.brien,Seán O'Brien,"Fabrikam, Inc.",sean@example.com
"""


def people(project: Project, text: str = PEOPLE, name: str = "board.csv") -> Path:
    folder = project.root / "recipients"
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def batch(project: Project, *args: str):
    return twinpress("batch", "content/rust-vs-go.yaml", *args, cwd=project.root)


def first_page(path: Path) -> str:
    return " ".join((PdfReader(path).pages[0].extract_text() or "").split())


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_every_recipient_gets_a_briefing_named_on_its_cover_with_a_manifest_and_mailing_list(
    project,
):
    people(project)
    done = batch(project, "--recipients", "recipients/board.csv", "-a", "tech-leaders", "-j", "2")
    assert done.returncode == 0, done.stderr
    assert "3 outputs: 3 built, 0 unchanged, 0 failed" in done.stdout
    folder = project.output / "tech-leaders" / "rust-vs-go"
    assert sorted(p.name for p in folder.iterdir()) == ["dana-kim.pdf", "li-wei.pdf", "o.brien.pdf"]
    assert "PREPARED FOR Dana Kim, Northwind" in first_page(
        folder / "dana-kim.pdf"
    ).upper().replace("DANA KIM, NORTHWIND", "Dana Kim, Northwind")
    footer = " ".join((PdfReader(folder / "o.brien.pdf").pages[3].extract_text() or "").split())
    assert "Confidential · prepared for Seán O'Brien, Fabrikam, Inc." in footer
    mailing = (project.output / "rust-vs-go.board.mailing.csv").read_text(encoding="utf-8")
    assert list(csv.reader(io.StringIO(mailing))) == [
        ["id", "name", "email", "path"],
        ["dana-kim", "Dana Kim", "dana@example.com", "tech-leaders/rust-vs-go/dana-kim.pdf"],
        ["li-wei", "Li Wei", "li@example.com", "tech-leaders/rust-vs-go/li-wei.pdf"],
        ["o.brien", "Seán O'Brien", "sean@example.com", "tech-leaders/rust-vs-go/o.brien.pdf"],
    ]
    data = json.loads((project.output / "rust-vs-go.board.batch.json").read_text(encoding="utf-8"))
    assert (data["source"], data["recipients"]) == (
        "content/rust-vs-go.yaml",
        "recipients/board.csv",
    )
    for formats in data["outputs"].values():
        record = formats["pdf"]
        assert record["status"] == "built"
        assert record["pages"] == len(PdfReader(project.output / record["file"]).pages) >= 7
        assert record["sha256"] == sha(project.output / record["file"])
        assert len(record["inputs"]) == 64
    assert not list(project.output.glob(".*journal"))
    verified = twinpress(
        "verify",
        "content/rust-vs-go.yaml",
        "--recipients",
        "recipients/board.csv",
        "-a",
        "tech-leaders",
        cwd=project.root,
    )
    assert verified.returncode == 0, verified.stderr
    assert "3 outputs verified: 3 ok, 0 failed" in verified.stdout


def test_a_rerun_remakes_only_changed_missing_or_forced_rows(project):
    path = people(project)
    args = ("--recipients", "recipients/board.csv", "-a", "engineers", "-j", "2")
    assert batch(project, *args).returncode == 0
    folder = project.output / "engineers" / "rust-vs-go"
    before = {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}
    again = batch(project, *args)
    assert "0 built, 3 unchanged, 0 failed" in again.stdout
    assert {p.name: p.stat().st_mtime_ns for p in folder.iterdir()} == before
    path.write_text(PEOPLE.replace("Li Wei,Contoso", "Li Wei,Contoso Ltd"), encoding="utf-8")
    (folder / "o.brien.pdf").unlink()
    changed = batch(project, *args)
    assert "2 built, 1 unchanged, 0 failed" in changed.stdout
    assert (folder / "dana-kim.pdf").stat().st_mtime_ns == before["dana-kim.pdf"]
    assert "Contoso Ltd" in first_page(folder / "li-wei.pdf")
    forced = batch(project, *args, "--force")
    assert "3 built, 0 unchanged, 0 failed" in forced.stdout


def test_a_failing_row_is_reported_at_its_row_and_the_others_are_still_made(project):
    source = (project.content / "rust-vs-go.yaml").read_text(encoding="utf-8")
    write(
        project,
        "rust-vs-go.yaml",
        source.replace("\nsubtitle: ", "\nsubtitle: For {{region}} — ", 1),
    )
    people(
        project,
        "id,name,region\nok,Dana Kim,EMEA\nwang,王小明,APAC\nblank,Bo,\nalso-ok,Li Wei,APAC\n",
    )
    done = batch(project, "--recipients", "recipients/board.csv", "-a", "tech-leaders", "-j", "2")
    assert done.returncode == 1
    assert "4 outputs: 2 built, 0 unchanged, 2 failed" in done.stdout
    err = done.stderr
    assert "recipients/board.csv:3:1: error: 3 characters are in none of the fonts" in err
    assert "'王' (U+738B" in err
    assert "[render.missing-glyph]" in err
    assert "recipients/board.csv:4:10: error: recipient 'blank' has no value for 'region'" in err
    folder = project.output / "tech-leaders" / "rust-vs-go"
    assert sorted(p.name for p in folder.iterdir()) == ["also-ok.pdf", "ok.pdf"]
    assert "For APAC — Choosing" in first_page(folder / "also-ok.pdf")
    data = json.loads((project.output / "rust-vs-go.board.batch.json").read_text(encoding="utf-8"))
    assert data["outputs"]["wang"]["pdf"]["status"] == "failed"
    assert data["outputs"]["wang"]["pdf"]["errors"]
    mailing = (project.output / "rust-vs-go.board.mailing.csv").read_text(encoding="utf-8")
    assert [r[0] for r in csv.reader(io.StringIO(mailing))] == ["id", "ok", "also-ok"]


def test_decks_and_pages_are_personalised_too(project):
    people(project, "id,name,organisation\ndana-kim,Dana Kim,Northwind\n")
    done = batch(
        project,
        "--recipients",
        "recipients/board.csv",
        "-a",
        "tech-leaders",
        "-f",
        "pptx",
        "-f",
        "html",
    )
    assert done.returncode == 0, done.stderr
    folder = project.output / "tech-leaders" / "rust-vs-go"
    title = Presentation(str(folder / "dana-kim.pptx")).slides[0]
    text = " ".join(" ".join(s.text_frame.text.split()) for s in title.shapes if s.has_text_frame)
    assert "Prepared for Dana Kim, Northwind" in text
    assert "Confidential · prepared for Dana Kim, Northwind" in text
    page = (folder / "dana-kim.html").read_text(encoding="utf-8")
    assert "Dana Kim, Northwind" in page
    mailing = (project.output / "rust-vs-go.board.mailing.csv").read_text(encoding="utf-8")
    assert mailing.splitlines()[0] == "id,name,email,path,format"
    verified = twinpress(
        "verify",
        "content/rust-vs-go.yaml",
        "--recipients",
        "recipients/board.csv",
        "-a",
        "tech-leaders",
        "-f",
        "pptx",
        "-f",
        "html",
        cwd=project.root,
    )
    assert verified.returncode == 0, verified.stdout + verified.stderr


def test_rows_of_other_audiences_get_their_audiences_copy_and_theme(project):
    people(project, "id,name,audience\nceo,Ada Board,executives\ndev,Bob Engineer,\n")
    done = batch(project, "--recipients", "recipients/board.csv", "-a", "engineers", "-j", "2")
    assert done.returncode == 0, done.stderr
    ceo = project.output / "executives" / "rust-vs-go" / "ceo.pdf"
    dev = project.output / "engineers" / "rust-vs-go" / "dev.pdf"
    assert "Ada Board" in first_page(ceo) and "Bob Engineer" in first_page(dev)
    fonts = {str(f.get("/BaseFont")) for f in _fonts(ceo)}
    assert any("Lato" in f for f in fonts)  # high-contrast's own font


def _fonts(path: Path):
    for page in PdfReader(path).pages:
        yield from page["/Resources"]["/Font"].values()


def test_the_copies_are_the_same_bytes_whichever_worker_made_them_first(project):
    people(project)
    one = batch(
        project,
        "--recipients",
        "recipients/board.csv",
        "-a",
        "executives",
        "-j",
        "1",
        "--out",
        "one",
    )
    two = batch(
        project,
        "--recipients",
        "recipients/board.csv",
        "-a",
        "executives",
        "-j",
        "2",
        "--out",
        "two",
    )
    assert one.returncode == two.returncode == 0
    folder = Path("executives") / "rust-vs-go"
    names = sorted(p.name for p in (project.root / "one" / folder).iterdir())
    assert len(names) == 3
    for name in names:
        assert sha(project.root / "one" / folder / name) == sha(
            project.root / "two" / folder / name
        )


def test_errors_in_the_recipients_file_stop_the_batch_before_anything_renders(project):
    people(project, "id,name\nok,Dana\n../x,Eve\nok,Dup\n")
    done = batch(project, "--recipients", "recipients/board.csv", "-a", "executives")
    assert done.returncode == 1
    assert "recipients/board.csv:3:1: error: id '../x' is not safe as a file name" in done.stderr
    assert "recipients/board.csv:4:1: error: id 'ok' is used twice" in done.stderr
    assert not project.output.exists() or not any(project.output.rglob("*.pdf"))


def _pid_outcome(job: Job) -> Outcome:
    """A worker 'render' that reports which process ran it."""
    return Outcome(job, "built", notes=(str(os.getpid()),))


def test_the_local_pool_streams_jobs_and_replaces_each_worker_after_its_quota(shipped_project):
    from pipeline.build import plan

    job = plan(shipped_project, audiences=["executives"], formats=["markdown"]).jobs[0]
    with workers.Workers(2, recycle_after=3, render=_pid_outcome) as pool:
        outcomes = list(pool.stream(job for _ in range(12)))
    pids = [int(o.notes[0]) for o in outcomes]
    assert len(outcomes) == 12
    assert len(set(pids)) >= 4  # 12 renders, at most 3 per process
    assert all(pids.count(p) <= 3 for p in set(pids))
