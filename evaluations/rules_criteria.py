"""Predicates for criteria tables, indicators and pledges (owned by the criteria/pledges work).

Objects: an ``EmulationYear`` (criteria table, indicators, covenant, registering a pledge) or
a ``Pledge``. Load years with ``select_related("cluster")`` and pledges with
``select_related("year__cluster")``: the predicates read the cluster from them.

Who sees what: a school's draft (or returned) pledge is seen by its own representatives
only, plus the secretariat once it was returned (they wrote the comment). A submitted or
accepted pledge is seen by the representatives of every member school of that year, the
cluster's secretariat and the Academy's observers. Nobody changes another school's pledge.
"""

from __future__ import annotations

import rules

from accounts.rules import is_admin, is_observer, is_representative
from cluster.models import EmulationYear
from cluster.selectors import members_of_year

from .enums import SubmissionStatus
from .models import Pledge

__all__: list[str] = []


def _year_of(obj) -> EmulationYear | None:
    if isinstance(obj, EmulationYear):
        return obj
    if isinstance(obj, Pledge):
        return obj.year
    return getattr(obj, "year", None)


def _cluster_of(obj):
    year = _year_of(obj)
    return year.cluster if year is not None else None


@rules.predicate
def reads_cluster_of_year(user, obj) -> bool:
    cluster = _cluster_of(obj)
    return cluster is not None and user.has_perm("cluster.read_cluster", cluster)


@rules.predicate
def manages_cluster_of_year(user, obj) -> bool:
    cluster = _cluster_of(obj)
    return cluster is not None and user.has_perm("cluster.manage_cluster", cluster)


@rules.predicate
def school_is_member_of_year(user, obj) -> bool:
    """The representative's school is one of the year's members (members_of_year)."""
    year = _year_of(obj)
    if year is None or not is_representative(user):
        return False
    cache = user.__dict__.setdefault("_member_of_year_cache", {})
    if year.pk not in cache:
        cache[year.pk] = members_of_year(year).filter(pk=user.school_id).exists()
    return cache[year.pk]


@rules.predicate
def is_own_pledge(user, pledge) -> bool:
    return bool(
        isinstance(pledge, Pledge)
        and is_representative(user)
        and pledge.school_id == user.school_id
    )


@rules.predicate
def pledge_is_public(user, pledge) -> bool:
    return isinstance(pledge, Pledge) and pledge.status in (
        SubmissionStatus.SUBMITTED,
        SubmissionStatus.ACCEPTED,
    )


@rules.predicate
def pledge_is_returned(user, pledge) -> bool:
    return isinstance(pledge, Pledge) and pledge.status == SubmissionStatus.RETURNED


@rules.predicate
def pledge_is_editable(user, pledge) -> bool:
    return isinstance(pledge, Pledge) and pledge.status in (
        SubmissionStatus.DRAFT,
        SubmissionStatus.RETURNED,
    )


@rules.predicate
def pledge_is_submitted(user, pledge) -> bool:
    return isinstance(pledge, Pledge) and pledge.status == SubmissionStatus.SUBMITTED


can_read_criteria = reads_cluster_of_year
can_manage_criteria = manages_cluster_of_year
can_register_pledge = school_is_member_of_year
can_view_pledge = (
    is_own_pledge
    | (
        pledge_is_public
        & (is_admin | is_observer | manages_cluster_of_year | school_is_member_of_year)
    )
    | (pledge_is_returned & manages_cluster_of_year)
)
can_edit_pledge = is_own_pledge & pledge_is_editable & school_is_member_of_year
can_accept_pledge = manages_cluster_of_year & pledge_is_submitted
can_return_pledge = manages_cluster_of_year & pledge_is_public

rules.add_perm("evaluations.read_criteria", can_read_criteria)
rules.add_perm("evaluations.manage_criteria", can_manage_criteria)
rules.add_perm("evaluations.read_covenant", can_read_criteria)
rules.add_perm("evaluations.register_pledge", can_register_pledge)
rules.add_perm("evaluations.read_pledge", can_view_pledge)
# The covenant shows submitted and accepted pledges only, even to their own school: it is
# the joint document the members sign.
rules.add_perm("evaluations.show_in_covenant", pledge_is_public & can_view_pledge)
rules.add_perm("evaluations.edit_pledge", can_edit_pledge)
rules.add_perm("evaluations.own_pledge", is_own_pledge)
rules.add_perm("evaluations.accept_pledge", can_accept_pledge)
rules.add_perm("evaluations.return_pledge", can_return_pledge)
