"""Safe YAML reading into a tree of located nodes: no object tags, no alias bombs, no surprises."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import Collector, ContentError, SourceLocation

# A real source is tens of kilobytes; anything near this is a mistake or an attack.
MAX_SOURCE_BYTES = int(os.environ.get("TWINPRESS_MAX_SOURCE_BYTES", 8 * 1024 * 1024))
# Nodes after alias expansion; the article has about 1,500, the 20x benchmark 30,000.
MAX_EXPANDED_NODES = 250_000

# Problems after which the tree is not worth validating further.
_FATAL = {"yaml.tag", "yaml.alias-bomb", "yaml.recursive-alias", "yaml.too-many-nodes"}
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: 10x faster
_CORE = "tag:yaml.org,2002:"
ALLOWED_TAGS = {
    _CORE + t for t in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")
}
TAG_NAMES = {
    _CORE + "str": "text",
    _CORE + "int": "an integer",
    _CORE + "float": "a number",
    _CORE + "bool": "a boolean",
    _CORE + "null": "nothing (null)",
    _CORE + "timestamp": "a date",
    _CORE + "map": "a mapping",
    _CORE + "seq": "a list",
}


@dataclass(frozen=True, slots=True)
class Scalar:
    """A scalar with its resolved YAML tag (`str`, `int`, `bool`, ...)."""

    value: str
    tag: str
    loc: SourceLocation
    end: SourceLocation | None = None  # just past the scalar (for locating inside it)

    @property
    def kind(self) -> str:
        return self.tag.removeprefix(_CORE)


@dataclass(frozen=True, slots=True)
class Seq:
    items: tuple[Node, ...]
    loc: SourceLocation
    kind = "seq"


@dataclass(frozen=True, slots=True)
class Map:
    """A mapping with string keys; `keys` keeps each key's own location."""

    items: dict[str, Node]
    keys: dict[str, SourceLocation]
    loc: SourceLocation
    kind = "map"

    def get(self, key: str) -> Node | None:
        return self.items.get(key)


Node = Scalar | Seq | Map


def describe(node: Node) -> str:
    """Name a node's type for messages: 'text', 'a list', ..."""
    if isinstance(node, Scalar):
        return TAG_NAMES.get(node.tag, node.tag)
    return "a list" if isinstance(node, Seq) else "a mapping"


@dataclass
class _Context:
    path: Path
    out: Collector
    seen: dict[int, Node] = field(default_factory=dict)
    active: set[int] = field(default_factory=set)
    budget: int = MAX_EXPANDED_NODES
    exhausted: bool = False
    sizes: dict[int, int] = field(default_factory=dict)


def read_text(path: Path, out: Collector) -> str | None:
    """Read a source as UTF-8 text, refusing oversized, binary and empty files."""
    start = SourceLocation(path, 1, 1)  # a problem with the file as a whole: its start
    try:
        size = path.stat().st_size
        if size > MAX_SOURCE_BYTES:
            out.error(
                "source.too-large",
                f"file is {size / 2**20:.1f} MiB; the limit is {MAX_SOURCE_BYTES / 2**20:.0f} MiB",
                start,
                "split the content into several sources",
            )
            return None
        data = path.read_bytes()
    except FileNotFoundError:
        out.error("source.not-found", "file does not exist", SourceLocation.file(path))
        return None
    except OSError as exc:
        out.error("source.unreadable", f"cannot read file: {exc.strerror or exc}",
                  SourceLocation.file(path))  # fmt: skip
        return None
    if b"\0" in data:
        out.error("source.binary", "file is binary, not YAML text", start)
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        out.error(
            "source.encoding",
            f"file is not valid UTF-8 (byte {exc.start})",
            SourceLocation(path, line, 1),
            "save the file as UTF-8",
        )
        return None
    if not text.strip() or all(
        not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()
    ):
        out.error("source.empty", "file is empty", start)
        return None
    if _report_controls(text, path, out):
        return None
    return text


# Control characters YAML refuses in a file (tab, line feed and carriage return are text).
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff]")


