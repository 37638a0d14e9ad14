"""Criteria table services: saving, the lock rule, reopening, copying, indicators."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from cluster.models import EmulationYear
from evaluations.models import (
    CriteriaTable,
    Criterion,
    DeductionReason,
    Indicator,
    PledgeTarget,
    SelfScore,
    TableReopening,
)
from evaluations.services import criteria as services
from evaluations.services.criteria import (
    CriteriaTableInvalid,
    DeductionSpec,
    RowSpec,
    parse_decimal,
)
from tests import factories as f
from tests.evaluations.criteria_support import (
    STANDARD,
    criterion,
    make_indicators,
    make_table,
    self_score,
    specs,
)


@pytest.fixture(autouse=True)
def _messages_in_english():
    """These tests read the services' messages in their source language."""
    with translation.override("en"):
        yield


pytestmark = pytest.mark.django_db


def codes(year) -> list[str]:
    return list(
        Criterion.objects.filter(table__year=year).order_by("order").values_list("code", flat=True)
    )


def problems_of(call) -> list[tuple]:
    with pytest.raises(CriteriaTableInvalid) as info:
        call()
    return [(p.row, p.column) for p in info.value.problems]


# --- parse_decimal ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12", Decimal("12")),
        ("2,5", Decimal("2.5")),
        ("2.5", Decimal("2.5")),
        ("1.234", Decimal("1234")),
        ("1.234,5", Decimal("1234.5")),
        (" 7 ", Decimal("7")),
        ("", None),
        (None, None),
        (2.5, Decimal("2.5")),
        (3, Decimal("3")),
    ],
)
def test_parse_decimal_reads_vietnamese_and_plain_numbers(text, expected):
    assert parse_decimal(text) == expected


@pytest.mark.parametrize("text", ["abc", "1,2,3", "12a", "--1", "1e3"])
def test_parse_decimal_refuses_text(text):
    with pytest.raises(ValueError):
        parse_decimal(text)


# --- saving ----------------------------------------------------------------------------------


def test_save_table_creates_groups_criteria_and_deductions(cluster4, secretariat):
    table = make_table(cluster4.year, by=secretariat)

    assert codes(cluster4.year) == ["1", "1.1", "1.2", "2", "2.1", "2.2"]
    assert criterion(cluster4.year, "1.2").parent == criterion(cluster4.year, "1")
    assert criterion(cluster4.year, "1").max_points is None
    assert table.bonus_cap == Decimal("5")
    assert list(table.deduction_reasons.values_list("title", "points")) == [
        ("Nộp báo cáo chậm", Decimal("2.00")),
        ("Vi phạm kỷ luật", Decimal("5.00")),
    ]


def test_save_table_keeps_ids_of_rows_matched_by_code(cluster4):
    make_table(cluster4.year)
    before = {c.code: c.pk for c in Criterion.objects.filter(table__year=cluster4.year)}
    rows = [*STANDARD[:3], ("1.3", "Bồi dưỡng trực tuyến", Decimal("5")), *STANDARD[3:]]

    changes = services.save_criteria_table(
        year=cluster4.year, by=None, rows=specs(rows), match_codes_only=True
    )

    after = {c.code: c.pk for c in Criterion.objects.filter(table__year=cluster4.year)}
    assert {code: after[code] for code in before} == before
    assert changes.created == 1


def test_save_table_second_time_changes_nothing(cluster4):
    make_table(cluster4.year)

    changes = services.save_criteria_table(year=cluster4.year, by=None, rows=specs())

    assert (changes.created, changes.updated, changes.deleted) == (0, 0, 0)
    assert changes.unchanged == 6


def test_save_table_swaps_codes_by_id(cluster4):
    make_table(cluster4.year)
    first, second = criterion(cluster4.year, "1.1"), criterion(cluster4.year, "1.2")
    rows = [
        RowSpec(line=1, code="1", title="Đào tạo", pk=criterion(cluster4.year, "1").pk),
        RowSpec(line=2, code="1.2", title=first.title, max_points=Decimal("30"), pk=first.pk),
        RowSpec(line=3, code="1.1", title=second.title, max_points=Decimal("20"), pk=second.pk),
    ]

    services.save_criteria_table(year=cluster4.year, by=None, rows=rows)

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.code, second.code) == ("1.2", "1.1")
    assert codes(cluster4.year) == ["1", "1.2", "1.1"]


