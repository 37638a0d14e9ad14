"""Electing next year's head and deputies (DOMAIN rule 8)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from awards.enums import RoundKind, ThresholdBase
from awards.services import ballots as services
from cluster.enums import LeadershipRole
from cluster.models import EmulationYear, Leadership
from tests import factories as f

from .test_ballot_support import NineWorld, make_world, new_round, vote_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db, settings) -> NineWorld:
    return make_world(settings)


def _head_election(world, **kwargs):
    return new_round(
        world.year,
        RoundKind.ELECTION,
        seat=LeadershipRole.HEAD,
        title="Bầu cụm trưởng 2027",
        **kwargs,
    )


def _codes(error: ValidationError) -> set[str]:
    if hasattr(error, "error_dict"):
        return {e.code for errors in error.error_dict.values() for e in errors}
    return {e.code for e in error.error_list}


def test_head_election_candidates_are_next_years_members_but_not_this_years_head(world):
    voting_round = _head_election(world, open_it=False)
    schools = {c.school for c in voting_round.candidates.all()}
    assert world.schools["HYE"] not in schools
    assert schools == set(world.voters) - {world.schools["HYE"]}


def test_head_election_refuses_this_years_head_as_candidate(world):
    voting_round = _head_election(world, prefill=False, open_it=False)
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        services.add_candidate(
            voting_round=voting_round, school=world.schools["HYE"], by=world.secretariat
        )
    assert _codes(caught.value) == {"head_two_years"}
    assert "two years running" in caught.value.messages[0]


def test_head_election_refuses_a_school_that_is_not_a_member_next_year(world):
    import datetime as dt

    leaving = world.schools["VPH"]
    membership = leaving.memberships.get()
    membership.end_date = dt.date(2026, 12, 31)
    membership.save()
    voting_round = _head_election(world, prefill=False, open_it=False)
    with pytest.raises(ValidationError) as caught:
        services.add_candidate(voting_round=voting_round, school=leaving, by=world.secretariat)
    assert _codes(caught.value) == {"not_member"}


def test_election_requires_the_next_year_to_exist(db):
    world = NineWorld(code="N8", with_next_year=False)
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        _head_election(world, open_it=False)
    assert _codes(caught.value) == {"no_next_year"}
    assert "does not exist yet" in caught.value.messages[0]


def test_head_election_allows_one_choice_only(world):
    with pytest.raises(ValidationError) as caught:
        _head_election(world, max_choices=2, open_it=False)
    assert _codes(caught.value) == {"one_head"}


def test_head_election_sets_next_years_head_pending_recognition(world):
    world.next_year.recognition_decision_number = "12/QĐ-HVCTQG"
    world.next_year.save()
    voting_round = _head_election(world)
    qni = world.schools["QNI"]
    for voter in world.voters[:7]:
        vote_for(voting_round, voter, qni)
    for voter in world.voters[7:]:
        vote_for(voting_round, voter, world.schools["BNI"])
    closed = services.close_round(voting_round=voting_round, by=world.secretariat)

    head = Leadership.objects.get(year=world.next_year, role=LeadershipRole.HEAD)
    assert head.school == qni
    world.next_year.refresh_from_db()
    assert world.next_year.recognition_decision_number == ""
    assert closed.result["leadership"]["applied"] is True
    assert closed.result["leadership"]["schools"] == [qni.name]
    # This year's leadership is untouched.
    assert (
        Leadership.objects.get(year=world.year, role=LeadershipRole.HEAD).school
        == world.schools["HYE"]
    )


def test_head_election_without_a_majority_sets_nobody(world):
    voting_round = _head_election(world)
    for voter, code in zip(world.voters, ["QNI"] * 4 + ["BNI"] * 4 + ["HDU"], strict=True):
        vote_for(voting_round, voter, world.schools[code])
    closed = services.close_round(voting_round=voting_round, by=world.secretariat)
    assert closed.result["winners"] == []
    assert closed.result["leadership"] is None
    assert not Leadership.objects.filter(year=world.next_year).exists()


def test_head_election_tie_creates_a_runoff_that_then_sets_the_head(world):
    voting_round = _head_election(world, threshold="40", base=ThresholdBase.VOTES_CAST, quorum="50")
    qni, bni = world.schools["QNI"], world.schools["BNI"]
    for voter in world.voters[:4]:
        vote_for(voting_round, voter, qni)
    for voter in world.voters[4:8]:
        vote_for(voting_round, voter, bni)
    closed = services.close_round(voting_round=voting_round, by=world.secretariat)
    assert closed.result["winners"] == []
    assert not Leadership.objects.filter(year=world.next_year).exists()

    runoff = closed.runoffs.get()
    assert runoff.seat == LeadershipRole.HEAD
    assert {c.school for c in runoff.candidates.all()} == {qni, bni}
    services.open_round(voting_round=runoff, by=world.secretariat)
    for voter in world.voters[:5]:
        vote_for(runoff, voter, bni)
    for voter in world.voters[5:8]:
        vote_for(runoff, voter, qni)
    services.close_round(voting_round=runoff, by=world.secretariat)
    assert Leadership.objects.get(year=world.next_year, role=LeadershipRole.HEAD).school == bni


def test_deputies_election_sets_next_years_deputies(world):
    head_round = _head_election(world)
    for voter in world.voters:
        vote_for(head_round, voter, world.schools["QNI"])
    services.close_round(voting_round=head_round, by=world.secretariat)

    deputies_round = new_round(
        world.year,
        RoundKind.ELECTION,
        seat=LeadershipRole.DEPUTY,
        max_choices=2,
        title="Bầu cụm phó 2027",
    )
    assert world.schools["QNI"] not in {c.school for c in deputies_round.candidates.all()}
    # HYE (this year's head) may be a deputy next year.
    assert world.schools["HYE"] in {c.school for c in deputies_round.candidates.all()}
    bni, hye = world.schools["BNI"], world.schools["HYE"]
    for voter in world.voters[:6]:
        vote_for(deputies_round, voter, bni, hye)
    services.close_round(voting_round=deputies_round, by=world.secretariat)

    leaders = {
        (lead.role, lead.school.code)
        for lead in Leadership.objects.filter(year=world.next_year).select_related("school")
    }
    assert leaders == {("head", "N9QNI"), ("deputy", "N9BNI"), ("deputy", "N9HYE")}


def test_election_result_not_applied_when_the_rule_refuses_it(world):
    # The year after next already has QNI as head: QNI cannot head 2027 too.
    year_2028 = f.EmulationYearFactory(cluster=world.cluster, label="2028")
    f.LeadershipFactory(year=year_2028, school=world.schools["QNI"], role=LeadershipRole.HEAD)
    voting_round = _head_election(world)
    for voter in world.voters:
        vote_for(voting_round, voter, world.schools["QNI"])
    with translation.override("en"):
        closed = services.close_round(voting_round=voting_round, by=world.secretariat)
    assert closed.status == "closed"
    assert closed.result["leadership"]["applied"] is False
    assert "two years running" in closed.result["leadership"]["message"]
    assert not Leadership.objects.filter(year=world.next_year).exists()
    assert EmulationYear.objects.filter(pk=world.next_year.pk).exists()
