"""Scalar values of the typed decoder: text, choices, numbers, dates and paths, each checked
and reported at its own line (the composite types and dataclasses are in decode.py)."""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Callable, Mapping
from typing import Any, get_args

from .errors import SourceLocation, one_of, suggest
from .yamlsource import CONTROL, Node, Scalar, describe, escape_location

MISSING: Any = object()
_TEXT_TAGS = {"str", "int", "float", "timestamp"}


class Scalars:
    """The scalar half of the Decoder: it reports through `error` and `_type_error`."""

    aliases: Mapping[Any, Mapping[str, str]]

    def error(self, code: str, message: str, loc: SourceLocation, hint: str | None = None) -> None:
        raise NotImplementedError

    def _type_error(self, node: Node, name: str, expected: str, hint: str | None = None) -> None:
        self.error("type", f"'{name}' must be {expected}, not {describe(node)}", node.loc, hint)

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
                f"'{name}' value '{clip(text)}' is not valid",
                node.loc,
                pattern_hint(pattern, text),
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
            f"'{name}' cannot be '{clip(node.value)}'",
            node.loc,
            suggest(node.value, choices) or f"'{name}' is {one_of(choices)}",
        )
        return MISSING

    def _scalar(
        self,
        node: Node,
        name: str,
        tags: set[str],
        what: str,
        convert: Callable[[str], Any],
        hint: str | None = None,
    ) -> Any:
        if not isinstance(node, Scalar) or node.kind not in tags:
            self._type_error(node, name, what, hint)
            return MISSING
        return convert(node.value)

    def _int(self, node: Node, name: str, meta: Mapping[str, Any]) -> Any:
        value = self._scalar(node, name, {"int"}, "a whole number", _number)
        if value is MISSING:
            return value
        if not isinstance(value, int):  # 1:30 or 010, which YAML 1.1 reads as numbers
            self._type_error(node, name, "a whole number written in digits")
            return MISSING
        low, high = meta.get("minimum"), meta.get("maximum")
        if (low is not None and value < low) or (high is not None and value > high):
            self.error("invalid-value", f"'{name}' must be between {low} and {high}", node.loc)
            return MISSING
        return value

    def _float(self, node: Node, name: str, meta: Mapping[str, Any]) -> Any:
        hint = meta.get("hint")
        value = self._scalar(node, name, {"int", "float"}, "a number", _number, hint)
        if value is MISSING:
            return value
        if value is None:  # 1:30, which YAML 1.1 reads as a number
            self._type_error(node, name, "a number written in digits", hint)
            return MISSING
        if not math.isfinite(value):
            self.error("invalid-value", f"'{name}' must be a finite number", node.loc, hint)
            return MISSING
        return float(value)

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


def _number(text: str) -> int | float | None:
    """A YAML int or float as Python reads it (0x1F, 1_000, .inf); None for YAML 1.1's
    sexagesimal 1:30, which twinpress does not read as a number."""
    text = text.strip().replace("_", "")
    lowered = text.lower().lstrip("+-")
    if lowered in (".inf", ".nan"):
        return float(text.replace(".", "", 1))
    try:
        return int(text, 0)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        return None


def clip(text: str, limit: int = 40) -> str:
    """A value as a message quotes it: on one line (control characters escaped, so the
    diagnostic stays `path:line:col: error: message [code]`), at most `limit` long."""
    text = _CONTROL.sub(lambda m: repr(m.group())[1:-1], text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def pattern_hint(pattern: str, text: str) -> str | None:
    if pattern.startswith("^[a-z0-9][a-z0-9-]*"):
        slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
        return f"use lowercase letters, digits and dashes, e.g. '{slug or 'my-id'}'"
    if pattern.startswith("^https://"):
        return "links must start with https://"
    return f"it must match {pattern}"
