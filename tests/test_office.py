"""Converting through LibreOffice (pipeline/office.py): a run that crashes is tried once more
for what it left unconverted, and a file that fails twice is reported by name. LibreOffice is
stood in for by a script that crashes on its first run, so the crash happens every time."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from pipeline import office

# Writes `<stem>.pdf` into --outdir for each input, except on the runs `crashes` lists
# (counted in runs.txt beside the script), where it prints a backtrace and aborts.
_FAKE = """#!{python}
import sys
from pathlib import Path
here = Path(__file__).parent
runs = here / "runs.txt"
run = len(runs.read_text().splitlines()) if runs.exists() else 0
with runs.open("a") as f:
    f.write(" ".join(a for a in sys.argv[1:] if a.endswith(".pptx")) + "\\n")
if run in {crashes}:
    print("soffice.bin(+0x10b1)[0x563315f9d0b1]", file=sys.stderr)
    sys.exit(134)
args = sys.argv[1:]
outdir = Path(args[args.index("--outdir") + 1])
for a in args:
    if a.endswith(".pptx"):
        (outdir / (Path(a).stem + ".pdf")).write_bytes(b"%PDF-1.7 converted")
"""


def _fake_office(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, crashes: set[int]) -> Path:
    script = tmp_path / "bin" / "soffice"
    script.parent.mkdir()
    script.write_text(_FAKE.format(python=sys.executable, crashes=crashes))
    script.chmod(0o755)
    monkeypatch.setattr(office, "soffice", lambda: str(script))
    return script.parent / "runs.txt"


def _decks(tmp_path: Path) -> list[Path]:
    decks = [tmp_path / "a.pptx", tmp_path / "b.pptx"]
    for deck in decks:
        deck.write_bytes(b"PK")
    return decks


def test_a_conversion_that_crashes_once_is_run_again_and_every_file_arrives(tmp_path, monkeypatch):
    runs = _fake_office(tmp_path, monkeypatch, crashes={0})
    converted = office.convert_all(_decks(tmp_path), tmp_path / "out")
    assert [p.read_bytes() for p in converted] == [b"%PDF-1.7 converted"] * 2
    assert len(runs.read_text().splitlines()) == 2


def test_a_conversion_that_crashes_twice_names_the_files_it_could_not_convert(
    tmp_path, monkeypatch
):
    _fake_office(tmp_path, monkeypatch, crashes={0, 1})
    with pytest.raises(office.OfficeError) as raised:
        office.convert_all(_decks(tmp_path), tmp_path / "out")
    message = str(raised.value.diagnostics[0])
    assert "a.pptx, b.pptx" in message and "[office.convert]" in message


def test_a_conversion_that_succeeds_runs_libreoffice_once(tmp_path, monkeypatch):
    runs = _fake_office(tmp_path, monkeypatch, crashes=set())
    office.convert_all(_decks(tmp_path), tmp_path / "out")
    assert len(runs.read_text().splitlines()) == 1
