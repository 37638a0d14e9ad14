"""Invitations: who may invite whom, the email, accepting, expiry, reuse and resend."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts import services
from accounts.enums import Role
from accounts.models import Invitation, User
from accounts.selectors import hash_token
from tests import factories as f

from .helpers import html_part, invitation_token_from_outbox

NEW_PASSWORD = "Truong-chinh-tri-2026!"


@pytest.fixture
def invite_rep(secretariat, cluster4, django_capture_on_commit_callbacks):
    """The secretariat invites a representative of school C; returns (invitation, token)."""

    def make(email="moi.c@example.vn", school=None):
        with django_capture_on_commit_callbacks(execute=True):
            invitation = services.invite_user(
                invited_by=secretariat,
                email=email,
                full_name="Đỗ Văn Cường",
                role=Role.REPRESENTATIVE,
                school=school or cluster4.school_c,
            )
        return invitation, invitation_token_from_outbox()

    return make


# --- services: who may invite whom -------------------------------------------------


def test_secretariat_invites_representative_of_member_school(invite_rep, cluster4):
    invitation, token = invite_rep()
    invitation.refresh_from_db()
    assert (invitation.email, invitation.role, invitation.school) == (
        "moi.c@example.vn",
        Role.REPRESENTATIVE,
        cluster4.school_c,
    )
    assert invitation.sent_at is not None
    assert invitation.token_hash == hash_token(token)
    assert token not in invitation.token_hash
    validity = invitation.expires_at - invitation.created_at
    assert abs(validity - dt.timedelta(days=7)) < dt.timedelta(seconds=5)


def test_invitation_expiry_follows_setting(invite_rep, settings):
    settings.INVITATION_VALID_DAYS = 3
    invitation, _ = invite_rep()
    remaining = invitation.expires_at - timezone.now()
    assert dt.timedelta(days=2, hours=23) < remaining <= dt.timedelta(days=3)


def test_secretariat_invites_colleague_for_own_cluster(secretariat, cluster4):
    invitation = services.invite_user(
        invited_by=secretariat,
        email="thuky2@example.vn",
        full_name="Thư ký Hai",
        role=Role.SECRETARIAT,
        cluster=cluster4.cluster,
    )
    assert invitation.cluster == cluster4.cluster


def test_secretariat_cannot_invite_for_non_member_school(secretariat, other_cluster):
    with pytest.raises(PermissionDenied):
        services.invite_user(
            invited_by=secretariat,
            email="x@example.vn",
            full_name="Người X",
            role=Role.REPRESENTATIVE,
            school=other_cluster["school"],
        )
    assert not Invitation.objects.exists()


def test_secretariat_cannot_invite_for_school_whose_membership_ended(secretariat, cluster4):
    former = f.SchoolFactory(code="SCD")
    f.MembershipFactory(
        cluster=cluster4.cluster,
        school=former,
        start_date=dt.date(2015, 1, 1),
        end_date=dt.date(2020, 12, 31),
    )
    with pytest.raises(PermissionDenied):
        services.invite_user(
            invited_by=secretariat,
            email="d@example.vn",
            full_name="Người D",
            role=Role.REPRESENTATIVE,
            school=former,
        )


def test_secretariat_cannot_invite_secretariat_of_another_cluster(secretariat, other_cluster):
    with pytest.raises(PermissionDenied):
        services.invite_user(
            invited_by=secretariat,
            email="tk8@example.vn",
            full_name="Thư ký khác",
            role=Role.SECRETARIAT,
            cluster=other_cluster["cluster"],
        )


@pytest.mark.parametrize("role", [Role.OBSERVER, Role.ADMIN])
def test_secretariat_cannot_invite_observer_or_admin(secretariat, role):
    with pytest.raises(PermissionDenied):
        services.invite_user(
            invited_by=secretariat, email="y@example.vn", full_name="Người Y", role=role
        )


@pytest.mark.parametrize("persona", ["rep_a", "observer"])
def test_representative_and_observer_cannot_invite(request, persona, cluster4):
    inviter = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        services.invite_user(
            invited_by=inviter,
            email="z@example.vn",
            full_name="Người Z",
            role=Role.REPRESENTATIVE,
            school=cluster4.school_a,
        )


def test_admin_invites_observer(admin_user):
    invitation = services.invite_user(
        invited_by=admin_user, email="HV2@Example.vn", full_name="Học viện 2", role=Role.OBSERVER
    )
    assert invitation.email == "hv2@example.vn"


def test_admin_invites_secretariat_of_any_cluster(admin_user, other_cluster):
    invitation = services.invite_user(
        invited_by=admin_user,
        email="tk8b@example.vn",
        full_name="Thư ký 8b",
        role=Role.SECRETARIAT,
        cluster=other_cluster["cluster"],
    )
    assert invitation.cluster == other_cluster["cluster"]


def test_invite_email_of_active_user_is_refused(secretariat, rep_a, cluster4):
    with pytest.raises(ValidationError) as error:
        services.invite_user(
            invited_by=secretariat,
            email="DAIDIEN.A@example.vn",
            full_name="Trần Văn An",
            role=Role.REPRESENTATIVE,
            school=cluster4.school_a,
        )
    assert "email" in error.value.message_dict


def test_invite_while_invitation_pending_is_refused(invite_rep, secretariat, cluster4):
    invite_rep()
    with pytest.raises(ValidationError) as error:
        services.invite_user(
            invited_by=secretariat,
            email="moi.c@example.vn",
            full_name="Đỗ Văn Cường",
            role=Role.REPRESENTATIVE,
            school=cluster4.school_c,
        )
    assert "email" in error.value.message_dict


def test_representative_invitation_without_school_is_refused(secretariat):
    with pytest.raises(ValidationError) as error:
        services.invite_user(
            invited_by=secretariat, email="k@example.vn", full_name="K", role=Role.REPRESENTATIVE
        )
    assert "school" in error.value.message_dict


# --- the email -------------------------------------------------------------------------


def test_invitation_email_is_vietnamese_and_contains_link(invite_rep, settings):
    _, token = invite_rep()
    message = mail.outbox[0]
    link = f"{settings.SITE_URL}/accounts/invitation/{token}/"
    assert message.to == ["moi.c@example.vn"]
    assert message.subject == "Lời mời sử dụng hệ thống thi đua cụm (Đại diện trường)"
    assert "Kính gửi đồng chí Đỗ Văn Cường," in message.body
    assert "Trường Chính trị tỉnh C" in message.body
    assert link in message.body
    assert f'href="{link}"' in html_part(message)


def test_invitation_email_is_queued_after_commit_not_before(secretariat, cluster4):
    # Outside django_capture_on_commit_callbacks the test transaction never commits.
    services.invite_user(
        invited_by=secretariat,
        email="later@example.vn",
        full_name="Sau",
        role=Role.REPRESENTATIVE,
        school=cluster4.school_c,
    )
    assert mail.outbox == []


def test_task_does_not_send_twice(invite_rep):
    invitation, _ = invite_rep()
    from accounts.tasks import send_invitation_email

    assert send_invitation_email(invitation.pk) is False
    assert len(mail.outbox) == 1


# --- accepting -------------------------------------------------------------------------


def test_accept_creates_user_with_password(invite_rep, cluster4):
    invitation, token = invite_rep()
    user = services.accept_invitation(token=token, password=NEW_PASSWORD)
    assert (user.email, user.full_name, user.role, user.school) == (
        "moi.c@example.vn",
        "Đỗ Văn Cường",
        Role.REPRESENTATIVE,
        cluster4.school_c,
    )
    assert user.check_password(NEW_PASSWORD)
    assert not user.is_staff
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    assert invitation.user == user


def test_accept_reactivates_deactivated_user(
    secretariat, rep_a, cluster4, django_capture_on_commit_callbacks
):
    rep_a.is_active = False
    rep_a.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.invite_user(
            invited_by=secretariat,
            email=rep_a.email,
            full_name="Trần Văn An",
            role=Role.REPRESENTATIVE,
            school=cluster4.school_b,
        )
    user = services.accept_invitation(token=invitation_token_from_outbox(), password=NEW_PASSWORD)
    assert user.pk == rep_a.pk
    assert user.is_active
    assert user.school == cluster4.school_b


def test_accept_admin_invitation_makes_superuser(admin_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.invite_user(
            invited_by=admin_user, email="qt2@example.vn", full_name="Quản trị 2", role=Role.ADMIN
        )
    user = services.accept_invitation(token=invitation_token_from_outbox(), password=NEW_PASSWORD)
    assert user.is_staff and user.is_superuser


def test_accept_weak_password_is_refused(invite_rep):
    _, token = invite_rep()
    with pytest.raises(ValidationError):
        services.accept_invitation(token=token, password="12345678")
    assert not User.objects.filter(email="moi.c@example.vn").exists()


def test_accept_expired_invitation_raises(invite_rep):
    invitation, token = invite_rep()
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now())
    with pytest.raises(services.InvitationExpired):
        services.accept_invitation(token=token, password=NEW_PASSWORD)


def test_accept_twice_raises_used(invite_rep):
    _, token = invite_rep()
    services.accept_invitation(token=token, password=NEW_PASSWORD)
    with pytest.raises(services.InvitationUsed):
        services.accept_invitation(token=token, password=NEW_PASSWORD)


def test_resend_invalidates_old_token(invite_rep, secretariat, django_capture_on_commit_callbacks):
    invitation, old_token = invite_rep()
    with django_capture_on_commit_callbacks(execute=True):
        services.resend_invitation(invitation=invitation, by=secretariat)
    new_token = invitation_token_from_outbox()
    assert len(mail.outbox) == 2
    assert new_token != old_token
    with pytest.raises(services.InvitationNotFound):
        services.accept_invitation(token=old_token, password=NEW_PASSWORD)
    assert services.accept_invitation(token=new_token, password=NEW_PASSWORD).is_active


def test_resend_renews_expired_invitation(
    invite_rep, secretariat, django_capture_on_commit_callbacks
):
    invitation, _ = invite_rep()
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        services.resend_invitation(invitation=invitation, by=secretariat)
    user = services.accept_invitation(token=invitation_token_from_outbox(), password=NEW_PASSWORD)
    assert user.email == "moi.c@example.vn"


def test_resend_by_other_cluster_secretariat_is_denied(invite_rep, other_cluster):
    invitation, _ = invite_rep()
    with pytest.raises(PermissionDenied):
        services.resend_invitation(invitation=invitation, by=other_cluster["secretariat"])


def test_resend_accepted_invitation_is_refused(invite_rep, secretariat):
    invitation, token = invite_rep()
    services.accept_invitation(token=token, password=NEW_PASSWORD)
    with pytest.raises(ValidationError):
        services.resend_invitation(invitation=invitation, by=secretariat)


# --- views -----------------------------------------------------------------------------


def test_invite_view_creates_invitation_and_sends_email(
    client_for, secretariat, cluster4, django_capture_on_commit_callbacks
):
    client = client_for(secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:invite"),
            {
                "email": "Moi.B@Example.vn",
                "full_name": "Phan Thị Bích",
                "role": Role.REPRESENTATIVE,
                "school": cluster4.school_b.pk,
            },
        )
    assert response.status_code == 302
    assert response.url == reverse("accounts:users")
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.school, invitation.invited_by) == (
        "moi.b@example.vn",
        cluster4.school_b,
        secretariat,
    )
    assert mail.outbox[0].to == ["moi.b@example.vn"]


def test_invite_form_offers_only_member_schools(client_for, secretariat, other_cluster):
    response = client_for(secretariat).get(reverse("accounts:invite"))
    schools = list(
        response.context["form"].fields["school"].queryset.values_list("code", flat=True)
    )
    assert schools == ["SCA", "SCB", "SCC"]
    roles = [value for value, _ in response.context["form"].fields["role"].choices]
    assert roles == [Role.SECRETARIAT, Role.REPRESENTATIVE]


def test_invite_view_for_non_member_school_shows_field_error(
    client_for, secretariat, other_cluster
):
    response = client_for(secretariat).post(
        reverse("accounts:invite"),
        {
            "email": "x@example.vn",
            "full_name": "Người X",
            "role": Role.REPRESENTATIVE,
            "school": other_cluster["school"].pk,
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["school"]
    assert not Invitation.objects.exists()


def test_invite_view_for_active_email_shows_clear_error(client_for, secretariat, rep_a, cluster4):
    response = client_for(secretariat).post(
        reverse("accounts:invite"),
        {
            "email": rep_a.email,
            "full_name": "Trần Văn An",
            "role": Role.REPRESENTATIVE,
            "school": cluster4.school_a.pk,
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["email"] == [
        "Địa chỉ email này đã thuộc về một tài khoản đang hoạt động."
    ]
    assert 'value="Trần Văn An"' in response.content.decode()


@pytest.mark.parametrize("persona", ["rep_a", "observer"])
def test_invite_view_is_forbidden_to_representative_and_observer(request, persona, client_for):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(reverse("accounts:invite")).status_code == 403
    response = client.post(
        reverse("accounts:invite"),
        {"email": "z@example.vn", "full_name": "Z", "role": Role.OBSERVER},
    )
    assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_invite_view_redirects_anonymous_to_login(client, db):
    response = client.get(reverse("accounts:invite"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_accept_page_shows_who_and_school(client, invite_rep):
    _, token = invite_rep()
    response = client.get(reverse("accounts:accept_invitation", args=[token]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Đỗ Văn Cường" in body
    assert "Trường Chính trị tỉnh C" in body
    assert "Đại diện trường" in body


def test_accept_view_sets_password_and_logs_in(client, invite_rep):
    _, token = invite_rep()
    response = client.post(
        reverse("accounts:accept_invitation", args=[token]),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert response.url == reverse("dashboard")
    user = User.objects.get(email="moi.c@example.vn")
    assert client.session["_auth_user_id"] == str(user.pk)
    assert user.check_password(NEW_PASSWORD)


def test_accept_view_with_different_passwords_keeps_form(client, invite_rep):
    _, token = invite_rep()
    response = client.post(
        reverse("accounts:accept_invitation", args=[token]),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD + "x"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["password2"] == ["Hai mật khẩu không khớp nhau."]
    assert not User.objects.filter(email="moi.c@example.vn").exists()


def test_accept_view_with_weak_password_shows_error(client, invite_rep):
    _, token = invite_rep()
    response = client.post(
        reverse("accounts:accept_invitation", args=[token]),
        {"password1": "12345678", "password2": "12345678"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["password2"]
    assert not User.objects.filter(email="moi.c@example.vn").exists()


def test_expired_link_says_it_expired(client, invite_rep):
    invitation, token = invite_rep()
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    response = client.get(reverse("accounts:accept_invitation", args=[token]))
    assert response.status_code == 410
    body = response.content.decode()
    assert 'data-testid="invitation-expired"' in body
    assert "Liên kết mời này đã hết hạn" in body


def test_reused_link_says_it_was_used_with_sign_in_link(client, invite_rep):
    _, token = invite_rep()
    services.accept_invitation(token=token, password=NEW_PASSWORD)
    response = client.get(reverse("accounts:accept_invitation", args=[token]))
    assert response.status_code == 410
    body = response.content.decode()
    assert 'data-testid="invitation-used"' in body
    assert f'href="{reverse("accounts:login")}"' in body
    assert "Lời mời này đã được sử dụng" in body


def test_unknown_token_is_404(client, db):
    response = client.get(reverse("accounts:accept_invitation", args=["khong-ton-tai"]))
    assert response.status_code == 404
    assert 'data-testid="error-title"' in response.content.decode()


def test_resend_view_sends_new_link(
    client_for, secretariat, invite_rep, django_capture_on_commit_callbacks
):
    invitation, old_token = invite_rep()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(secretariat).post(
            reverse("accounts:resend_invitation", args=[invitation.pk])
        )
    assert response.status_code == 302
    assert len(mail.outbox) == 2
    assert invitation_token_from_outbox() != old_token


def test_resend_view_is_404_for_other_cluster(client_for, other_cluster, invite_rep):
    invitation, _ = invite_rep()
    response = client_for(other_cluster["secretariat"]).post(
        reverse("accounts:resend_invitation", args=[invitation.pk])
    )
    assert response.status_code == 404
    assert len(mail.outbox) == 1


def test_resend_view_is_forbidden_to_observer(client_for, observer, invite_rep):
    invitation, _ = invite_rep()
    response = client_for(observer).post(
        reverse("accounts:resend_invitation", args=[invitation.pk])
    )
    assert response.status_code == 403
    assert len(mail.outbox) == 1
