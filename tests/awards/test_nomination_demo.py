"""The demo seeder of nominations, and the dashboard sections."""

from __future__ import annotations

import pytest
from django.urls import reverse

from awards import demo_nominations
from awards.dashboard_nominations import sections
from awards.enums import NominationStatus as S
from awards.models import Achievement, AwardType, Nomination
from cluster import demo as cluster_demo

from .nominations_support import *  # noqa: F403
from .nominations_support import make_recipient, nominate

pytestmark = pytest.mark.django_db


def test_demo_without_cum4_does_nothing(db):
    demo_nominations.seed()
    assert (AwardType.objects.count(), Nomination.objects.count()) == (0, 0)


def state() -> tuple:
    return (
        AwardType.objects.count(),
        Achievement.objects.count(),
        Nomination.objects.count(),
        sorted(Nomination.objects.values_list("pk", "status")),
    )


def test_demo_data_and_idempotence(db, settings, tmp_path):
    """One run of the whole demo chain (slow), then every expectation, then a second run."""
    from evaluations import demo as evaluations_demo
    from evaluations import demo_scoring

    settings.MEDIA_ROOT = str(tmp_path)
    cluster_demo.seed()
    evaluations_demo.seed()
    demo_scoring.seed()  # freezes the past years' results: the 2025 dossiers can be complete
    demo_nominations.seed()

    revoked = Achievement.objects.filter(revoked_at__isnull=False)
    assert [a.recipient.school.code for a in revoked] == ["HDU"]
    assert set(range(2019, 2026)) <= set(Achievement.objects.values_list("period_year", flat=True))

    statuses = set(Nomination.objects.values_list("year__label", "status"))
    assert {("2023", S.DECIDED), ("2024", S.DECIDED), ("2024", S.REFUSED)} <= statuses
    assert {("2025", S.FORWARDED), ("2025", S.DECIDED), ("2025", S.APPROVED)} <= statuses
    assert {("2026", S.DRAFT), ("2026", S.SUBMITTED)} <= statuses
    for nomination in Nomination.objects.filter(status=S.DECIDED):
        assert Achievement.objects.filter(nomination=nomination).exists()
    for nomination in Nomination.objects.filter(year__label="2026", status=S.SUBMITTED):
        assert nomination.eligibility
        assert all(c["passed"] for c in nomination.eligibility if c["statutory"])
    forwarded = Nomination.objects.filter(year__label="2025", status=S.FORWARDED).first()
    assert forwarded.candidacies.filter(round__status="closed").exists()

    before = state()
    demo_nominations.seed()
    assert state() == before


def test_dashboard_representative_sees_own_in_progress(cluster4, awards, rep_a, rf):
    person = make_recipient(cluster4.school_a, "Người A")
    nominate(cluster4.year, cluster4.school_a, person, awards["LDTT"], status=S.RETURNED)
    nominate(
        cluster4.year,
        cluster4.school_b,
        make_recipient(cluster4.school_b, "Người B"),
        awards["LDTT"],
    )
    (section,) = sections(rf.get("/"), rep_a)
    assert [n.recipient.name for n in section.context["mine"]] == ["Người A"]
    assert [n.recipient.name for n in section.context["action_needed"]] == ["Người A"]
    assert section.context["proposable"] == [cluster4.year]


def test_dashboard_secretariat_counts_steps(cluster4, awards, secretariat, rf):
    for i, status in enumerate([S.SUBMITTED, S.SUBMITTED, S.APPROVED, S.DRAFT]):
        nominate(
            cluster4.year,
            cluster4.school_a,
            make_recipient(cluster4.school_a, f"Người {i}"),
            awards["LDTT"],
            status=status,
        )
    (section,) = sections(rf.get("/"), secretariat)
    assert [(row["status"], row["count"]) for row in section.context["rows"]] == [
        (S.SUBMITTED, 2),
        (S.APPROVED, 1),
    ]


def test_dashboard_page_renders_section(client_for, cluster4, awards, rep_a):
    nominate(
        cluster4.year,
        cluster4.school_a,
        make_recipient(cluster4.school_a, "Người trên bảng"),
        awards["LDTT"],
    )
    content = client_for(rep_a).get(reverse("dashboard")).content.decode()
    assert 'data-testid="dashboard-nominations"' in content
    assert "Người trên bảng" in content


def test_dashboard_observer_sees_forwarded(cluster4, awards, observer, rf):
    nominate(
        cluster4.year,
        cluster4.school_a,
        make_recipient(cluster4.school_a, "Đã chuyển"),
        awards["LDTT"],
        status=S.FORWARDED,
    )
    (section,) = sections(rf.get("/"), observer)
    assert section.context["forwarded_count"] == 1
