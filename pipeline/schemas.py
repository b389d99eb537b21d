"""The JSON Schemas published for editors: where each lives and its exact text."""

from __future__ import annotations

import json

SCHEMAS: dict[str, str] = {
    "source": "content/schema.json",
    "audiences": "content/audiences.schema.json",
    "theme": "themes/theme.schema.json",
}


def schema_text(kind: str) -> str:
    """The schema as stable, diff-friendly JSON text."""
    if kind == "source":
        from .loader import source_schema as make
    elif kind == "audiences":
        from .audience import audiences_schema as make
    else:
        from .themes import theme_schema as make
    return json.dumps(make(), indent=2, ensure_ascii=False) + "\n"
