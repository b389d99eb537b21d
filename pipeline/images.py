"""Pictures from content: a pixel budget they must keep, and the bytes the outputs embed.

An image is data: a PNG whose header claims 20,000 x 20,000 pixels would take gigabytes to
decode, so images are measured from their header alone and refused over the budget. Below
it, an image larger than any output shows is scaled down once (deterministically, without
metadata), so decks and briefings stay small and reproducible.
"""

from __future__ import annotations

import io
import re
import warnings
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

MAX_PIXELS = 40_000_000  # 40 megapixels, e.g. 8000 x 5000: a large photo, not a poster
MAX_SIDE = 2400  # px on the long side: sharp at full slide width and on an A4 page


@dataclass(frozen=True, slots=True)
class Picture:
    width: int
    height: int
    problem: str | None = None  # why it cannot be used, or None
    too_large: bool = False  # over the pixel budget (the problem says by how much)


def inspect(path: Path) -> Picture:
    """The image's size from its header, and what is wrong with it, decoding nothing big."""
    from PIL import Image, UnidentifiedImageError

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # our budget decides
        try:
            with Image.open(path) as im:
                width, height = im.size
                if width * height > MAX_PIXELS:
                    return Picture(width, height, _too_large(width, height), too_large=True)
                im.verify()
        except Image.DecompressionBombError as bomb:
            return Picture(0, 0, _claimed(str(bomb)), too_large=True)
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
            return Picture(0, 0, str(exc) or type(exc).__name__)
    return Picture(width, height)


def _claimed(message: str) -> str:
    """Pillow refuses a huge header before it tells the size, but names the pixel count."""
    count = re.search(r"\((\d+) pixels\)", message)
    size = f"{int(count.group(1)) / 1e6:.0f} megapixels" if count else "far more"
    return f"its header claims {size}; the limit is {MAX_PIXELS / 1e6:.0f} megapixels"


def _too_large(width: int, height: int) -> str:
    return (
        f"it is {width} x {height} pixels ({width * height / 1e6:.0f} megapixels); the "
        f"limit is {MAX_PIXELS / 1e6:.0f} megapixels"
    )


def embedded(path: Path) -> tuple[bytes, str]:
    """The bytes and MIME type outputs embed for an image (scaled to MAX_SIDE)."""
    stat = path.stat()
    return _embedded(str(path), stat.st_size, stat.st_mtime_ns)


@lru_cache(maxsize=64)
def _embedded(path: str, size: int, mtime: int) -> tuple[bytes, str]:
    from PIL import Image

    data = Path(path).read_bytes()
    with Image.open(io.BytesIO(data)) as im:
        kind = (im.format or "PNG").upper()
        mime = {"JPEG": "image/jpeg", "GIF": "image/gif"}.get(kind, "image/png")
        if max(im.size) <= MAX_SIDE or getattr(im, "is_animated", False):
            return data, mime
        scale = MAX_SIDE / max(im.size)
        smaller = im.resize((max(1, round(im.width * scale)), max(1, round(im.height * scale))),
                            Image.Resampling.LANCZOS)  # fmt: skip
        out = io.BytesIO()
        if kind == "JPEG":
            smaller.convert("RGB").save(out, "JPEG", quality=88, optimize=False)
        else:
            smaller.save(out, "PNG", optimize=False)
        return out.getvalue(), "image/jpeg" if kind == "JPEG" else "image/png"
