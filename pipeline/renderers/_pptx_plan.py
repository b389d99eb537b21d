"""Slide planning: the document as slides with every box placed and every text sized to fit.

Protocol. In: a Document already selected for one audience, a Theme, the pptx Options and
the Geometry of the base deck's layouts. Out: a list of SlidePlan, pure data that the
drawing module turns into python-pptx slides without making any decision of its own.

A section becomes an optional divider, then one *topic* per sub-heading (the blocks before
the first sub-heading form a topic titled with the section). A topic's blocks become
*units* (a text flow, columns, a table, a call-out box, a quote, an image), which are
stacked into the body area. Each topic is set at one scale: the largest that fits one
slide; when none does, the largest scale that still needs the fewest slides, and the units
split at paragraph, item, row or (for a single huge bullet) sentence and word boundaries
onto continuation slides titled "<title> (cont.)".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Iterator, Literal, Sequence, assert_never

from ..errors import Diagnostic, RenderError
from ..model import (Block, BulletItem, Bullets, Callout, CallToAction, Comparison, Document,
                     Heading, Image, Paragraph, Quote, Section, Table, Verdict, section_label)
from ..textfit import (EMU_PER_PT, HEIGHT_SAFETY, WIDTH_SAFETY, Box, Para, fits,
                       frame_height, theme_face, wrap)
from ._pptx_base import Geometry, Rect

if TYPE_CHECKING:
    from ..themes import Theme
    from .pptx import Options

GAP = 16.0                 # points between stacked units
LEAD_WORDS = 32            # a paragraph this short may lead a list on a concise slide
DIVIDER_LEAD_WORDS = 40    # a section's one-paragraph opening may sit on its divider
STATEMENT_WORDS = 70       # a lone paragraph this short is set large, as a statement
BODY_INSETS = (0.0, 0.0, 3.6, 3.6)
CARD_INSETS = (14.4, 14.4, 12.0, 12.0)
BOX_INSETS = (21.6, 14.4, 10.8, 10.8)
CELL_INSETS = (7.2, 7.2, 4.3, 4.3)


# ----------------------------------------------------------------------------------------
# What the drawing module receives


@dataclass(frozen=True, slots=True)
class Span:
    """A run of text: its font role, weight, slant, colour and link."""

    text: str
    role: Literal["heading", "body", "mono"] = "body"
    bold: bool = False
    italic: bool = False
    color: str | None = None
    link: str | None = None


@dataclass(frozen=True, slots=True)
class Bullet:
    """How a paragraph's bullet is drawn: a character, a picture (marker icon) or a number."""

    kind: Literal["char", "picture", "number"]
    char: str = "•"
    marker: str | None = None
    color: str = "#000000"
    number: int = 1


@dataclass(frozen=True, slots=True)
class Text:
    """A sized paragraph: everything the XML writer and the measurer need."""

    spans: tuple[Span, ...]
    size: float
    color: str
    spacing: float = 1.0
    indent: float = 0.0
    hang: float = 0.0
    before: float = 0.0
    after: float = 0.0
    align: Literal["l", "ctr", "r"] = "l"
    level: int = 0
    bullet: Bullet | None = None

    @property
    def plain(self) -> str:
        return "".join(s.text for s in self.spans)


@dataclass(frozen=True, slots=True)
class TextFrame:
    rect: Rect
    texts: tuple[Text, ...]
    slot: str | None = None          # "body", "col0", "col1": fill that layout placeholder
    fill: str | None = None
    anchor: Literal["t", "ctr", "b"] = "t"
    insets: tuple[float, float, float, float] = BODY_INSETS
    name: str = "Text"


@dataclass(frozen=True, slots=True)
class BoxFrame:
    """A call-out: a tinted box with a coloured rule down its left side."""

    rect: Rect
    texts: tuple[Text, ...]
    fill: str | None
    bar: str
    insets: tuple[float, float, float, float] = BOX_INSETS
    name: str = "Call-out"
    link: str | None = None


@dataclass(frozen=True, slots=True)
class TableFrame:
    rect: Rect
    widths: tuple[int, ...]
    heights: tuple[int, ...]
    cells: tuple[tuple[tuple[Text, ...], ...], ...]   # rows -> cells -> paragraphs
    header_fill: str
    stripe: str
    background: str
    border: str
    name: str = "Table"


@dataclass(frozen=True, slots=True)
class PictureFrame:
    rect: Rect
    path: str
    alt: str
    name: str = "Image"


Frame = TextFrame | BoxFrame | TableFrame | PictureFrame


@dataclass(frozen=True, slots=True)
class SlidePlan:
    layout: Literal["title", "section", "content", "two_content", "title_only"]
    title: str
    title_texts: tuple[Text, ...]
    title_rect: Rect
    frames: tuple[Frame, ...] = ()
    kicker: TextFrame | None = None
    subtitle: tuple[Text, ...] = ()      # title slide: subtitle placeholder; divider: body
    notes: str = ""
    section: str | None = None
    footer: bool = True
    footer_text: str = ""
    footer_size: float = 0.0
    number: TextFrame | None = None      # divider's big section number
    title_anchor: Literal["t", "ctr", "b"] = "t"


# ----------------------------------------------------------------------------------------
# Style: the theme's tokens as paragraph roles at a shrink step


