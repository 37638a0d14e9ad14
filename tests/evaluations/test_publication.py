"""Publication and freezing: the frozen snapshot, its fingerprint, and that nothing of a
frozen year changes through any path (service, model, admin, web, command)."""

from __future__ import annotations

import hashlib
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from evaluations.enums import AggregationMethod, ObjectionStatus, ResultsStage
from evaluations.models import (
    Assignment,
    BonusClaim,
    CrossScore,
    ImposedDeduction,
    Objection,
    ResultRow,
    ScoringSettings,
)
from evaluations.selectors_scoring import ranking_lines
from evaluations.services import scoring as services
from evaluations.xlsx_scoring import ranking_csv

from .test_scoring_support import (  # noqa: F401  (fixtures)
    assign_all,
    publish,
    world_fixture,
    xlsx_bytes,
)

D = Decimal


@pytest.fixture
def frozen(world, secretariat):
    """The world scored, published, frozen (mean). Returns the assignments."""
    assignments = assign_all(world)
    BonusClaim.objects.create(
        report=world.reports["SCC"], points=D("2"), reason="Hội thảo", approved_points=D("1")
    )
    services.publish_results(year=world.year, by=secretariat)
    services.freeze_results(year=world.year, by=secretariat)
    return assignments


def test_freeze_stores_the_ranking_snapshot(world, frozen):
    rows = list(ResultRow.objects.filter(year=world.year).order_by("rank"))
    assert [(r.rank, r.school_code, r.total) for r in rows] == [
        (1, "SCA", D("28.50")),
        (2, "SCB", D("27.50")),
        (3, "SCC", D("20.00")),
    ]
    assert rows[2].bonus == D("1.00")


def test_fingerprint_is_sha256_of_the_exported_csv(world, frozen):
    settings = ScoringSettings.objects.get(year=world.year)
    out = io.StringIO()
    call_command(
        "export_ranking", "--cluster", "CUM4", "--year", "2026", "--format", "csv", stdout=out
    )
    assert settings.stage == ResultsStage.FROZEN
    assert settings.fingerprint == hashlib.sha256(out.getvalue().encode("utf-8")).hexdigest()


def test_fingerprint_survives_a_later_rename(world, frozen):
    settings = ScoringSettings.objects.get(year=world.year)
    world.a.name = "Trường Chính trị tỉnh A (sau sáp nhập)"
    world.a.save()
    text = ranking_csv(ranking_lines(world.year))
    assert hashlib.sha256(text.encode()).hexdigest() == settings.fingerprint


def test_web_csv_export_matches_the_fingerprint(world, frozen, rep_b, client_for):
    response = client_for(rep_b).get(
        reverse("evaluations:scoring_ranking_csv", kwargs={"code": "CUM4", "label": "2026"})
    )
    settings = ScoringSettings.objects.get(year=world.year)
    assert hashlib.sha256(response.content).hexdigest() == settings.fingerprint


def test_freeze_refused_before_publication(world, secretariat):
    assign_all(world)
    with pytest.raises(ValidationError) as error:
        services.freeze_results(year=world.year, by=secretariat)
    assert error.value.code == "not_published"


def test_freeze_refused_with_open_objections(world, secretariat, rep_b):
    assign_all(world)
    services.publish_results(year=world.year, by=secretariat)
    services.raise_objection(
        year=world.year, school=world.b, target=world.a, criterion=None, text="x", by=rep_b
    )
    with pytest.raises(ValidationError) as error:
        services.freeze_results(year=world.year, by=secretariat)
    assert error.value.code == "open_objections"
    assert not ResultRow.objects.exists()


def test_objection_answered_and_bonus_adjusted_then_frozen(world, secretariat, rep_b):
    assign_all(world)
    claim = BonusClaim.objects.create(
        report=world.reports["SCB"], points=D("2"), reason="Hội thảo", approved_points=D("0")
    )
    services.publish_results(year=world.year, by=secretariat)
    objection = services.raise_objection(
        year=world.year,
        school=world.b,
        target=world.b,
        criterion=None,
        text="Điểm thưởng hội thảo chưa được tính.",
        by=rep_b,
    )
    services.approve_bonus(claim=claim, approved_points="2", by=secretariat, note="Kiến nghị")
    services.answer_objection(objection=objection, answer="Đã cộng 2 điểm.", by=secretariat)
    services.freeze_results(year=world.year, by=secretariat)
    assert ResultRow.objects.get(year=world.year, school=world.b).total == D("29.50")
    assert ResultRow.objects.get(year=world.year, school=world.b).rank == 1


