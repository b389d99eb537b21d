"""Inlining for the self-contained page: every url() of a stylesheet as a data: URI (and
every @import replaced by its rules), and fonts cut to the characters the page uses.

Files are read through the asset policy, so a stylesheet cannot inline what the PDF's
fetcher would refuse.
"""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import tinycss2
from tinycss2.ast import URLToken

from ... import store
from ...fetcher import AssetPolicy, BlockedURL, data_uri

MAX_IMPORT_DEPTH = 8


def inline_urls(css: str, base_url: str, policy: AssetPolicy, depth: int = 0) -> str:
    """`css` with every url() made a data: URI and every @import replaced by its rules.

    tinycss2 tokenises the way browsers do, so an escaped `\\75 rl(` is found too; a URL
    the policy refuses raises BlockedURL.
    """
    rules = tinycss2.parse_stylesheet(css, skip_comments=True)
    out = []
    for rule in rules:
        if rule.type == "at-rule" and rule.lower_at_keyword == "import":
            out.append(_imported(rule, base_url, policy, depth))
            continue
        _rewrite(rule, base_url, policy)
        out.append(rule.serialize())
    return "".join(out)


def _imported(rule: Any, base_url: str, policy: AssetPolicy, depth: int) -> str:
    if depth >= MAX_IMPORT_DEPTH:
        raise BlockedURL(base_url, f"@import nests deeper than {MAX_IMPORT_DEPTH}")
    tokens = [t for t in rule.prelude if t.type not in ("whitespace", "comment")]
    target = _url_of(tokens[0]) if tokens else None
    if target is None:
        raise BlockedURL(tinycss2.serialize(rule.prelude).strip(), "an @import without a URL")
    url = urljoin(base_url, target)
    data, _mime = policy.read(url)
    inner = inline_urls(data.decode("utf-8"), url, policy, depth + 1)
    media = tinycss2.serialize(tokens[1:]).strip()
    return f"@media {media} {{\n{inner}\n}}" if media else inner


def _url_of(token: Any) -> str | None:
    if token.type in ("url", "string"):
        return str(token.value)
    if token.type == "function" and token.lower_name == "url":
        strings = [a for a in token.arguments if a.type == "string"]
        return str(strings[0].value) if strings else None
    return None


def _rewrite(node: Any, base_url: str, policy: AssetPolicy) -> None:
    """Replace, in place, every url() under `node` by the data: URI of what it names."""
    for attr in ("prelude", "content", "arguments"):
        children = getattr(node, attr, None)
        if not isinstance(children, list):
            continue
        for i, child in enumerate(children):
            if child.type == "url" or (child.type == "function" and child.lower_name == "url"):
                children[i] = _inlined(child, base_url, policy)
            else:
                _rewrite(child, base_url, policy)


def _inlined(token: Any, base_url: str, policy: AssetPolicy) -> Any:
    target = _url_of(token) or ""
    if target.startswith("#"):  # a reference inside the document (SVG filters)
        return token
    data, mime = policy.read(urljoin(base_url, target))
    return URLToken(
        token.source_line, token.source_column, data_uri(data, mime), f"url({data_uri(data, mime)})"
    )


# Name records kept in a subset: family and style names, copyright, and the licence
# description and URL (the OFL travels with the font).
_NAME_IDS = (0, 1, 2, 3, 4, 5, 6, 13, 14, 16, 17)


@lru_cache(maxsize=32)
def _subset_woff2(path: Path, mtime: float, text: frozenset[int]) -> bytes:
    import uharfbuzz as hb
    from fontTools.ttLib import TTFont

    face = hb.Face(hb.Blob.from_file_path(str(path)))
    request = hb.SubsetInput()
    for code in sorted(text):
        request.unicode_set.add(code)
    for name_id in _NAME_IDS:
        request.name_id_set.add(name_id)
    request.flags = hb.SubsetFlags.NO_HINTING | hb.SubsetFlags.NOTDEF_OUTLINE
    subset = hb.subset(face, request)
    if subset is None:
        raise ValueError(f"cannot subset font {path.name}")
    # WOFF2 (Brotli) is about half the size of the bare subset; fontTools writes it.
    with TTFont(io.BytesIO(bytes(subset.blob.data)), recalcTimestamp=False) as font:
        font.flavor = "woff2"
        out = io.BytesIO()
        font.save(out, reorderTables=True)
    return out.getvalue()


def subset_woff2(path: Path, codepoints: frozenset[int], made: dict[str, bytes]) -> bytes:
    """The font cut down to `codepoints`, as WOFF2: from the `store` when an earlier build
    made it (else made, and added to `made`), and cached per file and character set."""
    name = store.font_key("woff2", path, codepoints, "uharfbuzz", "brotli", "brotlicffi")
    return store.reused(name, made, lambda: _subset_woff2(path, path.stat().st_mtime, codepoints))
