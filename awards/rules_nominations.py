"""Predicates for the award catalogue, achievements and nominations.

Who (issue "Awards and voting"): representatives propose for their own school only, when
it is a member of the year; the secretariat of the cluster manages the workflow; observers
read everything that has left the school; other schools see a nomination only from
``published`` on. A draft is private to its school (and the administrator); so is a
nomination withdrawn before it was ever submitted.

The status conditions are part of the permission (``edit_nomination`` is false once the
nomination is submitted), so templates can show exactly the actions that will work; the
services check the status again with a clear message.
"""

from __future__ import annotations

import rules

from accounts.rules import is_admin, is_observer, is_representative, is_secretariat, is_signed_in
from cluster.models import Cluster, EmulationYear
from cluster.rules import (
    can_view_cluster,
    can_view_school,
    school_is_in_cluster,
    school_is_member_of_secretariat_cluster,
)

from .enums import NominationStatus as S

#: From these statuses on, every member school of the cluster sees the nomination.
PUBLIC_STATUSES = frozenset(
    {S.PUBLISHED, S.VOTED, S.APPROVED, S.NOT_APPROVED, S.FORWARDED, S.DECIDED, S.REFUSED, S.REVOKED}
)
EDITABLE_STATUSES = frozenset({S.DRAFT, S.RETURNED})
WITHDRAWABLE_STATUSES = frozenset({S.DRAFT, S.SUBMITTED, S.RETURNED})
RETURNABLE_STATUSES = frozenset({S.SUBMITTED, S.PUBLISHED})


def cluster_id_of(obj) -> int | None:
    """The cluster of a Cluster, an EmulationYear, or anything with a ``year``."""
    if obj is None:
        return None
    if isinstance(obj, Cluster):
        return obj.pk
    if isinstance(obj, EmulationYear):
        return obj.cluster_id
    year = getattr(obj, "year", None)
    return year.cluster_id if year is not None else None


def _cluster_of(obj) -> Cluster | None:
    if isinstance(obj, Cluster):
        return obj
    if isinstance(obj, EmulationYear):
        return obj.cluster
    year = getattr(obj, "year", None)
    return year.cluster if year is not None else None


def _is_private(nomination) -> bool:
    return nomination.status == S.DRAFT or (
        nomination.status == S.WITHDRAWN and nomination.submitted_at is None
    )


@rules.predicate
def is_secretariat_of(user, obj) -> bool:
    """Secretariat of the cluster of ``obj`` (cluster, year, nomination, dossier document)."""
    cluster_id = cluster_id_of(obj)
    return bool(cluster_id and is_secretariat(user) and user.cluster_id == cluster_id)


@rules.predicate
def is_proposing_school(user, nomination) -> bool:
    return bool(
        nomination is not None
        and is_representative(user)
        and user.school_id == nomination.school_id
    )


@rules.predicate
def is_rep_in_cluster(user, obj) -> bool:
    """A representative whose school is, or was, a member of the object's cluster."""
    cluster = _cluster_of(obj)
    return bool(cluster is not None and school_is_in_cluster(user, cluster))


@rules.predicate
def is_member_rep_of_year(user, obj) -> bool:
    """A representative whose school is a member of the year (of ``obj``)."""
    if not is_representative(user):
        return False
    year = obj if isinstance(obj, EmulationYear) else getattr(obj, "year", None)
    if year is None:
        return False
    cache = user.__dict__.setdefault("_member_years_cache", {})
    if year.pk not in cache:
        from cluster.selectors import members_of_year

        cache[year.pk] = members_of_year(year).filter(pk=user.school_id).exists()
    return cache[year.pk]


@rules.predicate
def is_not_private(user, nomination) -> bool:
    return nomination is not None and not _is_private(nomination)


@rules.predicate
def is_public(user, nomination) -> bool:
    return nomination is not None and nomination.status in PUBLIC_STATUSES


