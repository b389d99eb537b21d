"""The deck's options, as audience profiles set them under `options: pptx:`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal

from ...model import doc

Dividers = Literal["auto", "always", "never"]


@dataclass(frozen=True)
class Options:
    """The deck: agenda, key takeaways, dividers, verdicts, speaker notes and density."""

    # `dividers: true/false`, the option's earlier boolean form, still reads as always/never.
    ALIASES: ClassVar[dict[Any, dict[str, str]]] = {Dividers: {"true": "always", "false": "never"}}

    agenda: bool = field(default=True, metadata=doc("An agenda slide built from the sections."))
    takeaways: bool = field(
        default=True,
        metadata=doc(
            "A 'Key takeaways' slide after the agenda: each section that has a verdict, "
            "with its verdict (only when the document has verdicts)."
        ),
    )
    dividers: Dividers | None = field(
        default=None,
        metadata=doc(
            "Section divider slides. auto: only before a section that spans more than two "
            "slides; always: before every numbered section; never. Unset follows the theme "
            "(pptx.dividers: true is auto)."
        ),
    )
    verdicts: Literal["banner", "slide"] = field(
        default="banner",
        metadata=doc(
            "banner: a section's closing verdict at the foot of the slide it concludes when "
            "it fits there (else on a slide of its own); slide: always on a slide of its own."
        ),
    )
    notes: bool = field(
        default=True, metadata=doc("Speaker notes carrying the prose that is not on the slides.")
    )
    density: Literal["concise", "full"] = field(
        default="concise",
        metadata=doc(
            "concise: bullets, verdicts, tables and columns on the slides, the prose in the "
            "notes; full: the prose on the slides too."
        ),
    )
