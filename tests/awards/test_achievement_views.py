"""A school's achievement history: read, filter, export, revoke; every persona."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from awards.models import Achievement

from .nominations_support import *  # noqa: F403
from .nominations_support import achieve, make_recipient

pytestmark = pytest.mark.django_db


@pytest.fixture
def users(cluster4, rep_a, rep_b, observer, secretariat, admin_user, other_cluster):
    return {
        "anonymous": None,
        "rep_a": rep_a,
        "rep_b": rep_b,
        "observer": observer,
        "secretariat": secretariat,
        "admin_user": admin_user,
        "other": other_cluster["secretariat"],
    }


@pytest.fixture
def history(cluster4, awards):
    person = make_recipient(cluster4.school_a, "Nguyễn Văn Mạnh")
    return [
        achieve(person, awards["LDTT"], 2024, number="11/QĐ-SCA"),
        achieve(person, awards["CSTDCS"], 2024, number="12/QĐ-SCA"),
        achieve(person, awards["LDTT"], 2025, number="13/QĐ-SCA", revoked=True),
    ]


def url(cluster4, name="awards:achievements"):
    return reverse(name, args=[cluster4.school_a.code])


def assert_status(response, expected):
    if expected == 302:
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == expected


READERS = [
    ("anonymous", 302),
    ("rep_a", 200),
    ("rep_b", 200),
    ("observer", 200),
    ("secretariat", 200),
    ("admin_user", 200),
    ("other", 403),
]


@pytest.mark.parametrize(("persona", "expected"), READERS)
def test_history_permissions(client_for, users, cluster4, history, persona, expected):
    response = client_for(users[persona]).get(url(cluster4))
    assert_status(response, expected)
    if expected == 200:
        assert [a.decision_number for a in response.context["achievements"]] == [
            "13/QĐ-SCA",
            "11/QĐ-SCA",
            "12/QĐ-SCA",
        ]


@pytest.mark.parametrize(("persona", "expected"), READERS)
def test_history_export_permissions(client_for, users, cluster4, history, persona, expected):
    response = client_for(users[persona]).get(url(cluster4, "awards:achievements_export"))
    assert_status(response, expected)


def test_history_shows_revoked_marked(client_for, users, cluster4, history):
    content = client_for(users["observer"]).get(url(cluster4)).content.decode()
    assert content.count('class="table-danger"') == 1
    assert "Hồ sơ không trung thực" in content


def test_history_filter_by_type_and_year(client_for, users, cluster4, awards, history):
    response = client_for(users["rep_a"]).get(
        url(cluster4), {"award_type": awards["LDTT"].pk, "period_year": 2024}
    )
    assert [a.decision_number for a in response.context["achievements"]] == ["11/QĐ-SCA"]


def test_history_bad_filter_value_is_not_500(client_for, users, cluster4, history):
    response = client_for(users["rep_a"]).get(url(cluster4), {"period_year": "abc"})
    assert response.status_code == 200


def test_history_only_the_school(client_for, users, cluster4, awards, history):
    achieve(make_recipient(cluster4.school_b, "Người trường B"), awards["LDTT"], 2024)
    content = client_for(users["rep_a"]).get(url(cluster4)).content.decode()
    assert "Người trường B" not in content


def test_history_export_has_import_columns_and_filter(client_for, users, cluster4, awards, history):
    response = client_for(users["secretariat"]).get(
        url(cluster4, "awards:achievements_export"), {"period_year": 2024}
    )
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert rows[0][:10] == (
        "school_code",
        "recipient_kind",
        "name",
        "position",
        "unit",
        "award_code",
        "year",
        "decision_number",
        "decision_date",
        "issuer",
    )
    assert [(r[5], r[7]) for r in rows[1:]] == [("LDTT", "11/QĐ-SCA"), ("CSTDCS", "12/QĐ-SCA")]


@pytest.mark.parametrize("persona", ["rep_a", "observer", "secretariat"])
def test_revoke_button_only_for_those_who_may(client_for, users, cluster4, history, persona):
    response = client_for(users[persona]).get(url(cluster4))
    assert response.context["can_revoke"] is (persona == "secretariat")
    link = reverse("awards:achievement_revoke", args=[history[0].pk])
    assert (link in response.content.decode()) is (persona == "secretariat")


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("anonymous", 302),
        ("rep_a", 403),
        ("rep_b", 403),
        ("observer", 403),
        ("secretariat", 200),
        ("admin_user", 200),
        ("other", 403),
    ],
)
def test_revoke_page_permissions(client_for, users, history, persona, expected):
    response = client_for(users[persona]).get(
        reverse("awards:achievement_revoke", args=[history[0].pk])
    )
    assert_status(response, expected)
    if expected == 200:
        assert "data-confirm=" in response.content.decode()


def test_revoke_already_revoked_is_403(client_for, users, history):
    response = client_for(users["secretariat"]).get(
        reverse("awards:achievement_revoke", args=[history[2].pk])
    )
    assert response.status_code == 403


def test_revoke_missing_is_404(client_for, users, cluster4):
    response = client_for(users["secretariat"]).get(
        reverse("awards:achievement_revoke", args=[9999])
    )
    assert response.status_code == 404


def test_revoke_through_page(client_for, users, cluster4, history):
    today = timezone.localdate()
    response = client_for(users["secretariat"]).post(
        reverse("awards:achievement_revoke", args=[history[0].pk]),
        {"reason": "Gian lận hồ sơ", "reference": "3/QĐ-SCA", "revoked_on": today.isoformat()},
    )
    assert response["Location"] == url(cluster4)
    achievement = Achievement.objects.get(pk=history[0].pk)
    assert (achievement.revoked_at, achievement.revoke_reference) == (today, "3/QĐ-SCA")


def test_revoke_without_reason_keeps_form(client_for, users, history):
    response = client_for(users["secretariat"]).post(
        reverse("awards:achievement_revoke", args=[history[0].pk]),
        {"reason": "", "reference": "3/QĐ-SCA", "revoked_on": "2026-01-05"},
    )
    assert response.status_code == 200
    assert "reason" in response.context["form"].errors
    assert 'value="3/QĐ-SCA"' in response.content.decode()
    assert Achievement.objects.get(pk=history[0].pk).revoked_at is None


def test_revoke_before_decision_date_refused(client_for, users, history):
    response = client_for(users["secretariat"]).post(
        reverse("awards:achievement_revoke", args=[history[0].pk]),
        {"reason": "x", "reference": "y", "revoked_on": "2020-01-01"},
    )
    assert "revoked_on" in response.context["form"].errors


@pytest.mark.parametrize("count", [5, 50])
def test_history_query_count(
    client_for, users, cluster4, awards, django_assert_max_num_queries, count
):
    for i in range(count):
        person = make_recipient(cluster4.school_a, f"Cán bộ {i:03d}")
        achieve(person, awards["LDTT"], 2020 + i % 6, revoked=i % 7 == 0)
    client = client_for(users["secretariat"])
    with django_assert_max_num_queries(14):
        response = client.get(url(cluster4))
    assert len(response.context["achievements"]) == count
