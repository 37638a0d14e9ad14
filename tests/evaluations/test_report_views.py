"""Report pages through the test client, for every persona."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.enums import Role
from evaluations.enums import SubmissionStatus
from evaluations.models import AnnualReport, ReportEvent, SelfScore
from evaluations.services import reports as services
from tests import factories as f
from tests.evaluations.test_report_support import (
    build_world,
    complete_data,
    pdf_bytes,
    upload,
)


@pytest.fixture
def world(cluster4, settings, tmp_path):
    return build_world(cluster4, settings, tmp_path)


SECRET = "Nội dung nháp bí mật của trường A"


@pytest.fixture(autouse=True)
def _before_the_deadline(monkeypatch):
    """Views judge deadlines on today's date: pin it inside the report phase."""
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: dt.date(2026, 10, 20))


@pytest.fixture
def rep_x(other_cluster):
    return f.UserFactory(
        email="daidien.x@example.vn",
        full_name="Đại diện X",
        role=Role.REPRESENTATIVE,
        school=other_cluster["school"],
    )


def _persona(name, request):
    return None if name == "anonymous" else request.getfixturevalue(name)


def _url(report) -> str:
    return reverse("evaluations:report", kwargs={"pk": report.pk})


def _ready(world, rep):
    report = world.report_of(world.school_a)
    data = complete_data(world.criteria)
    data[f"explanation-{world.criteria[0].pk}"] = SECRET
    assert services.save_report_draft(report=report, by=rep, data=data) == {}
    services.add_evidence(
        report=report,
        by=rep,
        uploaded_file=upload("minh-chung.pdf", pdf_bytes()),
        criterion=world.criteria[2],
    )
    return report


def _submitted(world, rep):
    report = _ready(world, rep)
    services.submit_report(report=report, by=rep, today=dt.date(2026, 10, 20))
    return report


# --- my report ------------------------------------------------------------------------------


def test_my_report_anonymous_redirects_to_login(world, client):
    response = client.get(reverse("evaluations:my_report", args=["CUM4", "2026"]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_my_report_creates_the_draft_and_redirects(world, rep_a, client_for):
    response = client_for(rep_a).get(reverse("evaluations:my_report", args=["CUM4", "2026"]))
    report = AnnualReport.objects.get()
    assert (report.school, report.status) == (world.school_a, SubmissionStatus.DRAFT)
    assert response.status_code == 302
    assert response["Location"] == _url(report)


@pytest.mark.parametrize("persona", ["secretariat", "observer", "admin_user", "rep_x"])
def test_my_report_is_forbidden_to_non_members(world, persona, request, client_for):
    user = _persona(persona, request)
    response = client_for(user).get(reverse("evaluations:my_report", args=["CUM4", "2026"]))
    assert response.status_code == 403
    assert not AnnualReport.objects.exists()


def test_my_report_unknown_year_is_404(world, rep_a, client_for):
    response = client_for(rep_a).get(reverse("evaluations:my_report", args=["CUM4", "1999"]))
    assert response.status_code == 404


def test_my_report_accepts_an_en_dash_label(world, rep_a, client_for):
    year = f.EmulationYearFactory(
        cluster=world.cluster,
        label="2017–2018",
        start_date=dt.date(2017, 9, 1),
        end_date=dt.date(2018, 8, 31),
    )
    response = client_for(rep_a).get(reverse("evaluations:my_report", args=["CUM4", "2017–2018"]))
    assert response.status_code == 302
    assert AnnualReport.objects.get().year == year


# --- the report page: who sees what ---------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("rep_a", 200),
        ("rep_b", 403),
        ("secretariat", 403),
        ("observer", 403),
        ("admin_user", 403),
        ("rep_x", 403),
    ],
)
def test_draft_is_seen_by_its_school_only(world, rep_a, persona, status, request, client_for):
    report = _ready(world, rep_a)
    response = client_for(_persona(persona, request)).get(_url(report))
    assert response.status_code == status
    if status == 403:
        assert SECRET not in response.content.decode()


def test_draft_anonymous_redirects_to_login(world, rep_a, client):
    response = client.get(_url(_ready(world, rep_a)))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("rep_a", 200),
        ("rep_b", 200),
        ("secretariat", 200),
        ("observer", 200),
        ("admin_user", 200),
        ("rep_x", 403),
    ],
)
def test_submitted_report_is_open_to_the_cluster(
    world, rep_a, persona, status, request, client_for
):
    report = _submitted(world, rep_a)
    response = client_for(_persona(persona, request)).get(_url(report))
    assert response.status_code == status
    if status == 200:
        html = response.content.decode()
        assert SECRET in html
        assert 'id="report-form"' not in html  # read-only for everyone


