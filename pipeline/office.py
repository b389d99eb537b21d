"""LibreOffice, headless: convert office files (decks) to PDF or images with the theme's fonts.

    from pipeline.office import convert
    pdf = convert(Path("deck.pptx"), Path("out"), font_dirs=[Path("themes/base/fonts")])

Each call runs `soffice --headless --convert-to` with a private user profile (so parallel
conversions and a desktop LibreOffice never collide) and a fontconfig file that adds the
given font folders, so LibreOffice lays text out with the real theme fonts instead of
substitutes. A missing LibreOffice, a timeout or a failed conversion is an OfficeError
with what to do about it, never a traceback. LibreOffice runs in its own process group,
which is killed on a timeout, on `cancel` and on Ctrl-C, so no soffice is left behind.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path

from .errors import Diagnostic, PipelineError

INSTALL_HINT = "install LibreOffice Impress, e.g. `apt-get install libreoffice-impress`"
DEFAULT_TIMEOUT = 180.0
FONT_SUFFIXES = ("ttf", "otf", "ttc", "otc", "pfa", "pfb", "pcf", "pcf.gz", "bdf", "woff", "woff2")
# The fonts a bare Debian with LibreOffice has: fonts-dejavu-core and LibreOffice's own
# OpenSymbol. No theme font is among them, so LibreOffice substitutes DejaVu Sans.
BARE_FONTS = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf",
    "/usr/share/fonts/truetype/libreoffice/opens___.ttf",
)


class OfficeError(PipelineError):
    """LibreOffice is missing, or could not convert a file."""


def soffice() -> str:
    """Path of the LibreOffice executable; OfficeError when it is not installed."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    raise OfficeError(
        [
            Diagnostic(
                "error",
                "office.missing",
                "LibreOffice (soffice) was not found on PATH",
                None,
                INSTALL_HINT,
            )
        ]
    )


def available() -> bool:
    """Whether LibreOffice is installed."""
    try:
        soffice()
    except OfficeError:
        return False
    return True


def convert(
    source: Path,
    outdir: Path,
    to: str = "pdf",
    font_dirs: Sequence[Path] = (),
    timeout: float = DEFAULT_TIMEOUT,
    cancel: threading.Event | None = None,
    bare: bool = False,
) -> Path:
    """Convert `source` into `outdir` (e.g. to "pdf" or "png"); return the new file's path.

    Setting `cancel` (from another thread) stops the conversion: OfficeError office.cancelled.
    With `bare`, LibreOffice sees only the fonts a bare Debian has (BARE_FONTS) besides
    `font_dirs`: the recipient's view of a deck whose fonts are not installed.
    """
    return convert_all([source], outdir, to, font_dirs, timeout, cancel, bare)[0]


def convert_all(
    sources: Sequence[Path],
    outdir: Path,
    to: str = "pdf",
    font_dirs: Sequence[Path] = (),
    timeout: float = DEFAULT_TIMEOUT,
    cancel: threading.Event | None = None,
    bare: bool = False,
) -> list[Path]:
    """Convert several files in one LibreOffice run (it starts once); their names must
    differ. Returns the new files' paths, in order."""
    paths = [Path(s).resolve() for s in sources]
    outdir = Path(outdir).resolve()
    outdir.mkdir(parents=True, exist_ok=True)
    targets = [outdir / f"{p.stem}.{to.split(':', 1)[0]}" for p in paths]
    done = _convert_once(paths, outdir, to, font_dirs, timeout, cancel, bare)
    missing = [p for p, t in zip(paths, targets) if not t.is_file()]
    if missing:
        # soffice.bin sometimes crashes under load (a backtrace, no file) on a file it
        # converts the next time: what is missing is tried once more, in a fresh profile.
        done = _convert_once(missing, outdir, to, font_dirs, timeout, cancel, bare)
    failed = [p.name for p, t in zip(paths, targets) if not t.is_file()]
    if done.returncode != 0 or failed:
        detail = (done.stderr or done.stdout).strip().splitlines()[-3:]
        names = ", ".join(failed) or ", ".join(p.name for p in paths)
        raise OfficeError(
            [
                Diagnostic(
                    "error",
                    "office.convert",
                    f"LibreOffice could not convert {names} to {to}: "
                    + (" ".join(detail) or f"exit {done.returncode}"),
                )
            ]
        )
    return targets


