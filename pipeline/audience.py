"""Audience profiles (content/audiences.yaml) and the pure selection of a document for one."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, get_args

from . import renderers
from .decode import MISSING, Decoder
from .errors import Collector, SourceLocation, suggest
from .jsonschema import json_schema
from .labels import override_problems
from .model import BLOCK_TYPES, ID_PATTERN, TAG_PATTERN, Block, Document, Heading, Section, doc
from .yamlsource import Map, Node, Scalar, Seq, load

BlockKind = Literal[
    "paragraph",
    "heading",
    "bullets",
    "verdict",
    "callout",
    "comparison",
    "table",
    "quote",
    "image",
    "call-to-action",
    "chart",
]
assert set(get_args(BlockKind)) == set(BLOCK_TYPES), "BlockKind must list every block kind"


@dataclass(frozen=True)
class Profile:
    """Who an output is for: its theme, what content it keeps, and renderer options."""

    label: str = field(metadata=doc("Shown on covers: 'Prepared for <label>'.", min_length=1))
    description: str = field(metadata=doc("What this audience needs.", min_length=1))
    theme: str = field(metadata=doc("Theme folder name under themes/.", pattern=ID_PATTERN))
    sections: tuple[str, ...] = field(
        default=(), metadata=doc("Section ids to keep, in source order; empty keeps every section.")
    )
    exclude_sections: tuple[str, ...] = field(default=(), metadata=doc("Section ids to drop."))
    exclude_tags: frozenset[str] = field(
        default=frozenset(),
        metadata=doc(
            "Drop sections and blocks carrying any of these tags, e.g. 'promo'.",
            item_pattern=TAG_PATTERN,
        ),
    )
    kinds: tuple[BlockKind, ...] = field(
        default=(), metadata=doc("Keep only these block kinds; empty keeps every kind.")
    )
    summaries: bool = field(
        default=False, metadata=doc("Show each section's one-sentence summary.")
    )
    labels: dict[str, str] = field(
        default_factory=dict,
        metadata=doc(
            "Words the outputs print around the content, over the theme's and the "
            "language's (e.g. prepared_for: Distributed to)."
        ),
    )
    formats: tuple[str, ...] = field(
        default=(),
        metadata=doc("Formats built for this audience; empty builds the default formats."),
    )
    name: str = field(default="", metadata={"yaml": False})
    options: Mapping[str, Any] = field(default_factory=dict, metadata={"yaml": False})
    loc: SourceLocation | None = field(default=None, compare=False, metadata={"yaml": False})
    theme_loc: SourceLocation | None = field(default=None, compare=False, metadata={"yaml": False})

    def options_for(self, fmt: str) -> Any:
        """This profile's options for a format, or the renderer's defaults."""
        return self.options.get(fmt) or renderers.get(fmt).Options()

    def wants(self, fmt: str) -> bool:
        return not self.formats or fmt in self.formats


def load_profiles(path: Path) -> dict[str, Profile]:
    """Read audiences.yaml; raise ContentError with every problem found."""
    out = Collector()
    profiles = read_profiles(path, out)
    out.raise_if_errors()
    return profiles


def read_profiles(path: Path, out: Collector) -> dict[str, Profile]:
    node = load(path, out)
    if node is None:
        return {}
    table = node.get("audiences") if isinstance(node, Map) else None
    if not isinstance(node, Map) or not isinstance(table, Map):
        out.error(
            "audience.shape",
            "audiences.yaml needs a top-level 'audiences:' mapping",
            node.loc,
            "audiences:\n    tech-leaders:\n      label: ...",
        )
        return {}
    for key in node.items:
        if key not in ("audiences",):
            out.error(
                "audience.unknown-key",
                f"unknown key '{key}'",
                node.keys[key],
                suggest(key, ["audiences"]),
            )
    decoder = Decoder(out, "audience", _option_aliases())
    profiles = {}
    for name, item in table.items.items():
        profile = _read_profile(name, item, table.keys[name], decoder)
        if profile is not None:
            profiles[name] = profile
    return profiles


def _read_profile(name: str, node: Node, key_loc: SourceLocation, dec: Decoder) -> Profile | None:
    if not re.fullmatch(ID_PATTERN, name):
        dec.error(
            "invalid-name",
            f"audience name '{name}' is not valid",
            key_loc,
            "use lowercase letters, digits and dashes",
        )
        return None
    if not isinstance(node, Map):
        dec.error("type", f"audience '{name}' must be a mapping", node.loc)
        return None
    options_node = node.get("options")
    plain = Map({k: v for k, v in node.items.items() if k != "options"}, node.keys, node.loc)
    profile: Profile = dec.dataclass(plain, Profile, name)
    options = _read_options(options_node, dec) if options_node is not None else {}
    for fmt_node in _format_nodes(plain):
        _check_format(fmt_node, dec)
    table = plain.get("labels")
    if profile is not MISSING and isinstance(table, Map):
        dec.out.extend(override_problems(profile.labels, "audience", table.keys, table.loc))
    if profile is MISSING or options is MISSING:
        return None
    named: Profile = dataclasses.replace(
        profile, name=name, options=options, loc=key_loc, theme_loc=node.items["theme"].loc
    )
    return named


def _format_nodes(node: Map) -> tuple[Node, ...]:
    formats = node.get("formats")
    return formats.items if isinstance(formats, Seq) else ()


def _check_format(fmt_node: Node, dec: Decoder) -> None:
    value = fmt_node.value if isinstance(fmt_node, Scalar) else None
    if value is not None and value not in renderers.RENDERERS:
        dec.error(
            "unknown-format",
            f"unknown format '{value}'",
            fmt_node.loc,
            suggest(value, renderers.RENDERERS) or f"formats are {', '.join(renderers.RENDERERS)}",
        )


def _option_aliases() -> dict[Any, dict[str, str]]:
    """Values the formats' options still accept in an earlier spelling (`dividers: false`)."""
    aliases: dict[Any, dict[str, str]] = {}
    for fmt in renderers.RENDERERS:
        aliases.update(getattr(renderers.get(fmt).Options, "ALIASES", {}))
    return aliases


