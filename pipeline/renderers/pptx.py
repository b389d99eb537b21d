"""The `pptx` renderer: a native, editable PowerPoint deck built with python-pptx.

The work is split across private modules imported only when a deck is rendered:
_pptx_base (master from tokens, or the corporate template), _pptx_plan (what goes on
which slide, sized to fit), _pptx_draw (python-pptx and OOXML) and _pptx_xml (what
python-pptx has no API for). This module orchestrates them and owns the options.
"""

from __future__ import annotations

import datetime as dt
import io
import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from ..errors import Diagnostic, RenderError
from ..model import Document, doc, section_label
from . import Rendered

if TYPE_CHECKING:
    from ..themes import Theme

NAME = "pptx"
SUFFIX = ".pptx"
UNIT = "slides"
DESCRIPTION = "Editable PowerPoint deck (16:9), on the theme's master"


@dataclass(frozen=True)
class Options:
    agenda: bool = field(default=True, metadata=doc("An agenda slide built from the sections."))
    dividers: bool | None = field(default=None, metadata=doc(
        "A divider slide before each section; unset follows the theme."))
    notes: bool = field(default=True, metadata=doc(
        "Speaker notes carrying the prose that is not on the slides."))
    density: Literal["concise", "full"] = field(default="concise", metadata=doc(
        "concise: bullets on slides, prose in the notes; full: prose on slides too."))


def warm() -> None:
    """Import python-pptx and the deck's modules before the first job needs them."""
    from . import _pptx_base, _pptx_draw, _pptx_plan  # noqa: F401


def render(document: Document, theme: Theme, options: Options) -> bytes:
    """Return the deck as .pptx bytes."""
    return render_report(document, theme, options).data


def render_report(document: Document, theme: Theme, options: Options) -> Rendered:
    """Return the deck, its slide count and the slides each section landed on."""
    from pptx import Presentation

    from . import _pptx_xml as X
    from ._pptx_base import base_deck, layouts_by_role
    from ._pptx_draw import Drawer
    from ._pptx_plan import Planner

    blob, geometry = base_deck(theme)
    prs = Presentation(io.BytesIO(blob))
    _fast_partnames(prs.part.package)
    plans = Planner(document, theme, options, geometry).plan()
    drawer = Drawer(prs, theme, layouts_by_role(prs, theme), document.language)
    slides = []
    for number, plan in enumerate(plans, 1):
        if not options.notes:
            plan = _without_notes(plan)
        slides.append(drawer.add(plan, number))
    placement = _placement(plans)
    ids = [int(sld_id.get("id")) for sld_id in prs.slides._sldIdLst]
    X.set_sections(prs, _section_groups(document, plans, ids))
    _set_properties(prs, document, plans, options)
    buffer = io.BytesIO()
    prs.save(buffer)
    return Rendered(X.normalize_package(buffer.getvalue()), len(plans), placement)


def _fast_partnames(package) -> None:
    """Name new parts from a counter: python-pptx walks every part for each new notes slide,
    which makes a long deck quadratic. Same names as python-pptx gives (lowest free number)."""
    from pptx.opc.packuri import PackURI

    used = {str(part.partname) for part in package.iter_parts()}
    counters: dict[str, int] = {}

    def next_partname(template: str) -> PackURI:
        n = counters.get(template, 0) + 1
        while template % n in used:
            n += 1
        counters[template] = n
        used.add(template % n)
        return PackURI(template % n)

    package.next_partname = next_partname


def _without_notes(plan):
    from dataclasses import replace

    return replace(plan, notes="")


def _placement(plans) -> dict[str, tuple[int, ...]]:
    found: dict[str, list[int]] = {}
    for number, plan in enumerate(plans, 1):
        if plan.section:
            found.setdefault(plan.section, []).append(number)
    return {key: tuple(numbers) for key, numbers in found.items()}


def _section_groups(document: Document, plans, ids: list[int]):
    """PowerPoint sections: the opening slides, then one per article section, in order."""
    labels = {s.id: section_label(s) for s in document.sections}
    groups: list[tuple[str, str, list[int]]] = []
    for plan, slide_id in zip(plans, ids):
        key = plan.section or "opening"
        if not groups or groups[-1][0] != key:
            name = labels.get(key, document.title)
            groups.append((key, name, []))
        groups[-1][2].append(slide_id)
    return [(key, name[:255], ids) for key, name, ids in groups]


def _set_properties(prs, document: Document, plans, options: Options) -> None:
    from . import _pptx_xml as X

    when = build_time(document)
    X.set_core_properties(
        prs, title=document.title, subject=document.subtitle or "",
        author=document.byline, keywords="; ".join(document.keywords),
        language=document.language,
        category=f"Prepared for {document.audience}" if document.audience else "",
        comments=document.description or "", when=when)
    notes = sum(1 for p in plans if p.notes) if options.notes else 0
    X.set_app_properties(prs, len(plans), notes, [p.title for p in plans])


def build_time(document: Document) -> dt.datetime:
    """The deck's dates: SOURCE_DATE_EPOCH when set, else the source's date at midnight UTC."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).replace(tzinfo=None)
        except (ValueError, OverflowError, OSError):
            raise RenderError([Diagnostic("error", "pptx.source-date-epoch",
                                          f"SOURCE_DATE_EPOCH is not a Unix time: {epoch!r}",
                                          None, "set it to whole seconds, e.g. 1700000000")])
    return dt.datetime.combine(document.date, dt.time())
