"""A reminder is planned once per school, deadline and offset, whatever runs twice."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.db import IntegrityError

from evaluations.enums import SubmissionStatus
from notifications import services, tasks
from notifications.enums import OFFSET_MANUAL, DeadlineKind, OutboxStatus
from notifications.models import Notification, OutboxMessage, ReminderLog

from .support import PLEDGE_DEADLINE, REPORT_DEADLINE, days_before, make_pledge

pytestmark = pytest.mark.django_db

DAY = days_before(PLEDGE_DEADLINE, 3)


def counts() -> tuple[int, int, int]:
    return (
        ReminderLog.objects.count(),
        OutboxMessage.objects.count(),
        Notification.objects.count(),
    )


def test_scan_twice_the_same_day_plans_once(cluster4, rep_a, rep_b):
    first = services.plan_reminders(today=DAY)
    before = counts()
    second = services.plan_reminders(today=DAY)
    assert before == (3, 3, 2)  # A and B: representatives; C: its own address
    assert counts() == before
    assert (first.reminders, second.reminders) == (3, 0)
    assert second.already_planned == 3
    assert second.messages == 0


def test_concurrent_scan_losing_the_race_hits_the_unique_key(cluster4, rep_a, monkeypatch):
    """Two scans that both saw "not planned yet": the database's unique key lets one win,
    the other's insert fails and is skipped without a second message."""
    services.plan_reminders(today=DAY)
    before = counts()
    monkeypatch.setattr(services, "_already_planned", lambda key: False)
    created = []
    original_create = ReminderLog.objects.create

    def spy_create(**kwargs):
        created.append(kwargs["key"])
        return original_create(**kwargs)

    monkeypatch.setattr(ReminderLog.objects, "create", spy_create)
    second = services.plan_reminders(today=DAY)
    assert len(created) == 3  # each insert was attempted …
    assert counts() == before  # … and refused by the unique key
    assert second.already_planned == 3
    assert second.messages == 0


def test_unique_key_is_enforced_by_the_database(cluster4):
    services.plan_reminders(today=DAY)
    log = ReminderLog.objects.first()
    with pytest.raises(IntegrityError):
        ReminderLog.objects.create(
            key=log.key,
            kind=log.kind,
            deadline_kind=log.deadline_kind,
            cluster=log.cluster,
            year=log.year,
            deadline=log.deadline,
            offset=log.offset,
        )


def test_other_integrity_errors_are_counted_not_taken_for_duplicates(cluster4, rep_a, monkeypatch):
    def broken(**kwargs):
        raise IntegrityError("NOT NULL constraint failed")

    monkeypatch.setattr(ReminderLog.objects, "create", broken)
    summary = services.plan_reminders(today=DAY)
    assert (summary.errors, summary.already_planned, summary.reminders) == (3, 0, 0)


def test_one_failing_reminder_does_not_stop_the_others(cluster4, rep_a, rep_b, monkeypatch):
    from notifications import content

    original = content.render_reminder

    def render(*, item, **kwargs):
        if item.school == cluster4.school_a:
            raise RuntimeError("template broken for school A")
        return original(item=item, **kwargs)

    monkeypatch.setattr(content, "render_reminder", render)
    summary = services.plan_reminders(today=DAY)
    assert (summary.errors, summary.reminders) == (1, 2)
    # School A's half-made reminder was rolled back: running the scan again retries it.
    assert not ReminderLog.objects.filter(school=cluster4.school_a).exists()
    monkeypatch.setattr(content, "render_reminder", original)
    again = services.plan_reminders(today=DAY)
    assert (again.errors, again.reminders, again.already_planned) == (0, 1, 2)


def test_scan_task_twice_sends_each_email_once(
    cluster4, rep_a, rep_b, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        tasks.scan_deadlines.delay(DAY.isoformat())
    with django_capture_on_commit_callbacks(execute=True):
        tasks.scan_deadlines.delay(DAY.isoformat())
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [rep_a.email, rep_b.email, cluster4.school_c.email]
    )
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {OutboxStatus.SENT}


def test_each_offset_is_its_own_reminder(cluster4, rep_a):
    for days in (7, 3, 1):
        services.plan_reminders(today=days_before(PLEDGE_DEADLINE, days))
    offsets = ReminderLog.objects.filter(school=cluster4.school_a).values_list("offset", flat=True)
    assert sorted(offsets) == ["1", "3", "7"]


def test_manual_reminder_does_not_block_the_scheduled_one(cluster4, rep_a, secretariat):
    services.send_reminder_now(
        year=cluster4.year,
        school=cluster4.school_a,
        deadline_kind=DeadlineKind.PLEDGE,
        by=secretariat,
        today=DAY,
    )
    services.plan_reminders(today=DAY)
    offsets = ReminderLog.objects.filter(school=cluster4.school_a).values_list("offset", flat=True)
    assert sorted(offsets) == ["3", OFFSET_MANUAL]


def test_manual_reminder_twice_is_logged_twice(cluster4, rep_a, secretariat):
    for _ in range(2):
        services.send_reminder_now(
            year=cluster4.year,
            school=cluster4.school_a,
            deadline_kind=DeadlineKind.PLEDGE,
            by=secretariat,
        )
    logs = ReminderLog.objects.filter(offset=OFFSET_MANUAL)
    assert logs.count() == 2
    assert {log.created_by for log in logs} == {secretariat}


def test_messages_are_queued_only_after_commit(cluster4, rep_a, django_capture_on_commit_callbacks):
    make_pledge(cluster4.year, cluster4.school_b, SubmissionStatus.SUBMITTED)
    make_pledge(cluster4.year, cluster4.school_c, SubmissionStatus.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.plan_reminders(today=DAY)
    assert len(callbacks) == 1
    assert mail.outbox == []
    assert OutboxMessage.objects.get().status == OutboxStatus.QUEUED


def test_broker_down_keeps_the_plan_and_the_queued_messages(
    cluster4, rep_a, monkeypatch, django_capture_on_commit_callbacks
):
    def broker_down(*args, **kwargs):
        raise ConnectionRefusedError(111, "Connection refused (redis)")

    monkeypatch.setattr(tasks.send_outbox_message, "delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        services.plan_reminders(today=days_before(REPORT_DEADLINE, 7))
    assert ReminderLog.objects.count() == 3
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {OutboxStatus.QUEUED}


def test_stalled_queued_messages_are_queued_again(
    cluster4, rep_a, django_capture_on_commit_callbacks
):
    services.plan_reminders(today=DAY)
    old = OutboxMessage.objects.get(recipient=rep_a)
    OutboxMessage.objects.filter(pk=old.pk).update(
        created_at=old.created_at - dt.timedelta(hours=3)
    )
    with django_capture_on_commit_callbacks(execute=True):
        requeued = services.requeue_stalled_messages()
    assert requeued == 1
    assert [m.to for m in mail.outbox] == [[rep_a.email]]
    assert OutboxMessage.objects.get(pk=old.pk).status == OutboxStatus.SENT
