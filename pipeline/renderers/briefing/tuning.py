"""Costs WeasyPrint 70 and pydyf 0.13 pay that the briefing's pages do not show.

Installed once, when `weasy` is imported (only PDF renders import it); each change keeps
what is drawn and fixes a cost that grows faster than the document:

- A dotted leader (`leader(dotted)` in the contents) is laid out by WeasyPrint as one text
  box per dot, each painted and tagged on its own: a contents line held about 90 boxes, and
  the contents pages of a long briefing cost more than the pages they list. Runs of dots
  are joined into one text box each, starting exactly where WeasyPrint put the run's first
  dot. Inside a run the PDF places each next dot by the font's advance, which the PDF
  states in whole thousandths of an em, so a dot may drift by up to that from where its own
  box had it; runs are cut short enough that no dot moves by more than `DRIFT` points
  (a tenth of a point: a third of a pixel at 200 dpi).
- A marker icon is a CSS background, and WeasyPrint draws an SVG background by walking
  and parsing the SVG again for every item, into a form of its own: about a millisecond
  and one PDF object per bullet. Each SVG is drawn once per size into a form that every
  box using it places (`forms`).
- `content_to_boxes` registers a `target-counter(attr(href), page)` under the anchor
  `None` (it names the unresolved `attr()` token) and, reusing one variable, as using the
  page counter itself. The page numbers then arrive only through that mistaken counter, a
  layout late: every contents page was laid out three times. The lookup is registered
  under the anchor its `attr()` names, without a counter the box does not use, and
  WeasyPrint's own anchor path lays the contents out once more when the numbers are known.
- `pydyf.PDF.page_references` builds the tuple of every page's reference each time it is
  read, and WeasyPrint's tagging reads it once per tagged box: quadratic in the page count.
  It is cached until a page is added.
- Every page has a page type of its own (its index is part of it), and WeasyPrint finds a
  page's margin boxes by walking every page's cascaded margin-box styles, then a contents
  entry's page number by walking every contents entry for each anchor a page holds: both
  quadratic in the pages (x100 article: 1.8 and 4.7 s of a profiled render). The margin
  boxes of a page type are kept in a list as they are declared, and the entries waiting for
  an anchor in a dict built once pagination starts; both are walked in WeasyPrint's order.
  And each page's own page type had its page and its sixteen margin boxes' styles computed
  afresh (the running header and footer's, read through for every page): without `:nth()`
  page rules, a page type takes the styles of the first one its side, blankness, name and
  firstness gave, which the same page rules select. Their widths are then measured once a
  render for each text they show (`margins`).
- `pydyf.PDF.write` with a file identifier (`pdf_identifier`, which the briefing asks for)
  serialises every object twice: once to write it, then again to hash them all for the
  identifier, so every page's content stream is joined and compressed (zlib at level 9)
  twice. While a PDF is written, each numbered object's bytes are kept from the first
  time and hashed as they were written: the same bytes, serialised once.
- Every page's operators stay a list of small Python objects until the whole file is
  written. Each page's content stream is serialised as soon as the page is painted, by
  pydyf's own code, and only its bytes are kept (`finishing`).
- WeasyPrint tags a PDF/UA briefing only once every page is painted, walking every page's
  boxes, so all of them stay in memory until the file is written. Each page is tagged by
  WeasyPrint's own code as soon as it is painted, and a document painted once then lets
  the page's boxes go (`tagging`).
- A text layout's font description and a `var()` declaration's check are made again for
  every text box and every computed style; both are pure, and answered from memory
  (`remembered`).

All are pinned to the versions pyproject pins; `install()` refuses others, so an upgrade
fails the tests rather than silently drawing differently.
"""

from __future__ import annotations

import copy
import functools
import threading
from collections.abc import Callable
from itertools import islice
from math import inf
from typing import Any

import pydyf
import weasyprint
import weasyprint.draw as drawing
import weasyprint.draw.text as drawing_text
import weasyprint.pdf as weasy_pdf
from weasyprint import css, document
from weasyprint.css import StyleFor, targets
from weasyprint.formatting_structure import boxes
from weasyprint.layout import inline, leader, page
from weasyprint.text import line_break
from weasyprint.text.line_break import split_first_line
from weasyprint.urls import get_url_tuple

from . import finishing, forms, glyphruns, margins, remembered, tagging