@dataclass(frozen=True, slots=True)
class P:
    """An unsized paragraph: a role from the style, its runs, and its bullet."""

    role: str
    spans: tuple[Span, ...]
    level: int = 0
    marker: str | None = None
    number: int | None = None
    cont: bool = False      # the rest of a split bullet: no second bullet

    @property
    def plain(self) -> str:
        return "".join(s.text for s in self.spans)

    def with_text(self, text: str, cont: bool | None = None) -> P:
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
        self._faces: dict = {}
        deck = self.deck
        self.steps = int(max(deck.body - deck.min_body, deck.table - deck.min_table,
                             deck.heading - deck.min_body, 0)) + 1

    def face(self, role: str, bold: bool, italic: bool):
        key = (role, bold, italic)
        if key not in self._faces:
            self._faces[key] = theme_face(self.theme, role, bold, italic)
        return self._faces[key]

    def body(self, k: int) -> float:
        return max(self.deck.min_body, self.deck.body - k)

    def table(self, k: int) -> float:
        return max(self.deck.min_table, self.deck.table - k)

    def statement(self, k: int) -> float:
        return max(self.deck.min_body, self.deck.heading - k)

    def text(self, p: P, k: int) -> Text:
        """Size and colour one paragraph at shrink step k."""
        c, body, line = self.colors, self.body(k), self.deck.line_spacing
        role = p.role
        if role == "bullet":
            size = max(self.deck.min_body - 2, body - 2 * min(p.level, 2))
            return self._bullet(p, size, line)
        table = {
            "body": (body, c.text, self.paragraph * 1.5),
            "lead": (body + 2, c.text, self.paragraph * 2),
            "statement": (self.statement(k), c.text, self.paragraph * 2),
            "col_heading": (body + 2, c.primary, self.paragraph * 1.5),
            "box_label": (max(self.deck.small, body - 5), None, 3.0),
            "box_text": (body + 2, c.text, self.paragraph),
            "caption": (max(self.deck.small, body - 6), c.muted, 0.0),
            "quote": (self.statement(k), c.text, self.paragraph * 2),
            "source": (max(self.deck.small, body - 3), c.muted, 0.0),
            "cell": (self.table(k), c.text, 0.0),
            "header_cell": (self.table(k), c.on_primary, 0.0),
            "agenda": (body + 2, c.text, (body + 2) * 0.45),
            "link": (body, c.on_primary, 0.0),
        }
        size, color, after = table[role]
        spacing = 1.0 if role in ("cell", "header_cell", "box_label", "link") else line
        text = Text(p.spans, size, color or c.text, spacing, after=after)
        if role == "agenda":
            hang = size * 2.4
            return replace(text, indent=hang, hang=hang)
        if role == "source":
            return replace(text, align="r")
        if role == "link":
            return replace(text, align="ctr")
        return text

    def _bullet(self, p: P, size: float, line: float) -> Text:
        c = self.colors
        step = size * 1.6
        hang = size * (2.2 if p.number is not None else 1.55)
        indent = p.level * step + hang
        text = Text(p.spans, size, c.text, line, indent, hang, after=self.paragraph,
                    level=p.level)
        if p.cont:
            return text
        return replace(text, bullet=self.bullet(p))

    def bullet(self, p: P) -> Bullet:
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
            segments = ((segments[0][0].split("\t", 1)[1], segments[0][1]),) + segments[1:]
        return Para(segments, text.size, text.spacing, text.indent, text.before, text.after)

    def height(self, texts: Sequence[Text], width: float,
               insets: tuple[float, float, float, float] = BODY_INSETS) -> float:
        """Points needed by paragraphs in a frame `width` points wide (layout margins in)."""
        box = Box(width, 1e9, insets)
        return frame_height([self.para(t) for t in texts], box)


def _pt(emu: int) -> float:
    return emu / EMU_PER_PT


def _emu(pt: float) -> int:
    return int(round(pt * EMU_PER_PT))


# ----------------------------------------------------------------------------------------
# Units: the things stacked into a slide's body, each able to measure and split itself


class Unit:
    def height(self, k: int, ctx: Ctx) -> float:
        raise NotImplementedError

    def split(self, k: int, ctx: Ctx, room: float,
              forced: bool) -> tuple[Unit | None, Unit | None]:
        """The largest head that fits `room` points, and the rest; forced: must progress."""
        raise NotImplementedError


@dataclass
class Ctx:
    style: Style
    width: float          # body width, points
    columns_gap: float


@dataclass
class TextUnit(Unit):
    paras: list[P]
    statement: bool = False

    def texts(self, k: int, ctx: Ctx) -> list[Text]:
        return [ctx.style.text(p, k) for p in self.paras]

    def height(self, k: int, ctx: Ctx) -> float:
        return ctx.style.height(self.texts(k, ctx), ctx.width)

    def split(self, k, ctx, room, forced):
        head = _fit_paras(self.paras, k, ctx, ctx.width, BODY_INSETS, room, forced)
        if head is None:
            return None, self
        taken, rest = head
        return TextUnit(taken), TextUnit(rest)


def _fit_paras(paras: list[P], k: int, ctx: Ctx, width: float, insets, room: float,
               forced: bool) -> tuple[list[P], list[P]] | None:
    """Split paragraphs so the head fits `room`; split one paragraph by words if forced."""
    style = ctx.style
    taken: list[P] = []
    used = insets[2] + insets[3]
    for i, p in enumerate(paras):
        need = style.height([style.text(p, k)], width, insets) - insets[2] - insets[3]
        if used + need <= room:
            taken.append(p)
            used += need
            continue
        if taken:
            if taken[-1].role == "lead" and len(taken) > 1:  # keep a lead with its list
                return taken[:-1], [taken[-1]] + paras[i:]
            return taken, paras[i:]
        if not forced:
            return None
        pieces = _split_para(p, k, ctx, width, insets, room)
        if pieces is None:
            return None
        return [pieces[0]], [pieces[1]] + paras[i + 1:]
    return taken, []


_SENTENCE = re.compile(r"(?<=[.!?;:])\s+")


def _split_para(p: P, k: int, ctx: Ctx, width: float, insets, room: float):
    """Cut one paragraph: at the last sentence end that fits, else the last word."""
    style = ctx.style
    words = p.plain.split(" ")

    def fits_words(n: int) -> bool:
        head = p.with_text(" ".join(words[:n]))
        return style.height([style.text(head, k)], width, insets) <= room

    lo, hi = 0, len(words) - 1  # largest n < len(words) that fits
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if fits_words(mid):
            lo = mid
        else:
            hi = mid - 1
    if lo == 0:
        return _split_chars(p, k, ctx, width, insets, room)
    head_text = " ".join(words[:lo])
    sentences = [m.end() for m in _SENTENCE.finditer(head_text)]
    if sentences and sentences[-1] > len(head_text) // 2:
        cut = sentences[-1]
        head_text, rest = head_text[:cut].rstrip(), p.plain[cut:].lstrip()
    else:
        rest = " ".join(words[lo:])
    return p.with_text(head_text), p.with_text(rest, cont=True)


def _split_chars(p: P, k, ctx, width, insets, room):
    """A single word taller than the box (a huge unbroken string): cut by characters."""
    style, text = ctx.style, p.plain
    lo, hi = 0, len(text) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if style.height([style.text(p.with_text(text[:mid]), k)], width, insets) <= room:
            lo = mid
        else:
            hi = mid - 1
    if lo == 0:
        return None
    return p.with_text(text[:lo]), p.with_text(text[lo:], cont=True)


