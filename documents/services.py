"""Requesting, producing and retrying documents; issuing their numbers.

- ``request_document`` builds the document's content once to know its data version, then
  returns the live job for the same kind, format, parameters and data (idempotent), or
  creates one with a number and queues it after the commit.
- ``run_job`` (called by the Celery task) is idempotent: a done job is left alone, a
  running one with a recent heartbeat belongs to another worker (``BUSY``), a running one
  whose worker died (no heartbeat for ``STALE_AFTER``) is started again. Each start
  increments ``attempts``, which fences off a late worker: only the current attempt may
  store a file or a failure.
- ``retry_job`` puts a failed (or abandoned) job back in the queue with its number; when
  the data changed meanwhile it is a new document, so a new job (and number) is made.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from cluster.models import Cluster, EmulationYear

from . import content
from .dates import number_label, vietnamese_date_line
from .enums import FORMATS_OF_KIND, TYPE_CODE_OF_KIND, DocumentKind, JobStatus
from .errors import DocumentError, message_for
from .layout import Issue, OfficialDocument
from .models import DocumentJob, DocumentNumber

logger = logging.getLogger(__name__)

#: A running job whose heartbeat is older than this was abandoned by its worker.
STALE_AFTER = timedelta(seconds=getattr(settings, "DOCUMENT_JOB_STALE_SECONDS", 300))

DONE = "done"
FAILED = "failed"
BUSY = "busy"
MISSING = "missing"


# --- numbers ---------------------------------------------------------------------------------


def issue_number(*, cluster: Cluster, year: int, type_code: str) -> int:
    """The next number of (cluster, calendar year, type code). Never the same twice: the
    counter row is locked (``select_for_update``; SQLite locks the whole database on the
    update) and incremented in one transaction."""
    with transaction.atomic():
        counter, _created = DocumentNumber.objects.select_for_update().get_or_create(
            cluster=cluster, year=year, type_code=type_code
        )
        DocumentNumber.objects.filter(pk=counter.pk).update(last_number=F("last_number") + 1)
        return DocumentNumber.objects.values_list("last_number", flat=True).get(pk=counter.pk)


# --- requesting ------------------------------------------------------------------------------


def _digest(*parts) -> str:
    payload = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def params_for(
    *,
    kind: str,
    year: EmulationYear,
    round_id: int | None = None,
    first_year: EmulationYear | None = None,
    last_year: EmulationYear | None = None,
) -> dict:
    """The canonical parameters of a kind (ids only, nothing else)."""
    if kind == DocumentKind.MULTI_YEAR_SUMMARY:
        first, last = first_year or year, last_year or year
        if first.cluster_id != year.cluster_id or last.cluster_id != year.cluster_id:
            raise ValidationError(_("Choose years of this cluster."), code="other_cluster")
        if first.start_date > last.start_date:
            raise ValidationError(str(message_for("bad_range")), code="bad_range")
        return {"first_year": first.pk, "last_year": last.pk}
    if kind == DocumentKind.VOTE_COUNT_MINUTES:
        if not round_id:
            raise ValidationError(_("Choose a voting round."), code="round_required")
        return {"year": year.pk, "round": int(round_id)}
    return {"year": year.pk}


def _live_job(idempotency_key: str) -> DocumentJob | None:
    return (
        DocumentJob.objects.filter(idempotency_key=idempotency_key)
        .exclude(status=JobStatus.FAILED)
        .first()
    )


def _file_exists(job: DocumentJob) -> bool:
    return bool(job.file) and job.file.storage.exists(job.file.name)


def _enqueue(job_id) -> None:
    from .tasks import generate_document

    try:
        generate_document.delay(str(job_id))
    except Exception:  # broker down: the job waits; the job page offers a retry once stale
        logger.exception("Could not queue document job %s", job_id)


def _create_job(
    *,
    kind: str,
    fmt: str,
    params: dict,
    year: EmulationYear,
    document: OfficialDocument,
    by,
    today: date | None = None,
) -> tuple[DocumentJob, bool]:
    data_version = document.fingerprint()
    content_key = _digest(kind, params, data_version)
    key = _digest(content_key, fmt)
    existing = _live_job(key)
    if existing is not None:
        if existing.status == JobStatus.DONE and not _file_exists(existing):
            _requeue(existing)
        return existing, False
    with transaction.atomic():
        # The PDF and the DOCX of the same content are one document with one number.
        sibling = (
            DocumentJob.objects.filter(content_key=content_key, number__isnull=False)
            .order_by("created_at")
            .first()
        )
        if sibling is not None:
            number, label, issued_on = sibling.number, sibling.number_label, sibling.issued_on
        else:
            issued_on = today or timezone.localdate()
            type_code = TYPE_CODE_OF_KIND[kind]
            number = issue_number(cluster=year.cluster, year=issued_on.year, type_code=type_code)
            head = document.letterhead
            label = number_label(number, type_code, head.symbol, party=head.party)
        try:
            with transaction.atomic():
                job = DocumentJob.objects.create(
                    cluster=year.cluster,
                    year=year,
                    kind=kind,
                    format=fmt,
                    params=params,
                    idempotency_key=key,
                    content_key=content_key,
                    data_version=data_version,
                    type_code=TYPE_CODE_OF_KIND[kind],
                    number=number,
                    number_label=label,
                    issued_on=issued_on,
                    requested_by=by,
                )
        except IntegrityError:
            # Asked twice at the same moment: the other request's job is the job.
            existing = _live_job(key)
            if existing is None:
                raise
            return existing, False
        transaction.on_commit(lambda: _enqueue(job.pk), robust=True)
    return job, True


def request_document(
    *,
    kind: str,
    fmt: str,
    year: EmulationYear,
    by,
    round_id: int | None = None,
    first_year: EmulationYear | None = None,
    last_year: EmulationYear | None = None,
    today: date | None = None,
) -> tuple[DocumentJob, bool]:
    """The job producing ``kind`` in ``fmt`` for ``year`` (and the round or range), and
    whether it was created now. Raises ``ValidationError`` for an impossible request and
    ``DocumentError`` (plain-words ``message``) when there is nothing to print yet.

    The caller checks ``documents.request_document`` first."""
    if kind not in FORMATS_OF_KIND or fmt not in FORMATS_OF_KIND[kind]:
        raise ValidationError(_("This document is not available in that format."), code="format")
    params = params_for(
        kind=kind, year=year, round_id=round_id, first_year=first_year, last_year=last_year
    )
    document = content.build(kind, params)
    job_year = last_year if kind == DocumentKind.MULTI_YEAR_SUMMARY and last_year else year
    return _create_job(
        kind=kind, fmt=fmt, params=params, year=job_year, document=document, by=by, today=today
    )


# --- running ---------------------------------------------------------------------------------


def is_stale(job: DocumentJob, now: datetime | None = None) -> bool:
    """Queued or running without a sign of life for ``STALE_AFTER``: its worker died or
    its message was lost."""
    if job.status not in (JobStatus.QUEUED, JobStatus.RUNNING):
        return False
    seen = job.heartbeat_at or job.started_at or job.created_at
    return seen is not None and (now or timezone.now()) - seen > STALE_AFTER


def _progress(job: DocumentJob, percent: int) -> None:
    DocumentJob.objects.filter(pk=job.pk, status=JobStatus.RUNNING, attempts=job.attempts).update(
        progress=percent, heartbeat_at=timezone.now()
    )


def _plain(code: str) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return str(message_for(code))


def _finish(job: DocumentJob, **changes) -> bool:
    """Apply ``changes`` if ``job`` is still the current attempt of a running job."""
    with transaction.atomic():
        locked = DocumentJob.objects.select_for_update().filter(pk=job.pk).first()
        if locked is None or locked.status != JobStatus.RUNNING or locked.attempts != job.attempts:
            return False
        payload = changes.pop("payload", None)
        if payload is not None:
            old_name = locked.file.name if locked.file else ""
            locked.file.save(f"document.{locked.format}", ContentFile(payload), save=False)
            if old_name:
                storage = locked.file.storage
                transaction.on_commit(lambda: storage.delete(old_name))
        for field, value in changes.items():
            setattr(locked, field, value)
        locked.finished_at = timezone.now()
        locked.heartbeat_at = locked.finished_at
        locked.save()
        return True


def _fail(job: DocumentJob, code: str) -> None:
    _finish(job, status=JobStatus.FAILED, error_code=code, error=_plain(code))


def _requeue(job: DocumentJob) -> None:
    DocumentJob.objects.filter(pk=job.pk).update(
        status=JobStatus.QUEUED, progress=0, heartbeat_at=timezone.now(), finished_at=None
    )
    transaction.on_commit(lambda: _enqueue(job.pk), robust=True)


def download_name(title: str, fmt: str) -> str:
    base = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', " ", title)
    base = re.sub(r"\s+", " ", base).strip()[:150] or "document"
    return f"{base}.{fmt}"


#: Errors worth another try later (the task retries them with a backoff).
def transient_errors() -> tuple[type[BaseException], ...]:
    from django.db import InterfaceError, OperationalError

    return (OperationalError, InterfaceError)


def run_job(*, job_id, now: datetime | None = None) -> str:
    """Produce the file of job ``job_id``. Returns ``done``, ``failed``, ``busy`` (another
    worker holds it) or ``missing``."""
    now = now or timezone.now()
    with transaction.atomic():
        job = DocumentJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None:
            return MISSING
        if job.status == JobStatus.DONE:
            return DONE
        if job.status == JobStatus.FAILED:
            return FAILED
        if job.status == JobStatus.RUNNING and not is_stale(job, now):
            return BUSY
        if job.status == JobStatus.RUNNING:
            logger.warning("Document job %s was abandoned by its worker: starting again", job.pk)
        job.status = JobStatus.RUNNING
        job.started_at = now
        job.heartbeat_at = now
        job.attempts += 1
        job.progress = 5
        job.error_code = ""
        job.error = ""
        job.finished_at = None
        job.save(
            update_fields=[
                "status",
                "started_at",
                "heartbeat_at",
                "attempts",
                "progress",
                "error_code",
                "error",
                "finished_at",
            ]
        )
    try:
        _progress(job, 15)
        document = content.build(job.kind, job.params)
        _progress(job, 45)
        issue = Issue(
            number_label=job.number_label,
            date_line=vietnamese_date_line(document.letterhead.place, job.issued_on),
        )
        payload = content_bytes(job, document, issue)
        _progress(job, 90)
        stored = _finish(
            job,
            payload=payload,
            status=JobStatus.DONE,
            progress=100,
            file_name=download_name(document.file_title, job.format),
        )
        return DONE if stored else BUSY
    except DocumentError as error:
        _fail(job, error.code)
        return FAILED
    except transient_errors():
        # Back in the queue: the task retries later with a backoff.
        DocumentJob.objects.filter(pk=job.pk, attempts=job.attempts).update(
            status=JobStatus.QUEUED, progress=0
        )
        raise
    except Exception:
        logger.exception("Document job %s failed", job.pk)
        _fail(job, "render_failed")
        return FAILED


def content_bytes(job: DocumentJob, document: OfficialDocument, issue: Issue) -> bytes:
    from .render import render

    return render(kind=job.kind, fmt=job.format, document=document, issue=issue, params=job.params)


def give_up(*, job_id, code: str = "worker_lost") -> None:
    """The task's last retry failed: the job fails with ``code`` (unless it finished)."""
    DocumentJob.objects.filter(pk=job_id, status__in=[JobStatus.QUEUED, JobStatus.RUNNING]).update(
        status=JobStatus.FAILED,
        error_code=code,
        error=_plain(code),
        finished_at=timezone.now(),
    )


