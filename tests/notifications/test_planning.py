"""plan_reminders: which reminders are due on which day, for whom."""

from __future__ import annotations

import datetime as dt

import pytest

from awards.enums import RoundStatus
from cluster.enums import PhaseKind
from evaluations.enums import AssignmentStatus, SubmissionStatus
from notifications import services
from notifications.enums import OFFSET_LATE_LIST, DeadlineKind, ReminderKind
from notifications.models import Notification, OutboxMessage, ReminderLog, ReminderPolicy
from tests import factories as f

from .support import (
    PLEDGE_DEADLINE,
    REPORT_DEADLINE,
    SCORING_DEADLINE,
    days_before,
    make_assignment,
    make_extension,
    make_pledge,
    make_report,
    make_round,
    vote,
)

pytestmark = pytest.mark.django_db


def logged(kind: str | None = None) -> list[tuple[str, str, str]]:
    """(kind, school code or '-', offset) of every log entry, sorted."""
    rows = ReminderLog.objects.select_related("school")
    if kind:
        rows = rows.filter(kind=kind)
    return sorted((r.kind, r.school.code if r.school else "-", r.offset) for r in rows)


def finish_pledges(world, *schools):
    for school in schools:
        make_pledge(world.year, school, SubmissionStatus.SUBMITTED)


# --- pledge ------------------------------------------------------------------------------


@pytest.mark.parametrize("days", [7, 3, 1])
def test_pledge_reminder_on_each_default_offset(cluster4, rep_a, days):
    finish_pledges(cluster4, cluster4.school_b, cluster4.school_c)
    summary = services.plan_reminders(today=days_before(PLEDGE_DEADLINE, days))
    assert logged() == [("pledge", "SCA", str(days))]
    assert summary.reminders == 1
    message = OutboxMessage.objects.get()
    assert message.to_email == rep_a.email
    assert message.kind == ReminderKind.PLEDGE
    log = ReminderLog.objects.get()
    assert (log.deadline, log.deadline_kind, log.year, log.school) == (
        PLEDGE_DEADLINE,
        DeadlineKind.PLEDGE,
        cluster4.year,
        cluster4.school_a,
    )


@pytest.mark.parametrize("days", [8, 6, 5, 2, 0])
def test_pledge_reminder_not_on_other_days(cluster4, rep_a, days):
    services.plan_reminders(today=days_before(PLEDGE_DEADLINE, days))
    assert ReminderLog.objects.count() == 0
    assert OutboxMessage.objects.count() == 0


def test_pledge_reminder_only_for_unfinished_schools(cluster4, rep_a, rep_b):
    make_pledge(cluster4.year, cluster4.school_a, SubmissionStatus.SUBMITTED)
    make_pledge(cluster4.year, cluster4.school_b, SubmissionStatus.ACCEPTED)
    make_pledge(cluster4.year, cluster4.school_c, SubmissionStatus.DRAFT)
    services.plan_reminders(today=days_before(PLEDGE_DEADLINE, 3))
    assert logged() == [("pledge", "SCC", "3")]


def test_returned_pledge_is_reminded(cluster4, rep_a):
    finish_pledges(cluster4, cluster4.school_b, cluster4.school_c)
    make_pledge(cluster4.year, cluster4.school_a, SubmissionStatus.RETURNED, "Bổ sung chỉ tiêu")
    services.plan_reminders(today=days_before(PLEDGE_DEADLINE, 1))
    assert logged() == [("pledge", "SCA", "1")]


def test_missing_pledges_of_every_member_are_reminded(cluster4, rep_a, rep_b):
    services.plan_reminders(today=days_before(PLEDGE_DEADLINE, 7))
    assert logged() == [("pledge", "SCA", "7"), ("pledge", "SCB", "7"), ("pledge", "SCC", "7")]


def test_school_without_representative_gets_reminder_at_its_own_address(cluster4):
    finish_pledges(cluster4, cluster4.school_a, cluster4.school_b)
    services.plan_reminders(today=days_before(PLEDGE_DEADLINE, 7))
    message = OutboxMessage.objects.get()
    assert message.to_email == cluster4.school_c.email
    assert message.recipient is None
    assert Notification.objects.count() == 0


def test_inactive_representative_is_not_reminded(cluster4, rep_a):
    rep_a.is_active = False
    rep_a.save()
    cluster4.school_a.email = ""
    cluster4.school_a.save()
    finish_pledges(cluster4, cluster4.school_b, cluster4.school_c)
    services.plan_reminders(today=days_before(PLEDGE_DEADLINE, 7))
    assert OutboxMessage.objects.count() == 0


