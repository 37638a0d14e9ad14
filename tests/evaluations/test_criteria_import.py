"""Import and export of criteria tables (.xlsx): all or nothing, problems by row and column."""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO

import pytest
from django.utils import translation
from openpyxl import load_workbook

from evaluations.models import CriteriaTable, Criterion
from evaluations.services.criteria import (
    export_criteria_workbook,
    import_criteria_workbook,
    reopen_table,
)
from tests import factories as f
from tests.evaluations.criteria_support import make_table, self_score, workbook


@pytest.fixture(autouse=True)
def _messages_in_english():
    """These tests read the services' messages in their source language."""
    with translation.override("en"):
        yield


pytestmark = pytest.mark.django_db

GOOD = [
    ("1", "Đào tạo, bồi dưỡng", None, "Theo kế hoạch năm", ""),
    ("1.1", "Hoàn thành kế hoạch", 30, "Số lớp so với kế hoạch", "yes"),
    ("1.2", "Chất lượng", 20, "", "không"),
    ("2", "Nghiên cứu khoa học", 50, "", None),
    ("2.1", "Đề tài", 40, "", "x"),
    ("2.2", "Hội thảo", "10", "", "Có"),
]


def rows_of(year) -> list[tuple]:
    return list(
        Criterion.objects.filter(table__year=year)
        .order_by("order")
        .values_list("code", "title", "max_points", "evidence_required")
    )


def test_import_creates_the_table(cluster4, secretariat):
    report = import_criteria_workbook(year=cluster4.year, file=workbook(GOOD), by=secretariat)

    assert report.ok
    assert report.changes.created == 6
    assert rows_of(cluster4.year) == [
        ("1", "Đào tạo, bồi dưỡng", None, False),
        ("1.1", "Hoàn thành kế hoạch", Decimal("30.00"), True),
        ("1.2", "Chất lượng", Decimal("20.00"), False),
        ("2", "Nghiên cứu khoa học", None, False),
        ("2.1", "Đề tài", Decimal("40.00"), True),
        ("2.2", "Hội thảo", Decimal("10.00"), True),
    ]
    assert Criterion.objects.get(table__year=cluster4.year, code="1").guidance == (
        "Theo kế hoạch năm"
    )


def test_import_with_problems_lists_them_by_row_and_column_and_changes_nothing(cluster4):
    make_table(cluster4.year)
    before = rows_of(cluster4.year)
    bad = [
        ("1", "Đào tạo", 99, "", ""),  # group max differs from the sum
        ("1.1", "Hoàn thành", "ba mươi", "", ""),  # not a number
        ("1.1", "Trùng", 5, "", ""),  # duplicate code
        ("1.2", "", 5, "", ""),  # missing title
        ("1.3", "Âm", -2, "", ""),  # negative
        ("4.1", "Không nhóm", 5, "", ""),  # group missing
        ("1.4", "Minh chứng", 5, "", "maybe"),  # evidence not yes/no
    ]

    report = import_criteria_workbook(year=cluster4.year, file=workbook(bad), by=None)

    assert not report.ok
    assert sorted((p.row, p.column) for p in report.problems) == [
        (2, "max_points"),
        (3, "max_points"),
        (4, "code"),
        (5, "title"),
        (6, "max_points"),
        (7, "code"),
        (8, "evidence_required"),
    ]
    assert rows_of(cluster4.year) == before


def test_import_problem_says_where_in_words(cluster4):
    report = import_criteria_workbook(
        year=cluster4.year, file=workbook([("1.1", "Mồ côi", 5, "", "")]), by=None
    )

    with_text = [str(p) for p in report.problems]
    assert with_text == [
        "sheet criteria, row 2, column code: Criterion 1.1 belongs to group 1, "
        "which is not in the table."
    ]


def test_import_refuses_a_missing_required_column(cluster4):
    report = import_criteria_workbook(
        year=cluster4.year,
        file=workbook([("1", "Nhóm")], header=("code", "title")),
        by=None,
    )

    assert [(p.row, p.column) for p in report.problems] == [(1, "max_points")]
    assert not CriteriaTable.objects.filter(year=cluster4.year).exists()


def test_import_refuses_a_file_that_is_not_xlsx(cluster4):
    report = import_criteria_workbook(
        year=cluster4.year, file=BytesIO(b"code,title\n1,x\n"), by=None
    )

    assert [p.message for p in report.problems] == ["The file is not a readable .xlsx workbook."]


def test_import_reads_bonus_cap_and_deductions_sheet(cluster4):
    report = import_criteria_workbook(
        year=cluster4.year,
        file=workbook(
            GOOD,
            deductions=[("bonus_cap", 7), ("Nộp chậm báo cáo", 2), ("Vi phạm kỷ luật", "3,5")],
        ),
        by=None,
    )

    assert report.ok
    table = CriteriaTable.objects.get(year=cluster4.year)
    assert table.bonus_cap == Decimal("7")
    assert list(table.deduction_reasons.values_list("title", "points")) == [
        ("Nộp chậm báo cáo", Decimal("2")),
        ("Vi phạm kỷ luật", Decimal("3.5")),
    ]