def _status_in(statuses: frozenset, name: str):
    @rules.predicate(name=name)
    def predicate(user, nomination) -> bool:
        return nomination is not None and nomination.status in statuses

    return predicate


is_editable = _status_in(EDITABLE_STATUSES, "is_editable")
is_withdrawable = _status_in(WITHDRAWABLE_STATUSES, "is_withdrawable")
is_returnable = _status_in(RETURNABLE_STATUSES, "is_returnable")
is_approved = _status_in(frozenset({S.APPROVED}), "is_approved")
is_forwarded = _status_in(frozenset({S.FORWARDED}), "is_forwarded")
is_decided = _status_in(frozenset({S.DECIDED}), "is_decided")
is_published = _status_in(frozenset({S.PUBLISHED}), "is_published")


@rules.predicate
def comment_window_open(user, nomination) -> bool:
    from django.utils import timezone

    return nomination is not None and (
        nomination.comment_until is None or timezone.localdate() <= nomination.comment_until
    )


@rules.predicate
def report_can_be_certified(user, nomination) -> bool:
    return bool(
        nomination is not None
        and nomination.achievement_report
        and nomination.status in {S.SUBMITTED, S.PUBLISHED, S.VOTED, S.APPROVED}
    )


@rules.predicate
def secretariat_of_recipient_school(user, achievement) -> bool:
    school = achievement.recipient.school if achievement is not None else None
    return bool(school is not None and school_is_member_of_secretariat_cluster(user, school))


@rules.predicate
def is_not_revoked(user, achievement) -> bool:
    return achievement is not None and achievement.revoked_at is None


manages_nominations = is_admin | is_secretariat_of

can_read_nomination = (
    is_admin
    | is_proposing_school
    | (is_not_private & (is_observer | is_secretariat_of))
    | (is_public & is_rep_in_cluster)
)

rules.add_perm("awards.read_catalogue", is_signed_in)
rules.add_perm("awards.read_achievements", can_view_school)
rules.add_perm(
    "awards.revoke_achievement", (is_admin | secretariat_of_recipient_school) & is_not_revoked
)
# The same, asked once for a school's whole history page.
rules.add_perm(
    "awards.revoke_school_achievements", is_admin | school_is_member_of_secretariat_cluster
)
rules.add_perm("awards.import_achievements", is_admin | is_secretariat)
rules.add_perm("awards.read_nominations", can_view_cluster)
rules.add_perm("awards.read_nomination", can_read_nomination)
rules.add_perm("awards.propose_nomination", is_member_rep_of_year)
rules.add_perm("awards.edit_nomination", is_proposing_school & is_editable)
rules.add_perm("awards.submit_nomination", is_proposing_school & is_editable)
rules.add_perm("awards.withdraw_nomination", is_proposing_school & is_withdrawable)
rules.add_perm("awards.manage_nominations", manages_nominations)
rules.add_perm("awards.return_nomination", manages_nominations & is_returnable)
rules.add_perm("awards.certify_report", manages_nominations & report_can_be_certified)
rules.add_perm("awards.forward_nomination", manages_nominations & is_approved)
rules.add_perm("awards.decide_nomination", manages_nominations & is_forwarded)
rules.add_perm("awards.revoke_nomination", manages_nominations & is_decided)
rules.add_perm(
    "awards.comment_nomination",
    is_published & comment_window_open & (is_secretariat_of | is_member_rep_of_year),
)

__all__: list[str] = []  # nothing to re-export through awards.rules


def can(user, perm: str, obj=None) -> bool:
    """Ask the predicate of an ``awards.*`` permission itself.

    ``user.has_perm`` answers True for every superuser before any predicate runs, which
    would skip the workflow's status conditions (an administrator could "edit" a decided
    nomination). Our predicates name the administrator explicitly where they allow it, so
    views and services of the nominations ask them directly.
    """
    return bool(user is not None and user.is_active and rules.has_perm(perm, user, obj))
