"""Services of cross-scoring: assignments, scores, deadlines, approvals, reminders."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from cluster.enums import PhaseKind
from cluster.models import Phase
from evaluations.enums import AssignmentMode, AssignmentStatus, ResultsStage, SubmissionStatus
from evaluations.models import Assignment, CrossScore, Extension, ImposedDeduction
from evaluations.services import scoring as services
from tests import factories as f

from .test_scoring_support import (  # noqa: F401  (fixtures)
    assign_all,
    make_assignment,
    make_report,
    publish,
    world_fixture,
)

D = Decimal


def codes(year) -> set[tuple[str, str]]:
    return {
        (a.scorer.code, a.target.code)
        for a in Assignment.objects.filter(year=year).select_related("scorer", "target")
    }


# --- assignments ---------------------------------------------------------------------------


def test_generate_all_mode_pairs_every_member_with_every_other(world, secretariat):
    summary = services.generate_assignments(year=world.year, by=secretariat)
    assert summary.created == 6
    assert codes(world.year) == {
        ("SCA", "SCB"),
        ("SCA", "SCC"),
        ("SCB", "SCA"),
        ("SCB", "SCC"),
        ("SCC", "SCA"),
        ("SCC", "SCB"),
    }


def test_generate_only_includes_the_years_members(world, secretariat):
    gone = f.SchoolFactory(code="OLD")
    f.MembershipFactory(
        cluster=world.cluster,
        school=gone,
        start_date=dt.date(2015, 1, 1),
        end_date=dt.date(2026, 6, 30),
    )
    services.generate_assignments(year=world.year, by=secretariat)
    assert not any("OLD" in pair for pair in codes(world.year))


def test_generate_rotation_each_school_scored_k_times(world, secretariat):
    for code in ("SCD", "SCE"):
        school = f.SchoolFactory(code=code)
        f.MembershipFactory(cluster=world.cluster, school=school)
    services.update_settings(
        year=world.year,
        method="mean",
        mode=AssignmentMode.ROTATION,
        scorers_per_school=2,
        gap_threshold_percent=D("10"),
        comment_window_days=7,
        by=secretariat,
    )
    services.generate_assignments(year=world.year, by=secretariat)
    pairs = codes(world.year)
    assert len(pairs) == 10
    for code in ("SCA", "SCB", "SCC", "SCD", "SCE"):
        assert sum(1 for _s, t in pairs if t == code) == 2
        assert sum(1 for s, _t in pairs if s == code) == 2
    assert not any((t, s) in pairs for s, t in pairs)


def test_generate_rotation_refuses_k_too_large(world, secretariat):
    services.update_settings(
        year=world.year,
        method="mean",
        mode=AssignmentMode.ROTATION,
        scorers_per_school=3,
        gap_threshold_percent=D("10"),
        comment_window_days=7,
        by=secretariat,
    )
    with pytest.raises(ValidationError) as error:
        services.generate_assignments(year=world.year, by=secretariat)
    assert error.value.error_dict["scorers_per_school"][0].code == "k_range"


def test_generate_refuses_to_remove_started_assignments(world, secretariat):
    # A school that left the cluster before the year's end is no longer planned.
    gone = f.SchoolFactory(code="OLD")
    f.MembershipFactory(
        cluster=world.cluster,
        school=gone,
        start_date=dt.date(2015, 1, 1),
        end_date=dt.date(2026, 6, 30),
    )
    make_assignment(
        world.year,
        gone,
        world.a,
        scores={"1.1": "5"},
        criteria=world.criteria,
        status=AssignmentStatus.DRAFT,
    )
    with pytest.raises(ValidationError) as error:
        services.generate_assignments(year=world.year, by=secretariat)
    assert error.value.code == "started"
    assert "OLD → SCA" in error.value.messages[0]
    assert codes(world.year) == {("OLD", "SCA")}


def test_generate_removes_unstarted_obsolete_assignments(world, secretariat):
    gone = f.SchoolFactory(code="OLD")
    f.MembershipFactory(
        cluster=world.cluster,
        school=gone,
        start_date=dt.date(2015, 1, 1),
        end_date=dt.date(2026, 6, 30),
    )
    make_assignment(world.year, gone, world.a, status=AssignmentStatus.NOT_STARTED)
    summary = services.generate_assignments(year=world.year, by=secretariat)
    assert (summary.created, summary.removed) == (6, 1)
    assert ("OLD", "SCA") not in codes(world.year)


def test_generate_is_idempotent(world, secretariat):
    services.generate_assignments(year=world.year, by=secretariat)
    summary = services.generate_assignments(year=world.year, by=secretariat)
    assert (summary.created, summary.kept, summary.removed) == (0, 6, 0)


def test_add_assignment_refuses_self(world, secretariat):
    with pytest.raises(ValidationError) as error:
        services.add_assignment(year=world.year, scorer=world.a, target=world.a, by=secretariat)
    assert error.value.error_dict["target"][0].code == "self"


def test_add_assignment_refuses_non_member(world, secretariat, other_cluster):
    with pytest.raises(ValidationError) as error:
        services.add_assignment(
            year=world.year, scorer=other_cluster["school"], target=world.a, by=secretariat
        )
    assert error.value.error_dict["scorer"][0].code == "not_member"


def test_add_assignment_refuses_duplicate(world, secretariat):
    services.add_assignment(year=world.year, scorer=world.a, target=world.b, by=secretariat)
    with pytest.raises(ValidationError):
        services.add_assignment(year=world.year, scorer=world.a, target=world.b, by=secretariat)


def test_assignment_model_refuses_self_in_database(world):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Assignment.objects.create(year=world.year, scorer=world.a, target=world.a)


def test_conflict_then_reassign_moves_the_assignment(world, secretariat, rep_a):
    assignment = make_assignment(
        world.year,
        world.a,
        world.b,
        scores={"1.1": "5"},
        criteria=world.criteria,
        status=AssignmentStatus.DRAFT,
    )
    services.declare_conflict(assignment=assignment, reason="Cùng đơn vị chủ quản", by=rep_a)
    assert Assignment.objects.get(pk=assignment.pk).conflict_declared is True
    services.reassign(assignment=assignment, scorer=world.c, by=secretariat)
    assignment.refresh_from_db()
    assert (assignment.scorer_id, assignment.conflict_declared, assignment.status) == (
        world.c.pk,
        False,
        AssignmentStatus.NOT_STARTED,
    )
    assert assignment.scores.count() == 0


def test_declare_conflict_needs_a_reason(world, rep_a):
    assignment = make_assignment(world.year, world.a, world.b, status="not_started")
    with pytest.raises(ValidationError) as error:
        services.declare_conflict(assignment=assignment, reason="  ", by=rep_a)
    assert "reason" in error.value.error_dict


def test_reassign_refuses_the_target_itself(world, secretariat):
    assignment = make_assignment(world.year, world.a, world.b, status="not_started")
    with pytest.raises(ValidationError):
        services.reassign(assignment=assignment, scorer=world.b, by=secretariat)


def test_remove_submitted_assignment_refused(world, secretariat):
    assignment = make_assignment(world.year, world.a, world.b)
    with pytest.raises(ValidationError) as error:
        services.remove_assignment(assignment=assignment, by=secretariat)
    assert error.value.code == "submitted"


# --- scoring ---------------------------------------------------------------------------------


def entries(world, **points) -> dict:
    return {
        world.criteria[code.replace("_", ".")].pk: (value, f"Nhận xét {code}")
        for code, value in points.items()
    }


def test_save_draft_keeps_partial_scores(world, rep_a):
    assignment = make_assignment(world.year, world.a, world.b, status="not_started")
    services.save_cross_scores(
        assignment=assignment, entries=entries(world, **{"1_1": D("7.5")}), by=rep_a
    )
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.DRAFT
    score = CrossScore.objects.get(assignment=assignment)
    assert (score.points, score.comment) == (D("7.50"), "Nhận xét 1_1")


def test_save_records_who_changed_the_score(world, rep_a):
    assignment = make_assignment(world.year, world.a, world.b, status="not_started")
    services.save_cross_scores(
        assignment=assignment, entries=entries(world, **{"1_1": "7"}), by=rep_a
    )
    services.save_cross_scores(
        assignment=assignment, entries=entries(world, **{"1_1": "8"}), by=rep_a
    )
    history = CrossScore.history.filter(assignment_id=assignment.pk).order_by("history_date")
    assert [(h.points, h.history_user_id) for h in history] == [
        (D("7.00"), rep_a.pk),
        (D("8.00"), rep_a.pk),
    ]


def test_save_refuses_points_above_the_maximum(world, rep_a):
    assignment = make_assignment(world.year, world.a, world.b, status="not_started")
    with pytest.raises(ValidationError) as error:
        services.save_cross_scores(
            assignment=assignment, entries=entries(world, **{"1_2": "5.01"}), by=rep_a
        )
    key = f"points_{world.criteria['1.2'].pk}"
    assert error.value.error_dict[key][0].code == "range"
    assert CrossScore.objects.count() == 0


def test_save_refuses_more_than_two_decimals(world, rep_a):
    assignment = make_assignment(world.year, world.a, world.b, status="not_started")
    with pytest.raises(ValidationError) as error:
        services.save_cross_scores(
            assignment=assignment, entries=entries(world, **{"1_1": "7.125"}), by=rep_a
        )
    assert error.value.error_dict[f"points_{world.criteria['1.1'].pk}"][0].code == "decimals"


def test_submit_needs_every_criterion(world, rep_a):
    assignment = make_assignment(world.year, world.a, world.b, status="not_started")
    with pytest.raises(ValidationError) as error:
        services.save_cross_scores(
            assignment=assignment, entries=entries(world, **{"1_1": "7"}), by=rep_a, submit=True
        )
    assert set(error.value.error_dict) == {
        f"points_{world.criteria['1.2'].pk}",
        f"points_{world.criteria['2.1'].pk}",
    }
    assert Assignment.objects.get(pk=assignment.pk).status == AssignmentStatus.NOT_STARTED


def full_entries(world):
    return entries(world, **{"1_1": "7", "1_2": "4", "2_1": "15"})


def test_submit_on_time(world, rep_a):
    assignment = make_assignment(world.year, world.a, world.b, status="not_started")
    services.save_cross_scores(
        assignment=assignment, entries=full_entries(world), by=rep_a, submit=True
    )
    assignment.refresh_from_db()
    assert (assignment.status, assignment.is_late, assignment.submitted_by_id) == (
        AssignmentStatus.SUBMITTED,
        False,
        rep_a.pk,
    )


def test_submit_after_the_deadline_is_late(world, rep_a):
    phase = Phase.objects.get(year=world.year, kind=PhaseKind.CROSS_SCORING)
    assignment = make_assignment(world.year, world.a, world.b, status="not_started")
    services.save_cross_scores(
        assignment=assignment,
        entries=full_entries(world),
        by=rep_a,
        submit=True,
        today=phase.deadline + dt.timedelta(days=1),
    )
    assert Assignment.objects.get(pk=assignment.pk).is_late is True


def test_submit_after_the_final_deadline_refused(world, rep_a):
    phase = Phase.objects.get(year=world.year, kind=PhaseKind.CROSS_SCORING)
    phase.hard_deadline = phase.deadline + dt.timedelta(days=2)
    phase.save()
    assignment = make_assignment(world.year, world.a, world.b, status="not_started")
    with pytest.raises(ValidationError) as error:
        services.save_cross_scores(
            assignment=assignment,
            entries=full_entries(world),
            by=rep_a,
            submit=True,
            today=phase.deadline + dt.timedelta(days=3),
        )
    assert error.value.code == "deadline"


def test_submit_with_an_extension_after_the_final_deadline(world, rep_a, secretariat):
    phase = Phase.objects.get(year=world.year, kind=PhaseKind.CROSS_SCORING)
    phase.hard_deadline = phase.deadline + dt.timedelta(days=2)
    phase.save()
    Extension.objects.create(
        year=world.year,
        school=world.a,
        phase_kind=PhaseKind.CROSS_SCORING,
        until=phase.deadline + dt.timedelta(days=10),
        reason="Ốm",
        granted_by=secretariat,
    )
    assignment = make_assignment(world.year, world.a, world.b, status="not_started")
    services.save_cross_scores(
        assignment=assignment,
        entries=full_entries(world),
        by=rep_a,
        submit=True,
        today=phase.deadline + dt.timedelta(days=5),
    )
    assignment.refresh_from_db()
    assert (assignment.status, assignment.is_late) == (AssignmentStatus.SUBMITTED, False)


def test_submitted_scores_cannot_be_saved_again(world, rep_a):
    assignment = make_assignment(world.year, world.a, world.b, scores={}, criteria=world.criteria)
    with pytest.raises(ValidationError) as error:
        services.save_cross_scores(assignment=assignment, entries=full_entries(world), by=rep_a)
    assert error.value.code == "submitted"


def test_reopen_lets_the_scorer_change_again(world, rep_a, secretariat):
    assignment = make_assignment(world.year, world.a, world.b)
    services.reopen_assignment(assignment=assignment, by=secretariat)
    services.save_cross_scores(assignment=assignment, entries=full_entries(world), by=rep_a)
    assert Assignment.objects.get(pk=assignment.pk).status == AssignmentStatus.DRAFT


def test_scores_refused_with_a_declared_conflict(world, rep_a):
    assignment = make_assignment(world.year, world.a, world.b, status="not_started")
    services.declare_conflict(assignment=assignment, reason="Lý do", by=rep_a)
    with pytest.raises(ValidationError) as error:
        services.save_cross_scores(assignment=assignment, entries=full_entries(world), by=rep_a)
    assert error.value.code == "conflict"


def test_scores_refused_once_published(world, rep_a):
    assignment = make_assignment(world.year, world.a, world.b, status="not_started")
    publish(world.year)
    with pytest.raises(ValidationError) as error:
        services.save_cross_scores(assignment=assignment, entries=full_entries(world), by=rep_a)
    assert error.value.code == "published"


# --- reminders -----------------------------------------------------------------------------------


def test_reminder_emails_the_representatives_of_schools_not_done(
    world, secretariat, rep_a, rep_b, django_capture_on_commit_callbacks
):
    make_assignment(world.year, world.a, world.b, status="draft")
    make_assignment(world.year, world.b, world.a)  # submitted: B is done
    with django_capture_on_commit_callbacks(execute=True):
        count = services.queue_reminders(year=world.year, by=secretariat)
    assert count == 1
    assert [m.to for m in mail.outbox] == [[rep_a.email]]
    assert world.b.name in mail.outbox[0].body
    assert "2026" in mail.outbox[0].subject


def test_reminder_is_queued_only_after_commit(
    world, secretariat, rep_a, django_capture_on_commit_callbacks
):
    make_assignment(world.year, world.a, world.b, status="not_started")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.queue_reminders(year=world.year, by=secretariat)
    assert len(callbacks) == 1
    assert mail.outbox == []


def test_reminder_skips_inactive_representatives(world, secretariat, rep_a):
    rep_a.is_active = False
    rep_a.save()
    make_assignment(world.year, world.a, world.b, status="not_started")
    assert services.send_scoring_reminder(year_id=world.year.pk, school_id=world.a.pk) == 0


# --- bonus and deductions ------------------------------------------------------------------------


def test_approve_bonus_up_to_the_claim(world, secretariat):
    claim = make_report(
        world.year, f.SchoolFactory(code="TMP"), bonus=[("3", None)], criteria=world.criteria
    ).bonus_claims.get()
    services.approve_bonus(claim=claim, approved_points="2.5", by=secretariat)
    claim.refresh_from_db()
    assert claim.approved_points == D("2.50")
    with pytest.raises(ValidationError) as error:
        services.approve_bonus(claim=claim, approved_points="3.01", by=secretariat)
    assert "approved_points" in error.value.error_dict


def test_approve_bonus_of_a_draft_report_refused(world, secretariat):
    claim = make_report(
        world.year,
        f.SchoolFactory(code="TMP"),
        status=SubmissionStatus.DRAFT,
        bonus=[("3", None)],
        criteria=world.criteria,
    ).bonus_claims.get()
    with pytest.raises(ValidationError) as error:
        services.approve_bonus(claim=claim, approved_points="1", by=secretariat)
    assert error.value.code == "report"


def test_change_after_publication_needs_a_reason_and_is_logged(world, secretariat):
    report = world.reports["SCA"]
    from evaluations.models import BonusClaim

    claim = BonusClaim.objects.create(report=report, points=D("3"), reason="Hội thảo")
    publish(world.year)
    with pytest.raises(ValidationError) as error:
        services.approve_bonus(claim=claim, approved_points="2", by=secretariat)
    assert error.value.error_dict["note"][0].code == "note_required"
    services.approve_bonus(
        claim=claim, approved_points="2", by=secretariat, note="Trả lời kiến nghị của SCB"
    )
    last = claim.history.latest("history_date")
    assert (last.approved_points, last.history_user_id, last.history_change_reason) == (
        D("2.00"),
        secretariat.pk,
        "Trả lời kiến nghị của SCB",
    )


def test_approve_deduction(world, secretariat):
    report = make_report(
        world.year, f.SchoolFactory(code="TMP"), deductions=[("2", None)], criteria=world.criteria
    )
    deduction = report.deductions.get()
    services.approve_deduction(deduction=deduction, approved_points="2", by=secretariat)
    deduction.refresh_from_db()
    assert deduction.approved_points == D("2.00")


def test_impose_deduction_needs_an_explanation(world, secretariat):
    with pytest.raises(ValidationError) as error:
        services.impose_deduction(
            year=world.year, school=world.a, points="1", explanation="", by=secretariat
        )
    assert "explanation" in error.value.error_dict
    services.impose_deduction(
        year=world.year, school=world.a, points="1", explanation="Nộp chậm", by=secretariat
    )
    assert ImposedDeduction.objects.get().points == D("1.00")


# --- publication and objections ------------------------------------------------------------------


def test_publish_opens_the_objection_window(world, secretariat):
    settings = services.publish_results(
        year=world.year, by=secretariat, today=dt.date(2026, 11, 20)
    )
    assert settings.stage == ResultsStage.PUBLISHED
    assert settings.objections_until == dt.date(2026, 11, 27)


def test_publish_twice_refused(world, secretariat):
    services.publish_results(year=world.year, by=secretariat)
    with pytest.raises(ValidationError) as error:
        services.publish_results(year=world.year, by=secretariat)
    assert error.value.code == "published"


def test_publish_without_criteria_table_refused(cluster4, secretariat):
    with pytest.raises(ValidationError) as error:
        services.publish_results(year=cluster4.year, by=secretariat)
    assert error.value.code == "table"


def test_objection_within_the_window(world, rep_b):
    publish(world.year, until=dt.date.today())
    objection = services.raise_objection(
        year=world.year,
        school=world.b,
        target=world.a,
        criterion=world.criteria["2.1"],
        text="Điểm chấm chéo tiêu chí 2.1 chưa phù hợp.",
        by=rep_b,
    )
    assert (objection.school, objection.target, objection.status) == (world.b, world.a, "open")


def test_objection_after_the_window_refused(world, rep_b):
    publish(world.year, until=dt.date.today() - dt.timedelta(days=1))
    with pytest.raises(ValidationError) as error:
        services.raise_objection(
            year=world.year, school=world.b, target=world.a, criterion=None, text="x", by=rep_b
        )
    assert error.value.code == "window"


def test_objection_before_publication_refused(world, rep_b):
    with pytest.raises(ValidationError) as error:
        services.raise_objection(
            year=world.year, school=world.b, target=world.a, criterion=None, text="x", by=rep_b
        )
    assert error.value.code == "stage"


def test_objection_on_a_group_refused(world, rep_b):
    publish(world.year)
    group = world.criteria["1.1"].parent
    with pytest.raises(ValidationError) as error:
        services.raise_objection(
            year=world.year, school=world.b, target=world.a, criterion=group, text="x", by=rep_b
        )
    assert "criterion" in error.value.error_dict


def test_answer_objection(world, rep_b, secretariat):
    publish(world.year)
    objection = services.raise_objection(
        year=world.year, school=world.b, target=world.a, criterion=None, text="x", by=rep_b
    )
    services.answer_objection(objection=objection, answer="Đã rà soát, giữ nguyên.", by=secretariat)
    objection.refresh_from_db()
    assert (objection.status, objection.answered_by_id) == ("answered", secretariat.pk)


def test_settings_validate_ranges(world, secretariat):
    with pytest.raises(ValidationError) as error:
        services.update_settings(
            year=world.year,
            method="best",
            mode="all",
            scorers_per_school=0,
            gap_threshold_percent=D("120"),
            comment_window_days=7,
            by=secretariat,
        )
    assert set(error.value.error_dict) == {"method", "scorers_per_school", "gap_threshold_percent"}