@dataclass
class ColumnsUnit(Unit):
    headings: list[P]
    items: list[list[P]]

    def col_width(self, ctx: Ctx) -> float:
        n = len(self.headings)
        return (ctx.width - ctx.columns_gap * (n - 1)) / n

    def column_texts(self, k: int, ctx: Ctx, i: int) -> list[Text]:
        return [ctx.style.text(p, k) for p in [self.headings[i], *self.items[i]]]

    def height(self, k, ctx):
        w = self.col_width(ctx)
        return max(ctx.style.height(self.column_texts(k, ctx, i), w, CARD_INSETS)
                   for i in range(len(self.headings)))

    def split(self, k, ctx, room, forced):
        w = self.col_width(ctx)
        heads, tails = [], []
        for heading, items in zip(self.headings, self.items):
            cut = _fit_paras([heading, *items], k, ctx, w, CARD_INSETS, room, False)
            taken, rest = cut if cut else ([], [heading, *items])
            heads.append(taken[1:])
            tails.append(rest[1:] if not taken else rest)
        head = ColumnsUnit(self.headings, heads)
        if any(heads) and head.height(k, ctx) <= room:
            return head, ColumnsUnit(self.headings, tails)
        if not forced:
            return None, self
        head, tail = self._split_first_items(k, ctx, room)
        if head is not None and head.height(k, ctx) <= room:
            return head, tail
        # Headings too tall for side-by-side columns: stack the columns as one text flow.
        return TextUnit(self.stacked()).split(k, ctx, room, forced)

    def stacked(self) -> list[P]:
        return [p for heading, items in zip(self.headings, self.items) for p in (heading, *items)]

    def _split_first_items(self, k, ctx, room):
        """Every column's first item is taller than a slide: cut each at a word."""
        w = self.col_width(ctx)
        heads, tails = [], []
        for heading, items in zip(self.headings, self.items):
            head_h = ctx.style.height([ctx.style.text(heading, k)], w, CARD_INSETS)
            if not items:
                heads.append([])
                tails.append([])
                continue
            cut = _fit_paras(items[:1], k, ctx, w, CARD_INSETS, room - head_h, True)
            if cut is None:
                return None, self
            heads.append(cut[0])
            tails.append(cut[1] + items[1:])
        return ColumnsUnit(self.headings, heads), ColumnsUnit(self.headings, tails)


@dataclass
class TableUnit(Unit):
    header: tuple[str, ...]
    rows: list[tuple[str, ...]]
    caption: str | None = None
    first: bool = True
    shared: dict = field(default_factory=dict)  # widths per scale, shared by every part

    def widths(self, k: int, ctx: Ctx) -> list[float]:
        """Column widths from the whole table, so its parts line up slide after slide."""
        if k not in self.shared:
            self.shared[k] = _column_widths(self.header, self.rows, ctx, k)
        return self.shared[k]

    def cell_texts(self, row: Sequence[str], header: bool, k: int, ctx: Ctx) -> list[Text]:
        role = "header_cell" if header else "cell"
        return [ctx.style.text(P(role, (Span(cell, bold=header or c == 0 and False,
                                             color=_muted_dash(cell, ctx)),)), k)
                for c, cell in enumerate(row)]

    def row_height(self, row, header, k, ctx, widths=None) -> float:
        widths = widths or self.widths(k, ctx)
        texts = self.cell_texts(row, header, k, ctx)
        return max(ctx.style.height([t], w, CELL_INSETS) for t, w in zip(texts, widths))

    def caption_height(self, k, ctx) -> float:
        return _caption_height(self.caption, k, ctx)

    def height(self, k, ctx):
        widths = self.widths(k, ctx)
        rows = sum(self.row_height(r, False, k, ctx, widths) for r in self.rows)
        return self.row_height(self.header, True, k, ctx, widths) + rows + self.caption_height(
            k, ctx)

    def split(self, k, ctx, room, forced):
        widths = self.widths(k, ctx)
        used = self.row_height(self.header, True, k, ctx, widths)
        taken = 0
        for row in self.rows:
            h = self.row_height(row, False, k, ctx, widths)
            if used + h > room:
                break
            used += h
            taken += 1
        if taken == 0 or (taken == 1 and len(self.rows) > 2 and not forced):
            if not forced:
                return None, self
            return self._split_row(k, ctx, room - used, widths)
        head = TableUnit(self.header, self.rows[:taken], None, self.first, self.shared)
        return head, TableUnit(self.header, self.rows[taken:], self.caption, False, self.shared)

    def _split_row(self, k, ctx, room, widths):
        """One row taller than a slide: its cells continue in a second row."""
        row = self.rows[0]
        heads, tails = [], []
        for cell, w in zip(row, widths):
            p = P("cell", (Span(cell),))
            cut = _fit_paras([p], k, ctx, w, CELL_INSETS, room, True)
            if cut is None or not cut[0]:
                return None, self
            heads.append(cut[0][0].plain)
            tails.append(cut[1][0].plain if cut[1] else "")
        head = TableUnit(self.header, [tuple(heads)], None, self.first, self.shared)
        return head, TableUnit(self.header, [tuple(tails)] + self.rows[1:], self.caption, False,
                               self.shared)


def _caption_height(caption: str | None, k: int, ctx: Ctx) -> float:
    """Height of a table's or picture's italic caption line(s), with the gap below it."""
    if not caption:
        return 0.0
    text = ctx.style.text(P("caption", (Span(caption, italic=True),)), k)
    return ctx.style.height([text], ctx.width) + 6.0


def _muted_dash(cell: str, ctx: Ctx) -> str | None:
    return ctx.style.colors.muted if cell.strip() in ("—", "–", "-", "") else None


def _column_widths(header, rows, ctx: Ctx, k: int) -> list[float]:
    """Widths that give long text room and never squeeze a column below its longest word."""
    style = ctx.style
    size = style.table(k)
    face = style.face("body", False, False)
    bold = style.face("body", True, False)
    pad = CELL_INSETS[0] + CELL_INSETS[1] + 2
    from ..textfit import width as measure

    n = len(header)
    min_w = [0.0] * n
    want = [0.0] * n
    for r, row in enumerate([header, *rows]):
        f = bold if r == 0 else face
        for c, cell in enumerate(row):
            longest = max((measure(f, w, size) for w in cell.split()), default=0.0)
            min_w[c] = max(min_w[c], min(longest + pad, ctx.width / n))
            want[c] = max(want[c], measure(f, cell, size) + pad)
    total = ctx.width
    if sum(want) <= total:
        extra = (total - sum(want)) / n
        return [w + extra for w in want]
    base = sum(min_w)
    if base >= total:
        return [total * w / base for w in min_w]
    flex = [max(w - m, 0.0) for w, m in zip(want, min_w)]
    share = (total - base) / (sum(flex) or 1.0)
    return [m + f * share for m, f in zip(min_w, flex)]


