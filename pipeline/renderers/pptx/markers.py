"""Marker pictures for the deck's picture bullets: the theme's icons recoloured, or emoji.

Each is a PNG made without timestamps, so the same marker gives the same bytes every build.
"""

from __future__ import annotations

import io
from functools import lru_cache

from ...colors import rgb
from ...model import MARKERS
from ...tokens import Theme


def marker_png(theme: Theme, marker: str, color: str) -> bytes:
    """The picture for a bullet marker: the theme's icon in the accent, or the emoji."""
    if theme.markers == "emoji" and theme.fonts.emoji is not None:
        return _emoji_png(str(theme.fonts.emoji.file), marker)
    icon = theme.find(f"icons/{marker}.png") or theme.find("icons/dot.png")
    if icon is None:
        return (
            _emoji_png(str(theme.fonts.emoji.file), marker)
            if theme.fonts.emoji
            else (_dot_png(color))
        )
    return _recolor(str(icon), color)


@lru_cache(maxsize=128)
def _recolor(path: str, color: str) -> bytes:
    """The icon's alpha mask filled with one colour, as a PNG with no timestamps."""
    from PIL import Image as PILImage

    with PILImage.open(path) as im:
        mask = im.getchannel("A") if "A" in im.getbands() else im.convert("L")
    channels = rgb(color)
    out = PILImage.new("RGBA", mask.size, (*channels, 255))
    out.putalpha(mask)
    buffer = io.BytesIO()
    out.save(buffer, "PNG", optimize=False)
    return buffer.getvalue()


@lru_cache(maxsize=64)
def _emoji_png(font_path: str, marker: str) -> bytes:
    """The source's emoji drawn in colour from the theme's emoji font (CBDT strike 109 px)."""
    from PIL import Image as PILImage
    from PIL import ImageDraw, ImageFont

    char = MARKERS.get(marker, MARKERS["dot"])
    font = ImageFont.truetype(font_path, 109)
    canvas = PILImage.new("RGBA", (160, 160), (0, 0, 0, 0))
    ImageDraw.Draw(canvas).text((10, 10), char, font=font, embedded_color=True)
    box = canvas.getbbox() or (0, 0, 160, 160)
    glyph = canvas.crop(box)
    side = max(glyph.size)
    square = PILImage.new("RGBA", (side, side), (0, 0, 0, 0))
    square.paste(glyph, ((side - glyph.width) // 2, (side - glyph.height) // 2))
    buffer = io.BytesIO()
    square.save(buffer, "PNG", optimize=False)
    return buffer.getvalue()


@lru_cache(maxsize=16)
def _dot_png(color: str) -> bytes:
    from PIL import Image as PILImage
    from PIL import ImageDraw

    im = PILImage.new("RGBA", (96, 96), (0, 0, 0, 0))
    channels = rgb(color)
    ImageDraw.Draw(im).ellipse((28, 28, 68, 68), fill=(*channels, 255))
    buffer = io.BytesIO()
    im.save(buffer, "PNG")
    return buffer.getvalue()
