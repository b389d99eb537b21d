"""Make the international theme's fallback fonts from Debian's Noto packages.

    apt-get download fonts-noto-cjk fonts-noto-core
    for d in *.deb; do dpkg-deb -x "$d" noto; done
    python themes/international/fonts/make_fonts.py noto/usr/share/fonts

Noto Sans CJK JP (inside the NotoSansCJK-*.ttc collections) is cut down to the characters of
Japanese text: kana, CJK punctuation and symbols, full-width forms, every kanji of JIS X
0208 (levels 1 and 2, 6,355 kanji), and the ASCII and Latin-1 characters a run of Japanese
text also holds (spaces, digits, punctuation): 19 MB a weight becomes about 4 MB. Noto Sans
Arabic is copied whole. Both are under the SIL Open Font License (OFL.txt beside each; the copyright
line is the font's own name record).
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection

HERE = Path(__file__).resolve().parent
BLOCKS = [(0x0020, 0x007E), (0x00A0, 0x00FF), (0x3000, 0x303F), (0x3040, 0x309F),
          (0x30A0, 0x30FF), (0x31F0, 0x31FF), (0xFF00, 0xFFEF), (0x2010, 0x2027),
          (0x2030, 0x205E), (0x2190, 0x21FF), (0x2460, 0x24FF), (0x25A0, 0x25FF),
          (0x2600, 0x26FF)]  # fmt: skip


def jis_x_0208() -> set[int]:
    """Every character of JIS X 0208 (rows 1 to 84), through the EUC-JP codec."""
    found = set()
    for row in range(0xA1, 0xF5):
        for cell in range(0xA1, 0xFF):
            try:
                found.add(ord(bytes([row, cell]).decode("euc_jp")))
            except UnicodeDecodeError:
                continue
    return found


def japanese(collection: Path, target: Path) -> None:
    fonts = TTCollection(str(collection)).fonts
    font = next(f for f in fonts if "JP" in f["name"].getDebugName(1))
    codes = jis_x_0208() | {c for a, b in BLOCKS for c in range(a, b + 1)}
    options = subset.Options()
    options.hinting = False
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.layout_features = ["*"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=codes)
    subsetter.subset(font)
    font.save(str(target))


def main(fonts: Path) -> None:
    for weight in ("Regular", "Bold"):
        japanese(
            next(fonts.rglob(f"NotoSansCJK-{weight}.ttc")),
            HERE / "noto-sans-jp" / f"NotoSansJP-{weight}.otf",
        )
        shutil.copy(
            next(fonts.rglob(f"NotoSansArabic-{weight}.ttf")),
            HERE / "noto-sans-arabic" / f"NotoSansArabic-{weight}.ttf",
        )


if __name__ == "__main__":
    main(Path(sys.argv[1]))
