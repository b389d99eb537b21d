"""A built deck's text, read back with python-pptx for `twinpress verify`: slide by slide,
the title first, then every shape, table cell and the speaker notes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from ..contract import Part, ReadBack


def read_deck(path: Path) -> ReadBack:
    parts = []
    for number, slide in enumerate(Presentation(str(path)).slides, 1):
        title = slide.shapes.title
        texts = [title.text_frame.text] if title is not None and title.has_text_frame else []
        texts += [t for shape in slide.shapes if shape is not title for t in _shape_texts(shape)]
        if slide.has_notes_slide:
            texts.append(slide.notes_slide.notes_text_frame.text)
        parts.append(Part(number, "\n".join(texts)))
    return ReadBack(tuple(parts), whole_units=True)


def _shape_texts(shape: Any) -> list[str]:
    if shape.shape_type == MSO_SHAPE_TYPE.GROUP:
        return [t for child in shape.shapes for t in _shape_texts(child)]
    if getattr(shape, "has_table", False) and shape.has_table:
        return [cell.text for row in shape.table.rows for cell in row.cells]
    if getattr(shape, "has_text_frame", False) and shape.has_text_frame:
        return [shape.text_frame.text]
    return []
