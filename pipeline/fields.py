"""Field specifications the model's dataclasses share: documentation and constraints in the
metadata (which the decoder enforces and the JSON Schema publishes), source locations, and
the `tags` and `derived` options every block has."""

from __future__ import annotations

from dataclasses import field
from typing import Any

from .errors import SourceLocation


def doc(text: str, **constraints: object) -> dict[str, object]:
    """Field metadata: a description plus constraints (min_length, pattern, min_items, ...)."""
    return {"doc": text, **constraints}


def text(what: str) -> dict[str, object]:
    return doc(what + " Plain text; it is escaped in every output.", min_length=1)


TEXT = doc("Plain text; it is escaped in every output.", min_length=1)
TAG_PATTERN = r"^[a-z0-9][a-z0-9-]*$"


def loc_field() -> SourceLocation | None:
    """Where the value was written (set by the decoder; not a YAML key)."""
    return field(default=None, compare=False, repr=False, metadata={"yaml": False})


def tags_field() -> Any:
    return field(
        default=frozenset(),
        metadata=doc(
            "Labels that audience profiles use to keep or drop this content, e.g. 'promo'.",
            item_pattern=TAG_PATTERN,
        ),
    )


def derived_field() -> Any:
    return field(
        default=False,
        metadata=doc(
            "True when this content is not verbatim from the original article but derived from it."
        ),
    )