def _read_options(node: Node, dec: Decoder) -> Any:  # the options by format, or MISSING
    """options: {pptx: {...}, pdf: {...}}, each decoded with that renderer's Options."""
    if not isinstance(node, Map):
        dec.error("type", "'options' must be a mapping of format names", node.loc)
        return MISSING
    result: dict[str, Any] = {}
    for fmt, child in node.items.items():
        if fmt not in renderers.RENDERERS:
            dec.error(
                "unknown-format",
                f"unknown format '{fmt}' in options",
                node.keys[fmt],
                suggest(fmt, renderers.RENDERERS)
                or f"formats are {', '.join(renderers.RENDERERS)}",
            )
            continue
        value = dec.dataclass(child, renderers.get(fmt).Options, f"{fmt} options")
        if value is not MISSING:
            result[fmt] = value
    return result


def select(document: Document, profile: Profile) -> Document:
    """The document as this audience sees it; pure, and it never adds content."""
    sections = tuple(
        s
        for s in (
            _select_section(s, profile) for s in document.sections if _keeps_section(s, profile)
        )
        if s is not None
    )
    return dataclasses.replace(
        document, sections=sections, audience=profile.label, labels=dict(profile.labels)
    )


def _keeps_section(section: Section, profile: Profile) -> bool:
    if profile.sections and section.id not in profile.sections:
        return False
    return section.id not in profile.exclude_sections and not (section.tags & profile.exclude_tags)


def _select_section(section: Section, profile: Profile) -> Section | None:
    blocks = tuple(b for b in section.blocks if _keeps_block(b, profile))
    blocks = _drop_dangling_headings(blocks)
    summary = section.summary if profile.summaries else None
    if not blocks and not summary:
        return None
    return dataclasses.replace(section, blocks=blocks, summary=summary)


def _keeps_block(block: Block, profile: Profile) -> bool:
    if block.tags & profile.exclude_tags:
        return False
    return not profile.kinds or block.kind in profile.kinds


def _drop_dangling_headings(blocks: tuple[Block, ...]) -> tuple[Block, ...]:
    """A sub-heading whose content was all dropped would head nothing."""
    kept = []
    for i, block in enumerate(blocks):
        following = blocks[i + 1] if i + 1 < len(blocks) else None
        if isinstance(block, Heading) and (following is None or isinstance(following, Heading)):
            continue
        kept.append(block)
    return tuple(kept)


