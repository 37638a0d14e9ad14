"""The Django admin over users and invitations."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.enums import Role
from accounts.models import Invitation, User


@pytest.fixture
def admin_client_(client_for, admin_user):
    return client_for(admin_user)


def test_user_changelist_lists_users_with_columns(admin_client_, rep_a, secretariat):
    response = admin_client_.get(reverse("admin:accounts_user_changelist"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "daidien.a@example.vn" in body
    assert "Trường Chính trị tỉnh A" in body


def test_user_changelist_search_by_name(admin_client_, rep_a, rep_b):
    response = admin_client_.get(reverse("admin:accounts_user_changelist"), {"q": "Bình"})
    assert list(response.context["cl"].result_list) == [rep_b]


def test_user_change_page_has_no_username(admin_client_, rep_a):
    response = admin_client_.get(reverse("admin:accounts_user_change", args=[rep_a.pk]))
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert "username" not in form.fields
    assert "email" in form.fields


def test_admin_adds_user_with_email_and_password_twice(admin_client_, cluster4):
    response = admin_client_.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "Moi@Example.vn",
            "full_name": "Người Mới",
            "role": Role.REPRESENTATIVE,
            "school": cluster4.school_c.pk,
            "password1": "Mat-khau-moi-2027!",
            "password2": "Mat-khau-moi-2027!",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="moi@example.vn")
    assert user.check_password("Mat-khau-moi-2027!")
    assert (user.role, user.school, user.is_staff) == (
        Role.REPRESENTATIVE,
        cluster4.school_c,
        False,
    )


def test_admin_add_representative_without_school_is_refused(admin_client_):
    response = admin_client_.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "khong@example.vn",
            "full_name": "Không Trường",
            "role": Role.REPRESENTATIVE,
            "password1": "Mat-khau-moi-2027!",
            "password2": "Mat-khau-moi-2027!",
        },
    )
    assert response.status_code == 200
    assert not User.objects.filter(email="khong@example.vn").exists()


def test_admin_add_user_with_existing_email_in_other_case_is_refused(admin_client_, rep_a):
    response = admin_client_.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "DAIDIEN.A@example.vn",
            "full_name": "Trùng",
            "role": Role.OBSERVER,
            "password1": "Mat-khau-moi-2027!",
            "password2": "Mat-khau-moi-2027!",
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["email"]


def test_invitation_admin_is_read_only_and_shows_token_hash(admin_client_, secretariat, cluster4):
    invitation = Invitation.objects.create(
        email="a@example.vn",
        full_name="A",
        role=Role.REPRESENTATIVE,
        school=cluster4.school_a,
        invited_by=secretariat,
        token_hash="f" * 64,
        expires_at=timezone.now() + dt.timedelta(days=3),
    )
    response = admin_client_.get(reverse("admin:accounts_invitation_change", args=[invitation.pk]))
    assert response.status_code == 200
    assert "f" * 64 in response.content.decode()
    assert admin_client_.get(reverse("admin:accounts_invitation_add")).status_code == 403


def test_invitation_admin_resend_action_sends_new_link(
    admin_client_, secretariat, cluster4, django_capture_on_commit_callbacks
):
    invitation = Invitation.objects.create(
        email="a@example.vn",
        full_name="A",
        role=Role.REPRESENTATIVE,
        school=cluster4.school_a,
        invited_by=secretariat,
        token_hash="f" * 64,
        expires_at=timezone.now() - dt.timedelta(days=1),
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client_.post(
            reverse("admin:accounts_invitation_changelist"),
            {"action": "resend", "_selected_action": [invitation.pk]},
        )
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.token_hash != "f" * 64
    assert invitation.expires_at > timezone.now()
    assert mail.outbox[0].to == ["a@example.vn"]


def test_invitation_admin_filter_by_status(admin_client_, cluster4):
    now = timezone.now()
    for email, expires, accepted in [
        ("p@example.vn", now + dt.timedelta(days=1), None),
        ("e@example.vn", now - dt.timedelta(days=1), None),
        ("x@example.vn", now + dt.timedelta(days=1), now),
    ]:
        Invitation.objects.create(
            email=email,
            full_name=email,
            role=Role.OBSERVER,
            token_hash=email.ljust(64, "0"),
            expires_at=expires,
            accepted_at=accepted,
        )
    response = admin_client_.get(
        reverse("admin:accounts_invitation_changelist"), {"status": "expired"}
    )
    assert [i.email for i in response.context["cl"].result_list] == ["e@example.vn"]


def test_admin_is_forbidden_to_secretariat(client_for, secretariat):
    response = client_for(secretariat).get(reverse("admin:accounts_user_changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response.url