def test_school_that_is_not_a_member_of_the_year_is_not_reminded(cluster4):
    finish_pledges(cluster4, cluster4.school_a, cluster4.school_b, cluster4.school_c)
    gone = f.SchoolFactory(code="SCD")
    f.MembershipFactory(
        cluster=cluster4.cluster,
        school=gone,
        start_date=dt.date(2015, 1, 1),
        end_date=dt.date(2026, 6, 30),
    )
    services.plan_reminders(today=days_before(PLEDGE_DEADLINE, 7))
    assert logged() == []


# --- report ------------------------------------------------------------------------------


def test_report_reminders_for_missing_draft_and_returned(cluster4, rep_a, rep_b):
    make_report(cluster4.year, cluster4.school_a, SubmissionStatus.DRAFT)
    make_report(cluster4.year, cluster4.school_b, SubmissionStatus.RETURNED, "Thiếu minh chứng")
    services.plan_reminders(today=days_before(REPORT_DEADLINE, 3))
    assert logged() == [("report", "SCA", "3"), ("report", "SCB", "3"), ("report", "SCC", "3")]


def test_report_reminder_skips_submitted_and_accepted(cluster4, rep_a):
    make_report(cluster4.year, cluster4.school_a, SubmissionStatus.SUBMITTED)
    make_report(cluster4.year, cluster4.school_b, SubmissionStatus.ACCEPTED)
    services.plan_reminders(today=days_before(REPORT_DEADLINE, 1))
    assert logged() == [("report", "SCC", "1")]


# --- cross-scoring -----------------------------------------------------------------------


def test_cross_scoring_reminder_for_scorers_with_unsubmitted_assignments(
    cluster4, scoring_phase, rep_a, rep_b
):
    w = cluster4
    make_assignment(w.year, w.school_a, w.school_b, AssignmentStatus.DRAFT)
    make_assignment(w.year, w.school_a, w.school_c, AssignmentStatus.SUBMITTED)
    make_assignment(w.year, w.school_b, w.school_a, AssignmentStatus.SUBMITTED)
    make_assignment(w.year, w.school_c, w.school_a, AssignmentStatus.NOT_STARTED)
    services.plan_reminders(today=days_before(SCORING_DEADLINE, 7))
    assert logged() == [("cross_scoring", "SCA", "7"), ("cross_scoring", "SCC", "7")]


def test_cross_scoring_school_without_assignments_is_not_reminded(cluster4, scoring_phase):
    services.plan_reminders(today=days_before(SCORING_DEADLINE, 3))
    assert logged() == []


# --- ballot ------------------------------------------------------------------------------


def test_ballot_reminder_for_members_that_have_not_voted(cluster4, rep_a, rep_b):
    closes_on = dt.date(2026, 11, 25)
    voting_round = make_round(cluster4.year, closes_on)
    vote(voting_round, cluster4.school_a)
    services.plan_reminders(today=days_before(closes_on, 1))
    assert logged() == [("ballot", "SCB", "1"), ("ballot", "SCC", "1")]
    assert set(ReminderLog.objects.values_list("voting_round_id", flat=True)) == {voting_round.pk}
    assert set(ReminderLog.objects.values_list("deadline", flat=True)) == {closes_on}


def test_ballot_round_not_open_gets_no_reminder(cluster4, rep_a):
    closes_on = dt.date(2026, 11, 25)
    make_round(cluster4.year, closes_on, status=RoundStatus.DRAFT)
    services.plan_reminders(today=days_before(closes_on, 3))
    assert logged() == []


def test_closed_round_gets_late_list_but_no_reminder(cluster4, secretariat, rep_a):
    closes_on = dt.date(2026, 11, 25)
    voting_round = make_round(cluster4.year, closes_on, status=RoundStatus.CLOSED)
    vote(voting_round, cluster4.school_a)
    vote(voting_round, cluster4.school_b)
    services.plan_reminders(today=closes_on + dt.timedelta(days=1))
    assert logged() == [("late_list", "-", OFFSET_LATE_LIST)]
    message = OutboxMessage.objects.get()
    assert cluster4.school_c.name in message.body_text
    assert cluster4.school_a.name not in message.body_text


# --- late list ---------------------------------------------------------------------------


def test_late_list_goes_to_secretariat_the_day_after_the_deadline(cluster4, secretariat, rep_a):
    make_report(cluster4.year, cluster4.school_b, SubmissionStatus.SUBMITTED)
    summary = services.plan_reminders(today=REPORT_DEADLINE + dt.timedelta(days=1))
    assert logged() == [("late_list", "-", OFFSET_LATE_LIST)]
    assert summary.late_lists == 1
    message = OutboxMessage.objects.get()
    assert message.to_email == secretariat.email
    assert message.school is None
    assert cluster4.school_a.name in message.body_text
    assert cluster4.school_c.name in message.body_text
    assert cluster4.school_b.name not in message.body_text


