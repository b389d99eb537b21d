"""The deck's type: the theme's tokens as paragraph roles, sized at a shrink step.

A `Copy` is a paragraph before sizing: its role (body, bullet, caption, ...), its runs and
its bullet. `Style.text` sizes it at shrink step k (0 is the theme's largest size, each step
one point smaller down to the theme's minimum) into a `Text` the measurer and drawer use.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Literal

from ...fonts import FontRole
from ...scripts import direction
from .measure import Box, Face, Para, frame_height, measured_width, para_height, theme_face
from .slideplan import BODY_INSETS, Bullet, Insets, Span, Text

if TYPE_CHECKING:
    from ...tokens import Theme

Role = Literal[
    "body",
    "lead",
    "statement",
    "bullet",
    "col_heading",
    "box_label",
    "box_text",
    "caption",
    "quote",
    "source",
    "cell",
    "header_cell",
    "agenda",
    "tile_number",
    "takeaway_title",
    "takeaway",
    "link",
]

# Paragraphs that introduce what follows them: a slide never ends with one.
LEADS_IN: tuple[Role, ...] = ("lead", "col_heading", "takeaway_title")


@dataclass(frozen=True, slots=True)
class Copy:
    """An unsized paragraph: a role from the style, its runs, and its bullet."""

    role: Role
    spans: tuple[Span, ...]
    level: int = 0
    marker: str | None = None
    number: int | None = None
    cont: bool = False  # the rest of a split bullet: no second bullet

    @property
    def plain(self) -> str:
        return "".join(s.text for s in self.spans)

    def with_text(self, text: str, cont: bool | None = None) -> Copy:
        first = self.spans[0]
        spans = (replace(first, text=text),)
        return replace(self, spans=spans, cont=self.cont if cont is None else cont)


class Style:
    """Sizes, colours and spacing for each paragraph role, from the theme's tokens."""

    def __init__(self, theme: Theme) -> None:
        self.theme = theme
        self.deck = theme.type.deck
        self.colors = theme.colors
        self.paragraph = theme.spacing.deck.paragraph
        self.icons = theme.markers == "icons"
        self._faces: dict[tuple[FontRole, bool, bool], Face] = {}
        deck = self.deck
        self.steps = (
            int(
                max(
                    deck.body - deck.min_body,
                    deck.table - deck.min_table,
                    deck.heading - deck.min_body,
                    0,
                )
            )
            + 1
        )

    def face(self, role: FontRole, bold: bool, italic: bool) -> Face:
        key = (role, bold, italic)
        if key not in self._faces:
            self._faces[key] = theme_face(self.theme, role, bold, italic)
        return self._faces[key]

    def body(self, k: int) -> float:
        return max(self.deck.min_body, self.deck.body - k)

    def table(self, k: int) -> float:
        return max(self.deck.min_table, self.deck.table - k)

    def statement(self, k: int) -> float:
        """A slide's one statement: set larger than a title, between heading and title."""
        return max(self.deck.min_body, (self.deck.heading + self.deck.title) / 2 - k)

    def quote(self, k: int) -> float:
        return max(self.deck.min_body, self.deck.heading - k)

    def text(self, p: Copy, k: int) -> Text:
        """Size and colour one paragraph at shrink step k; right-to-left text runs so."""
        text = self._sized(p, k)
        # An agenda line keeps its number on the left whatever its title's script.
        rtl = p.role not in ("agenda", "takeaway_title") and direction(p.plain) == "rtl"
        return replace(text, rtl=True) if rtl else text

    def _sized(self, p: Copy, k: int) -> Text:
        c, body, line = self.colors, self.body(k), self.deck.line_spacing
        role = p.role
        if role == "bullet":
            size = max(self.deck.min_body - 2, body - 2 * min(p.level, 2))
            return self._bullet(p, size, line)
        table: dict[Role, tuple[float, str | None, float]] = {
            "body": (body, c.text, self.paragraph * 1.5),
            "lead": (body + 2, c.text, self.paragraph * 2),
            "statement": (self.statement(k), c.text, self.paragraph * 2),
            "col_heading": (body + 2, c.primary, self.paragraph * 1.5),
            "box_label": (max(self.deck.small, body - 5), None, 3.0),
            "box_text": (body + 2, c.text, self.paragraph),
            "caption": (max(self.deck.small, body - 6), c.muted, 0.0),
            "quote": (self.quote(k), c.text, self.paragraph * 2),
            "source": (max(self.deck.small, body - 3), c.muted, 0.0),
            "cell": (self.table(k), c.text, 0.0),
            "header_cell": (self.table(k), c.on_primary, 0.0),
            "agenda": (body + 2, c.text, (body + 2) * 0.45),
            "tile_number": (self.quote(k), c.primary, self.paragraph),
            "takeaway_title": (body + 2, c.text, self.paragraph * 0.5),
            "takeaway": (body, c.text, self.paragraph * 3),
            "link": (body, c.on_primary, 0.0),
        }
        size, color, after = table[role]
        spacing = 1.0 if role in ("cell", "header_cell", "box_label", "link") else line
        text = Text(p.spans, size, color or c.text, spacing, after=after)
        if role in ("agenda", "takeaway_title"):
            hang = size * 2.4
            return replace(text, indent=hang, hang=hang)
        if role == "takeaway":  # under its section's title, past the number
            return replace(text, indent=(body + 2) * 2.4)
        if role == "source":
            return replace(text, align="r")
        if role == "link":
            return replace(text, align="ctr")
        return text

    def _bullet(self, p: Copy, size: float, line: float) -> Text:
        c = self.colors
        step = size * 1.6
        hang = size * (2.2 if p.number is not None else 1.55)
        indent = p.level * step + hang
        # Built whole, not `replace`d (8 us): the planner sizes each bullet about 20 times.
        bullet = None if p.cont else self.bullet(p)  # a continued item has none of its own
        return Text(
            p.spans,
            size,
            c.text,
            line,
            indent,
            hang,
            after=self.paragraph,
            level=p.level,
            bullet=bullet,
        )

    def bullet(self, p: Copy) -> Bullet:
        c = self.colors
        if p.number is not None:
            return Bullet("number", color=c.accent, number=p.number)
        if p.marker and p.marker != "dot":
            return Bullet("picture", marker=p.marker, color=c.accent)
        if p.level:
            return Bullet("char", "–", color=c.muted)
        return Bullet("char", "•", color=c.accent)

    def para(self, text: Text) -> Para:
        """The paragraph as the measurer sees it."""
        segments = tuple((s.text, self.face(s.role, s.bold, s.italic)) for s in text.spans)
        if text.hang and segments and "\t" in segments[0][0]:
            segments = ((segments[0][0].split("\t", 1)[1], segments[0][1]), *segments[1:])
        return Para(segments, text.size, text.spacing, text.indent, text.before, text.after)

    def height(self, texts: Sequence[Text], width: float, insets: Insets = BODY_INSETS) -> float:
        """Points needed by paragraphs in a frame `width` points wide (layout margins in)."""
        box = Box(width, 1e9, insets)
        return frame_height([self.para(t) for t in texts], box)

    def para_height(self, text: Text, width: float, insets: Insets = BODY_INSETS) -> float:
        """Points one paragraph takes in such a frame, insets left out: `height` sums these."""
        return para_height(self.para(text), measured_width(Box(width, 1e9, insets)))
