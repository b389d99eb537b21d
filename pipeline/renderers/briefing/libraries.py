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

WeasyPrint also imports two parts of fontTools it needs only for some fonts: the subsetter
(with lxml), a fallback for where HarfBuzz cannot subset, and the variable-font instancer
(with most of fontTools' table code), for variable fonts. Together 0.25 s of every PDF
process (0.82 -> 0.57 s, on a slow day); both are imported on first use instead, which the
themes' static fonts never make.

While it renders, WeasyPrint names C types cffi would parse with pycparser: `cdecls`
resolves the simple ones from the declarations (0.048 s of a cold briefing).
"""

from __future__ import annotations

import contextlib
import ctypes.util
import importlib.util
import io
import os
import sys
import types
from collections.abc import Callable, Iterator
from typing import Any


def import_weasyprint() -> None:
    """Import WeasyPrint (once per process), looking its libraries up quickly where that
    gives the same answer."""
    from . import cdecls

    # Installed on cffi's parser, not WeasyPrint: it helps when another module (the
    # fetcher's `weasyprint.urls`) imported WeasyPrint first.
    cdecls.install()
    if "weasyprint" in sys.modules:
        return
    _defer("fontTools.subset")
    _defer_function("fontTools.varLib.instancer", "instantiateVariableFont")
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


def _defer(name: str) -> None:
    """Make `name` a module that runs its code on first use of one of its attributes
    (importlib's LazyLoader), unless it already ran."""
    if name in sys.modules:
        return
    try:
        spec = importlib.util.find_spec(name)  # imports the parent package (cheap here)
    except ModuleNotFoundError:
        return  # no parent package: WeasyPrint's own import says so
    if spec is None or spec.loader is None:
        return  # not installed: WeasyPrint's own import says so
    spec.loader = importlib.util.LazyLoader(spec.loader)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    # `from fontTools import subset` looks on the package first; without the attribute it
    # imports again, which touches the module and runs it.
    parent, _, child = name.rpartition(".")
    setattr(sys.modules[parent], child, module)


def _defer_function(name: str, function: str) -> None:
    """Stand in for module `name` until its `function` is called or another of its
    attributes is used; then import the real module, which replaces the stand-in.

    LazyLoader cannot do this: `from name import function` reads the attribute at once."""
    if name in sys.modules:
        return
    stand_in = types.ModuleType(name, f"Stands in for {name} until it is used.")

    def real() -> types.ModuleType:
        if sys.modules.get(name) is stand_in:
            del sys.modules[name]
        return importlib.import_module(name)

    def call(*args: Any, **kwargs: Any) -> Any:
        return getattr(real(), function)(*args, **kwargs)

    def attribute_of_real(attribute: str) -> Any:
        if attribute.startswith("__"):
            # The import system asks for __path__ and the like: the answer for a module
            # that is no package, and no reason to import it.
            raise AttributeError(attribute)
        return getattr(real(), attribute)

    setattr(stand_in, function, call)
    setattr(stand_in, "__getattr__", attribute_of_real)  # noqa: B010
    sys.modules[name] = stand_in
