"""The dashboard: what is due for *me*, by role, and the sections other apps add."""

from __future__ import annotations

import datetime as dt
import sys
import types

import pytest
from django.urls import reverse
from django.utils import timezone

from cluster import dashboard
from cluster.dashboard import DashboardSection
from cluster.enums import PhaseKind
from tests import factories as f


@pytest.fixture
def live_year(cluster4):
    """A year around today with a phase in progress, one ahead and one over, so the
    dashboard does not depend on the date the tests run."""
    today = timezone.localdate()
    year = f.EmulationYearFactory(
        cluster=cluster4.cluster,
        label=str(today.year + 5),
        start_date=today - dt.timedelta(days=100),
        end_date=today + dt.timedelta(days=200),
    )
    f.PhaseFactory(
        year=year,
        kind=PhaseKind.GUIDANCE,
        starts_on=today - dt.timedelta(days=90),
        deadline=today - dt.timedelta(days=60),
    )
    f.PhaseFactory(
        year=year,
        kind=PhaseKind.PLEDGE,
        starts_on=today - dt.timedelta(days=10),
        deadline=today + dt.timedelta(days=5),
    )
    f.PhaseFactory(
        year=year,
        kind=PhaseKind.CONFERENCE,
        starts_on=today + dt.timedelta(days=20),
        deadline=today + dt.timedelta(days=30),
    )
    f.PhaseFactory(
        year=year,
        kind=PhaseKind.REPORT,
        starts_on=today + dt.timedelta(days=10),
        deadline=today + dt.timedelta(days=40),
    )
    return year


def _panel(response):
    [panel] = response.context["panels"]
    return panel


def test_secretariat_sees_current_phase_and_deadlines(client_for, secretariat, live_year):
    response = client_for(secretariat).get(reverse("dashboard"))
    panel = _panel(response)
    assert panel.summary.year == live_year
    assert panel.summary.phase.kind == PhaseKind.PLEDGE
    assert [row.phase.kind for row in panel.deadlines] == [
        PhaseKind.PLEDGE,
        PhaseKind.REPORT,
        PhaseKind.CONFERENCE,
    ]
    assert panel.summary.member_count == 3


def test_secretariat_dashboard_links_to_management(client_for, secretariat, live_year):
    html = client_for(secretariat).get(reverse("dashboard")).content.decode()
    assert reverse("cluster:members_manage", args=["CUM4"]) in html
    assert reverse("cluster:year_create", args=["CUM4"]) in html


def test_representative_sees_what_school_must_submit(client_for, rep_a, live_year):
    panel = _panel(client_for(rep_a).get(reverse("dashboard")))
    assert [row.phase.kind for row in panel.to_submit] == [PhaseKind.PLEDGE, PhaseKind.REPORT]


def test_representative_dashboard_has_no_management_links(client_for, rep_a, live_year):
    html = client_for(rep_a).get(reverse("dashboard")).content.decode()
    assert reverse("cluster:members_manage", args=["CUM4"]) not in html
    assert "Trường Chính trị tỉnh A" in html


def test_representative_of_former_member_has_nothing_to_submit(client_for, rep_a, live_year):
    membership = live_year.cluster.memberships.get(school=rep_a.school)
    membership.end_date = timezone.localdate() - dt.timedelta(days=1)
    membership.save()
    panel = _panel(client_for(rep_a).get(reverse("dashboard")))
    assert panel.to_submit == []


def test_observer_sees_every_cluster(client_for, observer, cluster4, other_cluster):
    response = client_for(observer).get(reverse("dashboard"))
    assert [s.cluster.code for s in response.context["summaries"]] == ["CUM4", "CUM8"]
    assert [s.head.code if s.head else None for s in response.context["summaries"]] == [
        "SCA",
        None,
    ]
    assert reverse("admin:index") not in response.content.decode()


def test_admin_sees_every_cluster_and_admin_link(client_for, admin_user, cluster4, other_cluster):
    response = client_for(admin_user).get(reverse("dashboard"))
    assert len(response.context["summaries"]) == 2
    assert reverse("admin:index") in response.content.decode()


def test_dashboard_renders_provider_sections_in_order(
    client_for, secretariat, cluster4, monkeypatch
):
    def sections(request, user):
        return [
            DashboardSection(
                title="Second", template="cluster/_timeline.html", context={}, order=20
            ),
            DashboardSection(
                title="First",
                template="cluster/_leaders.html",
                context={"head": cluster4.school_b, "deputies": []},
                order=10,
            ),
        ]

    module = types.ModuleType("fake_dashboard_provider")
    module.sections = sections
    monkeypatch.setitem(sys.modules, "fake_dashboard_provider", module)
    monkeypatch.setattr(dashboard, "DASHBOARD_PROVIDERS", ["fake_dashboard_provider.sections"])
    response = client_for(secretariat).get(reverse("dashboard"))
    rendered = response.context["sections"]
    assert [r.title for r in rendered] == ["First", "Second"]
    assert "Trường Chính trị tỉnh B" in rendered[0].html
    assert response.content.decode().index("First") < response.content.decode().index("Second")


def test_missing_provider_module_is_skipped(rf, secretariat):
    request = rf.get("/")
    request.user = secretariat
    assert (
        dashboard.collect_sections(
            request,
            secretariat,
            ["tests.cluster.no_such_provider.sections", "nosuchapp.x.sections"],
        )
        == []
    )


def test_import_error_inside_a_provider_is_raised(rf, secretariat):
    request = rf.get("/")
    request.user = secretariat
    with pytest.raises(ModuleNotFoundError):
        dashboard.collect_sections(
            request, secretariat, ["tests.cluster.broken_dashboard_provider.sections"]
        )


def test_default_provider_list_names_evaluations_and_awards():
    # Read from the source: the autouse fixture empties the list for the other tests.
    import ast
    import inspect

    tree = ast.parse(inspect.getsource(dashboard))
    [value] = [
        ast.literal_eval(node.value)
        for node in tree.body
        if isinstance(node, ast.Assign)
        and getattr(node.targets[0], "id", "") == "DASHBOARD_PROVIDERS"
    ]
    assert value == [
        "evaluations.dashboard.sections",
        "evaluations.dashboard_scoring.sections",
        "awards.dashboard.sections",
    ]
