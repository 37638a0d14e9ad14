"""Counting ballots: pure functions, no database (DOMAIN rules 7 and 12).

- Quorum: the turnout, as a percentage of the electorate rounded to two decimals (as the
  minutes print it), must reach ``quorum_percent``. Two thirds is entered as 66.67, so 6 of
  9 members (66.67%) make the quorum and 5 (55.56%) do not.
- Threshold: a candidate passes when its yes-votes are *more than* ``threshold_percent`` of
  the base: the whole electorate (the default, and the law for titles at ministry level and
  above) or the ballots cast. 50% of 9 members is 4.5, so 5 votes are needed.
- Choose N (and elections): the N candidates with most votes among those that pass. When
  candidates tie for the last seats there is no decision for them: they go to a runoff for
  the seats left.
- Yes/no: every candidate that passes is approved; there are no seats and no ties.
- Quorum not met: nothing passes, nobody goes to a runoff.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

YES = "yes"
NO = "no"

KIND_CHOOSE = "choose"
KIND_YES_NO = "yes_no"
KIND_ELECTION = "election"

BASE_ELECTORATE = "electorate"
BASE_VOTES_CAST = "cast"

HUNDRED = Decimal(100)
CENT = Decimal("0.01")


@dataclass(frozen=True)
class CountRules:
    kind: str
    max_choices: int
    quorum_percent: Decimal
    threshold_percent: Decimal
    threshold_base: str = BASE_ELECTORATE


@dataclass(frozen=True)
class Tally:
    yes: int = 0
    no: int = 0


@dataclass(frozen=True)
class CountResult:
    electorate: int
    turnout: int
    blank: int
    turnout_percent: Decimal
    quorum_needed: int
    quorum_met: bool
    base_size: int
    votes_needed: int
    tallies: dict[int, Tally]
    passed: dict[int, bool | None]  # None: tied, no decision (runoff)
    over_threshold: dict[int, bool]
    winners: list[int] = field(default_factory=list)
    tied: list[int] = field(default_factory=list)
    seats_left: int = 0

    @property
    def needs_runoff(self) -> bool:
        return bool(self.tied)


def percent_of(part: int, whole: int) -> Decimal:
    """``part`` as a percentage of ``whole``, rounded half up to two decimals (0 if empty)."""
    if whole <= 0:
        return Decimal("0.00")
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(CENT, rounding=ROUND_HALF_UP)


def votes_needed(base: int, percent: Decimal) -> int:
    """The fewest votes that are *more than* ``percent`` % of ``base`` (exact arithmetic)."""
    share = Decimal(base) * Decimal(percent) / HUNDRED
    return int(share.to_integral_value(rounding=ROUND_FLOOR)) + 1


def quorum_met(turnout: int, electorate: int, quorum_percent: Decimal) -> bool:
    if electorate <= 0 or turnout <= 0:
        return False
    return percent_of(turnout, electorate) >= Decimal(quorum_percent)


def quorum_needed(electorate: int, quorum_percent: Decimal) -> int:
    """The smallest turnout that makes the quorum (``electorate + 1`` when none can)."""
    for turnout in range(1, electorate + 1):
        if quorum_met(turnout, electorate, quorum_percent):
            return turnout
    return electorate + 1


def tally(ballots: Iterable[Mapping[int, str]], candidate_ids: Iterable[int]) -> dict[int, Tally]:
    """Yes and no votes per candidate. A ballot maps candidate ids to ``yes``/``no``; a
    candidate left out of a ballot got no vote from it (an abstention in a yes/no round)."""
    yes = dict.fromkeys(candidate_ids, 0)
    no = dict.fromkeys(yes, 0)
    for ballot in ballots:
        for candidate_id, answer in ballot.items():
            if candidate_id not in yes:
                raise ValueError(f"Unknown candidate {candidate_id} on a ballot")
            if answer == YES:
                yes[candidate_id] += 1
            elif answer == NO:
                no[candidate_id] += 1
            else:
                raise ValueError(f"Unknown answer {answer!r}")
    return {cid: Tally(yes=yes[cid], no=no[cid]) for cid in yes}


def count(
    *,
    ballots: list[Mapping[int, str]],
    candidate_ids: list[int],
    electorate: int,
    rules: CountRules,
) -> CountResult:
    """Count a closed round. ``candidate_ids`` in display order (it orders the winners)."""
    tallies = tally(ballots, candidate_ids)
    turnout = len(ballots)
    blank = sum(1 for ballot in ballots if not any(a == YES for a in ballot.values()))
    base_size = turnout if rules.threshold_base == BASE_VOTES_CAST else electorate
    needed = votes_needed(base_size, rules.threshold_percent)
    over = {cid: tallies[cid].yes >= needed for cid in candidate_ids}
    met = quorum_met(turnout, electorate, rules.quorum_percent)
    common = {
        "electorate": electorate,
        "turnout": turnout,
        "blank": blank,
        "turnout_percent": percent_of(turnout, electorate),
        "quorum_needed": quorum_needed(electorate, rules.quorum_percent),
        "quorum_met": met,
        "base_size": base_size,
        "votes_needed": needed,
        "tallies": tallies,
        "over_threshold": over,
    }
    if not met:
        return CountResult(**common, passed=dict.fromkeys(candidate_ids, False))

    passing = [cid for cid in candidate_ids if over[cid]]
    if rules.kind == KIND_YES_NO:
        return CountResult(
            **common,
            passed={cid: over[cid] for cid in candidate_ids},
            winners=passing,
        )

    seats = max(int(rules.max_choices), 0)
    # Stable sort: equal votes keep the display order (which never decides between them).
    ranked = sorted(passing, key=lambda cid: -tallies[cid].yes)
    tied: list[int] = []
    if len(ranked) <= seats:
        winners = ranked
    else:
        last = tallies[ranked[seats - 1]].yes if seats else None
        above = [cid for cid in ranked if last is None or tallies[cid].yes > last]
        at_last = [cid for cid in ranked if tallies[cid].yes == last]
        if seats and len(above) + len(at_last) <= seats:
            winners = above + at_last
        else:
            winners = above[:seats]
            tied = at_last if seats else []
    passed: dict[int, bool | None] = {cid: cid in winners for cid in candidate_ids}
    for cid in tied:
        passed[cid] = None
    return CountResult(
        **common,
        passed=passed,
        winners=winners,
        tied=tied,
        seats_left=seats - len(winners) if tied else 0,
    )
