"""Dashboard sections for nominations: what is due for me now.

- a representative: the school's nominations in progress (drafts, returned ones first) and
  the other schools' nominations open for comment;
- the secretariat: the current year's nominations by step, with what waits for it;
- the Academy (observer, admin): nominations forwarded and awaiting a decision.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.rules import is_admin, is_observer, is_representative, is_secretariat

from .enums import NominationStatus as S
from .rules_nominations import can

IN_PROGRESS = [S.DRAFT, S.RETURNED, S.SUBMITTED, S.PUBLISHED, S.VOTED, S.APPROVED, S.FORWARDED]


def sections(request, user) -> list:
    from cluster.dashboard import DashboardSection

    if is_representative(user):
        context = _representative(user)
    elif is_secretariat(user):
        context = _secretariat(user)
    elif is_admin(user) or is_observer(user):
        context = _academy()
    else:
        return []
    if context is None:
        return []
    return [
        DashboardSection(
            title=_("Nominations for awards"),
            template="awards/nominations/_dashboard.html",
            context=context,
            order=60,
        )
    ]


def _representative(user) -> dict:
    from cluster.models import Cluster, Membership
    from cluster.selectors import current_year

    from .models import Nomination

    today = timezone.localdate()
    school = user.school
    mine = list(
        Nomination.objects.filter(school=school, status__in=IN_PROGRESS)
        .select_related("recipient", "award_type", "year", "year__cluster")
        .order_by("-year__start_date", "status", "recipient__name")[:20]
    )
    clusters = Cluster.objects.filter(
        pk__in=Membership.objects.filter(school=school).active_on(today).values("cluster_id")
    )
    years = [y for y in (current_year(c, today) for c in clusters) if y is not None]
    proposable = [y for y in years if can(user, "awards.propose_nomination", y)]
    to_comment = list(
        Nomination.objects.filter(status=S.PUBLISHED, year__in=years, comment_until__gte=today)
        .exclude(school=school)
        .select_related("recipient", "award_type", "school", "year")
        .order_by("comment_until", "school__code")[:10]
    )
    return {
        "view": "representative",
        "mine": mine,
        "action_needed": [n for n in mine if n.status in (S.DRAFT, S.RETURNED)],
        "proposable": proposable,
        "to_comment": to_comment,
    }


def _secretariat(user) -> dict | None:
    from cluster.models import Cluster
    from cluster.selectors import current_year

    from .selectors_nominations import nomination_counts

    cluster = Cluster.objects.filter(pk=user.cluster_id).first()
    year = current_year(cluster) if cluster else None
    if year is None:
        return None
    counts = nomination_counts(year.nominations.all())
    steps = [
        (S.SUBMITTED, _("to publish to the members")),
        (S.RETURNED, _("returned, waiting for the school")),
        (S.PUBLISHED, _("published for comment")),
        (S.VOTED, _("voted, waiting for the result")),
        (S.APPROVED, _("approved, to forward to the Academy")),
        (S.FORWARDED, _("forwarded, waiting for the decision")),
        (S.DECIDED, _("decided")),
    ]
    return {
        "view": "secretariat",
        "year": year,
        "rows": [
            {"status": status, "label": S(status).label, "hint": hint, "count": counts[status]}
            for status, hint in steps
            if counts.get(status)
        ],
    }


def _academy() -> dict:
    from .models import Nomination

    forwarded = Nomination.objects.filter(status=S.FORWARDED)
    return {
        "view": "academy",
        "forwarded_count": forwarded.count(),
        "forwarded": list(
            forwarded.select_related(
                "recipient", "award_type", "school", "year", "year__cluster"
            ).order_by("year__cluster__code", "-year__start_date", "school__code")[:10]
        ),
    }
