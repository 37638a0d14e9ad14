"""Voting rounds, secret ballots, counting and elections (DOMAIN rules 7, 8, 12, 14).

Every function is keyword-only and atomic; rules raise ``ValidationError`` keyed by field
where there is one, with a ``code``.

Secrecy (see awards.models.ballots): casting inserts a ``Participation`` (that the school
voted) and a ``Ballot`` with its choices (what was chosen) in one transaction, and nothing
else: no log line, message, history record or session entry names a school together with
its choices or its receipt. Closing rewrites the round's ballots in random order with new
keys so that the physical order of the rows tells nothing about the order of voting.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from cluster.enums import LeadershipRole
from cluster.models import EmulationYear, Leadership, School
from cluster.selectors import members_of_year, next_year

from .. import counting
from ..enums import Answer, NominationStatus, RoundKind, RoundStatus
from ..models import (
    AwardRule,
    AwardType,
    Ballot,
    BallotChoice,
    Candidate,
    Nomination,
    Participation,
    VotingRound,
)

MAX_DEPUTIES = 2
# Nominations that can be put to the vote: handed in, or already published to the members.
VOTABLE_NOMINATION_STATUSES = (NominationStatus.SUBMITTED, NominationStatus.PUBLISHED)
RUNOFF_MIN_DURATION = timedelta(minutes=30)


def _error(field: str | None, message: str, code: str, **params) -> ValidationError:
    error = ValidationError(message, code=code, params=params or None)
    return ValidationError({field: [error]}) if field else error


# --- Reads the rules need --------------------------------------------------------------------


def round_date(voting_round: VotingRound) -> date:
    """The day the round is held (its opening, in local time): the rules in force then apply."""
    return timezone.localdate(voting_round.opens_at)


def award_rule_in_force(award_type: AwardType, day: date) -> AwardRule | None:
    return (
        AwardRule.objects.filter(award_type=award_type, effective_from__lte=day)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=day))
        .order_by("-effective_from")
        .first()
    )


def apply_award_rule(voting_round: VotingRound) -> AwardRule | None:
    """A yes/no round on an award type's nominations uses the threshold of the type's rule in
    force on the round date, when that rule sets one (DOMAIN rules 1 and 7)."""
    if voting_round.kind != RoundKind.YES_NO or voting_round.award_type_id is None:
        return None
    rule = award_rule_in_force(voting_round.award_type, round_date(voting_round))
    if rule is None or rule.vote_threshold_percent is None:
        return None
    voting_round.threshold_percent = rule.vote_threshold_percent
    voting_round.threshold_base = rule.threshold_base
    return rule


def head_of_year(year: EmulationYear) -> School | None:
    leader = (
        Leadership.objects.filter(year=year, role=LeadershipRole.HEAD)
        .select_related("school")
        .first()
    )
    return leader.school if leader else None


def election_year(voting_round: VotingRound) -> EmulationYear | None:
    """The year whose head and deputies an election round elects: the cluster's year whose
    start follows the round's year."""
    return next_year(voting_round.year)


def eligible_schools(voting_round: VotingRound) -> QuerySet[School]:
    """Schools that may stand in the round.

    Election: the next year's members; for head, not this year's head (DOMAIN rule 8: not
    head two years running); for deputy, not the next year's head. Choose: the year's members.
    """
    if voting_round.kind == RoundKind.ELECTION:
        target = election_year(voting_round)
        if target is None:
            return School.objects.none()
        schools = members_of_year(target)
        if voting_round.seat == LeadershipRole.HEAD:
            head = head_of_year(voting_round.year)
        else:
            head = head_of_year(target)
        return schools.exclude(pk=head.pk) if head else schools
    if voting_round.kind == RoundKind.CHOOSE:
        return members_of_year(voting_round.year)
    return School.objects.none()


def eligible_nominations(voting_round: VotingRound) -> QuerySet[Nomination]:
    if voting_round.kind != RoundKind.YES_NO:
        return Nomination.objects.none()
    nominations = Nomination.objects.filter(
        year=voting_round.year, status__in=VOTABLE_NOMINATION_STATUSES
    ).select_related("recipient", "award_type", "year", "recipient__school")
    if voting_round.award_type_id:
        nominations = nominations.filter(award_type_id=voting_round.award_type_id)
    return nominations.order_by("award_type__order", "school__code", "recipient__name")


def _nomination_label(nomination: Nomination) -> str:
    recipient = nomination.recipient
    return f"{recipient.name} ({recipient.school.name}) – {nomination.award_type.name}"


