"""What generated markup refers to: the checks that keep a briefing from loading or
embedding anything outside itself (loading elements, non-data: sources, url()s in styles,
file attachments)."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

import tinycss2

# Attributes through which markup loads or navigates to another resource.
REFERENCE_ATTRIBUTES = frozenset(
    {
        "src",
        "srcset",
        "href",
        "xlink:href",
        "data",
        "poster",
        "action",
        "formaction",
        "background",
        "ping",
        "manifest",
        "longdesc",
        "codebase",
        "archive",
        "lowsrc",
        "dynsrc",
    }
)
# Elements that exist only to load something else; the briefing uses none of them.
LOADING_ELEMENTS = frozenset(
    {
        "link",
        "base",
        "script",
        "iframe",
        "frame",
        "frameset",
        "object",
        "embed",
        "applet",
        "portal",
        "audio",
        "video",
        "source",
        "track",
    }
)
LINK_SCHEMES = ("https:", "mailto:", "#")


Tag = tuple[str, dict[str, str], str]  # (tag, attributes, text of a <style> element)


def _scan(markup: str) -> list[Tag]:
    """(tag, attributes, text of a <style> element) for every start tag in `markup`."""
    found: list[Tag] = []

    class Scanner(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            found.append((tag, {k.lower(): v or "" for k, v in attrs}, ""))

        def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            self.handle_starttag(tag, attrs)

        def handle_data(self, data: str) -> None:
            if self.lasttag == "style" and found and found[-1][0] == "style":
                tag, attrs, text = found[-1]
                found[-1] = (tag, attrs, text + data)

    Scanner(convert_charrefs=True).feed(markup)
    return found


def attachment_targets(markup: str) -> list[str]:
    """The href of every element asking WeasyPrint to embed a file (rel=attachment)."""
    return [
        attrs.get("href", "")
        for tag, attrs, _ in _scan(markup)
        if tag in ("link", "a") and "attachment" in attrs.get("rel", "").lower().split()
    ]


def external_references(markup: str) -> list[str]:
    """Everything in `markup` that would make a browser load or open something outside the
    page: loading elements, non-data: sources, url()s in styles. Hyperlinks may go to
    https:, mailto: or a #fragment."""
    problems: list[str] = []
    for tag, attrs, style in _scan(markup):
        if tag in LOADING_ELEMENTS:
            problems.append(f"<{tag}> element")
        for name, value in attrs.items():
            value = value.strip()
            if name == "style":
                problems += [f"url({u}) in a style attribute" for u in css_references(value)]
            elif name not in REFERENCE_ATTRIBUTES or _allowed(tag, name, value):
                continue
            else:
                problems.append(f'<{tag} {name}="{value[:80]}">')
        if tag == "style":
            problems += [f"url({u}) in <style>" for u in css_references(style)]
    return problems


def _allowed(tag: str, name: str, value: str) -> bool:
    """data: URIs and #fragments anywhere; https:, mailto: and #fragment hyperlinks."""
    if value.startswith(("data:", "#")):
        return True
    return tag == "a" and name == "href" and value.lower().startswith(LINK_SCHEMES)


def css_references(css: str) -> list[str]:
    """Every url() and @import target in `css` that is not a data: URI or a #fragment."""
    found: list[str] = []

    def walk(nodes: Any) -> None:
        for node in nodes or ():
            if node.type == "url":
                found.append(node.value)
            elif node.type == "function" and node.lower_name == "url":
                found.append("".join(a.value for a in node.arguments if a.type == "string"))
            elif node.type == "at-rule" and node.lower_at_keyword == "import":
                strings = [t.value for t in node.prelude if t.type in ("string", "url")]
                found.extend(strings or ["@import"])
            for attr in ("prelude", "content", "arguments"):
                child = getattr(node, attr, None)
                if isinstance(child, list):
                    walk(child)

    walk(tinycss2.parse_stylesheet(css, skip_comments=True))
    return [u for u in found if not (u.startswith(("data:", "#")))]
