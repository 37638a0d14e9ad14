"""Dashboard sections of cross-scoring (see cluster/dashboard.py): what a user has to do
about cross-scoring now, in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.rules import is_admin, is_observer, is_representative, is_secretariat

from .enums import AssignmentStatus, ObjectionStatus, ResultsStage

TEMPLATE = "evaluations/scoring/_dashboard.html"


@dataclass
class ScoringItem:
    year: object
    text: str
    url: str
    urgent: bool = False


def _url(name: str, year) -> str:
    return reverse(f"evaluations:{name}", kwargs={"code": year.cluster.code, "label": year.label})


def _representative_items(user) -> list[ScoringItem]:
    from .models import Assignment, ScoringSettings

    items = []
    pending = (
        Assignment.objects.filter(scorer_id=user.school_id)
        .exclude(status=AssignmentStatus.SUBMITTED)
        .exclude(year__scoring__stage__in=[ResultsStage.PUBLISHED, ResultsStage.FROZEN])
        .values("year")
        .annotate(count=Count("pk"))
    )
    counts = {row["year"]: row["count"] for row in pending}
    from cluster.models import EmulationYear

    years = EmulationYear.objects.filter(pk__in=counts).select_related("cluster")
    for year in years:
        items.append(
            ScoringItem(
                year=year,
                text=_("%(count)d school(s) still to score for %(cluster)s %(year)s.")
                % {"count": counts[year.pk], "cluster": year.cluster.code, "year": year.label},
                url=_url("scoring_my_targets", year),
                urgent=True,
            )
        )
    published = (
        ScoringSettings.objects.filter(
            stage=ResultsStage.PUBLISHED,
            year__cluster__memberships__school_id=user.school_id,
        )
        .select_related("year", "year__cluster")
        .distinct()
    )
    for settings in published:
        items.append(
            ScoringItem(
                year=settings.year,
                text=_(
                    "Provisional results of %(cluster)s %(year)s are published; objections "
                    "until %(day)s."
                )
                % {
                    "cluster": settings.year.cluster.code,
                    "year": settings.year.label,
                    "day": settings.objections_until.strftime("%d/%m/%Y")
                    if settings.objections_until
                    else "—",
                },
                url=_url("scoring_results", settings.year),
            )
        )
    return items


def _secretariat_items(user) -> list[ScoringItem]:
    from .models import ScoringSettings

    items = []
    rows = (
        ScoringSettings.objects.filter(year__cluster_id=user.cluster_id)
        .exclude(stage=ResultsStage.FROZEN)
        .select_related("year", "year__cluster")
        .annotate(
            total=Count("year__assignments", distinct=True),
            submitted=Count(
                "year__assignments",
                filter=Q(year__assignments__status=AssignmentStatus.SUBMITTED),
                distinct=True,
            ),
            open_objections=Count(
                "year__objections",
                filter=Q(year__objections__status=ObjectionStatus.OPEN),
                distinct=True,
            ),
        )
    )
    for settings in rows:
        year = settings.year
        if settings.stage == ResultsStage.SCORING:
            items.append(
                ScoringItem(
                    year=year,
                    text=_("Cross-scoring %(year)s: %(done)d of %(total)d assignments submitted.")
                    % {"year": year.label, "done": settings.submitted, "total": settings.total},
                    url=_url("scoring_progress", year),
                    urgent=settings.submitted < settings.total,
                )
            )
        else:
            items.append(
                ScoringItem(
                    year=year,
                    text=_(
                        "Provisional results %(year)s published: %(count)d objection(s) to "
                        "answer before freezing."
                    )
                    % {"year": year.label, "count": settings.open_objections},
                    url=_url("scoring_objections", year),
                    urgent=bool(settings.open_objections),
                )
            )
    return items


def _reader_items(user) -> list[ScoringItem]:
    from .models import ScoringSettings

    rows = (
        ScoringSettings.objects.filter(stage__in=[ResultsStage.PUBLISHED, ResultsStage.FROZEN])
        .select_related("year", "year__cluster")
        .order_by("-year__end_date", "year__cluster__code")[:8]
    )
    return [
        ScoringItem(
            year=settings.year,
            text=(
                _("Final results of %(cluster)s %(year)s.")
                if settings.stage == ResultsStage.FROZEN
                else _("Provisional results of %(cluster)s %(year)s.")
            )
            % {"cluster": settings.year.cluster.code, "year": settings.year.label},
            url=_url("scoring_results", settings.year),
        )
        for settings in rows
    ]


def sections(request, user) -> list:
    """The cross-scoring section of ``user``'s dashboard (empty when nothing to show)."""
    from cluster.dashboard import DashboardSection

    if is_representative(user):
        items = _representative_items(user)
    elif is_secretariat(user):
        items = _secretariat_items(user)
    elif is_admin(user) or is_observer(user):
        items = _reader_items(user)
    else:
        items = []
    if not items:
        return []
    return [
        DashboardSection(
            title=_("Cross-scoring and results"),
            template=TEMPLATE,
            context={"items": items},
            order=40,
        )
    ]