@dataclass
class BoxUnit(Unit):
    label: P | None
    paras: list[P]
    tone: str
    fill: str | None

    def texts(self, k, ctx) -> list[Text]:
        texts = [ctx.style.text(p, k) for p in self.paras]
        if self.label is not None:
            label = ctx.style.text(self.label, k)
            texts.insert(0, replace(label, color=self.tone))
        return texts

    def height(self, k, ctx):
        return ctx.style.height(self.texts(k, ctx), ctx.width, BOX_INSETS)

    def split(self, k, ctx, room, forced):
        lead = [self.label] if self.label else []
        cut = _fit_paras(lead + self.paras, k, ctx, ctx.width, BOX_INSETS, room, False)
        if cut is not None and len(cut[0]) > len(lead):
            taken, rest = cut
        elif forced:  # even the first paragraph is taller than a slide: cut it at a word
            label = ctx.style.height(self.texts(k, ctx)[:len(lead)], ctx.width, BOX_INSETS)
            cut = _fit_paras(self.paras, k, ctx, ctx.width, BOX_INSETS,
                             room - label + BOX_INSETS[2] + BOX_INSETS[3] if lead else room,
                             True)
            if cut is None or not cut[0]:
                return None, self
            taken, rest = lead + cut[0], cut[1]
        else:
            return None, self
        head = BoxUnit(self.label, taken[len(lead):], self.tone, self.fill)
        return head, BoxUnit(None, rest, self.tone, self.fill)


@dataclass
class ImageUnit(Unit):
    path: str
    alt: str
    caption: str | None
    aspect: float                  # height / width
    room: float | None = None      # the height it was given on its slide

    MIN_HEIGHT = 108.0             # points: below this an image moves to the next slide

    def caption_height(self, k, ctx) -> float:
        return _caption_height(self.caption, k, ctx)

    def height(self, k, ctx):
        if self.room is not None:
            return self.room
        return min(ctx.width * self.aspect, ctx.width * 0.75) + self.caption_height(k, ctx)

    def split(self, k, ctx, room, forced):
        if room - self.caption_height(k, ctx) >= self.MIN_HEIGHT or forced:
            return replace(self, room=room), None
        return None, self


# ----------------------------------------------------------------------------------------
# The planner


