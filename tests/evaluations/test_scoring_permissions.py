"""Every cross-scoring page × every persona, and blindness: before publication a scorer can
never fetch another scorer's scores, by page, export or URL guessing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.enums import Role
from evaluations.enums import SubmissionStatus
from evaluations.models import AnnualReport, Assignment
from tests import factories as f

from .test_scoring_support import (  # noqa: F401  (fixtures)
    assign_all,
    publish,
    representative,
    world_fixture,
)

YEAR_PAGES = [
    "scoring_year",
    "scoring_setup",
    "scoring_my_targets",
    "scoring_progress",
    "scoring_progress_export",
    "scoring_results",
    "scoring_results_xlsx",
    "scoring_ranking_csv",
    "scoring_objections",
    "scoring_approvals",
    "scoring_import",
    "scoring_import_template",
]

# Expected status before publication, per persona.
BEFORE = {
    "anonymous": dict.fromkeys(YEAR_PAGES, 302),
    "secretariat": {**dict.fromkeys(YEAR_PAGES, 200), "scoring_my_targets": 403},
    # Django lets an active superuser pass every permission check.
    "admin": dict.fromkeys(YEAR_PAGES, 200),
    "rep_a": {
        **dict.fromkeys(YEAR_PAGES, 403),
        "scoring_year": 200,
        "scoring_my_targets": 200,
    },
    "observer": {
        **dict.fromkeys(YEAR_PAGES, 403),
        "scoring_year": 200,
        "scoring_progress": 200,
        "scoring_progress_export": 200,
    },
    "other_secretariat": dict.fromkeys(YEAR_PAGES, 403),
    "other_rep": dict.fromkeys(YEAR_PAGES, 403),
}

AFTER = {
    **BEFORE,
    # Assignments and imports are edited only while scoring is in progress.
    "secretariat": {**BEFORE["secretariat"], "scoring_import": 403},
    "rep_a": {
        **BEFORE["rep_a"],
        "scoring_results": 200,
        "scoring_results_xlsx": 200,
        "scoring_ranking_csv": 200,
        "scoring_objections": 200,
    },
    "observer": {
        **BEFORE["observer"],
        "scoring_results": 200,
        "scoring_results_xlsx": 200,
        "scoring_ranking_csv": 200,
        "scoring_objections": 200,
    },
}


@pytest.fixture
def personas(world, secretariat, rep_a, observer, admin_user, other_cluster):
    other_rep = representative(other_cluster["school"], "other.rep@example.vn")
    return {
        "anonymous": None,
        "secretariat": secretariat,
        "admin": admin_user,
        "rep_a": rep_a,
        "observer": observer,
        "other_secretariat": other_cluster["secretariat"],
        "other_rep": other_rep,
    }


def year_url(name: str) -> str:
    return reverse(f"evaluations:{name}", kwargs={"code": "CUM4", "label": "2026"})


@pytest.mark.parametrize("persona", list(BEFORE))
def test_year_pages_before_publication(world, personas, client_for, persona):
    assign_all(world)
    client = client_for(personas[persona])
    got = {name: client.get(year_url(name)).status_code for name in YEAR_PAGES}
    assert got == BEFORE[persona]


@pytest.mark.parametrize("persona", list(AFTER))
def test_year_pages_after_publication(world, personas, client_for, persona):
    assign_all(world)
    publish(world.year)
    client = client_for(personas[persona])
    got = {name: client.get(year_url(name)).status_code for name in YEAR_PAGES}
    assert got == AFTER[persona]


def test_anonymous_is_sent_to_login(world, client_for):
    response = client_for(None).get(year_url("scoring_results"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_unknown_year_is_404(world, secretariat, client_for):
    url = reverse("evaluations:scoring_results", kwargs={"code": "CUM4", "label": "1990"})
    assert client_for(secretariat).get(url).status_code == 404


def test_unknown_assignment_is_404(world, secretariat, client_for):
    url = reverse("evaluations:scoring_assignment", kwargs={"pk": 999999})
    assert client_for(secretariat).get(url).status_code == 404


# --- blindness ----------------------------------------------------------------------------------


def assignment_url(assignment) -> str:
    return reverse("evaluations:scoring_assignment", kwargs={"pk": assignment.pk})


def test_scorer_sees_only_its_own_assignments_by_url_guessing(world, rep_a, client_for):
    assign_all(world)
    client = client_for(rep_a)
    got = {
        (a.scorer.code, a.target.code): client.get(assignment_url(a)).status_code
        for a in Assignment.objects.select_related("scorer", "target")
    }
    assert got == {
        ("SCA", "SCB"): 200,
        ("SCA", "SCC"): 200,
        ("SCB", "SCA"): 403,
        ("SCB", "SCC"): 403,
        ("SCC", "SCA"): 403,
        ("SCC", "SCB"): 403,
    }


def test_target_cannot_read_the_scores_it_received(world, rep_b, client_for):
    assignments = assign_all(world)
    response = client_for(rep_b).get(assignment_url(assignments[("SCA", "SCB")]))
    assert response.status_code == 403


def test_scorer_page_shows_no_other_scorers_points(world, rep_a, client_for):
    from evaluations.models import CrossScore

    assignments = assign_all(world)
    Assignment.objects.filter(pk=assignments[("SCA", "SCB")].pk).update(status="draft")
    CrossScore.objects.filter(
        assignment=assignments[("SCC", "SCB")], criterion=world.criteria["2.1"]
    ).update(points="13.37")
    page = client_for(rep_a).get(assignment_url(assignments[("SCA", "SCB")])).content.decode()
    assert 'value="15.00"' in page  # A's own draft score, editable
    assert "13.37" not in page and "13,37" not in page


def test_scorer_cannot_export_results_before_publication(world, rep_a, client_for):
    assign_all(world)
    client = client_for(rep_a)
    for name in ("scoring_results_xlsx", "scoring_ranking_csv", "scoring_results"):
        for method in ("", "?method=median", "?method=trimmed"):
            assert client.get(year_url(name) + method).status_code == 403, (name, method)


def test_my_targets_lists_only_my_school(world, rep_a, client_for):
    assign_all(world)
    page = client_for(rep_a).get(year_url("scoring_my_targets")).content.decode()
    assert page.count('data-testid="target"') == 2
    assert "Trường Chính trị tỉnh B" in page and "Trường Chính trị tỉnh C" in page


def test_observer_progress_shows_statuses_not_scores(world, observer, client_for):
    assign_all(world)
    page = client_for(observer).get(year_url("scoring_progress")).content.decode()
    assert page.count('data-state="submitted"') == 6
    assert "15,00" not in page and "15.00" not in page
    assert "/e/scoring/assignment/" not in page  # no link to individual scores


def test_observer_cannot_open_an_assignment_before_publication(world, observer, client_for):
    assignments = assign_all(world)
    response = client_for(observer).get(assignment_url(assignments[("SCA", "SCB")]))
    assert response.status_code == 403


def test_after_publication_members_read_every_scorers_scores(world, rep_b, client_for):
    assignments = assign_all(world)
    publish(world.year)
    client = client_for(rep_b)
    page = client.get(assignment_url(assignments[("SCC", "SCA")])).content.decode()
    assert 'name="points_' not in page  # read-only
    results = client.get(year_url("scoring_results")).content.decode()
    assert 'data-testid="scores-by-scorer"' in results


def test_draft_report_of_the_target_is_not_shown_to_its_scorer(world, rep_a, client_for):
    assignments = assign_all(world, submitted=False)
    report = world.reports["SCB"]
    AnnualReport.objects.filter(pk=report.pk).update(status=SubmissionStatus.DRAFT)
    report.self_scores.update(explanation="NỘI DUNG NHÁP BÍ MẬT")
    page = client_for(rep_a).get(assignment_url(assignments[("SCA", "SCB")])).content.decode()
    assert "NỘI DUNG NHÁP BÍ MẬT" not in page


def test_submitted_report_of_the_target_is_shown_to_its_scorer(world, rep_a, client_for):
    assignments = assign_all(world, submitted=False)
    page = client_for(rep_a).get(assignment_url(assignments[("SCA", "SCB")])).content.decode()
    assert "Giải trình 2.1" in page


# --- actions -------------------------------------------------------------------------------------


def post_statuses(client, world, assignment, claim_pk=None) -> dict:
    urls = {
        "generate": year_url("scoring_generate"),
        "add": year_url("scoring_assignment_add"),
        "publish": year_url("scoring_publish"),
        "freeze": year_url("scoring_freeze"),
        "remind": year_url("scoring_remind"),
        "impose": year_url("scoring_impose_deduction"),
        "remove": reverse("evaluations:scoring_assignment_remove", kwargs={"pk": assignment.pk}),
        "reassign": reverse("evaluations:scoring_reassign", kwargs={"pk": assignment.pk}),
        "reopen": reverse("evaluations:scoring_reopen", kwargs={"pk": assignment.pk}),
    }
    return {name: client.post(url, {}).status_code for name, url in urls.items()}


@pytest.mark.parametrize("persona", ["rep_a", "observer", "other_secretariat", "other_rep"])
def test_secretariat_actions_forbidden_to_others(world, personas, client_for, persona):
    assignments = assign_all(world)
    got = post_statuses(client_for(personas[persona]), world, assignments[("SCA", "SCB")])
    assert set(got.values()) == {403}
    assert Assignment.objects.count() == 6


def test_secretariat_actions_allowed_to_the_secretariat(world, secretariat, client_for):
    assignments = assign_all(world)
    client = client_for(secretariat)
    assert client.post(year_url("scoring_generate")).status_code == 302
    assert (
        client.post(
            reverse("evaluations:scoring_reopen", kwargs={"pk": assignments[("SCA", "SCB")].pk})
        ).status_code
        == 302
    )


def test_get_on_an_action_is_refused(world, secretariat, client_for):
    assert client_for(secretariat).get(year_url("scoring_publish")).status_code == 405


def test_scorer_cannot_post_scores_for_another_school(world, rep_b, client_for):
    assignments = assign_all(world, submitted=False)
    target = assignments[("SCA", "SCB")]
    response = client_for(rep_b).post(
        assignment_url(target), {f"points_{world.criteria['1.1'].pk}": "0", "action": "save"}
    )
    assert response.status_code == 403
    assert not target.scores.exists()


def test_observer_cannot_raise_an_objection(world, observer, client_for):
    publish(world.year)
    response = client_for(observer).post(
        year_url("scoring_objections"), {"target": world.a.pk, "text": "x"}
    )
    assert response.status_code == 403


def test_secretariat_of_another_cluster_cannot_approve(world, other_cluster, client_for):
    from evaluations.models import BonusClaim

    claim = BonusClaim.objects.create(report=world.reports["SCA"], points=1, reason="x")
    response = client_for(other_cluster["secretariat"]).post(
        reverse("evaluations:scoring_approve_bonus", kwargs={"pk": claim.pk}),
        {"approved_points": "1"},
    )
    assert response.status_code == 403
    claim.refresh_from_db()
    assert claim.approved_points is None


def test_representative_of_non_member_school_has_no_targets(world, client_for):
    outsider = f.SchoolFactory(code="OUT")
    f.MembershipFactory(cluster=world.cluster, school=outsider, end_date="2020-12-31")
    user = f.UserFactory(email="out@example.vn", role=Role.REPRESENTATIVE, school=outsider)
    assert client_for(user).get(year_url("scoring_my_targets")).status_code == 403