def test_save_table_removes_missing_rows(cluster4):
    make_table(cluster4.year)

    changes = services.save_criteria_table(year=cluster4.year, by=None, rows=specs(STANDARD[:3]))

    assert codes(cluster4.year) == ["1", "1.1", "1.2"]
    assert changes.deleted == 3


def test_save_table_lists_every_problem_by_row_and_column(cluster4):
    rows = [
        ("1", "Đào tạo", Decimal("40")),
        ("1.1", "", Decimal("30")),
        ("1.1", "Trùng mã", Decimal("5")),
        ("3.1", "Không có nhóm", Decimal("5")),
        ("1.2", "Âm", Decimal("-1")),
        ("1.3", "Không có điểm", None),
    ]

    found = problems_of(
        lambda: services.save_criteria_table(year=cluster4.year, by=None, rows=specs(rows))
    )

    assert found == [
        (3, "title"),
        (4, "code"),
        (6, "max_points"),
        (7, "max_points"),
        (5, "code"),
        (2, "max_points"),
    ]
    assert not CriteriaTable.objects.filter(year=cluster4.year).exists()


def test_save_table_accepts_group_maximum_equal_to_sum(cluster4):
    rows = [("1", "Đào tạo", Decimal("50")), *STANDARD[1:3]]

    services.save_criteria_table(year=cluster4.year, by=None, rows=specs(rows))

    assert codes(cluster4.year) == ["1", "1.1", "1.2"]


def test_save_table_refuses_deduction_in_use(cluster4):
    from evaluations.models import AnnualReport, DeclaredDeduction

    table = make_table(cluster4.year)
    reason = table.deduction_reasons.first()
    report = AnnualReport.objects.create(year=cluster4.year, school=cluster4.school_a)
    DeclaredDeduction.objects.create(report=report, reason=reason, points=Decimal("2"))

    with pytest.raises(CriteriaTableInvalid) as info:
        services.save_criteria_table(year=cluster4.year, by=None, rows=specs(), deductions=[])

    assert [p.column for p in info.value.problems] == ["reason"]
    assert DeductionReason.objects.filter(pk=reason.pk).exists()


# --- the lock rule ---------------------------------------------------------------------------


def test_table_without_scores_is_not_locked(cluster4):
    table = make_table(cluster4.year)
    self_score(cluster4.year, cluster4.school_a, "1.1", points=None)

    assert services.table_is_locked(table) is False


def test_table_with_a_self_score_is_locked(cluster4):
    table = make_table(cluster4.year)
    self_score(cluster4.year, cluster4.school_a, "1.1")

    assert services.table_is_locked(table) is True


def test_locked_table_refuses_changing_a_maximum(cluster4):
    make_table(cluster4.year)
    self_score(cluster4.year, cluster4.school_a, "1.1")
    rows = [*STANDARD[:1], ("1.1", "Hoàn thành kế hoạch đào tạo", Decimal("35")), *STANDARD[2:]]

    with pytest.raises(CriteriaTableInvalid) as info:
        services.save_criteria_table(year=cluster4.year, by=None, rows=specs(rows))

    assert [(p.row, p.column) for p in info.value.problems] == [(3, "max_points")]
    assert "reopen" in info.value.problems[0].message
    assert criterion(cluster4.year, "1.1").max_points == Decimal("30")


def test_locked_table_refuses_removing_a_criterion(cluster4):
    make_table(cluster4.year)
    self_score(cluster4.year, cluster4.school_a, "1.1")

    with pytest.raises(CriteriaTableInvalid) as info:
        services.save_criteria_table(year=cluster4.year, by=None, rows=specs(STANDARD[:5]))

    assert [(p.row, p.column) for p in info.value.problems] == [(None, "code")]
    assert "2.2" in info.value.problems[0].message
    assert Criterion.objects.filter(table__year=cluster4.year).count() == 6


def test_locked_table_refuses_adding_a_criterion(cluster4):
    make_table(cluster4.year)
    self_score(cluster4.year, cluster4.school_a, "1.1")

    with pytest.raises(CriteriaTableInvalid):
        services.save_criteria_table(
            year=cluster4.year, by=None, rows=specs([*STANDARD, ("2.3", "Mới", Decimal("1"))])
        )

    assert Criterion.objects.filter(table__year=cluster4.year).count() == 6


