"""Source YAML to Document: safe parsing, typed decoding and the checks that need the whole file."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .chartcheck import check_chart
from .charts import Chart
from .decode import MISSING, Decoder
from .errors import Collector, SourceLocation, suggest
from .images import inspect
from .jsonschema import json_schema
from .labels import has_translation
from .model import MARKERS, Document, Heading, Image, Marker, Section, Table, number_sections
from .project import Project
from .yamlsource import Map, Node, Seq, load

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif")
# Emoji in the source are accepted where a marker name is expected: '✅' means 'check'.
MARKER_ALIASES = {Marker: {emoji.replace("\ufe0f", ""): name for name, emoji in MARKERS.items()}}
_URL = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def load_document(path: Path, project: Project) -> Document:
    """Load one source, raising ContentError with every problem found."""
    out = Collector()
    document = read_document(path, project, out)
    out.raise_if_errors()
    assert document is not None
    return document


def load_documents(paths: Iterable[Path], project: Project) -> tuple[list[Document], Collector]:
    """Load several sources, collecting the problems of all of them before raising."""
    out = Collector()
    documents = [d for d in (read_document(p, project, out) for p in paths) if d is not None]
    out.raise_if_errors()
    return documents, out


def read_document(path: Path, project: Project, out: Collector) -> Document | None:
    """Report problems into `out`; return the document when it has none."""
    node = load(path, out)
    if node is None:
        return None
    before = len(out.errors)
    decoder = Decoder(out, "content", MARKER_ALIASES, _validators(project))
    document: Document = decoder.dataclass(node, Document, "document")
    if isinstance(node, Map):
        _check_section_ids(node, out)
    if document is MISSING or len(out.errors) > before:
        return None
    _warn_empty_sections(document, out)
    _warn_untranslated(document, node, out)
    return dataclasses.replace(
        document, sections=number_sections(document.sections), path=path.resolve()
    )


def _warn_untranslated(document: Document, node: Node, out: Collector) -> None:
    """A language twinpress has no labels for prints English ones: say so where it is set."""
    if has_translation(document.language) or not isinstance(node, Map):
        return
    out.warning(
        "content.language-labels",
        f"twinpress ships no labels for language '{document.language}'; the outputs print "
        "English ones (Contents, Prepared for, ...) around the content",
        node.items["language"].loc,
        "give the words in the theme's or the audience's `labels:` (see Languages in the "
        "README); dates are still written the language's way",
    )


def source_schema() -> dict[str, Any]:
    """The JSON Schema of a source file, as published in content/schema.json."""
    schema = json_schema(Document, "twinpress source", MARKER_ALIASES)
    schema["$id"] = "https://twinpress.dev/schema/source.json"
    return schema


def _validators(project: Project) -> dict[type, Any]:
    return {
        Table: _check_table,
        Section: _check_side_by_side,
        Chart: check_chart,
        Image: lambda image, node, dec: _check_image(image, node, dec, project),
    }


def _check_side_by_side(section: Section, node: Map, dec: Decoder) -> Any:
    """`side_by_side: true` needs sub-sections to set side by side: say so when there are none."""
    headings = sum(isinstance(b, Heading) for b in section.blocks)
    if section.side_by_side and headings < 2:
        dec.out.warning(
            "content.side-by-side",
            f"section '{section.id}' asks for its sub-sections side by side, but has "
            f"{'only one sub-heading' if headings else 'no sub-headings'}",
            node.items["side_by_side"].loc,
            "sub-sections start at `- heading:` blocks; a comparison block sets columns itself",
        )
    return section


def _check_table(table: Table, node: Map, dec: Decoder) -> Any:
    width = len(table.header)
    rows = node.items["rows"]
    assert isinstance(rows, Seq)
    bad = [(n, r) for n, r in zip(rows.items, table.rows) if len(r) != width]
    for row_node, row in bad:
        dec.error(
            "table-shape",
            f"row has {len(row)} cells but the header has {width}",
            row_node.loc,
            "give every row one cell per column ('—' for none)",
        )
    return MISSING if bad else table


def _check_image(image: Image, node: Map, dec: Decoder, project: Project) -> Any:
    loc = node.items["src"].loc
    if _URL.match(image.src):
        dec.error(
            "image-url",
            f"image '{image.src}' is a URL; images must be files in the project",
            loc,
            "download it into content/images/ and point at the file",
        )
        return MISSING
    path = (loc.path.parent / image.src).resolve()
    if not project.contains_asset(path):
        dec.error(
            "image-outside",
            f"image '{image.src}' is outside the project's content/ and themes/ folders",
            loc,
            "copy it into content/images/",
        )
        return MISSING
    if not path.is_file():
        siblings = [p.name for p in path.parent.glob("*")] if path.parent.is_dir() else []
        dec.error(
            "image-missing",
            f"image '{image.src}' does not exist",
            loc,
            suggest(path.name, siblings),
        )
        return MISSING
    if path.suffix.lower() not in IMAGE_SUFFIXES:
        dec.error(
            "image-format", f"image '{image.src}' is not PNG, JPEG or GIF", loc, "convert it to PNG"
        )
        return MISSING
    picture = inspect(path)
    if picture.too_large:
        dec.error(
            "image-too-large",
            f"image '{image.src}' is too large: {picture.problem}",
            loc,
            "scale it down (2400 pixels on the long side is plenty for any output)",
        )
        return MISSING
    if picture.problem:
        dec.error("image-invalid", f"image '{image.src}' cannot be read: {picture.problem}", loc)
        return MISSING
    return dataclasses.replace(image, path=path)


def _check_section_ids(node: Map, out: Collector) -> None:
    """Duplicate ids, checked on the nodes so that both places can be named."""
    sections = node.get("sections")
    if not isinstance(sections, Seq):
        return
    first: dict[str, SourceLocation] = {}
    for item in sections.items:
        id_node = item.get("id") if isinstance(item, Map) else None
        if id_node is None or not hasattr(id_node, "value"):
            continue
        ident = str(id_node.value).strip()
        if ident in first:
            out.error(
                "content.duplicate-id",
                f"section id '{ident}' is used twice",
                id_node.loc,
                f"the first '{ident}' is at line {first[ident].line}; ids must be unique",
            )
        else:
            first[ident] = id_node.loc


def _warn_empty_sections(document: Document, out: Collector) -> None:
    for section in document.sections:
        if not section.blocks and not section.summary:
            out.warning(
                "content.empty-section", f"section '{section.id}' has no content", section.loc
            )
