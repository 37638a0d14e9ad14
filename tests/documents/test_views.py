"""The documents pages with every persona: the year's page, asking for a document, the
job page and its htmx progress partial, the download and the retry."""

from __future__ import annotations

import pytest
from django.urls import reverse

from documents import services
from documents.enums import DocumentKind, JobStatus
from documents.models import DocumentJob
from evaluations.enums import ResultsStage
from evaluations.models import Pledge, ScoringSettings

from .support import DRAFT_MARK, ISSUED

PERSONAS = ["secretariat", "rep_a", "rep_b", "observer", "admin_user", "other_secretariat"]


@pytest.fixture
def persona(request, world, secretariat, rep_a, rep_b, observer, admin_user, other_cluster):
    users = {
        "secretariat": secretariat,
        "rep_a": rep_a,
        "rep_b": rep_b,
        "observer": observer,
        "admin_user": admin_user,
        "other_secretariat": other_cluster["secretariat"],
    }
    return users[request.param]


def _page_url(world) -> str:
    return reverse("documents:year", args=[world.cluster.code, world.year.label])


def _request_url(world) -> str:
    return reverse("documents:request", args=[world.cluster.code, world.year.label])


def _job(world, kind=DocumentKind.COVENANT, fmt="pdf", run=False, **extra) -> DocumentJob:
    job, _ = services.request_document(
        kind=kind, fmt=fmt, year=world.year, by=None, today=ISSUED, **extra
    )
    if run:
        services.run_job(job_id=job.pk)
        job.refresh_from_db()
    return job


# --- the year's page ----------------------------------------------------------------------


def test_documents_page_anonymous_goes_to_login(world, client):
    response = client.get(_page_url(world))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("secretariat", 200),
        ("rep_a", 200),
        ("rep_b", 200),
        ("observer", 200),
        ("admin_user", 200),
        ("other_secretariat", 403),
    ],
    indirect=["persona"],
)
def test_documents_page_by_persona(world, persona, status, client_for):
    response = client_for(persona).get(_page_url(world))
    assert response.status_code == status


def test_documents_page_unknown_year_is_404(world, client_for, secretariat):
    url = reverse("documents:year", args=[world.cluster.code, "1999"])
    assert client_for(secretariat).get(url).status_code == 404


def test_documents_page_secretariat_sees_every_request_button(world, client_for, secretariat):
    html = client_for(secretariat).get(_page_url(world)).content.decode()
    for testid in (
        "request-covenant-pdf",
        "request-covenant-docx",
        "request-score_summary-xlsx",
        "request-review_minutes-pdf",
        f"request-vote_count_minutes-pdf-{world.voting_round.pk}",
        "request-award_submission-docx",
        "request-annual_report-pdf",
        "request-multi_year_summary-pdf",
    ):
        assert f'data-testid="{testid}"' in html, testid
    # Only closed rounds have vote-count minutes.
    assert f"request-vote_count_minutes-pdf-{world.open_round.pk}" not in html


def test_documents_page_representative_sees_only_the_read_only_documents(world, client_for, rep_a):
    html = client_for(rep_a).get(_page_url(world)).content.decode()
    assert 'data-testid="request-covenant-pdf"' not in html
    assert 'data-testid="request-award_submission-pdf"' not in html
    assert 'data-testid="request-score_summary-pdf"' in html  # published
    assert 'data-testid="request-annual_report-pdf"' in html
    assert 'data-testid="request-multi_year_summary-pdf"' in html


def test_documents_page_representative_has_no_score_summary_before_publication(
    world, client_for, rep_a
):
    ScoringSettings.objects.filter(year=world.year).update(stage=ResultsStage.SCORING)
    html = client_for(rep_a).get(_page_url(world)).content.decode()
    assert 'data-testid="request-score_summary-pdf"' not in html


def test_documents_page_says_why_a_document_is_not_available(world, client_for, secretariat):
    Pledge.objects.filter(year=world.year).update(status="draft")
    html = client_for(secretariat).get(_page_url(world)).content.decode()
    assert 'data-testid="reason-covenant"' in html
    assert 'data-testid="request-covenant-pdf"' not in html


def test_documents_page_lists_produced_jobs_without_drafts(world, client_for, rep_b):
    job = _job(world, run=True)
    html = client_for(rep_b).get(_page_url(world)).content.decode()
    assert job.get_absolute_url() in html
    assert "01/GƯ-CTĐ4" in html
    assert DRAFT_MARK not in html
    assert "Lê Thị Nháp" not in html


