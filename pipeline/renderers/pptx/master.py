"""The deck's starting point: a master drawn from theme tokens, or a corporate template.

Either way the result is a presentation with no slides and five layouts found by name
(title, section, content, two_content, title_only), plus the `Geometry` those layouts
define. The slide planner reads its boxes from that geometry, so a template's own
placeholder positions drive the layout exactly as twinpress's drawn master does.
"""

from __future__ import annotations

import io
from functools import lru_cache
from typing import Any

from pptx import Presentation
from pptx.enum.shapes import PP_PLACEHOLDER as PH

from ...errors import Diagnostic, RenderError
from ...tokens import Theme
from .geometry import EMU_PER_PT, Geometry, Rect, inches
from .measure import line_height, theme_face
from .ooxml import package, shapes
from .slideplan import LAYOUTS, Layout

Layouts = dict[Layout, Any]  # role -> python-pptx SlideLayout
TITLES = (PH.TITLE, PH.CENTER_TITLE)
BODIES = (PH.BODY, PH.OBJECT, PH.SUBTITLE)
# python-pptx's default template names the layouts we restyle like this.
_DEFAULT_LAYOUTS: dict[Layout, str] = {
    "title": "Title Slide",
    "section": "Section Header",
    "content": "Title and Content",
    "two_content": "Two Content",
    "title_only": "Title Only",
}
_SIZES = {"16:9": (13.333, 7.5), "16:10": (12.0, 7.5), "4:3": (10.0, 7.5)}
TITLE_SPACING = 0.9  # titles set tight, as designers do


@lru_cache(maxsize=16)
def base_deck(theme: Theme) -> tuple[bytes, Geometry]:
    """The empty, branded presentation for a theme (cached per theme) and its geometry."""
    if theme.pptx.template is not None:
        prs = Presentation(str(theme.pptx.template))
        layouts = _template_layouts(prs, theme)
        package.remove_slides(prs)
        drawn = False
    else:
        prs = Presentation()
        layouts = _draw_master(prs, theme)
        drawn = True
    package.drop_thumbnail(prs)
    geometry = _geometry(prs, layouts, theme, drawn)
    buffer = io.BytesIO()
    prs.save(buffer)
    return buffer.getvalue(), geometry


def layouts_by_role(prs: Any, theme: Theme) -> Layouts:
    """The five layouts of a base presentation, keyed by role."""
    names = _layout_names(theme)
    found = {layout.name: layout for layout in prs.slide_layouts}
    return {role: found[names[role]] for role in LAYOUTS}


def _layout_names(theme: Theme) -> dict[Layout, str]:
    return {role: getattr(theme.pptx.layouts, role) for role in LAYOUTS}


# ----------------------------------------------------------------------------------------
# Corporate template


def _template_layouts(prs: Any, theme: Theme) -> Layouts:
    names = _layout_names(theme)
    found = {layout.name: layout for master in prs.slide_masters for layout in master.slide_layouts}
    missing = [(role, name) for role, name in names.items() if name not in found]
    if missing:
        have = ", ".join(f"'{n}'" for n in found) or "none"
        template = theme.pptx.template.name if theme.pptx.template else "template"
        raise RenderError(
            [
                Diagnostic(
                    "error",
                    "pptx.template-layout",
                    f"template '{template}' of theme '{theme.name}' has no layout named "
                    + ", ".join(f"'{name}' (for {role})" for role, name in missing),
                    None,
                    f"its layouts are: {have}; set pptx.layouts in theme.yaml to those names",
                )
            ]
        )
    return {role: found[name] for role, name in names.items()}


# ----------------------------------------------------------------------------------------
# Twinpress's own master


def _draw_master(prs: Any, theme: Theme) -> Layouts:
    width, height = _SIZES[theme.slide_size]
    prs.slide_width, prs.slide_height = inches(width), inches(height)
    package.set_theme_colors_and_fonts(prs, theme)
    master = prs.slide_master
    package.set_master_styles(master, theme)
    layouts = _prune_layouts(prs, theme)
    boxes = _drawn_boxes(theme, prs.slide_width, prs.slide_height)
    _place_master_placeholders(master, boxes)
    for role, layout in layouts.items():
        _style_layout(prs, role, layout, boxes, theme)
    return layouts


