"""Helpers and fixtures shared by the cross-scoring tests (imported by them; holds no test).

Everything is created directly in the database, so the scoring tests do not depend on the
criteria and reports services.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import Workbook

from accounts.enums import Role
from cluster.enums import PhaseKind
from evaluations.enums import AssignmentStatus, ResultsStage, SubmissionStatus
from evaluations.models import (
    AnnualReport,
    Assignment,
    BonusClaim,
    CriteriaTable,
    Criterion,
    CrossScore,
    DeclaredDeduction,
    DeductionReason,
    ScoringSettings,
    SelfScore,
)
from tests import factories as f

D = Decimal

#: A small table: group 1 with 1.1 (max 10) and 1.2 (max 5); group 2 with 2.1 (max 20).
SMALL_TABLE = [
    ("1", "Đào tạo, bồi dưỡng", [("1.1", "10"), ("1.2", "5")]),
    ("2", "Nghiên cứu khoa học", [("2.1", "20")]),
]


def make_table(year, groups=SMALL_TABLE, *, bonus_cap="5") -> tuple[CriteriaTable, dict]:
    """A criteria table; returns (table, {code: Criterion}) for the scored criteria."""
    table = CriteriaTable.objects.create(year=year, bonus_cap=D(bonus_cap))
    criteria = {}
    for g_order, (g_code, g_title, rows) in enumerate(groups, start=1):
        group = Criterion.objects.create(table=table, code=g_code, title=g_title, order=g_order)
        for order, (code, max_points) in enumerate(rows, start=1):
            criteria[code] = Criterion.objects.create(
                table=table,
                parent=group,
                code=code,
                title=f"Tiêu chí {code}",
                max_points=D(max_points),
                order=order,
            )
    return table, criteria


def big_groups(count: int, per_group: int = 10) -> list:
    """``count`` criteria, max 1 point each, in groups of ``per_group``."""
    groups = []
    for g in range((count + per_group - 1) // per_group):
        rows = [(f"{g + 1}.{i + 1}", "1") for i in range(min(per_group, count - g * per_group))]
        groups.append((str(g + 1), f"Nhóm {g + 1}", rows))
    return groups


def make_report(
    year,
    school,
    *,
    status=SubmissionStatus.SUBMITTED,
    self_scores: dict | None = None,
    criteria: dict | None = None,
    bonus: list | None = None,
    deductions: list | None = None,
) -> AnnualReport:
    """A report with self-scores {code: points}, bonus claims [(points, approved)] and
    declared deductions [(points, approved)]."""
    report = AnnualReport.objects.create(year=year, school=school, status=status)
    for code, points in (self_scores or {}).items():
        SelfScore.objects.create(
            report=report,
            criterion=criteria[code],
            points=D(points),
            explanation=f"Giải trình {code}",
        )
    for points, approved in bonus or []:
        BonusClaim.objects.create(
            report=report,
            points=D(points),
            reason="Tổ chức hội thảo của Cụm",
            approved_points=None if approved is None else D(approved),
        )
    if deductions:
        reason = DeductionReason.objects.get_or_create(
            table=year.criteria_table, title="Nộp báo cáo chậm", defaults={"points": D("2")}
        )[0]
        for points, approved in deductions:
            DeclaredDeduction.objects.create(
                report=report,
                reason=reason,
                points=D(points),
                approved_points=None if approved is None else D(approved),
            )
    return report


def make_assignment(
    year,
    scorer,
    target,
    *,
    scores: dict | None = None,
    criteria: dict | None = None,
    status=AssignmentStatus.SUBMITTED,
) -> Assignment:
    assignment = Assignment.objects.create(year=year, scorer=scorer, target=target, status=status)
    for code, points in (scores or {}).items():
        CrossScore.objects.create(
            assignment=assignment, criterion=criteria[code], points=D(points), comment=""
        )
    return assignment


def set_stage(year, stage, **extra) -> ScoringSettings:
    settings, _created = ScoringSettings.objects.get_or_create(year=year)
    ScoringSettings.objects.filter(pk=settings.pk).update(stage=stage, **extra)
    settings.refresh_from_db()
    return settings


def publish(year, until: dt.date | None = None) -> ScoringSettings:
    return set_stage(
        year,
        ResultsStage.PUBLISHED,
        objections_until=until or dt.date.today() + dt.timedelta(days=7),
    )


def xlsx_bytes(rows: list, header=("scorer_code", "target_code", "criterion_code", "points")):
    workbook = Workbook()
    sheet = workbook.active
    if header is not None:
        sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    buffer = BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


@dataclass
class ScoringWorld:
    cluster: object
    year: object
    a: object
    b: object
    c: object
    table: object
    criteria: dict
    reports: dict


FULL_SCORES = {
    # scorer -> target -> {criterion: points}
    ("SCA", "SCB"): {"1.1": "8", "1.2": "4", "2.1": "15"},
    ("SCC", "SCB"): {"1.1": "6", "1.2": "5", "2.1": "17"},
    ("SCB", "SCA"): {"1.1": "9", "1.2": "3", "2.1": "18"},
    ("SCC", "SCA"): {"1.1": "7", "1.2": "4", "2.1": "16"},
    ("SCA", "SCC"): {"1.1": "5", "1.2": "2", "2.1": "10"},
    ("SCB", "SCC"): {"1.1": "6", "1.2": "3", "2.1": "12"},
}


@pytest.fixture(name="world")
def world_fixture(cluster4) -> ScoringWorld:
    """cluster4 (A, B, C; 2026) with the small table, submitted reports, a cross-scoring
    phase in the future, and every pair assigned, not started."""
    year = cluster4.year
    table, criteria = make_table(year)
    today = dt.date.today()
    f.PhaseFactory(
        year=year,
        kind=PhaseKind.CROSS_SCORING,
        starts_on=min(today, year.end_date) - dt.timedelta(days=1),
        deadline=today + dt.timedelta(days=10),
    )
    reports = {}
    for school, scores in (
        (cluster4.school_a, {"1.1": "10", "1.2": "4", "2.1": "18"}),
        (cluster4.school_b, {"1.1": "9", "1.2": "5", "2.1": "20"}),
        (cluster4.school_c, {"1.1": "6", "1.2": "2", "2.1": "11"}),
    ):
        reports[school.code] = make_report(year, school, self_scores=scores, criteria=criteria)
    return ScoringWorld(
        cluster=cluster4.cluster,
        year=year,
        a=cluster4.school_a,
        b=cluster4.school_b,
        c=cluster4.school_c,
        table=table,
        criteria=criteria,
        reports=reports,
    )


def assign_all(world: ScoringWorld, *, submitted: bool = True) -> dict:
    """Every pair assigned; with ``submitted`` the FULL_SCORES entered and submitted."""
    schools = {s.code: s for s in (world.a, world.b, world.c)}
    assignments = {}
    for (scorer, target), scores in FULL_SCORES.items():
        assignments[(scorer, target)] = make_assignment(
            world.year,
            schools[scorer],
            schools[target],
            scores=scores if submitted else None,
            criteria=world.criteria,
            status=AssignmentStatus.SUBMITTED if submitted else AssignmentStatus.NOT_STARTED,
        )
    return assignments


def representative(school, email: str):
    return f.UserFactory(
        email=email, full_name=f"Đại diện {school.code}", role=Role.REPRESENTATIVE, school=school
    )
