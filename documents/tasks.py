"""Celery task of the documents app: an id in, ``services.run_job``, nothing else.

``acks_late`` (and the project's ``task_reject_on_worker_lost``): a worker that dies
mid-job leaves the message to be delivered again; the service then finds the job running
without a heartbeat and starts it again (same job, same number: retried, not duplicated).
"""

from __future__ import annotations

from celery import Task, shared_task
from django.db import InterfaceError, OperationalError

#: While another worker holds the job: wait until it finishes or its heartbeat goes stale.
BUSY_RETRY_SECONDS = 30
BUSY_MAX_RETRIES = 40


class DocumentTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo):
        # Out of retries (or an unexpected crash of the task itself): say so on the job.
        from . import services

        job_id = args[0] if args else kwargs.get("job_id")
        if job_id:
            services.give_up(job_id=job_id)


@shared_task(
    bind=True,
    base=DocumentTask,
    name="documents.generate_document",
    acks_late=True,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=5,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=5,
)
def generate_document(self, job_id: str) -> str:
    from . import services

    outcome = services.run_job(job_id=job_id)
    if outcome == services.BUSY and not self.request.is_eager:
        raise self.retry(countdown=BUSY_RETRY_SECONDS, max_retries=BUSY_MAX_RETRIES)
    return outcome


@shared_task(name="documents.requeue_stale_documents")
def requeue_stale_documents() -> int:
    """For a periodic schedule (django-celery-beat): jobs abandoned by a dead worker."""
    from . import services

    return services.requeue_stale_jobs()