def test_frozen_uses_the_years_method(world, secretariat):
    assign_all(world)
    settings = ScoringSettings.objects.create(year=world.year, method=AggregationMethod.MEDIAN)
    services.publish_results(year=world.year, by=secretariat)
    services.freeze_results(year=world.year, by=secretariat)
    settings.refresh_from_db()
    assert settings.method == "median"
    assert (
        settings.fingerprint
        == hashlib.sha256(ranking_csv(ranking_lines(world.year, "median")).encode()).hexdigest()
    )


# --- nothing changes once frozen: services -------------------------------------------------------


def frozen_calls(world, secretariat, frozen):
    a = frozen[("SCA", "SCB")]
    claim = BonusClaim.objects.get(report=world.reports["SCC"])
    return {
        "update_settings": lambda: services.update_settings(
            year=world.year,
            method="median",
            mode="all",
            scorers_per_school=1,
            gap_threshold_percent=D("10"),
            comment_window_days=1,
            by=secretariat,
        ),
        "generate": lambda: services.generate_assignments(year=world.year, by=secretariat),
        "add": lambda: services.add_assignment(
            year=world.year, scorer=world.a, target=world.c, by=secretariat
        ),
        "remove": lambda: services.remove_assignment(assignment=a, by=secretariat),
        "reassign": lambda: services.reassign(assignment=a, scorer=world.c, by=secretariat),
        "reopen": lambda: services.reopen_assignment(assignment=a, by=secretariat),
        "conflict": lambda: services.declare_conflict(assignment=a, reason="x", by=secretariat),
        "scores": lambda: services.save_cross_scores(assignment=a, entries={}, by=secretariat),
        "approve_bonus": lambda: services.approve_bonus(
            claim=claim, approved_points="2", by=secretariat, note="x"
        ),
        "impose": lambda: services.impose_deduction(
            year=world.year, school=world.a, points="1", explanation="x", by=secretariat
        ),
        "publish": lambda: services.publish_results(year=world.year, by=secretariat),
        "freeze": lambda: services.freeze_results(year=world.year, by=secretariat),
        "import": lambda: services.import_cross_scores(year=world.year, rows=[], by=secretariat),
        "remind": lambda: services.queue_reminders(year=world.year, by=secretariat),
    }


CALLS = [
    "update_settings",
    "generate",
    "add",
    "remove",
    "reassign",
    "reopen",
    "conflict",
    "scores",
    "approve_bonus",
    "impose",
    "publish",
    "freeze",
    "import",
    "remind",
]


@pytest.mark.parametrize("name", CALLS)
def test_every_service_refuses_once_frozen(world, secretariat, frozen, name):
    before = ranking_csv(ranking_lines(world.year))
    with pytest.raises(ValidationError) as error:
        frozen_calls(world, secretariat, frozen)[name]()
    assert error.value.code == "frozen"
    assert ranking_csv(ranking_lines(world.year)) == before


def test_answer_objection_refused_once_frozen(world, secretariat, frozen):
    objection = Objection(
        year=world.year, school=world.a, target=world.b, text="x", status=ObjectionStatus.OPEN
    )
    with pytest.raises(ValidationError) as error:
        services.answer_objection(objection=objection, answer="y", by=secretariat)
    assert error.value.code == "frozen"


# --- … the models (a shell) -----------------------------------------------------------------


def test_cross_score_save_refused_once_frozen(world, frozen):
    score = CrossScore.objects.filter(assignment__year=world.year).first()
    score.points = D("0")
    with pytest.raises(ValidationError):
        score.save()
    with pytest.raises(ValidationError):
        score.delete()
    with pytest.raises(ValidationError):
        CrossScore.objects.create(
            assignment=frozen[("SCA", "SCB")],
            criterion=world.criteria["1.1"].parent,
            points=D("1"),
        )


def test_assignment_save_and_delete_refused_once_frozen(world, frozen):
    assignment = frozen[("SCA", "SCB")]
    with pytest.raises(ValidationError):
        assignment.save()
    with pytest.raises(ValidationError):
        assignment.delete()
    with pytest.raises(ValidationError):
        Assignment.objects.create(year=world.year, scorer=world.a, target=world.a)


def test_imposed_deduction_refused_once_frozen(world, frozen, secretariat):
    with pytest.raises(ValidationError):
        ImposedDeduction.objects.create(
            year=world.year,
            school=world.a,
            points=D("1"),
            explanation="x",
            created_by=secretariat,
        )


