"""The cross-scoring demo data: frozen past years, 2026 in progress, idempotent."""

from __future__ import annotations

import hashlib

import pytest

from cluster import demo as cluster_demo
from cluster.models import EmulationYear
from cluster.selectors import members_of_year
from evaluations import demo, demo_scoring
from evaluations.enums import AssignmentStatus, ResultsStage
from evaluations.models import (
    Assignment,
    CrossScore,
    ImposedDeduction,
    Objection,
    ResultRow,
    ScoringSettings,
)
from evaluations.selectors_scoring import criteria_of_year, ranking_lines
from evaluations.xlsx_scoring import ranking_csv

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    cluster_demo.seed()
    demo.seed()
    demo_scoring.seed()


def test_past_years_are_frozen_with_complete_cross_scores(seeded):
    for year in EmulationYear.objects.filter(cluster__code="CUM4").exclude(label="2026"):
        settings = ScoringSettings.objects.get(year=year)
        members = list(members_of_year(year))
        n = len(members)
        criteria = criteria_of_year(year)[2]
        assert settings.stage == ResultsStage.FROZEN, year.label
        assert Assignment.objects.filter(year=year, status=AssignmentStatus.SUBMITTED).count() == (
            n * (n - 1)
        )
        assert CrossScore.objects.filter(assignment__year=year).count() == n * (n - 1) * len(
            criteria
        )
        assert ResultRow.objects.filter(year=year).count() == n
        text = ranking_csv(ranking_lines(year))
        assert hashlib.sha256(text.encode()).hexdigest() == settings.fingerprint
        assert Objection.objects.filter(year=year, status="answered").count() == 1


def test_late_reports_carry_a_deduction(seeded):
    from evaluations.models import AnnualReport

    late = AnnualReport.objects.filter(year__cluster__code="CUM4", is_late=True).exclude(
        year__label="2026"
    )
    assert late.exists()
    for report in late:
        assert ImposedDeduction.objects.filter(year=report.year, school=report.school).exists()


def test_current_year_is_in_progress(seeded):
    year = EmulationYear.objects.get(cluster__code="CUM4", label="2026")
    assert ScoringSettings.objects.get(year=year).stage == ResultsStage.SCORING
    statuses = set(Assignment.objects.filter(year=year).values_list("status", flat=True))
    assert statuses == {
        AssignmentStatus.SUBMITTED,
        AssignmentStatus.DRAFT,
        AssignmentStatus.NOT_STARTED,
    }
    assert Assignment.objects.filter(year=year, conflict_declared=True).count() == 1
    assert not ResultRow.objects.filter(year=year).exists()


def test_seed_is_idempotent(seeded):
    counts = (
        Assignment.objects.count(),
        CrossScore.objects.count(),
        ResultRow.objects.count(),
        list(ScoringSettings.objects.order_by("pk").values_list("fingerprint", flat=True)),
    )
    demo_scoring.seed()
    assert counts == (
        Assignment.objects.count(),
        CrossScore.objects.count(),
        ResultRow.objects.count(),
        list(ScoringSettings.objects.order_by("pk").values_list("fingerprint", flat=True)),
    )
