"""Jobs: idempotent requests, idempotent runs, restarts of abandoned jobs, failures in
plain words, retries, and the Celery task (eager in tests)."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from documents import services
from documents.enums import DocumentKind, JobStatus
from documents.errors import DocumentError
from documents.models import DocumentJob
from documents.tasks import generate_document
from evaluations.models import Pledge

from .support import ISSUED


def _covenant(world, fmt="pdf", by=None):
    return services.request_document(
        kind=DocumentKind.COVENANT, fmt=fmt, year=world.year, by=by, today=ISSUED
    )


def test_request_twice_returns_the_same_job(world, secretariat):
    first, created_first = _covenant(world, by=secretariat)
    second, created_second = _covenant(world, by=secretariat)
    assert (created_first, created_second) == (True, False)
    assert second.pk == first.pk
    assert DocumentJob.objects.count() == 1


def test_request_after_the_data_changed_makes_a_new_job(world):
    first, _ = _covenant(world)
    Pledge.objects.filter(year=world.year, school=world.a).update(commitments="Cam kết mới.")
    second, created = _covenant(world)
    assert created is True
    assert second.pk != first.pk
    assert second.data_version != first.data_version


def test_request_in_a_format_the_kind_does_not_have_is_refused(world):
    with pytest.raises(ValidationError):
        _covenant(world, fmt="xlsx")


def test_request_with_nothing_to_print_is_refused_in_plain_words(world):
    Pledge.objects.filter(year=world.year).update(status="draft")
    with pytest.raises(DocumentError) as raised:
        _covenant(world)
    assert raised.value.code == "no_pledges"
    assert DocumentJob.objects.count() == 0


def test_run_job_produces_the_file(world, settings):
    job, _ = _covenant(world)
    assert services.run_job(job_id=job.pk) == services.DONE
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert job.progress == 100
    assert job.attempts == 1
    assert job.file_name == "Giao ước thi đua 2026.pdf"
    assert job.file.name.startswith("documents/")
    assert Path(settings.MEDIA_ROOT, job.file.name).read_bytes().startswith(b"%PDF")
    assert job.finished_at is not None


def test_run_job_twice_does_nothing_the_second_time(world):
    job, _ = _covenant(world)
    services.run_job(job_id=job.pk)
    job.refresh_from_db()
    stored = job.file.name
    assert services.run_job(job_id=job.pk) == services.DONE
    job.refresh_from_db()
    assert (job.attempts, job.file.name) == (1, stored)


def test_run_job_leaves_a_job_another_worker_is_running(world):
    job, _ = _covenant(world)
    DocumentJob.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING, attempts=1, heartbeat_at=timezone.now(), progress=45
    )
    assert services.run_job(job_id=job.pk) == services.BUSY
    job.refresh_from_db()
    assert (job.status, job.attempts, job.progress) == (JobStatus.RUNNING, 1, 45)


def test_run_job_restarts_a_job_whose_worker_died(world):
    job, _ = _covenant(world)
    long_ago = timezone.now() - services.STALE_AFTER - dt.timedelta(minutes=1)
    DocumentJob.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING, attempts=1, started_at=long_ago, heartbeat_at=long_ago
    )
    assert services.run_job(job_id=job.pk) == services.DONE
    job.refresh_from_db()
    assert (job.status, job.attempts, job.number_label) == (JobStatus.DONE, 2, "01/GƯ-CTĐ4")
    assert DocumentJob.objects.count() == 1


def test_a_late_worker_cannot_overwrite_the_restarted_job(world):
    job, _ = _covenant(world)
    DocumentJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, attempts=1)
    late = DocumentJob.objects.get(pk=job.pk)  # what the first worker holds
    DocumentJob.objects.filter(pk=job.pk).update(attempts=2)  # restarted meanwhile
    assert services._finish(late, status=JobStatus.FAILED, error_code="render_failed") is False
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING


def test_run_job_fails_in_plain_words_when_the_data_is_gone(world):
    job, _ = _covenant(world)
    Pledge.objects.filter(year=world.year).update(status="draft")
    assert services.run_job(job_id=job.pk) == services.FAILED
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.error_code == "no_pledges"
    assert "pledge" in job.error or "đăng ký" in job.error
    assert not job.file


def test_run_job_fails_with_render_failed_on_an_unexpected_error(world, monkeypatch):
    job, _ = _covenant(world)

    def broken(*args, **kwargs):
        raise RuntimeError("WeasyPrint exploded")

    monkeypatch.setattr(services, "content_bytes", broken)
    assert services.run_job(job_id=job.pk) == services.FAILED
    job.refresh_from_db()
    assert (job.status, job.error_code) == (JobStatus.FAILED, "render_failed")
    assert "WeasyPrint" not in job.error  # plain words, not a traceback


def test_retry_of_a_failed_job_produces_it_with_the_same_number(world, monkeypatch):
    job, _ = _covenant(world)
    real = services.content_bytes
    monkeypatch.setattr(
        services, "content_bytes", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("x"))
    )
    services.run_job(job_id=job.pk)
    monkeypatch.setattr(services, "content_bytes", real)
    job.refresh_from_db()
    retried = services.retry_job(job=job, by=None)
    assert retried.pk == job.pk
    assert services.run_job(job_id=job.pk) == services.DONE
    job.refresh_from_db()
    assert (job.status, job.attempts, job.number_label) == (JobStatus.DONE, 2, "01/GƯ-CTĐ4")
    assert job.error_code == ""


def test_retry_after_the_data_changed_returns_a_new_job(world):
    job, _ = _covenant(world)
    DocumentJob.objects.filter(pk=job.pk).update(status=JobStatus.FAILED)
    job.refresh_from_db()
    Pledge.objects.filter(year=world.year, school=world.a).update(commitments="Cam kết khác.")
    followed = services.retry_job(job=job, by=None)
    assert followed.pk != job.pk
    assert followed.number_label == "02/GƯ-CTĐ4"


def test_retry_when_an_identical_job_is_live_returns_that_job(world):
    job, _ = _covenant(world)
    DocumentJob.objects.filter(pk=job.pk).update(status=JobStatus.FAILED)
    live, created = _covenant(world)
    assert created is True
    job.refresh_from_db()
    assert services.retry_job(job=job, by=None).pk == live.pk


def test_retry_of_a_done_job_changes_nothing(world):
    job, _ = _covenant(world)
    services.run_job(job_id=job.pk)
    job.refresh_from_db()
    assert services.retry_job(job=job, by=None).status == JobStatus.DONE


def test_done_job_whose_file_vanished_is_produced_again_on_request(world):
    job, _ = _covenant(world)
    services.run_job(job_id=job.pk)
    job.refresh_from_db()
    job.file.storage.delete(job.file.name)
    again, created = _covenant(world)
    assert (again.pk, created) == (job.pk, False)
    again.refresh_from_db()
    assert again.status == JobStatus.QUEUED


def test_task_runs_the_job_in_process(world):
    job, _ = _covenant(world)
    assert generate_document.delay(str(job.pk)).get() == services.DONE
    job.refresh_from_db()
    assert job.status == JobStatus.DONE


def test_request_queues_the_task_after_the_commit(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        job, _ = _covenant(world)
    assert len(callbacks) == 1
    job.refresh_from_db()
    assert job.status == JobStatus.DONE


def test_give_up_marks_the_job_failed_for_a_lost_worker(world):
    job, _ = _covenant(world)
    services.give_up(job_id=job.pk)
    job.refresh_from_db()
    assert (job.status, job.error_code) == (JobStatus.FAILED, "worker_lost")


def test_requeue_stale_jobs_queues_abandoned_jobs_only(world):
    stale, _ = _covenant(world)
    fresh, _ = _covenant(world, fmt="docx")
    long_ago = timezone.now() - services.STALE_AFTER - dt.timedelta(minutes=1)
    DocumentJob.objects.filter(pk=stale.pk).update(
        status=JobStatus.RUNNING, heartbeat_at=long_ago, progress=45
    )
    DocumentJob.objects.filter(pk=fresh.pk).update(
        status=JobStatus.RUNNING, heartbeat_at=timezone.now(), progress=45
    )
    assert services.requeue_stale_jobs() == 1
    stale.refresh_from_db()
    fresh.refresh_from_db()
    assert (stale.status, stale.progress) == (JobStatus.QUEUED, 0)
    assert fresh.status == JobStatus.RUNNING


def test_requeue_command_reports_the_count(world):
    job, _ = _covenant(world)
    long_ago = timezone.now() - services.STALE_AFTER - dt.timedelta(minutes=1)
    DocumentJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, heartbeat_at=long_ago)
    out = StringIO()
    call_command("requeue_stale_documents", stdout=out)
    assert out.getvalue().strip() == "1 document job(s) queued again."
