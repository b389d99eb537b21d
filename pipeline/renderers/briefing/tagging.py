"""Each page's structure elements built as soon as the page is painted, and, where a
document is painted once, the page's boxes let go (WeasyPrint 70, pydyf 0.13).

A tagged briefing (PDF/UA) carries a structure tree, which WeasyPrint's `add_tags` builds
only after the last page is painted, by walking every page's box tree: until the file is
written, a briefing holds every laid-out page, about 0.4 MB of boxes, used values and
styles a page of bullets (1,433 pages for a source of 20,000 bullets). Here WeasyPrint's
own `_build_box_tree` runs for each page right after the page is painted, with what
`add_tags` would have given it (the document element as parent, the page's number, the
shared list of annotations, the page's marked-content tags), and `add_tags`, the name
`generate_pdf` calls, only joins what the pages made, in page order, and adds the
catalog's entries as WeasyPrint does. The tree is WeasyPrint's; its objects are numbered
page by page rather than after the last page.

Nothing WeasyPrint writes after painting reads a page's boxes again (links, anchors,
bookmarks and form fields are taken from them before the page is painted), so inside
`painting_once()` a painted page drops its box tree and a long briefing's layout memory is
given back page by page while the structure and the file are made. Only a document painted
once may: the batch's shared body pages are painted for every recipient and keep theirs.
"""

from __future__ import annotations

import functools
import threading
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pydyf
import weasyprint.pdf as weasy_pdf
from weasyprint.logger import LOGGER
from weasyprint.pdf.tags import _build_box_tree

_TREE = "_twinpress_tree"  # a PDF's attribute: its Tree while its pages are painted
# .page: (a weak reference to the pdf, page number, its stream's reference), weak so that a
# written file is not kept alive by the thread that wrote it; .once: bool
_now = threading.local()


@dataclass
class Tree:
    """A PDF's structure tree as its pages are tagged."""

    mapping: pydyf.Dictionary  # the parent tree: page number -> its elements by MCID
    root: pydyf.Dictionary
    document: pydyf.Dictionary
    pages: dict[int, list[Any]] = field(default_factory=dict)  # page -> elements by MCID
    annotations: list[tuple[Any, Any]] = field(default_factory=list)


