"""The documents pages load in a fixed number of queries, whatever the number of schools,
rounds, years and jobs (the same bound on a small and a ten times larger data set)."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from awards.enums import RoundKind, RoundStatus
from awards.models import VotingRound
from documents.enums import DocumentKind, JobStatus
from documents.models import DocumentJob
from tests import factories as f

# The evaluations navigation of a representative costs one query on every page.
PAGE_QUERIES = 15
JOB_QUERIES = 6


def _grow(world, secretariat, scale: int) -> None:
    now = timezone.now()
    for n in range(2 * scale):
        school = f.SchoolFactory(code=f"Q{scale}{n:03d}", name=f"Trường Chính trị số {n}")
        f.MembershipFactory(cluster=world.cluster, school=school, start_date=dt.date(2015, 1, 1))
    for n in range(scale):
        VotingRound.objects.create(
            year=world.year,
            kind=RoundKind.CHOOSE,
            title=f"Vòng {n}",
            opens_at=now - dt.timedelta(hours=3),
            closes_at=now - dt.timedelta(hours=2),
            status=RoundStatus.CLOSED,
            closed_at=now - dt.timedelta(hours=2),
        )
        f.EmulationYearFactory(cluster=world.cluster, label=str(2000 + n))
    for n in range(2 * scale):
        DocumentJob.objects.create(
            cluster=world.cluster,
            year=world.year,
            kind=DocumentKind.ANNUAL_REPORT if n % 2 else DocumentKind.COVENANT,
            format="pdf",
            idempotency_key=uuid.uuid4().hex,
            content_key=uuid.uuid4().hex,
            data_version="v",
            number=n + 1,
            number_label=f"{n + 1:02d}/BC-CTĐ4",
            status=JobStatus.DONE,
            progress=100,
            requested_by=secretariat,
        )


@pytest.mark.parametrize("scale", [1, 10])
@pytest.mark.parametrize("who", ["secretariat", "rep_a"])
def test_documents_page_queries_do_not_grow(
    world, secretariat, rep_a, client_for, django_assert_max_num_queries, scale, who
):
    _grow(world, secretariat, scale)
    client = client_for(secretariat if who == "secretariat" else rep_a)
    url = reverse("documents:year", args=[world.cluster.code, world.year.label])
    with django_assert_max_num_queries(PAGE_QUERIES):
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count('data-testid="job-row"') == min(2 * scale, 20)


@pytest.mark.parametrize("scale", [1, 10])
def test_job_page_queries_do_not_grow(
    world, secretariat, client_for, django_assert_max_num_queries, scale
):
    _grow(world, secretariat, scale)
    job = DocumentJob.objects.filter(year=world.year).first()
    client = client_for(secretariat)
    with django_assert_max_num_queries(JOB_QUERIES):
        assert client.get(job.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(JOB_QUERIES):
        assert client.get(reverse("documents:job_progress", args=[job.pk])).status_code == 200
