"""Drawing a shared body page once and replaying it for every recipient (WeasyPrint 70).

WeasyPrint paints a page as the page's background, then one stacking context per page
child: the document's root box (all of the page's content), then each margin box. Only
the margin boxes differ between recipients, so the root context's drawing is recorded once
per shared layout: its operators, and what it added to the document (fonts and the glyph
widths and text they map, images, graphics states, groups and patterns, marked-content
tags). A replay appends the same operators and additions; the margin boxes are drawn live.

Operators depend on the state the drawing starts from (the stream's current colour and
font, the resource names already taken, the glyph widths the document has cached), so a
page is replayed only when that state is the recorded one; otherwise it is drawn live,
exactly as WeasyPrint would, and that drawing is recorded too, as another variant of the
page (a recipient whose name holds a capital the body uses later caches its width at the
footer's size: the next such recipient replays). Replaying is exact whenever it is chosen,
so which variants a process happens to hold never changes a byte of the output.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

import pydyf
from weasyprint.document import Page
from weasyprint.draw import draw_background, draw_stacking_context
from weasyprint.draw.border import draw_border, draw_outline, set_mask_border
from weasyprint.stacking import StackingContext

from . import finishing, forms, tagging

STATE = (
    "_current_color",
    "_current_color_stroke",
    "_current_alpha",
    "_current_alpha_stroke",
    "_current_font",
    "_old_font",
)
RESOURCES = ("ExtGState", "XObject", "Pattern", "Shading")


@dataclass
class Recording:
    """The drawing of one page's root stacking context, and what it added."""

    entry: tuple[Any, ...]
    exit: tuple[Any, ...]
    ctm: list[Any]
    ops: list[Any]
    created: dict[Any, Any]  # font key -> a fresh copy of the Font made on this page
    used: dict[Any, dict[int, int]]  # font key -> glyph -> width, every glyph drawn
    widths: dict[Any, dict[int, int]]  # font key -> glyph -> width, first drawn here
    unicode: dict[Any, dict[int, str]]  # font key -> glyph -> text, first drawn here
    resources: dict[str, dict[str, Any]]  # resource kind -> name -> object added
    images: dict[str, tuple[Any, Any, set[float]]]  # name -> image, interpolate, dpi ratios
    tags: list[tuple[Any, dict[str, Any]]]


VARIANTS = 8  # recordings kept per page


@dataclass
class Recorder:
    """Recordings of a shared layout's body pages: variants by page index."""

    pages: dict[int, list[Recording]] = field(default_factory=dict)
    drawable: dict[int, bool] = field(default_factory=dict)
    replayed: int = 0
    drawn: int = 0

    def takes(self, index: int, page_box: Any) -> bool:
        """Whether body page `index` is drawn by BodyPage (decided once per layout: its
        root box is shared, its margin boxes are styled alike for every recipient)."""
        if index not in self.drawable:
            self.drawable[index] = drawable(page_box)
        return self.drawable[index]


class BodyPage(Page):  # type: ignore[misc]  # WeasyPrint is untyped
    """A shared body page whose root context is recorded, or replayed when possible."""

    def __init__(self, page_box: Any, index: int, recorder: Recorder, recording: bool) -> None:
        super().__init__(page_box)
        self._index, self._recorder, self._recording = index, recorder, recording

    def paint(self, stream: Any, scale: float = 1) -> None:
        with stream.stacked():
            stream.transform(a=scale, d=scale)
            self._draw(stream)
        tagging.page_painted(self, stream)
        finishing.finish_page(stream)

    def _draw(self, stream: Any) -> None:
        """`weasyprint.draw.draw_page` with the root's stacking context taken apart (the
        page's stacking context as `StackingContext.from_page` makes it; `drawable` holds)."""
        page = self._page_box
        box = page.copy_with_children([])
        draw_background(
            stream, box.background, clip_box=False, bleed=page.bleed, marks=page.style["marks"]
        )
        set_mask_border(stream, page)
        draw_background(stream, page.canvas_background, clip_box=False)
        draw_border(stream, page)
        # draw_stacking_context() for a page: no clip, opacity or transform, no blocks of
        # its own; the page's children are its child contexts (all at z-index 0 here).
        with stream.stacked():
            with stream.stacked():
                for n, child in enumerate(page.children):
                    if n == 0:
                        self._root(stream, child)
                    else:
                        draw_stacking_context(stream, StackingContext.from_box(child, page))
            draw_outline(stream, box)

    def _root(self, stream: Any, root: Any) -> None:
        recorder = self._recorder
        variants = recorder.pages.setdefault(self._index, [])
        if not self._recording:
            for recording in variants:
                if _replayable(stream, recording):
                    _replay(stream, recording)
                    recorder.replayed += 1
                    return
            recorder.drawn += 1
        context = StackingContext.from_box(root, self._page_box)
        if len(variants) >= VARIANTS:
            draw_stacking_context(stream, context)
            return
        made = _record(stream, context)
        if made is not None:
            variants.append(made)