# --- asking for a document ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "kind", "status"),
    [
        ("secretariat", "covenant", 302),
        ("admin_user", "covenant", 302),
        ("rep_a", "covenant", 403),
        ("observer", "covenant", 403),
        ("other_secretariat", "covenant", 403),
        ("rep_a", "annual_report", 302),
        ("observer", "annual_report", 302),
        ("rep_b", "score_summary", 302),
        ("observer", "award_submission", 403),
    ],
    indirect=["persona"],
)
def test_request_by_persona(world, persona, kind, status, client_for):
    response = client_for(persona).post(_request_url(world), {"kind": kind, "format": "pdf"})
    assert response.status_code == status
    if status == 302:
        job = DocumentJob.objects.get(kind=kind)
        assert response["Location"] == job.get_absolute_url()
        assert job.requested_by == persona
    else:
        assert not DocumentJob.objects.exists()


def test_request_score_summary_by_representative_before_publication_is_403(
    world, client_for, rep_a
):
    ScoringSettings.objects.filter(year=world.year).update(stage=ResultsStage.SCORING)
    response = client_for(rep_a).post(
        _request_url(world), {"kind": "score_summary", "format": "pdf"}
    )
    assert response.status_code == 403


def test_request_anonymous_goes_to_login(world, client):
    response = client.post(_request_url(world), {"kind": "covenant", "format": "pdf"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_request_get_is_not_allowed(world, client_for, secretariat):
    assert client_for(secretariat).get(_request_url(world)).status_code == 405


def test_request_twice_leads_to_the_same_job(world, client_for, secretariat):
    client = client_for(secretariat)
    first = client.post(_request_url(world), {"kind": "covenant", "format": "pdf"})
    second = client.post(_request_url(world), {"kind": "covenant", "format": "pdf"})
    assert first["Location"] == second["Location"]
    assert DocumentJob.objects.count() == 1


def test_request_runs_the_job_after_the_commit(
    world, client_for, secretariat, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client_for(secretariat).post(_request_url(world), {"kind": "covenant", "format": "docx"})
    job = DocumentJob.objects.get()
    assert (job.status, job.progress) == (JobStatus.DONE, 100)


def test_request_in_a_format_the_kind_lacks_shows_the_error(world, client_for, secretariat):
    response = client_for(secretariat).post(
        _request_url(world), {"kind": "covenant", "format": "xlsx"}
    )
    assert response.status_code == 400
    assert response.context["range_form"].errors["format"]
    assert not DocumentJob.objects.exists()


def test_request_unknown_kind_is_400_not_500(world, client_for, secretariat):
    response = client_for(secretariat).post(_request_url(world), {"kind": "x", "format": "pdf"})
    assert response.status_code == 400
    assert "kind" in response.context["range_form"].errors


def test_request_multi_year_with_reversed_range_keeps_the_choice_and_says_why(
    world, client_for, secretariat
):
    response = client_for(secretariat).post(
        _request_url(world),
        {
            "kind": "multi_year_summary",
            "format": "pdf",
            "first_year": world.year.pk,
            "last_year": world.earlier[0].pk,
        },
    )
    assert response.status_code == 400
    form = response.context["range_form"]
    assert "first_year" in form.errors
    html = response.content.decode()
    assert f'<option value="{world.earlier[0].pk}" selected>' in html


def test_request_multi_year_creates_the_job_for_the_range(world, client_for, observer):
    response = client_for(observer).post(
        _request_url(world),
        {
            "kind": "multi_year_summary",
            "format": "docx",
            "first_year": world.earlier[0].pk,
            "last_year": world.year.pk,
        },
    )
    assert response.status_code == 302
    job = DocumentJob.objects.get()
    assert job.params == {"first_year": world.earlier[0].pk, "last_year": world.year.pk}


def test_request_vote_count_of_an_open_round_is_refused(world, client_for, secretariat):
    response = client_for(secretariat).post(
        _request_url(world),
        {"kind": "vote_count_minutes", "format": "pdf", "round": world.open_round.pk},
    )
    assert response.status_code == 400
    assert "round" in response.context["range_form"].errors


def test_request_with_nothing_to_print_says_so_and_creates_nothing(world, client_for, secretariat):
    Pledge.objects.filter(year=world.year).update(status="draft")
    response = client_for(secretariat).post(
        _request_url(world), {"kind": "covenant", "format": "pdf"}, follow=True
    )
    assert response.redirect_chain[-1][0] == _page_url(world)
    messages = [str(m) for m in response.context["messages"]]
    assert len(messages) == 1
    assert not DocumentJob.objects.exists()


# --- the job page, progress, download, retry ----------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("secretariat", 200),
        ("rep_a", 200),
        ("rep_b", 200),
        ("observer", 200),
        ("admin_user", 200),
        ("other_secretariat", 403),
    ],
    indirect=["persona"],
)
def test_job_page_by_persona(world, persona, status, client_for):
    job = _job(world)
    assert client_for(persona).get(job.get_absolute_url()).status_code == status
    url = reverse("documents:job_progress", args=[job.pk])
    assert client_for(persona).get(url).status_code == status


def test_job_page_anonymous_goes_to_login(world, client):
    response = client.get(_job(world).get_absolute_url())
    assert response.status_code == 302


def test_job_page_unknown_job_is_404(world, client_for, secretariat):
    url = reverse("documents:job", args=["7d3c2b1a-0000-4000-8000-000000000000"])
    assert client_for(secretariat).get(url).status_code == 404


def test_score_summary_job_is_hidden_from_members_until_published(world, client_for, rep_a):
    job = _job(world, kind=DocumentKind.SCORE_SUMMARY)
    ScoringSettings.objects.filter(year=world.year).update(stage=ResultsStage.SCORING)
    assert client_for(rep_a).get(job.get_absolute_url()).status_code == 403
    download = reverse("documents:download", args=[job.pk])
    assert client_for(rep_a).get(download).status_code == 403


def test_progress_partial_polls_every_second_while_queued(world, client_for, secretariat):
    job = _job(world)
    html = client_for(secretariat).get(reverse("documents:job_progress", args=[job.pk])).content
    html = html.decode()
    assert 'hx-trigger="every 1s"' in html
    assert 'data-status="queued"' in html
    assert 'data-testid="download"' not in html


def test_progress_partial_shows_the_bar_of_a_running_job(world, client_for, secretariat):
    job = _job(world)
    DocumentJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, progress=45)
    html = client_for(secretariat).get(reverse("documents:job_progress", args=[job.pk])).content
    html = html.decode()
    assert 'aria-valuenow="45"' in html
    assert "width: 45%" in html
    assert 'hx-trigger="every 1s"' in html


