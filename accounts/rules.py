"""Role predicates shared by every app. Object rules live in each app's rules.py."""

from __future__ import annotations

import rules

from .enums import Role


@rules.predicate
def is_admin(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.is_superuser)


@rules.predicate
def is_secretariat(user) -> bool:
    return bool(user and user.is_authenticated and user.role == Role.SECRETARIAT and user.cluster_id)


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