@pytest.mark.parametrize("days_after", [0, 2, 5])
def test_late_list_not_on_other_days(cluster4, secretariat, days_after):
    services.plan_reminders(today=REPORT_DEADLINE + dt.timedelta(days=days_after))
    assert logged(ReminderKind.LATE_LIST) == []


def test_no_late_list_when_every_school_finished(cluster4, secretariat):
    for school in (cluster4.school_a, cluster4.school_b, cluster4.school_c):
        make_report(cluster4.year, school, SubmissionStatus.SUBMITTED)
    services.plan_reminders(today=REPORT_DEADLINE + dt.timedelta(days=1))
    assert logged() == []


# --- extensions --------------------------------------------------------------------------


def test_extension_moves_the_school_reminders_to_its_date(cluster4, rep_a, rep_b):
    until = REPORT_DEADLINE + dt.timedelta(days=10)
    make_extension(cluster4.year, cluster4.school_a, PhaseKind.REPORT, until)
    services.plan_reminders(today=days_before(REPORT_DEADLINE, 3))
    assert logged() == [("report", "SCB", "3"), ("report", "SCC", "3")]

    services.plan_reminders(today=days_before(until, 3))
    log = ReminderLog.objects.get(school=cluster4.school_a)
    assert (log.offset, log.deadline) == ("3", until)


def test_extension_school_is_not_late_the_day_after_the_phase_deadline(cluster4, secretariat):
    until = REPORT_DEADLINE + dt.timedelta(days=10)
    make_extension(cluster4.year, cluster4.school_a, PhaseKind.REPORT, until)
    services.plan_reminders(today=REPORT_DEADLINE + dt.timedelta(days=1))
    body = OutboxMessage.objects.get().body_text
    assert cluster4.school_a.name not in body
    assert cluster4.school_b.name in body


def test_extension_school_is_late_the_day_after_its_extension(cluster4, secretariat):
    until = REPORT_DEADLINE + dt.timedelta(days=10)
    make_extension(cluster4.year, cluster4.school_a, PhaseKind.REPORT, until)
    services.plan_reminders(today=until + dt.timedelta(days=1))
    log = ReminderLog.objects.get()
    assert (log.kind, log.deadline) == (ReminderKind.LATE_LIST, until)
    body = OutboxMessage.objects.get().body_text
    assert cluster4.school_a.name in body
    assert cluster4.school_b.name not in body


# --- policy ------------------------------------------------------------------------------


def test_disabled_policy_sends_nothing(cluster4, rep_a):
    ReminderPolicy.objects.create(cluster=cluster4.cluster, enabled=False)
    services.plan_reminders(today=days_before(PLEDGE_DEADLINE, 7))
    assert logged() == []


def test_policy_offsets_replace_the_defaults(cluster4, rep_a):
    ReminderPolicy.objects.create(cluster=cluster4.cluster, offsets="10, 2")
    services.plan_reminders(today=days_before(PLEDGE_DEADLINE, 7))
    assert logged() == []
    services.plan_reminders(today=days_before(PLEDGE_DEADLINE, 10))
    assert {row[2] for row in logged()} == {"10"}


def test_year_policy_overrides_the_cluster_default(cluster4, rep_a):
    ReminderPolicy.objects.create(cluster=cluster4.cluster, enabled=False)
    ReminderPolicy.objects.create(cluster=cluster4.cluster, year=cluster4.year, offsets="7")
    services.plan_reminders(today=days_before(PLEDGE_DEADLINE, 7))
    assert len(logged()) == 3


def test_policy_without_late_list(cluster4, secretariat):
    ReminderPolicy.objects.create(cluster=cluster4.cluster, send_late_list=False)
    services.plan_reminders(today=REPORT_DEADLINE + dt.timedelta(days=1))
    assert logged() == []


def test_other_cluster_is_planned_with_its_own_members(cluster4, other_cluster, rep_a):
    year8 = other_cluster["cluster"].years.get()
    f.PhaseFactory(
        year=year8, kind=PhaseKind.PLEDGE, starts_on=dt.date(2026, 1, 1), deadline=PLEDGE_DEADLINE
    )
    services.plan_reminders(today=days_before(PLEDGE_DEADLINE, 7))
    assert ("pledge", "SCX", "7") in logged()
    assert (
        ReminderLog.objects.get(school=other_cluster["school"]).cluster == other_cluster["cluster"]
    )
