"""After a round with nine votes, nothing in the database links a school to its choices:
no column of Ballot or BallotChoice refers to a school, a user or a time; ballot ids are
random UUIDs; the physical order of the rows does not follow the order of voting; nothing
else points at a ballot; no history is kept of ballots; no log line or session entry holds
a receipt."""

from __future__ import annotations

import logging
import random
import uuid

import pytest
from django.apps import apps
from django.db import connection, models

from awards.models import Ballot, BallotChoice, Participation, VotingRound
from awards.services import ballots as services
from cluster.models import School

from .test_ballot_support import NINE, make_world, new_round, vote_for

pytestmark = pytest.mark.django_db

TIME_FIELDS = (models.DateTimeField, models.DateField, models.TimeField, models.DurationField)


@pytest.fixture
def world(db, settings):
    return make_world(settings)


@pytest.fixture
def counted_round(world, monkeypatch):
    """Nine schools vote in a known order (receipts made increasing, so that the voting order
    is the receipt order), then the round is closed with a fixed shuffle seed."""
    import secrets

    counter = iter(range(1, 100))
    monkeypatch.setattr(secrets, "token_hex", lambda n: f"{next(counter):0{2 * n}d}")
    voting_round = new_round(world.year, max_choices=2)
    choices = ["QNI", "QNI", "HDU", "BNI", "QNI", "TBI", "QNI", "HDU", "QNI"]
    voting_order = []
    for (code, _name, _province), choice in zip(NINE, choices, strict=True):
        voting_order.append(vote_for(voting_round, world.schools[code], world.schools[choice]))
    assert voting_order == sorted(voting_order)
    ids_while_open = _raw_order("awards_ballot", "receipt")
    assert ids_while_open == voting_order  # the weakness the rewrite at closing removes
    services.close_round(
        voting_round=voting_round, by=world.secretariat, rng=random.Random(20261123)
    )
    return voting_round, voting_order


def _raw_order(table: str, column: str) -> list:
    physical = "rowid" if connection.vendor == "sqlite" else "ctid"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} ORDER BY {physical}")  # noqa: S608
        return [row[0] for row in cursor.fetchall()]


def _columns(model) -> set[str]:
    with connection.cursor() as cursor:
        description = connection.introspection.get_table_description(cursor, model._meta.db_table)
    return {column.name for column in description}


def test_ballot_tables_have_only_the_expected_columns(counted_round):
    assert _columns(Ballot) == {"id", "round_id", "receipt"}
    assert _columns(BallotChoice) == {"id", "ballot_id", "candidate_id", "answer"}
    assert _columns(Participation) == {"id", "round_id", "school_id", "voted_at"}


def test_no_ballot_field_refers_to_a_school_a_user_or_a_time(counted_round):
    user_model = apps.get_model("accounts", "User")
    for model in (Ballot, BallotChoice):
        for field in model._meta.get_fields():
            related = getattr(field, "related_model", None)
            assert related not in (School, user_model, Participation), (model, field.name)
            assert not isinstance(field, TIME_FIELDS), (model, field.name)
            assert not isinstance(field, models.AutoField), (model, field.name)


def test_participation_does_not_refer_to_a_ballot(counted_round):
    for field in Participation._meta.get_fields():
        assert getattr(field, "related_model", None) not in (Ballot, BallotChoice), field.name


def test_nothing_but_choices_refers_to_a_ballot(counted_round):
    pointing = [
        (model._meta.label, field.name)
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if field.concrete and getattr(field, "related_model", None) in (Ballot, BallotChoice)
    ]
    assert pointing == [("awards.BallotChoice", "ballot")]


def test_no_history_is_kept_of_ballots_or_participations(counted_round):
    names = {model.__name__ for model in apps.get_models()}
    assert not names & {"HistoricalBallot", "HistoricalBallotChoice", "HistoricalParticipation"}


def test_ballot_and_choice_ids_are_random_uuids(counted_round):
    for model in (Ballot, BallotChoice):
        ids = list(model.objects.values_list("id", flat=True))
        assert ids
        assert all(isinstance(i, uuid.UUID) and i.version == 4 for i in ids)


def test_physical_order_of_ballots_does_not_follow_the_voting(counted_round):
    voting_round, voting_order = counted_round
    stored = _raw_order("awards_ballot", "receipt")
    assert sorted(stored) == sorted(voting_order)
    assert stored != voting_order
    # Nor the order of the choices: they follow the ballots' random order, then shuffled.
    choice_ballots = _raw_order("awards_ballotchoice", "ballot_id")
    receipts_by_id = {str(b.pk).replace("-", ""): b.receipt for b in Ballot.objects.all()}
    choice_receipts = [receipts_by_id[str(i).replace("-", "")] for i in choice_ballots]
    assert choice_receipts != sorted(choice_receipts)


def test_the_published_receipts_match_what_was_cast(counted_round):
    voting_round, voting_order = counted_round
    published = {
        b.receipt: sorted(c.candidate.label for c in b.choices.all())
        for b in Ballot.objects.filter(round=voting_round).prefetch_related("choices__candidate")
    }
    assert set(published) == set(voting_order)
    assert sum(len(v) for v in published.values()) == 9


def test_participation_and_ballot_share_no_value_but_the_round(counted_round):
    voting_round, _order = counted_round
    participations = list(Participation.objects.filter(round=voting_round).values())
    ballots = list(Ballot.objects.filter(round=voting_round).values())
    participation_values = {v for row in participations for k, v in row.items() if k != "round_id"}
    ballot_values = {v for row in ballots for k, v in row.items() if k != "round_id"}
    assert participation_values.isdisjoint(ballot_values)
    assert len(participations) == len(ballots) == 9


def test_casting_logs_no_receipt_and_keeps_none_in_the_session(world, client_for, caplog):
    voting_round = new_round(world.year)
    candidate = voting_round.candidates.get(school=world.schools["QNI"])
    client = client_for(world.reps["BNI"])
    url = f"/a/{world.cluster.code}/{world.year.label}/rounds/{voting_round.pk}/vote/"
    with caplog.at_level(logging.DEBUG):
        response = client.post(url, {"chosen": [candidate.pk]})
    assert response.status_code == 200
    receipt = Ballot.objects.get(round=voting_round).receipt
    assert receipt in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    assert all(receipt not in record.getMessage() for record in caplog.records)
    session = client.session
    assert all(receipt not in str(value) for value in session.values())
    # And the next page shows it no more.
    again = client.get(f"/a/{world.cluster.code}/{world.year.label}/rounds/{voting_round.pk}/")
    assert receipt not in again.content.decode()


def test_round_result_holds_totals_only(counted_round):
    voting_round, _order = counted_round
    voting_round = VotingRound.objects.get(pk=voting_round.pk)
    assert set(voting_round.result) == {
        "electorate",
        "turnout",
        "valid",
        "blank",
        "turnout_percent",
        "quorum_percent",
        "quorum_needed",
        "quorum_met",
        "threshold_percent",
        "threshold_base",
        "base_size",
        "votes_needed",
        "max_choices",
        "winners",
        "winner_labels",
        "tied",
        "seats_left",
        "runoff_id",
        "leadership",
        "nominations",
    }