def _prune_layouts(prs: Any, theme: Theme) -> Layouts:
    """Keep the five layouts the deck uses, renamed to the theme's names; drop the rest."""
    names = _layout_names(theme)
    by_default = {layout.name: layout for layout in prs.slide_layouts}
    kept = {role: by_default[_DEFAULT_LAYOUTS[role]] for role in LAYOUTS}
    for layout in list(prs.slide_layouts):
        if layout not in kept.values():
            prs.slide_layouts.remove(layout)
    for role, layout in kept.items():
        shapes.rename_layout(layout, names[role])
    return kept


def _drawn_boxes(theme: Theme, width: int, height: int) -> dict[str, Rect]:
    """The drawn master's grid, from the margin token and the type scale."""
    m = inches(theme.spacing.deck.margin)
    deck = theme.type.deck
    title_line = line_height(theme_face(theme, "heading", bold=True), 1.0)
    title_h = int(2 * deck.heading * title_line * TITLE_SPACING * EMU_PER_PT) + inches(0.14)
    title = Rect(m, inches(0.78), width - 2 * m, title_h)
    body_top = title.bottom + inches(0.22)
    body_bottom = height - inches(0.8)
    body = Rect(m, body_top, width - 2 * m, body_bottom - body_top)
    gutter = inches(theme.spacing.deck.gutter)
    col_w = (body.w - gutter) // 2
    cover_line = int(2 * deck.title * title_line * TITLE_SPACING * EMU_PER_PT) + inches(0.14)
    cover_x = m + inches(0.55)
    cover_title = Rect(cover_x, int(height * 0.30), width - cover_x - m, cover_line)
    cover_sub = Rect(cover_x, cover_title.bottom + inches(0.12), cover_title.w, inches(1.5))
    div_title = Rect(cover_x, int(height * 0.40), width - cover_x - 2 * m, cover_line)
    div_body = Rect(
        cover_x,
        div_title.bottom + inches(0.12),
        div_title.w,
        max(inches(0.8), body_bottom - div_title.bottom - inches(0.12)),
    )
    footer_y = height - inches(0.58)
    return {
        "title": title,
        "body": body,
        "left": Rect(m, body_top, col_w, body.h),
        "right": Rect(m + col_w + gutter, body_top, col_w, body.h),
        "cover_title": cover_title,
        "cover_subtitle": cover_sub,
        "divider_title": div_title,
        "divider_body": div_body,
        "footer": Rect(m + inches(0.5), footer_y, width // 2, inches(0.36)),
        "number": Rect(width - m - inches(1.5), footer_y, inches(1.5), inches(0.36)),
        "logo": Rect(m, footer_y + inches(0.02), inches(0.32), inches(0.32)),
        "cover_logo": Rect(cover_x, inches(0.7), inches(0.9), inches(0.9)),
    }


def _place_master_placeholders(master: Any, boxes: dict[str, Rect]) -> None:
    where = {
        PH.TITLE: boxes["title"],
        PH.BODY: boxes["body"],
        PH.FOOTER: boxes["footer"],
        PH.SLIDE_NUMBER: boxes["number"],
    }
    for shape in list(master.placeholders):
        kind = shape.placeholder_format.type
        if kind == PH.DATE:
            shapes.remove(shape)
        elif kind in where:
            shapes.set_rect(shape, where[kind])
            shapes.set_footer_alignment(shape, kind)


def _style_layout(
    prs: Any, role: Layout, layout: Any, boxes: dict[str, Rect], theme: Theme
) -> None:
    bodies = sorted(
        (s for s in layout.placeholders if s.placeholder_format.type in BODIES),
        key=lambda s: s.left,
    )
    body_boxes = {
        "title": [boxes["cover_subtitle"]],
        "section": [boxes["divider_body"]],
        "content": [boxes["body"]],
        "two_content": [boxes["left"], boxes["right"]],
        "title_only": [],
    }[role]
    title_box = {"title": boxes["cover_title"], "section": boxes["divider_title"]}.get(
        role, boxes["title"]
    )
    for shape in list(layout.placeholders):
        kind = shape.placeholder_format.type
        shapes.clear_layout_text_style(shape)
        if kind in TITLES:
            shapes.set_rect(shape, title_box)
        elif kind == PH.DATE:
            shapes.remove(shape)
        elif kind in (PH.FOOTER, PH.SLIDE_NUMBER):
            shapes.set_rect(shape, boxes["footer" if kind == PH.FOOTER else "number"])
    for shape, box in zip(bodies, body_boxes):
        shapes.set_rect(shape, box)
    if role == "section":
        shapes.set_background(layout, theme.colors.surface)
    if role == "title":
        shapes.add_layout_rect(
            layout, Rect(0, 0, inches(0.22), prs.slide_height), theme.colors.primary, "Brand band"
        )
        shapes.add_layout_picture(layout, theme.logo.png, boxes["cover_logo"], theme.logo.alt)
    elif role != "section":
        shapes.add_layout_picture(layout, theme.logo.png, boxes["logo"], theme.logo.alt)


# ----------------------------------------------------------------------------------------
# Geometry, read back from the layouts (template or drawn)


def _geometry(prs: Any, layouts: Layouts, theme: Theme, drawn: bool) -> Geometry:
    width, height = prs.slide_width, prs.slide_height
    content = _boxes(layouts["content"])
    two = _boxes(layouts["two_content"])
    cover = _boxes(layouts["title"])
    divider = _boxes(layouts["section"])
    title = content.title or Rect(inches(0.5), inches(0.4), width - inches(1), inches(1.0))
    body = (
        content.bodies
        or [Rect(title.x, title.bottom + inches(0.2), title.w, height - title.bottom - inches(1.0))]
    )[0]
    # A template's body may reach under its own footer (LibreOffice's templates do): text
    # stops above the footer band.
    body = _above(body, content.footer)
    columns = [_above(c, two.footer or content.footer) for c in two.bodies]
    if len(columns) < 2:
        half = (body.w - inches(0.4)) // 2
        columns = [body.with_(w=half), body.with_(x=body.x + half + inches(0.4), w=half)]
    cover_title = cover.title or title
    cover_sub = (cover.bodies or [cover_title.with_(y=cover_title.bottom)])[0]
    div_title = divider.title or title
    div_body = (divider.bodies or [div_title.with_(y=div_title.bottom)])[0]
    margin = inches(theme.spacing.deck.margin) if drawn else min(body.x, title.x)
    return Geometry(
        width,
        height,
        margin,
        title,
        body,
        (columns[0], columns[1]),
        cover_title,
        cover_sub,
        div_title,
        div_body,
        content.footer,
        drawn,
    )


def _above(box: Rect, footer: Rect | None) -> Rect:
    """`box` ending where a footer below its top begins."""
    if footer is None or footer.y <= box.y or footer.y >= box.bottom:
        return box
    return box.with_(h=footer.y - box.y)


class _LayoutBoxes:
    """Where one layout's title, bodies (left to right) and footer placeholders are."""

    def __init__(self) -> None:
        self.title: Rect | None = None
        self.bodies: list[Rect] = []
        self.footer: Rect | None = None


def _boxes(layout: Any) -> _LayoutBoxes:
    found = _LayoutBoxes()
    for shape in layout.placeholders:
        kind = shape.placeholder_format.type
        rect = Rect(shape.left, shape.top, shape.width, shape.height)
        if kind in TITLES:
            found.title = rect
        elif kind in BODIES:
            found.bodies.append(rect)
        elif kind == PH.FOOTER:
            found.footer = rect
    found.bodies.sort(key=lambda r: (r.x, r.y))
    return found
