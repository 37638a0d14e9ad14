"""Reads of users and invitations, scoped to what the asking user may see."""

from __future__ import annotations

import hashlib

from django.db.models import Q, QuerySet
from django.utils import timezone

from cluster.models import Cluster, Membership, School

from .enums import Role
from .models import Invitation, User
from .rules import is_admin, is_secretariat, reads_everything


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _current_member_ids(cluster_id: int):
    return (
        Membership.objects.filter(cluster_id=cluster_id)
        .active_on(timezone.localdate())
        .values("school_id")
    )


def users_visible_to(user) -> QuerySet[User]:
    """Everyone for the admin and the observer; for a secretariat, its colleagues and the
    representatives of the schools that are members of its cluster today; nobody else."""
    users = User.objects.select_related("cluster", "school")
    if reads_everything(user):
        return users
    if is_secretariat(user):
        return users.filter(
            Q(role=Role.SECRETARIAT, cluster_id=user.cluster_id)
            | Q(role=Role.REPRESENTATIVE, school_id__in=_current_member_ids(user.cluster_id))
        )
    return users.none()


def open_invitations_visible_to(user) -> QuerySet[Invitation]:
    """Invitations not yet accepted (pending or expired) in the user's scope."""
    invitations = Invitation.objects.filter(accepted_at__isnull=True).select_related(
        "cluster", "school", "invited_by"
    )
    if reads_everything(user):
        return invitations
    if is_secretariat(user):
        return invitations.filter(
            Q(role=Role.SECRETARIAT, cluster_id=user.cluster_id)
            | Q(role=Role.REPRESENTATIVE, school_id__in=_current_member_ids(user.cluster_id))
        )
    return invitations.none()


def schools_in_scope(user) -> QuerySet[School]:
    """Schools whose representatives the user sees (filter and invitation choices)."""
    if reads_everything(user):
        return School.objects.order_by("code")
    if is_secretariat(user):
        return School.objects.filter(pk__in=_current_member_ids(user.cluster_id)).order_by("code")
    return School.objects.none()


def clusters_in_scope(user) -> QuerySet[Cluster]:
    """Clusters for which the user may invite secretariat members."""
    if is_admin(user):
        return Cluster.objects.order_by("code")
    if is_secretariat(user):
        return Cluster.objects.filter(pk=user.cluster_id)
    return Cluster.objects.none()


def invitation_by_token(token: str) -> Invitation | None:
    return (
        Invitation.objects.select_related("cluster", "school", "invited_by", "user")
        .filter(token_hash=hash_token(token))
        .first()
    )


def pending_invitation_for(email: str) -> Invitation | None:
    """An invitation to ``email`` that is neither accepted nor expired."""
    return (
        Invitation.objects.filter(
            email__iexact=email, accepted_at__isnull=True, expires_at__gt=timezone.now()
        )
        .order_by("-created_at")
        .first()
    )