def check_against(
    profiles: Mapping[str, Profile], documents: list[Document], out: Collector
) -> None:
    """Warn about section ids and tags that a profile names but no source has."""
    ids = {s.id for d in documents for s in d.sections}
    tags = {
        t
        for d in documents
        for s in d.sections
        for t in (*s.tags, *(t for b in s.blocks for t in b.tags))
    }
    for profile in profiles.values():
        for ident in (*profile.sections, *profile.exclude_sections):
            if documents and ident not in ids:
                out.warning(
                    "audience.unknown-section",
                    f"audience '{profile.name}' names section '{ident}', which no source has",
                    profile.loc,
                    suggest(ident, ids),
                )
        for tag in profile.exclude_tags:
            if documents and tag not in tags:
                out.warning(
                    "audience.unknown-tag",
                    f"audience '{profile.name}' excludes tag '{tag}', which no source uses",
                    profile.loc,
                    suggest(tag, tags),
                )


def check_selects(
    profiles: Sequence[Profile],
    documents: Sequence[Document],
    out: Collector,
    *,
    named: Sequence[str] = (),
    others: Sequence[Document] = (),
) -> set[tuple[int, str]]:
    """The (document index, audience) pairs that keep nothing, to be left out of the build.

    An audience that keeps nothing of any source of the project (`others` are the sources not
    being built), or one asked for by name, is an error: a typo in `sections:` would otherwise
    build a one-slide deck and an empty briefing without a word. One that keeps something of
    another source only warns: a new source need not suit every audience of the project.
    """
    empty = {(i, p.name) for i, d in enumerate(documents) for p in profiles
             if not select(d, p).sections}  # fmt: skip
    for i, document in enumerate(documents):
        for profile in profiles:
            if (i, profile.name) not in empty:
                continue
            keeps_some = any((j, profile.name) not in empty for j in range(len(documents))) or any(
                select(d, profile).sections for d in others
            )
            name = document.path.name if document.path else "the source"
            message = f"audience '{profile.name}' keeps nothing of {name}"
            if keeps_some and profile.name not in named:
                out.warning("audience.empty", f"{message}; it gets no outputs of it",
                            profile.loc, _empty_hint(document, profile))  # fmt: skip
            else:
                out.error("audience.empty", message, profile.loc, _empty_hint(document, profile))
    return empty


def _empty_hint(document: Document, profile: Profile) -> str:
    """Why a profile keeps nothing: a section name that is not there, or its filters."""
    ids = [s.id for s in document.sections]
    unknown = [i for i in profile.sections if i not in ids]
    if not unknown:
        return "its sections, exclude_sections, exclude_tags and kinds leave nothing"
    close = suggest(unknown[0], ids)
    return f"'{unknown[0]}' is not a section of this source" + (
        f"; {close}" if close else f"; its sections are {', '.join(ids)}"
    )


def audiences_schema() -> dict[str, Any]:
    """JSON Schema of audiences.yaml, including each renderer's options."""
    schema = json_schema(Profile, "twinpress audience profile")
    profile = {k: v for k, v in schema.items() if not k.startswith("$") and k != "title"}
    defs = schema["$defs"]
    options = {}
    for fmt in renderers.RENDERERS:
        sub = json_schema(renderers.get(fmt).Options, f"{fmt} options")
        defs.update(sub.pop("$defs"))
        options[fmt] = {k: v for k, v in sub.items() if not k.startswith("$") and k != "title"}
    profile["properties"]["options"] = {
        "type": "object",
        "properties": options,
        "additionalProperties": False,
        "description": "Options per output format.",
    }
    defs["Profile"] = profile
    return {
        "$schema": schema["$schema"],
        "$id": "https://twinpress.dev/schema/audiences.json",
        "title": "twinpress audiences",
        "type": "object",
        "required": ["audiences"],
        "additionalProperties": False,
        "properties": {
            "audiences": {
                "type": "object",
                "propertyNames": {"pattern": ID_PATTERN},
                "additionalProperties": {"$ref": "#/$defs/Profile"},
            }
        },
        "$defs": dict(sorted(defs.items())),
    }
