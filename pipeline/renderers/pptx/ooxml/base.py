"""What every OOXML writer here shares: element typing, stable GUIDs, solid fills."""

from __future__ import annotations

import functools
import uuid
from typing import Any

from lxml import etree
from pptx.oxml import ns

from ....colors import digits

Element = Any  # an lxml element of python-pptx's oxml classes (they carry no usable types)
# python-pptx's `qn` ("a:rPr" -> "{http://...}rPr") builds two objects per call; the writers
# here ask for the same few dozen names for every paragraph of a deck.
qn = functools.cache(ns.qn)
# Namespace for twinpress's deterministic GUIDs (section ids, field ids).
GUID_NS = uuid.UUID("5d1f3f5e-4c1b-4c53-9a55-7477696e7072")


def guid(*parts: object) -> str:
    """A GUID that is the same on every build for the same inputs."""
    return "{{{}}}".format(str(uuid.uuid5(GUID_NS, "/".join(map(str, parts)))).upper())


def solid_fill(parent: Element, color: str) -> Element:
    fill = etree.SubElement(parent, qn("a:solidFill"))
    etree.SubElement(fill, qn("a:srgbClr"), val=digits(color))
    return fill
