"""Dashboard sections of the evaluations app (see cluster.dashboard.DASHBOARD_PROVIDERS).

- a representative: for the current year of each of its school's clusters, the pledge and
  the annual report with their status, deadlines, links and what is still missing;
- the secretariat: the progress table's counts and the schools still to submit;
- observers (and administrators): the counts of every cluster.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.rules import is_admin, is_observer, is_representative, is_secretariat
from cluster.enums import PhaseKind
from cluster.models import Cluster, EmulationYear, Membership
from cluster.selectors import cluster_summaries, current_year, members_of_year

from .deadlines import DeadlineVerdict, judge_submission
from .enums import ProgressStatus, SubmissionStatus
from .models import AnnualReport, Pledge
from .progress import progress_queryset, status_counts
from .selectors_reports import report_missing_items

MISSING_SHOWN = 6


def _section(**kwargs):
    from cluster.dashboard import DashboardSection  # lazily: cluster.dashboard imports us

    return DashboardSection(**kwargs)


def _progress_of(obj) -> str:
    if obj is None:
        return ProgressStatus.NOT_STARTED
    if obj.status == SubmissionStatus.SUBMITTED and obj.is_late:
        return ProgressStatus.LATE
    return obj.status


def _url(name: str, **kwargs) -> str | None:
    """A link to another engineer's page only when it exists (it may not yet)."""
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return None


@dataclass
class Item:
    """The pledge or the report of one school and year, as the representative sees it."""

    title: str
    status: str
    verdict: DeadlineVerdict
    url: str | None
    comment: str = ""
    missing: list[str] = field(default_factory=list)
    missing_more: int = 0

    @property
    def is_done(self) -> bool:
        return self.status in (
            ProgressStatus.SUBMITTED,
            ProgressStatus.LATE,
            ProgressStatus.ACCEPTED,
        )


@dataclass
class SchoolYear:
    year: EmulationYear
    items: list[Item]


def _representative(user) -> list:
    today = timezone.localdate()
    school = user.school
    active = Membership.objects.filter(school=school).active_on(today).values("cluster_id")
    blocks: list[SchoolYear] = []
    for cluster in Cluster.objects.filter(pk__in=active).order_by("code"):
        year = current_year(cluster, today)
        if year is None or not members_of_year(year).filter(pk=school.pk).exists():
            continue
        year.cluster = cluster
        code, label = cluster.code, year.label
        pledge = Pledge.objects.filter(year=year, school=school).first()
        report = AnnualReport.objects.filter(year=year, school=school).first()
        pledge_item = Item(
            title=_("Pledge (registration)"),
            status=_progress_of(pledge),
            verdict=judge_submission(
                year=year, school=school, phase_kind=PhaseKind.PLEDGE, on=today
            ),
            url=_url("evaluations:my_pledge", code=code, label=label),
            comment=pledge.return_comment
            if pledge and pledge.status == SubmissionStatus.RETURNED
            else "",
        )
        report_item = Item(
            title=_("Annual report and self-assessment"),
            status=_progress_of(report),
            verdict=judge_submission(
                year=year, school=school, phase_kind=PhaseKind.REPORT, on=today
            ),
            url=reverse("evaluations:my_report", kwargs={"code": code, "label": label}),
            comment=report.return_comment
            if report and report.status == SubmissionStatus.RETURNED
            else "",
        )
        if report is not None and report.status in (
            SubmissionStatus.DRAFT,
            SubmissionStatus.RETURNED,
        ):
            report.year = year
            missing = report_missing_items(report)
            report_item.missing = missing[:MISSING_SHOWN]
            report_item.missing_more = max(0, len(missing) - MISSING_SHOWN)
        blocks.append(SchoolYear(year=year, items=[pledge_item, report_item]))
    if not blocks:
        return []
    return [
        _section(
            title=_("My pledge and annual report"),
            template="evaluations/_dashboard_todo.html",
            context={"blocks": blocks, "today": today},
            order=20,
        )
    ]


def _secretariat(user) -> list:
    cluster = Cluster.objects.filter(pk=user.cluster_id).first()
    year = current_year(cluster) if cluster else None
    if year is None:
        return []
    year.cluster = cluster
    rows = list(progress_queryset(year))
    waiting = [
        row
        for row in rows
        if row.report_progress
        in (ProgressStatus.NOT_STARTED, ProgressStatus.DRAFT, ProgressStatus.RETURNED)
    ]
    to_review = [
        row
        for row in rows
        if row.report_progress in (ProgressStatus.SUBMITTED, ProgressStatus.LATE)
    ]
    return [
        _section(
            title=_("Pledges and annual reports %(year)s") % {"year": year.label},
            template="evaluations/_dashboard_progress.html",
            context={
                "year": year,
                "cluster": cluster,
                "counts": status_counts(rows),
                "member_count": len(rows),
                "waiting": waiting,
                "to_review": to_review,
            },
            order=20,
        )
    ]


@dataclass
class ClusterCounts:
    cluster: Cluster
    year: EmulationYear | None
    members: int
    pledges_submitted: int = 0
    reports_submitted: int = 0
    reports_late: int = 0


def _observer(request, user) -> list:
    if request is None:
        summaries = cluster_summaries(Cluster.objects.order_by("code"))
    else:
        from cluster.dashboard import all_cluster_summaries

        summaries = all_cluster_summaries(request)
    years = [s.year.pk for s in summaries if s.year is not None]
    done = (SubmissionStatus.SUBMITTED, SubmissionStatus.ACCEPTED)
    pledges = dict(
        Pledge.objects.filter(year_id__in=years, status__in=done)
        .values_list("year_id")
        .annotate(n=Count("pk"))
    )
    reports = {}
    late = {}
    for year_id, is_late, n in (
        AnnualReport.objects.filter(year_id__in=years, status__in=done)
        .values_list("year_id", "is_late")
        .annotate(n=Count("pk"))
    ):
        reports[year_id] = reports.get(year_id, 0) + n
        if is_late:
            late[year_id] = late.get(year_id, 0) + n
    rows = [
        ClusterCounts(
            cluster=s.cluster,
            year=s.year,
            members=s.member_count,
            pledges_submitted=pledges.get(s.year.pk, 0) if s.year else 0,
            reports_submitted=reports.get(s.year.pk, 0) if s.year else 0,
            reports_late=late.get(s.year.pk, 0) if s.year else 0,
        )
        for s in summaries
    ]
    if not rows:
        return []
    return [
        _section(
            title=_("Pledges and annual reports in every cluster"),
            template="evaluations/_dashboard_counts.html",
            context={"rows": rows},
            order=30,
        )
    ]


def sections(request, user) -> list:
    """The evaluations app's dashboard sections for ``user``."""
    if is_representative(user):
        return _representative(user)
    if is_secretariat(user):
        return _secretariat(user)
    if is_observer(user) or is_admin(user):
        return _observer(request, user)
    return []
