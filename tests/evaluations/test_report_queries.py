"""The report form loads and saves in a fixed number of queries, whatever the size of the
criteria table (10 or 100 criteria, same bound)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from evaluations.models import AnnualReport, BonusClaim, Evidence, IndicatorResult, SelfScore
from evaluations.services import reports as services
from tests import factories as f
from tests.evaluations.test_report_support import (
    make_indicators,
    make_pledge,
    make_table,
    scores_data,
)

PAGE_QUERIES = 21  # whatever the number of criteria (10 or 100)
SAVE_QUERIES = 13
LIST_QUERIES = 11


NAV = "evaluations.context_processors.navigation"


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: dt.date(2026, 10, 20))


@pytest.fixture(autouse=True)
def _with_navigation(settings):
    """Count the navigation's query too (its context processor is registered by the lead)."""
    processors = settings.TEMPLATES[0]["OPTIONS"]["context_processors"]
    if NAV not in processors:
        settings.TEMPLATES = [
            {
                **settings.TEMPLATES[0],
                "OPTIONS": {
                    **settings.TEMPLATES[0]["OPTIONS"],
                    "context_processors": [*processors, NAV],
                },
            }
        ]


def _report_with(year, school, rep_a, criteria_count: int) -> tuple[AnnualReport, list]:
    """A report with a score, an explanation and a file for every criterion, and one
    indicator (with a pledged target and a result) per five criteria."""
    _table, criteria = make_table(year, groups=criteria_count // 5, per_group=5)
    indicators = make_indicators(year, criteria_count // 5)
    make_pledge(year, school, {i: Decimal("10") for i in indicators})
    report = AnnualReport.objects.create(year=year, school=school)
    SelfScore.objects.bulk_create(
        SelfScore(report=report, criterion=c, points=Decimal("5"), explanation="x")
        for c in criteria
    )
    IndicatorResult.objects.bulk_create(
        IndicatorResult(report=report, indicator=i, actual=Decimal("8")) for i in indicators
    )
    Evidence.objects.bulk_create(
        Evidence(
            report=report,
            criterion=c,
            file=f"evidence/x/{c.pk}",
            original_name=f"{c.code}.pdf",
            content_type="application/pdf",
            size=100,
            uploaded_by=rep_a,
        )
        for c in criteria
    )
    BonusClaim.objects.create(report=report, points=Decimal("1"), reason="Hội thảo")
    return report, criteria


@pytest.mark.parametrize("criteria_count", [10, 100])
def test_report_form_loads_in_fixed_queries(
    cluster4, rep_a, client_for, django_assert_max_num_queries, criteria_count
):
    report, criteria = _report_with(cluster4.year, cluster4.school_a, rep_a, criteria_count)
    client = client_for(rep_a)
    url = reverse("evaluations:report", kwargs={"pk": report.pk})
    with django_assert_max_num_queries(PAGE_QUERIES):
        response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('class="form-control form-control-sm text-end js-score') == criteria_count
    assert f"{criteria[-1].code}.pdf" in html


@pytest.mark.parametrize("criteria_count", [10, 100])
def test_submitted_report_loads_in_fixed_queries(
    cluster4, rep_a, rep_b, client_for, django_assert_max_num_queries, criteria_count
):
    report, _criteria = _report_with(cluster4.year, cluster4.school_a, rep_a, criteria_count)
    report.status = "submitted"
    report.save()
    client = client_for(rep_b)
    url = reverse("evaluations:report", kwargs={"pk": report.pk})
    with django_assert_max_num_queries(PAGE_QUERIES):
        response = client.get(url)
    assert response.status_code == 200


def _count_save(report, rep_a, criteria, value: str) -> int:
    data = scores_data(criteria, value, explanation="Giải trình mới")
    data.update({f"actual-{i.pk}": "9" for i in report.year.indicators.all()})
    data["results"] = f"Kết quả {value}"
    with CaptureQueriesContext(connection) as captured:
        errors = services.save_report_draft(report=report, by=rep_a, data=data)
    assert errors == {}
    return len(captured)


def test_saving_all_scores_does_not_grow_with_the_criteria_count(cluster4, rep_a):
    small_report, small = _report_with(cluster4.year, cluster4.school_a, rep_a, 10)
    small_count = _count_save(small_report, rep_a, small, "7")
    assert set(SelfScore.objects.filter(report=small_report).values_list("points", flat=True)) == {
        Decimal("7.00")
    }
    # A ten times larger table in another year of the same cluster.
    year = f.EmulationYearFactory(cluster=cluster4.cluster, label="2027")
    large_report, large = _report_with(year, cluster4.school_a, rep_a, 100)
    large_count = _count_save(large_report, rep_a, large, "6")
    assert set(SelfScore.objects.filter(report=large_report).values_list("points", flat=True)) == {
        Decimal("6.00")
    }
    assert large_count == small_count
    assert small_count <= SAVE_QUERIES


def test_first_save_creates_all_scores_in_fixed_queries(cluster4, rep_a):
    counts = []
    for label, size in (("2030", 10), ("2031", 100)):
        year = f.EmulationYearFactory(cluster=cluster4.cluster, label=label)
        _table, criteria = make_table(year, groups=size // 5, per_group=5)
        report = AnnualReport.objects.create(year=year, school=cluster4.school_a)
        with CaptureQueriesContext(connection) as captured:
            services.save_report_draft(report=report, by=rep_a, data=scores_data(criteria, "3"))
        counts.append(len(captured))
        assert SelfScore.objects.filter(report=report, points=Decimal("3")).count() == size
    assert counts[0] == counts[1]


@pytest.mark.parametrize("extra_schools", [3, 30])
@pytest.mark.parametrize("persona", ["secretariat", "rep_a"])
def test_report_list_loads_in_fixed_queries(
    cluster4, client_for, django_assert_max_num_queries, extra_schools, persona, request
):
    for n in range(extra_schools):
        school = f.SchoolFactory(code=f"L{n:03d}")
        f.MembershipFactory(cluster=cluster4.cluster, school=school)
        AnnualReport.objects.create(
            year=cluster4.year, school=school, status="submitted", version=1
        )
    client = client_for(request.getfixturevalue(persona))
    with django_assert_max_num_queries(LIST_QUERIES):
        response = client.get(reverse("evaluations:reports", args=["CUM4", "2026"]))
    assert response.content.decode().count('data-testid="report-row-') == extra_schools + 3