PINNED = {"weasyprint": "70.0", "pydyf": "0.13.0"}
DRIFT = 0.1  # points a joined leader dot may move from where WeasyPrint placed it
_LONGEST = 1000  # copies in a run when the advance is exact
_installed = False
_installing = threading.Lock()
# WeasyPrint's own functions that `install()` replaces, by name, for the tests' comparisons
anew: dict[str, Any] = {}


def install() -> None:
    """Apply the changes (idempotent, and once even when threads ask at the same time)."""
    with _installing:
        if not _installed:
            _install()


def _install() -> None:
    global _installed
    found = {"weasyprint": weasyprint.__version__, "pydyf": pydyf.__version__}
    if found != PINNED:
        raise RuntimeError(f"briefing tuning is written for {PINNED}, found {found}")
    original = leader.handle_leader

    def handle_leader(context: Any, line: Any, containing_block: Any) -> None:
        original(context, line, containing_block)
        join_leader_dots(context, line)

    anew.update(
        draw_background_image=drawing.draw_background_image,
        draw_first_line=drawing_text.draw_first_line,
        min_content_width=page.min_content_width,
        max_content_width=page.max_content_width,
        get_font_description=line_break.get_font_description,
        check_var=css.check_var,
        add_page_declarations=StyleFor.add_page_declarations,
        set_page_type_computed_styles=page.set_page_type_computed_styles,
        cache_target_page_counters=targets.TargetCollector.cache_target_page_counters,
        add_tags=weasy_pdf.add_tags,
    )
    inline.handle_leader = handle_leader  # the name iter_line_boxes calls
    drawing.draw_background_image = forms.sharing(anew["draw_background_image"])
    drawing_text.draw_first_line = glyphruns.drawing_runs_at_once(anew["draw_first_line"])
    page.min_content_width = margins.remembered(anew["min_content_width"])  # margin boxes'
    page.max_content_width = margins.remembered(anew["max_content_width"])
    pydyf.PDF.page_references = property(_page_references)
    for kind in (pydyf.Dictionary, pydyf.Array, pydyf.Stream, pydyf.String):
        kind.data = _kept_while_writing(kind.data.fget)
    pydyf.PDF.write = _writing_once(pydyf.PDF.write)
    document.Page.paint = finishing.painting_then_finishing(
        tagging.tagging_when_painted(document.Page.paint)
    )
    pydyf.PDF.add_page = tagging.adding_page(pydyf.PDF.add_page)
    weasy_pdf.add_tags = tagging.add_tags  # the name generate_pdf calls
    pydyf.Stream.data = finishing.serialised_once(pydyf.Stream.data.fget)
    line_break.get_font_description = remembered.font_descriptions(anew["get_font_description"])
    css.check_var = remembered.variable_checks(anew["check_var"])
    targets.TargetCollector.collect_missing_counters = _own_counters_only(
        targets.TargetCollector.collect_missing_counters
    )
    StyleFor.add_page_declarations = _listing_margin_boxes(anew["add_page_declarations"])
    page.set_page_type_computed_styles = set_page_type_computed_styles
    targets.TargetCollector.cache_target_page_counters = cache_target_page_counters
    _installed = True


def join_leader_dots(context: Any, line: Any) -> None:
    """Replace the leader's copies of its text by runs of at most `_run_length` copies."""
    _, leader_box = leader.leader_index(line)
    if leader_box is None or len(leader_box.children) < 2:
        return
    copies = sorted(leader_box.children, key=lambda box: box.position_x)
    size = _run_length(copies[0])
    layouts: dict[int, Any] = {}  # one Pango layout per run length, shared as copies share
    leader_box.children = tuple(
        _joined(context, copies[start : start + size], layouts)
        for start in range(0, len(copies), size)
    )


def _run_length(copy: Any) -> int:
    """How many copies one run may hold before a dot drifts by more than `DRIFT`."""
    em = copy.style["font_size"] / 1000  # the PDF's unit of advance, in CSS pixels
    if len(copy.text) == 1:
        # One glyph: the PDF advances it by its width rounded to that unit.
        drift = abs(round(copy.width / em) * em - copy.width)
    else:
        drift = len(copy.text) * em / 2
    return max(1, int(DRIFT * 4 / 3 / drift)) if drift > 1e-9 else _LONGEST


