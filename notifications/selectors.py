"""Reads of the notifications app: who has not finished what, for which deadline, and the
outbox and notification lists.

"Not finished", per deadline (only the year's member schools, ``members_of_year``):
- pledge: the school's pledge is missing, a draft or returned (not submitted nor accepted);
- report: the annual report is missing, a draft or returned;
- cross-scoring: the school has scoring assignments (as scorer) not submitted;
- ballot: the round is open (or, for the late list, was) and the school has not voted.
A school with an extension for the phase counts from the extension's date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import rules
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from accounts.enums import Role
from accounts.models import User
from awards.enums import RoundStatus
from awards.models import Participation, VotingRound
from cluster.enums import PhaseKind
from cluster.models import Cluster, EmulationYear, Phase, School
from cluster.selectors import clusters_of_user, members_of_year
from evaluations.enums import AssignmentStatus, SubmissionStatus
from evaluations.models import AnnualReport, Assignment, Extension, Pledge

from .enums import DeadlineKind
from .models import DEFAULT_OFFSETS, Notification, OutboxMessage, ReminderPolicy

PHASE_KIND_OF = {
    DeadlineKind.PLEDGE: PhaseKind.PLEDGE,
    DeadlineKind.REPORT: PhaseKind.REPORT,
    DeadlineKind.CROSS_SCORING: PhaseKind.CROSS_SCORING,
}
DEADLINE_KIND_OF_PHASE = {phase: kind for kind, phase in PHASE_KIND_OF.items()}

# What a pledge or report still needs, in the emails' words.
MISSING = "missing"
DRAFT = "draft"
RETURNED = "returned"


@dataclass
class PendingItem:
    """What one school still has to do for one deadline."""

    deadline_kind: str
    year: EmulationYear
    school: School
    deadline: dt.date  # the school's own: its extension's date when it has one
    extended: bool = False
    status: str = MISSING  # pledge and report: missing, draft or returned
    return_comment: str = ""
    assignments: list = field(default_factory=list)  # cross-scoring: unsubmitted assignments
    voting_round: object | None = None  # ballot: the VotingRound
    closes_at: dt.datetime | None = None

    def days_left(self, today: dt.date) -> int:
        return (self.deadline - today).days


@dataclass(frozen=True)
class Policy:
    enabled: bool
    offsets: tuple[int, ...]
    send_late_list: bool


DEFAULT_POLICY = Policy(enabled=True, offsets=DEFAULT_OFFSETS, send_late_list=True)


def policy_for(year: EmulationYear) -> Policy:
    """The year's override if there is one, else the cluster's default, else the defaults."""
    policies = {
        p.year_id: p
        for p in ReminderPolicy.objects.filter(cluster_id=year.cluster_id).filter(
            Q(year__isnull=True) | Q(year=year)
        )
    }
    policy = policies.get(year.pk) or policies.get(None)
    if policy is None:
        return DEFAULT_POLICY
    return Policy(policy.enabled, tuple(policy.offset_days), policy.send_late_list)


def watched_phases(today: dt.date) -> QuerySet[Phase]:
    """Phases with reminders (pledge, report, cross-scoring) whose deadline, or an
    extension's date, is yesterday or later: the only ones a reminder or a late list can
    still concern."""
    yesterday = today - dt.timedelta(days=1)
    extended_years = Extension.objects.filter(until__gte=yesterday).values("year_id")
    return (
        Phase.objects.filter(kind__in=list(DEADLINE_KIND_OF_PHASE))
        .filter(Q(deadline__gte=yesterday) | Q(year_id__in=extended_years))
        .select_related("year__cluster")
        .order_by("year__cluster__code", "year__start_date", "deadline", "pk")
    )


def watched_rounds(today: dt.date) -> QuerySet:
    """Voting rounds open now or closed yesterday (for the late list)."""
    yesterday = today - dt.timedelta(days=1)
    return (
        VotingRound.objects.filter(closes_at__date__gte=yesterday)
        .filter(Q(status=RoundStatus.OPEN) | Q(status=RoundStatus.CLOSED))
        .select_related("year__cluster")
        .order_by("closes_at", "pk")
    )


def pending_for_phase(phase: Phase, *, school: School | None = None) -> list[PendingItem]:
    """Member schools (or just ``school``) that have not finished the phase's work."""
    deadline_kind = DEADLINE_KIND_OF_PHASE[phase.kind]
    year = phase.year
    schools = members_of_year(year)
    if school is not None:
        schools = schools.filter(pk=school.pk)
    schools = list(schools)
    extensions = dict(
        Extension.objects.filter(year=year, phase_kind=phase.kind).values_list("school_id", "until")
    )
    items = []
    details = _details(deadline_kind, year, [s.pk for s in schools])
    for member in schools:
        detail = details.get(member.pk)
        if detail is None:
            continue
        extended_until = extensions.get(member.pk)
        items.append(
            PendingItem(
                deadline_kind=deadline_kind,
                year=year,
                school=member,
                deadline=extended_until or phase.deadline,
                extended=extended_until is not None,
                **detail,
            )
        )
    return items


