"""Personalised briefings (`twinpress batch`) without laying the whole briefing out again.

Copies whose HTML differs only inside the cover element (the recipient on the cover, the
confidentiality line it sets for the running footer) share a group: the key is the HTML
around the cover plus the page settings. The first copy of a group in a process is laid
out in full (that is its output), and the group's shared layout is made from it; that
same copy is then stitched (stitch.py) and must come out byte for byte equal to its full
render, or the group is marked and every copy of it is laid out in full. Later copies of a
group only lay out their cover and write.

A copy whose personalised text reaches the body (a `{{field}}` in a section, or in the title,
which is also the PDF's metadata) has HTML of its own, so it never matches a group and is
laid out in full: the fast path is never taken where it could be wrong.

`take_notes()` says, for each render, how it was made (for the batch summary).
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import warnings
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from ...context import BuildContext
from ...errors import RenderError
from ...fetcher import asset_fetcher
from ...model import Document
from ...recipient import Recipient
from ..contract import Rendered
from . import weasy
from .compose import Draft, blocked, compose
from .options import PdfOptions
from .replay import Recorder
from .stitch import Cover, Layout, Unstitchable, assemble, lay_out, split_cover

SHARED = "shared-layout"
REPLAYED = "replayed:"  # body pages replayed / body pages, e.g. 'replayed:6/6'
MAX_GROUPS = 4  # layouts kept per process (each holds a briefing's boxes: ~10-30 MB)
_GROUPS: OrderedDict[str, Group] = OrderedDict()
_OWNER = 0
_NOTES: list[str] = []


@dataclass
class Group:
    """The shared layout of the copies with one body, or why they are laid out in full;
    with the body pages' drawing when replaying it reproduced the full render."""

    layout: Layout | None = None
    recorder: Recorder | None = None
    problem: str = ""


def take_notes() -> tuple[str, ...]:
    """How the renders since the last call were made; clears the list."""
    notes = tuple(_NOTES)
    _NOTES.clear()
    return notes


def render_personalised(
    document: Document, theme: Any, options: PdfOptions, build: BuildContext
) -> Rendered:
    """The briefing of one recipient: stitched from its group's layout when there is one."""
    draft = compose(document, theme, build, weasy._page(theme, options))
    cover = split_cover(draft.html)
    if cover is None:
        return _full(document, theme, options, build, "the theme's cover has no id='cover'")
    key = _key(theme, options, build, draft, cover)
    with weasy._LOCK:
        group = _groups().get(key)
        if group is None:
            return _seed(key, document, theme, options, build, draft, cover)
        if group.problem or group.layout is None:
            return _full(document, theme, options, build, group.problem)
        recorder = group.recorder
        replayed = recorder.replayed if recorder else 0
        try:
            result = _stitched(group.layout, document, theme, options, draft, cover, recorder)
        except Unstitchable as exc:
            return _full(document, theme, options, build, str(exc))
    _NOTES.append(SHARED)
    if recorder is not None:
        _NOTES.append(f"{REPLAYED}{recorder.replayed - replayed}/{result.units - 1}")
    return result


def _groups() -> OrderedDict[str, Group]:
    global _OWNER
    if os.getpid() != _OWNER:  # a forked process lays out with fonts of its own
        _GROUPS.clear()
        _OWNER = os.getpid()
    return _GROUPS


def _key(theme: Any, options: PdfOptions, build: BuildContext, draft: Draft, cover: Cover) -> str:
    page = draft.page
    settings = (
        theme.fingerprint,
        tuple(map(str, theme.dirs)),
        repr(options),
        build.fingerprint,
        page.paper,
        page.variant,
        page.emoji,
        tuple(sorted(page.emoji_markers)),
    )
    digest = hashlib.sha256(repr(settings).encode())
    digest.update(cover.before.encode())
    digest.update(b"\0")
    digest.update(cover.after.encode())
    return digest.hexdigest()


def _full(
    document: Document, theme: Any, options: PdfOptions, build: BuildContext, why: str
) -> Rendered:
    _NOTES.append(f"full-layout: {why}")
    return weasy.render_briefing(document, theme, options, build)