def _frozen_ranking(year: EmulationYear) -> list | None:
    """The frozen ranking's rows (rank order), or None while the results are not frozen."""
    try:
        from evaluations.models.scoring import ResultRow, ScoringSettings
    except ImportError:  # pragma: no cover - the evaluations app ships the model
        return None
    settings = ScoringSettings.objects.filter(year=year).first()
    if settings is None or settings.stage != "frozen":
        return None
    return list(
        ResultRow.objects.filter(year=year)
        .select_related("school")
        .order_by("rank", "school__code")
    )


def default_candidates(voting_round: VotingRound) -> list[Candidate]:
    """The candidates a new round starts with (unsaved): the frozen ranking for a choose
    round (all ranked schools in rank order; the secretariat removes those not proposed),
    the eligible schools for an election, the votable nominations for a yes/no round."""
    if voting_round.kind == RoundKind.YES_NO:
        return [
            Candidate(round=voting_round, nomination=n, label=_nomination_label(n), order=i)
            for i, n in enumerate(eligible_nominations(voting_round), start=1)
        ]
    if voting_round.kind == RoundKind.CHOOSE:
        ranking = _frozen_ranking(voting_round.year)
        if ranking:
            return [
                Candidate(round=voting_round, school=row.school, label=row.school.name, order=i)
                for i, row in enumerate(ranking, start=1)
            ]
    schools = eligible_schools(voting_round).order_by("name")
    return [
        Candidate(round=voting_round, school=s, label=s.name, order=i)
        for i, s in enumerate(schools, start=1)
    ]


# --- Preparing a round -----------------------------------------------------------------------


def round_errors(voting_round: VotingRound) -> dict[str, list[ValidationError]]:
    errors: dict[str, list[ValidationError]] = {}

    def add(field: str | None, message: str, code: str, **params) -> None:
        errors.setdefault(field or "__all__", []).append(
            ValidationError(message, code=code, params=params or None)
        )

    opens, closes = voting_round.opens_at, voting_round.closes_at
    if opens and closes and closes <= opens:
        add("closes_at", _("The round must close after it opens."), "closes_before_opening")
    if (voting_round.max_choices or 0) < 1:
        add("max_choices", _("A ballot must allow at least one choice."), "no_choice")
    if voting_round.kind == RoundKind.ELECTION:
        if voting_round.seat not in (LeadershipRole.HEAD, LeadershipRole.DEPUTY):
            add("seat", _("Choose the seat this election fills."), "seat_required")
        elif voting_round.seat == LeadershipRole.HEAD and voting_round.max_choices != 1:
            add("max_choices", _("The head is elected alone: choose 1."), "one_head")
        elif voting_round.seat == LeadershipRole.DEPUTY and not (
            1 <= (voting_round.max_choices or 0) <= MAX_DEPUTIES
        ):
            add(
                "max_choices",
                _("A year has one or two deputies: choose 1 or 2."),
                "deputies_count",
            )
        if voting_round.year_id and election_year(voting_round) is None:
            add(
                None,
                _(
                    "The year after %(year)s does not exist yet. Create it first: the "
                    "election fills its head and deputies."
                ),
                "no_next_year",
                year=voting_round.year.label,
            )
    elif voting_round.seat:
        add("seat", _("Only an election fills a seat."), "seat_not_election")
    return errors


def _require_draft(voting_round: VotingRound) -> None:
    status = VotingRound.objects.filter(pk=voting_round.pk).values_list("status", flat=True).first()
    if status != RoundStatus.DRAFT:
        raise _error(
            None,
            _("This round has been opened: it can no longer be changed."),
            "not_draft",
        )


@transaction.atomic
def create_round(*, voting_round: VotingRound, by, prefill: bool = True) -> VotingRound:
    """Save a new round as prepared (draft), with its candidates prefilled."""
    errors = round_errors(voting_round)
    if errors:
        raise ValidationError(errors)
    voting_round.status = RoundStatus.DRAFT
    voting_round.result = {}
    voting_round.closed_at = None
    voting_round.electorate_size = None
    if by is not None and getattr(by, "is_authenticated", False):
        voting_round.created_by = by
    apply_award_rule(voting_round)
    voting_round.save()
    if prefill:
        Candidate.objects.bulk_create(default_candidates(voting_round))
    return voting_round


