"""Reads that join or aggregate cluster data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone

from .enums import LeadershipRole
from .models import (
    Cluster,
    EmulationYear,
    Event,
    Leadership,
    Membership,
    Movement,
    MovementDocument,
    Phase,
    School,
    SchoolMerge,
)


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


# --- Pages -------------------------------------------------------------------------------
# Everything below loads a page's data in a fixed number of queries, whatever the number
# of schools, years or events (tests guard it with django_assert_max_num_queries).


class PhaseState:
    PAST = "past"
    CURRENT = "current"
    FUTURE = "future"


@dataclass(frozen=True)
class PhaseRow:
    """A phase on a timeline with its state today and the days left to its deadline."""

    phase: Phase
    state: str
    days_left: int | None  # to the (soft) deadline; None once it has passed

    @property
    def is_current(self) -> bool:
        return self.state == PhaseState.CURRENT

    @property
    def is_past(self) -> bool:
        return self.state == PhaseState.PAST


def phase_timeline(year: EmulationYear, today: date | None = None) -> list[PhaseRow]:
    """The year's phases in order, the current one (see ``current_phase``) marked."""
    today = today or timezone.localdate()
    current = current_phase(year, today)
    rows = []
    for phase in sorted(year.phases.all(), key=lambda p: (p.starts_on, p.deadline)):
        if current is not None and phase.pk == current.pk:
            state = PhaseState.CURRENT
        elif (phase.hard_deadline or phase.deadline) < today:
            state = PhaseState.PAST
        else:
            state = PhaseState.FUTURE
        days_left = (phase.deadline - today).days if phase.deadline >= today else None
        rows.append(PhaseRow(phase=phase, state=state, days_left=days_left))
    return rows


def upcoming_deadlines(
    year: EmulationYear, today: date | None = None, limit: int = 3
) -> list[PhaseRow]:
    """The next deadlines (soft, or final when the soft one has passed) from today."""
    today = today or timezone.localdate()
    rows = [
        row
        for row in phase_timeline(year, today)
        if (row.phase.hard_deadline or row.phase.deadline) >= today
    ]
    return rows[:limit]


def _year_queryset():
    return EmulationYear.objects.select_related("cluster").prefetch_related(
        Prefetch("leaders", queryset=Leadership.objects.select_related("school")),
        Prefetch("phases", queryset=Phase.objects.order_by("starts_on", "deadline")),
    )


def pick_current_year(years: list[EmulationYear], today: date) -> EmulationYear | None:
    """``current_year`` over an already loaded list of one cluster's years."""
    containing = [y for y in years if y.start_date <= today <= y.end_date]
    if containing:
        return max(containing, key=lambda y: y.start_date)
    started = [y for y in years if y.start_date <= today]
    if started:
        return max(started, key=lambda y: y.start_date)
    return min(years, key=lambda y: y.start_date) if years else None


def current_year_with_leaders(cluster: Cluster, today: date | None = None) -> EmulationYear | None:
    """``current_year`` with its leaders and phases prefetched."""
    year = current_year(cluster, today)
    if year is None:
        return None
    return _year_queryset().get(pk=year.pk)


@dataclass
class ClusterSummary:
    cluster: Cluster
    year: EmulationYear | None
    phase: Phase | None
    head: School | None
    deputies: list[School]
    member_count: int


def cluster_summaries(clusters, today: date | None = None) -> list[ClusterSummary]:
    """Each cluster with its current year, phase, head and number of members (of the
    current year by the members rule; of today when the cluster has no year)."""
    today = today or timezone.localdate()
    clusters = list(clusters)
    ids = [c.pk for c in clusters]
    # Pick each cluster's current year from the bare dates, then load only those years with
    # their leaders and phases: an installation keeps every cluster's years for decades.
    dates_by_cluster: dict[int, list[EmulationYear]] = {}
    for year in EmulationYear.objects.filter(cluster_id__in=ids).only(
        "id", "cluster_id", "start_date", "end_date"
    ):
        dates_by_cluster.setdefault(year.cluster_id, []).append(year)
    chosen = [pick_current_year(years, today) for years in dates_by_cluster.values()]
    current_by_cluster = {
        year.cluster_id: year
        for year in _year_queryset().filter(pk__in=[y.pk for y in chosen if y is not None])
    }
    memberships_by_cluster: dict[int, list[tuple]] = {}
    for row in Membership.objects.filter(cluster_id__in=ids).values_list(
        "cluster_id", "school_id", "start_date", "end_date"
    ):
        memberships_by_cluster.setdefault(row[0], []).append(row)
    summaries = []
    for cluster in clusters:
        year = current_by_cluster.get(cluster.pk)
        day = year.reference_date if year else today
        members = {
            school_id
            for _, school_id, start, end in memberships_by_cluster.get(cluster.pk, [])
            if start <= day and (end is None or end >= day)
        }
        summaries.append(
            ClusterSummary(
                cluster=cluster,
                year=year,
                phase=current_phase(year, today) if year else None,
                head=head_of(year) if year else None,
                deputies=deputies_of(year) if year else [],
                member_count=len(members),
            )
        )
    return summaries


