"""Text measurement with a theme's real fonts: PowerPoint-style wrapping and heights.

Widths come from the font files' own advance tables (fontTools `hmtx`, the numbers FreeType
and Pillow's `getlength` use too), so a line is as long as the font says, not as a guess.
Characters the font lacks are measured with its fallbacks (the theme's emoji font), and a
character no font has counts as one em, as wide as a CJK ideograph. Widths are cached per
(font, word) in ems, so re-measuring at another size during shrink-to-fit costs nothing.

Layout code keeps `HEIGHT_SAFETY` and `WIDTH_SAFETY` of each box free, because PowerPoint
shapes text with its own engine; the checker in `overflow.py` measures what a deck's XML
actually says against the full box, so it is independent of the layout code that made it.
"""

from __future__ import annotations

import logging
import unicodedata
from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ...fonts import FontFace, FontRole
    from ...tokens import Theme

# PowerPoint's default insets: 0.1 in left and right, 0.05 in top and bottom (bodyPr).
DEFAULT_INSETS = (7.2, 7.2, 3.6, 3.6)
# Share of each box that layout may fill: PowerPoint's shaper differs from FreeType's, and
# one extra wrapped line must still fit (expert notes B2: keep ~8-10 % of the height free).
HEIGHT_SAFETY = 0.92
WIDTH_SAFETY = 0.96
UNKNOWN_EM = 1.0  # a character no theme font has: as wide as a CJK ideograph
DEFAULT_SIZE = 18.0  # PowerPoint's size for a run that names none
HARD_BREAKS = "\n\v\u2028"


@dataclass(frozen=True, slots=True)
class Metrics:
    """What measuring needs from one font file: advances in ems and the line height."""

    advances: dict[int, float]
    line_em: float


@cache
def metrics(path: str) -> Metrics:
    """Read a font's advance widths and line height once per process."""
    from fontTools.ttLib import TTFont

    # Some OFL fonts carry a 1904-epoch 'created' stamp that fontTools logs about.
    logging.getLogger("fontTools.ttLib.tables._h_e_a_d").setLevel(logging.ERROR)
    with TTFont(path, lazy=True) as font:
        upm = font["head"].unitsPerEm
        widths = font["hmtx"].metrics
        advances = {cp: widths[glyph][0] / upm for cp, glyph in font.getBestCmap().items()}
        hhea = font["hhea"]
        line = (hhea.ascent - hhea.descent + hhea.lineGap) / upm
        if "OS/2" in font:  # Windows metrics decide the line pitch in PowerPoint
            os2 = font["OS/2"]
            line = max(line, (os2.usWinAscent + os2.usWinDescent) / upm)
    return Metrics(advances, line)


@dataclass(frozen=True, slots=True)
class Face:
    """One font file to measure with, the files that supply characters it lacks, and the
    files a viewer without it draws with instead (its substitutes)."""

    path: str
    fallbacks: tuple[str, ...] = ()
    substitutes: tuple[str, ...] = ()

    def has(self, char: str) -> bool:
        return ord(char) in metrics(self.path).advances


@lru_cache(maxsize=1 << 18)
def em_width(face: Face, text: str) -> float:
    """Advance width of `text` in ems (multiply by the size in points): the widest of the
    face and its substitutes, so a line that fits here fits wherever the font is missing.
    (Greedy wrapping with widths no smaller than each font's never needs fewer lines.)"""
    widest = _chain_width(face.path, face.fallbacks, text)
    for substitute in face.substitutes:
        widest = max(widest, _chain_width(substitute, face.fallbacks, text))
    return widest


def _chain_width(path: str, fallbacks: tuple[str, ...], text: str) -> float:
    """Width of `text` in one font, characters it lacks taken from the fallbacks."""
    primary = metrics(path).advances
    total = 0.0
    for char in text:
        code = ord(char)
        width = primary.get(code)
        if width is None:
            if unicodedata.category(char) in ("Mn", "Me", "Cf", "Cc"):
                continue  # joiners, variation selectors and marks add no advance
            width = next(
                (m.advances[code] for m in map(metrics, fallbacks) if code in m.advances),
                UNKNOWN_EM,
            )
        total += width
    return total


