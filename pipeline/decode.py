"""Typed decoding of located YAML nodes into dataclasses, every problem collected and located.

The type hints and field metadata of the model drive it, as they drive the JSON Schema
(jsonschema.py), so the published schema is the format the loader accepts.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import types
import unicodedata
from collections.abc import Callable, Mapping
from functools import cache
from pathlib import Path
from typing import Any, Literal, Union, get_args, get_origin, get_type_hints

from .errors import Collector, SourceLocation, one_of, suggest
from .model import BLOCK_TYPES, yaml_fields
from .yamlsource import CONTROL, Map, Node, Scalar, Seq, describe, escape_location

MISSING: Any = object()
_TEXT_TAGS = {"str", "int", "float", "timestamp"}


def yaml_key(f: dataclasses.Field[Any]) -> str:
    return str(f.metadata.get("key", f.name))


def is_required(f: dataclasses.Field[Any]) -> bool:
    return f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING


@cache
def hints(cls: type) -> Mapping[str, Any]:
    return get_type_hints(cls)


def is_union(tp: Any) -> bool:
    return get_origin(tp) in (Union, types.UnionType)


def block_union(tp: Any) -> dict[str, Any] | None:
    """Map kind -> class when `tp` is a union of block classes (each has a `kind`)."""
    if not is_union(tp):
        return None
    members = [a for a in get_args(tp) if a is not type(None)]
    if len(members) > 1 and all(
        dataclasses.is_dataclass(m) and hasattr(m, "kind") for m in members
    ):
        return {m.kind: m for m in members}
    return None


class Decoder:
    """Decode nodes into typed values, reporting every problem into a Collector."""

    def __init__(
        self,
        out: Collector,
        area: str = "content",
        aliases: Mapping[Any, Mapping[str, str]] | None = None,
        validators: Mapping[type, Any] | None = None,
    ):
        self.out = out
        self.area = area
        self.aliases = aliases or {}
        # cls -> fn(value, node, decoder) -> value or MISSING: checks that need the nodes
        self.validators = validators or {}

    def error(self, code: str, message: str, loc: SourceLocation, hint: str | None = None) -> None:
        self.out.error(f"{self.area}.{code}", message, loc, hint)

    def warning(
        self, code: str, message: str, loc: SourceLocation, hint: str | None = None
    ) -> None:
        self.out.warning(f"{self.area}.{code}", message, loc, hint)

    # -- entry points -----------------------------------------------------------------
    def decode(self, node: Node, tp: Any, name: str, meta: Mapping[str, Any] = {}) -> Any:
        """Decode `node` as type `tp`; MISSING (after reporting) when it is wrong."""
        if is_union(tp):
            return self._union(node, tp, name, meta)
        origin = get_origin(tp)
        if origin is Literal:
            return self._literal(node, tp, name)
        if origin is tuple:
            return self._tuple(node, tp, name, meta)
        if origin is frozenset:
            return self._frozenset(node, tp, name, meta)
        if origin is dict:
            return self._dict(node, tp, name, meta)
        if isinstance(tp, type) and dataclasses.is_dataclass(tp):
            return self.dataclass(node, tp, name)
        if tp is str:
            return self._str(node, name, meta)
        if tp is bool:
            return self._scalar(
                node, name, {"bool"}, "true or false", lambda v: v.lower() in ("true", "yes", "on")
            )
        if tp is int:
            return self._int(node, name, meta)
        if tp is float:
            return self._scalar(node, name, {"int", "float"}, "a number", float)
        if tp is dt.date:
            return self._date(node, name)
        if tp is Path:
            return self._path(node, name)
        raise TypeError(f"decoder cannot handle {tp!r}")  # a bug in the model, not the input

    def dataclass(self, node: Node, cls: type, name: str) -> Any:
        shorthand = getattr(cls, "shorthand", "")
        if not isinstance(node, Map) and shorthand:
            node = Map({shorthand: node}, {shorthand: node.loc}, node.loc)
        if not isinstance(node, Map):
            self._type_error(node, name, "a mapping")
            return MISSING
        before = len(self.out.errors)
        by_key = {yaml_key(f): f for f in yaml_fields(cls)}
        values: dict[str, Any] = {}
        for key, child in node.items.items():
            f = by_key.get(key)
            if f is None:
                self._unknown_key(key, by_key, node.keys[key], cls)
                continue
            value = self.decode(child, hints(cls)[f.name], key, f.metadata)
            if value is not MISSING:
                values[f.name] = value
        for key, f in by_key.items():
            if is_required(f) and key not in node.items:
                what = f.metadata.get("doc", "")
                self.error(
                    "missing-key",
                    f"missing required key '{key}'",
                    node.loc,
                    f"add '{key}:' here" + (f" ({what[0].lower()}{what[1:]})" if what else ""),
                )
        if len(self.out.errors) > before:
            return MISSING
        if "loc" in {f.name for f in dataclasses.fields(cls)}:
            values["loc"] = node.loc
        value = cls(**values)
        check = self.validators.get(cls)
        return check(value, node, self) if check else value

    # -- composite types --------------------------------------------------------------
    def _union(self, node: Node, tp: Any, name: str, meta: Mapping[str, Any]) -> Any:
        kinds = block_union(tp)
        if kinds is not None:
            return self.block(node, kinds, name)
        members = [a for a in get_args(tp) if a is not type(None)]
        if isinstance(node, Scalar) and node.kind == "null" and len(members) < len(get_args(tp)):
            return None
        if len(members) == 1:
            return self.decode(node, members[0], name, meta)
        raise TypeError(f"decoder cannot handle {tp!r}")

    def block(self, node: Node, kinds: Mapping[str, Any], name: str) -> Any:
        """Decode `- kind: body`, where body is a mapping or the kind's shorthand value."""
        example = "- paragraph: Some text."
        if not isinstance(node, Map):
            self.error(
                "block-shape",
                f"a block must be a mapping like '{example}', not {describe(node)}",
                node.loc,
            )
            return MISSING
        keys = list(node.items)
        known = [k for k in keys if k in kinds]
        if len(keys) != 1:
            self._block_shape(node, keys, known)
            return MISSING
        kind = keys[0]
        if kind not in kinds:
            self.error(
                "unknown-kind",
                f"unknown block kind '{kind}'",
                node.keys[kind],
                suggest(kind, kinds) or f"a block kind is {one_of(kinds)}",
            )
            return MISSING
        cls = kinds[kind]
        body = node.items[kind]
        if not isinstance(body, Map) and not cls.shorthand:
            self.error(
                "type",
                f"'{kind}' needs a mapping of its keys, not {describe(body)}",
                body.loc,
                "keys: " + ", ".join(yaml_key(f) for f in yaml_fields(cls)),
            )
            return MISSING
        value = self.dataclass(body, cls, kind)
        if value is not MISSING:
            value = dataclasses.replace(value, loc=node.loc)
        return value

    def _block_shape(self, node: Map, keys: list[str], known: list[str]) -> None:
        if len(known) == 1:
            extra = next(k for k in keys if k != known[0])
            self.error(
                "block-shape",
                f"'{extra}' is beside '{known[0]}' instead of under it",
                node.keys[extra],
                f"indent '{extra}:' under '{known[0]}:'",
            )
        elif len(known) > 1:
            self.error(
                "block-shape",
                "a block has exactly one kind, but this one has "
                + " and ".join(f"'{k}'" for k in known),
                node.keys[known[1]],
                "start the second block with its own '- '",
            )
        elif keys:
            self.error(
                "unknown-kind",
                f"unknown block kind '{keys[0]}'",
                node.keys[keys[0]],
                suggest(keys[0], self._kind_names(node)) or None,
            )
        else:
            self.error("block-shape", "empty block", node.loc)

    def _kind_names(self, node: Map) -> list[str]:
        return list(BLOCK_TYPES)

    def _tuple(self, node: Node, tp: Any, name: str, meta: Mapping[str, Any]) -> Any:
        if not isinstance(node, Seq):
            self._type_error(node, name, "a list")
            return MISSING
        (item_tp, *_rest) = get_args(tp)
        item_meta = {"min_length": meta.get("item_min_length", 1)} if item_tp is str else {}
        values, ok = [], True
        for i, child in enumerate(node.items, 1):
            value = self.decode(child, item_tp, f"item {i} of '{name}'", item_meta)
            ok = ok and value is not MISSING
            values.append(value)
        ok = self._count(node, name, len(values), meta) and ok
        return tuple(values) if ok else MISSING

    def _frozenset(self, node: Node, tp: Any, name: str, meta: Mapping[str, Any]) -> Any:
        items = node.items if isinstance(node, Seq) else (node,)
        pattern = meta.get("item_pattern")
        values, ok = set(), True
        for child in items:
            value = self._str(child, f"item of '{name}'", {"pattern": pattern} if pattern else {})
            ok = ok and value is not MISSING
            values.add(value)
        return frozenset(values) if ok else MISSING

    def _dict(self, node: Node, tp: Any, name: str, meta: Mapping[str, Any]) -> Any:
        if not isinstance(node, Map):
            self._type_error(node, name, "a mapping")
            return MISSING
        _key_tp, value_tp = get_args(tp)
        pattern = meta.get("key_pattern")
        values, ok = {}, True
        for key, child in node.items.items():
            if pattern and not re.fullmatch(pattern, key):
                self.error(
                    "invalid-key",
                    f"'{key}' is not a valid name",
                    node.keys[key],
                    _pattern_hint(pattern, key),
                )
                ok = False
                continue
            value = self.decode(child, value_tp, key, {})
            ok = ok and value is not MISSING
            values[key] = value
        return values if ok else MISSING

    def _count(self, node: Seq, name: str, count: int, meta: Mapping[str, Any]) -> bool:
        low, high = meta.get("min_items"), meta.get("max_items")
        if low is not None and count < low:
            self.error(
                "count",
                f"'{name}' needs at least {low} item{'s' * (low > 1)}, has {count}",
                node.loc,
            )
            return False
        if high is not None and count > high:
            self.error("count", f"'{name}' allows at most {high} items, has {count}", node.loc)
            return False
        return True

    # -- scalars ----------------------------------------------------------------------
    def _str(self, node: Node, name: str, meta: Mapping[str, Any]) -> Any:
        if not isinstance(node, Scalar) or node.kind not in _TEXT_TAGS:
            hint = None
            if isinstance(node, Scalar) and node.kind == "bool":
                hint = f'quote it if you mean the text: "{node.value}"'
            if isinstance(node, Scalar) and node.kind == "null":
                self.error("empty", f"'{name}' is empty", node.loc)
                return MISSING
            self._type_error(node, name, "text", hint)
            return MISSING
        text = unicodedata.normalize("NFC", node.value.strip())
        bad = CONTROL.search(text)
        if bad:
            code = ord(bad.group())
            self.error(
                "control-character",
                f"'{name}' contains the control character U+{code:04X}, written as an escape",
                escape_location(node, code),
                "remove the escape from the text",
            )
            return MISSING
        if meta.get("min_length") and not text:
            self.error("empty", f"'{name}' is empty", node.loc)
            return MISSING
        pattern = meta.get("pattern")
        if pattern and not re.fullmatch(pattern, text):
            self.error(
                "invalid-value",
                f"'{name}' value '{_clip(text)}' is not valid",
                node.loc,
                _pattern_hint(pattern, text),
            )
            return MISSING
        return text

    def _literal(self, node: Node, tp: Any, name: str) -> Any:
        choices = get_args(tp)
        value = node.value.strip() if isinstance(node, Scalar) else None
        if value is not None and value not in choices:
            value = self.aliases.get(tp, {}).get(value.replace("\ufe0f", ""), value)
        if value in choices:
            return value
        if not isinstance(node, Scalar):
            self._type_error(node, name, one_of(choices))
            return MISSING
        self.error(
            "invalid-value",
            f"'{name}' cannot be '{_clip(node.value)}'",
            node.loc,
            suggest(node.value, choices) or f"'{name}' is {one_of(choices)}",
        )
        return MISSING

    def _scalar(
        self, node: Node, name: str, tags: set[str], what: str, convert: Callable[[str], Any]
    ) -> Any:
        if not isinstance(node, Scalar) or node.kind not in tags:
            self._type_error(node, name, what)
            return MISSING
        return convert(node.value)

    def _int(self, node: Node, name: str, meta: Mapping[str, Any]) -> Any:
        value = self._scalar(node, name, {"int"}, "a whole number", lambda v: int(v, 0))
        if value is MISSING:
            return value
        low, high = meta.get("minimum"), meta.get("maximum")
        if (low is not None and value < low) or (high is not None and value > high):
            self.error("invalid-value", f"'{name}' must be between {low} and {high}", node.loc)
            return MISSING
        return value

    def _date(self, node: Node, name: str) -> Any:
        if isinstance(node, Scalar) and node.kind in ("timestamp", "str"):
            try:
                return dt.date.fromisoformat(node.value.strip()[:10])
            except ValueError:
                pass
        self.error("date", f"'{name}' must be a date like 2026-11-24", node.loc)
        return MISSING

    def _path(self, node: Node, name: str) -> Any:
        """A file path, resolved against the folder of the YAML file that wrote it."""
        text = self._str(node, name, {"min_length": 1})
        if text is MISSING:
            return text
        return (node.loc.path.parent / text).resolve()

    # -- messages ---------------------------------------------------------------------
    def _type_error(self, node: Node, name: str, expected: str, hint: str | None = None) -> None:
        self.error("type", f"'{name}' must be {expected}, not {describe(node)}", node.loc, hint)

    def _unknown_key(
        self, key: str, by_key: Mapping[str, Any], loc: SourceLocation, cls: type
    ) -> None:
        where = getattr(cls, "kind", cls.__name__.lower())
        hint = suggest(key, by_key) or f"keys here are {one_of(by_key)}"
        self.error("unknown-key", f"unknown key '{key}' in {where}", loc, hint)


def _clip(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _pattern_hint(pattern: str, text: str) -> str | None:
    if pattern.startswith("^[a-z0-9][a-z0-9-]*"):
        slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
        return f"use lowercase letters, digits and dashes, e.g. '{slug or 'my-id'}'"
    if pattern.startswith("^https://"):
        return "links must start with https://"
    return f"it must match {pattern}"