@transaction.atomic
def update_round(*, voting_round: VotingRound, by) -> VotingRound:
    """Save changes to a prepared round (its title, times, thresholds, seats)."""
    _require_draft(voting_round)
    errors = round_errors(voting_round)
    if errors:
        raise ValidationError(errors)
    apply_award_rule(voting_round)
    voting_round.save()
    return voting_round


@transaction.atomic
def delete_round(*, voting_round: VotingRound, by) -> None:
    """Delete a prepared round (never one that has been opened)."""
    _require_draft(voting_round)
    voting_round.delete()


@transaction.atomic
def add_candidate(
    *,
    voting_round: VotingRound,
    by,
    school: School | None = None,
    nomination: Nomination | None = None,
) -> Candidate:
    _require_draft(voting_round)
    if voting_round.kind == RoundKind.YES_NO:
        if nomination is None:
            raise _error("nomination", _("Choose a nomination."), "nomination_required")
        if not eligible_nominations(voting_round).filter(pk=nomination.pk).exists():
            raise _error(
                "nomination",
                _("This nomination cannot be put to this round's vote."),
                "nomination_not_eligible",
            )
        exists = voting_round.candidates.filter(nomination=nomination).exists()
        candidate = Candidate(
            round=voting_round, nomination=nomination, label=_nomination_label(nomination)
        )
        field = "nomination"
    else:
        if school is None:
            raise _error("school", _("Choose a school."), "school_required")
        if not eligible_schools(voting_round).filter(pk=school.pk).exists():
            raise _error("school", *_school_not_eligible(voting_round, school))
        exists = voting_round.candidates.filter(school=school).exists()
        candidate = Candidate(round=voting_round, school=school, label=school.name)
        field = "school"
    if exists:
        raise _error(field, _("Already a candidate in this round."), "already_candidate")
    last = voting_round.candidates.aggregate(last=Max("order"))["last"] or 0
    candidate.order = last + 1
    candidate.save()
    return candidate


def _school_not_eligible(voting_round: VotingRound, school: School) -> tuple[str, str]:
    if voting_round.kind == RoundKind.ELECTION:
        target = election_year(voting_round)
        if target is None:
            return _("The next year does not exist yet."), "no_next_year"
        if voting_round.seat == LeadershipRole.HEAD:
            head = head_of_year(voting_round.year)
            if head is not None and head.pk == school.pk:
                return (
                    _(
                        "%(school)s is head in %(year)s: the same school cannot be head two "
                        "years running."
                    )
                    % {"school": school.name, "year": voting_round.year.label},
                    "head_two_years",
                )
        else:
            head = head_of_year(target)
            if head is not None and head.pk == school.pk:
                return _("%(school)s is already next year's head.") % {
                    "school": school.name
                }, "already_head"
        return _("%(school)s is not a member of the cluster in %(year)s.") % {
            "school": school.name,
            "year": target.label,
        }, "not_member"
    return _("%(school)s is not a member of the cluster in %(year)s.") % {
        "school": school.name,
        "year": voting_round.year.label,
    }, "not_member"


@transaction.atomic
def remove_candidate(*, candidate: Candidate, by) -> None:
    _require_draft(candidate.round)
    candidate.delete()


@transaction.atomic
def open_round(*, voting_round: VotingRound, by, now: datetime | None = None) -> VotingRound:
    """Open a prepared round: the electorate (the year's members) is fixed now; ballots are
    accepted from ``opens_at`` until ``closes_at`` or until the secretariat closes it."""
    now = now or timezone.now()
    locked = VotingRound.objects.select_for_update().select_related("year").get(pk=voting_round.pk)
    if locked.status != RoundStatus.DRAFT:
        raise _error(None, _("This round has already been opened."), "not_draft")
    errors = round_errors(locked)
    if errors:
        raise ValidationError(errors)
    if not locked.candidates.exists():
        raise _error(None, _("Add at least one candidate before opening."), "no_candidates")
    if locked.closes_at <= now:
        raise _error(
            "closes_at",
            _("The closing time has already passed: change the times first."),
            "closes_in_past",
        )
    electorate = members_of_year(locked.year).count()
    if electorate == 0:
        raise _error(None, _("The year has no member schools to vote."), "no_electorate")
    apply_award_rule(locked)
    locked.electorate_size = electorate
    locked.status = RoundStatus.OPEN
    locked.save()
    voting_round.refresh_from_db()
    return locked


# --- Casting a ballot ------------------------------------------------------------------------