class Planner:
    """Turns a selected document into SlidePlans for one theme and options."""

    def __init__(self, document: Document, theme: Theme, options: Options,
                 geometry: Geometry) -> None:
        self.doc, self.theme, self.options, self.geo = document, theme, options, geometry
        self.loc = document.loc  # where a problem is reported: the section being planned
        self.style = Style(theme)
        self.colors = theme.colors
        self.dividers = theme.pptx.dividers if options.dividers is None else options.dividers
        self.concise = options.density == "concise"
        self.footer, self.footer_size = self._fit_footer(theme.footer_text(
            title=document.title, organisation=document.organisation or "",
            date=document.date.isoformat(), audience=document.audience or ""))

    def _fit_footer(self, text: str) -> tuple[str, float]:
        """The running footer on one line of its box: smaller, then shortened with an ellipsis."""
        rect, deck, c = self.geo.footer, self.style.deck, self.colors
        if rect is None or not text:
            return text, deck.small
        box = Box(_pt(rect.w), _pt(rect.h), BODY_INSETS)

        def ok(candidate: str, size: float) -> bool:
            para = self.style.para(Text((Span(candidate),), size, c.muted, 1.0))
            return fits([para], box) and len(wrap(para.segments, size, box.inner_width
                                                  * WIDTH_SAFETY)) == 1

        size = deck.small
        while size > 7 and not ok(text, size):
            size -= 0.5
        while len(text) > 1 and not ok(text, size):
            text = text[: max(1, int(len(text) * 0.9))].rstrip() + "…"
            text = text.replace("……", "…")
        return text, size

    def plan(self) -> list[SlidePlan]:
        slides = [self.cover()]
        if self.options.agenda and self.doc.sections:
            slides += self.agenda()
        for section in self.doc.sections:
            slides += self.section(section)
        return slides

    # -- title slide and agenda ---------------------------------------------------------

    def cover(self) -> SlidePlan:
        doc, deck, c = self.doc, self.style.deck, self.colors
        geo = self.geo
        title, rect = self.fit_title(doc.title, geo.cover_title, deck.title, deck.heading)
        meta = " · ".join(x for x in (doc.organisation, _long_date(doc),
                                      f"Prepared for {doc.audience}" if doc.audience else None)
                          if x)
        sub: list[Text] = []
        if doc.subtitle:
            sub.append(Text((Span(doc.subtitle),), deck.subtitle, c.text, 1.05, after=14))
        if meta:
            sub.append(Text((Span(meta, bold=True, color=c.muted),), max(deck.small + 2, 12),
                            c.muted, 1.0, after=4))
        confidentiality = self.theme.confidentiality_text(**self._fields())
        if confidentiality:
            sub.append(Text((Span(confidentiality),), deck.small, c.muted, 1.0))
        sub_rect = geo.cover_subtitle.with_(y=max(geo.cover_subtitle.y, rect.bottom))
        notes = doc.description or doc.subtitle or doc.title
        try:
            sub = self._shrink_to(sub, sub_rect)
        except RenderError:  # a subtitle of many paragraphs' length: cut it, keep it in notes
            sub = self._cut_to(sub, sub_rect)
            notes = "\n\n".join(x for x in (doc.subtitle, doc.description) if x)
        return SlidePlan("title", doc.title, title, rect, subtitle=tuple(sub), notes=notes,
                         footer=False, title_anchor="b")

    def _fields(self) -> dict[str, str]:
        d = self.doc
        return {"title": d.title, "organisation": d.organisation or "",
                "date": d.date.isoformat(), "audience": d.audience or ""}

    def _shrink_to(self, texts: list[Text], rect: Rect, floor: float = 0.3) -> list[Text]:
        """Shrink a few fixed paragraphs (cover subtitle, divider lead) until they fit."""
        box = Box(_pt(rect.w), _pt(rect.h), BODY_INSETS)
        scale = 1.0
        while scale > floor - 1e-9:
            sized = [replace(t, size=round(t.size * scale, 1), after=t.after * scale)
                     for t in texts]
            if fits([self.style.para(t) for t in sized], box):
                return sized
            scale -= 0.05
        raise _too_long(self.loc, texts[0].plain if texts else "", "the box it belongs in")

    def _cut_to(self, texts: list[Text], rect: Rect, floor: float = 0.3) -> list[Text]:
        """At the smallest size, keep the longest start of the first paragraph, plus '…'."""
        box = Box(_pt(rect.w), _pt(rect.h), BODY_INSETS)
        sized = [replace(t, size=round(t.size * floor, 1), after=t.after * floor)
                 for t in texts]
        first = sized[0]
        words = first.plain.split(" ")

        def cut(n: int) -> list[Text]:
            span = replace(first.spans[0], text=" ".join(words[:n]).rstrip() + "…")
            return [replace(first, spans=(span,)), *sized[1:]]

        low, high = 0, len(words)
        while low < high:
            mid = (low + high + 1) // 2
            if fits([self.style.para(t) for t in cut(mid)], box):
                low = mid
            else:
                high = mid - 1
        return cut(low)

    def agenda(self) -> list[SlidePlan]:
        c = self.colors
        paras = []
        for section in self.doc.sections:
            number = f"{section.number:02d}" if section.number else "·"
            paras.append(P("agenda", (Span(number + "\t", bold=True, color=c.accent),
                                      Span(section.title))))
        return self.topic_slides("Agenda", None, [TextUnit(paras)], self._agenda_notes(), None)

    def _agenda_notes(self) -> str:
        return "\n".join(section_label(s) for s in self.doc.sections)

    # -- sections -------------------------------------------------------------------------

    def section(self, section: Section) -> list[SlidePlan]:
        self.loc = section.loc or self.doc.loc
        topics = _topics(section)
        slides: list[SlidePlan] = []
        lead = section.summary
        if self.dividers and section.number is not None:
            opening = _divider_lead(topics) if not lead else None
            try:
                slides.append(self.divider(section, lead or opening))
            except RenderError:  # a summary too long for the divider opens the body instead
                slides.append(self.divider(section, None))
            else:
                topics = topics[1:] if opening is not None else topics
                lead = None
        if lead and (not topics or isinstance(topics[0][1][0], CallToAction)):
            # The summary needs a slide of its own: the section has nothing else, or opens
            # with its call to action, whose closing slide has no room for a lead.
            topics = [(None, []), *topics]
        # Template decks draw no kickers: without a divider, a section opening on a
        # sub-heading's slide would never show its own title, so its body starts with it.
        label = section_label(section) if not self.geo.drawn and not slides else None
        for i, (heading, blocks) in enumerate(topics):
            slides += self.topic(section, heading, blocks, lead if i == 0 else None,
                                 label if i == 0 and heading else None)
        return slides

    def divider(self, section: Section, lead: str | None) -> SlidePlan:
        geo, deck, c = self.geo, self.style.deck, self.colors
        title, rect = self.fit_title(section.title, geo.divider_title, deck.title - 4,
                                     deck.heading)
        body: list[Text] = []
        if lead:
            body = self._shrink_to([Text((Span(lead),), deck.subtitle + 2, c.muted,
                                         deck.line_spacing)],
                                   geo.divider_body.with_(y=max(geo.divider_body.y,
                                                                rect.bottom)))
        number = None
        size = deck.title * 2
        number_text = Text((Span(f"{section.number:02d}", role="heading", bold=True),),
                           size, c.accent, 1.0)
        height = _emu(self.style.height([number_text], 1e4) / HEIGHT_SAFETY)
        if geo.divider_title.y - height >= geo.margin // 2:
            number = TextFrame(Rect(rect.x, rect.y - height, _emu(size * 3), height),
                               (number_text,), anchor="b", name="Section number")
        else:
            title = tuple(replace(t, spans=(Span(f"{section.number}. ", role="heading",
                                                 bold=True, color=c.accent), *t.spans))
                          for t in title[:1]) + title[1:]
        notes = lead or section_label(section)
        return SlidePlan("section", section.title, title, rect, subtitle=tuple(body),
                         notes=notes, section=section.id, footer=False, number=number,
                         title_anchor="b")

    def topic(self, section: Section, heading: str | None, blocks: list[Block],
              lead: str | None, label: str | None = None) -> list[SlidePlan]:
        title = heading or section.title
        kicker = section_label(section) if heading else None
        if heading is None and section.number is not None and self.geo.drawn:
            kicker = f"{section.number:02d}"
        if blocks and isinstance(blocks[0], CallToAction):
            return self.closing(section, blocks[0], section_label(section), heading)
        if blocks and isinstance(blocks[0], Verdict) and heading is None and _has_headings(
                section):
            title = f"{blocks[0].label} — {section.title}"
            kicker = section_label(section)
        units, notes = self.units(blocks, lead, label)
        if not units:
            return []
        if not notes:
            notes = lead or section.summary or ""
        return self.topic_slides(title, kicker, units, notes, section)

    def units(self, blocks: list[Block], lead: str | None,
              label: str | None = None) -> tuple[list[Unit], str]:
        """The blocks of one topic as units, and the prose that goes to the notes."""
        units: list[Unit] = []
        prose: list[str] = []
        hidden: list[Paragraph] = []

        def text_unit() -> TextUnit:
            if not units or not isinstance(units[-1], TextUnit) or units[-1].statement:
                units.append(TextUnit([]))
            return units[-1]  # type: ignore[return-value]

        if label:
            text_unit().paras.append(P("lead", (Span(label, bold=True,
                                                     color=self.colors.primary),)))
        if lead:
            text_unit().paras.append(P("lead", (Span(lead),)))
        for i, block in enumerate(blocks):
            following = blocks[i + 1] if i + 1 < len(blocks) else None
            match block:
                case Paragraph():
                    prose.append(block.text)
                    if self.concise and not _leads(block, following, i):
                        hidden.append(block)
                        continue
                    role = "lead" if self.concise else "body"
                    text_unit().paras.append(P(role, (Span(block.text),)))
                case Heading():
                    text_unit().paras.append(P("col_heading", (Span(block.text, bold=True),)))
                case Bullets():
                    text_unit().paras.extend(self.bullet_paras(block.items, block.marker,
                                                               block.ordered))
                case Verdict():
                    units.append(self.box(block.label, block.text, self.colors.success))
                case Callout():
                    tone = {"note": self.colors.primary, "tip": self.colors.accent,
                            "warning": self.colors.warning, "success": self.colors.success}
                    units.append(self.box(block.label or block.tone.title(), block.text,
                                          tone[block.tone]))
                case Comparison():
                    if block.title:
                        text_unit().paras.append(P("lead", (Span(block.title, bold=True),)))
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
                case _:
                    assert_never(block)
        if units == [] and hidden:
            # A prose-only topic on a concise deck: its first paragraph is the statement.
            units.append(TextUnit([P("statement", (Span(hidden[0].text),))], statement=True))
        elif (len(units) == 1 and isinstance(units[0], TextUnit)
              and len(units[0].paras) == 1 and units[0].paras[0].role in ("body", "lead")
              and len(units[0].paras[0].plain.split()) <= STATEMENT_WORDS):
            units[0] = TextUnit([replace(units[0].paras[0], role="statement")], statement=True)
        return [u for u in units if not isinstance(u, TextUnit) or u.paras], "\n\n".join(prose)

    def bullet_paras(self, items: Sequence[BulletItem], marker: str | None, ordered: bool,
                     level: int = 0) -> list[P]:
        paras = []
        for n, item in enumerate(items, 1):
            mark = item.marker or (marker if level == 0 else None)
            paras.append(P("bullet", (Span(item.text),), level=min(level, 4), marker=mark,
                           number=n if ordered and level == 0 else None))
            paras += self.bullet_paras(item.items, None, False, level + 1)
        return paras

    def box(self, label: str, text: str, tone: str) -> BoxUnit:
        fill = _tint(tone, self.colors.background, 0.12)
        return BoxUnit(P("box_label", (Span(label.upper() if label.isascii() else label,
                                            bold=True),)),
                       [P("box_text", (Span(text),))], tone, fill)

    def columns(self, block: Comparison) -> ColumnsUnit:
        headings = [P("col_heading", (Span(col.heading, role="heading", bold=True),))
                    for col in block.columns]
        items = [self.bullet_paras(col.items, col.marker, False) for col in block.columns]
        return ColumnsUnit(headings, items)

    def quote(self, block: Quote) -> BoxUnit:
        paras = [P("quote", (Span(f"“{block.text}”", role="heading", italic=False),))]
        if block.source:
            paras.append(P("source", (Span(f"— {block.source}"),)))
        return BoxUnit(None, paras, self.colors.accent, None)

    def closing(self, section: Section, cta: CallToAction, kicker: str,
                heading: str | None = None) -> list[SlidePlan]:
        """The call to action as a closing slide: the action large, its lines and link below.

        Like every content slide it carries its section's label; a sub-heading that leads
        into the call to action opens the body.
        """
        geo, deck, c = self.geo, self.style.deck, self.colors
        paras = self.bullet_paras(cta.items, cta.marker, False)
        if heading:
            paras.insert(0, P("lead", (Span(heading, bold=True),)))
        if cta.link:
            label = re.sub(r"^https://", "", cta.link).rstrip("/")
            paras.append(P("lead", (Span(f"→ {label}", bold=True, color=c.accent,
                                         link=cta.link),)))
        notes = "\n".join([*([heading] if heading else []), *(i.text for i in cta.items),
                           cta.action])
        title, rect = self.fit_title(cta.action, geo.divider_title, deck.title - 4,
                                     deck.heading, link=cta.link)
        # The section's label stays on the slide: a section may be only its call to action.
        label = self.kicker(kicker, above=rect)
        if label is None:
            paras.insert(0, P("lead", (Span(kicker, bold=True, color=c.accent),)))
        body_rect = geo.divider_body.with_(y=max(geo.divider_body.y, rect.bottom))
        texts = [self.style.text(p, 0) for p in paras]
        try:
            body = self._shrink_to(texts, body_rect, floor=0.7) if texts else []
        except RenderError:  # too many lines for a closing slide: an ordinary topic instead
            return self.topic_slides(cta.action, kicker, [TextUnit(paras)], notes, section,
                                     link=cta.link)
        return [SlidePlan("section", cta.action, title, rect, subtitle=tuple(body),
                          notes=notes, section=section.id, footer=False, title_anchor="b",
                          kicker=label)]

    # -- layout of one topic onto slides ---------------------------------------------------

    def topic_slides(self, title: str, kicker: str | None, units: list[Unit], notes: str,
                     section: Section | None, link: str | None = None) -> list[SlidePlan]:
        geo, deck = self.geo, self.style.deck
        longest = f"{title} (cont. 99)"
        _, probe = self.fit_title(longest, geo.title, deck.heading, deck.min_body + 4)
        top = max(geo.body.y, probe.bottom + _emu(10))
        region = Rect(geo.body.x, top, geo.body.w, geo.body.bottom - top)
        ctx = Ctx(self.style, _pt(region.w), _pt(geo.columns[1].x - geo.columns[0].right))
        k, pages = self._choose_scale(units, ctx, _pt(region.h))
        plans = []
        for n, page in enumerate(pages):
            name = title if n == 0 else f"{title} (cont.)" if n == 1 else f"{title} (cont. {n})"
            title_texts, title_rect = self.fit_title(name, geo.title, deck.heading,
                                                     deck.min_body + 4, link=link)
            frames, layout = self.place(page, k, ctx, region)
            page_notes = notes if n == 0 else f"Continued: {title}.\n\n{notes}".strip()
            plans.append(SlidePlan(layout, name, title_texts, title_rect, tuple(frames),
                                   kicker=self.kicker(kicker), notes=page_notes or name,
                                   section=section.id if section else None,
                                   footer_text=self.footer, footer_size=self.footer_size))
        return plans

    def _choose_scale(self, units, ctx: Ctx, room: float) -> tuple[int, list[list[tuple]]]:
        """The largest scale on one slide; else the largest needing the fewest slides."""
        last = self.style.steps - 1
        results = {last: self.paginate(units, last, ctx, room)}
        fewest = len(results[last])
        lo, hi = 0, last  # the page count falls as the scale shrinks: find the first minimum
        while lo < hi:
            mid = (lo + hi) // 2
            results[mid] = self.paginate(units, mid, ctx, room)
            if len(results[mid]) <= fewest:
                hi = mid
            else:
                lo = mid + 1
        return lo, results[lo]

    def paginate(self, units: list[Unit], k: int, ctx: Ctx, room: float) -> list[list[tuple]]:
        usable = room * HEIGHT_SAFETY
        pages: list[list[tuple]] = [[]]
        left = usable
        queue = [_demote_statement(u, k, ctx, usable) for u in units]
        while queue:
            unit = queue.pop(0)
            gap = GAP if pages[-1] else 0.0
            need = unit.height(k, ctx)
            if gap + need <= left:
                pages[-1].append((unit, need))
                left -= gap + need
                continue
            head, tail = unit.split(k, ctx, left - gap, forced=not pages[-1])
            if head is not None:
                pages[-1].append((head, head.height(k, ctx)))
                if tail is not None:
                    queue.insert(0, tail)
                pages.append([])
                left = usable
            elif pages[-1]:
                pages.append([])
                left = usable
                queue.insert(0, unit)
            else:
                raise _too_long(self.loc, _unit_text(unit), "a whole slide")
        return [p for p in pages if p]

    def place(self, page: list[tuple], k: int, ctx: Ctx,
              region: Rect) -> tuple[list[Frame], str]:
        """Stack a page's units top to bottom in the region and pick the layout."""
        frames: list[Frame] = []
        y = region.y
        has_columns = any(isinstance(u, ColumnsUnit) for u, _ in page)
        layout = "two_content" if has_columns else (
            "content" if isinstance(page[0][0], TextUnit) else "title_only")
        body_free = layout == "content"
        for unit, height in page:
            h = _emu(height / HEIGHT_SAFETY)
            rect = Rect(region.x, y, region.w, h)
            if isinstance(unit, TextUnit):
                slot = "body" if body_free else None
                body_free = False
                frames.append(self.text_frame(unit, k, ctx, rect, region, slot, len(page)))
            elif isinstance(unit, ColumnsUnit):
                frames += self.column_frames(unit, k, ctx, rect)
            elif isinstance(unit, TableUnit):
                frames += self.table_frames(unit, k, ctx, rect)
            elif isinstance(unit, BoxUnit):
                frames.append(self.box_frame(unit, k, ctx, rect))
            elif isinstance(unit, ImageUnit):
                frames += self.image_frames(unit, k, ctx, rect, height)
            y += h + _emu(GAP)
        return frames, layout

    def text_frame(self, unit: TextUnit, k, ctx, rect: Rect, region: Rect, slot,
                   count: int) -> TextFrame:
        texts = tuple(unit.texts(k, ctx))
        if unit.statement and count == 1:
            return TextFrame(region, texts, slot, anchor="ctr", name="Statement")
        return TextFrame(rect, texts, slot, name="Body")

    def column_frames(self, unit: ColumnsUnit, k, ctx, rect: Rect) -> list[Frame]:
        n = len(unit.headings)
        gap = _emu(ctx.columns_gap)
        width = (rect.w - gap * (n - 1)) // n
        frames: list[Frame] = []
        for i in range(n):
            texts = tuple(unit.column_texts(k, ctx, i))
            box = Rect(rect.x + i * (width + gap), rect.y, width, rect.h)
            frames.append(TextFrame(box, texts, f"col{i}" if i < 2 else None,
                                    fill=self.colors.surface, insets=CARD_INSETS,
                                    name=f"Column {i + 1}"))
        return frames

    def table_frames(self, unit: TableUnit, k, ctx, rect: Rect) -> list[Frame]:
        widths = unit.widths(k, ctx)
        emu_w = [_emu(w) for w in widths]
        emu_w[-1] = rect.w - sum(emu_w[:-1])
        rows = [unit.header, *unit.rows]
        cells = tuple(tuple((t,) for t in unit.cell_texts(row, r == 0, k, ctx))
                      for r, row in enumerate(rows))
        heights = tuple(_emu(unit.row_height(row, r == 0, k, ctx, widths) / HEIGHT_SAFETY)
                        for r, row in enumerate(rows))
        c = self.colors
        table_rect = Rect(rect.x, rect.y, rect.w, sum(heights))
        frames: list[Frame] = [TableFrame(table_rect, tuple(emu_w), heights, cells, c.primary,
                                          c.table_stripe, c.background, c.border)]
        if unit.caption:
            text = ctx.style.text(P("caption", (Span(unit.caption, italic=True),)), k)
            h = _emu(ctx.style.height([text], ctx.width) / HEIGHT_SAFETY)
            frames.append(TextFrame(Rect(rect.x, table_rect.bottom + _emu(6), rect.w, h),
                                    (text,), name="Caption"))
        return frames

    def box_frame(self, unit: BoxUnit, k, ctx, rect: Rect) -> BoxFrame:
        texts = tuple(unit.texts(k, ctx))
        link = next((s.link for t in texts for s in t.spans if s.link), None)
        if link:  # the call to action's button: a compact filled box, not a call-out
            from ..textfit import width as measure

            label = texts[0]
            face = ctx.style.face("body", True, False)
            w = min(rect.w, _emu(max(200.0, measure(face, label.plain, label.size) * 1.1
                                     + CELL_INSETS[0] + CELL_INSETS[1] + 24)))
            return BoxFrame(rect.with_(w=w), texts, unit.fill, unit.tone, CELL_INSETS,
                            "Link button", link)
        return BoxFrame(rect, texts, unit.fill, unit.tone,
                        name="Quote" if unit.fill is None else "Call-out")

    def image_frames(self, unit: ImageUnit, k, ctx, rect: Rect, height: float) -> list[Frame]:
        caption_h = unit.caption_height(k, ctx)
        room = _emu(height - caption_h)
        w = min(rect.w, int(room / unit.aspect))
        h = int(w * unit.aspect)
        x = rect.x + (rect.w - w) // 2
        frames: list[Frame] = [PictureFrame(Rect(x, rect.y, w, h), unit.path, unit.alt)]
        if unit.caption:
            text = replace(ctx.style.text(P("caption", (Span(unit.caption, italic=True),)), k),
                           align="ctr")
            frames.append(TextFrame(Rect(rect.x, rect.y + h + _emu(4), rect.w,
                                         _emu(caption_h / HEIGHT_SAFETY)), (text,),
                                    name="Caption"))
        return frames

    def kicker(self, text: str | None, above: Rect | None = None) -> TextFrame | None:
        """The small accent label over a title (the content title, or `above`)."""
        geo = self.geo
        if not text or not geo.drawn:
            return None
        target = above or geo.title
        deck, c = self.style.deck, self.colors
        size = max(deck.small + 2, 13)
        para = Text((Span(text, bold=True),), size, c.accent, 1.0)
        h = _emu(size * 2.0 + BODY_INSETS[2] + BODY_INSETS[3])
        box = Box(_pt(target.w), _pt(h), BODY_INSETS)
        while not fits([self.style.para(para)], box) and para.size > 8:
            para = replace(para, size=para.size - 1)
        return TextFrame(Rect(target.x, target.y - h - _emu(2), target.w, h),
                         (para,), anchor="b", name="Kicker")

    def fit_title(self, text: str, rect: Rect, largest: float, smallest: float,
                  link: str | None = None) -> tuple[tuple[Text, ...], Rect]:
        """The title at the largest size that fits its box in two lines; else grow the box."""
        c = self.colors
        box = Box(_pt(rect.w), _pt(rect.h), BODY_INSETS)
        size = largest
        while True:
            para = Text((Span(text, role="heading", bold=True, link=link),), size, c.primary,
                        0.9)
            if fits([self.style.para(para)], box) or size <= smallest:
                break
            size -= 1
        need = _emu(frame_height([self.style.para(para)], box) / HEIGHT_SAFETY)
        if need > self.geo.height * 0.45:
            # No size fits: show as much as fits, ending in an ellipsis; the drawer puts the
            # whole title in the notes, so no word is lost and nothing overflows.
            para = self._cut_title(para, box)
            need = _emu(frame_height([self.style.para(para)], box) / HEIGHT_SAFETY)
        if need > rect.h:
            rect = rect.with_(h=need)
        return (para,), rect

    def _cut_title(self, para: Text, box: Box) -> Text:
        """The longest start of the title, plus '…', within 45 % of the slide's height."""
        limit = _pt(int(self.geo.height * 0.45)) * HEIGHT_SAFETY
        text = para.spans[0].text
        low, high = 1, len(text)
        while low < high:
            mid = (low + high + 1) // 2
            trial = replace(para, spans=(replace(para.spans[0], text=text[:mid] + "…"),))
            if frame_height([self.style.para(trial)], box) <= limit:
                low = mid
            else:
                high = mid - 1
        return replace(para, spans=(replace(para.spans[0], text=text[:low].rstrip() + "…"),))


