"""Every cluster page × every persona: the expected status, and that another school's
private data (its representatives' e-mail and phone) never reaches a page."""

from __future__ import annotations

import pytest
from django.urls import reverse

PERSONAS = ["anonymous", "secretariat", "rep_a", "rep_b", "observer", "admin_user", "other"]


@pytest.fixture
def people(request, cluster4, other_cluster, secretariat, rep_a, rep_b, observer, admin_user):
    rep_b.phone = "0912 345 678"
    rep_b.save()
    return {
        "anonymous": None,
        "secretariat": secretariat,
        "rep_a": rep_a,
        "rep_b": rep_b,
        "observer": observer,
        "admin_user": admin_user,
        "other": other_cluster["secretariat"],
    }


def _urls(cluster4, content):
    year = cluster4.year
    phase = year.phases.first()
    membership = cluster4.cluster.memberships.get(school=cluster4.school_c)
    code = "CUM4"
    return {
        "overview": reverse("cluster:overview", args=[code]),
        "members_export": reverse("cluster:members_export", args=[code]),
        "years": reverse("cluster:years", args=[code]),
        "year": reverse("cluster:year", args=[code, year.label]),
        "movements": reverse("cluster:movements", args=[code]),
        "movement": reverse("cluster:movement", args=[code, content["movement"].pk]),
        "document_download": reverse(
            "cluster:document_download", args=[code, content["document"].pk]
        ),
        "events": reverse("cluster:events", args=[code]),
        "events_export": reverse("cluster:events_export", args=[code]),
        "event": reverse("cluster:event", args=[code, content["event"].pk]),
        "event_minutes": reverse("cluster:event_minutes", args=[code, content["event"].pk]),
        # management pages
        "members_manage": reverse("cluster:members_manage", args=[code]),
        "member_add": reverse("cluster:member_add", args=[code]),
        "member_end": reverse("cluster:member_end", args=[code, membership.pk]),
        "merger": reverse("cluster:merger", args=[code]),
        "year_create": reverse("cluster:year_create", args=[code]),
        "year_edit": reverse("cluster:year_edit", args=[code, year.label]),
        "year_leadership": reverse("cluster:year_leadership", args=[code, year.label]),
        "phase_create": reverse("cluster:phase_create", args=[code, year.label]),
        "phase_edit": reverse("cluster:phase_edit", args=[code, year.label, phase.pk]),
        "movement_create": reverse("cluster:movement_create", args=[code]),
        "movement_edit": reverse("cluster:movement_edit", args=[code, content["movement"].pk]),
        "event_create": reverse("cluster:event_create", args=[code]),
        "event_edit": reverse("cluster:event_edit", args=[code, content["event"].pk]),
        # schools
        "school_a": reverse("cluster:school", args=["SCA"]),
        "school_b": reverse("cluster:school", args=["SCB"]),
        "school_a_edit": reverse("cluster:school_edit", args=["SCA"]),
    }


READ_PAGES = [
    "overview",
    "members_export",
    "years",
    "year",
    "movements",
    "movement",
    "document_download",
    "events",
    "events_export",
    "event",
    "event_minutes",
]
MANAGE_PAGES = [
    "members_manage",
    "member_add",
    "member_end",
    "merger",
    "year_create",
    "year_edit",
    "year_leadership",
    "phase_create",
    "phase_edit",
    "movement_create",
    "movement_edit",
    "event_create",
    "event_edit",
]

READ_STATUS = {
    "secretariat": 200,
    "rep_a": 200,
    "rep_b": 200,
    "observer": 200,
    "admin_user": 200,
    "other": 403,
}
MANAGE_STATUS = {
    "secretariat": 200,
    "rep_a": 403,
    "rep_b": 403,
    "observer": 403,
    "admin_user": 200,
    "other": 403,
}
SCHOOL_A_STATUS = READ_STATUS
SCHOOL_A_EDIT_STATUS = {
    "secretariat": 200,
    "rep_a": 200,
    "rep_b": 403,
    "observer": 403,
    "admin_user": 200,
    "other": 403,
}


def _cases():
    for persona in PERSONAS:
        for page in READ_PAGES:
            yield persona, page, READ_STATUS.get(persona)
        for page in MANAGE_PAGES:
            yield persona, page, MANAGE_STATUS.get(persona)
        yield persona, "school_a", SCHOOL_A_STATUS.get(persona)
        yield persona, "school_b", SCHOOL_A_STATUS.get(persona)
        yield persona, "school_a_edit", SCHOOL_A_EDIT_STATUS.get(persona)


@pytest.mark.parametrize(("persona", "page", "expected"), list(_cases()))
def test_page_status_for_persona(client_for, people, cluster4, content, persona, page, expected):
    url = _urls(cluster4, content)[page]
    response = client_for(people[persona]).get(url)
    if persona == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    else:
        assert response.status_code == expected


