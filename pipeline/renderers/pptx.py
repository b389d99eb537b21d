"""The `pptx` renderer: a native, editable PowerPoint deck built with python-pptx."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from ..errors import RenderError
from ..model import Document, doc

NAME = "pptx"
SUFFIX = ".pptx"
UNIT = "slides"
DESCRIPTION = "Editable PowerPoint deck (16:9), on the theme's master"


@dataclass(frozen=True)
class Options:
    agenda: bool = field(default=True, metadata=doc("An agenda slide built from the sections."))
    dividers: bool | None = field(default=None, metadata=doc(
        "A divider slide before each section; unset follows the theme."))
    notes: bool = field(default=True, metadata=doc(
        "Speaker notes carrying the prose that is not on the slides."))
    density: Literal["concise", "full"] = field(default="concise", metadata=doc(
        "concise: bullets on slides, prose in the notes; full: prose on slides too."))


def render(document: Document, theme, options: Options) -> bytes:
    raise RenderError("the pptx renderer is not implemented yet")
