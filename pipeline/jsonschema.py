"""JSON Schemas of the YAML formats, generated from the same annotated dataclasses the
decoder reads them into, so the schema editors check against is the format the loader
accepts."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal, get_args, get_origin

from .decode import block_union, hints, is_required, is_union, yaml_key
from .model import yaml_fields

Defs = dict[str, dict[str, Any]]  # JSON Schema $defs being collected
Aliases = Mapping[Any, Mapping[str, str]]  # Literal type -> {alias: value}


def json_schema(
    root: type, title: str, aliases: Mapping[Any, Mapping[str, str]] = {}
) -> dict[str, Any]:
    """Return a draft 2020-12 JSON Schema for YAML files decoded into `root`."""
    defs: Defs = {}
    body = _object_schema(root, defs, aliases)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": title,
        **body,
        "$defs": dict(sorted(defs.items())),
    }


def _schema(tp: Any, meta: Mapping[str, Any], defs: Defs, aliases: Aliases) -> dict[str, Any]:
    desc = {"description": meta["doc"]} if meta.get("doc") else {}
    kinds = block_union(tp)
    if kinds is not None:
        return {"oneOf": [_ref(cls, defs, aliases) for cls in kinds.values()], **desc}
    if is_union(tp):
        (member,) = [a for a in get_args(tp) if a is not type(None)]
        return {"anyOf": [_schema(member, meta, defs, aliases), {"type": "null"}], **desc}
    origin = get_origin(tp)
    if origin is Literal:
        return {"enum": [*get_args(tp), *sorted(aliases.get(tp, {}))], **desc}
    if origin is tuple and Ellipsis not in get_args(tp):  # a fixed-length pair such as [x, y]
        args = get_args(tp)
        items = [_schema(a, {}, defs, aliases) for a in args]
        return {"type": "array", "prefixItems": items, "minItems": len(args), "maxItems": len(args)}
    if origin in (tuple, frozenset):
        item_tp = get_args(tp)[0]
        item_meta = {"pattern": meta["item_pattern"]} if meta.get("item_pattern") else {}
        out = {"type": "array", "items": _schema(item_tp, item_meta, defs, aliases), **desc}
        out.update(
            {
                k2: meta[k]
                for k, k2 in (("min_items", "minItems"), ("max_items", "maxItems"))
                if k in meta
            }
        )
        if origin is frozenset:
            out["uniqueItems"] = True
        return out
    if origin is dict:
        out = {
            "type": "object",
            "additionalProperties": _schema(get_args(tp)[1], {}, defs, aliases),
            **desc,
        }
        if meta.get("key_pattern"):
            out["propertyNames"] = {"pattern": meta["key_pattern"]}
        return out
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        return {**_ref(tp, defs, aliases), **desc}
    scalar = {
        str: {"type": "string"},
        bool: {"type": "boolean"},
        int: {"type": "integer"},
        float: {"type": "number"},
        dt.date: {"type": "string", "format": "date"},
        Path: {"type": "string"},
    }[tp]
    out = {**scalar, **desc}
    if meta.get("min_length"):
        out["minLength"] = meta["min_length"]
    if meta.get("pattern"):
        out["pattern"] = meta["pattern"]
    for k in ("minimum", "maximum"):
        if k in meta:
            out[k] = meta[k]
    return out


def _ref(cls: type, defs: Defs, aliases: Aliases) -> dict[str, Any]:
    name = cls.__name__
    if name not in defs:
        defs[name] = {}  # placeholder: recursive types refer to themselves
        defs[name] = _object_schema(cls, defs, aliases)
    return {"$ref": f"#/$defs/{name}"}


def _object_schema(cls: type, defs: Defs, aliases: Aliases) -> dict[str, Any]:
    props = {
        yaml_key(f): _schema(hints(cls)[f.name], f.metadata, defs, aliases)
        for f in yaml_fields(cls)
    }
    required = [yaml_key(f) for f in yaml_fields(cls) if is_required(f)]
    obj: dict[str, Any] = {"type": "object", "properties": props, "additionalProperties": False}
    if required:
        obj["required"] = required
    doc = (cls.__doc__ or "").strip().splitlines()[0] if cls.__doc__ else ""
    shorthand = getattr(cls, "shorthand", "")
    kind = getattr(cls, "kind", None)
    if shorthand:
        obj = {"anyOf": [obj, props[shorthand]]}
    if kind:
        return {
            "type": "object",
            "description": doc,
            "properties": {kind: obj},
            "required": [kind],
            "additionalProperties": False,
        }
    return {**obj, "description": doc} if doc else obj
