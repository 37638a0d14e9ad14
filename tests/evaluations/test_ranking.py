"""The year's ranking from the database: what counts, the CSV, the commands, query counts."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from evaluations.enums import AssignmentStatus, SubmissionStatus
from evaluations.models import (
    AnnualReport,
    Assignment,
    BonusClaim,
    CrossScore,
    DeclaredDeduction,
    DeductionReason,
    ImposedDeduction,
    ScoringSettings,
    SelfScore,
)
from evaluations.selectors_scoring import compute_results, load_year_data, ranking_lines
from evaluations.xlsx_scoring import ranking_csv
from tests import factories as f

from .test_scoring_support import (  # noqa: F401  (fixtures)
    assign_all,
    big_groups,
    make_assignment,
    make_report,
    make_table,
    world_fixture,
)

D = Decimal


def totals(year, method=None) -> dict[str, tuple]:
    return {
        line.school_code: (line.rank, line.criteria_points, line.bonus, line.deductions, line.total)
        for line in ranking_lines(year, method)
    }


def test_ranking_hand_computed_mean(world):
    assign_all(world)
    # A: (9+7)/2 + (3+4)/2 + (18+16)/2 = 28.5 ; B: 7 + 4.5 + 16 = 27.5 ; C: 5.5 + 2.5 + 11 = 19
    assert totals(world.year) == {
        "SCA": (1, D("28.50"), D("0.00"), D("0.00"), D("28.50")),
        "SCB": (2, D("27.50"), D("0.00"), D("0.00"), D("27.50")),
        "SCC": (3, D("19.00"), D("0.00"), D("0.00"), D("19.00")),
    }


def test_only_submitted_assignments_count(world):
    assignments = assign_all(world)
    Assignment.objects.filter(pk=assignments[("SCC", "SCA")].pk).update(
        status=AssignmentStatus.DRAFT
    )
    # A now only from B: 9 + 3 + 18
    assert totals(world.year)["SCA"][1] == D("30.00")


def test_bonus_approved_capped_and_deductions(world, secretariat):
    assign_all(world)
    report = world.reports["SCC"]
    BonusClaim.objects.create(report=report, points=D("4"), reason="a", approved_points=D("4"))
    BonusClaim.objects.create(report=report, points=D("3"), reason="b", approved_points=D("2.5"))
    BonusClaim.objects.create(report=report, points=D("9"), reason="not decided")
    ImposedDeduction.objects.create(
        year=world.year,
        school=world.c,
        points=D("1.25"),
        explanation="Nộp chậm",
        created_by=secretariat,
    )
    # cap 5: bonus 6.5 → 5; total 19 + 5 − 1.25
    assert totals(world.year)["SCC"] == (3, D("19.00"), D("5.00"), D("1.25"), D("22.75"))


def test_declared_deductions_count_only_when_approved(world):
    assign_all(world)
    report = world.reports["SCB"]

    reason = DeductionReason.objects.create(table=world.table, title="Kỷ luật", points=D("2"))
    DeclaredDeduction.objects.create(
        report=report, reason=reason, points=D("2"), approved_points=D("1.5")
    )
    DeclaredDeduction.objects.create(report=report, reason=reason, points=D("2"))
    assert totals(world.year)["SCB"][3] == D("1.50")


def test_member_without_report_is_ranked_with_zero(world):
    late = f.SchoolFactory(code="SCD")
    f.MembershipFactory(cluster=world.cluster, school=late)
    assign_all(world)
    assert totals(world.year)["SCD"] == (4, D("0.00"), D("0.00"), D("0.00"), D("0.00"))


def test_ranking_lists_exactly_the_members_of_the_year(world, other_cluster):
    gone = f.SchoolFactory(code="OLD")
    f.MembershipFactory(
        cluster=world.cluster,
        school=gone,
        start_date=dt.date(2015, 1, 1),
        end_date=dt.date(2026, 6, 30),
    )
    assign_all(world)
    make_assignment(world.year, gone, world.a, scores={"1.1": "0"}, criteria=world.criteria)
    assert set(totals(world.year)) == {"SCA", "SCB", "SCC"}


def test_methods_differ_on_the_same_scores(world):
    assign_all(world)
    d = f.SchoolFactory(code="SCD")
    f.MembershipFactory(cluster=world.cluster, school=d)
    make_assignment(
        world.year,
        d,
        world.a,
        scores={"1.1": "0", "1.2": "0", "2.1": "0"},
        criteria=world.criteria,
    )
    # A: 1.1 = [9, 7, 0]; mean 5.33…, median 7, trimmed 7
    data = load_year_data(world.year)
    assert len(data.cells) == 21
    assert totals(world.year, "mean")["SCA"][1] == D("19.00")  # 16/3 + 7/3 + 34/3 = 19
    assert totals(world.year, "median")["SCA"][1] == D("26.00")  # 7 + 3 + 16
    assert totals(world.year, "trimmed")["SCA"][1] == D("26.00")


def test_ties_share_rank(world):
    assign_all(world)
    # Make B equal to A (28.50): raise B's 1.1 from A's 8 to 10 → (10+6)/2 = 8 (+1)
    CrossScore.objects.filter(
        assignment__scorer=world.a, assignment__target=world.b, criterion=world.criteria["1.1"]
    ).update(points=D("10"))
    ranks = {code: values[0] for code, values in totals(world.year).items()}
    assert ranks == {"SCA": 1, "SCB": 1, "SCC": 3}


def test_results_spreads_gaps_and_stability(world):
    assign_all(world)
    results = compute_results(world.year)
    a = next(d for d in results.details if d.school.code == "SCA")
    first = a.criteria[0]  # 1.1: cross 9 and 7, self 10
    assert first.criterion.code == "1.1"
    assert (first.spread.minimum, first.spread.maximum, first.spread.stdev) == (
        D("7.00"),
        D("9.00"),
        D("1.00"),
    )
    assert (first.gap.self_score, first.gap.cross, first.gap.gap, first.gap.flagged) == (
        D("10.00"),
        D("8.00"),
        D("2.00"),
        True,
    )
    assert [(s.code, p) for s, p in first.scores] == [("SCB", D("9")), ("SCC", D("7"))]
    assert all(not row.changes for row in results.stability)


def test_gap_threshold_is_set_per_year(world):
    assign_all(world)
    ScoringSettings.objects.create(year=world.year, gap_threshold_percent=D("25"))
    a = next(d for d in compute_results(world.year).details if d.school.code == "SCA")
    assert a.criteria[0].gap.flagged is False  # 2 ≤ 25% of 10


def test_self_scores_of_a_draft_report_are_not_shown(world):
    assign_all(world)
    AnnualReport.objects.filter(pk=world.reports["SCA"].pk).update(status=SubmissionStatus.DRAFT)
    a = next(d for d in compute_results(world.year).details if d.school.code == "SCA")
    assert a.has_report is False
    assert all(c.gap is None for c in a.criteria)


# --- CSV and commands --------------------------------------------------------------------------


EXPECTED_CSV = (
    "rank,school_code,school_name,criteria_points,bonus,deductions,total\n"
    "1,SCA,Trường Chính trị tỉnh A,28.50,0.00,0.00,28.50\n"
    "2,SCB,Trường Chính trị tỉnh B,27.50,0.00,0.00,27.50\n"
    "3,SCC,Trường Chính trị tỉnh C,19.00,0.00,0.00,19.00\n"
)


def test_ranking_csv_format(world):
    assign_all(world)
    assert ranking_csv(ranking_lines(world.year)) == EXPECTED_CSV


def test_ranking_csv_quotes_names_with_commas(world):
    assign_all(world)
    world.a.name = "Trường A, tỉnh A"
    world.a.save()
    assert '1,SCA,"Trường A, tỉnh A",28.50' in ranking_csv(ranking_lines(world.year))


def test_export_ranking_command_csv_to_stdout(world):
    assign_all(world)
    out = io.StringIO()
    call_command(
        "export_ranking", "--cluster", "CUM4", "--year", "2026", "--format", "csv", stdout=out
    )
    assert out.getvalue() == EXPECTED_CSV


def test_export_ranking_command_method_option(world, tmp_path):
    assign_all(world)
    target = tmp_path / "r.csv"
    call_command(
        "export_ranking",
        "--cluster",
        "CUM4",
        "--year",
        "2026",
        "--format",
        "csv",
        "--method",
        "median",
        "-o",
        str(target),
    )
    assert target.read_bytes().decode("utf-8") == EXPECTED_CSV  # two scores: median = mean


def test_export_ranking_command_xlsx(world, tmp_path):
    assign_all(world)
    target = tmp_path / "summary.xlsx"
    call_command(
        "export_ranking",
        "--cluster",
        "CUM4",
        "--year",
        "2026",
        "--format",
        "xlsx",
        "-o",
        str(target),
    )
    workbook = load_workbook(target)
    assert len(workbook.sheetnames) == 4  # ranking, group 1, group 2, gaps
    ranking = workbook.worksheets[0]
    assert [c.value for c in ranking[5]][:3] == [1, "SCA", "Trường Chính trị tỉnh A"]
    group = workbook.worksheets[1]  # group 1: criteria 1.1 and 1.2, one column per scorer
    assert [c.value for c in group[2]][6:9] == ["SCA", "SCB", "SCC"]
    first_row = [c.value for c in group[3]]
    assert first_row[0] == "SCA" and first_row[2] == "1.1"
    assert first_row[6:10] == [None, 9, 7, 8]
    assert group.max_row == 2 + 3 * 2


def test_export_ranking_unknown_year_fails(world):
    with pytest.raises(CommandError):
        call_command("export_ranking", "--cluster", "CUM4", "--year", "1999", "--format", "csv")


def test_export_ranking_bad_method_fails(world):
    with pytest.raises(CommandError):
        call_command(
            "export_ranking",
            "--cluster",
            "CUM4",
            "--year",
            "2026",
            "--format",
            "csv",
            "--method",
            "best",
        )


def test_export_ranking_xlsx_needs_output(world):
    with pytest.raises(CommandError):
        call_command("export_ranking", "--cluster", "CUM4", "--year", "2026", "--format", "xlsx")


# --- a fixed number of queries -------------------------------------------------------------------


def big_year(n_schools: int, n_criteria: int, code: str):
    """A year of ``n_schools`` members, ``n_criteria`` criteria, everyone scoring everyone,
    every score and self-score entered (bulk, for speed)."""
    cluster = f.ClusterFactory(code=code)
    schools = [f.SchoolFactory(code=f"{code}S{i:02d}") for i in range(n_schools)]
    for school in schools:
        f.MembershipFactory(cluster=cluster, school=school)
    year = f.EmulationYearFactory(cluster=cluster, label="2026")
    _table, criteria = make_table(year, big_groups(n_criteria))
    assignments = Assignment.objects.bulk_create(
        [
            Assignment(year=year, scorer=s, target=t, status=AssignmentStatus.SUBMITTED)
            for s in schools
            for t in schools
            if s != t
        ]
    )
    CrossScore.objects.bulk_create(
        [
            CrossScore(assignment=a, criterion=c, points=D((a.pk + c.pk) % 2))
            for a in assignments
            for c in criteria.values()
        ]
    )
    reports = AnnualReport.objects.bulk_create(
        [AnnualReport(year=year, school=s, status=SubmissionStatus.SUBMITTED) for s in schools]
    )
    SelfScore.objects.bulk_create(
        [
            SelfScore(report=r, criterion=c, points=D("1"))
            for r in reports
            for c in criteria.values()
        ]
    )
    return year


RANKING_QUERIES = 10


@pytest.mark.parametrize(("n_schools", "n_criteria"), [(3, 5), (10, 100)])
def test_ranking_in_a_fixed_number_of_queries(
    db, django_assert_max_num_queries, n_schools, n_criteria
):
    year = big_year(n_schools, n_criteria, "BIG")
    with django_assert_max_num_queries(RANKING_QUERIES):
        lines = ranking_lines(year)
    assert len(lines) == n_schools


@pytest.mark.parametrize(("n_schools", "n_criteria"), [(3, 5), (10, 100)])
def test_results_in_a_fixed_number_of_queries(
    db, django_assert_max_num_queries, n_schools, n_criteria
):
    year = big_year(n_schools, n_criteria, "BIG")
    with django_assert_max_num_queries(RANKING_QUERIES + 2):
        results = compute_results(year)
    assert len(results.details) == n_schools
    assert sum(len(d.criteria) for d in results.details) == n_schools * n_criteria
