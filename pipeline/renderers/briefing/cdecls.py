"""The C types WeasyPrint names while it renders, resolved without running a C parser.

WeasyPrint calls Pango, HarfBuzz and fontconfig through cffi, and allocates with
`ffi.new('PangoRectangle *')`, `ffi.new(f'hb_codepoint_t[{n}]', ...)` and the like. cffi
parses each new type string with pycparser, inside a C file that first re-declares every
type WeasyPrint's cdef named: 3.3 ms a string. A cold briefing meets 14 of them (0.048 s
of its critical path), and every font subset with a glyph count not seen before in the
process is one more, warm or cold.

Almost all are a declared type name with stars or one array suffix: `name`, `name *`,
`name **`, `name[]`, `name[12]`. Those are built here from the parser's own declarations,
as the parser builds them (cffi's `model` types, which compare by their parts); anything
else (const, struct, function types, expressions or octal in the brackets) goes to the
parser as before. Installed on cffi's parser class by `libraries.import_weasyprint`, so it
serves every cffi user of the process; pinned to the cffi version whose parser it mirrors.
"""

from __future__ import annotations

import re
from typing import Any

PINNED = "2.1.1"
# A length as cffi reads it in decimal: no leading zero (octal to cffi), ASCII digits only.
_SIMPLE = re.compile(
    r"\s*([A-Za-z_]\w*(?: [A-Za-z_]\w*)?)\s*(\**)\s*(?:\[(0|[1-9][0-9]*|)\])?\s*", re.ASCII
)
# Primitive names already in the spelling cffi's parser reduces synonyms to.
_PRIMITIVES = frozenset({"char", "int", "unsigned int", "unsigned char", "float", "double"})
_installed = False
parsed_by_cffi: Any = None  # the parser's own method, for the tests' comparison


def install() -> None:
    """Give cffi's parser the quick path (idempotent; nothing on another cffi version)."""
    global _installed, parsed_by_cffi
    import cffi
    from cffi import cparser

    if _installed or cffi.__version__ != PINNED:
        return
    parse = parsed_by_cffi = cparser.Parser.parse_type_and_quals

    def parse_type_and_quals(self: Any, cdecl: str) -> tuple[Any, int]:
        return quick(self, cdecl) or parse(self, cdecl)

    cparser.Parser.parse_type_and_quals = parse_type_and_quals
    _installed = True


def quick(parser: Any, cdecl: str) -> tuple[Any, int] | None:
    """The (type, qualifiers) cffi's parser would give `cdecl`, or None to ask it."""
    from cffi import model
    from cffi.commontypes import resolve_common_type

    found = _SIMPLE.fullmatch(cdecl)
    if found is None:
        return None
    name, stars, length = found.groups()
    declared = parser._declarations.get("typedef " + name)
    if declared is not None:
        item, quals = declared
    elif name == "void":
        item, quals = model.void_type, 0
    elif name in _PRIMITIVES:
        item, quals = resolve_common_type(parser, name)
    else:
        return None  # struct, union, enum, const, an unknown name: the parser says
    if isinstance(item, model.RawFunctionType):
        return None  # a pointer to it is a function pointer type
    for _ in stars:
        item, quals = model.PointerType(item, quals), 0
    if length is not None:
        item = model.ArrayType(item, int(length) if length else None)
    return item, quals
