"""The dashboard: what is due for *me* now, by role.

Later apps add their own sections without touching this module: each dotted path in
``DASHBOARD_PROVIDERS`` names a callable ``sections(request, user) -> list[DashboardSection]``.
A provider whose module does not exist (yet) is skipped; an import error *inside* an
existing provider module is a bug and is raised.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString

from accounts.rules import is_admin, is_observer, is_representative, is_secretariat

from .enums import PhaseKind
from .models import Cluster, Membership
from .selectors import (
    ClusterSummary,
    cluster_summaries,
    clusters_of_user,
    members_of_year,
    phase_timeline,
    upcoming_deadlines,
)

DASHBOARD_PROVIDERS = [
    "evaluations.dashboard.sections",
    "evaluations.dashboard_scoring.sections",
    "awards.dashboard.sections",
]

# Phases in which every member school hands something in (pledge, mid-year and annual
# reports, cross scores). Until the evaluations app reports real statuses, the dashboard
# lists these phases' open deadlines as what a school still has to submit.
SUBMISSION_PHASES = (
    PhaseKind.PLEDGE,
    PhaseKind.MIDYEAR,
    PhaseKind.REPORT,
    PhaseKind.CROSS_SCORING,
)


@dataclass
class DashboardSection:
    """A block of the dashboard contributed by an app.

    ``template`` is rendered with ``context`` (plus ``section`` and the usual context
    processors: ``request``, ``user``…) inside a card headed by ``title``; sections are
    shown by increasing ``order``.
    """

    title: str
    template: str
    context: dict = field(default_factory=dict)
    order: int = 100


@dataclass
class RenderedSection:
    section: DashboardSection
    html: SafeString

    @property
    def title(self) -> str:
        return self.section.title


def _provider(path: str) -> Callable | None:
    module_path, _, attribute = path.rpartition(".")
    try:
        module = importlib.import_module(module_path)
    except ModuleNotFoundError as error:
        # Skip only when the provider module itself (or its package) is missing.
        missing = error.name or ""
        if missing and (module_path == missing or module_path.startswith(missing + ".")):
            return None
        raise
    return getattr(module, attribute, None)


def collect_sections(request, user, providers: list[str] | None = None) -> list[RenderedSection]:
    sections: list[DashboardSection] = []
    for path in DASHBOARD_PROVIDERS if providers is None else providers:
        provider = _provider(path)
        if provider is not None:
            sections.extend(provider(request, user) or [])
    sections.sort(key=lambda s: s.order)
    return [
        RenderedSection(
            section=section,
            html=render_to_string(
                section.template, {**section.context, "section": section}, request=request
            ),
        )
        for section in sections
    ]


@dataclass
class ClusterPanel:
    """One cluster as the dashboard shows it: the current year's state and deadlines."""

    summary: ClusterSummary
    timeline: list
    deadlines: list
    to_submit: list  # rows of phase_timeline still open for a school's submission

    @property
    def cluster(self) -> Cluster:
        return self.summary.cluster


def _panel(summary: ClusterSummary, today, *, for_school=None) -> ClusterPanel:
    year = summary.year
    if year is None:
        return ClusterPanel(summary=summary, timeline=[], deadlines=[], to_submit=[])
    to_submit = []
    if for_school is not None and members_of_year(year).filter(pk=for_school.pk).exists():
        to_submit = [
            row
            for row in phase_timeline(year, today)
            if row.phase.kind in SUBMISSION_PHASES
            and (row.phase.hard_deadline or row.phase.deadline) >= today
        ]
    return ClusterPanel(
        summary=summary,
        timeline=phase_timeline(year, today),
        deadlines=upcoming_deadlines(year, today),
        to_submit=to_submit,
    )


def all_cluster_summaries(request, today=None) -> list:
    """Every cluster's summary, computed once per request: the Academy's dashboard shows it
    in several sections (cluster, evaluations)."""
    cached = getattr(request, "_all_cluster_summaries", None)
    if cached is None:
        cached = cluster_summaries(Cluster.objects.order_by("code"), today)
        request._all_cluster_summaries = cached
    return cached


def build_dashboard(request, user) -> dict:
    """The dashboard's context for ``user``."""
    today = timezone.localdate()
    context: dict = {"today": today, "panels": [], "summaries": []}
    if is_admin(user) or is_observer(user):
        context["view"] = "academy"
        context["show_admin_link"] = bool(is_admin(user))
        context["summaries"] = all_cluster_summaries(request, today)
    elif is_secretariat(user):
        context["view"] = "secretariat"
        summaries = cluster_summaries(Cluster.objects.filter(pk=user.cluster_id), today)
        context["panels"] = [_panel(s, today) for s in summaries]
    elif is_representative(user):
        context["view"] = "representative"
        school = user.school
        context["school"] = school
        active = Membership.objects.filter(school=school).active_on(today).values("cluster_id")
        clusters = Cluster.objects.filter(pk__in=active)
        if not clusters.exists():
            clusters = clusters_of_user(user)
        summaries = cluster_summaries(clusters, today)
        context["panels"] = [_panel(s, today, for_school=school) for s in summaries]
    else:
        context["view"] = "none"
    context["sections"] = collect_sections(request, user)
    return context
