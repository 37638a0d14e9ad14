"""Reads that join or aggregate cluster data."""

from __future__ import annotations

from datetime import date

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from .enums import LeadershipRole
from .models import Cluster, EmulationYear, Leadership, Membership, Phase, School


def members_of_year(year: EmulationYear) -> QuerySet[School]:
    """The schools that are members of ``year``: membership active on the year's end date.

    See the docstring of cluster.models for why the end date decides.
    """
    return members_on(year.cluster, year.reference_date)


def members_on(cluster: Cluster, day: date) -> QuerySet[School]:
    school_ids = Membership.objects.filter(cluster=cluster).active_on(day).values("school_id")
    return School.objects.filter(pk__in=school_ids).order_by("code")


def current_year(cluster: Cluster, today: date | None = None) -> EmulationYear | None:
    """The year containing today, else the latest year that has started, else the first."""
    today = today or timezone.localdate()
    years = EmulationYear.objects.filter(cluster=cluster)
    return (
        years.filter(start_date__lte=today, end_date__gte=today).order_by("-start_date").first()
        or years.filter(start_date__lte=today).order_by("-start_date").first()
        or years.order_by("start_date").first()
    )


def year_with_leaders(cluster: Cluster, label: str) -> EmulationYear:
    return (
        EmulationYear.objects.select_related("cluster")
        .prefetch_related(
            Prefetch("leaders", queryset=Leadership.objects.select_related("school")),
            Prefetch("phases", queryset=Phase.objects.order_by("starts_on", "deadline")),
        )
        .get(cluster=cluster, label=label)
    )


def head_of(year: EmulationYear) -> School | None:
    for leader in year.leaders.all():
        if leader.role == LeadershipRole.HEAD:
            return leader.school
    return None


def deputies_of(year: EmulationYear) -> list[School]:
    return [leader.school for leader in year.leaders.all() if leader.role == LeadershipRole.DEPUTY]


def current_phase(year: EmulationYear, today: date | None = None) -> Phase | None:
    """The phase in progress today: the earliest whose (final) deadline has not passed and
    that has started; else the next one to start; None when all are over."""
    today = today or timezone.localdate()
    phases = sorted(year.phases.all(), key=lambda p: (p.starts_on, p.deadline))
    for phase in phases:
        if phase.starts_on <= today <= (phase.hard_deadline or phase.deadline):
            return phase
    upcoming = [p for p in phases if p.starts_on > today]
    return upcoming[0] if upcoming else None


def clusters_of_user(user) -> QuerySet[Cluster]:
    """Clusters the user may read, for navigation."""
    from accounts.rules import is_admin, is_observer, is_representative, is_secretariat

    if is_admin(user) or is_observer(user):
        return Cluster.objects.all()
    if is_secretariat(user):
        return Cluster.objects.filter(pk=user.cluster_id)
    if is_representative(user):
        return Cluster.objects.filter(memberships__school_id=user.school_id).distinct()
    return Cluster.objects.none()
