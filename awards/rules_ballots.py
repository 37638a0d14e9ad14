"""Predicates for voting rounds, ballots and elections.

Objects: an ``EmulationYear`` (the list of its rounds, creating one) or a ``VotingRound``.
Load rounds with ``select_related("year__cluster")``: the predicates read the cluster.

- The secretariat of the cluster (and the administrator) manages rounds.
- A representative of a member school of the round's year votes while the round is open
  (status open and opens_at <= now < closes_at). Whether the school has already voted is
  not a permission: the service answers it with a clear message.
- Observers, the secretariat and the administrator follow the turnout (who has voted, never
  how); after closing everyone who can read the cluster sees the result and the receipts.
- Prepared (draft) rounds are seen only by those who manage them.
"""

from __future__ import annotations

import rules
from django.utils import timezone

from accounts.rules import is_admin, is_observer, is_representative, is_secretariat
from cluster.models import EmulationYear
from cluster.rules import can_view_cluster

from .enums import RoundStatus
from .models import VotingRound


def _year_of(obj) -> EmulationYear | None:
    if isinstance(obj, VotingRound):
        return obj.year
    if isinstance(obj, EmulationYear):
        return obj
    return None


@rules.predicate
def can_read_year_cluster(user, obj) -> bool:
    year = _year_of(obj)
    return year is not None and can_view_cluster(user, year.cluster)


@rules.predicate
def is_secretariat_of_year_cluster(user, obj) -> bool:
    year = _year_of(obj)
    return bool(year is not None and is_secretariat(user) and user.cluster_id == year.cluster_id)


@rules.predicate
def round_is_draft(user, obj) -> bool:
    return isinstance(obj, VotingRound) and obj.status == RoundStatus.DRAFT


@rules.predicate
def round_is_open(user, obj) -> bool:
    return isinstance(obj, VotingRound) and obj.status == RoundStatus.OPEN


@rules.predicate
def round_is_closed(user, obj) -> bool:
    return isinstance(obj, VotingRound) and obj.status == RoundStatus.CLOSED


@rules.predicate
def round_accepts_ballots(user, obj) -> bool:
    """Open, and now within the voting window."""
    if not isinstance(obj, VotingRound) or obj.status != RoundStatus.OPEN:
        return False
    now = timezone.now()
    return obj.opens_at <= now < obj.closes_at


@rules.predicate
def school_is_member_of_round_year(user, obj) -> bool:
    """The representative's school is a member of the round's year (the electorate)."""
    from cluster.selectors import members_of_year

    if not isinstance(obj, VotingRound) or not is_representative(user):
        return False
    cache = getattr(obj, "_electorate_ids_cache", None)
    if cache is None:
        cache = set(members_of_year(obj.year).values_list("pk", flat=True))
        obj._electorate_ids_cache = cache
    return user.school_id in cache


can_manage_rounds = is_admin | is_secretariat_of_year_cluster
can_read_round = can_manage_rounds | (can_read_year_cluster & ~round_is_draft)
can_edit_round = can_manage_rounds & round_is_draft
can_close_round = can_manage_rounds & round_is_open
can_view_turnout = (can_manage_rounds | (is_observer & can_read_year_cluster)) & ~round_is_draft
can_view_round_results = can_read_year_cluster & round_is_closed
# May use the ballot page of this round at all (the page then says whether voting is on).
can_vote_in_round = is_representative & school_is_member_of_round_year & can_read_round
can_cast_ballot = can_vote_in_round & round_accepts_ballots

rules.add_perm("awards.manage_rounds", can_manage_rounds)
rules.add_perm("awards.list_rounds", can_manage_rounds | can_read_year_cluster)
rules.add_perm("awards.read_round", can_read_round)
rules.add_perm("awards.edit_round", can_edit_round)
rules.add_perm("awards.close_round", can_close_round)
rules.add_perm("awards.view_turnout", can_view_turnout)
rules.add_perm("awards.view_round_results", can_view_round_results)
rules.add_perm("awards.vote_in_round", can_vote_in_round)
rules.add_perm("awards.cast_ballot", can_cast_ballot)
