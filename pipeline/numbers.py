"""Numbers as charts print them: one format (decimals and a unit) written three ways.

A chart's `decimals` and `unit` become an Excel number format code for the deck (its axis,
its data labels and the cells of its embedded workbook, which PowerPoint shows in the
reader's locale), and Babel's CLDR formatting for the briefing and Markdown (in the
document's language: "1,234.5 ms" for en, "1.234,5 ms" for de). `plain` is the one
locale-free spelling of a value, which the deck's reader and `verify` compare.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from .dates import locale

MAX_INFERRED_DECIMALS = 3
TIGHT_UNITS = ("%", "‰")  # written against the number: 45%


def plain(value: float) -> str:
    """A value as written in a data file: '12', '18.5', '-0.25', '1e+20'."""
    value = float(value)
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def decimals_of(values: Iterable[float]) -> int:
    """The digits after the point the values are written with (at most 3)."""
    most = 0
    for value in values:
        text = plain(value)
        if "e" not in text and "." in text:
            most = max(most, len(text.split(".")[1]))
    return min(most, MAX_INFERRED_DECIMALS)


def unit_first(unit: str) -> bool:
    """Currency symbols go before the number ($12, €12); every other unit after it."""
    return unicodedata.category(unit[0]) == "Sc"


def _pattern(decimals: int) -> str:
    return "#,##0" + ("." + "0" * decimals if decimals else "")


def excel_format(decimals: int, unit: str | None) -> str:
    """The number format code PowerPoint and Excel use: '#,##0.0" ms"', '"$"#,##0'.

    The unit is a quoted literal (units cannot hold quotes): an unquoted '%' would
    multiply the value by 100.
    """
    code = _pattern(decimals)
    if not unit:
        return code
    if unit_first(unit):
        return f'"{unit}"{code}'
    return f'{code}"{unit}"' if unit in TIGHT_UNITS else f'{code}" {unit}"'


def format_number(value: float, decimals: int, unit: str | None, language: str) -> str:
    """The value as the document's language writes it, with its unit ('1,234.5 ms'),
    rounded half away from zero and signed before a currency ('-$12'), as Excel does."""
    from babel.numbers import format_decimal, get_minus_sign_symbol

    where = locale(language)
    rounded = Decimal(plain(value)).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)
    number = format_decimal(abs(rounded), format=_pattern(decimals), locale=where)
    sign = get_minus_sign_symbol(where) if rounded < 0 else ""
    if not unit:
        return sign + number
    if unit_first(unit):
        return f"{sign}{unit}{number}"
    return f"{sign}{number}{unit}" if unit in TIGHT_UNITS else f"{sign}{number} {unit}"


def number_sample(decimals: int, unit: str | None, language: str) -> str:
    """Every character the document's numbers can print (for the font coverage check)."""
    return format_number(-1234567.89, max(decimals, 1), unit, language)
