"""Computed values shared by elements whose cascade is the same (WeasyPrint 70).

WeasyPrint computes each property of an element's style when it is first read
(`ComputedStyle.__missing__`): 540,000 computations for the 15,400 styles of the x20
briefing. A computed value depends on nothing but the element's cascaded declarations,
its parent's computed values, the document's root style and base URL (a style does not
know its element), so two elements whose cascaded declarations are the very same objects
(the same stylesheet rules, in the same order, with the same weights), under parents that
are twins in the same way, compute the same values: three quarters of the x20 briefing's
styles have such a twin, and every bullet of a long list.

Twins form a group. The first computation of a property in a group is kept with what
WeasyPrint's code does to the style besides returning the value (whether it stores it, the
specified value it keeps for `position`, `float` and `display`), and the group's other
members are given the same. A parent's anchor (its `id`) is left out of the children's
grouping: a child reads it only when it declares `anchor: inherit`, and such a child is
not grouped.

WeasyPrint writes into a few styles after computing them (a table's margins and padding,
a grid item's width, a footnote's display). A style written by anything but its own
computation leaves its group (unless no computation of another property reads what was
written: margins, padding, counters, an anchor, overflow), and so do the descendants that
may read it from their parent: from then on they compute their own values, exactly as
WeasyPrint does.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from weasyprint.css import ComputedStyle
from weasyprint.css.properties import INHERITED

_SPECIFIED = frozenset(("position", "float", "display"))
# What WeasyPrint writes into computed styles that no computation of another property
# reads (a table's margins and padding, the page counters of @page and margin boxes, a
# footnote's anchor, the root's overflow): the written style keeps its group.
_SIDES = ("top", "right", "bottom", "left")
_READ_BY_NONE = frozenset(
    ("counter_set", "counter_reset", "counter_increment", "anchor", "overflow")
).union(f"{edge}_{side}" for edge in ("margin", "padding") for side in _SIDES)
_NOTHING = object()  # no specified value kept


class Groups:
    """One document's groups of twin styles (kept on its StyleFor)."""

    def __init__(self) -> None:
        self.memos: dict[tuple[Any, ...], dict[str, tuple[Any, bool, Any]]] = {}
        self.parents: dict[tuple[Any, ...], int] = {}
        self.held: list[Any] = []  # the cascades the keys name by id: alive, ids not reused

    def join(self, style: Any) -> None:
        """Put a freshly made element style into its group, when it can have one."""
        cascaded = style.cascaded
        parent = style.parent_style
        if parent is None:
            lineage = None
        elif parent._memo is None:
            return  # the parent has no group (or left it): its children compute alone
        else:
            lineage = parent._lineage
        declared = tuple(
            # a weight is (precedence, layer, specificity), the specificity a list at times
            (name, id(value), weight[0], weight[1], tuple(weight[2]))
            for name, (value, weight) in cascaded.items()
        )
        if "anchor" in cascaded and cascaded["anchor"][0] == "inherit":
            return
        key = (lineage, style.pseudo_type, style.base_url, declared)
        memo = self.memos.get(key)
        if memo is None:
            memo = self.memos[key] = {}
            self.held.append(cascaded)
        children = (lineage, style.pseudo_type, style.base_url, _without_anchor(declared))
        style._lineage = self.parents.setdefault(children, len(self.parents))
        style._memo = memo
        style._kids = []
        if parent is not None:
            parent._kids.append(style)


def _without_anchor(declared: tuple[tuple[Any, ...], ...]) -> tuple[Any, ...]:
    return tuple(entry for entry in declared if entry[0] != "anchor")


def install(compute: Callable[[Any, str], Any]) -> None:
    """Have grouped styles computed by `compute` (WeasyPrint's own `__missing__`) once per
    group, and leave their group when written (installed by `tuning`)."""
    ComputedStyle._memo = None  # copies and page styles: no group
    ComputedStyle._depth = 0  # computations of this style running (its own writes)
    ComputedStyle.__missing__ = _shared(compute)
    ComputedStyle.__setitem__ = _written
    ComputedStyle.update = _updated


def grouping(set_computed: Callable[..., None]) -> Callable[..., None]:
    """`StyleFor.set_computed_styles` that puts each element style it makes in its group."""

    def set_computed_styles(
        style_for: Any, element: Any, parent: Any, root: Any = None, pseudo_type: Any = None,
        base_url: Any = None, target_collector: Any = None,
    ) -> None:  # fmt: skip
        set_computed(style_for, element, parent, root, pseudo_type, base_url, target_collector)
        groups = style_for.__dict__.get("_twins")
        if groups is None:
            groups = style_for._twins = Groups()
        groups.join(style_for._computed_styles[element, pseudo_type])

    return set_computed_styles


def _shared(compute: Callable[[Any, str], Any]) -> Callable[[Any, str], Any]:
    def __missing__(style: Any, key: str) -> Any:
        memo = style._memo
        if memo is None:
            return compute(style, key)
        known = memo.get(key)
        if known is not None:
            return _replayed(style, key, known)
        style._depth += 1
        try:
            value = compute(style, key)
        finally:
            style._depth -= 1
        if style._memo is memo:  # still pristine: what it computed, its twins would
            specified = style.specified.get(key, _NOTHING) if key in _SPECIFIED else _NOTHING
            memo[key] = (value, dict.__contains__(style, key), specified)
        return value

    return __missing__


def _replayed(style: Any, key: str, known: tuple[Any, bool, Any]) -> Any:
    """What `__missing__` does to the style, as it did to its twin."""
    if key == "float":  # WeasyPrint computes these first, keeping their specified values
        style["position"]
    elif key == "display":
        style["float"]
    value, stored, specified = known
    if specified is not _NOTHING:
        style.specified[key] = specified
    if stored:
        dict.__setitem__(style, key, value)
    return value


def _written(style: Any, key: str, value: Any) -> None:
    if not style._depth and style._memo is not None:
        if key in _READ_BY_NONE:
            _leave_inheriting_kids(style)
        else:
            _leave(style, key)
    dict.__setitem__(style, key, value)


def _updated(style: Any, *args: Any, **kwargs: Any) -> None:
    if style._memo is not None:
        _leave(style, None)
    dict.update(style, *args, **kwargs)


def _leave(style: Any, key: str | None) -> None:
    """The style computes its own values from now on, and so do the descendants that may
    read the written property: all of them when it is one a child reads from its parent
    (inherited, a custom property, `page`, a text decoration), else those that declare
    some property `inherit`, and their descendants."""
    style._memo = None
    if key is None or _passed_down(key):
        for kid in style._kids:
            _leave_all(kid)
    else:
        _leave_inheriting_kids(style)


def _passed_down(key: str) -> bool:
    """Whether a child may read this property of its parent without declaring it inherit."""
    return key in INHERITED or key[:2] == "__" or key == "page" or key[:16] == "text_decoration_"


def _leave_inheriting_kids(style: Any) -> None:
    for kid in style._kids:
        if _inherits(kid):
            _leave_all(kid)


def _inherits(style: Any) -> bool:
    return any(value == "inherit" for value, _ in style.cascaded.values())


def _leave_all(style: Any) -> None:
    pending = [style]
    while pending:
        left = pending.pop()
        if left._memo is not None:
            left._memo = None
            pending.extend(left._kids)
