"""Writing outputs safely: each file is written beside its target and renamed into place.

A failed or interrupted build never leaves a half-written file and never destroys the
previous good output; temporaries a killed build left behind (their pid is in their name)
are removed by the next build.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import Diagnostic, OutputError


def write_atomic(target: Path, data: bytes, *, clean: bool = True) -> None:
    """Write to a temporary file beside the target, then rename it over the target.

    `clean=False` skips looking for abandoned temporaries of this target (a batch writing
    thousands of files into one folder cleans the folder once instead)."""
    write_together([(target, data)], clean=clean)


def write_together(files: list[tuple[Path, bytes]], *, clean: bool = True) -> None:
    """Write several files as one step: all to temporaries first, then renamed into place,
    so either all are replaced or (when a write fails) none is."""
    staged: list[tuple[Path, str]] = []
    try:
        for target, data in files:
            staged.append((target, _stage(target, data, clean)))
    except BaseException:
        for _, tmp in staged:
            Path(tmp).unlink(missing_ok=True)
        raise
    for n, (target, tmp) in enumerate(staged):
        try:
            os.replace(tmp, target)
        except OSError as exc:
            for _, left in staged[n:]:
                Path(left).unlink(missing_ok=True)
            raise _unwritable(f"cannot write {target}: {exc.strerror or exc}") from None


def _stage(target: Path, data: bytes, clean: bool = True) -> str:
    """`data` in a temporary beside `target`, flushed to disk; its name."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        if clean:
            remove_abandoned_temporaries(target)
        fd, tmp = tempfile.mkstemp(
            prefix=f".{target.name}.{os.getpid()}.", suffix=".tmp", dir=target.parent
        )
    except OSError as exc:
        raise _unwritable(f"cannot write to {target.parent}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise _unwritable(f"cannot write {target}: {exc.strerror or exc}") from None
        raise
    return tmp


def remove_abandoned_temporaries(target: Path) -> None:
    """Delete temporaries left by a build that was killed; their pid is in their name."""
    if not target.parent.is_dir():
        return
    for tmp in target.parent.glob(f".{target.name}.*.tmp"):
        parts = tmp.name[len(target.name) + 2 :].split(".")
        if parts and parts[0].isdigit() and not alive(int(parts[0])):
            tmp.unlink(missing_ok=True)


def remove_abandoned_in(folder: Path) -> None:
    """Delete every temporary a killed build or batch left in `folder`."""
    if not folder.is_dir():
        return
    for tmp in folder.glob(".*.tmp"):
        parts = tmp.name[1:].split(".")
        pids = [p for p in parts[:-2] if p.isdigit()]
        if pids and not alive(int(pids[-1])):
            tmp.unlink(missing_ok=True)


def alive(pid: int) -> bool:
    """Whether `pid` runs; a zombie (killed, not yet reaped) counts as dead."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True
    return state not in ("Z", "X")


def _unwritable(message: str) -> OutputError:
    return OutputError(
        [
            Diagnostic(
                "error",
                "output.unwritable",
                message,
                None,
                "choose a writable folder with --out, or free some space",
            )
        ]
    )
