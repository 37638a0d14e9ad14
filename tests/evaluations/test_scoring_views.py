"""Cross-scoring pages: what they do and show, and their query counts at two sizes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse

from accounts.enums import Role
from evaluations.enums import AssignmentStatus, ResultsStage
from evaluations.models import (
    AnnualReport,
    Assignment,
    BonusClaim,
    CrossScore,
    ImposedDeduction,
    Objection,
    ScoringSettings,
)
from evaluations.services import scoring as services
from tests import factories as f

from .test_ranking import big_year
from .test_scoring_support import (  # noqa: F401  (fixtures)
    assign_all,
    make_assignment,
    publish,
    world_fixture,
)

D = Decimal


def year_url(name: str, code: str = "CUM4", label: str = "2026") -> str:
    return reverse(f"evaluations:{name}", kwargs={"code": code, "label": label})


def assignment_url(assignment) -> str:
    return reverse("evaluations:scoring_assignment", kwargs={"pk": assignment.pk})


# --- setup -------------------------------------------------------------------------------------


def test_settings_form_saves(world, secretariat, client_for):
    response = client_for(secretariat).post(
        year_url("scoring_setup"),
        {
            "method": "median",
            "mode": "rotation",
            "scorers_per_school": "1",
            "gap_threshold_percent": "15",
            "comment_window_days": "5",
        },
    )
    assert response.status_code == 302
    settings = ScoringSettings.objects.get(year=world.year)
    assert (settings.method, settings.mode, settings.scorers_per_school) == (
        "median",
        "rotation",
        1,
    )


def test_settings_form_keeps_input_on_error(world, secretariat, client_for):
    response = client_for(secretariat).post(
        year_url("scoring_setup"),
        {
            "method": "median",
            "mode": "all",
            "scorers_per_school": "2",
            "gap_threshold_percent": "150",
            "comment_window_days": "5",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["gap_threshold_percent"]
    assert 'value="150"' in response.content.decode()
    assert not ScoringSettings.objects.filter(year=world.year).exists()


def test_generate_button_creates_assignments(world, secretariat, client_for):
    client = client_for(secretariat)
    response = client.post(year_url("scoring_generate"), follow=True)
    assert Assignment.objects.filter(year=world.year).count() == 6
    assert response.content.decode().count('data-testid="assignment"') == 6


def test_add_assignment_refuses_self_with_a_message(world, secretariat, client_for):
    response = client_for(secretariat).post(
        year_url("scoring_assignment_add"),
        {"scorer": world.a.pk, "target": world.a.pk},
        follow=True,
    )
    assert Assignment.objects.count() == 0
    assert len(list(response.context["messages"])) == 1


def test_conflict_and_reassign_through_the_pages(world, secretariat, rep_a, client_for):
    assignment = make_assignment(world.year, world.a, world.b, status="not_started")
    response = client_for(rep_a).post(
        reverse("evaluations:scoring_conflict", kwargs={"pk": assignment.pk}),
        {"reason": "Hiệu trưởng hai trường là anh em"},
    )
    assert response.status_code == 302
    setup = client_for(secretariat).get(year_url("scoring_setup")).content.decode()
    assert "Hiệu trưởng hai trường là anh em" in setup
    response = client_for(secretariat).post(
        reverse("evaluations:scoring_reassign", kwargs={"pk": assignment.pk}),
        {"scorer": world.c.pk},
    )
    assert response.status_code == 302
    assert Assignment.objects.get(pk=assignment.pk).scorer == world.c


# --- scoring form --------------------------------------------------------------------------------


def form_data(world, action="save", **points) -> dict:
    data = {"action": action}
    for code, value in points.items():
        criterion = world.criteria[code.replace("_", ".")]
        data[f"points_{criterion.pk}"] = value
        data[f"comment_{criterion.pk}"] = f"Nhận xét {criterion.code}"
    return data


def test_scoring_form_saves_a_draft(world, rep_a, client_for):
    assignment = make_assignment(world.year, world.a, world.b, status="not_started")
    response = client_for(rep_a).post(
        assignment_url(assignment), form_data(world, **{"1_1": "7.5"})
    )
    assert response.status_code == 302
    assert CrossScore.objects.get(assignment=assignment).points == D("7.50")
    assert Assignment.objects.get(pk=assignment.pk).status == AssignmentStatus.DRAFT


def test_scoring_form_error_at_the_field_keeps_what_was_typed(world, rep_a, client_for):
    assignment = make_assignment(world.year, world.a, world.b, status="not_started")
    response = client_for(rep_a).post(
        assignment_url(assignment), form_data(world, **{"1_1": "7", "1_2": "12"})
    )
    assert response.status_code == 200
    page = response.content.decode()
    field = f"points_{world.criteria['1.2'].pk}"
    assert response.context["form"].errors[field]
    assert 'value="12"' in page and 'value="7"' in page
    assert "is-invalid" in page
    assert not CrossScore.objects.exists()


def test_scoring_form_submit_needs_all_and_then_submits(world, rep_a, client_for):
    assignment = make_assignment(world.year, world.a, world.b, status="not_started")
    client = client_for(rep_a)
    response = client.post(assignment_url(assignment), form_data(world, "submit", **{"1_1": "7"}))
    assert response.status_code == 200
    assert Assignment.objects.get(pk=assignment.pk).status == AssignmentStatus.NOT_STARTED
    response = client.post(
        assignment_url(assignment),
        form_data(world, "submit", **{"1_1": "7", "1_2": "4.25", "2_1": "16"}),
    )
    assert response.status_code == 302
    assert response["Location"] == year_url("scoring_my_targets")
    assignment.refresh_from_db()
    assert (assignment.status, assignment.submitted_by_id) == (AssignmentStatus.SUBMITTED, rep_a.pk)
    page = client.get(assignment_url(assignment)).content.decode()
    assert 'name="points_' not in page


# --- progress and reminders ----------------------------------------------------------------------


def test_progress_matrix_states(world, secretariat, client_for):
    make_assignment(world.year, world.a, world.b, status="not_started")
    make_assignment(world.year, world.a, world.c, status="draft")
    done = make_assignment(world.year, world.b, world.a)
    Assignment.objects.filter(pk=done.pk).update(is_late=True)
    make_assignment(world.year, world.c, world.a)
    page = client_for(secretariat).get(year_url("scoring_progress")).content.decode()
    for state, count in (("not_started", 1), ("draft", 1), ("late", 1), ("submitted", 1)):
        assert page.count(f'data-state="{state}"') == count, state


def test_reminder_through_the_page(
    world, secretariat, rep_a, rep_b, client_for, django_capture_on_commit_callbacks
):
    make_assignment(world.year, world.a, world.b, status="not_started")
    make_assignment(world.year, world.b, world.a, status="draft")
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(secretariat).post(
            year_url("scoring_remind"), {"schools": [world.b.pk]}
        )
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [[rep_b.email]]


# --- results -------------------------------------------------------------------------------------


def test_results_page_shows_ranking_and_preview_banner(world, secretariat, client_for):
    assign_all(world)
    response = client_for(secretariat).get(year_url("scoring_results"))
    page = response.content.decode()
    assert 'data-testid="preview-banner"' in page
    rows = [
        (line.rank, line.school_code, line.total)
        for line, _detail, _tied in response.context["ranking_rows"]
    ]
    assert rows == [(1, "SCA", D("28.50")), (2, "SCB", D("27.50")), (3, "SCC", D("19.00"))]
    assert "28,50" in page  # Vietnamese number format


def test_results_page_marks_ties(world, secretariat, client_for):
    assign_all(world)
    CrossScore.objects.filter(
        assignment__scorer=world.a, assignment__target=world.b, criterion=world.criteria["1.1"]
    ).update(points=D("10"))
    response = client_for(secretariat).get(year_url("scoring_results"))
    assert [(line.rank, tied) for line, _d, tied in response.context["ranking_rows"]] == [
        (1, True),
        (1, True),
        (3, False),
    ]


def test_results_page_flags_gaps_and_filters(world, secretariat, client_for):
    assign_all(world)
    response = client_for(secretariat).get(year_url("scoring_results") + "?school=SCA&flagged=1")
    detail_rows = response.context["detail_rows"]
    assert [d.school.code for d, _rows in detail_rows] == ["SCA"]
    # A: self 10/4/18 vs cross 8/3.5/17 → gaps 2 (>1), 0.5 (≤0.5), 1 (≤2)
    assert [c.criterion.code for c in detail_rows[0][1]] == ["1.1"]


def test_results_page_stability_marks_rank_changes(world, secretariat, client_for):
    assign_all(world)
    d = f.SchoolFactory(code="SCD")
    f.MembershipFactory(cluster=world.cluster, school=d)
    make_assignment(
        world.year, d, world.a, scores={"1.1": "0", "1.2": "0", "2.1": "0"}, criteria=world.criteria
    )
    page = client_for(secretariat).get(year_url("scoring_results")).content.decode()
    # mean: B 27.5, A 19, C 19 (A and C tie 2nd); median and trimmed: B 27.5, A 26, C 19
    assert 'data-school="SCC" class="table-warning" data-changes="1"' in page
    assert 'data-school="SCA" class="table-warning"' not in page


def test_results_after_freeze_show_the_fingerprint(world, secretariat, rep_b, client_for):
    assign_all(world)
    services.publish_results(year=world.year, by=secretariat)
    services.freeze_results(year=world.year, by=secretariat)
    fingerprint = ScoringSettings.objects.get(year=world.year).fingerprint
    page = client_for(rep_b).get(year_url("scoring_results")).content.decode()
    assert 'data-testid="frozen-banner"' in page
    assert fingerprint in page
    assert "sha256sum" in page


def test_publish_and_freeze_through_the_pages(world, secretariat, client_for):
    assign_all(world)
    client = client_for(secretariat)
    assert client.post(year_url("scoring_publish")).status_code == 302
    assert ScoringSettings.objects.get(year=world.year).stage == ResultsStage.PUBLISHED
    hub = client.get(year_url("scoring_year")).content.decode()
    assert "data-confirm=" in hub and 'data-testid="freeze"' in hub
    assert client.post(year_url("scoring_freeze")).status_code == 302
    assert ScoringSettings.objects.get(year=world.year).stage == ResultsStage.FROZEN


def test_freeze_with_open_objection_shows_a_message(world, secretariat, rep_b, client_for):
    assign_all(world)
    services.publish_results(year=world.year, by=secretariat)
    services.raise_objection(
        year=world.year, school=world.b, target=world.a, criterion=None, text="x", by=rep_b
    )
    response = client_for(secretariat).post(year_url("scoring_freeze"), follow=True)
    assert ScoringSettings.objects.get(year=world.year).stage == ResultsStage.PUBLISHED
    assert len(list(response.context["messages"])) == 1


def test_csv_export_other_method(world, secretariat, client_for):
    assign_all(world)
    response = client_for(secretariat).get(year_url("scoring_ranking_csv") + "?method=median")
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.decode().splitlines()[0] == (
        "rank,school_code,school_name,criteria_points,bonus,deductions,total"
    )
    assert "median" in response["Content-Disposition"]


def test_csv_export_unknown_method_falls_back_to_the_years(world, secretariat, client_for):
    assign_all(world)
    response = client_for(secretariat).get(year_url("scoring_ranking_csv") + "?method=evil")
    assert response.status_code == 200
    assert "mean" in response["Content-Disposition"]


# --- objections and approvals --------------------------------------------------------------------


def test_representative_raises_and_secretariat_answers(world, secretariat, rep_b, client_for):
    assign_all(world)
    publish(world.year)
    response = client_for(rep_b).post(
        year_url("scoring_objections"),
        {
            "target": world.b.pk,
            "criterion": world.criteria["2.1"].pk,
            "text": "Đề nghị xem lại điểm tiêu chí 2.1.",
        },
    )
    assert response.status_code == 302
    objection = Objection.objects.get()
    assert (objection.school, objection.raised_by) == (world.b, rep_b)
    response = client_for(secretariat).post(
        reverse("evaluations:scoring_objection_answer", kwargs={"pk": objection.pk}),
        {f"o{objection.pk}-answer": "Đã xem xét, giữ nguyên điểm."},
    )
    assert response.status_code == 302
    objection.refresh_from_db()
    assert objection.status == "answered"


def test_objection_form_errors_keep_the_text(world, rep_b, client_for):
    publish(world.year)
    response = client_for(rep_b).post(
        year_url("scoring_objections"), {"target": "", "text": "Nội dung kiến nghị"}
    )
    assert response.status_code == 200
    assert "Nội dung kiến nghị" in response.content.decode()
    assert not Objection.objects.exists()


def test_approvals_page_approves_bonus_and_logs(world, secretariat, client_for):
    claim = BonusClaim.objects.create(report=world.reports["SCA"], points=D("3"), reason="Hội thảo")
    client = client_for(secretariat)
    response = client.post(
        reverse("evaluations:scoring_approve_bonus", kwargs={"pk": claim.pk}),
        {"approved_points": "2.5"},
    )
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.approved_points == D("2.50")
    page = client.get(year_url("scoring_approvals")).content.decode()
    assert page.count("<li>") >= 1 and "SCA" in page


def test_impose_deduction_through_the_page(world, secretariat, client_for):
    response = client_for(secretariat).post(
        year_url("scoring_impose_deduction"),
        {"school": world.c.pk, "points": "1.5", "explanation": "Nộp báo cáo chậm 5 ngày"},
    )
    assert response.status_code == 302
    assert ImposedDeduction.objects.get().points == D("1.50")


# --- dashboard -----------------------------------------------------------------------------------


def test_dashboard_sections_for_a_representative(world, rep_a, rf):
    from evaluations.dashboard_scoring import sections

    make_assignment(world.year, world.a, world.b, status="not_started")
    result = sections(rf.get("/"), rep_a)
    assert len(result) == 1
    assert result[0].context["items"][0].url == year_url("scoring_my_targets")


def test_dashboard_sections_for_the_secretariat(world, secretariat, rf):
    from evaluations.dashboard_scoring import sections

    assign_all(world)
    ScoringSettings.objects.create(year=world.year)
    items = sections(rf.get("/"), secretariat)[0].context["items"]
    assert "6" in items[0].text and items[0].url == year_url("scoring_progress")


def test_dashboard_sections_empty_for_an_observer_without_results(world, observer, rf):
    from evaluations.dashboard_scoring import sections

    assert sections(rf.get("/"), observer) == []


# --- query counts --------------------------------------------------------------------------------


def big_world(n_schools: int, n_criteria: int):
    year = big_year(n_schools, n_criteria, "BIG")
    secretariat = f.UserFactory(
        email="big.secretariat@example.vn", role=Role.SECRETARIAT, cluster=year.cluster
    )
    first = year.cluster.memberships.order_by("school__code").first().school
    representative = f.UserFactory(
        email="big.rep@example.vn", role=Role.REPRESENTATIVE, school=first
    )
    Assignment.objects.filter(year=year, scorer=first).update(status=AssignmentStatus.DRAFT)
    for report in AnnualReport.objects.filter(year=year):
        BonusClaim.objects.create(report=report, points=D("1"), reason="x")
    Objection.objects.bulk_create(
        [Objection(year=year, school=first, target=first, text=f"{i}") for i in range(n_schools)]
    )
    return year, secretariat, representative, first


# Each bound includes about seven queries of the shared layout (session, user, navigation,
# permissions); the same bound holds for the small and the ten-times-larger year.
PAGE_BOUNDS = {
    "scoring_year": 15,
    "scoring_setup": 19,
    "scoring_progress": 15,
    "scoring_results": 25,
    "scoring_objections": 17,
    "scoring_approvals": 29,
    "scoring_my_targets": 17,
}


@pytest.mark.parametrize("size", [(3, 5), (10, 100)])
@pytest.mark.parametrize("page", list(PAGE_BOUNDS))
def test_pages_load_in_a_fixed_number_of_queries(
    db, client_for, django_assert_max_num_queries, size, page
):
    year, secretariat, representative, _first = big_world(*size)
    user = representative if page == "scoring_my_targets" else secretariat
    client = client_for(user)
    url = year_url(page, code=year.cluster.code, label=year.label)
    with django_assert_max_num_queries(PAGE_BOUNDS[page]):
        response = client.get(url)
    assert response.status_code == 200


@pytest.mark.parametrize("size", [(3, 5), (10, 100)])
def test_scoring_form_loads_in_a_fixed_number_of_queries(
    db, client_for, django_assert_max_num_queries, size
):
    year, _secretariat, representative, first = big_world(*size)
    assignment = Assignment.objects.filter(year=year, scorer=first).first()
    client = client_for(representative)
    with django_assert_max_num_queries(21):
        response = client.get(assignment_url(assignment))
    assert response.status_code == 200
    assert response.content.decode().count('data-testid="criterion-row"') == size[1]


@pytest.mark.parametrize("size", [(3, 5), (10, 100)])
def test_results_page_as_a_member_after_publication(
    db, client_for, django_assert_max_num_queries, size
):
    year, _secretariat, representative, _first = big_world(*size)
    publish(year, until=dt.date.today())
    client = client_for(representative)
    with django_assert_max_num_queries(27):
        response = client.get(year_url("scoring_results", code=year.cluster.code, label=year.label))
    assert response.status_code == 200
    assert response.content.decode().count('data-testid="ranking-row"') == size[0]


# --- the assignments list: filter and export -------------------------------------------------


def test_assignments_list_filters_by_status(world, secretariat, client_for):
    make_assignment(world.year, world.a, world.b, status="draft")
    make_assignment(world.year, world.b, world.a)
    page = client_for(secretariat).get(year_url("scoring_setup") + "?status=draft")
    assert [(a.scorer.code, a.target.code) for a in page.context["assignments"]] == [("SCA", "SCB")]


def test_assignments_export_uses_the_filter(world, secretariat, client_for):
    from io import BytesIO

    from openpyxl import load_workbook

    make_assignment(world.year, world.a, world.b, status="draft")
    make_assignment(world.year, world.b, world.a)
    response = client_for(secretariat).get(
        year_url("scoring_assignments_export") + f"?scorer={world.b.pk}"
    )
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert [(r[0], r[2]) for r in rows] == [("SCB", "SCA")]


def test_assignments_export_forbidden_to_representatives(world, rep_a, client_for):
    assert client_for(rep_a).get(year_url("scoring_assignments_export")).status_code == 403
