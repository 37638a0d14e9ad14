"""Criteria table and indicator pages, for every persona."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from evaluations.models import CriteriaTable, Criterion, Indicator, TableReopening
from evaluations.services.criteria import reopen_table
from tests import factories as f
from tests.evaluations.criteria_support import (
    big_rows,
    criterion,
    make_indicators,
    make_table,
    self_score,
    workbook,
)

pytestmark = pytest.mark.django_db

PERSONAS = ["anonymous", "secretariat", "rep_a", "rep_b", "observer", "other_secretariat"]
READERS = {"secretariat", "rep_a", "rep_b", "observer"}


@pytest.fixture
def persona(request, cluster4, other_cluster, client_for):
    """(name, logged-in client) for each persona."""

    def make(name):
        if name == "anonymous":
            return client_for(None)
        if name == "other_secretariat":
            return client_for(other_cluster["secretariat"])
        return client_for(request.getfixturevalue(name))

    return make


def url(name, *args) -> str:
    return reverse(f"evaluations:{name}", args=("CUM4", "2026", *args))


def expect(response, name: str, allowed: set[str], ok: int = 200) -> None:
    if name == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    elif name in allowed:
        assert response.status_code == ok
    else:
        assert response.status_code == 403


# --- every page × every persona --------------------------------------------------------------


@pytest.mark.parametrize("name", PERSONAS)
def test_criteria_page_by_persona(cluster4, persona, name):
    make_table(cluster4.year)

    response = persona(name).get(url("criteria"))

    expect(response, name, READERS)
    if response.status_code == 200:
        page = response.content.decode()
        assert "Hoàn thành kế hoạch đào tạo" in page
        edit_link = url("criteria_edit")
        assert (edit_link in page) is (name == "secretariat")


@pytest.mark.parametrize("name", PERSONAS)
@pytest.mark.parametrize("view", ["criteria_edit", "criteria_import", "criteria_reopen"])
def test_secretariat_only_pages_by_persona(cluster4, persona, name, view):
    make_table(cluster4.year)

    response = persona(name).get(url(view))

    expect(response, name, {"secretariat"})


@pytest.mark.parametrize("name", PERSONAS)
def test_criteria_export_by_persona(cluster4, persona, name):
    make_table(cluster4.year)

    response = persona(name).get(url("criteria_export"))

    expect(response, name, READERS)
    if response.status_code == 200:
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        assert 'filename="criteria-CUM4-2026.xlsx"' in response["Content-Disposition"]


@pytest.mark.parametrize("name", PERSONAS)
def test_indicators_page_by_persona(cluster4, persona, name):
    make_indicators(cluster4.year, 2)

    response = persona(name).get(url("indicators"))

    expect(response, name, READERS)
    if response.status_code == 200:
        page = response.content.decode()
        assert "Lớp đào tạo, bồi dưỡng" in page
        assert ("Add an indicator" in page or "Thêm chỉ tiêu" in page) is (name == "secretariat")


@pytest.mark.parametrize("name", PERSONAS)
def test_add_indicator_by_persona(cluster4, persona, name):
    response = persona(name).post(
        url("indicators"), {"code": "TG", "name": "Thao giảng", "unit": "tiết"}
    )

    expect(response, name, {"secretariat"}, ok=302)
    assert Indicator.objects.filter(code="TG").exists() is (name == "secretariat")


@pytest.mark.parametrize("name", PERSONAS)
def test_copy_by_persona(cluster4, persona, name):
    previous = f.EmulationYearFactory(cluster=cluster4.cluster, label="2025")
    make_table(previous)

    response = persona(name).post(url("criteria_copy"))

    expect(response, name, {"secretariat"}, ok=302)
    assert CriteriaTable.objects.filter(year=cluster4.year).exists() is (name == "secretariat")


@pytest.mark.parametrize("name", PERSONAS)
def test_indicator_delete_by_persona(cluster4, persona, name):
    indicator = make_indicators(cluster4.year, 1)[0]

    response = persona(name).post(url("indicator_delete", indicator.pk))

    expect(response, name, {"secretariat"}, ok=302)
    assert Indicator.objects.filter(pk=indicator.pk).exists() is (name != "secretariat")


def test_unknown_year_is_404(client_for, secretariat):
    response = client_for(secretariat).get(reverse("evaluations:criteria", args=("CUM4", "1999")))

    assert response.status_code == 404


def test_year_label_with_en_dash(cluster4, client_for, secretariat):
    year = f.EmulationYearFactory(cluster=cluster4.cluster, label="2017–2018")
    make_table(year)

    response = client_for(secretariat).get(
        reverse("evaluations:criteria", args=("CUM4", "2017–2018"))
    )

    assert response.status_code == 200
    assert "Hoàn thành kế hoạch đào tạo" in response.content.decode()


def test_criteria_page_shows_group_sums_and_total(cluster4, client_for, rep_a):
    make_table(cluster4.year)

    page = client_for(rep_a).get(url("criteria")).content.decode()

    assert 'data-testid="criteria-total">100<' in page
    assert ">50<" in page  # group 1 = 30 + 20


# --- the editor ------------------------------------------------------------------------------


def editor_data(rows, deductions=(), bonus_cap="5", note="") -> dict:
    data = {
        "rows-TOTAL_FORMS": str(len(rows)),
        "rows-INITIAL_FORMS": "0",
        "rows-MIN_NUM_FORMS": "0",
        "rows-MAX_NUM_FORMS": "1000",
        "deductions-TOTAL_FORMS": str(len(deductions)),
        "deductions-INITIAL_FORMS": "0",
        "deductions-MIN_NUM_FORMS": "0",
        "deductions-MAX_NUM_FORMS": "100",
        "bonus_cap": bonus_cap,
        "note": note,
    }
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"rows-{index}-{key}"] = value
    for index, row in enumerate(deductions):
        for key, value in row.items():
            data[f"deductions-{index}-{key}"] = value
    return data


def current_rows(year) -> list[dict]:
    return [
        {
            "pk": c.pk,
            "order": str(index * 10),
            "code": c.code,
            "title": c.title,
            "max_points": "" if c.max_points is None else str(c.max_points),
        }
        for index, c in enumerate(Criterion.objects.filter(table__year=year).order_by("order"), 1)
    ]


def test_editor_creates_a_table(cluster4, client_for, secretariat):
    rows = [
        {"order": "10", "code": "1", "title": "Đào tạo"},
        {
            "order": "20",
            "code": "1.1",
            "title": "Số lớp",
            "max_points": "60",
            "evidence_required": "on",
        },
        {"order": "30", "code": "1.2", "title": "Học viên", "max_points": "40"},
        {"order": "", "code": "", "title": "", "max_points": ""},
    ]

    response = client_for(secretariat).post(
        url("criteria_edit"),
        editor_data(rows, [{"title": "Nộp chậm", "points": "2"}], bonus_cap="4"),
    )

    assert response.status_code == 302
    assert response["Location"] == url("criteria")
    table = CriteriaTable.objects.get(year=cluster4.year)
    assert table.bonus_cap == Decimal("4")
    assert [c.code for c in table.criteria.order_by("order")] == ["1", "1.1", "1.2"]
    assert criterion(cluster4.year, "1.1").evidence_required is True
    assert list(table.deduction_reasons.values_list("title", flat=True)) == ["Nộp chậm"]


def test_editor_reorders_by_the_order_column(cluster4, client_for, secretariat):
    make_table(cluster4.year)
    rows = current_rows(cluster4.year)
    rows[2]["order"] = "15"  # 1.2 before 1.1

    client_for(secretariat).post(url("criteria_edit"), editor_data(rows))

    assert list(
        Criterion.objects.filter(table__year=cluster4.year)
        .order_by("order")
        .values_list("code", flat=True)
    ) == ["1", "1.2", "1.1", "2", "2.1", "2.2"]


def test_editor_removes_a_row(cluster4, client_for, secretariat):
    make_table(cluster4.year)
    rows = current_rows(cluster4.year)
    rows[5]["remove"] = "on"

    client_for(secretariat).post(url("criteria_edit"), editor_data(rows))

    assert not Criterion.objects.filter(table__year=cluster4.year, code="2.2").exists()


def test_editor_keeps_what_was_typed_on_a_bad_number(cluster4, client_for, secretariat):
    make_table(cluster4.year)
    rows = current_rows(cluster4.year)
    rows[1]["max_points"] = "ba mươi"

    response = client_for(secretariat).post(url("criteria_edit"), editor_data(rows))

    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="ba mươi"' in page
    assert response.context["rows"].forms[1].errors["max_points"]
    assert criterion(cluster4.year, "1.1").max_points == Decimal("30")


def test_editor_shows_structural_problem_at_the_row(cluster4, client_for, secretariat):
    rows = [{"order": "10", "code": "1.1", "title": "Mồ côi", "max_points": "5"}]

    response = client_for(secretariat).post(url("criteria_edit"), editor_data(rows))

    assert response.status_code == 200
    assert "code" in response.context["rows"].forms[0].errors
    assert not CriteriaTable.objects.filter(year=cluster4.year).exists()


def test_editor_refuses_a_changed_maximum_on_a_locked_table(cluster4, client_for, secretariat):
    make_table(cluster4.year)
    self_score(cluster4.year, cluster4.school_a, "1.1")
    rows = current_rows(cluster4.year)
    rows[1]["max_points"] = "35"

    response = client_for(secretariat).post(url("criteria_edit"), editor_data(rows))

    assert response.status_code == 200
    assert response.context["rows"].forms[1].errors["max_points"]
    assert criterion(cluster4.year, "1.1").max_points == Decimal("30")


def test_editor_removing_a_scored_criterion_is_explained(cluster4, client_for, secretariat):
    make_table(cluster4.year)
    self_score(cluster4.year, cluster4.school_a, "1.1")
    rows = current_rows(cluster4.year)
    rows[5]["remove"] = "on"

    response = client_for(secretariat).post(url("criteria_edit"), editor_data(rows))

    assert response.status_code == 200
    assert len(response.context["general_errors"]) == 1
    assert "2.2" in response.context["general_errors"][0]
    assert Criterion.objects.filter(table__year=cluster4.year, code="2.2").exists()


# --- import, reopen --------------------------------------------------------------------------


def test_import_view_lists_problems_and_changes_nothing(cluster4, client_for, secretariat):
    make_table(cluster4.year)
    upload = workbook([("1", "Nhóm", None), ("1.1", "Tiêu chí", "abc")])
    upload.name = "bang.xlsx"

    response = client_for(secretariat).post(url("criteria_import"), {"file": upload})

    assert response.status_code == 200
    assert [(p.row, p.column) for p in response.context["report"].problems] == [(3, "max_points")]
    assert 'data-testid="import-problems"' in response.content.decode()
    assert Criterion.objects.filter(table__year=cluster4.year).count() == 6


def test_import_view_imports_a_good_file(cluster4, client_for, secretariat):
    upload = workbook([("1", "Nhóm", None), ("1.1", "Tiêu chí", 100)])
    upload.name = "bang.xlsx"

    response = client_for(secretariat).post(url("criteria_import"), {"file": upload})

    assert response.status_code == 302
    assert Criterion.objects.filter(table__year=cluster4.year).count() == 2


def test_import_view_refuses_other_extensions(cluster4, client_for, secretariat):
    upload = workbook([("1", "Nhóm", None)])
    upload.name = "bang.csv"

    response = client_for(secretariat).post(url("criteria_import"), {"file": upload})

    assert response.status_code == 200
    assert response.context["form"].errors["file"]


def test_reopen_view_logs_and_page_warns_affected_schools(cluster4, client_for, secretariat, rep_b):
    make_table(cluster4.year)
    self_score(cluster4.year, cluster4.school_b, "1.1")

    response = client_for(secretariat).post(
        url("criteria_reopen"), {"reason": "Học viện điều chỉnh hướng dẫn"}
    )

    assert response.status_code == 302
    reopening = TableReopening.objects.get()
    assert reopening.reason == "Học viện điều chỉnh hướng dẫn"
    page = client_for(rep_b).get(url("criteria")).content.decode()
    assert 'data-testid="reopened-warning"' in page
    assert "Học viện điều chỉnh hướng dẫn" in page
    assert "Trường Chính trị tỉnh B" in page


def test_reopen_view_without_reason_shows_error(cluster4, client_for, secretariat):
    make_table(cluster4.year)
    self_score(cluster4.year, cluster4.school_b, "1.1")

    response = client_for(secretariat).post(url("criteria_reopen"), {"reason": ""})

    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    assert not TableReopening.objects.exists()


def test_close_view_locks_the_table(cluster4, client_for, secretariat):
    table = make_table(cluster4.year)
    self_score(cluster4.year, cluster4.school_b, "1.1")
    reopen_table(table=table, by=secretariat, reason="Điều chỉnh")

    response = client_for(secretariat).post(url("criteria_close"))

    assert response.status_code == 302
    table.refresh_from_db()
    assert table.reopened is False


def test_close_view_is_forbidden_to_representatives(cluster4, client_for, rep_a, secretariat):
    table = make_table(cluster4.year)
    self_score(cluster4.year, cluster4.school_b, "1.1")
    reopen_table(table=table, by=secretariat, reason="Điều chỉnh")

    response = client_for(rep_a).post(url("criteria_close"))

    assert response.status_code == 403
    table.refresh_from_db()
    assert table.reopened is True


def test_indicator_edit_and_move(cluster4, client_for, secretariat):
    first, second = make_indicators(cluster4.year, 2)
    client = client_for(secretariat)

    response = client.post(
        url("indicator_edit", second.pk), {"code": "HV", "name": "Lượt học viên", "unit": "lượt"}
    )
    client.post(url("indicator_move", second.pk), {"direction": "up"})

    assert response.status_code == 302
    assert list(
        Indicator.objects.filter(year=cluster4.year)
        .order_by("order")
        .values_list("name", flat=True)
    ) == ["Lượt học viên", "Lớp đào tạo, bồi dưỡng"]


# --- query counts ----------------------------------------------------------------------------


@pytest.mark.parametrize("count", [10, 100])
def test_criteria_page_queries_do_not_grow(
    cluster4, client_for, rep_a, count, django_assert_max_num_queries
):
    table = make_table(cluster4.year, rows=big_rows(count))
    for index in range(5):
        table.deduction_reasons.create(title=f"Lý do {index}", points=Decimal("1"))
    self_score(cluster4.year, cluster4.school_b, "1.1")
    client = client_for(rep_a)

    with django_assert_max_num_queries(14):
        response = client.get(url("criteria"))

    assert response.context["page"].criteria_count == count


@pytest.mark.parametrize("count", [10, 100])
def test_criteria_editor_queries_do_not_grow(
    cluster4, client_for, secretariat, count, django_assert_max_num_queries
):
    make_table(cluster4.year, rows=big_rows(count))
    client = client_for(secretariat)

    with django_assert_max_num_queries(14):
        response = client.get(url("criteria_edit"))

    assert response.status_code == 200
