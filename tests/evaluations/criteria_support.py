"""Helpers shared by the criteria, pledge and demo tests (not a test module)."""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO

from openpyxl import Workbook

from evaluations.models import AnnualReport, Criterion, Indicator, SelfScore
from evaluations.services.criteria import DeductionSpec, RowSpec, save_criteria_table

STANDARD = [
    ("1", "Đào tạo, bồi dưỡng", None),
    ("1.1", "Hoàn thành kế hoạch đào tạo", Decimal("30")),
    ("1.2", "Chất lượng bồi dưỡng", Decimal("20")),
    ("2", "Nghiên cứu khoa học", None),
    ("2.1", "Đề tài khoa học các cấp", Decimal("40")),
    ("2.2", "Hội thảo khoa học", Decimal("10")),
]


def specs(rows=STANDARD) -> list[RowSpec]:
    return [
        RowSpec(line=i, code=code, title=title, max_points=points)
        for i, (code, title, points) in enumerate(rows, start=2)
    ]


def make_table(year, rows=STANDARD, *, bonus_cap=Decimal("5"), deductions=None, by=None):
    deductions = (
        deductions
        if deductions is not None
        else [("Nộp báo cáo chậm", Decimal("2")), ("Vi phạm kỷ luật", Decimal("5"))]
    )
    save_criteria_table(
        year=year,
        by=by,
        rows=specs(rows),
        bonus_cap=bonus_cap,
        deductions=[
            DeductionSpec(line=i, title=title, points=points)
            for i, (title, points) in enumerate(deductions, start=2)
        ],
    )
    return year.criteria_table


def big_rows(count: int) -> list[tuple]:
    """``count`` criteria in groups of 10, one point each."""
    rows = []
    for group in range((count + 9) // 10):
        rows.append((str(group + 1), f"Nhóm {group + 1}", None))
        for index in range(min(10, count - group * 10)):
            rows.append((f"{group + 1}.{index + 1}", f"Tiêu chí {group + 1}.{index + 1}", 1))
    return [(c, t, Decimal(p) if p is not None else None) for c, t, p in rows]


def criterion(year, code: str) -> Criterion:
    return Criterion.objects.get(table__year=year, code=code)


def self_score(year, school, code: str, points: Decimal | None = Decimal("10")) -> SelfScore:
    report, _ = AnnualReport.objects.get_or_create(year=year, school=school)
    return SelfScore.objects.create(report=report, criterion=criterion(year, code), points=points)


def make_indicators(year, count: int = 3) -> list[Indicator]:
    names = [
        ("LOP", "Lớp đào tạo, bồi dưỡng", "lớp"),
        ("HV", "Học viên", "người"),
        ("DT", "Đề tài khoa học", "đề tài"),
        ("SK", "Sáng kiến", "sáng kiến"),
        ("HT", "Hội thảo", "cuộc"),
    ]
    indicators = []
    for index in range(count):
        code, name, unit = (
            names[index] if index < len(names) else (f"I{index}", f"Chỉ tiêu {index}", "lần")
        )
        indicators.append(
            Indicator.objects.create(year=year, code=code, name=name, unit=unit, order=index + 1)
        )
    return indicators


def workbook(
    rows,
    *,
    header=("code", "title", "max_points", "guidance", "evidence_required"),
    deductions=None,
) -> BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.title = "criteria"
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    if deductions is not None:
        second = book.create_sheet("deductions")
        second.append(["reason", "points"])
        for row in deductions:
            second.append(list(row))
    buffer = BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer
