"""Years, phases and leadership rules (DOMAIN rule 8)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from cluster import services
from cluster.enums import LeadershipRole, PhaseKind
from cluster.models import EmulationYear, Leadership, Phase
from tests import factories as f

D = dt.date


def _error_codes(excinfo, field: str) -> list[str]:
    return [e.code for e in excinfo.value.error_dict[field]]


def _roles(year) -> list[tuple[str, str]]:
    return sorted(
        Leadership.objects.filter(year=year).values_list("role", "school__code"),
    )


@pytest.fixture
def year_2025(cluster4):
    return f.EmulationYearFactory(cluster=cluster4.cluster, label="2025")


def test_set_leadership_records_head_deputies_and_decision(cluster4):
    w = cluster4
    services.set_leadership(
        year=w.year,
        head=w.school_b,
        deputies=[w.school_a, w.school_c],
        decision_number="123/QĐ-HVCTQG",
        decision_date=D(2026, 2, 10),
        by=None,
    )
    w.year.refresh_from_db()
    assert _roles(w.year) == [("deputy", "SCA"), ("deputy", "SCC"), ("head", "SCB")]
    assert (w.year.recognition_decision_number, w.year.recognition_decision_date) == (
        "123/QĐ-HVCTQG",
        D(2026, 2, 10),
    )


def test_set_leadership_refuses_head_two_years_running(cluster4, year_2025):
    w = cluster4
    f.LeadershipFactory(year=year_2025, school=w.school_c, role=LeadershipRole.HEAD)
    with pytest.raises(ValidationError) as excinfo:
        services.set_leadership(year=w.year, head=w.school_c, deputies=[], by=None)
    assert _error_codes(excinfo, "head") == ["head_two_years"]
    assert _roles(w.year) == [("deputy", "SCB"), ("head", "SCA")]


def test_set_leadership_message_names_previous_year(cluster4, year_2025):
    w = cluster4
    f.LeadershipFactory(year=year_2025, school=w.school_c, role=LeadershipRole.HEAD)
    with translation.override("en"), pytest.raises(ValidationError) as excinfo:
        services.set_leadership(year=w.year, head=w.school_c, deputies=[], by=None)
    assert excinfo.value.message_dict["head"] == [
        "Trường Chính trị tỉnh C is head in 2025; the same school cannot be head two years running."
    ]


def test_set_leadership_refuses_head_of_following_year(cluster4, year_2025):
    w = cluster4  # A heads 2026; make A head of 2025 too
    with pytest.raises(ValidationError) as excinfo:
        services.set_leadership(year=year_2025, head=w.school_a, deputies=[], by=None)
    assert _error_codes(excinfo, "head") == ["head_two_years"]


def test_set_leadership_allows_head_again_after_a_gap(cluster4):
    w = cluster4
    y2024 = f.EmulationYearFactory(cluster=w.cluster, label="2024")
    f.LeadershipFactory(year=y2024, school=w.school_c, role=LeadershipRole.HEAD)
    f.EmulationYearFactory(cluster=w.cluster, label="2025")
    services.set_leadership(year=w.year, head=w.school_c, deputies=[w.school_a], by=None)
    assert _roles(w.year) == [("deputy", "SCA"), ("head", "SCC")]


def test_set_leadership_refuses_three_deputies(cluster4):
    w = cluster4
    d = f.SchoolFactory(code="SCD")
    f.MembershipFactory(cluster=w.cluster, school=d)
    with pytest.raises(ValidationError) as excinfo:
        services.set_leadership(
            year=w.year, head=w.school_a, deputies=[w.school_b, w.school_c, d], by=None
        )
    assert _error_codes(excinfo, "deputies") == ["too_many_deputies"]


def test_set_leadership_refuses_head_as_deputy(cluster4):
    w = cluster4
    with pytest.raises(ValidationError) as excinfo:
        services.set_leadership(year=w.year, head=w.school_a, deputies=[w.school_a], by=None)
    assert _error_codes(excinfo, "deputies") == ["head_is_deputy"]


def test_set_leadership_refuses_non_member(cluster4, other_cluster):
    w = cluster4
    with pytest.raises(ValidationError) as excinfo:
        services.set_leadership(year=w.year, head=other_cluster["school"], deputies=[], by=None)
    assert _error_codes(excinfo, "head") == ["not_member"]


def test_set_leadership_refuses_school_that_left_before_year_end(cluster4):
    w = cluster4
    membership = w.cluster.memberships.get(school=w.school_c)
    services.end_membership(membership=membership, end_date=D(2026, 6, 30), by=None)
    with pytest.raises(ValidationError) as excinfo:
        services.set_leadership(year=w.year, head=w.school_a, deputies=[w.school_c], by=None)
    assert _error_codes(excinfo, "deputies") == ["not_member"]


def test_save_year_refuses_duplicate_label(cluster4):
    year = EmulationYear(
        cluster=cluster4.cluster, label="2026", start_date=D(2026, 1, 1), end_date=D(2026, 12, 31)
    )
    with pytest.raises(ValidationError) as excinfo:
        services.save_year(year=year, by=None)
    assert _error_codes(excinfo, "label") == ["duplicate_label"]


def test_save_year_allows_same_label_in_another_cluster(cluster4, other_cluster):
    year = EmulationYear(
        cluster=other_cluster["cluster"],
        label="2027",
        start_date=D(2027, 1, 1),
        end_date=D(2027, 12, 31),
    )
    services.save_year(year=year, by=None)
    assert EmulationYear.objects.filter(label="2027").count() == 1


def test_save_year_normalises_school_year_label_to_en_dash(cluster4):
    year = EmulationYear(
        cluster=cluster4.cluster,
        label="2017-2018",
        start_date=D(2017, 9, 1),
        end_date=D(2018, 8, 31),
    )
    services.save_year(year=year, by=None)
    assert EmulationYear.objects.get(pk=year.pk).label == "2017–2018"


@pytest.mark.parametrize("label", ["năm nay", "2017–2019", "26", "events"])
def test_save_year_refuses_bad_label(cluster4, label):
    year = EmulationYear(
        cluster=cluster4.cluster, label=label, start_date=D(2017, 1, 1), end_date=D(2017, 12, 31)
    )
    with pytest.raises(ValidationError) as excinfo:
        services.save_year(year=year, by=None)
    assert _error_codes(excinfo, "label") == ["label_format"]


def test_save_year_refuses_end_before_start(cluster4):
    year = EmulationYear(
        cluster=cluster4.cluster, label="2027", start_date=D(2027, 12, 31), end_date=D(2027, 1, 1)
    )
    with pytest.raises(ValidationError) as excinfo:
        services.save_year(year=year, by=None)
    assert _error_codes(excinfo, "end_date") == ["end_before_start"]


def _phase(year, **kw):
    values = {"kind": PhaseKind.MIDYEAR, "starts_on": D(2026, 7, 1), "deadline": D(2026, 7, 31)}
    values.update(kw)
    return Phase(year=year, **values)


def test_save_phase_accepts_valid_dates(cluster4):
    services.save_phase(phase=_phase(cluster4.year, hard_deadline=D(2026, 8, 10)), by=None)
    assert cluster4.year.phases.filter(kind=PhaseKind.MIDYEAR).exists()


def test_save_phase_refuses_deadline_before_start(cluster4):
    with pytest.raises(ValidationError) as excinfo:
        services.save_phase(phase=_phase(cluster4.year, deadline=D(2026, 6, 1)), by=None)
    assert _error_codes(excinfo, "deadline") == ["deadline_before_start"]


def test_save_phase_refuses_final_deadline_before_deadline(cluster4):
    with pytest.raises(ValidationError) as excinfo:
        services.save_phase(phase=_phase(cluster4.year, hard_deadline=D(2026, 7, 30)), by=None)
    assert _error_codes(excinfo, "hard_deadline") == ["final_before_deadline"]


def test_save_phase_refuses_dates_far_from_the_year(cluster4):
    with pytest.raises(ValidationError) as excinfo:
        services.save_phase(
            phase=_phase(cluster4.year, starts_on=D(2020, 1, 1), deadline=D(2020, 2, 1)), by=None
        )
    assert set(excinfo.value.error_dict) == {"starts_on", "deadline"}


def test_save_phase_accepts_proposals_early_next_year(cluster4):
    phase = _phase(
        cluster4.year, kind=PhaseKind.PROPOSALS, starts_on=D(2026, 12, 1), deadline=D(2027, 1, 15)
    )
    services.save_phase(phase=phase, by=None)
    assert phase.pk is not None


def test_save_phase_refuses_second_phase_of_same_kind(cluster4):
    with pytest.raises(ValidationError) as excinfo:
        services.save_phase(phase=_phase(cluster4.year, kind=PhaseKind.PLEDGE), by=None)
    assert _error_codes(excinfo, "kind") == ["duplicate_phase"]