def test_locked_table_still_accepts_title_changes(cluster4):
    make_table(cluster4.year)
    self_score(cluster4.year, cluster4.school_a, "1.1")
    rows = [*STANDARD[:1], ("1.1", "Tên mới của tiêu chí", Decimal("30")), *STANDARD[2:]]

    services.save_criteria_table(year=cluster4.year, by=None, rows=specs(rows))

    assert criterion(cluster4.year, "1.1").title == "Tên mới của tiêu chí"


# --- reopening -------------------------------------------------------------------------------


def test_reopen_logs_reason_and_affected_schools(cluster4, secretariat):
    table = make_table(cluster4.year)
    self_score(cluster4.year, cluster4.school_b, "1.1")
    self_score(cluster4.year, cluster4.school_a, "2.1")

    reopening = services.reopen_table(table=table, by=secretariat, reason="Sửa điểm tối đa 1.1")

    table.refresh_from_db()
    assert table.reopened is True
    assert reopening.reason == "Sửa điểm tối đa 1.1"
    assert reopening.reopened_by == secretariat
    assert [s.code for s in reopening.affected_schools.order_by("code")] == ["SCA", "SCB"]
    assert services.table_is_locked(table) is False


def test_reopened_table_allows_changing_a_maximum(cluster4, secretariat):
    table = make_table(cluster4.year)
    self_score(cluster4.year, cluster4.school_a, "1.1")
    services.reopen_table(table=table, by=secretariat, reason="Điều chỉnh")
    rows = [*STANDARD[:1], ("1.1", "Hoàn thành kế hoạch đào tạo", Decimal("35")), *STANDARD[2:]]

    services.save_criteria_table(year=cluster4.year, by=secretariat, rows=specs(rows))

    assert criterion(cluster4.year, "1.1").max_points == Decimal("35")


def test_reopen_requires_a_reason(cluster4, secretariat):
    table = make_table(cluster4.year)
    self_score(cluster4.year, cluster4.school_a, "1.1")

    with pytest.raises(ValidationError) as info:
        services.reopen_table(table=table, by=secretariat, reason="  ")

    assert "reason" in info.value.message_dict
    assert TableReopening.objects.count() == 0


def test_reopen_is_refused_without_scores(cluster4, secretariat):
    table = make_table(cluster4.year)

    with pytest.raises(ValidationError) as info:
        services.reopen_table(table=table, by=secretariat, reason="Thử")

    assert info.value.code == "not_locked"


def test_close_table_locks_again(cluster4, secretariat):
    table = make_table(cluster4.year)
    self_score(cluster4.year, cluster4.school_a, "1.1")
    services.reopen_table(table=table, by=secretariat, reason="Điều chỉnh")

    services.close_table(table=table, by=secretariat)

    table.refresh_from_db()
    assert services.table_is_locked(table) is True


# --- copy from the previous year -------------------------------------------------------------


@pytest.fixture
def year_2025(cluster4):
    return f.EmulationYearFactory(cluster=cluster4.cluster, label="2025")


def test_copy_from_previous_year_copies_rows_bonus_deductions_indicators(
    cluster4, year_2025, secretariat
):
    make_table(year_2025, bonus_cap=Decimal("4"))
    make_indicators(year_2025, 3)

    table = services.copy_table_from_previous_year(year=cluster4.year, by=secretariat)

    assert codes(cluster4.year) == ["1", "1.1", "1.2", "2", "2.1", "2.2"]
    assert table.bonus_cap == Decimal("4")
    assert table.deduction_reasons.count() == 2
    assert list(Indicator.objects.filter(year=cluster4.year).values_list("code", flat=True)) == [
        "LOP",
        "HV",
        "DT",
    ]
    # The source is untouched.
    assert Criterion.objects.filter(table__year=year_2025).count() == 6


def test_copy_keeps_existing_indicators(cluster4, year_2025):
    make_table(year_2025)
    make_indicators(year_2025, 2)
    Indicator.objects.create(year=cluster4.year, code="LOP", name="Lớp riêng", unit="lớp")

    services.copy_table_from_previous_year(year=cluster4.year, by=None)

    assert Indicator.objects.get(year=cluster4.year, code="LOP").name == "Lớp riêng"
    assert Indicator.objects.filter(year=cluster4.year).count() == 2