# --- retrying --------------------------------------------------------------------------------


def can_retry(job: DocumentJob, now: datetime | None = None) -> bool:
    return job.status == JobStatus.FAILED or is_stale(job, now)


def retry_job(*, job: DocumentJob, by) -> DocumentJob:
    """Produce a failed (or abandoned) job again, keeping its number, and return the job
    to follow. When the data changed since, the content is a new document: a new job (and
    number) is returned instead. Raises ``DocumentError`` when there is still nothing to
    print."""
    if not can_retry(job):
        return job
    document = content.build(job.kind, job.params)
    if document.fingerprint() != job.data_version:
        year = job.year or EmulationYear.objects.select_related("cluster").get(
            pk=job.params.get("year")
        )
        new_job, _created = _create_job(
            kind=job.kind,
            fmt=job.format,
            params=job.params,
            year=year,
            document=document,
            by=by,
        )
        return new_job
    with transaction.atomic():
        locked = DocumentJob.objects.select_for_update().get(pk=job.pk)
        live = (
            DocumentJob.objects.filter(idempotency_key=locked.idempotency_key)
            .exclude(status=JobStatus.FAILED)
            .exclude(pk=locked.pk)
            .first()
        )
        if live is not None:
            return live
        if not can_retry(locked):
            return locked
        locked.status = JobStatus.QUEUED
        locked.progress = 0
        locked.error_code = ""
        locked.error = ""
        locked.finished_at = None
        locked.heartbeat_at = timezone.now()
        locked.save()
        transaction.on_commit(lambda: _enqueue(locked.pk), robust=True)
    return locked


def requeue_stale_jobs(now: datetime | None = None) -> int:
    """Queue again every job abandoned by its worker or whose message was lost."""
    count = 0
    candidates = DocumentJob.objects.filter(status__in=[JobStatus.QUEUED, JobStatus.RUNNING])
    for job in candidates.only("pk", "status", "heartbeat_at", "started_at", "created_at"):
        if is_stale(job, now):
            _requeue(job)
            count += 1
    return count
