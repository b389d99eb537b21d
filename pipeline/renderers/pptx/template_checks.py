"""What a corporate template must offer the deck, checked at the theme's lines: each layout
role's placeholders fit its slot (a title; one body for content, two side by side for
two_content), and the theme's text colours read on the template's own backgrounds (the
slide background and the filled master shapes behind each placeholder)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from ...colors import contrast
from ...contrast import MINIMUM
from ...errors import Diagnostic, SourceLocation
from .ooxml.template import LayoutInfo, Placeholder, read_template
from .slideplan import LAYOUTS, Layout

if TYPE_CHECKING:
    from ...tokens import Theme

# How many body placeholders each role fills, and what it writes in each kind.
BODIES: dict[Layout, tuple[int, int]] = {
    "title": (0, 1), "section": (0, 1), "content": (1, 1), "two_content": (2, 2),
    "title_only": (0, 0),
}  # fmt: skip


def template_problems(theme: Theme) -> list[Diagnostic]:
    """Slot errors and contrast warnings of the theme's template (none without one)."""
    template = theme.pptx.template
    info = read_template(template) if template is not None else None
    if info is None:  # no template, or one theme_checks already reported as damaged
        return []
    found: list[Diagnostic] = []
    layouts = {}
    for role in LAYOUTS:
        layout = info.layouts.get(getattr(theme.pptx.layouts, role))
        if layout is not None:
            layouts[role] = layout
            found += _slots(theme, role, layout, info.width, info.height)
    return found + list(_contrast(theme, layouts))


def _slots(
    theme: Theme, role: Layout, layout: LayoutInfo, width: int, height: int
) -> Iterator[Diagnostic]:
    where = theme.locations.get(f"pptx.layouts.{role}") or theme.locations.get("pptx.template")
    bodies = layout.of_kind("body")
    least, most = BODIES[role]
    names = ", ".join(f"'{p.name}'" for p in bodies) or "none"
    if not layout.of_kind("title"):
        yield _error(f"layout '{layout.name}' (for {role}) has no title placeholder", where,
                     "choose a layout with a title, or add one to it in PowerPoint")  # fmt: skip
    if not least <= len(bodies) <= most:
        need = {0: "none", 1: "one", 2: "two side by side"}[most]
        yield _error(f"layout '{layout.name}' (for {role}) has {len(bodies)} body placeholders "
                     f"({names}); {role} needs {need if least == most else f'at most {need}'}",
                     where, _layout_hint(role))  # fmt: skip
    elif role == "two_content" and not _side_by_side(bodies):
        yield _error(f"layout '{layout.name}' (for two_content) has its two body placeholders "
                     f"({names}) above each other or overlapping, not side by side", where,
                     _layout_hint(role))  # fmt: skip
    for holder in layout.placeholders:
        r = holder.rect
        if (
            holder.kind in ("title", "body")
            and r is not None
            and (r.x < 0 or r.y < 0 or r.right > width or r.bottom > height)
        ):
            message = f"placeholder '{holder.name}' of layout '{layout.name}' (for {role}) "
            yield _error(message + "reaches off the slide", where, "move it inside the slide")


def _side_by_side(bodies: list[Placeholder]) -> bool:
    rects = sorted((p.rect for p in bodies if p.rect is not None), key=lambda r: r.x)
    return len(rects) >= 2 and rects[0].right <= rects[1].x


def _layout_hint(role: Layout) -> str:
    return {
        "two_content": "use a layout like 'Two Content' (a title and two content placeholders "
        "side by side), not 'Comparison'",
        "content": "use a layout like 'Title and Content' (a title and one content placeholder)",
    }.get(role, "use a layout with a title and at most one text placeholder")


def _contrast(theme: Theme, layouts: dict[Layout, LayoutInfo]) -> Iterator[Diagnostic]:
    """The deck's text colours on every colour painted behind the placeholders they fill:
    one warning per colour pair, naming the layouts it occurs on."""
    c = theme.colors
    failing: dict[tuple[str, str], tuple[float, float, list[str]]] = {}
    for layout in layouts.values():
        for holder in layout.placeholders:
            if holder.kind not in ("title", "body", "footer", "number") or holder.rect is None:
                continue
            tokens = {"title": ("primary",), "body": ("text", "muted")}.get(holder.kind, ("muted",))
            minimum = MINIMUM["large text" if holder.kind == "title" else "text"]
            for token in tokens:
                for behind in layout.behind(holder.rect):
                    ratio = contrast(getattr(c, token), behind)
                    if ratio < minimum:
                        entry = failing.setdefault((token, behind), (ratio, minimum, []))
                        if f"'{layout.name}'" not in entry[2]:
                            entry[2].append(f"'{layout.name}'")
    template = theme.pptx.template.name if theme.pptx.template else "the template"
    for (token, behind), (ratio, minimum, names) in failing.items():
        yield Diagnostic(
            "warning",
            "theme.template-contrast",
            f"{token} {getattr(c, token)} on {behind}, which {template} paints behind text "
            f"on layout{'s' * (len(names) > 1)} {', '.join(names)}, has contrast "
            f"{ratio:.2f}:1, below WCAG 2.1 AA's {minimum:g}:1",
            theme.locations.get("pptx.template"),
            f"set colors.{token} to read on {behind}, or choose layouts whose background "
            "suits the theme's colours",
        )


def _error(message: str, where: SourceLocation | None, hint: str) -> Diagnostic:
    return Diagnostic("error", "theme.template-slot", message, where, hint)