def _report_controls(text: str, path: Path, out: Collector) -> bool:
    """Each control character at its own line and column (libyaml would name only an
    offset); True when there is any."""
    found = False
    for number, line in enumerate(text.split("\n"), 1):  # YAML's lines: not splitlines()
        for match in CONTROL.finditer(line):
            out.error(
                "source.control-character",
                f"control character U+{ord(match.group()):04X} in the text",
                SourceLocation(path, number, match.start() + 1),
                "remove it; an editor's 'show invisible characters' finds it",
            )
            found = True
    return found


def escape_location(scalar: Scalar, codepoint: int) -> SourceLocation:
    """Where, inside a quoted scalar, the escape that wrote `codepoint` (\\a, \\x07, ...) is;
    the scalar's start when it cannot be found."""
    start, end = scalar.loc, scalar.end or scalar.loc
    try:
        lines = scalar.loc.path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError):
        return start
    short = {0: "0", 7: "a", 8: "b", 0x0B: "v", 0x0C: "f", 0x1B: "e"}.get(codepoint)
    forms = [f"x{codepoint:02x}", f"u{codepoint:04x}", f"U{codepoint:08x}"]
    pattern = re.compile(r"\\(?:" + "|".join(([re.escape(short)] if short else []) + forms)
                         + ")", re.IGNORECASE)  # fmt: skip
    for number in range(start.line, min(end.line, len(lines)) + 1):
        line = lines[number - 1]
        first = start.column - 1 if number == start.line else 0
        match = pattern.search(line, first)
        if match:
            return SourceLocation(start.path, number, match.start() + 1)
    return start


def parse(text: str, path: Path, out: Collector) -> Node | None:
    """Compose YAML text into located nodes; report problems into `out`."""
    try:
        if _too_many_events(text, path, out):
            return None
        documents = list(yaml.compose_all(text, Loader=_Loader))
    except yaml.MarkedYAMLError as exc:
        _report_syntax(exc, path, out)
        return None
    except yaml.YAMLError as exc:  # pragma: no cover - libyaml reports marks for real errors
        out.error("yaml.syntax", str(exc), SourceLocation(path, 1, 1))
        return None
    documents = [d for d in documents if d is not None]
    if not documents:
        out.error("source.empty", "file holds no YAML document", SourceLocation(path, 1, 1))
        return None
    if len(documents) > 1:
        out.error(
            "yaml.multiple-documents",
            "a second YAML document starts here; a source holds one",
            _loc(path, documents[1].start_mark),
            "remove the '---' line above, or move this into its own file",
        )
    ctx = _Context(path, out)
    before = len(out.items)
    node = _convert(documents[0], ctx)
    if any(d.code in _FATAL for d in out.items[before:]):
        return None  # the tree is incomplete: decoding it would only add noise
    return node


def _too_many_events(text: str, path: Path, out: Collector) -> bool:
    """Count parser events before composing: refusing a huge tree early keeps errors fast."""
    for count, event in enumerate(yaml.parse(text, Loader=_Loader)):
        if count > MAX_EXPANDED_NODES:
            out.error(
                "yaml.too-many-nodes",
                f"document has more than {MAX_EXPANDED_NODES:,} nodes",
                _loc(path, event.start_mark),
                "split the content into several sources",
            )
            return True
    return False


def load(path: Path, out: Collector) -> Node | None:
    """Read and parse one YAML file; None when it cannot be read at all."""
    text = read_text(path, out)
    return None if text is None else parse(text, path, out)


def load_or_raise(path: Path) -> Node:
    out = Collector()
    node = load(path, out)
    out.raise_if_errors(ContentError)
    assert node is not None
    return node


def _report_syntax(exc: yaml.MarkedYAMLError, path: Path, out: Collector) -> None:
    mark = exc.problem_mark or exc.context_mark
    problem = exc.problem or "invalid YAML"
    hint = None
    if exc.context and exc.context_mark and exc.context_mark is not mark:
        hint = (
            f"{exc.context} that starts at line {exc.context_mark.line + 1}, "
            f"column {exc.context_mark.column + 1}"
        )
    if "tab character" in problem or "found character '\\t'" in problem:
        hint = "YAML does not allow tabs for indentation; use spaces"
    out.error("yaml.syntax", problem, _loc(path, mark), hint)