def drawable(page_box: Any) -> bool:
    """Whether BodyPage draws this page as WeasyPrint does (its preconditions)."""
    context = StackingContext.from_page(page_box)
    box = context.box
    return (
        not context.negative_z_contexts
        and not context.positive_z_contexts
        and len(context.zero_z_contexts) == len(page_box.children)
        and box.style["opacity"] >= 1
        and not box.transformation_matrix
        and not box.is_absolutely_positioned()
    )


# -- recording ---------------------------------------------------------------------------


class _Spy(dict):  # type: ignore[type-arg]
    """A font's glyph widths that remember which glyphs were looked up."""

    seen: set[int] | None = None

    def __contains__(self, glyph: object) -> bool:
        if self.seen is not None and isinstance(glyph, int):
            self.seen.add(glyph)
        return super().__contains__(glyph)


class SpyFonts(dict):  # type: ignore[type-arg]
    """A document's fonts for a recording: each Font's pristine copy, widths spied on."""

    def __init__(self) -> None:
        super().__init__()
        self.pristine: dict[Any, Any] = {}

    def __setitem__(self, key: Any, font: Any) -> None:
        self.pristine[key] = _fresh(font)
        font.widths = _Spy(font.widths)
        super().__setitem__(key, font)


def _record(stream: Any, context: Any) -> Recording | None:
    """Draw the root context live, and record it (None when it cannot be replayed)."""
    fonts = stream._fonts
    if not isinstance(fonts, SpyFonts):
        draw_stacking_context(stream, context)
        return None
    entry = _state(stream)
    before_fonts = set(fonts)
    before_widths = {k: dict(f.widths) for k, f in fonts.items()}
    before_unicode = {k: dict(f.to_unicode) for k, f in fonts.items()}
    before_resources = {kind: set(stream._resources[kind]) for kind in RESOURCES}
    before_images = {k: set(v["dpi_ratios"]) for k, v in stream._images.items()}
    before_tags = len(stream._tags) if stream._tags is not None else 0
    start = len(stream.stream)
    seen: dict[Any, set[int]] = {}
    for key, font in fonts.items():
        font.widths.seen = seen.setdefault(key, set())
    try:
        draw_stacking_context(stream, context)
    finally:
        for font in fonts.values():
            font.widths.seen = None
    for key in set(fonts) - before_fonts:  # created while drawing: every lookup is a use
        seen[key] = set(fonts[key].widths)
    memo: dict[int, Any] = {}  # one copy of an object two resources share (an SMask group)
    resources = {
        kind: {
            name: _clone(value, memo)
            for name, value in stream._resources[kind].items()
            if name not in before_resources[kind]
        }
        for kind in RESOURCES
    }
    images = {
        name: (entry["image"], entry["interpolate"], set(entry["dpi_ratios"]))
        for name, entry in stream._images.items()
        if entry["dpi_ratios"] != before_images.get(name)
    }
    tags = list(stream._tags.items())[before_tags:] if stream._tags is not None else []
    return Recording(
        entry=entry,
        exit=tuple(getattr(stream, a) for a in STATE),
        ctm=list(stream._ctm_stack),
        ops=_joined(stream.stream[start:]),
        created={k: fonts.pristine[k] for k in fonts if k not in before_fonts},
        used={k: {g: fonts[k].widths[g] for g in glyphs} for k, glyphs in seen.items() if glyphs},
        widths=_added(fonts, before_widths, "widths"),
        unicode=_added(fonts, before_unicode, "to_unicode"),
        resources=resources,
        images=images,
        tags=[(box, dict(kid)) for box, kid in tags],
    )


def _added(fonts: dict[Any, Any], before: dict[Any, dict[int, Any]], name: str) -> dict[Any, Any]:
    found = {}
    for key, font in fonts.items():
        old = before.get(key, {})
        new = {g: v for g, v in getattr(font, name).items() if g not in old}
        if new:
            found[key] = new
    return found


def _state(stream: Any) -> tuple[Any, ...]:
    """What the root context's operators depend on, besides glyph widths."""
    resources = stream._resources
    return (
        tuple(getattr(stream, a) for a in STATE),
        tuple(stream._ctm_stack),
        stream.stream[-1] if stream.stream else None,
        len(stream._tags) if stream._tags is not None else None,
        tuple(tuple(resources[kind]) for kind in RESOURCES),
        # which shared form each name holds: a recorded page may place one made before it
        tuple(
            (name, getattr(entry, forms.KEY, None)) for name, entry in resources["XObject"].items()
        ),
        tuple(stream._images),
        resources["ColorSpace"],
    )


