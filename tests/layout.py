"""Layout checks on rendered PDFs, as a reader sees them: words drawn over each other,
characters off the page, text in a band (pdfplumber word boxes)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Collision:
    page: int
    first: str
    second: str

    def __str__(self) -> str:
        return f"page {self.page}: {self.first!r} over {self.second!r}"


def words(pdf: Path | bytes) -> list[list[dict]]:
    """Every page's words with their boxes (x0, x1, top, bottom, text)."""
    import io

    import pdfplumber

    source = io.BytesIO(pdf) if isinstance(pdf, bytes) else pdf
    with pdfplumber.open(source) as document:
        return [
            page.extract_words(keep_blank_chars=False, use_text_flow=False)
            for page in document.pages
        ]


@dataclass(frozen=True)
class Reading:
    """One pass of pdfplumber over a PDF: every page's words, and the characters that
    reach off their page."""

    pages: list[list[dict]]
    off_page: int


def read(pdf: Path | bytes) -> Reading:
    import io

    import pdfplumber

    source = io.BytesIO(pdf) if isinstance(pdf, bytes) else pdf
    pages, off = [], 0
    with pdfplumber.open(source) as document:
        for page in document.pages:
            off += sum(1 for c in page.chars if _off(c, page.width, page.height))
            pages.append(page.extract_words(keep_blank_chars=False, use_text_flow=False))
    return Reading(pages, off)


def _off(char: dict, width: float, height: float) -> bool:
    return (
        char["x0"] < -0.5
        or char["x1"] > width + 0.5
        or char["top"] < -0.5
        or char["bottom"] > height + 0.5
    )


def overlapping_words(pdf: Path | bytes | Reading, share: float = 0.3) -> list[Collision]:
    """Pairs of words whose boxes overlap by more than `share` of the smaller box."""
    found = []
    pages = pdf.pages if isinstance(pdf, Reading) else words(pdf)
    for number, page in enumerate(pages, 1):
        boxes = sorted(page, key=lambda w: w["x0"])
        for i, a in enumerate(boxes):
            for b in boxes[i + 1 :]:
                if b["x0"] >= a["x1"]:
                    break
                w = min(a["x1"], b["x1"]) - max(a["x0"], b["x0"])
                h = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
                if w <= 0 or h <= 0:
                    continue
                smaller = min(
                    (a["x1"] - a["x0"]) * (a["bottom"] - a["top"]),
                    (b["x1"] - b["x0"]) * (b["bottom"] - b["top"]),
                )
                if smaller > 0 and w * h > share * smaller:
                    found.append(Collision(number, a["text"], b["text"]))
    return found


def off_page_characters(pdf: Path | bytes) -> int:
    """Characters drawn (partly) outside their page."""
    return read(pdf).off_page