@dataclass(frozen=True)
class CastReceipt:
    """What the voter is shown once: the receipt code and the choices it stands for.
    Never stored with the school or the user."""

    receipt: str
    choices: list[tuple[str, str]]  # (candidate label, answer)


def already_voted_error() -> ValidationError:
    return ValidationError(
        _("Your school has already voted in this round: only its first ballot counts."),
        code="already_voted",
    )


def _normalise_answers(
    voting_round: VotingRound, candidates: dict[int, Candidate], answers: Mapping[int, str]
) -> dict[int, str]:
    clean: dict[int, str] = {}
    for raw_id, answer in answers.items():
        try:
            candidate_id = int(raw_id)
        except (TypeError, ValueError):
            candidate_id = -1
        if candidate_id not in candidates:
            raise _error(
                None, _("The ballot names a candidate of another round."), "unknown_candidate"
            )
        if answer not in (Answer.YES, Answer.NO):
            raise _error(None, _("Answer yes or no."), "bad_answer")
        clean[candidate_id] = str(answer)
    if voting_round.kind == RoundKind.YES_NO:
        missing = [c.label for cid, c in candidates.items() if cid not in clean]
        if missing:
            raise _error(
                None,
                _("Answer yes or no for every nomination (missing: %(missing)s).")
                % {"missing": ", ".join(missing)},
                "answer_missing",
            )
    else:
        clean = {cid: a for cid, a in clean.items() if a == Answer.YES}
        if len(clean) > voting_round.max_choices:
            raise _error(
                None,
                _("Choose at most %(max)d.") % {"max": voting_round.max_choices},
                "too_many_choices",
            )
    return clean


def cast_ballot(
    *,
    voting_round: VotingRound,
    school: School,
    answers: Mapping[int, str],
    by,
    now: datetime | None = None,
) -> CastReceipt:
    """Record one school's secret ballot.

    ``answers`` maps candidate ids to ``yes``/``no`` (choose and election rounds: the chosen
    candidates, all ``yes``; yes/no rounds: every candidate). One transaction inserts the
    Participation (unique per round and school: the database refuses a second one, from a
    double click, a retry or a second browser) and the Ballot with its choices. ``by`` is
    checked (it must represent ``school`` when it is a representative) and never stored.
    """
    now = now or timezone.now()
    if by is not None and getattr(by, "school_id", None) not in (None, school.pk):
        raise _error(None, _("You can only vote for your own school."), "not_your_school")
    with transaction.atomic():
        # The lock orders casting against closing: no ballot slips in while it is counted.
        locked = VotingRound.objects.select_for_update().get(pk=voting_round.pk)
        if locked.status != RoundStatus.OPEN or not (locked.opens_at <= now < locked.closes_at):
            if locked.status == RoundStatus.CLOSED or now >= locked.closes_at:
                raise _error(None, _("Voting in this round has closed."), "round_closed")
            raise _error(None, _("Voting in this round has not started."), "round_not_open")
        year = EmulationYear.objects.get(pk=locked.year_id)
        if not members_of_year(year).filter(pk=school.pk).exists():
            raise _error(
                None,
                _("%(school)s is not a member of the cluster in %(year)s and does not vote.")
                % {"school": school.name, "year": year.label},
                "not_member",
            )
        candidates = {c.pk: c for c in locked.candidates.all()}
        clean = _normalise_answers(locked, candidates, answers)
        try:
            with transaction.atomic():
                Participation.objects.create(round=locked, school=school)
        except IntegrityError:
            raise already_voted_error()
        ballot = _create_ballot(locked)
        BallotChoice.objects.bulk_create(
            [
                BallotChoice(ballot=ballot, candidate_id=cid, answer=answer)
                for cid, answer in clean.items()
            ]
        )
    return CastReceipt(
        receipt=ballot.receipt,
        choices=[
            (candidates[cid].label, clean[cid])
            for cid in sorted(clean, key=lambda cid: (candidates[cid].order, cid))
        ],
    )


def _create_ballot(voting_round: VotingRound) -> Ballot:
    # A receipt is 48 random bits: a clash is all but impossible; retry rather than fail.
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return Ballot.objects.create(round=voting_round)
        except IntegrityError:
            continue
    raise RuntimeError("Could not draw a unique receipt code")


# --- Closing and counting --------------------------------------------------------------------


def _rules_of(voting_round: VotingRound) -> counting.CountRules:
    return counting.CountRules(
        kind=voting_round.kind,
        max_choices=voting_round.max_choices,
        quorum_percent=voting_round.quorum_percent,
        threshold_percent=voting_round.threshold_percent,
        threshold_base=voting_round.threshold_base,
    )