def test_import_without_deductions_sheet_keeps_them(cluster4):
    table = make_table(cluster4.year, bonus_cap=Decimal("4"))

    import_criteria_workbook(year=cluster4.year, file=workbook(GOOD), by=None)

    table.refresh_from_db()
    assert table.bonus_cap == Decimal("4")
    assert table.deduction_reasons.count() == 2


def test_import_reports_bad_deduction_points(cluster4):
    report = import_criteria_workbook(
        year=cluster4.year,
        file=workbook(GOOD, deductions=[("Nộp chậm", "hai")]),
        by=None,
    )

    assert [(p.sheet, p.row, p.column) for p in report.problems] == [("deductions", 2, "points")]


def test_export_then_import_round_trip_changes_nothing(cluster4):
    import_criteria_workbook(
        year=cluster4.year,
        file=workbook(GOOD, deductions=[("bonus_cap", 5), ("Nộp chậm", Decimal("2.5"))]),
        by=None,
    )
    ids = dict(Criterion.objects.filter(table__year=cluster4.year).values_list("code", "pk"))
    exported = export_criteria_workbook(year=cluster4.year)

    report = import_criteria_workbook(year=cluster4.year, file=BytesIO(exported), by=None)

    assert report.ok
    assert (report.changes.created, report.changes.updated, report.changes.deleted) == (0, 0, 0)
    assert (
        dict(Criterion.objects.filter(table__year=cluster4.year).values_list("code", "pk")) == ids
    )


def test_export_round_trip_into_another_year_copies_the_table(cluster4):
    make_table(cluster4.year)
    other = f.EmulationYearFactory(cluster=cluster4.cluster, label="2027")

    report = import_criteria_workbook(
        year=other, file=BytesIO(export_criteria_workbook(year=cluster4.year)), by=None
    )

    assert report.ok
    assert rows_of(other) == rows_of(cluster4.year)
    assert other.criteria_table.deduction_reasons.count() == 2


def test_export_writes_the_documented_format(cluster4):
    make_table(cluster4.year)

    book = load_workbook(BytesIO(export_criteria_workbook(year=cluster4.year)))

    criteria, deductions = book["criteria"], book["deductions"]
    assert [c.value for c in criteria[1]] == [
        "code",
        "title",
        "max_points",
        "guidance",
        "evidence_required",
    ]
    assert [c.value for c in criteria[2]][:3] == ["1", "Đào tạo, bồi dưỡng", 50]
    assert [c.value for c in criteria[3]][:3] == ["1.1", "Hoàn thành kế hoạch đào tạo", 30]
    assert [[c.value for c in row] for row in deductions.iter_rows()] == [
        ["reason", "points"],
        ["bonus_cap", 5],
        ["Nộp báo cáo chậm", 2],
        ["Vi phạm kỷ luật", 5],
    ]


def test_import_into_a_locked_table_refuses_a_changed_maximum(cluster4):
    make_table(cluster4.year)
    self_score(cluster4.year, cluster4.school_a, "1.1")
    exported = load_workbook(BytesIO(export_criteria_workbook(year=cluster4.year)))
    exported["criteria"]["C3"] = 25
    exported["criteria"]["C2"] = None
    buffer = BytesIO()
    exported.save(buffer)

    report = import_criteria_workbook(year=cluster4.year, file=buffer, by=None)

    assert [(p.row, p.column) for p in report.problems] == [(3, "max_points")]
    assert Criterion.objects.get(table__year=cluster4.year, code="1.1").max_points == 30


def test_import_into_a_reopened_table_is_accepted(cluster4, secretariat):
    table = make_table(cluster4.year)
    self_score(cluster4.year, cluster4.school_a, "1.1")
    reopen_table(table=table, by=secretariat, reason="Điều chỉnh theo hướng dẫn mới")

    report = import_criteria_workbook(year=cluster4.year, file=workbook(GOOD), by=secretariat)

    assert report.ok
    assert Criterion.objects.get(table__year=cluster4.year, code="2").title == (
        "Nghiên cứu khoa học"
    )


def test_import_ignores_a_second_sheet_of_notes(cluster4):
    buffer = workbook(GOOD)
    book = load_workbook(buffer)
    book.create_sheet("Ghi chú").append(["Bảng tiêu chí năm 2026, bản dự thảo"])
    notes = BytesIO()
    book.save(notes)

    report = import_criteria_workbook(year=cluster4.year, file=notes, by=None)

    assert report.ok
    assert CriteriaTable.objects.get(year=cluster4.year).deduction_reasons.count() == 0


def test_import_reads_an_unnamed_second_sheet_with_deduction_headers(cluster4):
    buffer = workbook(GOOD)
    book = load_workbook(buffer)
    sheet = book.create_sheet("Sheet2")
    sheet.append(["reason", "points"])
    sheet.append(["Nộp chậm", 2])
    second = BytesIO()
    book.save(second)

    report = import_criteria_workbook(year=cluster4.year, file=second, by=None)

    assert report.ok
    assert list(
        CriteriaTable.objects.get(year=cluster4.year).deduction_reasons.values_list(
            "title", flat=True
        )
    ) == ["Nộp chậm"]
