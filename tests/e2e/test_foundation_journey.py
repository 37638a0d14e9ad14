"""A newcomer signs in as the secretariat and finds the cluster: its nine member schools
and this year's head."""

from __future__ import annotations

import datetime as dt

from accounts.enums import Role
from cluster.enums import LeadershipRole, PhaseKind
from tests import factories as f

SCHOOLS = [
    ("BNI", "Trường Chính trị Nguyễn Văn Cừ", "Bắc Ninh"),
    ("HDU", "Trường Chính trị tỉnh Hải Dương", "Hải Dương"),
    ("TBI", "Trường Chính trị tỉnh Thái Bình", "Thái Bình"),
    ("HYE", "Trường Chính trị Nguyễn Văn Linh", "Hưng Yên"),
    ("NBI", "Trường Chính trị tỉnh Ninh Bình", "Ninh Bình"),
    ("HNA", "Trường Chính trị tỉnh Hà Nam", "Hà Nam"),
    ("NDI", "Trường Chính trị Trường Chinh", "Nam Định"),
    ("QNI", "Trường Chính trị tỉnh Quảng Ninh", "Quảng Ninh"),
    ("VPH", "Trường Chính trị tỉnh Vĩnh Phúc", "Vĩnh Phúc"),
]


def _nine_school_cluster():
    cluster = f.ClusterFactory(code="CUM4", name="Cụm thi đua số 4")
    schools = {}
    for code, name, province in SCHOOLS:
        schools[code] = f.SchoolFactory(code=code, name=name, province=province)
        f.MembershipFactory(cluster=cluster, school=schools[code], start_date=dt.date(2017, 9, 1))
    today = dt.date.today()
    year = f.EmulationYearFactory(
        cluster=cluster,
        label=str(today.year),
        start_date=dt.date(today.year, 1, 1),
        end_date=dt.date(today.year, 12, 31),
    )
    f.LeadershipFactory(year=year, school=schools["HYE"], role=LeadershipRole.HEAD)
    f.LeadershipFactory(year=year, school=schools["QNI"], role=LeadershipRole.DEPUTY)
    f.PhaseFactory(
        year=year,
        kind=PhaseKind.CONFERENCE,
        starts_on=today - dt.timedelta(days=3),
        deadline=today + dt.timedelta(days=10),
    )
    secretariat = f.UserFactory(
        email="thuky@example.vn", full_name="Thư ký Cụm 4", role=Role.SECRETARIAT, cluster=cluster
    )
    return cluster, secretariat


def test_secretariat_finds_nine_members_and_head(page, login, screenshot):
    cluster, secretariat = _nine_school_cluster()

    login(page, secretariat)
    page.goto(f"/c/{cluster.code}/")

    main = page.locator("main")
    for _code, name, _province in SCHOOLS:
        assert main.get_by_text(name, exact=False).count() >= 1, name
    members = page.locator("[data-testid=members] [data-testid=member]")
    assert members.count() == 9
    head = page.locator("[data-testid=head]")
    assert "Trường Chính trị Nguyễn Văn Linh" in head.inner_text()
    # Vietnamese by default.
    assert page.locator("html").get_attribute("lang") == "vi"
    screenshot(page, "foundation-cluster-overview")