@pytest.mark.parametrize(
    "page",
    [p for p in READ_PAGES if "export" not in p and "download" not in p and "minutes" not in p]
    + ["school_a", "school_b"],
)
def test_page_never_shows_other_school_contacts_to_rep_a(
    client_for, people, cluster4, content, page
):
    response = client_for(people["rep_a"]).get(_urls(cluster4, content)[page])
    html = response.content.decode()
    assert response.status_code == 200
    assert "daidien.b@example.vn" not in html
    assert "0912 345 678" not in html


def test_school_b_page_shows_its_representative_name_to_rep_a(client_for, people, cluster4):
    html = client_for(people["rep_a"]).get(reverse("cluster:school", args=["SCB"])).content
    assert "Lê Thị Bình".encode() in html
    assert b"daidien.b@example.vn" not in html


@pytest.mark.parametrize(
    ("persona", "shown"),
    [
        ("rep_b", True),
        ("secretariat", True),
        ("admin_user", True),
        ("rep_a", False),
        ("observer", False),
    ],
)
def test_school_b_representative_contacts_visible_only_to_school_and_its_cluster(
    client_for, people, cluster4, persona, shown
):
    html = client_for(people[persona]).get(reverse("cluster:school", args=["SCB"])).content
    assert (b"daidien.b@example.vn" in html) is shown
    assert (b"0912 345 678" in html) is shown


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("secretariat", 302), ("admin_user", 302), ("rep_a", 403), ("observer", 403), ("other", 403)],
)
def test_phase_delete_post_permission(client_for, people, cluster4, persona, expected):
    phase = cluster4.year.phases.first()
    url = reverse("cluster:phase_delete", args=["CUM4", "2026", phase.pk])
    response = client_for(people[persona]).post(url)
    assert response.status_code == expected
    assert cluster4.year.phases.filter(pk=phase.pk).exists() is (expected != 302)


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("secretariat", 302), ("admin_user", 302), ("rep_b", 403), ("observer", 403), ("other", 403)],
)
def test_document_delete_post_permission(client_for, people, content, persona, expected):
    document = content["document"]
    url = reverse("cluster:document_delete", args=["CUM4", document.pk])
    response = client_for(people[persona]).post(url)
    assert response.status_code == expected
    assert type(document).objects.filter(pk=document.pk).exists() is (expected != 302)


def test_phase_delete_refuses_get(client_for, people, cluster4):
    phase = cluster4.year.phases.first()
    url = reverse("cluster:phase_delete", args=["CUM4", "2026", phase.pk])
    assert client_for(people["secretariat"]).get(url).status_code == 405


@pytest.mark.parametrize("persona", ["rep_a", "observer"])
def test_movement_document_upload_post_forbidden(client_for, people, content, persona):
    url = reverse("cluster:movement", args=["CUM4", content["movement"].pk])
    response = client_for(people[persona]).post(url, {"title": "x"})
    assert response.status_code == 403
    assert content["movement"].documents.count() == 1


@pytest.mark.parametrize(
    ("persona", "codes"),
    [
        ("observer", ["CUM4", "CUM8"]),
        ("admin_user", ["CUM4", "CUM8"]),
        ("secretariat", ["CUM4"]),
        ("other", ["CUM8"]),
        ("rep_a", ["CUM4"]),
    ],
)
def test_cluster_list_shows_readable_clusters(client_for, people, persona, codes):
    response = client_for(people[persona]).get(reverse("cluster:list"))
    listed = [s.cluster.code for s in response.context["summaries"]]
    assert listed == codes


@pytest.mark.parametrize("persona", PERSONAS[1:])
def test_dashboard_opens_for_every_persona(client_for, people, persona):
    response = client_for(people[persona]).get(reverse("dashboard"))
    assert response.status_code == 200


def test_dashboard_redirects_anonymous(client):
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302


def test_unknown_cluster_code_is_404(client_for, people):
    assert client_for(people["observer"]).get("/c/NOPE/").status_code == 404


def test_unknown_year_label_is_404(client_for, people):
    assert client_for(people["observer"]).get("/c/CUM4/1999/").status_code == 404


def test_unknown_school_code_is_404(client_for, people):
    assert client_for(people["observer"]).get("/c/school/NOPE/").status_code == 404


def test_event_of_another_cluster_is_404_under_this_code(client_for, people, content):
    url = reverse("cluster:event", args=["CUM8", content["event"].pk])
    assert client_for(people["other"]).get(url).status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/c/CUM4/events/99999999999999999999999/",
        "/c/CUM4/movements/99999999999999999999999/",
        "/c/CUM4/documents/99999999999999999999999/download/",
        "/c/CUM4/2026/phases/99999999999999999999999/edit/",
        "/c/CUM4/members/99999999999999999999999/end/",
    ],
)
def test_huge_ids_in_urls_are_404(client_for, people, url):
    assert client_for(people["secretariat"]).get(url).status_code == 404