def _joined(context: Any, copies: list[Any], layouts: dict[int, Any]) -> Any:
    first = copies[0]
    if len(copies) == 1:
        return first
    if len(copies) not in layouts:
        text = first.text * len(copies)
        layouts[len(copies)], *_ = split_first_line(
            text, first.style, context, inf, first.justification_spacing
        )
    layout = layouts[len(copies)]
    joined = first.copy_with_text(layout.text)
    joined.pango_layout = layout
    joined.width = sum(box.width for box in copies)
    assert isinstance(joined, boxes.TextBox)
    return joined


def _own_counters_only(collect: Any) -> Any:
    def collect_missing_counters(
        collector: Any, parent_box: Any, css_token: str, parse_again: Any,
        missing_counters: list[str], missing_target_counters: dict[str | None, list[str]],
    ) -> None:  # fmt: skip
        if css_token == "content" and None in missing_target_counters:
            names = _targets(parent_box)
            if len(names) == 1:
                wanted = missing_target_counters.pop(None)
                missing_target_counters[names.pop()] = wanted
                if missing_counters is wanted and not _uses_counters(parent_box.style["content"]):
                    missing_counters = []
        collect(collector, parent_box, css_token, parse_again, missing_counters,
                missing_target_counters)  # fmt: skip

    return collect_missing_counters


def _targets(box: Any) -> set[str | None]:
    """The anchors the box's `target-*()` contents name through `attr()`, resolved as
    WeasyPrint's `lookup_target` resolves them."""
    names: set[str | None] = set()
    content = box.style["content"]
    for kind, value in () if isinstance(content, str) else content:
        if not kind.startswith("target-") or value[0][0] != "attr()":
            continue
        attr_name, kind_of_value, fallback = value[0][1]
        attr_value = box.element.get(attr_name, fallback)
        token = (
            ("url", get_url_tuple(attr_value, box.style.base_url))
            if kind_of_value == "url"
            else ("string", attr_value)
        )
        names.add(targets.anchor_name_from_token(token))
    return names


def _uses_counters(content: Any) -> bool:
    return not isinstance(content, str) and any(
        kind in ("counter()", "counters()") for kind, _ in content
    )


def _listing_margin_boxes(add: Callable[[Any, Any], None]) -> Callable[[Any, Any], None]:
    """`add_page_declarations`, listing the pseudo-types (margin boxes) each page type gets
    in the order WeasyPrint's cascaded styles hold them: only it adds page types' keys."""

    @functools.wraps(add)
    def add_page_declarations(style_for: Any, page_type: Any) -> None:
        cascaded = style_for.get_cascaded_styles()
        before = len(cascaded)
        add(style_for, page_type)
        listed = style_for.__dict__.setdefault("_twinpress_margin_boxes", {})
        added = list(islice(reversed(cascaded), len(cascaded) - before))
        for key_page_type, pseudo_type in reversed(added):
            listed.setdefault(key_page_type, []).append(pseudo_type)

    return add_page_declarations


def set_page_type_computed_styles(page_type: Any, html: Any, style_for: Any) -> None:
    """WeasyPrint's, walking the page type's own margin boxes instead of every page's, and
    giving a page type the styles of an earlier one that the same page rules select."""
    kept = style_for.__dict__.setdefault("_twinpress_page_styles", {})
    key = _selected_alike(style_for, page_type)
    if key in kept:
        _share_page_styles(style_for, kept[key], page_type)
        return
    if key is not None:
        kept[key] = page_type
    style_for.add_page_declarations(page_type)
    style_for.set_computed_styles(
        page_type, root=html.etree_element, parent=html.etree_element, base_url=html.base_url
    )
    for pseudo_type in style_for.__dict__["_twinpress_margin_boxes"].get(page_type, ()):
        if pseudo_type:
            style_for.set_computed_styles(
                page_type,
                pseudo_type=pseudo_type,
                root=html.etree_element,
                parent=page_type,
                base_url=html.base_url,
            )