# ----------------------------------------------------------------------------------------
# Helpers


def _topics(section: Section) -> list[tuple[str | None, list[Block]]]:
    """Split a section at its sub-headings; a closing verdict and a call to action stand alone.

    A sub-heading still waiting for content keeps whatever comes next, even a verdict, a
    call to action or another sub-heading: a topic without blocks would drop its heading.
    """
    topics: list[tuple[str | None, list[Block]]] = [(None, [])]
    for block in section.blocks:
        heading, blocks = topics[-1]
        waiting = heading is not None and not blocks
        if isinstance(block, Heading) and not waiting:
            topics.append((block.text, []))
        elif isinstance(block, CallToAction):
            if waiting:
                blocks.append(block)
            else:
                topics.append((None, [block]))
            topics.append((None, []))
        elif isinstance(block, Verdict) and heading is not None and not waiting:
            topics.append((None, [block]))
        else:
            blocks.append(block)
    return [(h, b) for h, b in topics if b]


def _has_headings(section: Section) -> bool:
    return any(isinstance(b, Heading) for b in section.blocks)


def _divider_lead(topics) -> str | None:
    """A section's opening topic that is one short paragraph can sit on the divider."""
    if len(topics) < 2 or topics[0][0] is not None:
        return None
    blocks = topics[0][1]
    if len(blocks) == 1 and isinstance(blocks[0], Paragraph) and len(
            blocks[0].text.split()) <= DIVIDER_LEAD_WORDS:
        return blocks[0].text
    return None


