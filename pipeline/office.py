"""LibreOffice, headless: convert office files (decks) to PDF or images with the theme's fonts.

    from pipeline.office import convert
    pdf = convert(Path("deck.pptx"), Path("out"), font_dirs=[Path("themes/base/fonts")])

Each call runs `soffice --headless --convert-to` with a private user profile (so parallel
conversions and a desktop LibreOffice never collide) and a fontconfig file that adds the
given font folders, so LibreOffice lays text out with the real theme fonts instead of
substitutes. A missing LibreOffice, a timeout or a failed conversion is an OfficeError
with what to do about it, never a traceback.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

from .errors import Diagnostic, PipelineError

INSTALL_HINT = "install LibreOffice Impress, e.g. `apt-get install libreoffice-impress`"
DEFAULT_TIMEOUT = 180.0


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
) -> Path:
    """Convert `source` into `outdir` (e.g. to "pdf" or "png"); return the new file's path."""
    source = Path(source).resolve()
    outdir = Path(outdir).resolve()
    outdir.mkdir(parents=True, exist_ok=True)
    program = soffice()
    with tempfile.TemporaryDirectory(prefix="twinpress-office-") as tmp:
        work = Path(tmp)
        env = {
            **os.environ,
            "FONTCONFIG_FILE": str(_fontconfig(work, font_dirs)),
            "HOME": str(work),
        }
        command = [
            program,
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
            str(source),
        ]
        try:
            done = subprocess.run(
                command,
                env=env,
                capture_output=True,
                text=True,
                timeout=timeout,
                stdin=subprocess.DEVNULL,
            )
        except subprocess.TimeoutExpired:
            raise OfficeError(  # noqa: B904 - the timeout is the whole story
                [
                    Diagnostic(
                        "error",
                        "office.timeout",
                        f"LibreOffice did not convert {source.name} within {timeout:.0f} s",
                    )
                ]
            )
    target = outdir / f"{source.stem}.{to.split(':', 1)[0]}"
    if done.returncode != 0 or not target.is_file():
        detail = (done.stderr or done.stdout).strip().splitlines()[-3:]
        raise OfficeError(
            [
                Diagnostic(
                    "error",
                    "office.convert",
                    f"LibreOffice could not "
                    f"convert {source.name} to {to}: "
                    + (" ".join(detail) or f"exit {done.returncode}"),
                )
            ]
        )
    return target


def _fontconfig(work: Path, font_dirs: Sequence[Path]) -> Path:
    """A fontconfig file: the system's configuration plus the given folders."""
    dirs = "".join(f"  <dir>{_xml(Path(d).resolve())}</dir>\n" for d in font_dirs)
    path = work / "fonts.conf"
    path.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n'
        f"{dirs}  <cachedir>{_xml(work / 'fontcache')}</cachedir>\n</fontconfig>\n",
        encoding="utf-8",
    )
    return path


def _xml(path: Path) -> str:
    return str(path).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