def width(face: Face, text: str, size: float) -> float:
    """Advance width of `text` at `size` points, in points."""
    return em_width(face, text) * size


def line_height(face: Face, size: float, spacing: float = 1.0) -> float:
    """Distance between baselines in points: the font's line height (the tallest of the
    face and its substitutes) times the spacing."""
    line = max(metrics(p).line_em for p in (face.path, *face.substitutes))
    return line * size * spacing


Segment = tuple[str, Face]  # a run of text in one face


@dataclass(frozen=True, slots=True)
class Para:
    """One paragraph as measured: its runs, size, indents and spacing, all in points."""

    segments: tuple[Segment, ...]
    size: float
    spacing: float = 1.0  # line spacing multiple
    indent: float = 0.0  # left margin of the text (bullets hang to its left)
    before: float = 0.0  # space before, points
    after: float = 0.0  # space after, points

    @property
    def text(self) -> str:
        return "".join(t for t, _ in self.segments)


def wrap(segments: Sequence[Segment], size: float, width_pt: float) -> list[str]:
    """Lines as PowerPoint wraps them: greedy at spaces, an over-long word broken by character."""
    return list(_wrap(tuple(segments), size, round(width_pt, 3)))


@lru_cache(maxsize=1 << 14)
def _wrap(segments: tuple[Segment, ...], size: float, width_pt: float) -> tuple[str, ...]:
    lines: list[str] = []
    for hard_line in _split_hard(segments):
        lines.extend(_wrap_line(hard_line, size, max(width_pt, 1.0)))
    return tuple(lines)


def _split_hard(segments: tuple[Segment, ...]) -> Iterator[list[Segment]]:
    """Split at hard line breaks (a:br)."""
    line: list[Segment] = []
    for text, face in segments:
        parts = _split_any(text, HARD_BREAKS)
        for i, part in enumerate(parts):
            if i:
                yield line
                line = []
            if part:
                line.append((part, face))
    yield line


def _split_any(text: str, seps: str) -> list[str]:
    for sep in seps[1:]:
        text = text.replace(sep, seps[0])
    return text.split(seps[0])


Word = list[Segment]


def _words(segments: list[Segment]) -> Iterator[tuple[Word, Face | None]]:
    """Words (possibly spanning runs) with the face of the space that precedes them."""
    word: Word = []
    space_face: Face | None = segments[0][1] if segments else None
    for text, face in segments:
        pieces = text.split(" ")
        for i, piece in enumerate(pieces):
            if i:
                yield word, space_face
                word, space_face = [], face
            if piece:
                word.append((piece, face))
    yield word, space_face


def _word_width(word: Word, size: float) -> float:
    return sum(em_width(face, text) for text, face in word) * size


def _wrap_line(segments: list[Segment], size: float, limit: float) -> list[str]:
    lines: list[str] = []
    current, used, first = "", 0.0, True
    for word, space_face in _words(segments):
        text, w = "".join(t for t, _ in word), _word_width(word, size)
        space = em_width(space_face, " ") * size if space_face else 0.0
        if not first and used + space + w <= limit:
            current, used = f"{current} {text}", used + space + w
            continue
        if not first:
            lines.append(current)
        current, used, first = text, w, False
        if w > limit:  # a word longer than a line breaks by character, like PowerPoint
            pieces = _break_word(word, size, limit)
            lines.extend(text for text, _ in pieces[:-1])
            current, used = pieces[-1]
    lines.append(current)
    return lines


def _break_word(word: Word, size: float, limit: float) -> list[tuple[str, float]]:
    """Pieces of an over-long word, none wider than the line, with their widths."""
    out, line, used = [], "", 0.0
    for text, face in word:
        for char in text:
            w = em_width(face, char) * size
            if line and used + w > limit:
                out.append((line, used))
                line, used = "", 0.0
            line += char
            used += w
    out.append((line, used))
    return out


def para_lines(para: Para, width_pt: float) -> int:
    return line_count(para.segments, para.size, width_pt - para.indent)


