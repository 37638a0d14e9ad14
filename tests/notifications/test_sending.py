"""Sending the outbox: sent once, retried while the mail server is down, failed at last."""

from __future__ import annotations

import datetime as dt
import smtplib

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from evaluations.enums import SubmissionStatus
from notifications import services, tasks
from notifications.enums import OutboxStatus
from notifications.models import OutboxMessage

from .support import PLEDGE_DEADLINE, days_before, make_pledge

pytestmark = pytest.mark.django_db


@pytest.fixture
def message(cluster4, rep_a) -> OutboxMessage:
    """One queued reminder to rep_a (the only school that has not pledged)."""
    make_pledge(cluster4.year, cluster4.school_b, SubmissionStatus.SUBMITTED)
    make_pledge(cluster4.year, cluster4.school_c, SubmissionStatus.SUBMITTED)
    services.plan_reminders(today=days_before(PLEDGE_DEADLINE, 3))
    return OutboxMessage.objects.get()


@pytest.fixture
def eager_retries(monkeypatch):
    """Run Celery's retries in-process: with eager errors propagating (the test default),
    the first Retry would stop the chain."""
    monkeypatch.setitem(tasks.send_outbox_message.app.conf, "task_eager_propagates", False)


def reload(message: OutboxMessage) -> OutboxMessage:
    return OutboxMessage.objects.get(pk=message.pk)


def test_deliver_marks_sent_after_the_backend_returns(message, rep_a):
    assert services.deliver_outbox_message(message_id=message.pk) is True
    message = reload(message)
    assert (message.status, message.attempts, message.last_error) == (OutboxStatus.SENT, 1, "")
    assert message.sent_at is not None
    [email] = mail.outbox
    assert email.to == [rep_a.email]
    assert email.subject == message.subject
    assert email.body == message.body_text
    assert email.alternatives[0][0] == message.body_html
    assert email.alternatives[0][1] == "text/html"
    assert email.extra_headers["Auto-Submitted"] == "auto-generated"


def test_sent_message_is_never_sent_again(message):
    services.deliver_outbox_message(message_id=message.pk)
    assert services.deliver_outbox_message(message_id=message.pk) is False
    tasks.send_outbox_message.delay(message.pk)
    assert len(mail.outbox) == 1
    assert reload(message).attempts == 1


def test_message_claimed_by_another_worker_is_not_sent_twice(message):
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=OutboxStatus.SENDING, attempts=1, last_attempt_at=timezone.now()
    )
    assert services.deliver_outbox_message(message_id=message.pk) is False
    assert mail.outbox == []
    assert reload(message).status == OutboxStatus.SENDING


def test_message_abandoned_by_a_dead_worker_is_sent_later(message):
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=OutboxStatus.SENDING,
        attempts=1,
        last_attempt_at=timezone.now() - dt.timedelta(hours=1),
    )
    assert services.deliver_outbox_message(message_id=message.pk) is True
    assert len(mail.outbox) == 1
    assert (reload(message).status, reload(message).attempts) == (OutboxStatus.SENT, 2)


def test_mail_server_down_keeps_the_message_queued_with_the_reason(message, mail_down, settings):
    settings.LANGUAGE_CODE = "en"
    with pytest.raises(smtplib.SMTPServerDisconnected):
        services.deliver_outbox_message(message_id=message.pk)
    message = reload(message)
    assert (message.status, message.attempts) == (OutboxStatus.QUEUED, 1)
    assert message.last_error == (
        "The mail server closed the connection. (Connection unexpectedly closed)"
    )
    assert message.sent_at is None


def test_task_retries_until_the_mail_server_is_back(message, mail_flaky, eager_retries):
    mail_flaky.failures = 2
    assert tasks.send_outbox_message.delay(message.pk).get() is True
    message = reload(message)
    assert (message.status, message.attempts) == (OutboxStatus.SENT, 3)
    assert message.last_error == ""
    assert len(mail.outbox) == 1


def test_task_marks_failed_after_the_last_retry(message, mail_down, eager_retries):
    result = tasks.send_outbox_message.delay(message.pk)
    with pytest.raises(smtplib.SMTPServerDisconnected):
        result.get()
    message = reload(message)
    assert message.status == OutboxStatus.FAILED
    assert message.attempts == tasks.send_outbox_message.max_retries + 1
    assert "Connection unexpectedly closed" in message.last_error


def test_refused_recipient_fails_at_once_without_retry(message, settings):
    settings.EMAIL_BACKEND = "tests.notifications.support.RefusingBackend"
    settings.LANGUAGE_CODE = "en"
    assert tasks.send_outbox_message.delay(message.pk).get() is False
    message = reload(message)
    assert (message.status, message.attempts) == (OutboxStatus.FAILED, 1)
    assert message.last_error.startswith("The mail server refused the recipient's address.")


def test_retry_sends_a_failed_message(message, secretariat, django_capture_on_commit_callbacks):
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=OutboxStatus.FAILED, attempts=9, last_error="Máy chủ thư không phản hồi."
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.retry_message(message=reload(message), by=secretariat)
    message = reload(message)
    assert (message.status, message.attempts, message.last_error) == (OutboxStatus.SENT, 10, "")
    assert len(mail.outbox) == 1


@pytest.mark.parametrize("status", [OutboxStatus.SENT, OutboxStatus.QUEUED])
def test_retry_refuses_a_message_that_did_not_fail(message, secretariat, status):
    OutboxMessage.objects.filter(pk=message.pk).update(status=status)
    with pytest.raises(ValidationError):
        services.retry_message(message=reload(message), by=secretariat)


@pytest.mark.parametrize(
    ("error", "words"),
    [
        (
            smtplib.SMTPAuthenticationError(535, b"5.7.8 Authentication failed"),
            "The mail server refused our login; check the email settings. "
            "(535 5.7.8 Authentication failed)",
        ),
        (
            smtplib.SMTPDataError(451, b"Try again later"),
            "The mail server answered with an error. (451 Try again later)",
        ),
        (
            smtplib.SMTPRecipientsRefused({"x@example.vn": (550, b"No such user")}),
            "The mail server refused the recipient's address. (x@example.vn: 550 No such user)",
        ),
        (
            ConnectionRefusedError(111, "Connection refused"),
            "The mail server cannot be reached. ([Errno 111] Connection refused)",
        ),
        (TimeoutError("timed out"), "The mail server did not answer in time. (timed out)"),
    ],
)
def test_errors_are_described_in_plain_words(error, words):
    with translation.override("en"):
        assert services.describe_error(error) == words


def test_errors_are_described_in_vietnamese_by_default(message, mail_down):
    with pytest.raises(smtplib.SMTPServerDisconnected):
        services.deliver_outbox_message(message_id=message.pk)
    assert reload(message).last_error == (
        "Máy chủ thư đã ngắt kết nối. (Connection unexpectedly closed)"
    )