def test_settings_and_result_rows_refused_once_frozen(world, frozen):
    settings = ScoringSettings.objects.get(year=world.year)
    settings.method = "median"
    with pytest.raises(ValidationError):
        settings.save()
    row = ResultRow.objects.filter(year=world.year).first()
    row.total = D("100")
    with pytest.raises(ValidationError):
        row.save()


# --- … the admin ---------------------------------------------------------------------------------


@pytest.fixture
def admin_scoring_registered():
    """The scoring admins registered and the admin URLs rebuilt from them (evaluations/admin.py
    imports admin_scoring once the lead wires it; until then the URLs may predate it)."""
    import importlib
    import sys

    from django.conf import settings
    from django.urls import clear_url_caches

    from evaluations import admin_scoring  # noqa: F401  (registers the scoring admins)

    importlib.reload(sys.modules[settings.ROOT_URLCONF])
    clear_url_caches()


def test_admin_change_page_is_read_only_once_frozen(
    world, frozen, admin_user, client_for, admin_scoring_registered
):
    client = client_for(admin_user)
    score = CrossScore.objects.filter(assignment__year=world.year).first()
    url = reverse("admin:evaluations_crossscore_change", args=[score.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="points"' not in page.content.decode()
    response = client.post(
        url, {"assignment": score.assignment_id, "criterion": score.criterion_id, "points": "0"}
    )
    assert response.status_code == 403
    score.refresh_from_db()
    assert score.points != D("0")


def test_admin_cannot_delete_once_frozen(
    world, frozen, admin_user, client_for, admin_scoring_registered
):
    assignment = frozen[("SCA", "SCB")]
    client = client_for(admin_user)
    url = reverse("admin:evaluations_assignment_delete", args=[assignment.pk])
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert Assignment.objects.filter(pk=assignment.pk).exists()


def test_admin_bonus_claim_read_only_once_frozen(
    world, frozen, admin_user, client_for, admin_scoring_registered
):
    claim = BonusClaim.objects.get(report=world.reports["SCC"])
    client = client_for(admin_user)
    url = reverse("admin:evaluations_bonusclaim_change", args=[claim.pk])
    response = client.post(
        url, {"report": claim.report_id, "points": "2", "reason": "x", "approved_points": "2"}
    )
    assert response.status_code == 403
    claim.refresh_from_db()
    assert claim.approved_points == D("1.00")


def test_admin_add_into_frozen_year_shows_an_error(
    world, frozen, admin_user, client_for, admin_scoring_registered
):
    client = client_for(admin_user)
    response = client.post(
        reverse("admin:evaluations_imposeddeduction_add"),
        {"year": world.year.pk, "school": world.a.pk, "points": "1", "explanation": "x"},
    )
    assert response.status_code == 200  # the form again, with the error
    assert not ImposedDeduction.objects.exists()


# --- … the web and the command -------------------------------------------------------------------


def test_web_scoring_refused_once_frozen(world, frozen, rep_a, client_for):
    assignment = frozen[("SCA", "SCB")]
    url = reverse("evaluations:scoring_assignment", kwargs={"pk": assignment.pk})
    response = client_for(rep_a).post(url, {f"points_{world.criteria['1.1'].pk}": "0"})
    assert response.status_code == 403
    assert CrossScore.objects.get(
        assignment=assignment, criterion=world.criteria["1.1"]
    ).points == (D("8"))


def test_web_approval_refused_once_frozen(world, frozen, secretariat, client_for):
    claim = BonusClaim.objects.get(report=world.reports["SCC"])
    response = client_for(secretariat).post(
        reverse("evaluations:scoring_approve_bonus", kwargs={"pk": claim.pk}),
        {"approved_points": "2", "note": "x"},
    )
    assert response.status_code == 403
    claim.refresh_from_db()
    assert claim.approved_points == D("1.00")


def test_import_command_refused_once_frozen(world, frozen, tmp_path):
    path = tmp_path / "scores.xlsx"
    path.write_bytes(xlsx_bytes([("SCA", "SCB", "1.1", 0)]).getvalue())
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_cross_scores", "--cluster", "CUM4", "--year", "2026", str(path), stderr=err
        )
    assert "frozen" in err.getvalue() or "chốt" in err.getvalue()
    assert CrossScore.objects.get(
        assignment=frozen[("SCA", "SCB")], criterion=world.criteria["1.1"]
    ).points == D("8")
