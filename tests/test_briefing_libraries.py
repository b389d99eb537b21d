"""WeasyPrint imported with quick library look-ups (renderers/briefing/libraries.py) opens the
libraries the real look-up opens, without the compiler and linker runs, and falls back to the
real look-up when the quick one is not enough; the C types WeasyPrint names while it renders
are resolved without pycparser, to what cffi's parser makes of them. Each import case is a
fresh interpreter: WeasyPrint is imported once per process."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

# Prints the system's shared libraries of Pango, GObject, HarfBuzz and fontconfig the process
# mapped, and every program it started while importing.
_IMPORT = """
import json, subprocess, sys
started = []
real_popen = subprocess.Popen.__init__
def recording(self, args, *rest, **kw):
    started.append(args[0] if isinstance(args, (list, tuple)) else args)
    real_popen(self, args, *rest, **kw)
subprocess.Popen.__init__ = recording
sys.path.insert(0, sys.argv[1])
from pipeline.renderers.briefing import libraries
if sys.argv[2] == "quick":
    libraries.import_weasyprint()
elif sys.argv[2] == "cache-lacks-everything":
    libraries._quick_look_up = lambda: (lambda name: None)
    libraries.import_weasyprint()
else:
    import weasyprint
from weasyprint.text import ffi
mapped = sorted({line.split()[-1] for line in open("/proc/self/maps")
                 if any(n in line for n in ("pango", "gobject", "harfbuzz", "fontconfig"))
                 and "site-packages" not in line})  # the system's, not uharfbuzz's own
print(json.dumps({"mapped": mapped, "started": [str(s) for s in started],
                  "pango": ffi.pango is not None}))
"""

linux_only = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="the quick look-up is Linux's loader cache"
)


def _import(how: str, **env: str) -> tuple[dict, str]:
    done = subprocess.run(
        [sys.executable, "-c", _IMPORT, str(REPO), how],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, **env},
    )
    *printed, last = done.stdout.strip().splitlines()
    return json.loads(last), "\n".join(printed)


@linux_only
def test_the_quick_import_maps_the_libraries_the_real_look_up_maps_without_running_a_compiler():
    quick, _ = _import("quick")
    real, _ = _import("plain")
    assert quick["mapped"] == real["mapped"]
    assert any("libpango-1.0" in path for path in quick["mapped"])
    assert not [p for p in quick["started"] if Path(p).name in {"gcc", "cc", "ld"}]
    if shutil.which("gcc"):  # the real look-up runs it for every name the cache lacks
        assert [p for p in real["started"] if Path(p).name in {"gcc", "cc", "ld"}]


@linux_only
def test_libraries_the_loader_cache_does_not_list_are_found_by_the_real_look_up_silently():
    found, printed = _import("cache-lacks-everything")
    assert found["pango"] and any("libpango-1.0" in path for path in found["mapped"])
    assert "could not import some external libraries" not in printed
    assert printed == ""


def test_with_ld_library_path_set_the_real_look_up_answers(monkeypatch):
    from pipeline.renderers.briefing import libraries

    monkeypatch.setenv("LD_LIBRARY_PATH", "/opt/pango/lib")
    assert libraries._quick_look_up() is None
    monkeypatch.delenv("LD_LIBRARY_PATH")
    assert libraries._quick_look_up() is not None or not sys.platform.startswith("linux")


# Imports WeasyPrint as the briefing does, then uses the two deferred parts of fontTools:
# the subsetter (by rendering a PDF with HarfBuzz's subsetter taken away, so WeasyPrint falls
# back to fontTools') and the variable-font instancer (called on a static font, whose refusal
# names the missing table).
_DEFERRED = """
import json, sys, types
sys.path.insert(0, sys.argv[1])
from pipeline.renderers.briefing import libraries
libraries.import_weasyprint()
at_import = [m for m in ("fontTools.varLib", "lxml.etree", "fontTools.subset.svg")
             if m in sys.modules]
import weasyprint
from weasyprint.pdf import fonts
from fontTools.ttLib import TTFont
fonts.harfbuzz_subset = None
html = ("<style>@font-face { font-family: T; src: url(%s) }</style>"
        "<p style='font-family: T'>Subset me</p>" % sys.argv[2])