def _rewrite_ballots(voting_round: VotingRound, ballots: list[Ballot], rng: random.Random) -> None:
    """Delete and re-insert the round's ballots and choices in random order with new keys
    and the same receipts, so that neither keys nor physical order follow the voting."""
    records = [
        (ballot.receipt, [(c.candidate_id, c.answer) for c in ballot.choices.all()])
        for ballot in ballots
    ]
    rng.shuffle(records)
    Ballot.objects.filter(round=voting_round).delete()
    new_ballots = [
        Ballot(id=uuid.uuid4(), round=voting_round, receipt=receipt) for receipt, _c in records
    ]
    Ballot.objects.bulk_create(new_ballots)
    choices = [
        BallotChoice(id=uuid.uuid4(), ballot=ballot, candidate_id=candidate_id, answer=answer)
        for ballot, (_receipt, chosen) in zip(new_ballots, records, strict=True)
        for candidate_id, answer in chosen
    ]
    rng.shuffle(choices)
    BallotChoice.objects.bulk_create(choices)


def close_round(
    *,
    voting_round: VotingRound,
    by,
    now: datetime | None = None,
    rng: random.Random | None = None,
) -> VotingRound:
    """Close an open round and count it, once: the counts go on the candidates and the
    round's ``result``; the ballots are rewritten in random order; the round is closed and
    its result never changes afterwards. Then the result takes effect: a tie for the last
    seats creates a runoff round (prepared, for the secretariat to open); a yes/no round
    feeds the nominations; an election sets next year's head or deputies, pending the
    Academy's recognition. Nothing takes effect when the quorum is not met."""
    now = now or timezone.now()
    rng = rng or random.SystemRandom()
    with transaction.atomic():
        locked = (
            VotingRound.objects.select_for_update()
            .select_related("year", "year__cluster")
            .get(pk=voting_round.pk)
        )
        if locked.status == RoundStatus.CLOSED:
            raise _error(
                None,
                _("This round is already closed: its result cannot change."),
                "already_closed",
            )
        if locked.status != RoundStatus.OPEN:
            raise _error(None, _("This round has not been opened."), "not_open")
        candidates = list(
            locked.candidates.select_related("school", "nomination").order_by("order", "pk")
        )
        ballots = list(Ballot.objects.filter(round=locked).prefetch_related("choices"))
        turnout = Participation.objects.filter(round=locked).count()
        if turnout != len(ballots):  # pragma: no cover - one transaction writes both
            raise RuntimeError("Participations and ballots disagree")
        electorate = locked.electorate_size or members_of_year(locked.year).count()
        outcome = counting.count(
            ballots=[{c.candidate_id: c.answer for c in b.choices.all()} for b in ballots],
            candidate_ids=[c.pk for c in candidates],
            electorate=electorate,
            rules=_rules_of(locked),
        )
        for candidate in candidates:
            tally = outcome.tallies[candidate.pk]
            candidate.votes = tally.yes
            candidate.votes_no = tally.no if locked.kind == RoundKind.YES_NO else None
            candidate.passed = outcome.passed[candidate.pk]
        Candidate.objects.bulk_update(candidates, ["votes", "votes_no", "passed"])
        _rewrite_ballots(locked, ballots, rng)

        by_id = {c.pk: c for c in candidates}
        locked.result = {
            "electorate": outcome.electorate,
            "turnout": outcome.turnout,
            "valid": outcome.turnout,
            "blank": outcome.blank,
            "turnout_percent": str(outcome.turnout_percent),
            "quorum_percent": str(locked.quorum_percent),
            "quorum_needed": outcome.quorum_needed,
            "quorum_met": outcome.quorum_met,
            "threshold_percent": str(locked.threshold_percent),
            "threshold_base": locked.threshold_base,
            "base_size": outcome.base_size,
            "votes_needed": outcome.votes_needed,
            "max_choices": locked.max_choices,
            "winners": outcome.winners,
            "winner_labels": [by_id[cid].label for cid in outcome.winners],
            "tied": outcome.tied,
            "seats_left": outcome.seats_left,
            "runoff_id": None,
            "leadership": None,
            "nominations": None,
        }
        locked.status = RoundStatus.CLOSED
        locked.closed_at = now
        if outcome.quorum_met:
            if outcome.tied:
                runoff = _create_runoff(
                    locked, [by_id[cid] for cid in outcome.tied], outcome.seats_left, by, now
                )
                locked.result["runoff_id"] = runoff.pk
            if locked.kind == RoundKind.YES_NO:
                locked.result["nominations"] = _feed_nominations(locked, candidates, by)
            if locked.kind == RoundKind.ELECTION and outcome.winners:
                locked.result["leadership"] = _apply_election(
                    locked, [by_id[cid] for cid in outcome.winners], by
                )
        locked.save()
    return locked


