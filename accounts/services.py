"""Writes on user accounts: invitations, accepting them, (de)activating users.

Invitation links: the raw token is minted by the worker at the moment it sends the email
(``deliver_invitation_email``) and only its SHA-256 is stored. Nobody, not even the task
queue, ever holds a live token outside that email; a new invitation or a resend stores the
hash of a throwaway token, so an older link stops working at once.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

import rules
from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cluster.models import Cluster, School

from .enums import Role
from .models import Invitation, User
from .selectors import hash_token, pending_invitation_for


class InvitationError(Exception):
    """The invitation link cannot be used; the subclass says why."""


class InvitationNotFound(InvitationError):
    pass


class InvitationExpired(InvitationError):
    pass


class InvitationUsed(InvitationError):
    pass


def _throwaway_token_hash() -> str:
    return hash_token(secrets.token_urlsafe(32))


def _queue_invitation_email(invitation: Invitation) -> None:
    from .tasks import send_invitation_email

    invitation_id = invitation.pk
    # robust: a broker or SMTP failure must not turn a saved invitation into an error
    # page; the list shows it as not sent and the secretariat can resend it.
    transaction.on_commit(lambda: send_invitation_email.delay(invitation_id), robust=True)


def _check_role_fields(role: str, cluster: Cluster | None, school: School | None) -> None:
    if role not in Role.values:
        raise ValidationError({"role": _("Choose a role.")})
    if role == Role.SECRETARIAT and cluster is None:
        raise ValidationError({"cluster": _("A secretariat member needs a cluster.")})
    if role == Role.REPRESENTATIVE and school is None:
        raise ValidationError({"school": _("A school representative needs a school.")})
    if role != Role.SECRETARIAT and cluster is not None:
        raise ValidationError({"cluster": _("Only a secretariat member belongs to a cluster.")})
    if role != Role.REPRESENTATIVE and school is not None:
        raise ValidationError({"school": _("Only a school representative belongs to a school.")})


@transaction.atomic
def invite_user(
    *,
    invited_by: User,
    email: str,
    full_name: str,
    role: str,
    cluster: Cluster | None = None,
    school: School | None = None,
) -> Invitation:
    """Create an invitation and queue its email (sent after the transaction commits).

    Raises PermissionDenied when ``invited_by`` may not invite this person (see
    accounts.rules), ValidationError when the email belongs to an active account, when
    an invitation to it is still pending, or when role, cluster and school do not fit.
    """
    email = User.objects.normalize_email((email or "").strip()).lower()
    full_name = (full_name or "").strip()
    _check_role_fields(role, cluster, school)
    invitation = Invitation(
        email=email,
        full_name=full_name,
        role=role,
        cluster=cluster,
        school=school,
        invited_by=invited_by,
        token_hash=_throwaway_token_hash(),
        expires_at=timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    if not rules.has_perm("accounts.invite_user", invited_by, invitation):
        raise PermissionDenied
    if User.objects.filter(email__iexact=email, is_active=True).exists():
        raise ValidationError({"email": _("An active account already uses this email address.")})
    if pending_invitation_for(email) is not None:
        raise ValidationError(
            {
                "email": _(
                    "An invitation to this email address is still pending. "
                    "Resend it from the list of pending invitations."
                )
            }
        )
    invitation.full_clean(exclude=["token_hash"])
    invitation.save()
    _queue_invitation_email(invitation)
    return invitation


@transaction.atomic
def resend_invitation(*, invitation: Invitation, by: User) -> Invitation:
    """Give the invitation a new link and a new expiry and email it again.

    The previous link stops working immediately.
    """
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not rules.has_perm("accounts.invite_user", by, invitation):
        raise PermissionDenied
    if invitation.is_used:
        raise ValidationError(_("This invitation has already been accepted."))
    invitation.token_hash = _throwaway_token_hash()
    invitation.expires_at = timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS)
    invitation.sent_at = None
    invitation.save(update_fields=["token_hash", "expires_at", "sent_at"])
    _queue_invitation_email(invitation)
    return invitation


def invitation_url(token: str) -> str:
    return settings.SITE_URL + reverse("accounts:accept_invitation", args=[token])


@transaction.atomic
def deliver_invitation_email(*, invitation_id: int) -> bool:
    """Mint the invitation's link, email it (in Vietnamese) and record when.

    Returns False without sending when the invitation was accepted meanwhile or was
    already sent since its last (re)issue: a task delivered twice sends one email.
    """
    invitation = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("cluster", "school", "invited_by")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None or invitation.is_used or invitation.sent_at is not None:
        return False
    token = secrets.token_urlsafe(32)
    invitation.token_hash = hash_token(token)
    invitation.save(update_fields=["token_hash"])
    context = {
        "invitation": invitation,
        "link": invitation_url(token),
        "site_url": settings.SITE_URL,
        "valid_days": settings.INVITATION_VALID_DAYS,
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = " ".join(
            render_to_string("emails/accounts/invitation_subject.txt", context).split()
        )
        text = render_to_string("emails/accounts/invitation.txt", context)
        html = render_to_string("emails/accounts/invitation.html", context)
    message = EmailMultiAlternatives(subject, text, to=[invitation.email])
    message.attach_alternative(html, "text/html")
    message.send()
    invitation.sent_at = timezone.now()
    invitation.save(update_fields=["sent_at"])
    return True


def check_invitation(token: str) -> Invitation:
    """The invitation behind ``token`` if it can still be accepted; else InvitationError."""
    from .selectors import invitation_by_token

    invitation = invitation_by_token(token)
    if invitation is None:
        raise InvitationNotFound
    if invitation.is_used:
        raise InvitationUsed
    if invitation.is_expired:
        raise InvitationExpired
    return invitation


@transaction.atomic
def accept_invitation(*, token: str, password: str) -> User:
    """Create (or reactivate) the invited user with ``password`` and close the invitation.

    Raises InvitationNotFound / InvitationUsed / InvitationExpired, or ValidationError when
    the password is refused by the validators or an active account has the email.
    """
    invitation = Invitation.objects.select_for_update().filter(token_hash=hash_token(token)).first()
    if invitation is None:
        raise InvitationNotFound
    if invitation.is_used:
        raise InvitationUsed
    if invitation.is_expired:
        raise InvitationExpired
    user = User.objects.filter(email__iexact=invitation.email).first()
    if user is not None and user.is_active:
        raise ValidationError(
            _("An active account already uses this email address. Sign in instead.")
        )
    if user is None:
        user = User(email=invitation.email)
    user.full_name = invitation.full_name
    user.role = invitation.role
    user.cluster_id = invitation.cluster_id
    user.school_id = invitation.school_id
    user.is_staff = user.is_superuser = invitation.role == Role.ADMIN
    user.is_active = True
    password_validation.validate_password(password, user=user)
    user.set_password(password)
    user.save()
    invitation.accepted_at = timezone.now()
    invitation.user = user
    invitation.save(update_fields=["accepted_at", "user"])
    return user


def _check_can_manage(*, user: User, by: User) -> None:
    if user.pk == by.pk:
        raise ValidationError(_("You cannot change the status of your own account."))
    if not rules.has_perm("accounts.manage_user", by, user):
        raise PermissionDenied


@transaction.atomic
def deactivate_user(*, user: User, by: User) -> User:
    """Stop ``user`` from signing in; the account and its history stay."""
    _check_can_manage(user=user, by=by)
    if user.is_active:
        user.is_active = False
        user.save(update_fields=["is_active"])
    return user


@transaction.atomic
def reactivate_user(*, user: User, by: User) -> User:
    """Let a deactivated user sign in again with their old password."""
    _check_can_manage(user=user, by=by)
    if not user.is_active:
        user.is_active = True
        user.save(update_fields=["is_active"])
    return user


def update_profile(*, user: User, full_name: str, position: str, phone: str, language: str) -> User:
    """The signed-in user's own details and preferred language."""
    user.full_name = full_name.strip()
    user.position = position.strip()
    user.phone = phone.strip()
    user.language = language
    user.full_clean(exclude=["password"])
    user.save(update_fields=["full_name", "position", "phone", "language"])
    return user