def _convert_once(
    paths: Sequence[Path],
    outdir: Path,
    to: str,
    font_dirs: Sequence[Path],
    timeout: float,
    cancel: threading.Event | None,
    bare: bool,
) -> subprocess.CompletedProcess[str]:
    """One LibreOffice run over `paths`, in a profile and font configuration of its own."""
    with tempfile.TemporaryDirectory(prefix="twinpress-office-") as tmp:
        work = Path(tmp)
        env = {
            **os.environ,
            "FONTCONFIG_FILE": str(_fontconfig(work, font_dirs, bare)),
            "HOME": str(work),
        }
        command = [
            soffice(),
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--nologo",
            "--nodefault",
            "--nolockcheck",
            "--convert-to",
            to,
            "--outdir",
            str(outdir),
            *map(str, paths),
        ]
        names = ", ".join(p.name for p in paths)
        return _run(command, env, timeout * len(paths), cancel, names)


def _run(
    command: list[str],
    env: dict[str, str],
    timeout: float,
    cancel: threading.Event | None,
    name: str,
) -> subprocess.CompletedProcess[str]:
    """Run LibreOffice in a process group of its own and wait, killing the group on a
    timeout, a cancel or any exception (Ctrl-C): soffice forks soffice.bin, which killing
    only the first process would leave running."""
    process = subprocess.Popen(
        command,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    deadline = time.monotonic() + timeout
    try:
        while True:
            try:
                out, err = process.communicate(timeout=0.2 if cancel else timeout)
                return subprocess.CompletedProcess(command, process.returncode, out, err)
            except subprocess.TimeoutExpired:
                if cancel is not None and cancel.is_set():
                    raise _failure("office.cancelled", f"converting {name} was cancelled") from None
                if time.monotonic() > deadline:
                    raise _failure(
                        "office.timeout",
                        f"LibreOffice did not convert {name} within {timeout:.0f} s",
                    ) from None
    finally:
        if process.poll() is None:
            _kill_group(process)


def _kill_group(process: subprocess.Popen[str]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.communicate()


def _failure(code: str, message: str) -> OfficeError:
    return OfficeError([Diagnostic("error", code, message)])


def _fontconfig(work: Path, font_dirs: Sequence[Path], bare: bool = False) -> Path:
    """A fontconfig file: the system's configuration plus the given folders; with `bare`,
    every system font but BARE_FONTS rejected (the given folders stay accepted)."""
    folders = [Path(d).resolve() for d in font_dirs]
    dirs = "".join(f"  <dir>{_xml(d)}</dir>\n" for d in folders)
    select = ""
    if bare:
        accepted = [*BARE_FONTS, *(f"{d}/*" for d in folders)]
        globs = "".join(f"<glob>{_xml(Path(g))}</glob>" for g in accepted)
        # Globs apply to folders too: reject font files by suffix so the scan still
        # reaches the accepted ones.
        rejected = "".join(f"<glob>*.{suffix}</glob>" for suffix in FONT_SUFFIXES)
        select = (
            f"  <selectfont><rejectfont>{rejected}</rejectfont>"
            f"<acceptfont>{globs}</acceptfont></selectfont>\n"
        )
    path = work / "fonts.conf"
    path.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n'
        f"{dirs}{select}  <cachedir>{_xml(work / 'fontcache')}</cachedir>\n</fontconfig>\n",
        encoding="utf-8",
    )
    return path


def _xml(path: Path) -> str:
    return str(path).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
