"""Personas (like healthchecks' alice/bob/charlie) and a small cluster around them.

- ``cluster4``: cluster CUM4 with schools A (SCA), B (SCB) and C (SCC), year 2026
  (A is head), pledge and report phases.
- ``secretariat``: secretariat of CUM4.
- ``rep_a`` / ``rep_b``: representatives of school A / school B.
- ``observer``: Academy observer.
- ``admin_user``: superuser.
- ``other_cluster``: a second cluster CUM8 with its own school X (SCX) and secretariat.
Clients: ``client_for(user)`` returns a logged-in test client.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.test import Client

from accounts.enums import Role
from cluster.enums import LeadershipRole, PhaseKind
from tests import factories as f


@dataclass
class ClusterWorld:
    cluster: object
    year: object
    school_a: object
    school_b: object
    school_c: object


@pytest.fixture
def cluster4(db) -> ClusterWorld:
    cluster = f.ClusterFactory(code="CUM4", name="Cụm thi đua số 4", document_symbol="CTĐ4")
    a = f.SchoolFactory(code="SCA", name="Trường Chính trị tỉnh A", province="Tỉnh A")
    b = f.SchoolFactory(code="SCB", name="Trường Chính trị tỉnh B", province="Tỉnh B")
    c = f.SchoolFactory(code="SCC", name="Trường Chính trị tỉnh C", province="Tỉnh C")
    for school in (a, b, c):
        f.MembershipFactory(cluster=cluster, school=school, start_date=dt.date(2015, 1, 1))
    year = f.EmulationYearFactory(cluster=cluster, label="2026")
    f.LeadershipFactory(year=year, school=a, role=LeadershipRole.HEAD)
    f.LeadershipFactory(year=year, school=b, role=LeadershipRole.DEPUTY)
    f.PhaseFactory(
        year=year,
        kind=PhaseKind.PLEDGE,
        starts_on=dt.date(2026, 1, 15),
        deadline=dt.date(2026, 3, 15),
    )
    f.PhaseFactory(
        year=year,
        kind=PhaseKind.REPORT,
        starts_on=dt.date(2026, 10, 1),
        deadline=dt.date(2026, 10, 31),
        hard_deadline=dt.date(2026, 11, 10),
    )
    return ClusterWorld(cluster=cluster, year=year, school_a=a, school_b=b, school_c=c)


@pytest.fixture
def other_cluster(db):
    cluster = f.ClusterFactory(code="CUM8", name="Cụm thi đua số 8", document_symbol="CTĐ8")
    x = f.SchoolFactory(code="SCX", name="Trường Chính trị tỉnh X", province="Tỉnh X")
    f.MembershipFactory(cluster=cluster, school=x, start_date=dt.date(2015, 1, 1))
    f.EmulationYearFactory(cluster=cluster, label="2026")
    secretariat = f.UserFactory(
        email="thuky8@example.vn", full_name="Thư ký Cụm 8", role=Role.SECRETARIAT, cluster=cluster
    )
    return {"cluster": cluster, "school": x, "secretariat": secretariat}


@pytest.fixture
def secretariat(cluster4):
    return f.UserFactory(
        email="thuky@example.vn",
        full_name="Nguyễn Thị Thư Ký",
        role=Role.SECRETARIAT,
        cluster=cluster4.cluster,
    )


@pytest.fixture
def rep_a(cluster4):
    return f.UserFactory(
        email="daidien.a@example.vn",
        full_name="Trần Văn An",
        role=Role.REPRESENTATIVE,
        school=cluster4.school_a,
    )


@pytest.fixture
def rep_b(cluster4):
    return f.UserFactory(
        email="daidien.b@example.vn",
        full_name="Lê Thị Bình",
        role=Role.REPRESENTATIVE,
        school=cluster4.school_b,
    )


@pytest.fixture
def observer(db):
    return f.UserFactory(email="hocvien@example.vn", full_name="Phạm Học Viện", role=Role.OBSERVER)


@pytest.fixture
def admin_user(db):
    return f.UserFactory(
        email="admin@example.vn",
        full_name="Quản trị",
        role=Role.ADMIN,
        is_staff=True,
        is_superuser=True,
    )


@pytest.fixture
def client_for():
    def make(user) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return make


@pytest.fixture(autouse=True)
def _test_defaults(settings):
    """Tests see the product as users do: Vietnamese unless a test switches."""
    settings.LANGUAGE_CODE = "vi"
    settings.AXES_ENABLED = False
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
