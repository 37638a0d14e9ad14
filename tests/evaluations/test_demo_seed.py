"""The evaluations demo data: complete, plausible, deterministic and idempotent."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pytest
from django.db.models import F, Sum

from cluster import demo as cluster_demo
from cluster.selectors import members_of_year
from evaluations import demo
from evaluations.enums import SubmissionStatus
from evaluations.models import (
    AnnualReport,
    CriteriaTable,
    Criterion,
    DeductionReason,
    Evidence,
    Indicator,
    IndicatorResult,
    Pledge,
    PledgeTarget,
    ReportEvent,
    SelfScore,
)

pytestmark = pytest.mark.django_db

MODELS = [
    CriteriaTable,
    Criterion,
    DeductionReason,
    Indicator,
    Pledge,
    PledgeTarget,
    AnnualReport,
    SelfScore,
    IndicatorResult,
    Evidence,
    ReportEvent,
]


@pytest.fixture
def seeded(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    cluster_demo.seed()
    demo.seed()


def snapshot() -> dict:
    counts = {model.__name__: model.objects.count() for model in MODELS}
    history = {
        model.__name__: model.history.count() for model in MODELS if hasattr(model, "history")
    }
    return {"counts": counts, "history": history}


def test_seed_without_the_cluster_does_nothing(db):
    demo.seed()

    assert CriteriaTable.objects.count() == 0


def test_second_seed_changes_nothing(seeded):
    before = snapshot()
    updated = list(Pledge.objects.order_by("pk").values_list("pk", "updated_at"))

    demo.seed()

    assert snapshot() == before
    assert list(Pledge.objects.order_by("pk").values_list("pk", "updated_at")) == updated


def test_every_cum4_year_and_cum8_2026_have_a_table_of_100(seeded):
    tables = CriteriaTable.objects.select_related("year__cluster")
    labels = sorted(f"{t.year.cluster.code} {t.year.label}" for t in tables)

    assert labels == sorted(
        [f"CUM4 {spec.label}" for spec in cluster_demo.CUM4_YEARS] + ["CUM8 2026"]
    )
    for table in tables:
        criteria = table.criteria.filter(parent__isnull=False)
        assert criteria.aggregate(total=Sum("max_points"))["total"] == Decimal("100")
        assert criteria.count() == 19
        assert table.criteria.filter(parent__isnull=True).count() == 6
        assert table.bonus_cap == Decimal("5")
        assert table.deduction_reasons.count() == 3
        assert Indicator.objects.filter(year=table.year).count() == 7


def test_past_years_have_accepted_pledges_and_submitted_reports(seeded):
    tables = CriteriaTable.objects.select_related("year__cluster").filter(
        year__cluster__code="CUM4"
    )
    for table in tables.exclude(year__label="2026"):
        year = table.year
        members = set(members_of_year(year).values_list("pk", flat=True))
        pledges = Pledge.objects.filter(year=year)
        reports = AnnualReport.objects.filter(year=year)
        assert set(pledges.values_list("school_id", flat=True)) == members
        assert set(pledges.values_list("status", flat=True)) == {SubmissionStatus.ACCEPTED}
        assert set(reports.values_list("status", flat=True)) == {SubmissionStatus.SUBMITTED}
        assert set(reports.values_list("school_id", flat=True)) == members
        for report in reports:
            assert report.self_scores.filter(points__isnull=False).count() == 19
            assert report.indicator_results.count() == 7
            assert report.results and report.directions
            assert report.submitted_at is not None
        assert PledgeTarget.objects.filter(pledge__year=year).count() == 7 * len(members)


def test_self_scores_are_within_the_maximum_and_vary(seeded):
    assert not SelfScore.objects.filter(points__gt=F("criterion__max_points")).exists()
    assert not SelfScore.objects.filter(points__lt=0).exists()
    totals = (
        SelfScore.objects.filter(report__year__label="2024", report__year__cluster__code="CUM4")
        .values("report__school__code")
        .annotate(total=Sum("points"))
    )
    assert len({row["total"] for row in totals}) > 3


def test_2026_has_the_workflow_states(seeded):
    pledges = Pledge.objects.filter(year__cluster__code="CUM4", year__label="2026")

    assert Counter(pledges.values_list("status", flat=True)) == {
        SubmissionStatus.ACCEPTED: 4,
        SubmissionStatus.RETURNED: 1,
        SubmissionStatus.DRAFT: 1,
    }
    assert pledges.get(status=SubmissionStatus.RETURNED).return_comment
    reports = AnnualReport.objects.filter(year__cluster__code="CUM4", year__label="2026")
    assert set(reports.values_list("status", flat=True)) == {SubmissionStatus.DRAFT}
    assert reports.count() == 3


def test_seed_is_deterministic(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    cluster_demo.seed()
    demo.seed()
    first = sorted(
        SelfScore.objects.values_list(
            "report__school__code", "report__year__label", "criterion__code", "points"
        )
    )
    SelfScore.objects.all().delete()
    AnnualReport.objects.all().delete()

    demo.seed()

    assert (
        sorted(
            SelfScore.objects.values_list(
                "report__school__code", "report__year__label", "criterion__code", "points"
            )
        )
        == first
    )
