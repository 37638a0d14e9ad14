"""Voting round services: preparing, opening, casting, closing and counting."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from awards.enums import RoundKind, RoundStatus, ThresholdBase
from awards.models import Ballot, BallotChoice, Candidate, Participation, VotingRound
from awards.services import ballots as services
from tests import factories as f

from .test_ballot_support import NineWorld, candidate_for, make_world, new_round, vote_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db, settings) -> NineWorld:
    return make_world(settings)


def _codes(error: ValidationError) -> set[str]:
    if hasattr(error, "error_dict"):
        return {e.code for errors in error.error_dict.values() for e in errors}
    return {e.code for e in error.error_list}


# --- preparing and opening ---------------------------------------------------------------------


def test_create_choose_round_prefills_the_members_by_name(world):
    voting_round = new_round(world.year, open_it=False)
    labels = list(voting_round.candidates.values_list("label", flat=True))
    assert labels == sorted(s.name for s in world.voters)
    assert voting_round.status == RoundStatus.DRAFT


def test_create_choose_round_prefills_the_frozen_ranking_in_rank_order(world):
    from evaluations.models.scoring import ResultRow, ScoringSettings

    ranked = ["QNI", "BNI", "HDU"]
    for rank, code in enumerate(ranked, start=1):
        ResultRow.objects.create(
            year=world.year,
            school=world.schools[code],
            rank=rank,
            criteria_points=Decimal("90") - rank,
            bonus=Decimal("0"),
            deductions=Decimal("0"),
            total=Decimal("90") - rank,
        )
    # Rows first: the evaluations app refuses changes once the year is frozen.
    ScoringSettings.objects.create(year=world.year, stage="frozen")
    voting_round = new_round(world.year, open_it=False)
    schools = [c.school for c in voting_round.candidates.order_by("order")]
    assert schools == [world.schools[code] for code in ranked]


def test_create_choose_round_ignores_a_ranking_that_is_not_frozen(world):
    from evaluations.models.scoring import ScoringSettings

    ScoringSettings.objects.create(year=world.year, stage="published")
    voting_round = new_round(world.year, open_it=False)
    assert voting_round.candidates.count() == 9


def test_create_round_refuses_closing_before_opening(world):
    now = timezone.now()
    voting_round = VotingRound(
        year=world.year, kind=RoundKind.CHOOSE, title="x", opens_at=now, closes_at=now
    )
    with pytest.raises(ValidationError) as caught:
        services.create_round(voting_round=voting_round, by=world.secretariat)
    assert _codes(caught.value) == {"closes_before_opening"}
    assert not VotingRound.objects.exists()


def test_open_round_fixes_the_electorate(world):
    voting_round = new_round(world.year)
    assert voting_round.status == RoundStatus.OPEN
    assert voting_round.electorate_size == 9


def test_open_round_refuses_without_candidates(world):
    voting_round = new_round(world.year, prefill=False, open_it=False)
    with pytest.raises(ValidationError) as caught:
        services.open_round(voting_round=voting_round, by=world.secretariat)
    assert _codes(caught.value) == {"no_candidates"}


def test_open_round_refuses_a_closing_time_in_the_past(world):
    voting_round = new_round(world.year, open_it=False)
    later = voting_round.closes_at + dt.timedelta(minutes=1)
    with pytest.raises(ValidationError) as caught:
        services.open_round(voting_round=voting_round, by=world.secretariat, now=later)
    assert _codes(caught.value) == {"closes_in_past"}


def test_open_round_twice_is_refused(world):
    voting_round = new_round(world.year)
    with pytest.raises(ValidationError) as caught:
        services.open_round(voting_round=voting_round, by=world.secretariat)
    assert _codes(caught.value) == {"not_draft"}


def test_add_candidate_refuses_a_non_member(world):
    voting_round = new_round(world.year, prefill=False, open_it=False)
    outsider = f.SchoolFactory(code="OUT")
    with pytest.raises(ValidationError) as caught:
        services.add_candidate(voting_round=voting_round, school=outsider, by=world.secretariat)
    assert _codes(caught.value) == {"not_member"}


def test_add_candidate_twice_is_refused(world):
    voting_round = new_round(world.year, prefill=False, open_it=False)
    school = world.schools["BNI"]
    services.add_candidate(voting_round=voting_round, school=school, by=world.secretariat)
    with pytest.raises(ValidationError) as caught:
        services.add_candidate(voting_round=voting_round, school=school, by=world.secretariat)
    assert _codes(caught.value) == {"already_candidate"}


def test_candidates_cannot_change_once_open(world):
    voting_round = new_round(world.year)
    candidate = voting_round.candidates.first()
    with pytest.raises(ValidationError):
        services.remove_candidate(candidate=candidate, by=world.secretariat)
    assert Candidate.objects.filter(pk=candidate.pk).exists()


def test_delete_round_refuses_an_opened_round(world):
    voting_round = new_round(world.year)
    with pytest.raises(ValidationError):
        services.delete_round(voting_round=voting_round, by=world.secretariat)
    assert VotingRound.objects.filter(pk=voting_round.pk).exists()


def test_yes_no_round_uses_the_award_rule_in_force_on_the_round_date(world):
    from awards.models import AwardRule, AwardType

    award_type = AwardType.objects.create(
        code="CTD-HV",
        name="Cờ thi đua",
        category="title",
        recipient_kind="collective",
        level="academy",
        issuer="Học viện",
    )
    AwardRule.objects.create(
        award_type=award_type,
        legal_basis="Nghị định 91/2017",
        effective_from=dt.date(2017, 1, 1),
        effective_to=dt.date(2023, 12, 31),
        vote_threshold_percent=Decimal("90"),
        threshold_base=ThresholdBase.ELECTORATE,
    )
    AwardRule.objects.create(
        award_type=award_type,
        legal_basis="Nghị định 152/2025",
        effective_from=dt.date(2024, 1, 1),
        vote_threshold_percent=Decimal("70"),
        threshold_base=ThresholdBase.VOTES_CAST,
    )
    voting_round = new_round(
        world.year, RoundKind.YES_NO, award_type=award_type, prefill=False, open_it=False
    )
    assert voting_round.threshold_percent == Decimal("70")
    assert voting_round.threshold_base == ThresholdBase.VOTES_CAST


# --- casting -----------------------------------------------------------------------------------


def test_cast_ballot_records_participation_and_ballot_with_a_receipt(world):
    voting_round = new_round(world.year)
    receipt = vote_for(voting_round, world.schools["BNI"], world.schools["QNI"])
    assert (
        Participation.objects.filter(round=voting_round, school=world.schools["BNI"]).count() == 1
    )
    ballot = Ballot.objects.get(round=voting_round)
    assert ballot.receipt == receipt
    assert len(receipt) == 12
    assert [c.candidate.school for c in ballot.choices.all()] == [world.schools["QNI"]]


def test_cast_ballot_twice_keeps_one_ballot_and_says_so(world):
    voting_round = new_round(world.year)
    vote_for(voting_round, world.schools["BNI"], world.schools["QNI"])
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        vote_for(voting_round, world.schools["BNI"], world.schools["HDU"])
    assert _codes(caught.value) == {"already_voted"}
    assert "already voted" in caught.value.messages[0]
    assert Participation.objects.filter(round=voting_round).count() == 1
    assert Ballot.objects.filter(round=voting_round).count() == 1
    assert BallotChoice.objects.filter(ballot__round=voting_round).count() == 1


def test_cast_ballot_refuses_a_school_outside_the_electorate(world):
    voting_round = new_round(world.year)
    outsider = f.SchoolFactory(code="OUT")
    with pytest.raises(ValidationError) as caught:
        services.cast_ballot(voting_round=voting_round, school=outsider, answers={}, by=None)
    assert _codes(caught.value) == {"not_member"}
    assert not Participation.objects.exists()


def test_cast_ballot_refuses_more_choices_than_allowed(world):
    voting_round = new_round(world.year, max_choices=1)
    with pytest.raises(ValidationError) as caught:
        vote_for(voting_round, world.schools["BNI"], world.schools["QNI"], world.schools["HDU"])
    assert _codes(caught.value) == {"too_many_choices"}
    assert not Participation.objects.exists()
    assert not Ballot.objects.exists()


def test_cast_ballot_refuses_a_candidate_of_another_round(world):
    voting_round = new_round(world.year)
    other = new_round(world.year, title="Khác")
    foreign = other.candidates.first()
    with pytest.raises(ValidationError) as caught:
        services.cast_ballot(
            voting_round=voting_round,
            school=world.schools["BNI"],
            answers={foreign.pk: "yes"},
            by=None,
        )
    assert _codes(caught.value) == {"unknown_candidate"}


def test_cast_ballot_refuses_after_closing_time(world):
    voting_round = new_round(world.year)
    late = voting_round.closes_at + dt.timedelta(seconds=1)
    with pytest.raises(ValidationError) as caught:
        services.cast_ballot(
            voting_round=voting_round, school=world.schools["BNI"], answers={}, by=None, now=late
        )
    assert _codes(caught.value) == {"round_closed"}


def test_cast_ballot_refuses_before_opening_time(world):
    voting_round = new_round(world.year)
    early = voting_round.opens_at - dt.timedelta(seconds=1)
    with pytest.raises(ValidationError) as caught:
        services.cast_ballot(
            voting_round=voting_round, school=world.schools["BNI"], answers={}, by=None, now=early
        )
    assert _codes(caught.value) == {"round_not_open"}


def test_cast_ballot_refuses_a_draft_round(world):
    voting_round = new_round(world.year, open_it=False)
    with pytest.raises(ValidationError) as caught:
        vote_for(voting_round, world.schools["BNI"])
    assert _codes(caught.value) == {"round_not_open"}


def test_cast_ballot_refuses_a_representative_of_another_school(world):
    voting_round = new_round(world.year)
    with pytest.raises(ValidationError) as caught:
        services.cast_ballot(
            voting_round=voting_round,
            school=world.schools["BNI"],
            answers={},
            by=world.reps["HDU"],
        )
    assert _codes(caught.value) == {"not_your_school"}


def test_cast_yes_no_ballot_needs_an_answer_for_every_candidate(world):
    voting_round = new_round(world.year, RoundKind.YES_NO, prefill=False, open_it=False)
    Candidate.objects.create(round=voting_round, school=world.schools["BNI"], label="A", order=1)
    Candidate.objects.create(round=voting_round, school=world.schools["HDU"], label="B", order=2)
    services.open_round(voting_round=voting_round, by=None)
    first = voting_round.candidates.get(label="A")
    with pytest.raises(ValidationError) as caught:
        services.cast_ballot(
            voting_round=voting_round,
            school=world.schools["BNI"],
            answers={first.pk: "yes"},
            by=None,
        )
    assert _codes(caught.value) == {"answer_missing"}


# --- closing -----------------------------------------------------------------------------------


def test_close_round_counts_and_stores_the_result(world):
    voting_round = new_round(world.year)
    qni, hdu = world.schools["QNI"], world.schools["HDU"]
    voters = world.voters
    for voter in voters[:6]:
        vote_for(voting_round, voter, qni)
    for voter in voters[6:8]:
        vote_for(voting_round, voter, hdu)
    vote_for(voting_round, voters[8])  # blank
    closed = services.close_round(voting_round=voting_round, by=world.secretariat)

    assert closed.status == RoundStatus.CLOSED
    assert closed.closed_at is not None
    result = closed.result
    assert result["electorate"] == 9
    assert result["turnout"] == 9
    assert result["blank"] == 1
    assert result["quorum_met"] is True
    assert result["votes_needed"] == 5
    assert result["winners"] == [candidate_for(closed, qni).pk]
    assert result["winner_labels"] == [qni.name]
    assert candidate_for(closed, qni).votes == 6
    assert candidate_for(closed, qni).passed is True
    assert candidate_for(closed, hdu).votes == 2
    assert candidate_for(closed, hdu).passed is False
    assert candidate_for(closed, world.schools["BNI"]).votes == 0


def test_close_round_twice_is_refused_and_changes_nothing(world):
    voting_round = new_round(world.year)
    for voter in world.voters[:6]:
        vote_for(voting_round, voter, world.schools["QNI"])
    closed = services.close_round(voting_round=voting_round, by=world.secretariat)
    before = (
        dict(closed.result),
        closed.closed_at,
        list(Ballot.objects.values_list("id", flat=True)),
    )
    with pytest.raises(ValidationError) as caught:
        services.close_round(voting_round=voting_round, by=world.secretariat)
    assert _codes(caught.value) == {"already_closed"}
    closed.refresh_from_db()
    after = (closed.result, closed.closed_at, list(Ballot.objects.values_list("id", flat=True)))
    assert after == before


def test_closed_round_refuses_ballots(world):
    voting_round = new_round(world.year)
    services.close_round(voting_round=voting_round, by=world.secretariat)
    with pytest.raises(ValidationError) as caught:
        vote_for(voting_round, world.schools["BNI"])
    assert _codes(caught.value) == {"round_closed"}


def test_close_round_without_quorum_passes_nothing(world):
    voting_round = new_round(world.year)
    for voter in world.voters[:5]:
        vote_for(voting_round, voter, world.schools["QNI"])
    closed = services.close_round(voting_round=voting_round, by=world.secretariat)
    assert closed.result["quorum_met"] is False
    assert closed.result["winners"] == []
    assert closed.result["runoff_id"] is None
    assert not closed.candidates.filter(passed=True).exists()
    assert candidate_for(closed, world.schools["QNI"]).votes == 5


def test_close_round_with_a_tie_creates_a_runoff_among_the_tied(world):
    voting_round = new_round(world.year, max_choices=2)
    bni, hdu, qni = world.schools["BNI"], world.schools["HDU"], world.schools["QNI"]
    voters = world.voters
    for voter in voters[:4]:
        vote_for(voting_round, voter, bni, hdu)
    for voter in voters[4:8]:
        vote_for(voting_round, voter, bni, qni)
    vote_for(voting_round, voters[8], hdu, qni)
    closed = services.close_round(voting_round=voting_round, by=world.secretariat)

    assert closed.result["winners"] == [candidate_for(closed, bni).pk]
    assert sorted(closed.result["tied"]) == sorted(
        [candidate_for(closed, hdu).pk, candidate_for(closed, qni).pk]
    )
    runoff = VotingRound.objects.get(runoff_of=closed)
    assert closed.result["runoff_id"] == runoff.pk
    assert runoff.status == RoundStatus.DRAFT
    assert runoff.max_choices == 1
    assert {c.school for c in runoff.candidates.all()} == {hdu, qni}
    assert candidate_for(closed, hdu).passed is None


def test_close_round_keeps_receipts_and_choices_but_renews_ballot_ids(world):
    voting_round = new_round(world.year)
    receipts = {}
    for voter, choice in zip(
        world.voters[:6], ["QNI", "QNI", "HDU", "QNI", "BNI", "QNI"], strict=True
    ):
        receipts[vote_for(voting_round, voter, world.schools[choice])] = choice
    old_ids = set(Ballot.objects.values_list("id", flat=True))
    services.close_round(voting_round=voting_round, by=None, rng=random.Random(7))
    new_ids = set(Ballot.objects.values_list("id", flat=True))
    assert old_ids.isdisjoint(new_ids)
    published = {
        b.receipt: [c.candidate.school.code[len("N9") :] for c in b.choices.all()]
        for b in Ballot.objects.prefetch_related("choices__candidate__school")
    }
    assert published == {receipt: [choice] for receipt, choice in receipts.items()}


def test_close_yes_no_round_feeds_the_nominations(world, monkeypatch):
    import awards.services.nominations as nominations_service

    calls = []

    def fake_record(*, nomination, passed, round, by):
        calls.append((nomination.pk, passed, round.pk, by))
        return nomination

    monkeypatch.setattr(nominations_service, "record_vote_result", fake_record)
    voting_round, first, second = _yes_no_round_on_two_nominations(world)
    for voter in world.voters:
        services.cast_ballot(
            voting_round=voting_round,
            school=voter,
            answers={first.pk: "yes", second.pk: "no"},
            by=None,
        )
    closed = services.close_round(voting_round=voting_round, by=world.secretariat)
    assert sorted(calls) == sorted(
        [
            (first.nomination_id, True, closed.pk, world.secretariat),
            (second.nomination_id, False, closed.pk, world.secretariat),
        ]
    )
    assert closed.result["nominations"] == {"updated": 2, "errors": [], "available": True}


def test_close_yes_no_round_moves_nominations_to_approved_or_not(world):
    from awards.enums import NominationStatus

    voting_round, first, second = _yes_no_round_on_two_nominations(world)
    for voter in world.voters:
        services.cast_ballot(
            voting_round=voting_round,
            school=voter,
            answers={first.pk: "yes", second.pk: "no"},
            by=None,
        )
    closed = services.close_round(voting_round=voting_round, by=world.secretariat)
    first.nomination.refresh_from_db()
    second.nomination.refresh_from_db()
    assert first.nomination.status == NominationStatus.APPROVED
    assert second.nomination.status == NominationStatus.NOT_APPROVED
    assert closed.result["nominations"]["updated"] == 2


def test_close_yes_no_round_without_quorum_leaves_nominations_alone(world):
    from awards.enums import NominationStatus

    voting_round, first, _second = _yes_no_round_on_two_nominations(world)
    closed = services.close_round(voting_round=voting_round, by=None)
    first.nomination.refresh_from_db()
    assert first.nomination.status == NominationStatus.PUBLISHED
    assert closed.result["nominations"] is None


def _yes_no_round_on_two_nominations(world):
    from awards.enums import NominationStatus
    from awards.models import AwardType, Nomination, Recipient

    award_type = AwardType.objects.create(
        code="BK-HV",
        name="Bằng khen của Giám đốc Học viện",
        category="form",
        recipient_kind="individual",
        level="academy",
        issuer="Học viện",
    )
    nominations = []
    for code, name in (("BNI", "Nguyễn Văn A"), ("HDU", "Trần Thị B")):
        recipient = Recipient.objects.create(
            kind="individual", school=world.schools[code], name=name
        )
        nominations.append(
            Nomination.objects.create(
                year=world.year,
                school=world.schools[code],
                recipient=recipient,
                award_type=award_type,
                status=NominationStatus.PUBLISHED,
            )
        )
    voting_round = new_round(world.year, RoundKind.YES_NO, award_type=award_type)
    first = voting_round.candidates.get(nomination=nominations[0])
    second = voting_round.candidates.get(nomination=nominations[1])
    return voting_round, first, second
