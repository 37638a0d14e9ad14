"""Dates, numbers and figures as official documents write them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from documents.dates import number_label, vietnamese_date_line, vn_number, vn_points


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2026, 1, 5), "Hưng Yên, ngày 05 tháng 01 năm 2026"),
        (dt.date(2026, 2, 12), "Hưng Yên, ngày 12 tháng 02 năm 2026"),
        (dt.date(2026, 3, 3), "Hưng Yên, ngày 03 tháng 3 năm 2026"),
        (dt.date(2025, 10, 9), "Hưng Yên, ngày 09 tháng 10 năm 2025"),
        (dt.date(2025, 12, 25), "Hưng Yên, ngày 25 tháng 12 năm 2025"),
    ],
)
def test_vietnamese_date_line_pads_days_under_ten_and_months_one_and_two(day, expected):
    assert vietnamese_date_line("Hưng Yên", day) == expected


def test_number_label_state_heading_pads_numbers_under_ten():
    assert number_label(1, "BB", "CTĐ4") == "01/BB-CTĐ4"
    assert number_label(12, "TTr", "CTĐ4") == "12/TTr-CTĐ4"


def test_number_label_party_heading_uses_the_party_form():
    assert number_label(3, "BC", "CTĐ4", party=True) == "03-BC/CTĐ4"


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        (Decimal("3200"), 2, "3.200"),
        (Decimal("1234567.5"), 2, "1.234.567,5"),
        (Decimal("102.66"), 1, "102,7"),
        (Decimal("-0.5"), 0, "-1"),
        (None, 2, "—"),
    ],
)
def test_vn_number_groups_thousands_with_dots_and_uses_a_decimal_comma(value, places, expected):
    assert vn_number(value, places) == expected


def test_vn_points_keeps_two_decimals():
    assert vn_points(Decimal("27.5")) == "27,50"
    assert vn_points(Decimal("90")) == "90,00"
