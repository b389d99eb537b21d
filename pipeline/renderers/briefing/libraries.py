"""Importing WeasyPrint without its slow library look-ups.

WeasyPrint opens Pango, GObject, HarfBuzz and fontconfig by trying several names for each,
most of them Windows or macOS names (`libpango-1.0-0`, `libharfbuzz-vector-0.dll`, ...).
cffi asks `ctypes.util.find_library` about every name, and on Linux each name that is not
in the dynamic loader's cache then costs two more subprocesses (gcc, then ld): 16 misses
and about 0.16 s of every process that renders a PDF, on the critical path of a build.

A bare name can only be opened from the loader's cache (which lists its default folders
too) unless LD_LIBRARY_PATH adds folders, so while WeasyPrint is first imported, a name is
looked up in that cache alone when LD_LIBRARY_PATH is unset. Should that leave WeasyPrint
without a library it needs, the import fails, and it is tried again with the real look-up:
the answer is then what it always was, only slower.
"""

from __future__ import annotations

import contextlib
import ctypes.util
import io
import os
import sys
from collections.abc import Callable, Iterator


def import_weasyprint() -> None:
    """Import WeasyPrint (once per process), looking its libraries up quickly where that
    gives the same answer."""
    if "weasyprint" in sys.modules:
        return
    quick = _quick_look_up()
    if quick is not None:
        try:
            # WeasyPrint prints its installation hints before it fails; the retry below
            # prints them again if they are true.
            with _looking_up_with(quick), contextlib.redirect_stdout(io.StringIO()):
                import weasyprint
            return
        except OSError:
            pass  # a module that failed is not kept: the next import runs it again
    import weasyprint  # noqa: F401


def _quick_look_up() -> Callable[[str], str | None] | None:
    """`find_library` answered from the loader's cache, where that is all it could find."""
    cache_only: Callable[[str], str | None] | None = getattr(
        ctypes.util, "_findSoname_ldconfig", None
    )  # CPython on Linux
    if not sys.platform.startswith("linux") or cache_only is None:
        return None
    if os.environ.get("LD_LIBRARY_PATH"):
        return None  # gcc's and ld's searches may find what only that path holds
    return cache_only


@contextlib.contextmanager
def _looking_up_with(find: Callable[[str], str | None]) -> Iterator[None]:
    original = ctypes.util.find_library
    setattr(ctypes.util, "find_library", find)  # noqa: B010  (cffi looks it up on every call)
    try:
        yield
    finally:
        setattr(ctypes.util, "find_library", original)  # noqa: B010