pdf = weasyprint.HTML(string=html, base_url="/").write_pdf(uncompressed_pdf=True)
try:
    fonts.instantiateVariableFont(TTFont(sys.argv[2]), {"wght": 400})
    refusal = None
except ValueError as exc:
    refusal = str(exc)
print(json.dumps({
    "at_import": at_import,
    "pdf": pdf[:5].decode(), "embedded": pdf.count(b"/FontFile"),
    "subset_ran": type(sys.modules["fontTools.subset"]) is types.ModuleType,
    "instancer_is_real": hasattr(sys.modules["fontTools.varLib.instancer"], "__file__"),
    "refusal": refusal,
}))
"""


def test_weasyprint_imports_without_the_font_subsetter_and_instancer_and_both_work_when_used():
    font = REPO / "themes" / "base" / "fonts" / "dejavu" / "DejaVuSans.ttf"
    done = subprocess.run(
        [sys.executable, "-c", _DEFERRED, str(REPO), str(font)],
        capture_output=True,
        text=True,
        check=True,
    )
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found["at_import"] == []
    assert found["pdf"] == "%PDF-" and found["embedded"] >= 1
    assert found["subset_ran"]
    assert found["instancer_is_real"]
    assert found["refusal"] == "Missing required table fvar"


def test_every_type_weasyprint_declares_resolves_quickly_to_what_cffi_s_parser_makes_of_it():
    from pipeline.renderers.briefing import cdecls, libraries

    libraries.import_weasyprint()
    from weasyprint.text.ffi import ffi

    parser = ffi._parser
    names = [key.removeprefix("typedef ") for key in parser._declarations if key[:8] == "typedef "]
    cdecls_ = [n + suffix for n in names for suffix in ("", " *", " **", "[]", "[7]", " *[2]")]
    cdecls_ += ["void *", "char[]", "char[4]", "unsigned int *", "double *", "int"]
    quick = {c: cdecls.quick(parser, c) for c in cdecls_}
    assert sum(q is not None for q in quick.values()) > 0.9 * len(cdecls_)
    for cdecl, answer in quick.items():
        if answer is not None:
            parsed = cdecls.parsed_by_cffi(parser, cdecl)
            assert (answer, type(answer[0])) == (parsed, type(parsed[0])), cdecl


def test_types_the_quick_path_does_not_know_go_to_cffi_s_parser():
    from pipeline.renderers.briefing import cdecls, libraries

    libraries.import_weasyprint()
    from weasyprint.text.ffi import ffi

    unknown = ["const char *", "struct _FcPattern *", "int[2][3]", "char[N]", "unknown_t *"]
    unknown += ["hb_codepoint_t[012]", "hb_codepoint_t[08]", "hb_codepoint_t[\u0661\u0662]"]
    for cdecl in unknown:  # octal and non-ASCII lengths: cffi reads 012 as 10, refuses 08
        assert cdecls.quick(ffi._parser, cdecl) is None, cdecl
    assert ffi.sizeof("int[2][3]") == 6 * ffi.sizeof("int")  # the parser still answers
    assert ffi.typeof("const char *").cname == "char *"


_RENDER = """
import sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from pipeline import renderers
from pipeline.audience import load_profiles, select
from pipeline.context import BuildContext
from pipeline.loader import load_document
from pipeline.project import Project
from pipeline.themes import load_theme
project = Project(Path(sys.argv[1]))
profile = load_profiles(project.audiences_file)["tech-leaders"]
document = select(load_document(project.content / "rust-vs-go.yaml", project), profile)
pdf = renderers.get("pdf")
pdf.warm()
import pycparser
parses = []
real = pycparser.CParser.parse
pycparser.CParser.parse = lambda self, *a, **k: parses.append(1) or real(self, *a, **k)
rendered = pdf.render(document, load_theme(profile.theme, project), profile.options_for("pdf"),
                      BuildContext())
print(rendered.units, len(parses))
"""


def test_a_briefing_renders_without_running_the_c_parser():
    done = subprocess.run(
        [sys.executable, "-c", _RENDER, str(REPO)],
        capture_output=True, text=True, check=True, env=os.environ,
    )  # fmt: skip
    pages, parses = map(int, done.stdout.split())
    assert pages >= 7
    assert parses == 0
