"""python-pptx's XPath queries, each compiled once instead of on every call.

python-pptx finds nearly everything with `BaseOxmlElement.xpath(expression)`, which has
lxml compile the expression anew each call: 19 µs for `./*[1]/p:nvPr/p:ph`, the
placeholder test python-pptx makes of every shape whenever it walks a slide, a layout or a
notes page (52,712 times for the article x20's deck, a fifth of drawing it). An
`etree.XPath` compiled from the same expression with the same namespaces gives the same
result in 2.4 µs. `install` gives python-pptx's elements that method, pinned to the version
whose method it replaces; expressions built from values (an id in a predicate) can be
many, so only the first `KEPT` distinct ones are kept compiled.
"""

from __future__ import annotations

import threading
from typing import Any

import pptx
from lxml import etree
from pptx.oxml import xmlchemy
from pptx.oxml.ns import _nsmap

PINNED = "1.0.2"
KEPT = 512
_local = threading.local()  # lxml's XPath evaluators are not for sharing between threads
_installed = False
evaluated_by_lxml: Any = None  # python-pptx's own method, for the tests' comparison


def install() -> None:
    """Have python-pptx evaluate its XPath expressions compiled (idempotent)."""
    global _installed, evaluated_by_lxml
    if _installed or pptx.__version__ != PINNED:
        return
    evaluated_by_lxml = xmlchemy.BaseOxmlElement.xpath
    xmlchemy.BaseOxmlElement.xpath = _compiled_xpath  # type: ignore[method-assign,assignment]
    _installed = True


def _compiled_xpath(element: Any, xpath_str: str) -> Any:
    """`BaseOxmlElement.xpath`: the expression evaluated with python-pptx's namespaces."""
    compiled: dict[str, etree.XPath] | None = getattr(_local, "compiled", None)
    if compiled is None:
        compiled = _local.compiled = {}
    query = compiled.get(xpath_str)
    if query is None:
        query = etree.XPath(xpath_str, namespaces=_nsmap)
        if len(compiled) < KEPT:
            compiled[xpath_str] = query
    return query(element)
