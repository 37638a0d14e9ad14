"""Demo data for ballots (idempotent): closed rounds for the past years of CUM4.

For each past year, the elections at its year-end conference that produced the next year's
recorded head and deputies, and for the last years a vote on the leading unit. The rounds
go through the real services (create, open, cast, close) at the conference's date, so the
ballots are secret, shuffled and published like any other. A round that exists (same year
and title) is left alone. Nothing happens when the demo cluster CUM4 is missing.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from cluster.enums import LeadershipRole

from .enums import RoundKind
from .models import VotingRound

DEMO_CLUSTER = "CUM4"
LEADING_UNIT_YEARS = 3  # the last past years that get a leading-unit round


def seed() -> None:
    from cluster.models import Cluster, EmulationYear

    cluster = Cluster.objects.filter(code=DEMO_CLUSTER).first()
    if cluster is None:
        return
    today = timezone.localdate()
    years = list(EmulationYear.objects.filter(cluster=cluster).order_by("start_date"))
    past = [y for y in years if y.end_date < today]
    for index, year in enumerate(past):
        following = years[years.index(year) + 1] if years.index(year) + 1 < len(years) else None
        if following is not None:
            _elections(year, following)
        if index >= len(past) - LEADING_UNIT_YEARS:
            _leading_unit(year)


def _conference_time(year, hour: int) -> dt.datetime:
    """Mid-November of a calendar year (late July of a school year), at ``hour``."""
    day = year.end_date - dt.timedelta(days=40)
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour, 0))


@transaction.atomic
def _run_round(
    year,
    *,
    kind: str,
    title: str,
    opens_at: dt.datetime,
    winners: list,
    seat: str = "",
    max_choices: int = 1,
) -> VotingRound | None:
    """Create, open, vote and close a round whose result elects ``winners`` (schools).

    Every member votes; three in four ballots choose the winners, the others a runner-up."""
    from cluster.selectors import members_of_year

    from .services import ballots as services

    if VotingRound.objects.filter(year=year, title=title).exists():
        return None
    voting_round = VotingRound(
        year=year,
        kind=kind,
        title=title,
        seat=seat,
        max_choices=max_choices,
        opens_at=opens_at,
        closes_at=opens_at + dt.timedelta(hours=2),
    )
    services.create_round(voting_round=voting_round, by=None)
    candidates = {c.school_id: c for c in voting_round.candidates.all()}
    if not winners or any(w.pk not in candidates for w in winners):
        voting_round.delete()
        return None
    others = [c for school_id, c in candidates.items() if school_id not in {w.pk for w in winners}]
    services.open_round(voting_round=voting_round, by=None, now=opens_at)
    voters = list(members_of_year(year).order_by("code"))
    for index, voter in enumerate(voters):
        chosen = [candidates[w.pk] for w in winners]
        if index % 4 == 3 and others:
            chosen[-1] = others[index % len(others)]
        services.cast_ballot(
            voting_round=voting_round,
            school=voter,
            answers={c.pk: "yes" for c in chosen},
            by=None,
            now=opens_at + dt.timedelta(minutes=10 + index),
        )
    return services.close_round(
        voting_round=voting_round,
        by=None,
        now=opens_at + dt.timedelta(hours=1),
        rng=random.Random(f"{year.pk}-{title}"),
    )


def _elections(year, following) -> None:
    leaders = list(following.leaders.select_related("school"))
    head = next((lead.school for lead in leaders if lead.role == LeadershipRole.HEAD), None)
    deputies = [lead.school for lead in leaders if lead.role == LeadershipRole.DEPUTY]
    if head is None:
        return
    _run_round(
        year,
        kind=RoundKind.ELECTION,
        seat=LeadershipRole.HEAD,
        title=f"Bầu cụm trưởng năm {following.label}",
        opens_at=_conference_time(year, 9),
        winners=[head],
    )
    if deputies:
        _run_round(
            year,
            kind=RoundKind.ELECTION,
            seat=LeadershipRole.DEPUTY,
            max_choices=len(deputies),
            title=f"Bầu cụm phó năm {following.label}",
            opens_at=_conference_time(year, 10),
            winners=deputies,
        )


def _leading_unit(year) -> None:
    """The frozen ranking's first school wins when the year has one; else the year's head."""
    from cluster.selectors import members_of_year

    from .services.ballots import _frozen_ranking

    ranking = _frozen_ranking(year)
    if ranking:
        winner = ranking[0].school
    else:
        head = year.leaders.filter(role=LeadershipRole.HEAD).select_related("school").first()
        winner = head.school if head else None
    if winner is None or not members_of_year(year).filter(pk=winner.pk).exists():
        return
    _run_round(
        year,
        kind=RoundKind.CHOOSE,
        title=f"Bình chọn đơn vị dẫn đầu phong trào thi đua năm {year.label}",
        opens_at=_conference_time(year, 8),
        winners=[winner],
    )
