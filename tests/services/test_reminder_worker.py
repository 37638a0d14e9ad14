"""A deadline reminder sent by a REAL Celery worker (another process) through Redis.

.ci/run starts the worker on pytest-django's test database with the file email backend;
both processes share EMAIL_FILE_PATH. Skipped without a Redis broker.
"""

from __future__ import annotations

import datetime as dt
import email
import os
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from accounts.enums import Role
from cluster.enums import PhaseKind
from notifications import services
from notifications.enums import OutboxStatus
from notifications.models import Notification, OutboxMessage
from tests import factories as f

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def _mail_texts(directory: Path) -> list[str]:
    """Decoded text parts of every message the file backend wrote."""
    texts = []
    for path in sorted(directory.glob("*.log")):
        for raw in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
            if not raw.strip():
                continue
            message = email.message_from_bytes(raw)
            for part in message.walk():
                if part.get_content_type() in ("text/plain", "text/html"):
                    payload = part.get_payload(decode=True) or b""
                    texts.append(payload.decode(part.get_content_charset() or "utf-8"))
    return texts


def test_worker_sends_deadline_reminder_with_link():
    if not os.environ.get("CELERY_BROKER_URL", "").startswith("redis://"):
        pytest.skip(
            "needs a Redis broker and a Celery worker on the test database "
            "(CELERY_BROKER_URL=redis://…; .ci/run starts them)"
        )
    today = timezone.localdate()
    cluster = f.ClusterFactory(code="NHAC", name="Cụm thi đua nhắc việc")
    school = f.SchoolFactory(code="NHA", name="Trường Chính trị Nhắc Hạn")
    f.MembershipFactory(cluster=cluster, school=school, start_date=dt.date(2015, 1, 1))
    year = f.EmulationYearFactory(cluster=cluster, label=str(today.year))
    f.PhaseFactory(
        year=year,
        kind=PhaseKind.REPORT,
        starts_on=today - dt.timedelta(days=20),
        deadline=today + dt.timedelta(days=3),
    )
    representative = f.UserFactory(
        email="nhac-viec-worker@example.vn",
        full_name="Người Nhận Nhắc",
        role=Role.REPRESENTATIVE,
        school=school,
    )

    summary = services.plan_reminders(today=today)
    assert (summary.reminders, summary.messages) == (1, 1)
    message = OutboxMessage.objects.get(recipient=representative)
    assert Notification.objects.get(user=representative).message_id == message.pk

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        message = OutboxMessage.objects.get(pk=message.pk)
        if message.status == OutboxStatus.SENT:
            break
        time.sleep(0.5)
    assert message.status == OutboxStatus.SENT, (
        f"the worker did not send the reminder in 60 s ({message.status}: {message.last_error})"
    )
    assert message.attempts == 1
    assert message.sent_at is not None

    link = f"{settings.SITE_URL}/e/NHAC/{year.label}/report/mine/"
    texts = [t for t in _mail_texts(Path(settings.EMAIL_FILE_PATH)) if "Nhắc Hạn" in t]
    assert texts, "no reminder in the mails written by the worker"
    assert any(link in text for text in texts)

    # A second scan the same day plans nothing, so the worker sends nothing more.
    assert services.plan_reminders(today=today).messages == 0
    assert OutboxMessage.objects.filter(recipient=representative).count() == 1
