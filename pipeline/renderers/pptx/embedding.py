"""The theme's fonts as a deck carries them: subset, in TrueType outlines, in the Embedded
OpenType (EOT) container PowerPoint reads from `ppt/fonts/*.fntdata`.

PowerPoint embeds TrueType outlines, so a CFF-flavoured OpenType font (Inter, Noto Sans CJK)
is converted with fontTools' cu2qu first. Each face is cut to the characters the deck uses,
plus every character of the Unicode blocks up to U+24FF they come from (so a presenter who
fixes a typo still types in the deck's font, and the audiences of one source share one
cached subset). A font whose OS/2 `fsType` forbids embedding, or allows only bitmaps, is
never embedded (theme_checks warns about it at the theme's line). The EOT header follows
the W3C submission (version 0x00020002, uncompressed, not obfuscated).
"""

from __future__ import annotations

import io
import logging
import struct
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ... import store

if TYPE_CHECKING:
    from ...tokens import Theme

EOT_VERSION = 0x00020002
MAGIC = 0x504C
TTEMBED_SUBSET = 0x00000001
ROOT_CHECKSUM_KEY = 0x50475342  # the spec's XOR key for RootStringCheckSum
# OS/2 fsType bits that rule out embedding outlines: restricted licence, bitmap only.
FS_RESTRICTED, FS_NO_SUBSETTING, FS_BITMAP_ONLY = 0x0002, 0x0100, 0x0200
# Blocks (of 128 code points) kept whole up to here; beyond (CJK), only the characters used.
WHOLE_BLOCKS_BELOW = 0x2500
# Scripts whose text needs the font's own substitutions to be shaped at all.
SHAPED = ("arab", "hebr", "deva", "thai", "beng", "taml", "mlym", "knda", "telu", "gujr")
STYLES = ("regular", "bold", "italic", "bold_italic")


@dataclass(frozen=True, slots=True)
class EmbeddedFamily:
    """One typeface as the deck names it, with an EOT blob per style it has."""

    typeface: str
    styles: Mapping[str, bytes]  # 'regular' | 'bold' | 'italic' | 'bold_italic' -> EOT
    panose: str  # ten bytes in hex, from the font's OS/2 table
    pitch_family: int


@dataclass(frozen=True, slots=True)
class Permission:
    """What a font's licence bits (OS/2 fsType) allow an embedder."""

    embeddable: bool
    subsettable: bool
    reason: str = ""


def permission(path: Path) -> Permission:
    """Whether a font file may be embedded in a deck, and subset."""
    from fontTools.ttLib import TTFont

    with TTFont(str(path), lazy=True) as font:
        fs_type = font["OS/2"].fsType if "OS/2" in font else 0
    if fs_type & FS_RESTRICTED and not fs_type & 0x000C:
        reason = f"its licence bits forbid embedding (fsType {fs_type:#06x})"
        return Permission(False, False, reason)
    if fs_type & FS_BITMAP_ONLY:
        return Permission(False, False, f"it allows only bitmap embedding (fsType {fs_type:#06x})")
    return Permission(True, not fs_type & FS_NO_SUBSETTING)


def families(
    theme: Theme, typefaces: set[str], text: str, made: dict[str, bytes]
) -> list[EmbeddedFamily]:
    """The theme's fonts the deck names, as embedded families: its heading and body (the
    theme part's fonts, which new text boxes use), and the mono and script fallback faces
    when a run names them. Office families, emoji and fonts whose licence forbids it are
    left out (viewers have the first; theme_checks warns about the last). Faces an earlier
    build embedded come from the `store`; new ones are added to `made`."""
    fonts = theme.fonts
    wanted: dict[str, dict[str, Path]] = {}
    for face in fonts.faces():
        if face.office_family:
            continue
        if face in (fonts.heading, fonts.body) or face.family in typefaces:
            wanted.setdefault(face.family, dict(face.files()))
    for fallback in fonts.fallbacks:
        if fallback.family in typefaces:
            wanted.setdefault(fallback.family, dict(fallback.files()))
    codes = coverage_set(text)
    found = []
    for family, files in wanted.items():
        allowed = {style: path for style, path in files.items() if permission(path).embeddable}
        if not allowed:
            continue
        styles = {
            style: stored_eot(path, codes if permission(path).subsettable else None, made)
            for style, path in sorted(allowed.items(), key=lambda kv: STYLES.index(kv[0]))
        }
        panose, pitch = _font_class(allowed["regular"] if "regular" in allowed else next(
            iter(allowed.values())))  # fmt: skip
        found.append(EmbeddedFamily(family, styles, panose, pitch))
    return found


def _font_class(path: Path) -> tuple[str, int]:
    """PANOSE (hex) and the pitch-and-family byte PowerPoint lists a font with."""
    from fontTools.ttLib import TTFont

    with TTFont(str(path), lazy=True) as font:
        os2, post = font["OS/2"], font["post"]
        panose = bytes(_panose(os2)).hex().upper()
        fixed = bool(post.isFixedPitch)
        serif = os2.panose.bFamilyType == 2 and os2.panose.bSerifStyle not in (0, 1, 11, 12, 13)
    # FF_MODERN | FIXED_PITCH, FF_ROMAN | VARIABLE_PITCH, FF_SWISS | VARIABLE_PITCH
    return panose, 0x31 if fixed else (0x12 if serif else 0x22)