def _seed(
    key: str,
    document: Document,
    theme: Any,
    options: PdfOptions,
    build: BuildContext,
    draft: Draft,
    cover: Cover,
) -> Rendered:
    """Lay this copy out in full (its output), make its group's shared layout from it, and
    check that stitching (with the body pages replayed, else drawn) reproduces the full
    render exactly."""
    result = _full(document, theme, options, build, "the first copy of its group")
    group = Group()
    try:
        group.layout = _layout(draft.html, theme, options, draft, document)
        group.recorder = _recorded(group.layout, document, theme, options, build, cover)
        if group.recorder is not None:
            again = _stitched(group.layout, document, theme, options, draft, cover, group.recorder)
            if again.data != result.data or not group.recorder.replayed:
                group.recorder = None
        if group.recorder is None:  # stitched, every body page drawn: exact at least?
            stitched = _stitched(group.layout, document, theme, options, draft, cover)
            if stitched.data != result.data:
                group.problem = "stitching did not reproduce the full render"
    except (Unstitchable, RenderError) as exc:
        group.problem = str(exc)
    if group.problem:
        group.layout = None
    groups = _groups()
    groups[key] = group
    while len(groups) > MAX_GROUPS:
        groups.popitem(last=False)
    return result


def _recorded(
    layout: Layout,
    document: Document,
    theme: Any,
    options: PdfOptions,
    build: BuildContext,
    cover: Cover,
) -> Recorder | None:
    """Record the body pages' drawing in a copy for a recipient named 'a': its few glyphs
    are the body's own, so the widths it caches are those the body pages measure."""
    stand_in = dataclasses.replace(document, recipient=Recipient(id="a"))
    draft = compose(stand_in, theme, build, weasy._page(theme, options))
    own = split_cover(draft.html)
    if own is None or (own.before, own.after) != (cover.before, cover.after):
        return None
    recorder = Recorder()
    _stitched(layout, stand_in, theme, options, draft, own, recorder, recording=True)
    return recorder


def _pdf_options(options: PdfOptions) -> dict[str, Any]:
    return {"pdf_variant": weasy.VARIANTS[options.variant], "pdf_identifier": True}


def _layout(html: str, theme: Any, options: PdfOptions, draft: Draft, document: Document) -> Layout:
    """Lay `html` out as the full render does, keeping the context; RenderError for
    anything WeasyPrint reports, as in a full render."""
    sheets = weasy._stylesheets(theme, draft.page)
    fetcher = asset_fetcher(draft.policy)
    source = weasy.source(html, theme.dirs[0].as_uri() + "/", fetcher, sheets)
    with weasy.LogGuard(sheets.messages, document.where) as guard:
        layout = lay_out(
            source,
            sheets.parsed,
            weasy.font_config(),
            {"cache": weasy._image_cache(), **_pdf_options(options)},
        )
    if fetcher.refused:
        raise RenderError([blocked(fetcher.refused[0], document, theme)])
    guard.raise_if_any()
    return layout


def _stitched(
    shared: Layout,
    document: Document,
    theme: Any,
    options: PdfOptions,
    draft: Draft,
    cover: Cover,
    recorder: Recorder | None = None,
    recording: bool = False,
) -> Rendered:
    """This copy's cover laid out alone, joined to the shared pages, and written (the
    body pages' drawing recorded, or replayed, with a recorder)."""
    stamp = _layout(cover.stamp_html, theme, options, draft, document)
    if weasy._attachment_links(stamp.document):
        raise RenderError([weasy._attachment(None, document)])
    joined = assemble(shared, stamp, recorder, recording)
    with weasy.LogGuard(where=document.where) as guard, warnings.catch_warnings():
        warnings.filterwarnings("ignore", r"unclosed file .*sRGB2014\.icc", ResourceWarning)
        data = joined.write_pdf(**_pdf_options(options))
    guard.raise_if_any()
    weasy._check_fonts(joined, theme, draft.glyphs, document)
    return Rendered(data, len(joined.pages), weasy.placement(joined, document))