def test_progress_partial_stops_polling_and_offers_the_download_when_done(
    world, client_for, secretariat
):
    job = _job(world, run=True)
    html = client_for(secretariat).get(reverse("documents:job_progress", args=[job.pk])).content
    html = html.decode()
    assert 'hx-trigger="every 1s"' not in html
    assert reverse("documents:download", args=[job.pk]) in html


def test_failed_job_says_why_and_offers_a_retry_to_who_may_ask(
    world, client_for, secretariat, rep_a
):
    job = _job(world)
    DocumentJob.objects.filter(pk=job.pk).update(
        status=JobStatus.FAILED, error_code="no_pledges", error="x"
    )
    html = client_for(secretariat).get(job.get_absolute_url()).content.decode()
    assert 'data-testid="job-error"' in html
    assert 'data-testid="retry"' in html
    assert 'hx-trigger="every 1s"' not in html
    html_rep = client_for(rep_a).get(job.get_absolute_url()).content.decode()
    assert 'data-testid="job-error"' in html_rep
    assert 'data-testid="retry"' not in html_rep


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("secretariat", 200),
        ("rep_b", 200),
        ("observer", 200),
        ("admin_user", 200),
        ("other_secretariat", 403),
    ],
    indirect=["persona"],
)
def test_download_by_persona(world, persona, status, client_for):
    job = _job(world, run=True)
    response = client_for(persona).get(reverse("documents:download", args=[job.pk]))
    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"] == "application/pdf"
        assert "attachment" in response["Content-Disposition"]
        assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_download_of_an_unfinished_job_is_404(world, client_for, secretariat):
    job = _job(world)
    response = client_for(secretariat).get(reverse("documents:download", args=[job.pk]))
    assert response.status_code == 404


def test_download_anonymous_goes_to_login(world, client):
    job = _job(world, run=True)
    response = client.get(reverse("documents:download", args=[job.pk]))
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("persona", "status"),
    [("secretariat", 302), ("admin_user", 302), ("rep_a", 403), ("observer", 403)],
    indirect=["persona"],
)
def test_retry_by_persona(world, persona, status, client_for):
    job = _job(world)
    DocumentJob.objects.filter(pk=job.pk).update(status=JobStatus.FAILED, error_code="x")
    response = client_for(persona).post(reverse("documents:retry", args=[job.pk]))
    assert response.status_code == status
    job.refresh_from_db()
    assert job.status == (JobStatus.QUEUED if status == 302 else JobStatus.FAILED)
