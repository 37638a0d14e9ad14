"""Role predicates shared by every app, and who may manage which user accounts.

Object rules of other apps live in each app's rules.py; the account rules are here:

- ``accounts.read_users``: open the user list (admin, observer, secretariat);
- ``accounts.manage_users``: invite, resend, deactivate (admin, secretariat);
- ``accounts.invite_role`` (object: a role value): which roles the user may invite;
- ``accounts.invite_user`` (object: an Invitation, saved or not): who may invite whom;
- ``accounts.read_user`` / ``accounts.manage_user`` (object: a User);
- ``accounts.use_admin``: the Django admin link.
"""

from __future__ import annotations

import rules
from django.utils import timezone

from .enums import Role


@rules.predicate
def is_admin(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.is_superuser)


@rules.predicate
def is_secretariat(user) -> bool:
    return bool(
        user and user.is_authenticated and user.role == Role.SECRETARIAT and user.cluster_id
    )


@rules.predicate
def is_representative(user) -> bool:
    return bool(
        user and user.is_authenticated and user.role == Role.REPRESENTATIVE and user.school_id
    )


@rules.predicate
def is_observer(user) -> bool:
    return bool(user and user.is_authenticated and user.role == Role.OBSERVER)


@rules.predicate
def is_signed_in(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


reads_everything = is_admin | is_observer


def school_is_current_member(cluster_id: int | None, school_id: int | None) -> bool:
    """The school has a membership of the cluster that is active today."""
    if not cluster_id or not school_id:
        return False
    from cluster.models import Membership

    return (
        Membership.objects.filter(cluster_id=cluster_id, school_id=school_id)
        .active_on(timezone.localdate())
        .exists()
    )


def _in_secretariat_scope(user, role: str, cluster_id: int | None, school_id: int | None) -> bool:
    """A secretariat's scope: colleagues of its own cluster and representatives of the
    schools that are members of its cluster today."""
    if not is_secretariat(user):
        return False
    if role == Role.SECRETARIAT:
        return cluster_id == user.cluster_id and school_id is None
    if role == Role.REPRESENTATIVE:
        return school_is_current_member(user.cluster_id, school_id)
    return False


@rules.predicate
def role_invitable_by_secretariat(user, role) -> bool:
    return bool(is_secretariat(user) and role in (Role.REPRESENTATIVE, Role.SECRETARIAT))


@rules.predicate
def invitation_in_secretariat_scope(user, invitation) -> bool:
    """A secretariat invites representatives of its cluster's current member schools and
    colleagues for its own cluster, nobody else."""
    if invitation is None:
        return False
    return _in_secretariat_scope(user, invitation.role, invitation.cluster_id, invitation.school_id)


@rules.predicate
def user_in_secretariat_scope(user, target) -> bool:
    if target is None:
        return False
    return _in_secretariat_scope(user, target.role, target.cluster_id, target.school_id)


@rules.predicate
def is_self(user, target) -> bool:
    return bool(target is not None and user.pk == target.pk)


can_read_users = is_admin | is_observer | is_secretariat
can_manage_users = is_admin | is_secretariat
can_invite_role = is_admin | role_invitable_by_secretariat
can_invite_user = is_admin | invitation_in_secretariat_scope
can_read_user = reads_everything | user_in_secretariat_scope | is_self
can_manage_user = (is_admin | user_in_secretariat_scope) & ~is_self

rules.add_perm("accounts.read_users", can_read_users)
rules.add_perm("accounts.manage_users", can_manage_users)
rules.add_perm("accounts.invite_role", can_invite_role)
rules.add_perm("accounts.invite_user", can_invite_user)
rules.add_perm("accounts.read_user", can_read_user)
rules.add_perm("accounts.manage_user", can_manage_user)
rules.add_perm("accounts.use_admin", is_admin)

# The same predicates as plain rules for the navigation bar on every page:
# ``{% test_rule %}`` asks the predicate only, whereas ``has_perm`` falls through to
# Django's ModelBackend (two permission queries per page) when the answer is no.
rules.add_rule("accounts.nav_users", can_read_users)
rules.add_rule("accounts.nav_admin", is_admin)
