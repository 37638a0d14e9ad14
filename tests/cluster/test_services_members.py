"""Memberships and mergers: cluster.services and the members-of-a-year rule."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from cluster import services
from cluster.models import Membership, School, SchoolMerge
from cluster.selectors import members_of_year
from tests import factories as f

D = dt.date


def _codes(schools) -> list[str]:
    return sorted(s.code for s in schools)


def _error_codes(excinfo, field: str) -> list[str]:
    return [e.code for e in excinfo.value.error_dict[field]]


@pytest.fixture
def delta(db):
    """Cluster with A, B, C, N (Ninh Bình-like) members since 2015 and a 2025 year."""
    cluster = f.ClusterFactory(code="CUM4")
    schools = {}
    for code in ("A", "B", "C", "N"):
        schools[code] = f.SchoolFactory(code=f"S{code}")
        f.MembershipFactory(cluster=cluster, school=schools[code], start_date=D(2015, 1, 1))
    year = f.EmulationYearFactory(cluster=cluster, label="2025")
    return cluster, schools, year


def test_members_of_merger_year_are_successor_and_others(delta):
    cluster, s, year = delta
    successor = f.SchoolFactory(code="SS")
    services.record_merger(
        predecessors=[s["A"], s["B"]],
        successor=successor,
        effective_date=D(2025, 7, 1),
        cluster=cluster,
        by=None,
    )
    assert _codes(members_of_year(year)) == ["SC", "SN", "SS"]


def test_record_merger_ends_predecessors_day_before(delta):
    cluster, s, _ = delta
    services.record_merger(
        predecessors=[s["A"], s["B"]],
        successor=f.SchoolFactory(code="SS"),
        effective_date=D(2025, 7, 1),
        cluster=cluster,
        by=None,
    )
    ends = set(
        Membership.objects.filter(school__in=[s["A"], s["B"]]).values_list("end_date", flat=True)
    )
    assert ends == {D(2025, 6, 30)}


def test_record_merger_starts_successor_on_effective_date(delta):
    cluster, s, _ = delta
    successor = f.SchoolFactory(code="SS")
    services.record_merger(
        predecessors=[s["A"]],
        successor=successor,
        effective_date=D(2025, 7, 1),
        cluster=cluster,
        by=None,
    )
    membership = Membership.objects.get(school=successor)
    assert (membership.cluster, membership.start_date, membership.end_date) == (
        cluster,
        D(2025, 7, 1),
        None,
    )


def test_record_merger_creates_links(delta):
    cluster, s, _ = delta
    successor = f.SchoolFactory(code="SS")
    services.record_merger(
        predecessors=[s["A"], s["B"]],
        successor=successor,
        effective_date=D(2025, 7, 1),
        cluster=cluster,
        by=None,
        note="Nghị quyết 202/2025/QH15",
    )
    links = SchoolMerge.objects.order_by("predecessor__code")
    assert [(m.predecessor.code, m.successor.code, m.effective_date) for m in links] == [
        ("SA", "SS", D(2025, 7, 1)),
        ("SB", "SS", D(2025, 7, 1)),
    ]


def test_record_merger_keeps_absorbing_member_membership(delta):
    """Ninh Bình absorbs Hà Nam and Nam Định: its own membership simply continues."""
    cluster, s, year = delta
    services.record_merger(
        predecessors=[s["A"], s["B"]],
        successor=s["N"],
        effective_date=D(2025, 7, 1),
        cluster=cluster,
        by=None,
    )
    memberships = list(
        Membership.objects.filter(school=s["N"]).values_list("start_date", "end_date")
    )
    assert memberships == [(D(2015, 1, 1), None)]
    assert _codes(members_of_year(year)) == ["SC", "SN"]


def test_record_merger_creates_a_new_successor_school(delta):
    cluster, s, _ = delta
    new = School(code="hy2", name="Trường Chính trị tỉnh Hưng Yên (mới)", province="Hưng Yên")
    services.record_merger(
        predecessors=[s["A"]], successor=new, effective_date=D(2025, 7, 1), cluster=cluster, by=None
    )
    created = School.objects.get(code="HY2")
    assert created.memberships.get().start_date == D(2025, 7, 1)


def test_record_merger_refuses_merging_into_itself(delta):
    cluster, s, _ = delta
    with pytest.raises(ValidationError) as excinfo:
        services.record_merger(
            predecessors=[s["A"], s["N"]],
            successor=s["N"],
            effective_date=D(2025, 7, 1),
            cluster=cluster,
            by=None,
        )
    assert _error_codes(excinfo, "predecessors") == ["into_itself"]
    assert SchoolMerge.objects.count() == 0


def test_record_merger_refuses_a_second_merge(delta):
    cluster, s, _ = delta
    services.record_merger(
        predecessors=[s["A"]],
        successor=s["N"],
        effective_date=D(2025, 7, 1),
        cluster=cluster,
        by=None,
    )
    with pytest.raises(ValidationError) as excinfo:
        services.record_merger(
            predecessors=[s["A"]],
            successor=s["C"],
            effective_date=D(2025, 8, 1),
            cluster=cluster,
            by=None,
        )
    assert _error_codes(excinfo, "predecessors") == ["already_merged"]


def test_record_merger_is_all_or_nothing(delta):
    cluster, s, _ = delta
    outsider = f.SchoolFactory(code="OUT")
    with pytest.raises(ValidationError):
        services.record_merger(
            predecessors=[s["A"], outsider],
            successor=s["N"],
            effective_date=D(2025, 7, 1),
            cluster=cluster,
            by=None,
        )
    assert Membership.objects.get(school=s["A"]).end_date is None
    assert SchoolMerge.objects.count() == 0


def test_record_merger_refuses_predecessor_not_member(delta):
    cluster, s, _ = delta
    outsider = f.SchoolFactory(code="OUT")
    with pytest.raises(ValidationError) as excinfo:
        services.record_merger(
            predecessors=[outsider],
            successor=s["N"],
            effective_date=D(2025, 7, 1),
            cluster=cluster,
            by=None,
        )
    assert _error_codes(excinfo, "predecessors") == ["not_member"]


def test_record_merger_message_names_the_school(delta, settings):
    cluster, s, _ = delta
    from django.utils import translation

    with translation.override("en"), pytest.raises(ValidationError) as excinfo:
        services.record_merger(
            predecessors=[s["N"]],
            successor=s["N"],
            effective_date=D(2025, 7, 1),
            cluster=cluster,
            by=None,
        )
    assert excinfo.value.message_dict["predecessors"] == [
        f"{s['N'].name} cannot merge into itself."
    ]


def test_school_joining_mid_year_counts_for_the_year(delta):
    cluster, _, year = delta
    newcomer = f.SchoolFactory(code="NEW")
    services.add_member(cluster=cluster, school=newcomer, start_date=D(2025, 9, 1), by=None)
    assert "NEW" in _codes(members_of_year(year))


def test_school_leaving_mid_year_does_not_count(delta):
    cluster, s, year = delta
    membership = Membership.objects.get(school=s["C"])
    services.end_membership(membership=membership, end_date=D(2025, 5, 31), by=None)
    assert "SC" not in _codes(members_of_year(year))


def test_add_member_refuses_current_member(delta):
    cluster, s, _ = delta
    with pytest.raises(ValidationError) as excinfo:
        services.add_member(cluster=cluster, school=s["A"], start_date=D(2026, 1, 1), by=None)
    assert _error_codes(excinfo, "start_date") == ["already_member"]


def test_add_member_accepts_former_member_after_its_end(delta):
    cluster, s, _ = delta
    membership = Membership.objects.get(school=s["C"])
    services.end_membership(membership=membership, end_date=D(2020, 12, 31), by=None)
    services.add_member(cluster=cluster, school=s["C"], start_date=D(2023, 1, 1), by=None)
    assert Membership.objects.filter(school=s["C"]).count() == 2


def test_add_member_refuses_merged_school(delta):
    cluster, s, _ = delta
    other = f.ClusterFactory(code="CUM9")
    services.record_merger(
        predecessors=[s["A"]],
        successor=s["N"],
        effective_date=D(2025, 7, 1),
        cluster=cluster,
        by=None,
    )
    with pytest.raises(ValidationError) as excinfo:
        services.add_member(cluster=other, school=s["A"], start_date=D(2026, 1, 1), by=None)
    assert _error_codes(excinfo, "school") == ["merged"]


def test_add_member_creates_a_new_school(delta):
    cluster, _, _ = delta
    school = School(code="QNI", name="Trường Chính trị tỉnh Quảng Ninh", province="Quảng Ninh")
    services.add_member(cluster=cluster, school=school, start_date=D(2022, 1, 1), by=None)
    assert School.objects.get(code="QNI").memberships.get().cluster == cluster


def test_add_member_refuses_duplicate_new_school_code(delta):
    cluster, _, _ = delta
    school = School(code="SA", name="Trùng mã", province="X")
    with pytest.raises(ValidationError) as excinfo:
        services.add_member(cluster=cluster, school=school, start_date=D(2022, 1, 1), by=None)
    assert _error_codes(excinfo, "code") == ["duplicate_code"]


def test_end_membership_refuses_end_before_start(delta):
    _, s, _ = delta
    membership = Membership.objects.get(school=s["A"])
    with pytest.raises(ValidationError) as excinfo:
        services.end_membership(membership=membership, end_date=D(2014, 12, 31), by=None)
    assert _error_codes(excinfo, "end_date") == ["end_before_start"]


def test_end_membership_refuses_ended_membership(delta):
    _, s, _ = delta
    membership = Membership.objects.get(school=s["A"])
    services.end_membership(membership=membership, end_date=D(2020, 12, 31), by=None)
    with pytest.raises(ValidationError) as excinfo:
        services.end_membership(membership=membership, end_date=D(2021, 12, 31), by=None)
    assert _error_codes(excinfo, "end_date") == ["already_ended"]