def line_count(segments: tuple[Segment, ...], size: float, width_pt: float) -> int:
    """`len(wrap(...))`, counted from the paragraph's word widths in ems: measured once
    and kept, so counting the same paragraph's lines at another size or width is a loop
    of additions (the planner counts each about ten times), not a new walk of its text."""
    limit = max(round(width_pt, 3), 1.0)
    count = 0
    for words, spaces in _ems(segments):
        used, first = 0.0, True
        for word_em, space_em in zip(words, spaces):
            w = word_em * size
            if not first and used + space_em * size + w <= limit:
                used = used + space_em * size + w
                continue
            if w > limit:  # broken by character: the wrapper counts its pieces
                return len(wrap(segments, size, width_pt))
            count += 0 if first else 1
            used, first = w, False
        count += 1
    return count


@lru_cache(maxsize=1 << 16)
def _ems(segments: tuple[Segment, ...]) -> tuple[tuple[array[float], array[float]], ...]:
    """Each hard line's words: their widths and the widths of the spaces before them, in
    ems (as `_wrap_line` sums them before multiplying by the size)."""
    lines = []
    for hard_line in _split_hard(segments):
        words, spaces = array("d"), array("d")
        for word, space_face in _words(hard_line):
            words.append(sum(em_width(face, text) for text, face in word))
            spaces.append(em_width(space_face, " ") if space_face else 0.0)
        lines.append((words, spaces))
    return tuple(lines)


def para_height(para: Para, width_pt: float) -> float:
    """Height of one paragraph in a column `width_pt` wide, spacing included."""
    faces: set[Face | None] = {face for _, face in para.segments} or {None}
    pitch = max(
        line_height(f, para.size, para.spacing) if f else para.size * 1.2 * para.spacing
        for f in faces
    )
    return para_lines(para, width_pt) * pitch + para.before + para.after


def content_height(paras: Iterable[Para], width_pt: float) -> float:
    return sum(para_height(p, width_pt) for p in paras)


@dataclass(frozen=True, slots=True)
class Box:
    """A text frame's extent and insets, in points."""

    width: float
    height: float
    insets: tuple[float, float, float, float] = DEFAULT_INSETS  # left, right, top, bottom

    @property
    def inner_width(self) -> float:
        return self.width - self.insets[0] - self.insets[1]

    @property
    def inner_height(self) -> float:
        return self.height - self.insets[2] - self.insets[3]


def measured_width(box: Box, safe: bool = True) -> float:
    """The width text is wrapped to in this box: its inner width, less the safety margin."""
    return box.inner_width * (WIDTH_SAFETY if safe else 1.0)


def frame_height(paras: Sequence[Para], box: Box, safe: bool = True) -> float:
    """Height the paragraphs need in this box, insets included."""
    return content_height(paras, measured_width(box, safe)) + box.insets[2] + box.insets[3]


def fits(paras: Sequence[Para], box: Box, safe: bool = True) -> bool:
    """Whether the paragraphs fit the box (with the layout safety margins unless `safe=False`)."""
    limit = box.height * (HEIGHT_SAFETY if safe else 1.0)
    return frame_height(paras, box, safe) <= limit + 1e-6


def theme_face(
    theme: Theme, role: FontRole = "body", bold: bool = False, italic: bool = False
) -> Face:
    """The Face for a theme font role ('heading', 'body', 'mono')."""
    return face_of(theme, theme.fonts.role(role), bold, italic)


def face_of(theme: Theme, font: FontFace, bold: bool = False, italic: bool = False) -> Face:
    """The Face for one of a theme's text fonts, with its fallbacks and its substitute."""
    fonts = theme.fonts
    fallbacks = tuple(str(f.file(bold)) for f in fonts.fallbacks)
    fallbacks += (str(fonts.emoji.file),) if fonts.emoji else ()
    substitute = fonts.substitute_for(font)
    substitutes = (str(substitute.file(bold, italic)),) if substitute else ()
    return Face(str(font.file(bold, italic)), fallbacks, substitutes)
