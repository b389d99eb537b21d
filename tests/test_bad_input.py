"""Bad input, end to end: a clear located error, exit status 1, no traceback, and no earlier
output damaged — including when a build is killed halfway."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import twinpress, write

LOCATED = re.compile(r"^\S+:\d+:\d+: error: .+ \[[a-z-]+\.[a-z-]+\]$", re.M)


@pytest.fixture(scope="module")
def prebuilt(tmp_path_factory, template_project) -> Path:
    """Outputs of a good build (markdown and decks), made once and copied into each case."""
    root = tmp_path_factory.mktemp("prebuilt")
    shutil.copytree(template_project, root, dirs_exist_ok=True)
    result = twinpress("build", "-f", "markdown", "-f", "pptx", cwd=root)
    assert result.returncode == 0, result.stderr
    return root / "output"


@pytest.fixture
def built(project, prebuilt):
    shutil.copytree(prebuilt, project.output)
    return project


def snapshot(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def source_with(project, old: str, new: str) -> None:
    path = project.content / "rust-vs-go.yaml"
    write(project, "rust-vs-go.yaml", path.read_text().replace(old, new, 1))


def bomb() -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        prev, cur = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def _big(project) -> None:
    path = project.content / "rust-vs-go.yaml"
    path.unlink()
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)


def _missing_font(project) -> None:
    path = project.themes / "corporate" / "theme.yaml"
    text = path.read_text() + (
        "fonts:\n  body:\n    family: Inter\n    regular: fonts/gone.otf\n"
        "    bold: fonts/gone-bold.otf\n"
        "    licence: ../base/fonts/inter/OFL.txt\n"
    )
    path.unlink()
    path.write_text(text)


def _unknown_theme(project) -> None:
    path = project.content / "audiences.yaml"
    text = path.read_text().replace("theme: corporate", "theme: corprate")
    path.unlink()
    path.write_text(text)


CASES = {
    "malformed YAML": (
        lambda p: source_with(p, "  - id: concurrency", "  - id: [concurrency"),
        "yaml.syntax",
        (),
    ),
    "wrong type": (
        lambda p: source_with(p, "numbered: false", "numbered: sometimes"),
        "content.type",
        (),
    ),
    "unknown key": (lambda p: source_with(p, "subtitle:", "subtitel:"), "content.unknown-key", ()),
    "missing required field": (
        lambda p: source_with(p, "date: 2026-11-24\n", ""),
        "content.missing-key",
        (),
    ),
    "duplicate id": (
        lambda p: source_with(p, "id: future", "id: hiring"),
        "content.duplicate-id",
        (),
    ),
    "alias bomb": (lambda p: write(p, "rust-vs-go.yaml", bomb()), "yaml.alias-bomb", ()),
    "python tag": (
        lambda p: write(
            p, "rust-vs-go.yaml", "title: !!python/object/apply:os.system ['touch pwned']\n"
        ),
        "yaml.tag",
        (),
    ),
    "50 MB source": (_big, "source.too-large", ()),
    "empty file": (lambda p: write(p, "rust-vs-go.yaml", ""), "source.empty", ()),
    "binary file": (
        lambda p: (
            (p.content / "rust-vs-go.yaml").unlink()
            or (p.content / "rust-vs-go.yaml").write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0")
        ),
        "source.binary",
        (),
    ),
    "image outside the project": (
        lambda p: source_with(
            p,
            "      - paragraph: Concurrency is essential",
            "      - image: {src: /etc/passwd, alt: secret}\n      - paragraph: Concurrency is "
            "essential",
        ),
        "content.image-outside",
        (),
    ),
    "missing image": (
        lambda p: source_with(
            p,
            "      - paragraph: Concurrency is essential",
            "      - image: {src: images/chart.png, alt: A chart}\n      - paragraph: "
            "Concurrency is essential",
        ),
        "content.image-missing",
        (),
    ),
    "missing font file": (_missing_font, "theme.font-missing", ()),
    "unknown theme": (_unknown_theme, "theme.unknown", ()),
    "unknown audience": (lambda p: None, "audience.unknown", ("-a", "board")),
}


@pytest.mark.parametrize("case", list(CASES))
def test_bad_input_is_refused_cleanly(built, case):
    setup, code, args = CASES[case]
    before = snapshot(built.output)
    setup(built)
    started = time.monotonic()
    result = twinpress("build", "-f", "markdown", "-f", "pptx", *args, cwd=built.root)
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"[{code}]" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    if code != "audience.unknown":  # a command-line name has no file location
        assert LOCATED.search(result.stderr), result.stderr
    assert snapshot(built.output) == before
    assert time.monotonic() - started < 30
    assert not (built.root / "pwned").exists()


def test_unwritable_output_folder(built):
    before = snapshot(built.output)
    result = twinpress("build", "-f", "markdown", "--out", "/proc/twinpress-out", cwd=built.root)
    assert result.returncode == 1 and "[output.unwritable]" in result.stderr
    assert "cannot write to /proc/twinpress-out" in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(built.output) == before


def test_markup_and_file_urls_in_text_stay_literal_text(project):
    hostile = (
        '<script>alert(1)</script> <img src="file:///etc/passwd"> '
        "[x](file:///etc/passwd) **not bold** {{ jinja }}"
    )
    source_with(
        project,
        "Concurrency is essential for scaling modern backend applications.",
        hostile.replace('"', '\\"'),
    )
    path = project.content / "rust-vs-go.yaml"
    text = path.read_text().replace(
        f"- paragraph: {hostile.replace(chr(34), chr(92) + chr(34))}",
        f'- paragraph: "{hostile.replace(chr(34), chr(92) + chr(34))}"',
    )
    write(project, "rust-vs-go.yaml", text)
    result = twinpress(
        "build", "-a", "engineers", "-f", "html", "-f", "pptx", "-f", "markdown", cwd=project.root
    )
    assert result.returncode == 0, result.stderr
    html = (project.output / "engineers/rust-vs-go.html").read_text()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
    assert 'src="file:///etc/passwd"' not in html
    from pptx import Presentation

    deck = Presentation(str(project.output / "engineers/rust-vs-go.pptx"))
    texts = "\n".join(
        sh.text_frame.text for s in deck.slides for sh in s.shapes if sh.has_text_frame
    )
    notes = "\n".join(s.notes_slide.notes_text_frame.text for s in deck.slides if s.has_notes_slide)
    assert "<script>alert(1)</script>" in texts + notes  # literally, as text
    markdown = (project.output / "engineers/rust-vs-go.md").read_text()
    assert "\\*\\*not bold\\*\\*" in markdown and "\\<script\\>" in markdown
    verify = twinpress(
        "verify", "-a", "engineers", "-f", "html", "-f", "pptx", "-f", "markdown", cwd=project.root
    )
    assert verify.returncode == 0, verify.stdout + verify.stderr


def _valid(path: Path) -> bool:
    """The file opens in an independent reader."""
    if path.suffix == ".pptx":
        from pptx import Presentation

        return len(Presentation(str(path)).slides) > 0
    if path.suffix == ".pdf":
        check = subprocess.run(["qpdf", "--check", str(path)], capture_output=True)
        return check.returncode == 0
    if path.suffix == ".json":
        import json

        return bool(json.loads(path.read_text()))
    return path.stat().st_size > 0


@pytest.mark.parametrize("victim", ["group", "parent"])
def test_a_build_killed_halfway_leaves_every_output_intact(project, victim):
    first = twinpress("build", "-f", "pptx", "-f", "pdf", "-f", "markdown", cwd=project.root)
    assert first.returncode == 0, first.stderr
    before = snapshot(project.output)
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "pipeline",
            "build",
            "--force",
            "-j",
            "2",
            "-f",
            "pptx",
            "-f",
            "pdf",
            "-f",
            "markdown",
        ],
        cwd=project.root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and snapshot(project.output) == before:
        time.sleep(0.05)  # wait until the build is really writing
    if victim == "group":
        os.killpg(process.pid, signal.SIGKILL)
    else:
        process.kill()
    process.wait(10)
    time.sleep(0.5)
    after = snapshot(project.output)
    assert {p for p in after if not p.split("/")[-1].startswith(".")} == set(before)
    for name in before:
        assert _valid(project.output / name), name  # old or new, never half-written
    if victim == "parent":  # orphaned workers notice and stop, within seconds
        time.sleep(3)
        assert not _processes_in_group(process.pid)
    again = twinpress("build", "-f", "pptx", "-f", "pdf", "-f", "markdown", cwd=project.root)
    assert again.returncode == 0, again.stderr
    assert not list(project.output.rglob(".*.tmp"))  # the next build cleaned up


def _processes_in_group(pgid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if os.getpgid(int(entry)) == pgid:
                    found.append(int(entry))
            except ProcessLookupError:
                pass
    return found
