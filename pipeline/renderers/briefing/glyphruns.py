"""A line's glyphs written into the page with each run's glyph records read at once
(WeasyPrint 70).

WeasyPrint draws a line of text by walking Pango's glyph runs and, for every glyph, reading
its id, width and offsets through cffi one field at a time, then writing the glyph's hex id
and its kerning into the `TJ` string: about a microsecond of attribute access per glyph,
for the 250,000 glyphs of a 74-page briefing of bullets. A run's records are read here as
one buffer (`PangoGlyphInfo`: glyph, width, x and y offsets, attributes) and the same
string is written from them, with WeasyPrint's own arithmetic in WeasyPrint's order.

Only plain lines take this path: outline fonts without colour glyphs (SVG, PNG or COLR
tables), no empty or missing glyph, no glyph raised or lowered, no ellipsis. Any other line,
checked before anything is written, is drawn by WeasyPrint's own function, so its emoji
images, `.notdef` warnings and text rise are WeasyPrint's.
"""

from __future__ import annotations

import functools
import struct
from collections.abc import Callable
from typing import Any

from weasyprint.text.ffi import FROM_UNITS, ffi, pango

_RECORD = struct.Struct("=IiiiI")  # PangoGlyphInfo: glyph, geometry (3 x gint), vis attr
_EMPTY = pango.PANGO_GLYPH_EMPTY
_UNKNOWN = pango.PANGO_GLYPH_UNKNOWN_FLAG
# Pango before 1.48.2 gives glyph positions at a wrong scale (WeasyPrint's workaround).
_OLD_PANGO = pango.pango_version() < 14802

Draw = Callable[[Any, Any, str, Any, Any], list[Any]]


def drawing_runs_at_once(draw_first_line: Draw) -> Draw:
    """WeasyPrint's `draw_first_line`, with plain lines written from whole glyph records."""
    if ffi.sizeof("PangoGlyphInfo") != _RECORD.size:
        raise RuntimeError("PangoGlyphInfo is not the record glyphruns reads")

    @functools.wraps(draw_first_line)
    def draw(
        stream: Any, textbox: Any, text_overflow: str, block_ellipsis: Any, matrix: Any
    ) -> list[Any]:
        if (
            text_overflow == "ellipsis"
            or block_ellipsis != "none"
            or not textbox.text.strip()
            or textbox.style["font_size"] < 1e-6
        ):
            return draw_first_line(stream, textbox, text_overflow, block_ellipsis, matrix)
        runs = plain_runs(stream, textbox)
        if runs is None:  # WeasyPrint lays the line out no further: Pango keeps its lines
            return draw_first_line(stream, textbox, text_overflow, block_ellipsis, matrix)
        stream.set_text_matrix(*matrix.values)
        show_runs(stream, textbox, runs)
        return []  # no colour glyphs, so no emoji images to place

    return draw


def plain_runs(stream: Any, textbox: Any) -> list[tuple[Any, ...]] | None:
    """The line's runs as (glyph item, Pango font, font, size, records), or None where a
    run needs WeasyPrint's own drawing. Fonts are added as WeasyPrint adds them, in the
    same order (adding one twice changes nothing)."""
    pango.pango_layout_set_single_paragraph_mode(textbox.pango_layout.layout, True)
    first_line, _ = textbox.pango_layout.get_first_line()
    runs = []
    run = first_line.runs[0]
    while run != ffi.NULL:
        glyph_item = run.data
        run = run.next
        glyphs = glyph_item.glyphs
        pango_font = glyph_item.item.analysis.font
        font, font_size = stream.add_font(pango_font)
        if font.svg or font.png or font.colr:
            return None
        count = glyphs.num_glyphs
        records = list(_RECORD.iter_unpack(ffi.buffer(glyphs.glyphs, count * _RECORD.size)))
        if any(glyph == _EMPTY or glyph & _UNKNOWN or rise for glyph, _, _, rise, _ in records):
            return None
        if _OLD_PANGO:
            font_size = textbox.style["font_size"]
        runs.append((glyph_item, pango_font, font, font_size, records))
    return runs


def show_runs(stream: Any, textbox: Any, runs: list[tuple[Any, ...]]) -> None:
    """Write the runs' `TJ` strings as WeasyPrint's glyph loop writes them."""
    previous_pango_font = None
    string = ""
    for glyph_item, pango_font, font, font_size, records in runs:
        if pango_font != previous_pango_font:
            previous_pango_font = pango_font
            if string:
                stream.show_text(string)
            string = ""
            stream.set_font_size(font.hash, 1 if font.bitmap else font_size)
        string += "<" + _glyphs(stream, textbox, glyph_item, pango_font, font, font_size, records)
        # Close the run's glyph list, dropping it if empty (WeasyPrint's way).
        string = string[:-1] if string[-1] == "<" else string + ">"
    stream.show_text(string)


def _glyphs(
    stream: Any, textbox: Any, glyph_item: Any, pango_font: Any, font: Any, font_size: float,
    records: list[tuple[int, int, int, int, int]],
) -> str:  # fmt: skip
    parts = []
    to_unicode, widths = font.to_unicode, font.widths
    digits = "02x" if font.bitmap else "04x"
    for i, (glyph_id, width, x_offset, _, _) in enumerate(records):
        if glyph_id not in to_unicode:
            to_unicode[glyph_id] = _characters(textbox, glyph_item, i, len(records))
        offset = x_offset / font_size
        if offset:
            parts.append(f">{-offset}<")
        parts.append(format(glyph_id, digits))
        if glyph_id in widths:  # `in`, as WeasyPrint asks: the batch's replay spies on it
            logical_width = widths[glyph_id]
        else:
            pango.pango_font_get_glyph_extents(
                pango_font, glyph_id, stream.ink_rect, stream.logical_rect
            )
            logical_width = widths[glyph_id] = round(
                stream.logical_rect.width * 1000 * FROM_UNITS / font_size
            )
        kerning = logical_width + offset - width * 1000 * FROM_UNITS / font_size
        if kerning:
            parts.append(f">{int(kerning)}<")
    return "".join(parts)


def _characters(textbox: Any, glyph_item: Any, i: int, count: int) -> str:
    """The text glyph `i` of the run draws (its cluster), for the font's ToUnicode map."""
    item = glyph_item.item
    clusters = glyph_item.glyphs.log_clusters
    start = clusters[i]
    if item.analysis.level % 2:  # right to left
        end = item.length if i == 0 else clusters[i - 1]
    else:
        end = item.length if i == count - 1 else clusters[i + 1]
    text: bytes = textbox.pango_layout.text.encode()
    return text[item.offset + start : item.offset + end].decode()
