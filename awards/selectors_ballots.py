"""Reads for voting rounds: lists, turnout, the vote-count minutes and the receipt list.

Each page's data loads in a fixed number of queries whatever the number of rounds, schools
or ballots. Nothing here joins a school to a ballot: turnout reads Participation only, the
receipt list reads Ballot and BallotChoice only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from cluster.models import EmulationYear, Membership, School
from cluster.selectors import members_of_year, next_year

from . import counting
from .enums import RoundKind, RoundStatus, ThresholdBase
from .models import Ballot, BallotChoice, Candidate, Participation, VotingRound


def rounds_of_year(year: EmulationYear, *, include_drafts: bool) -> QuerySet[VotingRound]:
    rounds = (
        VotingRound.objects.filter(year=year)
        .select_related("year__cluster", "runoff_of", "award_type")
        .annotate(
            candidate_count=Count("candidates", distinct=True),
            turnout_count=Count("participations", distinct=True),
        )
        .order_by("opens_at", "pk")
    )
    if not include_drafts:
        rounds = rounds.exclude(status=RoundStatus.DRAFT)
    return rounds


def round_of_year(year: EmulationYear, pk: int) -> VotingRound:
    """The round with its year, cluster and candidates (raises DoesNotExist)."""
    return (
        VotingRound.objects.select_related("year__cluster", "runoff_of", "award_type", "created_by")
        .prefetch_related(
            Prefetch(
                "candidates",
                queryset=Candidate.objects.select_related(
                    "school", "nomination__recipient__school", "nomination__award_type"
                ).order_by("order", "pk"),
            ),
            Prefetch("runoffs", queryset=VotingRound.objects.order_by("pk")),
        )
        .get(year=year, pk=pk)
    )


def has_voted(voting_round: VotingRound, school_id: int | None) -> bool:
    if school_id is None:
        return False
    return Participation.objects.filter(round=voting_round, school_id=school_id).exists()


@dataclass
class TurnoutRow:
    school: School
    voted: bool


@dataclass
class Turnout:
    electorate: int
    voted: int
    rows: list[TurnoutRow]
    quorum_needed: int

    @property
    def percent(self) -> Decimal:
        return counting.percent_of(self.voted, self.electorate)

    @property
    def quorum_met(self) -> bool:
        return self.voted >= self.quorum_needed

    @property
    def missing(self) -> int:
        return max(self.electorate - self.voted, 0)


def turnout(voting_round: VotingRound) -> Turnout:
    """Who has voted among the year's members (never how), in name order."""
    voted_ids = set(
        Participation.objects.filter(round=voting_round).values_list("school_id", flat=True)
    )
    members = list(members_of_year(voting_round.year).order_by("name"))
    member_ids = {s.pk for s in members}
    # A school that voted and has since left the year's membership still counts.
    extra = (
        []
        if voted_ids <= member_ids
        else list(School.objects.filter(pk__in=voted_ids - member_ids).order_by("name"))
    )
    rows = [TurnoutRow(school=s, voted=s.pk in voted_ids) for s in [*members, *extra]]
    electorate = voting_round.electorate_size or len(members)
    return Turnout(
        electorate=electorate,
        voted=len(voted_ids),
        rows=rows,
        quorum_needed=counting.quorum_needed(electorate, voting_round.quorum_percent),
    )


@dataclass
class ReceiptRow:
    receipt: str
    choices: list[tuple[str, str]]  # (candidate label, answer)


def receipts(voting_round: VotingRound, query: str = "") -> list[ReceiptRow]:
    """The published list: each ballot's receipt code and what it chose, by receipt code."""
    ballots = (
        Ballot.objects.filter(round=voting_round)
        .prefetch_related(
            Prefetch(
                "choices",
                queryset=BallotChoice.objects.select_related("candidate").order_by(
                    "candidate__order", "candidate__pk"
                ),
            )
        )
        .order_by("receipt")
    )
    query = (query or "").strip().upper()
    if query:
        ballots = ballots.filter(receipt__icontains=query)
    return [
        ReceiptRow(
            receipt=b.receipt,
            choices=[(c.candidate.label, c.answer) for c in b.choices.all()],
        )
        for b in ballots
    ]


