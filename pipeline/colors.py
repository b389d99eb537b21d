"""Colour arithmetic on the themes' '#RRGGBB' tokens: channels, tints, luminance, contrast."""

from __future__ import annotations

RGB = tuple[int, int, int]


def rgb(color: str) -> RGB:
    """The red, green and blue channels of '#RRGGBB', 0 to 255."""
    return int(color[1:3], 16), int(color[3:5], 16), int(color[5:7], 16)


def digits(color: str) -> str:
    """'#1e4fa0' as OOXML writes it: '1E4FA0'."""
    return color.lstrip("#").upper()


def tint(color: str, background: str, amount: float) -> str:
    """`amount` of `color` over `background`: a light wash for call-out boxes."""
    mixed = (round(a * amount + b * (1 - amount)) for a, b in zip(rgb(color), rgb(background)))
    return "#" + "".join(f"{v:02X}" for v in mixed)


def is_dark(color: str) -> bool:
    """Whether text on this background should be light (perceived brightness under half)."""
    r, g, b = rgb(color)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b < 128


def luminance(color: str) -> float:
    """WCAG 2.1 relative luminance."""
    channels = [c / 255 for c in rgb(color)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(foreground: str, background: str) -> float:
    """WCAG 2.1 contrast ratio of two colours, from 1 to 21."""
    light, dark = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def readable_on(fill: str, *inks: str) -> str:
    """Of `inks`, the one with the most contrast on `fill` (labels printed on a bar)."""
    return max(inks, key=lambda ink: contrast(ink, fill))
