"""One deck, start to finish: base deck, plan, draw, sections, properties, reproducible zip."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from ...context import BuildContext
from ...coverage import missing, report
from ...errors import RenderError
from ...labels import labels_for
from ...model import Document, section_label
from ...tokens import Theme
from ..contract import Rendered
from . import embedding
from .draw import Drawer
from .master import base_deck, layouts_by_role
from .ooxml import fonts, package, xpaths
from .options import Options
from .planner import Planner
from .slideplan import SlidePlan


def render_deck(
    document: Document, theme: Theme, options: Options, context: BuildContext
) -> Rendered:
    """The deck, its slide count and the slides each section landed on."""
    xpaths.install()
    absent = missing(document, theme)
    if absent:  # the deck would show boxes where the recipient's fonts lack these
        raise RenderError(report(theme, absent, document.where))
    blob, geometry = base_deck(theme)
    prs = package.open_presentation(blob)
    plans = Planner(document, theme, options, geometry).plan()
    if not options.notes:
        plans = [replace(plan, notes="") for plan in plans]
    drawer = Drawer(
        prs, theme, layouts_by_role(prs, theme), document.language, context.dated(document)
    )
    for number, plan in enumerate(plans, 1):
        drawer.add(plan, number)
    package.set_sections(prs, _section_groups(document, plans, package.slide_ids(prs)))
    _set_properties(prs, document, theme, plans, options, context)
    made: dict[str, bytes] = {}
    if theme.pptx.embed_fonts:
        used = fonts.typefaces_used(prs)
        embedded = embedding.families(theme, used, fonts.deck_text(prs), made)
        fonts.embed(prs, embedded, subset=True)
    buffer = io.BytesIO()
    prs.save(buffer)
    data = package.normalize_package(buffer.getvalue())
    return Rendered(data, len(plans), _placement(plans), made)


def _placement(plans: Sequence[SlidePlan]) -> dict[str, tuple[int, ...]]:
    found: dict[str, list[int]] = {}
    for number, plan in enumerate(plans, 1):
        if plan.section:
            found.setdefault(plan.section, []).append(number)
    return {key: tuple(numbers) for key, numbers in found.items()}


def _section_groups(
    document: Document, plans: Sequence[SlidePlan], ids: list[int]
) -> list[package.Section]:
    """PowerPoint sections: the opening slides, then one per article section, in order."""
    labels = {s.id: section_label(s) for s in document.sections}
    groups: list[tuple[str, str, list[int]]] = []
    for plan, slide_id in zip(plans, ids):
        key = plan.section or "opening"
        if not groups or groups[-1][0] != key:
            groups.append((key, labels.get(key, document.title), []))
        groups[-1][2].append(slide_id)
    return [(key, name[:255], ids) for key, name, ids in groups]


def _set_properties(
    prs: Any,
    document: Document,
    theme: Theme,
    plans: Sequence[SlidePlan],
    options: Options,
    context: BuildContext,
) -> None:
    package.set_core_properties(
        prs,
        title=document.title,
        subject=document.subtitle or "",
        author=document.byline,
        keywords="; ".join(document.keywords),
        language=document.language,
        category=labels_for(document, theme).fill(
            "prepared_for_audience", audience=document.prepared_for
        )
        if document.prepared_for
        else "",
        comments=document.description or "",
        when=context.dated(document),
    )
    notes = sum(1 for p in plans if p.notes) if options.notes else 0
    package.set_app_properties(prs, len(plans), notes, [p.title for p in plans])
