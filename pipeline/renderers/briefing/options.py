"""The briefing's options, as audience profiles set them under `options: pdf:` and `html:`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from ...model import doc

TAKEAWAYS = (
    "A 'Key takeaways' box opening the first content page: each section that has a "
    "verdict, with its verdict (only when the document has verdicts)."
)


@dataclass(frozen=True)
class PdfOptions:
    """The PDF briefing: paper, contents, key takeaways, PDF standard, chart tables, where
    sections start."""

    paper: Literal["A4", "Letter"] | None = field(
        default=None, metadata=doc("Paper size; unset follows the theme.")
    )
    toc: bool = field(default=True, metadata=doc("A table of contents with page numbers."))
    takeaways: bool = field(default=True, metadata=doc(TAKEAWAYS))
    variant: Literal["pdf/ua-1", "pdf/a-3b", "none"] = field(
        default="pdf/ua-1",
        metadata=doc("PDF standard: tagged PDF/UA-1 (accessible), PDF/A-3b (archival), or none."),
    )
    chart_tables: bool = field(
        default=False, metadata=doc("Print each chart's numbers as a table under it.")
    )
    section_breaks: Literal["flow", "page"] = field(
        default="flow",
        metadata=doc(
            "Where sections start: 'flow' continues on the same page after generous space "
            "(no half-empty pages); 'page' starts every section on a new page."
        ),
    )


@dataclass(frozen=True)
class HtmlOptions:
    """The html page: a linked table of contents, the key takeaways, tables of the charts'
    numbers."""

    toc: bool = field(default=True, metadata=doc("A linked table of contents."))
    takeaways: bool = field(default=True, metadata=doc(TAKEAWAYS))
    chart_tables: bool = field(
        default=False, metadata=doc("Print each chart's numbers as a table under it.")
    )