@dataclass
class Minutes:
    """The vote-count minutes (biên bản kiểm phiếu) of a closed round."""

    round: VotingRound
    result: dict
    candidates: list[Candidate]
    winners: list[Candidate]
    tied: list[Candidate]
    runoff: VotingRound | None
    election_year: EmulationYear | None
    recognition_pending: bool
    threshold_over_electorate: bool
    notes: list[str] = field(default_factory=list)

    @property
    def is_yes_no(self) -> bool:
        return self.round.kind == RoundKind.YES_NO

    @property
    def turnout_percent(self) -> Decimal:
        return _percent(self.result.get("turnout_percent", "0"))

    @property
    def quorum_percent(self) -> Decimal:
        return _percent(self.result.get("quorum_percent", self.round.quorum_percent))

    @property
    def threshold_percent(self) -> Decimal:
        return _percent(self.result.get("threshold_percent", self.round.threshold_percent))

    @property
    def rows(self) -> list[tuple[Candidate, Decimal]]:
        """Each candidate with its yes-votes as a percentage of the threshold's base."""
        base = int(self.result.get("base_size") or 0)
        return [(c, counting.percent_of(c.votes or 0, base)) for c in self.candidates]


def _percent(value) -> Decimal:
    """A stored percentage as a Decimal for display: 50.00 → 50, 66.67 stays."""
    number = Decimal(str(value))
    return number.quantize(Decimal(1)) if number == number.to_integral_value() else number


def minutes(voting_round: VotingRound) -> Minutes:
    """Everything the result page prints; ``voting_round`` from ``round_of_year``."""
    result = voting_round.result or {}
    candidates = list(voting_round.candidates.all())
    by_id = {c.pk: c for c in candidates}
    runoffs = list(voting_round.runoffs.all())
    target = next_year(voting_round.year) if voting_round.kind == RoundKind.ELECTION else None
    return Minutes(
        round=voting_round,
        result=result,
        candidates=candidates,
        winners=[by_id[i] for i in result.get("winners", []) if i in by_id],
        tied=[by_id[i] for i in result.get("tied", []) if i in by_id],
        runoff=runoffs[0] if runoffs else None,
        election_year=target,
        recognition_pending=bool(target is not None and not target.recognition_decision_number),
        threshold_over_electorate=result.get("threshold_base", voting_round.threshold_base)
        == ThresholdBase.ELECTORATE,
    )


# --- Dashboard -------------------------------------------------------------------------------


def open_rounds_for_school(school_id: int) -> list[VotingRound]:
    """Rounds accepting ballots now in the years where the school is a member, each with
    ``has_voted`` set for that school."""
    now = timezone.now()
    rounds = list(
        VotingRound.objects.filter(status=RoundStatus.OPEN, opens_at__lte=now, closes_at__gt=now)
        .select_related("year__cluster")
        .annotate(has_voted=Count("participations", filter=Q(participations__school_id=school_id)))
        .order_by("closes_at", "pk")
    )
    memberships = list(Membership.objects.filter(school_id=school_id))
    return [
        r
        for r in rounds
        if any(
            m.cluster_id == r.year.cluster_id and m.is_active_on(r.year.reference_date)
            for m in memberships
        )
    ]


def rounds_in_progress(cluster_ids: list[int] | None) -> list[VotingRound]:
    """Open and prepared rounds (of the given clusters; all when None), with turnout."""
    rounds = (
        VotingRound.objects.filter(status__in=[RoundStatus.OPEN, RoundStatus.DRAFT])
        .select_related("year__cluster")
        .annotate(turnout_count=Count("participations"))
        .order_by("year__cluster__code", "opens_at", "pk")
    )
    if cluster_ids is not None:
        rounds = rounds.filter(year__cluster_id__in=cluster_ids)
    return list(rounds)


def recently_closed_rounds(cluster_ids: list[int] | None, days: int = 60) -> list[VotingRound]:
    since = timezone.now() - timedelta(days=days)
    rounds = (
        VotingRound.objects.filter(status=RoundStatus.CLOSED, closed_at__gte=since)
        .select_related("year__cluster")
        .order_by("-closed_at", "pk")
    )
    if cluster_ids is not None:
        rounds = rounds.filter(year__cluster_id__in=cluster_ids)
    return list(rounds[:10])