def _leads(block: Paragraph, following: Block | None, index: int) -> bool:
    """On a concise slide, keep a paragraph that introduces the list right after it."""
    if not isinstance(following, (Bullets, Comparison)):
        return False
    words = len(block.text.split())
    return words <= LEAD_WORDS and (block.text.rstrip().endswith(":") or index == 0)


def _demote_statement(unit: Unit, k: int, ctx: Ctx, usable: float) -> Unit:
    """A statement too long for one slide is set as ordinary body text instead."""
    if isinstance(unit, TextUnit) and unit.statement and unit.height(k, ctx) > usable:
        return TextUnit([replace(p, role="body") for p in unit.paras])
    return unit


def _image_unit(block: Image) -> ImageUnit:
    from PIL import Image as PILImage

    if block.path is None:
        raise RenderError([Diagnostic("error", "pptx.image", f"image '{block.src}' has no "
                                      "resolved file", block.loc)])
    with PILImage.open(block.path) as im:
        w, h = im.size
    return ImageUnit(str(block.path), block.alt, block.caption, h / w if w else 1.0)


def _unit_text(unit: Unit) -> str:
    if isinstance(unit, TextUnit) and unit.paras:
        return unit.paras[0].plain
    if isinstance(unit, TableUnit):
        return " | ".join(unit.header)
    return type(unit).__name__


def _too_long(loc, text: str, where: str) -> RenderError:
    return RenderError([Diagnostic(
        "error", "pptx.too-long", f"text is too long to fit {where} even at the smallest "
        f"size: {text[:80]!r}", loc, "shorten it or split it into several blocks")])


def _tint(color: str, background: str, amount: float) -> str:
    """`amount` of `color` over `background`: a light wash for call-out boxes."""
    a = [int(color[i:i + 2], 16) for i in (1, 3, 5)]
    b = [int(background[i:i + 2], 16) for i in (1, 3, 5)]
    mixed = [round(x * amount + y * (1 - amount)) for x, y in zip(a, b)]
    return "#" + "".join(f"{v:02X}" for v in mixed)


def _long_date(doc: Document) -> str:
    d = doc.date
    return f"{d.day} {d.strftime('%B')} {d.year}"


def iter_texts(plan: SlidePlan) -> Iterator[str]:
    """Every text a slide plan shows (for tests and placement reports)."""
    yield plan.title
    for frame in plan.frames:
        if isinstance(frame, (TextFrame, BoxFrame)):
            yield from (t.plain for t in frame.texts)
        elif isinstance(frame, TableFrame):
            yield from (t.plain for row in frame.cells for cell in row for t in cell)