def cluster_by_code(code: str) -> Cluster:
    return Cluster.objects.get(code=code)


def years_of_cluster(cluster: Cluster) -> QuerySet[EmulationYear]:
    return (
        EmulationYear.objects.filter(cluster=cluster)
        .select_related("cluster")
        .prefetch_related(Prefetch("leaders", queryset=Leadership.objects.select_related("school")))
        .order_by("-start_date")
    )


def previous_year(year: EmulationYear) -> EmulationYear | None:
    return (
        EmulationYear.objects.filter(cluster_id=year.cluster_id, start_date__lt=year.start_date)
        .exclude(pk=year.pk)
        .order_by("-start_date")
        .first()
    )


def next_year(year: EmulationYear) -> EmulationYear | None:
    return (
        EmulationYear.objects.filter(cluster_id=year.cluster_id, start_date__gt=year.start_date)
        .exclude(pk=year.pk)
        .order_by("start_date")
        .first()
    )


def schools_of_cluster(cluster: Cluster) -> QuerySet[School]:
    """Every school that is or was a member of the cluster (for host and launcher choices)."""
    return School.objects.filter(memberships__cluster=cluster).distinct().order_by("name")


def memberships_of_cluster(cluster: Cluster) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(cluster=cluster)
        .select_related("school", "school__merged_into__successor")
        .order_by("school__code", "start_date")
    )


def events_of_cluster(cluster: Cluster) -> QuerySet[Event]:
    return Event.objects.filter(cluster=cluster).select_related(
        "cluster", "host_school", "year", "year__cluster"
    )


def movements_of_cluster(cluster: Cluster) -> QuerySet[Movement]:
    return (
        Movement.objects.filter(cluster=cluster)
        .select_related("cluster", "launching_school")
        .annotate(document_count=Count("documents"))
    )


def movement_with_documents(cluster: Cluster, pk: int) -> Movement:
    return (
        Movement.objects.select_related("cluster", "launching_school")
        .prefetch_related(
            Prefetch(
                "documents",
                queryset=MovementDocument.objects.select_related("uploaded_by").order_by(
                    "uploaded_at"
                ),
            )
        )
        .get(cluster=cluster, pk=pk)
    )


@dataclass
class SchoolProfile:
    school: School
    memberships: list[Membership]
    merged_into: SchoolMerge | None
    merged_from: list[SchoolMerge]
    leaderships: list[Leadership]
    representatives: list


def school_profile(code: str) -> SchoolProfile:
    """A school with its membership history, mergers, leadership years and representatives."""
    from accounts.enums import Role
    from accounts.models import User

    school = School.objects.get(code=code)
    merged_into = SchoolMerge.objects.select_related("successor").filter(predecessor=school).first()
    return SchoolProfile(
        school=school,
        memberships=list(
            school.memberships.select_related("cluster").order_by("start_date", "cluster__code")
        ),
        merged_into=merged_into,
        merged_from=list(
            SchoolMerge.objects.filter(successor=school)
            .select_related("predecessor")
            .order_by("effective_date", "predecessor__code")
        ),
        leaderships=list(
            Leadership.objects.filter(school=school)
            .select_related("year", "year__cluster")
            .order_by("-year__start_date", "year__cluster__code")
        ),
        representatives=list(
            User.objects.filter(school=school, role=Role.REPRESENTATIVE, is_active=True)
            .only("full_name", "email", "phone", "position", "school_id")
            .order_by("full_name")
        ),
    )
