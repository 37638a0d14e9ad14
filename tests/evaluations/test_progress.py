"""The progress table: school × pledge/report status, filter, Excel export, who may see it."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from cluster.enums import PhaseKind
from evaluations.enums import ProgressStatus, SubmissionStatus
from evaluations.models import AnnualReport, Extension, Pledge
from evaluations.progress import ProgressFilter, progress_queryset, status_counts
from tests import factories as f

SUBMITTED_AT = timezone.make_aware(dt.datetime(2026, 10, 30, 9, 0))


@pytest.fixture
def statuses(cluster4):
    """Five members at every status: A (pledge accepted, report late), B (pledge
    submitted, report returned), C (nothing), D (pledge draft, report draft),
    E (pledge late, report accepted)."""
    year = cluster4.year
    d = f.SchoolFactory(code="SCD", name="Trường Chính trị tỉnh D")
    e = f.SchoolFactory(code="SCE", name="Trường Chính trị tỉnh E")
    for school in (d, e):
        f.MembershipFactory(cluster=cluster4.cluster, school=school)
    a, b = cluster4.school_a, cluster4.school_b
    Pledge.objects.create(year=year, school=a, status=SubmissionStatus.ACCEPTED)
    Pledge.objects.create(year=year, school=b, status=SubmissionStatus.SUBMITTED)
    Pledge.objects.create(year=year, school=d, status=SubmissionStatus.DRAFT)
    Pledge.objects.create(year=year, school=e, status=SubmissionStatus.SUBMITTED, is_late=True)
    AnnualReport.objects.create(
        year=year,
        school=a,
        status=SubmissionStatus.SUBMITTED,
        is_late=True,
        submitted_at=SUBMITTED_AT,
        version=1,
    )
    AnnualReport.objects.create(year=year, school=b, status=SubmissionStatus.RETURNED, version=1)
    AnnualReport.objects.create(year=year, school=d, status=SubmissionStatus.DRAFT)
    AnnualReport.objects.create(year=year, school=e, status=SubmissionStatus.ACCEPTED, version=2)
    Extension.objects.create(
        year=year,
        school=b,
        phase_kind=PhaseKind.REPORT,
        until=dt.date(2026, 11, 20),
        reason="Thiên tai",
    )
    return cluster4


def _by_code(year):
    return {s.code: (s.pledge_progress, s.report_progress) for s in progress_queryset(year)}


def test_progress_statuses_per_school(statuses):
    assert _by_code(statuses.year) == {
        "SCA": (ProgressStatus.ACCEPTED, ProgressStatus.LATE),
        "SCB": (ProgressStatus.SUBMITTED, ProgressStatus.RETURNED),
        "SCC": (ProgressStatus.NOT_STARTED, ProgressStatus.NOT_STARTED),
        "SCD": (ProgressStatus.DRAFT, ProgressStatus.DRAFT),
        "SCE": (ProgressStatus.LATE, ProgressStatus.ACCEPTED),
    }


def test_progress_lists_only_the_years_members(statuses, other_cluster):
    Pledge.objects.create(
        year=f.EmulationYearFactory(cluster=other_cluster["cluster"], label="2026"),
        school=other_cluster["school"],
    )
    assert "SCX" not in _by_code(statuses.year)


def test_progress_carries_dates_and_extensions(statuses):
    rows = {s.code: s for s in progress_queryset(statuses.year)}
    assert rows["SCA"].report_submitted_at == SUBMITTED_AT
    assert rows["SCB"].report_extension == dt.date(2026, 11, 20)
    assert rows["SCA"].report_extension is None


def test_status_counts(statuses):
    counts = status_counts(progress_queryset(statuses.year))
    report = {c.value: c.count for c in counts["report"]}
    assert report == {
        "not_started": 1,
        "draft": 1,
        "submitted": 0,
        "late": 1,
        "returned": 1,
        "accepted": 1,
    }


@pytest.mark.parametrize(
    ("params", "codes"),
    [
        ({"report_progress": "late"}, ["SCA"]),
        ({"pledge_progress": "not_started"}, ["SCC"]),
        ({"q": "tỉnh D"}, ["SCD"]),
        ({"q": "sce"}, ["SCE"]),
        ({}, ["SCA", "SCB", "SCC", "SCD", "SCE"]),
    ],
)
def test_progress_filter(statuses, params, codes):
    progress_filter = ProgressFilter(params or None, queryset=progress_queryset(statuses.year))
    assert [s.code for s in progress_filter.qs] == codes


# --- the page -------------------------------------------------------------------------------


def _url(name="evaluations:progress"):
    return reverse(name, args=["CUM4", "2026"])


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("secretariat", 200),
        ("observer", 200),
        ("admin_user", 200),
        ("rep_a", 403),
        ("rep_b", 403),
    ],
)
def test_progress_page_personas(statuses, persona, status, request, client_for):
    response = client_for(request.getfixturevalue(persona)).get(_url())
    assert response.status_code == status


def test_progress_page_forbidden_to_another_clusters_secretariat(
    statuses, other_cluster, client_for
):
    assert client_for(other_cluster["secretariat"]).get(_url()).status_code == 403


def test_progress_page_anonymous_redirects(statuses, client):
    response = client.get(_url())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_progress_page_unknown_year_is_404(statuses, secretariat, client_for):
    response = client_for(secretariat).get(reverse("evaluations:progress", args=["CUM4", "1990"]))
    assert response.status_code == 404


def test_progress_page_shows_each_schools_statuses(statuses, secretariat, client_for):
    html = client_for(secretariat).get(_url()).content.decode()
    row = html.split('data-testid="progress-row-SCA"')[1].split("</tr>")[0]
    assert 'data-status="accepted"' in row
    assert 'data-status="late"' in row
    assert "30/10/2026" in row
    row_b = html.split('data-testid="progress-row-SCB"')[1].split("</tr>")[0]
    assert "20/11/2026" in row_b


def test_progress_page_does_not_link_to_drafts(statuses, secretariat, client_for):
    draft = AnnualReport.objects.get(school__code="SCD")
    late = AnnualReport.objects.get(school__code="SCA")
    html = client_for(secretariat).get(_url()).content.decode()
    assert reverse("evaluations:report", kwargs={"pk": draft.pk}) not in html
    assert reverse("evaluations:report", kwargs={"pk": late.pk}) in html


def test_progress_page_filters(statuses, secretariat, client_for):
    html = client_for(secretariat).get(_url(), {"report_progress": "returned"}).content.decode()
    assert 'data-testid="progress-row-SCB"' in html
    assert 'data-testid="progress-row-SCA"' not in html


def test_progress_page_with_a_bad_filter_value_does_not_fail(statuses, secretariat, client_for):
    response = client_for(secretariat).get(_url(), {"report_progress": "nonsense"})
    assert response.status_code == 200


def test_progress_export_is_an_xlsx_of_the_filtered_rows(statuses, secretariat, client_for):
    client = client_for(secretariat)
    client.cookies["django_language"] = "en"
    response = client.get(_url("evaluations:progress_export"), {"report_progress": "late"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="progress-CUM4-2026.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][:4] == ("No.", "Code", "School", "Pledge")
    assert rows[2][:4] == (1, "SCA", "Trường Chính trị tỉnh A", "Accepted")
    assert rows[2][6] == "Submitted late"
    assert rows[2][7].date() == dt.date(2026, 10, 30)
    assert len(rows) == 3


@pytest.mark.parametrize("persona", ["rep_a", "anonymous"])
def test_progress_export_refused_to_others(statuses, persona, request, client_for):
    user = None if persona == "anonymous" else request.getfixturevalue(persona)
    response = client_for(user).get(_url("evaluations:progress_export"))
    assert response.status_code in (302, 403)
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("extra_schools", [3, 30])
def test_progress_page_queries_do_not_grow(
    cluster4, secretariat, client_for, django_assert_max_num_queries, extra_schools
):
    for n in range(extra_schools):
        school = f.SchoolFactory(code=f"Q{n:03d}")
        f.MembershipFactory(cluster=cluster4.cluster, school=school)
        Pledge.objects.create(year=cluster4.year, school=school, status="submitted")
        AnnualReport.objects.create(year=cluster4.year, school=school, status="draft")
    client = client_for(secretariat)
    with django_assert_max_num_queries(8):
        response = client.get(_url())
    assert response.content.decode().count('data-testid="progress-row-') == extra_schools + 3