def _create_runoff(
    voting_round: VotingRound, tied: list[Candidate], seats: int, by, now: datetime
) -> VotingRound:
    """A prepared round among exactly the tied candidates, for the seats left."""
    duration = max(voting_round.closes_at - voting_round.opens_at, RUNOFF_MIN_DURATION)
    runoff = VotingRound(
        year=voting_round.year,
        kind=voting_round.kind,
        title=_("Runoff: %(title)s") % {"title": voting_round.title},
        max_choices=max(seats, 1),
        seat=voting_round.seat,
        award_type=voting_round.award_type,
        opens_at=now,
        closes_at=now + duration,
        quorum_percent=voting_round.quorum_percent,
        threshold_percent=voting_round.threshold_percent,
        threshold_base=voting_round.threshold_base,
        runoff_of=voting_round,
        status=RoundStatus.DRAFT,
        created_by=by if getattr(by, "is_authenticated", False) else None,
    )
    runoff.save()
    Candidate.objects.bulk_create(
        [
            Candidate(
                round=runoff,
                school=c.school,
                nomination=c.nomination,
                label=c.label,
                order=i,
            )
            for i, c in enumerate(tied, start=1)
        ]
    )
    return runoff


def _feed_nominations(voting_round: VotingRound, candidates: list[Candidate], by) -> dict:
    """Tell the nominations workflow each nomination's vote (voted → approved or not)."""
    try:
        from .nominations import record_vote_result
    except ImportError:
        return {"updated": 0, "errors": [], "available": False}
    updated = 0
    errors: list[str] = []
    for candidate in candidates:
        if candidate.nomination is None:
            continue
        try:
            with transaction.atomic():
                record_vote_result(
                    nomination=candidate.nomination,
                    passed=bool(candidate.passed),
                    round=voting_round,
                    by=by,
                )
            updated += 1
        except ValidationError as error:
            errors.append(f"{candidate.label}: {'; '.join(error.messages)}")
    return {"updated": updated, "errors": errors, "available": True}


def _apply_election(voting_round: VotingRound, winners: list[Candidate], by) -> dict:
    """Make the winners next year's head or deputies (through cluster.services, which keeps
    DOMAIN rule 8), pending the Academy's recognition: the recognition decision of that
    year is cleared whenever its leadership changes."""
    from cluster.services import set_leadership

    target = election_year(voting_round)
    info: dict = {
        "year": target.label if target else "",
        "role": voting_round.seat,
        "schools": [w.label for w in winners],
        "applied": False,
        "unchanged": False,
        "replaced": [],
        "message": "",
    }
    if target is None:
        info["message"] = _("The next year does not exist: nothing was recorded.")
        return info
    leaders = list(Leadership.objects.filter(year=target).select_related("school"))
    head = next((lead.school for lead in leaders if lead.role == LeadershipRole.HEAD), None)
    deputies = [lead.school for lead in leaders if lead.role == LeadershipRole.DEPUTY]
    elected = [w.school for w in winners if w.school is not None]
    if voting_round.seat == LeadershipRole.HEAD:
        new_head = elected[0]
        new_deputies = [d for d in deputies if d.pk != new_head.pk]
        if head is not None and head.pk != new_head.pk:
            info["replaced"] = [head.name]
    else:
        new_head = head
        if voting_round.runoff_of_id:
            new_deputies = deputies + [s for s in elected if s not in deputies]
        else:
            new_deputies = elected
            info["replaced"] = [d.name for d in deputies if d not in elected]
    if new_head == head and {d.pk for d in new_deputies} == {d.pk for d in deputies}:
        info["applied"] = True
        info["unchanged"] = True
        return info
    try:
        with transaction.atomic():
            set_leadership(
                year=target,
                head=new_head,
                deputies=new_deputies,
                decision_number="",
                decision_date=None,
                by=by,
            )
        info["applied"] = True
    except ValidationError as error:
        info["message"] = "; ".join(error.messages)
    return info