def _details(deadline_kind: str, year: EmulationYear, school_ids: list[int]) -> dict[int, dict]:
    """school id → what is missing, for the schools that have not finished."""
    if deadline_kind == DeadlineKind.CROSS_SCORING:
        pending: dict[int, dict] = {}
        assignments = (
            Assignment.objects.filter(year=year, scorer_id__in=school_ids)
            .exclude(status=AssignmentStatus.SUBMITTED)
            .select_related("target")
            .order_by("target__name")
        )
        for assignment in assignments:
            pending.setdefault(assignment.scorer_id, {"assignments": []})
            pending[assignment.scorer_id]["assignments"].append(assignment)
        return pending

    model = Pledge if deadline_kind == DeadlineKind.PLEDGE else AnnualReport
    existing = {
        row["school_id"]: row
        for row in model.objects.filter(year=year, school_id__in=school_ids).values(
            "school_id", "status", "return_comment"
        )
    }
    finished = {SubmissionStatus.SUBMITTED, SubmissionStatus.ACCEPTED}
    pending = {}
    for school_id in school_ids:
        row = existing.get(school_id)
        if row is None:
            pending[school_id] = {"status": MISSING}
        elif row["status"] not in finished:
            returned = row["status"] == SubmissionStatus.RETURNED
            pending[school_id] = {
                "status": RETURNED if returned else DRAFT,
                "return_comment": row["return_comment"] if returned else "",
            }
    return pending


def pending_for_round(voting_round, *, school: School | None = None) -> list[PendingItem]:
    """Member schools (or just ``school``) that have not voted in the round."""
    schools = members_of_year(voting_round.year)
    if school is not None:
        schools = schools.filter(pk=school.pk)
    voted = set(
        Participation.objects.filter(round=voting_round).values_list("school_id", flat=True)
    )
    closes_at = voting_round.closes_at
    return [
        PendingItem(
            deadline_kind=DeadlineKind.BALLOT,
            year=voting_round.year,
            school=member,
            deadline=timezone.localdate(closes_at),
            voting_round=voting_round,
            closes_at=closes_at,
        )
        for member in schools
        if member.pk not in voted
    ]


def representatives_of(school: School) -> QuerySet[User]:
    return User.objects.filter(role=Role.REPRESENTATIVE, school=school, is_active=True).order_by(
        "email"
    )


def secretariat_of(cluster: Cluster) -> QuerySet[User]:
    return User.objects.filter(role=Role.SECRETARIAT, cluster=cluster, is_active=True).order_by(
        "email"
    )


# --- pages -------------------------------------------------------------------------------


def outbox_of(cluster: Cluster) -> QuerySet[OutboxMessage]:
    return (
        OutboxMessage.objects.filter(cluster=cluster)
        .select_related("school", "year", "recipient")
        .defer("body_text", "body_html")
        .order_by("-created_at", "-pk")
    )


def outbox_counts(cluster: Cluster) -> dict[str, int]:
    rows = (
        OutboxMessage.objects.filter(cluster=cluster)
        .values("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["status"]: row["n"] for row in rows}


def notifications_of(user) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user).order_by("-created_at", "-pk")


def unread_count(user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def clusters_with_outbox(user) -> list[Cluster]:
    """Clusters whose outbox the user may read (links on the notifications page)."""
    return [
        cluster
        for cluster in clusters_of_user(user).order_by("code")
        if rules.test_rule("notifications.outbox_link", user, cluster)
    ]