def test_submitted_report_is_forbidden_to_another_clusters_secretariat(
    world, rep_a, other_cluster, client_for
):
    report = _submitted(world, rep_a)
    response = client_for(other_cluster["secretariat"]).get(_url(report))
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("persona", "status"),
    [("rep_a", 200), ("rep_b", 403), ("secretariat", 200), ("observer", 200)],
)
def test_returned_report_is_seen_by_school_secretariat_and_observers(
    world, rep_a, secretariat, persona, status, request, client_for
):
    report = _submitted(world, rep_a)
    services.return_report(report=report, by=secretariat, comment="Bổ sung")
    response = client_for(_persona(persona, request)).get(_url(report))
    assert response.status_code == status


def test_unknown_report_is_404(world, rep_a, client_for):
    response = client_for(rep_a).get(reverse("evaluations:report", kwargs={"pk": 999999}))
    assert response.status_code == 404


def test_draft_page_shows_the_form_with_targets_and_percent(world, rep_a, client_for):
    report = world.report_of(world.school_a)
    services.save_report_draft(
        report=report,
        by=rep_a,
        data={f"actual-{world.indicators[0].pk}": "19", f"actual-{world.indicators[1].pk}": "4"},
    )
    response = client_for(rep_a).get(_url(report))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="report-form"' in html
    assert f'name="score-{world.criteria[0].pk}"' in html
    assert 'data-testid="percent-I1">95,0%' in html
    assert 'data-testid="percent-I2">—' in html  # a target of 0: no percentage


# --- saving and submitting through the page -------------------------------------------------