# -- replaying ---------------------------------------------------------------------------


def _replayable(stream: Any, recording: Recording) -> bool:
    """Whether drawing live now would produce exactly the recorded operators."""
    if _state(stream) != recording.entry:
        return False
    fonts = stream._fonts
    for key, used in recording.used.items():
        font = fonts.get(key)
        if font is None:
            if key not in recording.created:
                return False  # made here with a Pango font the recording did not keep
            continue
        first = recording.widths.get(key, {})
        for glyph, width in used.items():
            have = font.widths.get(glyph)
            if have is None and glyph not in first:
                return False  # the recording had this width cached; we would measure it
            if have is not None and have != width:
                return False  # the document measured this glyph at another size first
    return all(key in fonts or key in recording.created for key in recording.created)


def _replay(stream: Any, recording: Recording) -> None:
    fonts = stream._fonts
    for key, pristine in recording.created.items():
        if key not in fonts:
            fonts[key] = _fresh(pristine)
    for key, widths in recording.widths.items():
        target = fonts[key].widths
        for glyph, width in widths.items():
            target.setdefault(glyph, width)
    for key, texts in recording.unicode.items():
        target = fonts[key].to_unicode
        for glyph, text in texts.items():
            target.setdefault(glyph, text)
    memo: dict[int, Any] = {}
    for kind, added in recording.resources.items():
        for name, value in added.items():
            stream._resources[kind][name] = _clone(value, memo)
    for name, (image, interpolate, ratios) in recording.images.items():
        entry = stream._images.setdefault(
            name,
            {"image": image, "interpolate": interpolate, "dpi_ratios": set(), "x_object": None},
        )
        entry["dpi_ratios"] |= ratios
    if stream._tags is not None:
        for box, kid in recording.tags:
            stream._tags[box] = dict(kid)
    stream.stream.extend(recording.ops)
    for name, value in zip(STATE, recording.exit):
        setattr(stream, name, value)
    stream._ctm_stack = list(recording.ctm)


def _joined(ops: list[Any]) -> list[Any]:
    """The operators as pydyf writes them, joined into one item but for the last ones that
    later drawing looks back at (a 'q' a pop removes, an 'ET' a new text object resumes):
    the page's stream then writes the same bytes, and looks back at the same items."""
    end = len(ops)
    while end > 0 and ops[end - 1] in (b"q", b"ET"):
        end -= 1
    end = max(end - 1, 0)
    if end < 2 or not all(map(_plain, ops[:end])):
        return list(ops)
    return [b"\n".join(pydyf._to_bytes(op) for op in ops[:end]), *ops[end:]]


def _plain(op: Any) -> bool:
    """An operator whose bytes cannot depend on the PDF it goes into (no references)."""
    if isinstance(op, pydyf.Dictionary):  # marked content's property list: {'MCID': n}
        return all(isinstance(v, int) for v in op.values())
    return isinstance(op, (bytes, str, int, float))


def _fresh(font: Any) -> Any:
    """A copy of a Font as its constructor left it: no glyphs drawn yet."""
    made = copy.copy(font)
    made.widths, made.to_unicode, made.missing = {}, {}, {}
    made.variations = dict(font.variations)
    made.tables = list(font.tables)
    return made


def _clone(value: Any, memo: dict[int, Any]) -> Any:
    """A copy of a resource as drawing left it (writing a PDF rewrites resources in place);
    an object reached twice is copied once, so the copies share it as the originals do."""
    if not isinstance(value, (pydyf.Stream, pydyf.Dictionary, pydyf.Array)):
        return value
    if id(value) in memo:
        return memo[id(value)]
    made: Any
    if isinstance(value, pydyf.Stream):
        made = pydyf.Stream(list(value.stream), None, value.compress)
        memo[id(value)] = made
        made.extra = _clone(value.extra, memo)
        if hasattr(value, "id"):
            made.id = value.id
        if hasattr(value, forms.KEY):  # a shared form: later drawings find it in the copy
            setattr(made, forms.KEY, getattr(value, forms.KEY))
    elif isinstance(value, pydyf.Dictionary):
        made = memo[id(value)] = pydyf.Dictionary()
        made.update({k: _clone(v, memo) for k, v in value.items()})
    else:
        made = memo[id(value)] = pydyf.Array()
        made.extend(_clone(v, memo) for v in value)
    return made
