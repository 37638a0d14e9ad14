"""Dashboard sections and navigation links of the report work, for every persona."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.enums import Role
from evaluations.context_processors import evaluation_links
from evaluations.dashboard import sections
from evaluations.enums import SubmissionStatus
from evaluations.models import AnnualReport, Pledge
from evaluations.services import reports as services
from tests import factories as f
from tests.evaluations.test_report_support import build_world, complete_data, pdf_bytes, upload


@pytest.fixture
def world(cluster4, settings, tmp_path):
    return build_world(cluster4, settings, tmp_path)


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: dt.date(2026, 10, 20))


def _english(client):
    client.cookies["django_language"] = "en"
    return client


def _section_html(client, testid: str) -> str:
    html = client.get(reverse("dashboard")).content.decode()
    assert f'data-testid="{testid}"' in html
    return html.split(f'data-testid="{testid}"')[1]


# --- representative -------------------------------------------------------------------------


def test_representative_sees_pledge_and_report_with_links(world, rep_a, client_for):
    html = _section_html(_english(client_for(rep_a)), "todo-CUM4")
    assert "Pledge (registration)" in html
    assert 'data-status="accepted"' in html  # A's pledge is accepted in the world
    assert 'data-status="not_started"' in html  # no report yet
    assert reverse("evaluations:my_report", args=["CUM4", "2026"]) in html
    assert "31/10/2026" in html and "10/11/2026" in html


def test_representative_sees_what_is_still_missing(world, rep_a, client_for):
    report = world.report_of(world.school_a)
    services.save_report_draft(report=report, by=rep_a, data={f"score-{world.criteria[0].pk}": "5"})
    html = _section_html(_english(client_for(rep_a)), "todo-CUM4")
    assert 'data-status="draft"' in html
    assert "criterion 1.2: no score" in html
    assert "criterion 2.1: evidence required" in html


def test_representative_sees_the_return_comment(world, rep_a, secretariat, client_for):
    report = world.report_of(world.school_a)
    services.save_report_draft(report=report, by=rep_a, data=complete_data(world.criteria))
    services.add_evidence(
        report=report,
        by=rep_a,
        uploaded_file=upload("a.pdf", pdf_bytes()),
        criterion=world.criteria[2],
    )
    services.submit_report(report=report, by=rep_a, today=dt.date(2026, 10, 20))
    services.return_report(report=report, by=secretariat, comment="Bổ sung số liệu học viên")
    html = _section_html(_english(client_for(rep_a)), "todo-CUM4")
    assert 'data-status="returned"' in html
    assert "Bổ sung số liệu học viên" in html


def test_representative_does_not_see_another_schools_state(world, rep_a, rep_b, client_for):
    report = world.report_of(world.school_a)
    services.save_report_draft(report=report, by=rep_a, data={"results": "Riêng của A"})
    html = client_for(rep_b).get(reverse("dashboard")).content.decode()
    assert "Riêng của A" not in html
    assert reverse("evaluations:report", kwargs={"pk": report.pk}) not in html


def test_representative_of_a_school_without_membership_gets_no_section(world):
    lonely = f.SchoolFactory(code="SOLO")
    rep = f.UserFactory(email="solo@example.vn", role=Role.REPRESENTATIVE, school=lonely)
    assert sections(None, rep) == []


def test_representative_of_another_cluster_sees_its_own_year(world, other_cluster):
    rep_x = f.UserFactory(
        email="x@example.vn", role=Role.REPRESENTATIVE, school=other_cluster["school"]
    )
    blocks = sections(None, rep_x)[0].context["blocks"]
    assert [(b.year.cluster.code, b.year.label) for b in blocks] == [("CUM8", "2026")]


def test_representative_section_lists_each_cluster_year(world, rep_a):
    result = sections(None, rep_a)
    assert [s.template for s in result] == ["evaluations/_dashboard_todo.html"]
    blocks = result[0].context["blocks"]
    assert [(b.year.cluster.code, b.year.label) for b in blocks] == [("CUM4", "2026")]


# --- secretariat and observers --------------------------------------------------------------


def test_secretariat_sees_counts_waiting_schools_and_links(world, secretariat, client_for):
    AnnualReport.objects.create(
        year=world.year, school=world.school_b, status=SubmissionStatus.SUBMITTED, is_late=True
    )
    html = _section_html(_english(client_for(secretariat)), "dashboard-progress")
    assert "Submitted late: <strong>1</strong>" in html
    assert "Not started: <strong>2</strong>" in html
    assert "Trường Chính trị tỉnh A; Trường Chính trị tỉnh C" in html
    assert reverse("evaluations:progress", args=["CUM4", "2026"]) in html
    report = AnnualReport.objects.get()
    assert reverse("evaluations:report", kwargs={"pk": report.pk}) in html


def test_other_clusters_secretariat_sees_only_its_cluster(world, other_cluster, client_for):
    html = client_for(other_cluster["secretariat"]).get(reverse("dashboard")).content.decode()
    assert reverse("evaluations:progress", args=["CUM8", "2026"]) in html
    assert reverse("evaluations:progress", args=["CUM4", "2026"]) not in html


def test_observer_sees_the_counts_of_every_cluster(world, observer, other_cluster, client_for):
    Pledge.objects.create(year=world.year, school=world.school_b, status="submitted")
    AnnualReport.objects.create(
        year=world.year, school=world.school_b, status="submitted", is_late=True
    )
    AnnualReport.objects.create(year=world.year, school=world.school_c, status="draft")
    result = sections(None, observer)
    rows = {r.cluster.code: r for r in result[0].context["rows"]}
    assert set(rows) == {"CUM4", "CUM8"}
    cum4 = rows["CUM4"]
    # A's accepted pledge (from the world) and B's submitted one; B's late report only.
    assert (cum4.members, cum4.pledges_submitted, cum4.reports_submitted, cum4.reports_late) == (
        3,
        2,
        1,
        1,
    )
    html = client_for(observer).get(reverse("dashboard")).content.decode()
    assert 'data-testid="dashboard-counts"' in html


def test_user_without_a_role_gets_no_section(db):
    user = f.UserFactory(email="norole@example.vn", role="")
    assert sections(None, user) == []


# --- navigation -----------------------------------------------------------------------------


def _nav(user):
    return [(g.title, [link.url for link in g.links]) for g in evaluation_links(user)]


def test_nav_links_for_a_representative(world, rep_a):
    assert _nav(rep_a) == [
        (
            "CUM4 2026",
            [
                reverse("evaluations:my_pledge", args=["CUM4", "2026"]),
                reverse("evaluations:my_report", args=["CUM4", "2026"]),
                reverse("evaluations:covenant", args=["CUM4", "2026"]),
                reverse("evaluations:reports", args=["CUM4", "2026"]),
                reverse("evaluations:scoring_year", args=["CUM4", "2026"]),
            ],
        )
    ]


def test_nav_links_for_the_secretariat(world, secretariat):
    assert _nav(secretariat) == [
        (
            "CUM4 2026",
            [
                reverse("evaluations:criteria", args=["CUM4", "2026"]),
                reverse("evaluations:covenant", args=["CUM4", "2026"]),
                reverse("evaluations:reports", args=["CUM4", "2026"]),
                reverse("evaluations:progress", args=["CUM4", "2026"]),
                reverse("evaluations:extensions", args=["CUM4", "2026"]),
                reverse("evaluations:scoring_year", args=["CUM4", "2026"]),
            ],
        )
    ]


def test_nav_links_for_an_observer_are_empty(world, observer):
    assert evaluation_links(observer) == []


def test_nav_renders_in_the_page_when_registered(world, rep_a, client_for, settings):
    options = settings.TEMPLATES[0]["OPTIONS"]
    nav = "evaluations.context_processors.navigation"
    processors = [p for p in options["context_processors"] if p != nav] + [nav]
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "OPTIONS": {**options, "context_processors": processors}}
    ]
    html = client_for(rep_a).get(reverse("dashboard")).content.decode()
    nav = html.split('data-testid="nav-evaluations"')[1].split("</ul>")[0]
    assert reverse("evaluations:my_report", args=["CUM4", "2026"]) in nav


def test_nav_is_absent_for_anonymous_visitors(world, client):
    html = client.get(reverse("accounts:login")).content.decode()
    assert 'data-testid="nav-evaluations"' not in html
