"""Document back to YAML source text: the inverse of the loader, omitting default values."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any

import yaml

from .decode import yaml_key
from .model import Document, yaml_fields


def to_data(value: Any) -> Any:
    """Plain YAML data for a model value: blocks become `{kind: body}` mappings."""
    if dataclasses.is_dataclass(value):
        body = {
            yaml_key(f): to_data(getattr(value, f.name))
            for f in yaml_fields(type(value))
            if not _is_default(f, getattr(value, f.name))
        }
        kind = getattr(value, "kind", None)
        return {kind: body} if kind else body
    if isinstance(value, frozenset):
        return sorted(value)
    if isinstance(value, tuple):
        return [to_data(v) for v in value]
    if isinstance(value, Path):
        return str(value)
    return value


def to_yaml(document: Document) -> str:
    """The document as a source file that loads back into an equal document."""
    header = "# yaml-language-server: $schema=schema.json\n"
    return header + yaml.dump(
        to_data(document), Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100
    )


def _is_default(f: dataclasses.Field[Any], value: Any) -> bool:
    if f.default is not dataclasses.MISSING:
        return bool(value == f.default)
    if f.default_factory is not dataclasses.MISSING:
        return bool(value == f.default_factory())
    return False


class _Dumper(yaml.SafeDumper):
    """Safe dumper that writes dates as YYYY-MM-DD and never emits aliases."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


_Dumper.add_representer(
    dt.date, lambda d, v: d.represent_scalar("tag:yaml.org,2002:timestamp", v.isoformat())
)