def test_save_draft_keeps_typed_values_and_marks_the_invalid_field(world, rep_a, client_for):
    report = world.report_of(world.school_a)
    c11, c12 = world.criteria[:2]
    response = client_for(rep_a).post(
        _url(report),
        {
            "action": "save",
            "results": "Đoạn văn đang viết dở",
            f"score-{c11.pk}": "12",
            f"score-{c12.pk}": "7.5",
        },
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert f'name="score-{c11.pk}" value="12"' in html
    assert f'id="score-{c11.pk}-error"' in html
    assert "Đoạn văn đang viết dở" in html
    assert SelfScore.objects.get().points == Decimal("7.50")
    report.refresh_from_db()
    assert report.results == "Đoạn văn đang viết dở"


def test_save_draft_redirects_when_everything_is_valid(world, rep_a, client_for):
    report = world.report_of(world.school_a)
    response = client_for(rep_a).post(
        _url(report), {"action": "save", f"score-{world.criteria[0].pk}": "9"}
    )
    assert response.status_code == 302
    assert response["Location"] == _url(report)
    assert SelfScore.objects.get().points == Decimal("9.00")


def test_submit_through_the_page(world, rep_a, client_for):
    report = _ready(world, rep_a)
    response = client_for(rep_a).post(_url(report), {"action": "submit", "lessons": "Bài học"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.status, report.version, report.lessons) == (
        SubmissionStatus.SUBMITTED,
        1,
        "Bài học",
    )


def test_submit_incomplete_lists_the_missing_items_and_keeps_the_draft(world, rep_a, client_for):
    report = world.report_of(world.school_a)
    client = client_for(rep_a)
    client.cookies["django_language"] = "en"
    response = client.post(
        _url(report),
        {"action": "submit", "results": "Kết quả", f"score-{world.criteria[0].pk}": "5"},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert 'data-testid="missing"' in html
    assert "criterion 1.2: no score" in html
    assert "criterion 2.1: evidence required" in html
    report.refresh_from_db()
    assert (report.status, report.results) == (SubmissionStatus.DRAFT, "Kết quả")


def test_post_by_another_school_is_forbidden(world, rep_a, rep_b, client_for):
    report = world.report_of(world.school_a)
    response = client_for(rep_b).post(_url(report), {"action": "save", "results": "Ghi đè"})
    assert response.status_code == 403
    report.refresh_from_db()
    assert report.results == ""


def test_post_on_a_submitted_report_is_forbidden(world, rep_a, client_for):
    report = _submitted(world, rep_a)
    response = client_for(rep_a).post(_url(report), {"action": "save", "results": "Sửa"})
    assert response.status_code == 403


# --- return and accept ----------------------------------------------------------------------


def test_secretariat_returns_with_a_comment(world, rep_a, secretariat, client_for):
    report = _submitted(world, rep_a)
    url = reverse("evaluations:report_return", kwargs={"pk": report.pk})
    response = client_for(secretariat).post(url, {"comment": "Thiếu minh chứng tiêu chí 1.2"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.status, report.return_comment) == (
        SubmissionStatus.RETURNED,
        "Thiếu minh chứng tiêu chí 1.2",
    )
    page = client_for(rep_a).get(_url(report)).content.decode()
    assert 'data-testid="return-comment"' in page
    assert "Thiếu minh chứng tiêu chí 1.2" in page
    assert 'id="report-form"' in page


def test_return_without_a_comment_shows_the_error(world, rep_a, secretariat, client_for):
    report = _submitted(world, rep_a)
    url = reverse("evaluations:report_return", kwargs={"pk": report.pk})
    response = client_for(secretariat).post(url, {"comment": ""})
    assert response.status_code == 400
    assert 'class="form-control is-invalid" id="id_comment"' in response.content.decode()
    report.refresh_from_db()
    assert report.status == SubmissionStatus.SUBMITTED


@pytest.mark.parametrize("persona", ["rep_a", "rep_b", "observer"])
def test_return_is_forbidden_to_others(world, rep_a, persona, request, client_for):
    report = _submitted(world, rep_a)
    url = reverse("evaluations:report_return", kwargs={"pk": report.pk})
    response = client_for(_persona(persona, request)).post(url, {"comment": "x"})
    assert response.status_code == 403
    report.refresh_from_db()
    assert report.status == SubmissionStatus.SUBMITTED


def test_return_by_another_clusters_secretariat_is_forbidden(
    world, rep_a, other_cluster, client_for
):
    report = _submitted(world, rep_a)
    url = reverse("evaluations:report_return", kwargs={"pk": report.pk})
    response = client_for(other_cluster["secretariat"]).post(url, {"comment": "x"})
    assert response.status_code == 403


def test_secretariat_accepts(world, rep_a, secretariat, client_for):
    report = _submitted(world, rep_a)
    url = reverse("evaluations:report_accept", kwargs={"pk": report.pk})
    response = client_for(secretariat).post(url, {"comment": "Đạt"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == SubmissionStatus.ACCEPTED
    assert ReportEvent.objects.latest("pk").comment == "Đạt"


def test_accept_is_forbidden_to_the_school(world, rep_a, client_for):
    report = _submitted(world, rep_a)
    url = reverse("evaluations:report_accept", kwargs={"pk": report.pk})
    assert client_for(rep_a).post(url).status_code == 403


def test_review_form_is_shown_to_the_secretariat_only(world, rep_a, rep_b, secretariat, client_for):
    report = _submitted(world, rep_a)
    action = reverse("evaluations:report_return", kwargs={"pk": report.pk})
    assert action in client_for(secretariat).get(_url(report)).content.decode()
    assert action not in client_for(rep_b).get(_url(report)).content.decode()
    assert action not in client_for(rep_a).get(_url(report)).content.decode()


def test_history_section_shows_versions_and_changes(world, rep_a, secretariat, client_for):
    report = _submitted(world, rep_a)
    services.return_report(report=report, by=secretariat, comment="Sửa 1.2")
    services.save_report_draft(
        report=report, by=rep_a, data={f"score-{world.criteria[1].pk}": "6.5"}
    )
    services.submit_report(report=report, by=rep_a, today=dt.date(2026, 10, 21))
    client = client_for(secretariat)
    client.cookies["django_language"] = "en"
    html = client.get(_url(report)).content.decode()
    assert html.count('data-testid="history-entry"') == 3
    assert "Sửa 1.2" in html
    history = html.split('data-testid="history"')[1]
    assert (
        "<tr><td>Criterion 1.2: self-score</td>"
        '<td class="text-muted" style="white-space: pre-line">8</td>'
        '<td style="white-space: pre-line">6.5</td></tr>'
    ) in history


# --- the list of the year's reports ---------------------------------------------------------


def _list_url():
    return reverse("evaluations:reports", args=["CUM4", "2026"])


def test_report_list_anonymous_redirects(world, client):
    assert client.get(_list_url()).status_code == 302


@pytest.mark.parametrize("persona", ["rep_x"])
def test_report_list_forbidden_outside_the_cluster(world, persona, request, client_for):
    assert client_for(_persona(persona, request)).get(_list_url()).status_code == 403


def test_report_list_forbidden_to_another_clusters_secretariat(world, other_cluster, client_for):
    assert client_for(other_cluster["secretariat"]).get(_list_url()).status_code == 403


def test_report_list_shows_submitted_reports_to_members_but_not_drafts(
    world, rep_a, rep_b, client_for
):
    submitted = _submitted(world, rep_a)
    draft = world.report_of(world.school_b)
    services.save_report_draft(report=draft, by=rep_b, data={"results": "Nháp của B"})
    html = client_for(rep_a).get(_list_url()).content.decode()
    assert _url(submitted) in html
    assert _url(draft) not in html
    assert "Nháp của B" not in html


def test_report_list_shows_the_own_draft_to_its_school(world, rep_b, client_for):
    draft = world.report_of(world.school_b)
    html = client_for(rep_b).get(_list_url()).content.decode()
    assert _url(draft) in html


@pytest.mark.parametrize("persona", ["secretariat", "observer"])
def test_report_list_shows_statuses_but_not_draft_links_to_readers(
    world, rep_b, persona, request, client_for
):
    draft = world.report_of(world.school_b)
    client = client_for(_persona(persona, request))
    client.cookies["django_language"] = "en"
    html = client.get(_list_url()).content.decode()
    assert _url(draft) not in html
    row = html.split('data-testid="report-row-SCB"')[1].split("</tr>")[0]
    assert "Draft" in row