def coverage_set(text: Iterable[str]) -> frozenset[int]:
    """The code points to keep: those used, widened to whole blocks below U+2500."""
    keep: set[int] = set(range(0x20, 0x7F)) | set(range(0xA0, 0x100))
    for code in {ord(c) for c in text}:
        if code < WHOLE_BLOCKS_BELOW:
            start = code & ~0x7F
            keep.update(range(start, start + 0x80))
        else:
            keep.add(code)
    return frozenset(keep)


def stored_eot(path: Path, codes: frozenset[int] | None, made: dict[str, bytes]) -> bytes:
    """`eot`, from the store when an earlier build made it; else made, and added to `made`."""
    return store.reused(store.font_key("eot", path, codes), made, lambda: eot(path, codes))


def eot(path: Path, codes: frozenset[int] | None) -> bytes:
    """The font file as an EOT container, subset to `codes` (None: whole)."""
    return _eot(path, path.stat().st_mtime_ns, codes)


@lru_cache(maxsize=64)
def _eot(path: Path, _mtime: int, codes: frozenset[int] | None) -> bytes:
    from fontTools.ttLib import TTFont

    # Some OFL fonts carry a 1904-epoch 'created' stamp that fontTools logs about.
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    font = TTFont(str(path), recalcTimestamp=False, recalcBBoxes=True)
    if codes is not None:
        _subset(font, codes)
    if "CFF " in font or "CFF2" in font:
        _to_truetype(font)
    buffer = io.BytesIO()
    font.save(buffer, reorderTables=True)
    return _container(font, buffer.getvalue(), subset=codes is not None)


def _subset(font: Any, codes: frozenset[int]) -> None:
    """Cut the font to `codes`. Layout tables go unless a script needs them for shaping:
    PowerPoint neither kerns (kern="0") nor uses ligatures in Latin text, and reading a
    large GSUB or GPOS is most of the cost of subsetting."""
    from fontTools import subset

    if not _shapes_scripts(font):
        for tag in ("GSUB", "GPOS", "GDEF", "kern", "morx", "kerx"):
            if tag in font:
                del font[tag]
    options = subset.Options()
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.recalc_timestamp = False
    options.glyph_names = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(codes & set(font.getBestCmap())))
    subsetter.subset(font)


def _shapes_scripts(font: Any) -> bool:
    if "GSUB" not in font:
        return False
    records = font["GSUB"].table.ScriptList.ScriptRecord if font["GSUB"].table.ScriptList else []
    return any(r.ScriptTag.strip() in SHAPED for r in records)


def _to_truetype(font: Any) -> None:
    """Replace CFF outlines by quadratic TrueType outlines (what PowerPoint embeds)."""
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import newTable

    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    tolerance = font["head"].unitsPerEm / 1000  # a thousandth of an em
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, tolerance, reverse_direction=True))
        glyf.glyphs[name] = pen.glyph()
    for tag in ("CFF ", "CFF2", "VORG"):
        if tag in font:
            del font[tag]
    font["glyf"], font["loca"] = glyf, newTable("loca")
    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000
    for attr in ("maxZones", "maxTwilightPoints", "maxStorage", "maxFunctionDefs",
                 "maxInstructionDefs", "maxStackElements", "maxSizeOfInstructions",
                 "maxComponentElements", "maxComponentDepth"):  # fmt: skip
        setattr(maxp, attr, 1 if attr == "maxZones" else 0)
    font["head"].glyphDataFormat = 0
    post = font["post"]
    post.formatType, post.extraNames, post.mapping = 3.0, [], {}
    font.sfntVersion = "\x00\x01\x00\x00"


def _container(font: Any, data: bytes, subset: bool) -> bytes:
    """The EOT header (little-endian) followed by the font data."""
    os2, head, names = font["OS/2"], font["head"], font["name"]
    fixed = struct.pack(
        "<LLLL10sBBLHH4L2LL4L",
        0,  # EOTSize, filled in below
        len(data),
        EOT_VERSION,
        TTEMBED_SUBSET if subset else 0,
        bytes(_panose(os2)),
        1,  # DEFAULT_CHARSET, as the specification asks
        1 if os2.fsSelection & 0x01 else 0,
        os2.usWeightClass,
        os2.fsType,
        MAGIC,
        os2.ulUnicodeRange1,
        os2.ulUnicodeRange2,
        os2.ulUnicodeRange3,
        os2.ulUnicodeRange4,
        os2.ulCodePageRange1 if os2.version >= 1 else 0,
        os2.ulCodePageRange2 if os2.version >= 1 else 0,
        head.checkSumAdjustment,
        0,
        0,
        0,
        0,
    )
    strings = b"".join(_name(names, n) for n in (1, 2, 5, 4))
    tail = struct.pack("<HHLLHHLL", 0, 0, ROOT_CHECKSUM_KEY, 0, 0, 0, 0, 0)
    header = fixed + strings + tail
    size = len(header) + len(data)
    return struct.pack("<L", size) + header[4:] + data


def _panose(os2: Any) -> list[int]:
    p = os2.panose
    return [p.bFamilyType, p.bSerifStyle, p.bWeight, p.bProportion, p.bContrast,
            p.bStrokeVariation, p.bArmStyle, p.bLetterForm, p.bMidline, p.bXHeight]  # fmt: skip


def _name(names: Any, name_id: int) -> bytes:
    """Padding, then a name-table string as UTF-16LE with its byte count."""
    record = names.getName(name_id, 3, 1, 0x409) or names.getName(name_id, 3, 1)
    text = record.toUnicode() if record else ""
    encoded = text.encode("utf-16-le")
    return struct.pack("<HH", 0, len(encoded)) + encoded
