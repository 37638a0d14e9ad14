"""What the cluster pages show (read through the test client, as a browser would)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from cluster import services
from cluster.enums import LeadershipRole, PhaseKind
from cluster.models import Event, SchoolMerge
from tests import factories as f

D = dt.date


@pytest.fixture
def obs(client_for, observer):
    return client_for(observer)


def _member_codes(response) -> list[str]:
    return [s.code for s in response.context["members"]]


# --- overview ------------------------------------------------------------------------------


def test_overview_lists_members_head_and_deputy(obs, cluster4):
    response = obs.get(reverse("cluster:overview", args=["CUM4"]))
    html = response.content.decode()
    assert _member_codes(response) == ["SCA", "SCB", "SCC"]
    assert html.count('data-testid="member"') == 3
    assert (response.context["head"], response.context["deputies"]) == (
        cluster4.school_a,
        [cluster4.school_b],
    )
    head_cell = html[html.index('data-testid="head"') :][:300]
    assert "Trường Chính trị tỉnh A" in head_cell


def test_overview_members_filter(obs, cluster4):
    response = obs.get(reverse("cluster:overview", args=["CUM4"]) + "?q=SCB")
    assert _member_codes(response) == ["SCB"]


def test_overview_shows_demo_badge_only_for_demo_cluster(obs, cluster4):
    url = reverse("cluster:overview", args=["CUM4"])
    assert b'data-testid="demo-badge"' not in obs.get(url).content
    cluster4.cluster.is_demo = True
    cluster4.cluster.save()
    assert b'data-testid="demo-badge"' in obs.get(url).content


def test_overview_timeline_marks_current_and_past_phases(obs, cluster4):
    today = timezone.localdate()
    year = f.EmulationYearFactory(
        cluster=cluster4.cluster,
        label=str(today.year + 3),
        start_date=today - dt.timedelta(days=60),
        end_date=today + dt.timedelta(days=300),
    )
    f.PhaseFactory(
        year=year,
        kind=PhaseKind.GUIDANCE,
        starts_on=today - dt.timedelta(days=50),
        deadline=today - dt.timedelta(days=30),
    )
    f.PhaseFactory(
        year=year,
        kind=PhaseKind.PLEDGE,
        starts_on=today - dt.timedelta(days=5),
        deadline=today + dt.timedelta(days=12),
    )
    response = obs.get(reverse("cluster:overview", args=["CUM4"]))
    rows = response.context["timeline"]
    assert [(r.phase.kind, r.state, r.days_left) for r in rows] == [
        (PhaseKind.GUIDANCE, "past", None),
        (PhaseKind.PLEDGE, "current", 12),
    ]
    html = response.content.decode()
    assert 'class="phase-current" aria-current="step"' in html
    assert 'class="phase-past"' in html


def test_overview_without_year_lists_todays_members(obs, other_cluster):
    other_cluster["cluster"].years.all().delete()
    response = obs.get(reverse("cluster:overview", args=["CUM8"]))
    assert response.context["year"] is None
    assert _member_codes(response) == ["SCX"]


def test_year_page_in_merger_year_lists_successor_not_predecessors(obs, cluster4):
    year = f.EmulationYearFactory(cluster=cluster4.cluster, label="2025")
    successor = f.SchoolFactory(code="SAB", name="Trường Chính trị tỉnh AB")
    services.record_merger(
        predecessors=[cluster4.school_a, cluster4.school_b],
        successor=successor,
        effective_date=D(2025, 7, 1),
        cluster=cluster4.cluster,
        by=None,
    )
    response = obs.get(reverse("cluster:year", args=["CUM4", year.label]))
    assert sorted(_member_codes(response)) == ["SAB", "SCC"]


# --- school --------------------------------------------------------------------------------


def test_school_page_shows_history_mergers_and_leadership(obs, cluster4):
    w = cluster4
    year_2025 = f.EmulationYearFactory(cluster=w.cluster, label="2025")
    f.LeadershipFactory(year=year_2025, school=w.school_b, role=LeadershipRole.HEAD)
    services.record_merger(
        predecessors=[w.school_c],
        successor=w.school_b,
        effective_date=D(2025, 7, 1),
        cluster=w.cluster,
        by=None,
    )
    response = obs.get(reverse("cluster:school", args=["SCB"]))
    html = response.content.decode()
    profile = response.context["profile"]
    assert [(m.predecessor.code, m.effective_date) for m in profile.merged_from] == [
        ("SCC", D(2025, 7, 1))
    ]
    assert [(ld.year.label, ld.role) for ld in profile.leaderships] == [
        ("2026", "deputy"),
        ("2025", "head"),
    ]
    assert reverse("cluster:school", args=["SCC"]) in html
    assert "01/07/2025" in html


def test_predecessor_page_links_to_successor(obs, cluster4):
    services.record_merger(
        predecessors=[cluster4.school_c],
        successor=cluster4.school_b,
        effective_date=D(2025, 7, 1),
        cluster=cluster4.cluster,
        by=None,
    )
    response = obs.get(reverse("cluster:school", args=["SCC"]))
    html = response.content.decode()
    assert isinstance(response.context["profile"].merged_into, SchoolMerge)
    assert 'data-testid="merged-into"' in html
    assert reverse("cluster:school", args=["SCB"]) in html
    assert "30/06/2025" in html  # membership ended the day before


def test_school_page_edit_link_only_for_editors(client_for, rep_a, rep_b, cluster4):
    url = reverse("cluster:school", args=["SCA"])
    edit = reverse("cluster:school_edit", args=["SCA"]).encode()
    assert edit in client_for(rep_a).get(url).content
    assert edit not in client_for(rep_b).get(url).content


# --- year ----------------------------------------------------------------------------------


def test_year_page_shows_phases_leaders_decision_members_events(obs, cluster4):
    w = cluster4
    w.year.recognition_decision_number = "12/QĐ-HVCTQG"
    w.year.recognition_decision_date = D(2026, 1, 20)
    w.year.save()
    Event.objects.create(
        cluster=w.cluster,
        year=w.year,
        kind="conference",
        title="Hội nghị ký giao ước",
        date=D(2026, 3, 10),
        host_school=w.school_a,
    )
    response = obs.get(reverse("cluster:year", args=["CUM4", "2026"]))
    html = response.content.decode()
    assert [r.phase.kind for r in response.context["timeline"]] == [
        PhaseKind.PLEDGE,
        PhaseKind.REPORT,
    ]
    assert "12/QĐ-HVCTQG" in html and "20/01/2026" in html
    assert "Hội nghị ký giao ước" in html
    assert _member_codes(response) == ["SCA", "SCB", "SCC"]


def test_year_page_counts_school_joining_mid_year(obs, cluster4):
    newcomer = f.SchoolFactory(code="NEW", name="Trường mới")
    services.add_member(
        cluster=cluster4.cluster, school=newcomer, start_date=D(2026, 9, 1), by=None
    )
    response = obs.get(reverse("cluster:year", args=["CUM4", "2026"]))
    assert "NEW" in _member_codes(response)


def test_year_page_hides_management_from_observer(obs, cluster4):
    html = obs.get(reverse("cluster:year", args=["CUM4", "2026"])).content.decode()
    assert reverse("cluster:year_edit", args=["CUM4", "2026"]) not in html
    assert reverse("cluster:year_leadership", args=["CUM4", "2026"]) not in html


def test_year_page_shows_management_to_secretariat(client_for, secretariat, cluster4):
    html = client_for(secretariat).get(reverse("cluster:year", args=["CUM4", "2026"])).content
    assert reverse("cluster:year_leadership", args=["CUM4", "2026"]).encode() in html


def test_years_list_shows_each_year_with_head(obs, cluster4):
    f.EmulationYearFactory(cluster=cluster4.cluster, label="2025")
    response = obs.get(reverse("cluster:years", args=["CUM4"]))
    assert [y.label for y in response.context["years"]] == ["2026", "2025"]
    assert "Trường Chính trị tỉnh A" in response.content.decode()


# --- events and movements ------------------------------------------------------------------


@pytest.fixture
def events(cluster4):
    w = cluster4
    y2025 = f.EmulationYearFactory(cluster=w.cluster, label="2025")
    made = [
        Event.objects.create(
            cluster=w.cluster,
            year=w.year,
            kind="workshop",
            title="Hội thảo A",
            date=D(2026, 7, 1),
            host_school=w.school_a,
        ),
        Event.objects.create(
            cluster=w.cluster,
            year=w.year,
            kind="model_lesson",
            title="Thao giảng B",
            date=D(2026, 4, 1),
            host_school=w.school_b,
        ),
        Event.objects.create(
            cluster=w.cluster,
            year=y2025,
            kind="workshop",
            title="Hội thảo 2025",
            date=D(2025, 7, 1),
            host_school=w.school_b,
        ),
    ]
    return {"events": made, "y2025": y2025}


def _titles(response) -> list[str]:
    return [e.title for e in response.context["page"].object_list]


def test_events_list_newest_first(obs, events):
    response = obs.get(reverse("cluster:events", args=["CUM4"]))
    assert _titles(response) == ["Hội thảo A", "Thao giảng B", "Hội thảo 2025"]


def test_events_list_filters_by_year(obs, events):
    response = obs.get(reverse("cluster:events", args=["CUM4"]), {"year": events["y2025"].pk})
    assert _titles(response) == ["Hội thảo 2025"]


def test_events_list_filters_by_kind_and_host(obs, events, cluster4):
    response = obs.get(
        reverse("cluster:events", args=["CUM4"]),
        {"kind": "workshop", "host_school": cluster4.school_b.pk},
    )
    assert _titles(response) == ["Hội thảo 2025"]


@pytest.mark.parametrize(
    "query",
    [
        {"year": "abc"},
        {"kind": "<script>"},
        {"page": "zzz"},
        {"host_school": "999999"},
        {"page": "-1"},
    ],
)
def test_events_list_bad_filter_values_do_not_fail(obs, events, query):
    response = obs.get(reverse("cluster:events", args=["CUM4"]), query)
    assert response.status_code == 200
    assert len(_titles(response)) == 3


def test_events_list_year_filter_shows_labels(obs, events):
    html = obs.get(reverse("cluster:events", args=["CUM4"])).content.decode()
    assert f'<option value="{events["y2025"].pk}">2025</option>' in html


def test_movement_detail_lists_documents(obs, content):
    response = obs.get(reverse("cluster:movement", args=["CUM4", content["movement"].pk]))
    html = response.content.decode()
    assert "Kế hoạch phát động" in html
    assert reverse("cluster:document_download", args=["CUM4", content["document"].pk]) in html
    assert response.context["form"] is None  # observers upload nothing


def test_movements_list_search(obs, content, cluster4):
    from cluster.models import Movement

    Movement.objects.create(
        cluster=cluster4.cluster, title="Văn hóa công sở", start_date=D(2019, 1, 1)
    )
    response = obs.get(reverse("cluster:movements", args=["CUM4"]), {"q": "công sở"})
    assert [m.title for m in response.context["movements"]] == ["Văn hóa công sở"]


# --- navigation and list -------------------------------------------------------------------


def test_nav_shows_current_cluster_links(obs, cluster4, other_cluster):
    html = obs.get(reverse("cluster:overview", args=["CUM8"])).content.decode()
    nav = html[: html.index('id="main"')]
    assert reverse("cluster:events", args=["CUM8"]) in nav
    assert reverse("cluster:movements", args=["CUM8"]) in nav
    assert reverse("cluster:years", args=["CUM8"]) in nav
    assert reverse("cluster:overview", args=["CUM4"]) in nav  # dropdown


def test_cluster_list_shows_member_count_and_head(obs, cluster4, other_cluster):
    response = obs.get(reverse("cluster:list"))
    rows = [
        (s.cluster.code, s.member_count, s.head.code if s.head else None)
        for s in response.context["summaries"]
    ]
    assert rows == [("CUM4", 3, "SCA"), ("CUM8", 1, None)]


@pytest.mark.parametrize("value", ["99999999999999999999999", "-99999999999999999999", "1e5", "١٢"])
def test_events_list_out_of_range_ids_do_not_fail(obs, events, value):
    response = obs.get(
        reverse("cluster:events", args=["CUM4"]), {"year": value, "host_school": value}
    )
    assert response.status_code == 200
    assert len(_titles(response)) == 3
