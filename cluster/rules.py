"""Who may see and change what in a cluster. Every view, admin action and command asks
these predicates (``user.has_perm("cluster.read_cluster", cluster)``); nothing else
decides permissions."""

from __future__ import annotations

import rules

from accounts.rules import is_admin, is_observer, is_representative, is_secretariat

from .models import Cluster, School


def _cluster_of(obj) -> Cluster | None:
    if obj is None:
        return None
    if isinstance(obj, Cluster):
        return obj
    return getattr(obj, "cluster", None)


@rules.predicate
def is_secretariat_of_cluster(user, obj) -> bool:
    cluster = _cluster_of(obj)
    return bool(cluster is not None and is_secretariat(user) and user.cluster_id == cluster.pk)


@rules.predicate
def school_is_in_cluster(user, obj) -> bool:
    """The representative's school is, or was, a member of the object's cluster."""
    cluster = _cluster_of(obj)
    if cluster is None or not is_representative(user):
        return False
    cache = getattr(user, "_cluster_ids_cache", None)
    if cache is None:
        cache = set(user.school.memberships.values_list("cluster_id", flat=True))
        user._cluster_ids_cache = cache
    return cluster.pk in cache


@rules.predicate
def is_representative_of_school(user, school) -> bool:
    return bool(
        isinstance(school, School) and is_representative(user) and user.school_id == school.pk
    )


@rules.predicate
def school_is_member_of_secretariat_cluster(user, school) -> bool:
    if not isinstance(school, School) or not is_secretariat(user):
        return False
    return school.memberships.filter(cluster_id=user.cluster_id).exists()


@rules.predicate
def school_is_visible_to_representative(user, school) -> bool:
    """Representatives see schools that share (or shared) a cluster with their own."""
    if not isinstance(school, School) or not is_representative(user):
        return False
    if school.pk == user.school_id:
        return True
    cache = getattr(user, "_cluster_ids_cache", None)
    if cache is None:
        cache = set(user.school.memberships.values_list("cluster_id", flat=True))
        user._cluster_ids_cache = cache
    return school.memberships.filter(cluster_id__in=cache).exists()


can_view_cluster = is_admin | is_observer | is_secretariat_of_cluster | school_is_in_cluster
can_manage_cluster = is_admin | is_secretariat_of_cluster
can_view_school = (
    is_admin
    | is_observer
    | is_representative_of_school
    | school_is_member_of_secretariat_cluster
    | school_is_visible_to_representative
)
can_edit_school = is_admin | is_representative_of_school | school_is_member_of_secretariat_cluster

rules.add_perm("cluster.read_cluster", can_view_cluster)
rules.add_perm("cluster.manage_cluster", can_manage_cluster)
rules.add_perm("cluster.read_school", can_view_school)
rules.add_perm("cluster.edit_school", can_edit_school)


# Representatives' e-mail addresses and phone numbers: the school itself and those who
# run its cluster, not the other members nor the Academy (they read the school's own
# public contact details instead).
can_read_school_contacts = (
    is_admin | is_representative_of_school | school_is_member_of_secretariat_cluster
)

# Clusters listed with every cluster's figures (the Academy's view).
can_read_all_clusters = is_admin | is_observer

rules.add_perm("cluster.read_school_contacts", can_read_school_contacts)
rules.add_perm("cluster.read_all_clusters", can_read_all_clusters)
