"""Dashboard sections for ballots: what to vote on now (representatives), rounds to run
and their turnout (secretariat, observers), and recent results (everyone)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.rules import is_admin, is_observer, is_representative, is_secretariat


def sections(request, user) -> list:
    from cluster.dashboard import DashboardSection
    from cluster.models import Cluster
    from cluster.selectors import clusters_of_user, pick_current_year

    from . import selectors_ballots as selectors

    if not getattr(user, "is_authenticated", False):
        return []
    result = []
    if is_representative(user):
        open_rounds = selectors.open_rounds_for_school(user.school_id)
        if open_rounds:
            result.append(
                DashboardSection(
                    title=_("Voting now"),
                    template="awards/ballots/dashboard_vote.html",
                    context={"rounds": open_rounds},
                    order=5,
                )
            )
        cluster_ids = list(clusters_of_user(user).values_list("pk", flat=True))
    elif is_secretariat(user):
        cluster_ids = [user.cluster_id]
    elif is_admin(user) or is_observer(user):
        cluster_ids = None
    else:
        return result

    in_progress = selectors.rounds_in_progress(cluster_ids)
    if not (is_secretariat(user) or is_admin(user)):
        in_progress = [r for r in in_progress if r.status != "draft"]
    closed = selectors.recently_closed_rounds(cluster_ids)
    years = []
    if is_secretariat(user):
        cluster = Cluster.objects.prefetch_related("years").get(pk=user.cluster_id)
        year = pick_current_year(list(cluster.years.all()), timezone.localdate())
        if year is not None:
            years.append(year)
    if in_progress or closed or years:
        result.append(
            DashboardSection(
                title=_("Voting rounds"),
                template="awards/ballots/dashboard_rounds.html",
                context={
                    "in_progress": in_progress,
                    "closed": closed,
                    "years": years,
                    "show_turnout": not is_representative(user),
                },
                order=60,
            )
        )
    return result