def _loc(path: Path, mark: Any) -> SourceLocation:
    return SourceLocation(path, mark.line + 1, mark.column + 1)


def _convert(node: yaml.Node, ctx: _Context) -> Node | None:
    """Convert a composed node, sharing converted aliases and counting their expansion."""
    ident = id(node)
    if ident in ctx.active:
        ctx.out.error(
            "yaml.recursive-alias",
            "an alias refers to the node that contains it",
            _loc(ctx.path, node.start_mark),
        )
        return None
    if ident in ctx.seen:  # an alias: charge its full expanded size again
        shared = ctx.seen[ident]
        return shared if _charge(shared, node, ctx) else None
    ctx.active.add(ident)
    try:
        converted = _convert_new(node, ctx)
    finally:
        ctx.active.discard(ident)
    if converted is not None:
        ctx.seen[ident] = converted
    return converted


def _charge(converted: Node, node: yaml.Node, ctx: _Context) -> bool:
    ctx.budget -= _size(converted, ctx.sizes)
    if ctx.budget >= 0:
        return True
    if not ctx.exhausted:
        ctx.exhausted = True
        ctx.out.error(
            "yaml.alias-bomb",
            f"aliases expand to more than {MAX_EXPANDED_NODES:,} nodes",
            _loc(ctx.path, node.start_mark),
            "this looks like an alias bomb ('billion laughs'); remove the aliases",
        )
    return False


def _size(node: Node, sizes: dict[int, int]) -> int:
    """Expanded node count, memoised per converted node (converted nodes stay alive)."""
    if isinstance(node, Scalar):
        return 1
    key = id(node)
    if key not in sizes:
        children = node.items.values() if isinstance(node, Map) else node.items
        sizes[key] = 1 + sum(_size(c, sizes) for c in children)
    return sizes[key]


def _convert_new(node: yaml.Node, ctx: _Context) -> Node | None:
    loc = _loc(ctx.path, node.start_mark)
    if node.tag not in ALLOWED_TAGS:
        ctx.out.error(
            "yaml.tag",
            f"YAML tag '{_short_tag(node.tag)}' is not allowed",
            loc,
            "twinpress reads plain data only; remove the tag",
        )
        return None
    ctx.budget -= 1
    if ctx.budget < 0:
        if not ctx.exhausted:
            ctx.exhausted = True
            ctx.out.error(
                "yaml.too-many-nodes", f"document has more than {MAX_EXPANDED_NODES:,} nodes", loc
            )
        return None
    if isinstance(node, yaml.ScalarNode):
        return Scalar(node.value, node.tag, loc, _loc(ctx.path, node.end_mark))
    if isinstance(node, yaml.SequenceNode):
        items = (_convert(child, ctx) for child in node.value)
        return Seq(tuple(i for i in items if i is not None), loc)
    assert isinstance(node, yaml.MappingNode), "YAML composes three kinds of node"
    return _convert_map(node, loc, ctx)


def _convert_map(node: yaml.MappingNode, loc: SourceLocation, ctx: _Context) -> Map:
    items: dict[str, Node] = {}
    keys: dict[str, SourceLocation] = {}
    for key_node, value_node in node.value:
        key_loc = _loc(ctx.path, key_node.start_mark)
        if isinstance(key_node, yaml.ScalarNode) and key_node.tag == _CORE + "merge":
            ctx.out.error(
                "yaml.merge-key",
                "merge keys ('<<') are not supported",
                key_loc,
                "write the keys out in full",
            )
            continue
        if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in ALLOWED_TAGS:
            ctx.out.error("yaml.key", "mapping keys must be plain text", key_loc)
            continue
        key = key_node.value
        if key in items:
            ctx.out.error(
                "yaml.duplicate-key",
                f"key '{key}' appears twice in this mapping",
                key_loc,
                f"the first '{key}' is at line {keys[key].line}",
            )
            continue
        value = _convert(value_node, ctx)
        if value is not None:
            items[key] = value
            keys[key] = key_loc
    return Map(items, keys, loc)


def _short_tag(tag: str) -> str:
    return "!!" + tag.removeprefix(_CORE) if tag.startswith(_CORE) else tag
