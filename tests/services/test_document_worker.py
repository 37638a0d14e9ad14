"""A document produced by a REAL Celery worker (another process) through Redis.

.ci/run starts the worker on pytest-django's test database with the same MEDIA_ROOT as
the tests: the test asks for the covenant through the service (queued on commit), waits
for the worker to finish, and reads the file the worker wrote. Skipped without Redis.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from django.conf import settings

from documents import services
from documents.enums import DocumentKind, JobStatus
from documents.models import DocumentJob
from tests.documents.support import DATE_LINE, ISSUED, build_world, flat, pdf_text

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_worker_produces_the_covenant_pdf(cluster4):
    if not os.environ.get("CELERY_BROKER_URL", "").startswith("redis://"):
        pytest.skip(
            "needs a Redis broker and a Celery worker on the test database "
            "(CELERY_BROKER_URL=redis://…; .ci/run starts them)"
        )
    world = build_world(cluster4)
    job, created = services.request_document(
        kind=DocumentKind.COVENANT, fmt="pdf", year=world.year, by=None, today=ISSUED
    )
    assert created is True

    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        job = DocumentJob.objects.get(pk=job.pk)
        if job.status in (JobStatus.DONE, JobStatus.FAILED):
            break
        time.sleep(0.5)
    assert job.status == JobStatus.DONE, (
        f"the worker did not finish in 90 s: {job.status} {job.error_code} {job.error}"
    )
    assert (job.progress, job.attempts) == (100, 1)

    path = Path(settings.MEDIA_ROOT) / job.file.name
    assert path.exists(), f"the worker wrote no file at {path} (is MEDIA_ROOT shared?)"
    text = flat(pdf_text(path.read_bytes()))
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Số: 01/GƯ-CTĐ4" in text
    assert DATE_LINE in text
    assert "Trường Chính trị Nguyễn Văn Linh" in text
    # Asking again returns the finished job instead of producing it twice.
    again, created_again = services.request_document(
        kind=DocumentKind.COVENANT, fmt="pdf", year=world.year, by=None, today=ISSUED
    )
    assert (again.pk, created_again) == (job.pk, False)
