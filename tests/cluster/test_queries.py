"""The overview, year, school and events pages load in a fixed number of queries: the
same bound for a small cluster and one ten times larger."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from accounts.enums import Role
from cluster.enums import EventKind, LeadershipRole, PhaseKind
from cluster.models import Event, Movement, SchoolMerge
from tests import factories as f

D = dt.date

BOUNDS = {"overview": 22, "year": 22, "school": 20, "events": 20}


def _build(size: int):
    """A cluster with ``size`` schools (each with a representative), ``size`` years with
    leaders and phases, ``size`` * 2 events and movements, ``size`` - 1 mergers."""
    cluster = f.ClusterFactory(code="BIG")
    schools = [f.SchoolFactory(code=f"B{i:03d}") for i in range(size)]
    for school in schools:
        f.MembershipFactory(cluster=cluster, school=school, start_date=D(2000, 1, 1))
        f.UserFactory(role=Role.REPRESENTATIVE, school=school)
    years = []
    for index in range(size):
        year = f.EmulationYearFactory(cluster=cluster, label=str(2026 - index))
        years.append(year)
        f.LeadershipFactory(year=year, school=schools[index % size], role=LeadershipRole.HEAD)
        if size > 1:
            f.LeadershipFactory(
                year=year, school=schools[(index + 1) % size], role=LeadershipRole.DEPUTY
            )
        f.PhaseFactory(year=year, kind=PhaseKind.PLEDGE)
        f.PhaseFactory(
            year=year,
            kind=PhaseKind.REPORT,
            starts_on=year.start_date + dt.timedelta(days=270),
            deadline=year.start_date + dt.timedelta(days=300),
        )
    for index in range(size * 2):
        Event.objects.create(
            cluster=cluster,
            year=years[0],
            kind=EventKind.MODEL_LESSON,
            title=f"Thao giảng {index}",
            date=D(2026, 3, 1) + dt.timedelta(days=index),
            host_school=schools[index % size],
        )
        Movement.objects.create(
            cluster=cluster, title=f"Phong trào {index}", start_date=D(2020, 1, 1)
        )
    # The first school absorbed size - 1 predecessors (its page lists them all).
    for index in range(1, size):
        predecessor = f.SchoolFactory(code=f"P{index:03d}")
        f.MembershipFactory(
            cluster=cluster, school=predecessor, start_date=D(2000, 1, 1), end_date=D(2010, 1, 1)
        )
        SchoolMerge.objects.create(
            predecessor=predecessor, successor=schools[0], effective_date=D(2010, 1, 2)
        )
    secretariat = f.UserFactory(role=Role.SECRETARIAT, cluster=cluster, email="big@example.vn")
    return cluster, schools, secretariat


def _urls(schools) -> dict[str, str]:
    return {
        "overview": reverse("cluster:overview", args=["BIG"]),
        "year": reverse("cluster:year", args=["BIG", "2026"]),
        "school": reverse("cluster:school", args=[schools[0].code]),
        "events": reverse("cluster:events", args=["BIG"]),
    }


@pytest.mark.parametrize("size", [2, 20])
@pytest.mark.parametrize("page", list(BOUNDS))
def test_page_queries_bounded(db, client_for, django_assert_max_num_queries, size, page):
    cluster, schools, secretariat = _build(size)
    client = client_for(secretariat)
    url = _urls(schools)[page]
    with django_assert_max_num_queries(BOUNDS[page]):
        response = client.get(url)
    assert response.status_code == 200


@pytest.mark.parametrize("size", [2, 20])
def test_overview_queries_bounded_for_representative(
    db, client_for, django_assert_max_num_queries, size
):
    cluster, schools, _ = _build(size)
    client = client_for(schools[0].representatives.first())
    with django_assert_max_num_queries(BOUNDS["overview"]):
        response = client.get(reverse("cluster:overview", args=["BIG"]))
    assert len(response.context["members"]) == size
