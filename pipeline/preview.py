"""`twinpress preview`: one contact-sheet PNG per audience with every slide and the first pages.

The deck is converted to PDF by LibreOffice (headless, with the theme's fonts) and both
PDFs are rasterised with pypdfium2, so a person can compare themes at a glance without
opening PowerPoint.
"""

from __future__ import annotations

import io
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

THUMB_WIDTH = 384  # px per slide thumbnail
PAGE_HEIGHT = 420  # px per briefing page thumbnail
COLUMNS = 4
GAP = 24
BACKDROP = "#E9ECF1"


@dataclass(frozen=True)
class Sheet:
    audience: str
    theme: str
    slides: int
    pages: int
    path: Path


def contact_sheet(
    deck: Path,
    briefing: Path,
    *,
    title: str,
    font_dirs: Sequence[Path],
    pages: int = 4,
    bare: bool = False,
) -> tuple[int, int, bytes]:
    """Render the sheet; return (slides shown, pages shown, PNG bytes). With `bare`, the
    slides as a machine with only a bare Debian's fonts draws them."""
    from .office import convert

    with tempfile.TemporaryDirectory(prefix="twinpress-preview-") as tmp:
        deck_pdf = convert(deck, Path(tmp), to="pdf", font_dirs=font_dirs, bare=bare)
        slides = _rasterise(deck_pdf, width=THUMB_WIDTH)
    page_images = _rasterise(briefing, height=PAGE_HEIGHT, limit=pages)
    return len(slides), len(page_images), _compose(title, slides, page_images)


def _rasterise(
    pdf: Path, *, width: int | None = None, height: int | None = None, limit: int | None = None
) -> list[Any]:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(pdf))
    try:
        images = []
        for index in range(min(len(document), limit or len(document))):
            page = document[index]
            w, h = page.get_size()
            scale = (width / w) if width else (height / h)
            images.append(page.render(scale=scale).to_pil().convert("RGB"))
        return images
    finally:
        document.close()


def _compose(title: str, slides: list[Any], pages: list[Any]) -> bytes:
    from PIL import Image, ImageDraw

    columns = min(COLUMNS, max(1, len(slides)))
    slide_h = slides[0].height if slides else 0
    rows = -(-len(slides) // columns)
    page_w = sum(p.width for p in pages) + GAP * max(0, len(pages) - 1)
    width = max(columns * THUMB_WIDTH + (columns - 1) * GAP, page_w) + 2 * GAP
    height = 72 + rows * (slide_h + GAP) + 48 + (PAGE_HEIGHT if pages else 0) + 2 * GAP
    sheet = Image.new("RGB", (width, height), BACKDROP)
    draw = ImageDraw.Draw(sheet)
    draw.text((GAP, GAP), title, fill="#1A2230", font_size=26)
    y = 72
    for i, slide in enumerate(slides):
        x = GAP + (i % columns) * (THUMB_WIDTH + GAP)
        top = y + (i // columns) * (slide_h + GAP)
        _shadowed(sheet, slide, x, top)
        draw.text((x, top + slide_h + 2), str(i + 1), fill="#526072", font_size=14)
    y += rows * (slide_h + GAP) + 12
    draw.text((GAP, y), "Briefing, first pages", fill="#1A2230", font_size=20)
    x = GAP
    for page in pages:
        _shadowed(sheet, page, x, y + 36)
        x += page.width + GAP
    buffer = io.BytesIO()
    sheet.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def _shadowed(sheet: Any, image: Any, x: int, y: int) -> None:
    from PIL import Image

    shadow = Image.new("RGB", image.size, "#C5CBD5")
    sheet.paste(shadow, (x + 3, y + 3))
    sheet.paste(image, (x, y))