def test_copy_is_refused_when_target_has_scores(cluster4, year_2025):
    make_table(year_2025, rows=STANDARD[:3])
    make_table(cluster4.year)
    self_score(cluster4.year, cluster4.school_a, "2.1")

    with pytest.raises(ValidationError) as info:
        services.copy_table_from_previous_year(year=cluster4.year, by=None)

    assert info.value.code == "scored"
    assert Criterion.objects.filter(table__year=cluster4.year).count() == 6


def test_copy_is_refused_without_a_previous_table(cluster4):
    with pytest.raises(ValidationError) as info:
        services.copy_table_from_previous_year(year=cluster4.year, by=None)

    assert info.value.code == "no_previous"


def test_copy_ignores_years_of_other_clusters(cluster4, other_cluster):
    other_year = EmulationYear.objects.get(cluster=other_cluster["cluster"])
    other_year.start_date = dt.date(2025, 1, 1)
    other_year.end_date = dt.date(2025, 12, 31)
    other_year.save()
    make_table(other_year)

    with pytest.raises(ValidationError):
        services.copy_table_from_previous_year(year=cluster4.year, by=None)


# --- indicators ------------------------------------------------------------------------------


def test_save_indicator_appends_at_the_end(cluster4):
    make_indicators(cluster4.year, 2)

    indicator = services.save_indicator(
        indicator=Indicator(year=cluster4.year, code="HT", name="Hội thảo", unit="cuộc"), by=None
    )

    assert indicator.order == 3


def test_save_indicator_refuses_duplicate_code(cluster4):
    make_indicators(cluster4.year, 1)

    with pytest.raises(ValidationError) as info:
        services.save_indicator(
            indicator=Indicator(year=cluster4.year, code="LOP", name="Khác", unit="lớp"), by=None
        )

    assert list(info.value.message_dict) == ["code"]


def _use(indicator, school):
    from evaluations.models import Pledge

    pledge, _ = Pledge.objects.get_or_create(year=indicator.year, school=school)
    PledgeTarget.objects.create(pledge=pledge, indicator=indicator, target=Decimal("3"))


def test_used_indicator_cannot_be_deleted(cluster4):
    indicator = make_indicators(cluster4.year, 1)[0]
    _use(indicator, cluster4.school_a)

    with pytest.raises(ValidationError):
        services.delete_indicator(indicator=indicator, by=None)

    assert Indicator.objects.filter(pk=indicator.pk).exists()


def test_unused_indicator_is_deleted(cluster4):
    indicator = make_indicators(cluster4.year, 1)[0]

    services.delete_indicator(indicator=indicator, by=None)

    assert not Indicator.objects.filter(pk=indicator.pk).exists()


def test_used_indicator_keeps_its_unit_but_name_can_change(cluster4):
    indicator = make_indicators(cluster4.year, 1)[0]
    _use(indicator, cluster4.school_a)
    indicator.unit = "khóa"

    with pytest.raises(ValidationError) as info:
        services.save_indicator(indicator=indicator, by=None)
    assert list(info.value.message_dict) == ["unit"]

    indicator = Indicator.objects.get(pk=indicator.pk)
    indicator.name = "Lớp bồi dưỡng"
    services.save_indicator(indicator=indicator, by=None)
    assert Indicator.objects.get(pk=indicator.pk).name == "Lớp bồi dưỡng"


def test_move_indicator_up_swaps_order(cluster4):
    first, second, third = make_indicators(cluster4.year, 3)

    services.move_indicator(indicator=third, by=None, up=True)

    assert list(
        Indicator.objects.filter(year=cluster4.year)
        .order_by("order")
        .values_list("code", flat=True)
    ) == ["LOP", "DT", "HV"]


def test_self_scores_survive_a_reimport_of_the_same_rows(cluster4):
    make_table(cluster4.year)
    score = self_score(cluster4.year, cluster4.school_a, "1.1")

    services.save_criteria_table(year=cluster4.year, by=None, rows=specs(), match_codes_only=True)

    assert SelfScore.objects.get(pk=score.pk).criterion.code == "1.1"


def test_deduction_specs_replace_reasons_by_title(cluster4):
    table = make_table(cluster4.year)
    kept = table.deduction_reasons.get(title="Nộp báo cáo chậm")

    services.save_criteria_table(
        year=cluster4.year,
        by=None,
        rows=specs(),
        deductions=[DeductionSpec(line=2, title="Nộp báo cáo chậm", points=Decimal("3"))],
        match_codes_only=True,
    )

    assert list(table.deduction_reasons.values_list("pk", "points")) == [(kept.pk, Decimal("3"))]
