"""The user list of a secretariat: scope by persona, filters, export, (de)activation."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts import services
from accounts.enums import Role
from tests import factories as f

USERS = reverse("accounts:users")
EXPORT = reverse("accounts:users_export")


def _emails(response) -> set[str]:
    return {user.email for user in response.context["page"].object_list}


@pytest.fixture
def world(secretariat, rep_a, rep_b, observer, admin_user, other_cluster):
    rep_x = f.UserFactory(
        email="daidien.x@example.vn",
        full_name="Vũ Thị Xuân",
        role=Role.REPRESENTATIVE,
        school=other_cluster["school"],
    )
    return {"rep_x": rep_x, **other_cluster}


# --- who sees what --------------------------------------------------------------------


def test_users_list_redirects_anonymous_to_login(client, db):
    response = client.get(USERS)
    assert response.status_code == 302
    assert response.url == f"{reverse('accounts:login')}?next={USERS}"


def test_users_list_is_forbidden_to_representative(client_for, rep_a):
    assert client_for(rep_a).get(USERS).status_code == 403


def test_users_export_is_forbidden_to_representative(client_for, rep_a):
    assert client_for(rep_a).get(EXPORT).status_code == 403


def test_users_list_of_secretariat_shows_own_cluster_only(client_for, secretariat, world):
    response = client_for(secretariat).get(USERS)
    assert response.status_code == 200
    assert _emails(response) == {
        "thuky@example.vn",
        "daidien.a@example.vn",
        "daidien.b@example.vn",
    }
    body = response.content.decode()
    assert "daidien.x@example.vn" not in body
    assert "thuky8@example.vn" not in body
    assert "hocvien@example.vn" not in body


def test_users_list_of_other_cluster_secretariat_shows_none_of_cum4(client_for, world):
    response = client_for(world["secretariat"]).get(USERS)
    assert _emails(response) == {"thuky8@example.vn", "daidien.x@example.vn"}
    body = response.content.decode()
    for email in ("thuky@example.vn", "daidien.a@example.vn", "daidien.b@example.vn"):
        assert email not in body


def test_users_list_drops_representative_of_school_that_left(client_for, secretariat, cluster4):
    former = f.SchoolFactory(code="SCD")
    f.MembershipFactory(
        cluster=cluster4.cluster,
        school=former,
        start_date=dt.date(2015, 1, 1),
        end_date=dt.date(2020, 12, 31),
    )
    f.UserFactory(email="cu@example.vn", role=Role.REPRESENTATIVE, school=former)
    response = client_for(secretariat).get(USERS)
    assert "cu@example.vn" not in _emails(response)


def test_users_list_of_observer_shows_all_read_only(client_for, observer, world):
    response = client_for(observer).get(USERS)
    assert len(_emails(response)) == 7
    body = response.content.decode()
    assert 'data-testid="invite"' not in body
    assert "/deactivate/" not in body
    assert response.context["can_manage"] is False


def test_users_list_of_admin_shows_all_with_actions(client_for, admin_user, world):
    response = client_for(admin_user).get(USERS)
    assert len(_emails(response)) == 7
    body = response.content.decode()
    assert 'data-testid="invite"' in body
    assert "/deactivate/" in body


def test_users_list_of_secretariat_has_invite_and_confirmed_deactivate(
    client_for, secretariat, rep_a
):
    body = client_for(secretariat).get(USERS).content.decode()
    assert 'data-testid="invite"' in body
    assert reverse("accounts:deactivate_user", args=[rep_a.pk]) in body
    assert "data-confirm=" in body
    # No button to deactivate oneself.
    assert reverse("accounts:deactivate_user", args=[secretariat.pk]) not in body


# --- filters -------------------------------------------------------------------------


def test_users_filter_by_school(client_for, secretariat, rep_a, rep_b, cluster4):
    response = client_for(secretariat).get(USERS, {"school": cluster4.school_b.pk})
    assert _emails(response) == {"daidien.b@example.vn"}


def test_users_filter_by_role(client_for, secretariat, rep_a, rep_b):
    response = client_for(secretariat).get(USERS, {"role": Role.SECRETARIAT})
    assert _emails(response) == {"thuky@example.vn"}


def test_users_filter_by_search_on_name_and_email(client_for, secretariat, rep_a, rep_b):
    assert _emails(client_for(secretariat).get(USERS, {"q": "Bình"})) == {"daidien.b@example.vn"}
    assert _emails(client_for(secretariat).get(USERS, {"q": "DAIDIEN.A"})) == {
        "daidien.a@example.vn"
    }


def test_users_filter_by_active(client_for, secretariat, rep_a, rep_b):
    rep_b.is_active = False
    rep_b.save()
    client = client_for(secretariat)
    assert _emails(client.get(USERS, {"is_active": "0"})) == {"daidien.b@example.vn"}
    assert "daidien.b@example.vn" not in _emails(client.get(USERS, {"is_active": "1"}))


def test_users_filter_school_choices_limited_to_members(client_for, secretariat, world):
    response = client_for(secretariat).get(USERS)
    choices = response.context["filter"].form.fields["school"].queryset
    assert list(choices.values_list("code", flat=True)) == ["SCA", "SCB", "SCC"]


def test_users_filter_with_other_cluster_school_shows_error_not_data(
    client_for, secretariat, world
):
    response = client_for(secretariat).get(USERS, {"school": world["school"].pk})
    assert response.status_code == 200
    assert response.context["filter"].form.errors["school"]
    assert "daidien.x@example.vn" not in response.content.decode()


# --- export --------------------------------------------------------------------------


def _sheet(response):
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    return load_workbook(BytesIO(response.content)).active


def test_users_export_contains_filtered_rows_with_bold_vietnamese_header(
    client_for, secretariat, rep_a, rep_b, cluster4
):
    rep_a.position = "Chánh Văn phòng"
    rep_a.save()
    response = client_for(secretariat).get(EXPORT, {"role": Role.REPRESENTATIVE})
    assert response["Content-Disposition"].startswith('attachment; filename="nguoi-dung-')
    sheet = _sheet(response)
    header = [cell.value for cell in sheet[2]]
    assert header[:4] == ["STT", "Họ và tên", "Email", "Vai trò"]
    assert all(cell.font.bold for cell in sheet[2])
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=3)]
    assert [row[:7] for row in rows] == [
        [
            1,
            "Lê Thị Bình",
            "daidien.b@example.vn",
            "Đại diện trường",
            None,
            "Trường Chính trị tỉnh B",
            None,
        ],
        [
            2,
            "Trần Văn An",
            "daidien.a@example.vn",
            "Đại diện trường",
            None,
            "Trường Chính trị tỉnh A",
            "Chánh Văn phòng",
        ],
    ]


def test_users_export_of_secretariat_excludes_other_cluster(client_for, secretariat, world):
    sheet = _sheet(client_for(secretariat).get(EXPORT))
    emails = {row[2].value for row in sheet.iter_rows(min_row=3)}
    assert emails == {"thuky@example.vn", "daidien.a@example.vn", "daidien.b@example.vn"}


def test_users_export_allowed_to_observer(client_for, observer, world):
    sheet = _sheet(client_for(observer).get(EXPORT))
    assert sheet.max_row == 2 + 7


# --- deactivate / reactivate ---------------------------------------------------------


def test_secretariat_deactivates_representative(client_for, secretariat, rep_a):
    response = client_for(secretariat).post(reverse("accounts:deactivate_user", args=[rep_a.pk]))
    assert response.status_code == 302
    rep_a.refresh_from_db()
    assert rep_a.is_active is False


def test_deactivated_user_session_ends(client_for, secretariat, rep_a):
    rep_client = client_for(rep_a)
    client_for(secretariat).post(reverse("accounts:deactivate_user", args=[rep_a.pk]))
    response = rep_client.get(reverse("accounts:profile"))
    assert response.status_code == 302


def test_secretariat_reactivates_representative(client_for, secretariat, rep_a):
    rep_a.is_active = False
    rep_a.save()
    client_for(secretariat).post(reverse("accounts:reactivate_user", args=[rep_a.pk]))
    rep_a.refresh_from_db()
    assert rep_a.is_active is True


def test_deactivate_by_get_is_refused(client_for, secretariat, rep_a):
    response = client_for(secretariat).get(reverse("accounts:deactivate_user", args=[rep_a.pk]))
    assert response.status_code == 405
    rep_a.refresh_from_db()
    assert rep_a.is_active is True


def test_deactivate_own_account_by_view_is_forbidden(client_for, world):
    own = world["secretariat"]
    response = client_for(own).post(reverse("accounts:deactivate_user", args=[own.pk]))
    assert response.status_code == 403
    own.refresh_from_db()
    assert own.is_active is True


def test_other_cluster_secretariat_gets_404_on_cum4_user(client_for, world, rep_a):
    response = client_for(world["secretariat"]).post(
        reverse("accounts:deactivate_user", args=[rep_a.pk])
    )
    assert response.status_code == 404
    rep_a.refresh_from_db()
    assert rep_a.is_active is True


@pytest.mark.parametrize("persona", ["rep_b", "observer"])
def test_deactivate_forbidden_to_representative_and_observer(request, persona, client_for, rep_a):
    client = client_for(request.getfixturevalue(persona))
    response = client.post(reverse("accounts:deactivate_user", args=[rep_a.pk]))
    assert response.status_code == 403
    rep_a.refresh_from_db()
    assert rep_a.is_active is True


def test_deactivate_anonymous_redirects_to_login(client, rep_a):
    response = client.post(reverse("accounts:deactivate_user", args=[rep_a.pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_deactivate_own_account_is_refused(secretariat):
    with pytest.raises(services.ValidationError):
        services.deactivate_user(user=secretariat, by=secretariat)


def test_deactivate_observer_by_secretariat_is_denied(secretariat, observer):
    with pytest.raises(services.PermissionDenied):
        services.deactivate_user(user=observer, by=secretariat)


# --- query count ---------------------------------------------------------------------


def _populate(cluster4, n: int) -> None:
    for i in range(n):
        school = f.SchoolFactory(code=f"Q{i:03d}")
        f.MembershipFactory(cluster=cluster4.cluster, school=school)
        f.UserFactory(email=f"rep{i}@example.vn", role=Role.REPRESENTATIVE, school=school)
        f.UserFactory(email=f"tk{i}@example.vn", role=Role.SECRETARIAT, cluster=cluster4.cluster)
    from django.utils import timezone

    from accounts.models import Invitation

    for i in range(n):
        Invitation.objects.create(
            email=f"inv{i}@example.vn",
            full_name=f"Mời {i}",
            role=Role.REPRESENTATIVE,
            school=cluster4.school_a,
            token_hash=f"{i:064d}",
            expires_at=timezone.now() + dt.timedelta(days=3),
        )


@pytest.mark.parametrize("n", [2, 20])
def test_users_list_query_count_is_bounded(
    client_for, secretariat, cluster4, django_assert_max_num_queries, n
):
    _populate(cluster4, n)
    client = client_for(secretariat)
    with django_assert_max_num_queries(12):
        response = client.get(USERS)
    assert len(response.context["page"].object_list) == 1 + 2 * n
    assert len(response.context["invitations"]) == n


@pytest.mark.parametrize("n", [2, 20])
def test_users_export_query_count_is_bounded(
    client_for, secretariat, cluster4, django_assert_max_num_queries, n
):
    _populate(cluster4, n)
    client = client_for(secretariat)
    with django_assert_max_num_queries(8):
        response = client.get(EXPORT)
    assert response.status_code == 200
