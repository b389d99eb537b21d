"""The deck's options, as audience profiles set them under `options: pptx:`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from ...model import doc


@dataclass(frozen=True)
class Options:
    """The deck: agenda, dividers, speaker notes and how much text goes on slides."""

    agenda: bool = field(default=True, metadata=doc("An agenda slide built from the sections."))
    dividers: bool | None = field(
        default=None, metadata=doc("A divider slide before each section; unset follows the theme.")
    )
    notes: bool = field(
        default=True, metadata=doc("Speaker notes carrying the prose that is not on the slides.")
    )
    density: Literal["concise", "full"] = field(
        default="concise",
        metadata=doc("concise: bullets on slides, prose in the notes; full: prose on slides too."),
    )
