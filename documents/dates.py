"""Dates and numbers as official documents write them (Decree 30/2020/NĐ-CP)."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal


def vietnamese_date_line(place: str, day: date) -> str:
    """``"Hưng Yên, ngày 05 tháng 01 năm 2026"``: days under 10 and the months 1 and 2 take
    a leading zero (Decree 30/2020, appendix I), other months do not (``tháng 3``)."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def number_label(number: int, type_code: str, symbol: str, *, party: bool = False) -> str:
    """The number and symbol of a document: ``01/BB-CTĐ4`` (state documents, numbers
    under 10 written 01…09) or ``01-BB/CTĐ4`` (Party documents, HD 36-HD/VPTW)."""
    digits = f"{number:02d}"
    if party:
        return f"{digits}-{type_code}/{symbol}"
    return f"{digits}/{type_code}-{symbol}"


def vn_number(value, places: int = 0, *, fixed: bool = False) -> str:
    """A number as Vietnamese documents print it: ``1.234,5``; ``—`` when missing.

    ``places`` decimals, rounded half up; trailing zeros of the decimals are dropped
    (``7,50`` prints ``7,5``, ``10,00`` prints ``10``) unless ``fixed``."""
    if value is None or value == "":
        return "—"
    number = Decimal(str(value))
    quantum = Decimal(1).scaleb(-places)
    number = number.quantize(quantum, rounding=ROUND_HALF_UP)
    sign = "-" if number < 0 else ""
    whole, _, fraction = f"{abs(number):f}".partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    text = sign + ".".join(groups)
    if not fixed:
        fraction = fraction.rstrip("0")
    return f"{text},{fraction}" if fraction else text


def vn_points(value) -> str:
    """Points with two decimals, as score tables print them: ``87,25``, ``90,00``."""
    return vn_number(value, 2, fixed=True)


def vn_date(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else "—"