def adding_page(add_page: Callable[..., None]) -> Callable[..., None]:
    """`pydyf.PDF.add_page` that notes which page is about to be painted, and where."""

    @functools.wraps(add_page)
    def add_page_noted(pdf: pydyf.PDF, page: pydyf.Dictionary) -> None:
        add_page(pdf, page)
        _now.page = (weakref.ref(pdf), len(pdf.pages["Kids"]) // 3 - 1, page.get("Contents"))

    return add_page_noted


def tagging_when_painted(paint: Callable[..., None]) -> Callable[..., None]:
    """`Page.paint` that tags the page it painted."""

    @functools.wraps(paint)
    def paint_and_tag(page: Any, stream: Any, *args: Any, **kwargs: Any) -> None:
        paint(page, stream, *args, **kwargs)
        page_painted(page, stream)

    return paint_and_tag


def page_painted(page: Any, stream: Any) -> None:
    """Tag a painted page of the PDF being written, then let its boxes go if painted once."""
    noted = getattr(_now, "page", None)
    if noted is None or noted[2] != stream.reference or weasy_pdf.add_tags is not add_tags:
        return  # not a page generate_pdf is writing, or WeasyPrint's own add_tags will walk it
    pdf, number = noted[0](), noted[1]
    if pdf is None:
        return
    if stream._tags is not None:
        _tag(pdf, _tree(pdf), number, page._page_box, stream._tags)
    if getattr(_now, "once", False):
        page._page_box = None


@contextmanager
def painting_once() -> Iterator[None]:
    """Within: the documents written are not painted again, so pages drop their boxes."""
    outer = getattr(_now, "once", False)
    _now.once = True
    try:
        yield
    finally:
        _now.once = outer


def add_tags(pdf: pydyf.PDF, document: Any, pdf_version: Any, page_streams: list[Any]) -> None:
    """WeasyPrint's `add_tags`, from the elements each page made when it was painted (a page
    painted otherwise is tagged now, as WeasyPrint would)."""
    tree = pdf.__dict__.pop(_TREE, None) or _tree(pdf, keep=False)
    for number, (page, stream) in enumerate(zip(document.pages, page_streams, strict=True)):
        if number not in tree.pages:
            _tag(pdf, tree, number, page._page_box, stream._tags)
    nums = tree.mapping["Nums"] = pydyf.Array()
    for number in range(len(document.pages)):
        nums.extend((number, pydyf.Array(tree.pages[number])))
    for number, (reference, annotation) in enumerate(tree.annotations, start=len(document.pages)):
        nums.extend((number, reference))
        annotation["StructParent"] = number
    if str(pdf_version) >= "2.0":  # a str() for bytes and None, as WeasyPrint compares
        namespace = pydyf.Dictionary(
            {"Type": "/Namespace", "NS": pydyf.String("http://iso.org/pdf2/ssn")}
        )
        pdf.add_object(namespace)
        tree.root["Namespaces"] = pydyf.Array([namespace.reference])
        tree.document["NS"] = namespace.reference
    pdf.catalog["ViewerPreferences"] = pydyf.Dictionary({"DisplayDocTitle": "true"})
    pdf.catalog["MarkInfo"] = pydyf.Dictionary({"Marked": "true"})
    if "Lang" not in pdf.catalog:
        LOGGER.error('Missing required "lang" attribute at the root of the document')
        pdf.catalog["Lang"] = pydyf.String()


def _tree(pdf: pydyf.PDF, keep: bool = True) -> Tree:
    """The PDF's tree, begun (its first three objects, as WeasyPrint makes them) when its
    first page is tagged."""
    tree: Tree | None = pdf.__dict__.get(_TREE)
    if tree is None:
        mapping = pydyf.Dictionary({})
        pdf.add_object(mapping)
        root = pydyf.Dictionary({"Type": "/StructTreeRoot", "ParentTree": mapping.reference})
        pdf.add_object(root)
        element = pydyf.Dictionary(
            {"Type": "/StructElem", "S": "/Document", "K": pydyf.Array(), "P": root.reference}
        )
        pdf.add_object(element)
        root["K"] = pydyf.Array([element.reference])
        pdf.catalog["StructTreeRoot"] = root.reference
        tree = Tree(mapping, root, element)
        if keep:
            pdf.__dict__[_TREE] = tree
    return tree


def _tag(pdf: pydyf.PDF, tree: Tree, number: int, page_box: Any, tags: dict[Any, Any]) -> None:
    """One page's elements, as WeasyPrint's `add_tags` makes them for it."""
    found: dict[int, Any] = {}
    first = len(pdf.objects)
    for element in _build_box_tree(
        page_box, tree.document, pdf, number, found, tree.annotations, tags
    ):
        tree.document["K"].append(element.reference)
    if tags:
        raise RuntimeError(f"page {number + 1} drew {len(tags)} marked contents no box holds")
    tree.pages[number] = [reference for _, reference in sorted(found.items())]
    for index in range(first, len(pdf.objects)):
        pdf.objects[index] = Written(pdf.objects[index])


class Written(pydyf.Object):  # type: ignore[misc]  # pydyf is untyped
    """A finished structure element (or object reference) kept as the bytes pydyf would
    write for it: a page's elements are complete once the page is tagged (only the document
    element, made before, gains children later), and a dictionary, its arrays and strings
    weigh about ten times their bytes (a 20,000-bullet briefing has 125,000 elements)."""

    __slots__ = ("_data", "free", "generation", "number", "offset")

    def __init__(self, finished: pydyf.Object) -> None:
        self.number, self.offset = finished.number, finished.offset
        self.generation, self.free = finished.generation, finished.free
        self._data: bytes = finished.data

    @property
    def data(self) -> bytes:
        return self._data
