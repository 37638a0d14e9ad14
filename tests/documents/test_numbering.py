"""Document numbers: one sequence per cluster, calendar year and type code; never repeated,
not even for a job that failed; a retry keeps its number; PDF and DOCX share theirs."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import OperationalError, connection

from documents import services
from documents.enums import DocumentKind, JobStatus
from documents.models import DocumentJob, DocumentNumber
from evaluations.models import Pledge
from tests import factories as f

from .support import ISSUED


def test_issue_number_counts_up_per_cluster_year_and_type(cluster4):
    cluster = cluster4.cluster
    assert [
        services.issue_number(cluster=cluster, year=2026, type_code="BB") for _ in range(3)
    ] == [
        1,
        2,
        3,
    ]
    assert services.issue_number(cluster=cluster, year=2026, type_code="TTr") == 1
    assert services.issue_number(cluster=cluster, year=2027, type_code="BB") == 1
    other = f.ClusterFactory(code="CUM8")
    assert services.issue_number(cluster=other, year=2026, type_code="BB") == 1
    assert DocumentNumber.objects.get(cluster=cluster, year=2026, type_code="BB").last_number == 3


@pytest.mark.django_db(transaction=True)
def test_issue_number_never_repeats_under_concurrent_calls(cluster4):
    cluster = cluster4.cluster
    issued: list[int] = []
    errors: list[BaseException] = []

    def worker():
        try:
            for _ in range(5):
                for _attempt in range(400):
                    try:
                        issued.append(
                            services.issue_number(cluster=cluster, year=2026, type_code="BB")
                        )
                        break
                    except OperationalError:  # SQLite: the database is locked, try again
                        time.sleep(0.005)
                else:
                    raise AssertionError("could not get a number")
        except BaseException as error:  # noqa: BLE001 - reported by the main thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(issued) == list(range(1, 21))


def test_first_document_of_the_year_is_number_01(world):
    job, _created = services.request_document(
        kind=DocumentKind.COVENANT, fmt="pdf", year=world.year, by=None, today=ISSUED
    )
    assert job.number == 1
    assert job.number_label == "01/GƯ-CTĐ4"
    assert job.issued_on == ISSUED


def test_two_minutes_of_the_same_type_take_consecutive_numbers(world):
    review, _ = services.request_document(
        kind=DocumentKind.REVIEW_MINUTES, fmt="pdf", year=world.year, by=None, today=ISSUED
    )
    count, _ = services.request_document(
        kind=DocumentKind.VOTE_COUNT_MINUTES,
        fmt="pdf",
        year=world.year,
        by=None,
        round_id=world.voting_round.pk,
        today=ISSUED,
    )
    assert (review.number_label, count.number_label) == ("01/BB-CTĐ4", "02/BB-CTĐ4")


def test_pdf_and_docx_of_the_same_content_share_the_number(world):
    pdf, _ = services.request_document(
        kind=DocumentKind.COVENANT, fmt="pdf", year=world.year, by=None, today=ISSUED
    )
    docx, _ = services.request_document(
        kind=DocumentKind.COVENANT, fmt="docx", year=world.year, by=None, today=ISSUED
    )
    assert docx.pk != pdf.pk
    assert docx.number_label == pdf.number_label == "01/GƯ-CTĐ4"
    assert DocumentNumber.objects.get(type_code="GƯ").last_number == 1


def test_number_of_a_failed_job_is_never_given_again(world):
    failed, _ = services.request_document(
        kind=DocumentKind.COVENANT, fmt="pdf", year=world.year, by=None, today=ISSUED
    )
    DocumentJob.objects.filter(pk=failed.pk).update(status=JobStatus.FAILED)
    # The data changed: a new document, with the next number.
    Pledge.objects.filter(year=world.year, school=world.b).update(commitments="Cam kết mới.")
    again, created = services.request_document(
        kind=DocumentKind.COVENANT, fmt="pdf", year=world.year, by=None, today=ISSUED
    )
    assert created is True
    assert again.number_label == "02/GƯ-CTĐ4"


def test_retry_of_a_failed_job_keeps_its_number(world):
    job, _ = services.request_document(
        kind=DocumentKind.COVENANT, fmt="pdf", year=world.year, by=None, today=ISSUED
    )
    DocumentJob.objects.filter(pk=job.pk).update(
        status=JobStatus.FAILED, error_code="render_failed"
    )
    job.refresh_from_db()
    retried = services.retry_job(job=job, by=None)
    assert retried.pk == job.pk
    assert retried.status == JobStatus.QUEUED
    assert retried.number_label == "01/GƯ-CTĐ4"
    assert DocumentNumber.objects.get(type_code="GƯ").last_number == 1
