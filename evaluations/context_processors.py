"""Links of the evaluations app for the navigation bar (templates/includes/nav_evaluations.html).

Lazy: the query runs only when the navigation is rendered, once per request.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from accounts.rules import is_representative, is_secretariat
from cluster.models import EmulationYear
from cluster.selectors import pick_current_year


@dataclass(frozen=True)
class NavLink:
    label: str
    url: str


@dataclass(frozen=True)
class NavGroup:
    """The links of one cluster's current year, under a header such as "CUM4 2026"."""

    title: str
    links: list[NavLink]


def _current_years(years: list[EmulationYear]) -> list[EmulationYear]:
    today = timezone.localdate()
    by_cluster: dict[int, list[EmulationYear]] = {}
    for year in years:
        by_cluster.setdefault(year.cluster_id, []).append(year)
    picked = [pick_current_year(items, today) for items in by_cluster.values()]
    return sorted((y for y in picked if y is not None), key=lambda y: y.cluster.code)


def _links(year: EmulationYear, specs) -> list[NavLink]:
    args = {"code": year.cluster.code, "label": year.label}
    links = []
    for label, name in specs:
        try:
            links.append(NavLink(str(label), reverse(name, kwargs=args)))
        except NoReverseMatch:  # a page of another app that does not exist (yet)
            continue
    return links


REPRESENTATIVE_LINKS = (
    (gettext_lazy("My pledge"), "evaluations:my_pledge"),
    (gettext_lazy("My annual report"), "evaluations:my_report"),
    (gettext_lazy("Covenant"), "evaluations:covenant"),
    (gettext_lazy("Annual reports"), "evaluations:reports"),
    (gettext_lazy("Cross-scoring and results"), "evaluations:scoring_year"),
)
SECRETARIAT_LINKS = (
    (gettext_lazy("Criteria table"), "evaluations:criteria"),
    (gettext_lazy("Covenant"), "evaluations:covenant"),
    (gettext_lazy("Annual reports"), "evaluations:reports"),
    (gettext_lazy("Progress table"), "evaluations:progress"),
    (gettext_lazy("Extensions"), "evaluations:extensions"),
    (gettext_lazy("Cross-scoring and results"), "evaluations:scoring_year"),
)


def evaluation_links(user) -> list[NavGroup]:
    """The user's links for the current year of each of their clusters (one query)."""
    if is_representative(user):
        years = (
            EmulationYear.objects.filter(cluster__memberships__school_id=user.school_id)
            .select_related("cluster")
            .distinct()
        )
        specs = REPRESENTATIVE_LINKS
    elif is_secretariat(user):
        years = EmulationYear.objects.filter(cluster_id=user.cluster_id).select_related("cluster")
        specs = SECRETARIAT_LINKS
    else:
        return []
    return [
        NavGroup(f"{year.cluster.code} {year.label}", _links(year, specs))
        for year in _current_years(list(years))
    ]


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def nav_evaluations():
        if not hasattr(request, "_nav_evaluations"):
            request._nav_evaluations = evaluation_links(user)
        return request._nav_evaluations

    return {"nav_evaluations": nav_evaluations}
