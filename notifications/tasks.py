"""Celery tasks of the notifications app: thin, ids in, a service call.

``send_outbox_message`` is acknowledged late (a worker that dies mid-task leaves it in the
broker for another worker) and retried with backoff while the mail server is down: waits
of up to 1, 2, 4 … minutes (random jitter), at most an hour, 8 times (up to about three
hours in all); then the message is marked failed and the secretariat can send it again
from the outbox page. Sending twice is harmless: the service claims a message first.
"""

from __future__ import annotations

import datetime as dt
import smtplib

from celery import shared_task

from . import services


@shared_task
def scan_deadlines(today: str | None = None) -> dict:
    """The daily scan (django-celery-beat, 07:00): plan today's reminders, and queue again
    any message whose task was lost."""
    day = dt.date.fromisoformat(today) if today else None
    summary = services.plan_reminders(today=day)
    requeued = services.requeue_stalled_messages()
    return {**summary.__dict__, "requeued": requeued}


@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=(smtplib.SMTPException, OSError, ConnectionError),
    retry_backoff=60,
    retry_backoff_max=3600,
    retry_jitter=True,
    max_retries=8,
)
def send_outbox_message(self, message_id: int) -> bool:
    return services.deliver_outbox_message(
        message_id=message_id, final_attempt=self.request.retries >= self.max_retries
    )
