"""The Markdown output's options, as audience profiles set them under `options: markdown:`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from ...model import doc


@dataclass(frozen=True)
class Options:
    """The Markdown text: markers, comparison columns and metadata."""

    markers: bool = field(default=True, metadata=doc("Prefix bullets with their emoji marker."))
    columns: Literal["plain", "pandoc"] = field(
        default="plain",
        metadata=doc("Comparisons as headed lists, or as Pandoc column divs (two-column slides)."),
    )
    front_matter: bool = field(default=True, metadata=doc("Start with a YAML metadata block."))
