"""Celery tasks of the accounts app: thin, they take ids and call a service."""

from __future__ import annotations

import smtplib

from celery import shared_task

from . import services


@shared_task(
    autoretry_for=(smtplib.SMTPException, ConnectionError),
    retry_backoff=True,
    max_retries=5,
)
def send_invitation_email(invitation_id: int) -> bool:
    return services.deliver_invitation_email(invitation_id=invitation_id)
