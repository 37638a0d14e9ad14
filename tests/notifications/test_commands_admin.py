"""The management commands (send_reminders, setup_schedules), the admin and the policy."""

from __future__ import annotations

from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import IntegrityError
from django.urls import reverse
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from notifications import services
from notifications.enums import OutboxStatus
from notifications.models import (
    Notification,
    OutboxMessage,
    ReminderLog,
    ReminderPolicy,
    parse_offsets,
)
from tests import factories as f

from .support import REPORT_DEADLINE, days_before

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


# --- send_reminders ----------------------------------------------------------------------


def test_send_reminders_plans_the_given_day(cluster4, rep_a, rep_b):
    day = days_before(REPORT_DEADLINE, 7).isoformat()
    output = run("send_reminders", "--date", day)
    assert output.strip() == ("Reminders: 3, late lists: 0, emails queued: 3, already planned: 0.")
    assert ReminderLog.objects.count() == 3


def test_send_reminders_twice_plans_nothing_new(cluster4, rep_a):
    day = days_before(REPORT_DEADLINE, 7).isoformat()
    run("send_reminders", "--date", day)
    output = run("send_reminders", "--date", day)
    assert "Reminders: 0" in output
    assert "already planned: 3" in output
    assert OutboxMessage.objects.count() == 3


def test_send_reminders_rejects_a_bad_date(db):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        run("send_reminders", "--date", "31/10/2026")


# --- setup_schedules ---------------------------------------------------------------------


def test_setup_schedules_creates_the_daily_scan(db):
    output = run("setup_schedules")
    task = PeriodicTask.objects.get(name=services.SCHEDULE_TASK_NAME)
    assert task.task == "notifications.tasks.scan_deadlines"
    assert task.enabled is True
    crontab = task.crontab
    assert (crontab.minute, crontab.hour, crontab.day_of_week) == ("0", "7", "*")
    assert str(crontab.timezone) == "Asia/Ho_Chi_Minh"
    assert "created" in output


def test_setup_schedules_twice_is_idempotent(db):
    run("setup_schedules")
    output = run("setup_schedules")
    assert PeriodicTask.objects.filter(name=services.SCHEDULE_TASK_NAME).count() == 1
    assert CrontabSchedule.objects.count() == 1
    assert "left unchanged" in output


def test_setup_schedules_keeps_an_edited_schedule(db):
    run("setup_schedules")
    earlier = CrontabSchedule.objects.create(
        minute="30", hour="6", timezone=ZoneInfo("Asia/Ho_Chi_Minh")
    )
    PeriodicTask.objects.filter(name=services.SCHEDULE_TASK_NAME).update(crontab=earlier)
    run("setup_schedules")
    assert PeriodicTask.objects.get(name=services.SCHEDULE_TASK_NAME).crontab == earlier


def test_scheduled_task_name_is_a_registered_task():
    from config.celery import app

    assert services.SCAN_TASK in app.tasks


# --- policy --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "days"),
    [("7, 3, 1", [7, 3, 1]), ("1,3,7,3", [7, 3, 1]), ("14; 0", [14, 0]), (" 5 ", [5])],
)
def test_parse_offsets(text, days):
    assert parse_offsets(text) == days


@pytest.mark.parametrize("text", ["", " , ", "7, ba", "-1", "400", "2.5"])
def test_parse_offsets_refuses_bad_input(text):
    with pytest.raises(ValidationError):
        parse_offsets(text)


def test_one_default_policy_per_cluster(cluster4):
    ReminderPolicy.objects.create(cluster=cluster4.cluster)
    with pytest.raises(IntegrityError):
        ReminderPolicy.objects.create(cluster=cluster4.cluster)


def test_policy_year_must_belong_to_the_cluster(cluster4, other_cluster):
    policy = ReminderPolicy(cluster=other_cluster["cluster"], year=cluster4.year, offsets="7, 3, 1")
    with pytest.raises(ValidationError) as error:
        policy.full_clean()
    assert "year" in error.value.message_dict


# --- admin ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "model", ["reminderpolicy", "reminderlog", "outboxmessage", "notification"]
)
def test_admin_lists_load(cluster4, rep_a, admin_user, client_for, model):
    services.plan_reminders(today=days_before(REPORT_DEADLINE, 3))
    response = client_for(admin_user).get(reverse(f"admin:notifications_{model}_changelist"))
    assert response.status_code == 200


def test_admin_policy_form_explains_bad_offsets(cluster4, admin_user, client_for):
    response = client_for(admin_user).post(
        reverse("admin:notifications_reminderpolicy_add"),
        {
            "cluster": cluster4.cluster.pk,
            "enabled": "on",
            "offsets": "7, ba",
            "send_late_list": "on",
        },
    )
    assert response.status_code == 200
    assert "offsets" in response.context["adminform"].form.errors
    assert ReminderPolicy.objects.count() == 0


def test_admin_log_is_read_only(cluster4, rep_a, admin_user, client_for):
    services.plan_reminders(today=days_before(REPORT_DEADLINE, 3))
    log = ReminderLog.objects.first()
    client = client_for(admin_user)
    assert client.get(reverse("admin:notifications_reminderlog_add")).status_code == 403
    response = client.post(
        reverse("admin:notifications_reminderlog_change", args=[log.pk]), {"offset": "9"}
    )
    assert response.status_code == 403
    assert ReminderLog.objects.get(pk=log.pk).offset == "3"


def test_admin_action_sends_failed_messages_again(
    cluster4, rep_a, admin_user, client_for, django_capture_on_commit_callbacks
):
    services.plan_reminders(today=days_before(REPORT_DEADLINE, 3))
    message = OutboxMessage.objects.get(recipient=rep_a)
    OutboxMessage.objects.filter(pk=message.pk).update(status=OutboxStatus.FAILED)
    with django_capture_on_commit_callbacks(execute=True):
        client_for(admin_user).post(
            reverse("admin:notifications_outboxmessage_changelist"),
            {"action": "retry_failed", "_selected_action": [message.pk]},
        )
    assert OutboxMessage.objects.get(pk=message.pk).status == OutboxStatus.SENT


def test_admin_is_closed_to_the_secretariat(secretariat, client_for):
    response = client_for(secretariat).get(reverse("admin:notifications_outboxmessage_changelist"))
    assert response.status_code == 302


def test_notification_admin_lists_users_notifications(cluster4, admin_user, client_for):
    user = f.UserFactory(email="nguoinhan@example.vn")
    Notification.objects.create(user=user, title="Nhắc việc thử")
    response = client_for(admin_user).get(reverse("admin:notifications_notification_changelist"))
    assert "Nhắc việc thử" in response.content.decode()
