"""Celery tasks of cross-scoring: ids in, a service call, nothing else."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="evaluations.send_scoring_reminder")
def send_scoring_reminder_task(year_id: int, school_id: int) -> int:
    from .services.scoring import send_scoring_reminder

    return send_scoring_reminder(year_id=year_id, school_id=school_id)
