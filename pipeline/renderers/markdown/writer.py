"""Markdown text for a document: escaped so content stays literal, Pandoc-compatible."""

from __future__ import annotations

import base64
import mimetypes
import re
from typing import assert_never

from ...charts import Chart, data_table
from ...labels import Labels
from ...model import (
    MARKERS,
    Block,
    BulletItem,
    Bullets,
    Callout,
    CallToAction,
    Comparison,
    Document,
    Heading,
    Image,
    Paragraph,
    Quote,
    Section,
    Table,
    Verdict,
    section_label,
)
from .options import Options

_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|])")
_LINE_START = re.compile(r"^(\s*)([-+]|\d+[.)])(\s)", re.M)


def markdown(document: Document, labels: Labels, options: Options) -> bytes:
    """The document as UTF-8 Markdown."""
    parts = [_front_matter(document)] if options.front_matter else []
    parts.append(f"# {_esc(document.title)}")
    if document.subtitle:
        parts.append(f"*{_esc(document.subtitle)}*")
    for section in document.sections:
        parts.append(_section(section, labels, options, document.language))
    return ("\n\n".join(p for p in parts if p).rstrip() + "\n").encode("utf-8")


def _front_matter(document: Document) -> str:
    def q(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'

    lines = ["---", f"title: {q(document.title)}"]
    if document.subtitle:
        lines.append(f"subtitle: {q(document.subtitle)}")
    if document.byline:
        lines.append(f"author: {q(document.byline)}")
    lines += [f"date: {document.date.isoformat()}", f"lang: {document.language}"]
    if document.keywords:
        lines.append("keywords: [" + ", ".join(q(k) for k in document.keywords) + "]")
    return "\n".join([*lines, "---"])


def _section(section: Section, labels: Labels, options: Options, language: str) -> str:
    parts = [f"## {_esc(section_label(section))}"]
    if section.summary:
        parts.append(f"*{_esc(section.summary)}*")
    parts += [_block(b, labels, options, language) for b in section.blocks]
    return "\n\n".join(parts)


def _block(block: Block, labels: Labels, options: Options, language: str) -> str:
    match block:
        case Paragraph():
            return _esc(block.text, starts_block=True)
        case Heading():
            return f"### {_esc(block.text)}"
        case Bullets():
            return _items(block.items, block.marker, options, ordered=block.ordered)
        case Verdict():
            return f"> **{_esc(block.label or labels.verdict)}:** {_esc(block.text)}"
        case Callout():
            label = block.label or labels.tone(block.tone)
            return f"> **{_esc(label)}:** {_esc(block.text)}"
        case Comparison():
            return _comparison(block, options)
        case Table():
            return _table(block)
        case Quote():
            source = f"\n>\n> — {_esc(block.source)}" if block.source else ""
            return f"> {_esc(block.text)}{source}"
        case Image():
            return _image(block)
        case CallToAction():
            lead = _items(block.items, None, options) if block.items else ""
            action = _marked(block.action, block.marker, options)
            action = f"[{action}]({block.link})" if block.link else action
            return "\n\n".join(p for p in (lead, f"**{action}**") if p)
        case Chart():
            return _chart(block, labels, language)
        case _:
            assert_never(block)


def _items(
    items: tuple[BulletItem, ...],
    marker: str | None,
    options: Options,
    ordered: bool = False,
    depth: int = 0,
) -> str:
    lines = []
    for n, item in enumerate(items, 1):
        bullet = f"{n}." if ordered else "-"
        text = _marked(item.text, item.marker or marker, options)
        lines.append(f"{'    ' * depth}{bullet} {text}")
        if item.items:
            lines.append(_items(item.items, marker, options, ordered, depth + 1))
    return "\n".join(lines)


def _marked(text: str, marker: str | None, options: Options) -> str:
    prefix = f"{MARKERS[marker]} " if options.markers and marker and marker != "dot" else ""
    return prefix + _esc(text)


def _comparison(block: Comparison, options: Options) -> str:
    title = f"**{_esc(block.title)}**\n\n" if block.title else ""
    columns = [
        f"**{_esc(c.heading)}**\n\n{_items(c.items, c.marker, options)}" for c in block.columns
    ]
    if options.columns == "pandoc":
        inner = "\n\n".join(f"::: {{.column}}\n{c}\n:::" for c in columns)
        return f"{title}:::: {{.columns}}\n{inner}\n::::"
    return title + "\n\n".join(columns)


def _table(block: Table) -> str:
    def row(cells: tuple[str, ...]) -> str:
        return "| " + " | ".join(_esc(c).replace("\n", " ") for c in cells) + " |"

    lines = [row(block.header), "|" + "|".join("---" for _ in block.header) + "|"]
    lines += [row(r) for r in block.rows]
    caption = f"\n\nTable: {_esc(block.caption)}" if block.caption else ""
    return "\n".join(lines) + caption


def _chart(chart: Chart, labels: Labels, language: str) -> str:
    """A chart as its data table, captioned with its title, then its alt text and source."""
    header, rows = data_table(chart, language)
    table = _table(Table(header, tuple(rows)))
    align = "|" + "|".join(":--" if i == 0 else "--:" for i in range(len(header))) + "|"
    table = table.replace("|" + "|".join("---" for _ in header) + "|", align, 1)
    value = f" ({_esc(chart.value_title)})" if chart.value_title and not chart.scatter else ""
    about = f"*{_esc(chart.type.replace('-', ' ').capitalize())} chart: {_esc(chart.alt)}*"
    source = f"  \n{_esc(labels.source)} {_esc(chart.source)}" if chart.source else ""
    return f"{table}\n\nTable: {_esc(chart.title)}{value}\n\n{about}{source}"


def _image(block: Image) -> str:
    assert block.path is not None, "the loader resolves every image path"
    mime = mimetypes.guess_type(block.path.name)[0] or "application/octet-stream"
    data = base64.b64encode(block.path.read_bytes()).decode("ascii")
    title = f' "{block.caption}"' if block.caption else ""
    return f"![{_esc(block.alt)}](data:{mime};base64,{data}{title})"


def _esc(text: str, starts_block: bool = False) -> str:
    """Escape Markdown syntax so content text stays literal text.

    Text that starts a block also needs list markers escaped ('1. ' would start a list);
    text after a prefix such as '## ' or '- ' does not.
    """
    text = _SPECIAL.sub(r"\\\1", text)
    if starts_block:
        text = _LINE_START.sub(_escape_list_mark, text)
    return text.replace("\n", "  \n")


def _escape_list_mark(match: re.Match[str]) -> str:
    mark = match.group(2)
    escaped = mark[:-1] + "\\" + mark[-1] if mark[0].isdigit() else "\\" + mark
    return match.group(1) + escaped + match.group(3)