def _selected_alike(style_for: Any, page_type: Any) -> Any:
    """What decides which page rules select `page_type` and what their values resolve
    against: without `:nth()` selectors, its side, blankness, name and whether it is the
    first page (`_page_type_match`), and the first page's sizes; with any `:nth()`, None
    (every page type is its own)."""
    has_nth = style_for.__dict__.get("_twinpress_has_nth")
    if has_nth is None:
        has_nth = style_for.__dict__["_twinpress_has_nth"] = any(
            selector[2].index is not None
            for sheet, _origin, _specificity in style_for._sheets
            for _rule, selectors, _declarations in sheet.page_rules
            for selector in selectors
        )
    if has_nth:
        return None
    # Viewport units in page rules resolve against the first page's sizes, which WeasyPrint
    # sets each time it lays that page out: styles made before are not shared after.
    sizes = style_for.initial_page_sizes
    alike = (page_type.side, page_type.blank, page_type.name, page_type.index == 0)
    return (*alike, sizes["box"], sizes["area"])


def _share_page_styles(style_for: Any, earlier: Any, page_type: Any) -> None:
    computed = style_for.get_computed_styles()
    listed = style_for.__dict__["_twinpress_margin_boxes"]
    pseudo_types = listed[page_type] = listed.get(earlier, [])
    for pseudo_type in (None, *pseudo_types):
        computed[page_type, pseudo_type] = computed[earlier, pseudo_type]


def cache_target_page_counters(
    collector: Any, anchor_name: str, page_counter_values: Any, page_maker_index: int,
    page_maker: list[Any],
) -> None:  # fmt: skip
    """WeasyPrint's, spreading an anchor's page counters only to the contents waiting for
    that anchor (`_waiting_for`), in the order WeasyPrint walks them."""
    if collector.collecting:  # only store page counters when paginating
        return
    target = collector.target_lookup_items.get(anchor_name)
    if not target or target.state != "up-to-date":
        return
    target.page_maker_index = page_maker_index
    if target.cached_page_counter_values == page_counter_values:
        return
    target.cached_page_counter_values = copy.deepcopy(page_counter_values)
    for item in _waiting_for(collector).get(anchor_name, ()):
        if item.page_maker_index is None or item.page_maker_index >= len(page_maker):
            item.pending = True  # pending marker for remake_page
            continue
        for counter_name in item.missing_target_counters[anchor_name]:
            if page_counter_values.get(counter_name) is not None:
                page_maker[item.page_maker_index][-1]["content_changed"] = True
                item.parse_again(item.cached_page_counter_values)
                break


def _waiting_for(collector: Any) -> dict[str, list[Any]]:
    """Content lookups by the anchors whose page counters they miss, in collection order;
    made again if lookups were collected since (they are only while building boxes)."""
    items = collector.counter_lookup_items
    made: tuple[int, dict[str, list[Any]]] | None = collector.__dict__.get("_twinpress_waiting")
    if made is None or made[0] != len(items):
        waiting: dict[str, list[Any]] = {}
        for (_, css_token), item in items.items():
            if css_token == "content":
                for anchor in item.missing_target_counters:
                    waiting.setdefault(anchor, []).append(item)
        made = (len(items), waiting)
        collector.__dict__["_twinpress_waiting"] = made
    return made[1]


def _page_references(pdf: pydyf.PDF) -> tuple[bytes, ...]:
    kids = pdf.pages["Kids"]
    cached: tuple[int, tuple[bytes, ...]] | None = pdf.__dict__.get("_twinpress_pages")
    if cached is None or cached[0] != len(kids):
        references = tuple(f"{number} 0 R".encode("ascii") for number in kids[::3])
        cached = (len(kids), references)
        pdf.__dict__["_twinpress_pages"] = cached
    return cached[1]


_writing = threading.local()  # .kept: id of a numbered object -> its bytes, while writing


def _writing_once(write: Callable[..., None]) -> Callable[..., None]:
    @functools.wraps(write)
    def write_serialising_once(pdf: pydyf.PDF, *args: Any, **kwargs: Any) -> None:
        outer = getattr(_writing, "kept", None)
        _writing.kept = {}
        try:
            write(pdf, *args, **kwargs)
        finally:
            _writing.kept = outer

    return write_serialising_once


def _kept_while_writing(serialise: Callable[[Any], bytes]) -> property:
    def data(obj: Any) -> bytes:
        kept: dict[int, bytes] | None = getattr(_writing, "kept", None)
        if kept is None or obj.number is None:  # not writing, or a direct object
            return serialise(obj)
        found = kept.get(id(obj))  # the object is in pdf.objects: its id is not reused
        if found is None:
            found = kept[id(obj)] = serialise(obj)
        return found

    return property(data)
