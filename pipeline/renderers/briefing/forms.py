"""One PDF form per background SVG and size, placed wherever it is drawn (WeasyPrint 70).

A bullet's marker icon is a CSS background. For every background WeasyPrint draws, it
makes a new form XObject (a transparency group as large as the page), moves it to the
box, draws the SVG into it and places it: a briefing of 5,000 bullets wrote 5,000 forms
holding the same few icons, each a compressed stream with a resources dictionary of its
own: a file of 3.4 MB that is 1.5 MB with one form per icon and size, and 40 MB of the
render's memory until the file is written.

`sharing` draws an SVG background at a given size once per resources dictionary (in
practice once per document) into a form like WeasyPrint's, and places that form for every
box: the page's stream clips to the page, moves to the box (`q`, `re W n`, `cm`) and draws
the form (`Do`, `Q`), where WeasyPrint's form moved itself inside its box (`BBox`), the
page. The pages look the same: the same operators run under the same transformation, in
the same kind of group, inside the same artifact and clips (in the same coordinates: a
transformed element's background is cut where WeasyPrint cuts it). The shared form's own
box reaches two pages beyond the page on every side, so that it cuts nothing the page
shows; an image placed further out than that (a far corner of a sprite sheet) takes
WeasyPrint's path, as do other backgrounds (gradients, raster images, repeated images).

A failed drawing is not kept: its form is taken out again and WeasyPrint draws the
background its own way, which logs the failure as it always does, for every box.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from itertools import islice
from typing import Any

import pydyf
from weasyprint.images import SVGImage

KEY = "_twinpress_form"  # a shared form's attribute: what it holds, (image, size, page)
_INDEX = "_twinpress_forms"  # a resources dictionary's attribute: (entries seen, key -> name)
_REACH = 2  # pages the shared form's box reaches beyond its page, on every side


def sharing(draw: Callable[[Any, Any, Any], None]) -> Callable[[Any, Any, Any], None]:
    """`draw_background_image` that places one shared form per SVG and size."""

    @functools.wraps(draw)
    def draw_background_image(stream: Any, layer: Any, style: Any) -> None:
        name = _form(stream, layer) if _shareable(stream, layer) else None
        if name is None:
            draw(stream, layer, style)
            return
        with stream.artifact():
            if not layer.unbounded:
                stream.rectangle(*layer.painting_area)
                stream.clip()
                stream.end()
            stream.push_state()
            # WeasyPrint's form is clipped to the page as the box's coordinates see it
            stream.rectangle(*stream.page_rectangle)
            stream.clip()
            stream.end()
            x, y = _offset(layer)
            stream.transform(e=x, f=y)
            stream.draw_x_object(name)
            stream.pop_state()

    return draw_background_image


def _shareable(stream: Any, layer: Any) -> bool:
    """An SVG drawn once, placed within the reach of its form's box."""
    if not (
        isinstance(layer.image, SVGImage)
        and layer.repeat == ("no-repeat", "no-repeat")
        and 0 not in layer.size
    ):
        return False
    x, y = _offset(layer)
    page_width: float
    page_height: float
    _, _, page_width, page_height = stream.page_rectangle
    return abs(x) <= _REACH * page_width and abs(y) <= _REACH * page_height


def _offset(layer: Any) -> tuple[float, float]:
    """Where WeasyPrint moves the form to: the image's place in the box."""
    position_x, position_y = layer.position
    positioning_x, positioning_y, _, _ = layer.positioning_area
    return position_x + positioning_x, position_y + positioning_y


def _form(stream: Any, layer: Any) -> str | None:
    """The name of the form holding this layer's drawing, drawn now if it is new."""
    width, height = layer.size
    page = tuple(stream.page_rectangle)
    key = (layer.image, width, height, page)  # the image itself: kept alive with the form
    known = _forms(stream._resources)
    if key in known:
        return known[key]
    form = stream.add_group(*page)
    left, top, page_width, page_height = page
    form.extra["BBox"] = pydyf.Array(
        (
            left - _REACH * page_width,
            top - _REACH * page_height,
            left + (_REACH + 1) * page_width,
            top + (_REACH + 1) * page_height,
        )
    )
    image = layer.image
    try:  # what SVGImage.draw does, without its catch-all: a failure is not kept
        image._svg.draw(form, width, height, image._base_url, image._context)
    except Exception:
        del stream._resources["XObject"][form.id]
        return None
    setattr(form, KEY, key)
    known[key] = form.id
    return str(form.id)


def _forms(resources: Any) -> dict[tuple[Any, ...], str]:
    """The shared forms a resources dictionary holds, by what they hold.

    Read from the forms themselves, so forms another drawing copied in (a batch replaying
    a recorded page) are found too; only the entries added since the last look are read.
    """
    entries = resources["XObject"]
    seen: int
    known: dict[tuple[Any, ...], str]
    seen, known = resources.__dict__.get(_INDEX, (0, {}))
    if seen > len(entries):  # an entry was taken out: read them all again
        seen, known = 0, {}
    if seen != len(entries):
        for name, entry in islice(entries.items(), seen, None):
            if hasattr(entry, KEY):
                known[getattr(entry, KEY)] = name
        resources.__dict__[_INDEX] = (len(entries), known)
    return known
