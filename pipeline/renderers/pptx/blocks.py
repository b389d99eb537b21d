"""A topic's blocks as units: what goes on the slides, and the prose the notes keep.

Concise decks keep bullets, boxes, columns, tables, quotes, pictures and charts on the
slides and move prose to the speaker notes, except a short paragraph that leads into a
list; a topic of prose only shows its first paragraph as a statement. Full decks keep prose
too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import assert_never

from PIL import Image as PILImage

from ...charts import Chart
from ...colors import tint
from ...errors import Diagnostic, RenderError
from ...labels import Labels
from ...model import (
    Block,
    BulletItem,
    Bullets,
    Callout,
    CallToAction,
    Comparison,
    Heading,
    Image,
    Paragraph,
    Quote,
    Table,
    Verdict,
)
from ...tokens import Colors
from .columns import ColumnsUnit
from .slideplan import Span
from .style import Copy, Role
from .tables import TableUnit
from .units import BoxUnit, ChartUnit, ImageUnit, TextUnit, Unit

LEAD_WORDS = 32  # a paragraph this short may lead a list on a concise slide
STATEMENT_WORDS = 70  # a lone paragraph this short is set large, as a statement


class UnitMaker:
    """Makes units from blocks in one theme's colours, at one density."""

    def __init__(self, colors: Colors, labels: Labels, concise: bool) -> None:
        self.colors, self.labels, self.concise = colors, labels, concise

    def units(
        self, blocks: list[Block], leads: Sequence[str] = (), label: str | None = None
    ) -> tuple[list[Unit], str]:
        """The blocks of one topic as units, and the prose that goes to the notes."""
        units: list[Unit] = []
        prose: list[str] = []
        hidden: list[Paragraph] = []

        def text_unit() -> TextUnit:
            if not units or not isinstance(units[-1], TextUnit) or units[-1].statement:
                units.append(TextUnit([]))
            return units[-1]  # type: ignore[return-value]

        if leads or label:
            text_unit().paras.extend(self.leads(leads, label))
        for i, block in enumerate(blocks):
            following = blocks[i + 1] if i + 1 < len(blocks) else None
            match block:
                case Paragraph():
                    prose.append(block.text)
                    if self.concise and not _leads(block, following, i):
                        hidden.append(block)
                        continue
                    role: Role = "lead" if self.concise else "body"
                    text_unit().paras.append(Copy(role, (Span(block.text),)))
                case Heading():
                    text_unit().paras.append(Copy("col_heading", (Span(block.text, bold=True),)))
                case Bullets():
                    text_unit().paras.extend(
                        self.bullet_paras(block.items, block.marker, block.ordered)
                    )
                case Verdict():
                    units.append(self.verdict(block))
                case Callout():
                    tone = {
                        "note": self.colors.primary,
                        "tip": self.colors.accent,
                        "warning": self.colors.warning,
                        "success": self.colors.success,
                    }
                    units.append(
                        self.box(
                            block.label or self.labels.tone(block.tone),
                            block.text,
                            tone[block.tone],
                        )
                    )
                case Comparison():
                    units.append(self.columns(block))
                case Table():
                    units.append(TableUnit(block.header, list(block.rows), block.caption))
                    if block.caption:
                        prose.append(block.caption)
                case Quote():
                    units.append(self.quote(block))
                case Image():
                    units.append(_image_unit(block))
                case CallToAction():
                    pass  # a closing slide of its own (see topic)
                case Chart():
                    units.append(ChartUnit(block, self.labels.source))
                    prose.append(f"{block.title}: {block.alt}")  # the presenter's description
                case _:
                    assert_never(block)
        if units == [] and hidden:
            # A prose-only topic on a concise deck: its first paragraph is the statement.
            units.append(TextUnit([Copy("statement", (Span(hidden[0].text),))], statement=True))
        elif (
            len(units) == 1
            and isinstance(units[0], TextUnit)
            and len(units[0].paras) == 1
            and units[0].paras[0].role in ("body", "lead")
            and len(units[0].paras[0].plain.split()) <= STATEMENT_WORDS
        ):
            units[0] = TextUnit([replace(units[0].paras[0], role="statement")], statement=True)
        return [u for u in units if not isinstance(u, TextUnit) or u.paras], "\n\n".join(prose)

    def leads(self, leads: Sequence[str], label: str | None = None) -> list[Copy]:
        """A topic's opening lines: the section's label (template decks), then its leads."""
        paras = (
            [Copy("lead", (Span(label, bold=True, color=self.colors.primary),))] if label else []
        )
        return paras + [Copy("lead", (Span(text),)) for text in leads]

    def banner(self, verdicts: Sequence[Verdict]) -> BoxUnit:
        """Verdicts concluding a slide, as one box for its foot."""
        box = self.verdict(verdicts[0])
        box.paras += [p for v in verdicts[1:] for p in self.verdict(v).paras]
        return box

    def bullet_paras(
        self, items: Sequence[BulletItem], marker: str | None, ordered: bool, level: int = 0
    ) -> list[Copy]:
        paras = []
        for n, item in enumerate(items, 1):
            mark = item.marker or (marker if level == 0 else None)
            paras.append(
                Copy(
                    "bullet",
                    (Span(item.text),),
                    level=min(level, 4),
                    marker=mark,
                    number=n if ordered and level == 0 else None,
                )
            )
            paras += self.bullet_paras(item.items, None, False, level + 1)
        return paras

    def box(self, label: str, text: str, tone: str) -> BoxUnit:
        fill = tint(tone, self.colors.background, 0.12)
        return BoxUnit(
            Copy("box_label", (Span(label.upper() if label.isascii() else label, bold=True),)),
            [Copy("box_text", (Span(text),))],
            tone,
            fill,
        )

    def columns(self, block: Comparison) -> ColumnsUnit:
        headings = [_column_heading(col.heading) for col in block.columns]
        items = [self.bullet_paras(col.items, col.marker, False) for col in block.columns]
        title = Copy("lead", (Span(block.title, bold=True),)) if block.title else None
        return ColumnsUnit(headings, items, title)

    def side_by_side(self, topics: Sequence[tuple[str | None, list[Block]]]) -> ColumnsUnit:
        """Parallel sub-sections as columns: each its heading, then its blocks. Concise
        columns leave the prose to the notes, unless a column would be empty without it."""
        headings, items = [], []
        for heading, blocks in topics:
            headings.append(_column_heading(heading or ""))
            shown: list[Copy] = []
            for block in blocks:
                if isinstance(block, Bullets):
                    shown += self.bullet_paras(block.items, block.marker, block.ordered)
                elif isinstance(block, Paragraph) and not self.concise:
                    shown.append(Copy("body", (Span(block.text),)))
            if not shown:  # a column of prose only keeps its prose
                shown = [Copy("body", (Span(b.text),)) for b in blocks if isinstance(b, Paragraph)]
            items.append(shown)
        return ColumnsUnit(headings, items)

    def verdict(self, block: Verdict, alone: bool = False) -> BoxUnit:
        """A verdict's box; `alone` on its slide, it is set large, as a statement."""
        box = self.box(block.label or self.labels.verdict, block.text, self.colors.success)
        box.name = "Verdict"
        if alone:
            box.paras = [replace(p, role="statement") for p in box.paras]
        return box

    def quote(self, block: Quote) -> BoxUnit:
        paras = [Copy("quote", (Span(f"“{block.text}”", role="heading", italic=False),))]
        if block.source:
            paras.append(Copy("source", (Span(f"— {block.source}"),)))
        return BoxUnit(None, paras, self.colors.accent, None, "Quote")


def _column_heading(text: str) -> Copy:
    return Copy("col_heading", (Span(text, role="heading", bold=True),))


def _leads(block: Paragraph, following: Block | None, index: int) -> bool:
    """On a concise slide, keep a paragraph that introduces the list right after it."""
    if not isinstance(following, (Bullets, Comparison)):
        return False
    words = len(block.text.split())
    return words <= LEAD_WORDS and (block.text.rstrip().endswith(":") or index == 0)


def _image_unit(block: Image) -> ImageUnit:
    if block.path is None:
        raise RenderError(
            [
                Diagnostic(
                    "error", "pptx.image", f"image '{block.src}' has no resolved file", block.loc
                )
            ]
        )
    with PILImage.open(block.path) as im:
        w, h = im.size
    return ImageUnit(str(block.path), block.alt, block.caption, h / w if w else 1.0)
