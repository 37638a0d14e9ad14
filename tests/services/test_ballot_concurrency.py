"""A school that races two browsers still has exactly one ballot counted: on PostgreSQL,
two threads cast for the same school at the same moment, through the service and through
two logged-in clients. The unique constraint on (round, school) decides; the loser gets the
clear message. (On SQLite the non-concurrent double submit is tested in tests/awards.)"""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.test import Client

from accounts.enums import Role
from awards.models import Ballot, BallotChoice, Participation
from awards.services import ballots as services
from tests import factories as f
from tests.awards.test_ballot_support import make_world, new_round

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("Concurrent casting is tested on PostgreSQL (SQLite serialises writes).")


def _race(*jobs):
    """Run the jobs in threads released together; return their results in order."""
    barrier = threading.Barrier(len(jobs))
    results: list = [None] * len(jobs)

    def run(index, job):
        try:
            barrier.wait(timeout=10)
            results[index] = ("ok", job())
        except ValidationError as error:
            results[index] = ("refused", error)
        except Exception as error:  # shown by the assertions, not lost in the thread
            results[index] = ("error", error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_two_threads_casting_for_one_school_record_one_ballot(settings):
    world = make_world(settings, code="CC")
    voting_round = new_round(world.year)
    school = world.schools["BNI"]
    first = voting_round.candidates.get(school=world.schools["QNI"])
    second = voting_round.candidates.get(school=world.schools["HDU"])

    def cast(candidate):
        return lambda: (
            services.cast_ballot(
                voting_round=voting_round, school=school, answers={candidate.pk: "yes"}, by=None
            ).receipt
        )

    results = _race(cast(first), cast(second))

    outcomes = sorted(kind for kind, _value in results)
    assert outcomes == ["ok", "refused"]
    refused = next(value for kind, value in results if kind == "refused")
    assert refused.code == "already_voted"
    assert Participation.objects.filter(round=voting_round, school=school).count() == 1
    assert Ballot.objects.filter(round=voting_round).count() == 1
    assert BallotChoice.objects.filter(ballot__round=voting_round).count() == 1


def test_two_browsers_posting_at_once_record_one_ballot(settings):
    world = make_world(settings, code="CB")
    voting_round = new_round(world.year)
    school = world.schools["BNI"]
    colleague = f.UserFactory(
        email="dongnghiep.cb@example.vn", role=Role.REPRESENTATIVE, school=school
    )
    clients = []
    for user in (world.reps["BNI"], colleague):
        client = Client()
        client.force_login(user)
        client.cookies["django_language"] = "en"
        clients.append(client)
    url = f"/a/{world.cluster.code}/{world.year.label}/rounds/{voting_round.pk}/vote/"
    choices = [
        voting_round.candidates.get(school=world.schools["QNI"]).pk,
        voting_round.candidates.get(school=world.schools["HDU"]).pk,
    ]

    def post(client, candidate_id):
        return lambda: client.post(url, {"chosen": [candidate_id]})

    results = _race(post(clients[0], choices[0]), post(clients[1], choices[1]))

    responses = [value for _kind, value in results]
    assert sorted(r.status_code for r in responses) == [200, 302]
    loser = next(i for i, r in enumerate(responses) if r.status_code == 302)
    followed = clients[loser].get(responses[loser]["Location"])
    assert "Your school has already voted in this round" in followed.content.decode()
    winner = responses[1 - loser]
    receipt = Ballot.objects.get(round=voting_round).receipt
    assert receipt in winner.content.decode()
    assert Participation.objects.filter(round=voting_round, school=school).count() == 1
    assert Ballot.objects.filter(round=voting_round).count() == 1
