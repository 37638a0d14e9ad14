"""The demo's closed rounds: the elections that produced CUM4's recorded heads, idempotent."""

from __future__ import annotations

import pytest

from awards import demo_ballots
from awards.enums import RoundKind, RoundStatus
from awards.models import Ballot, Participation, VotingRound
from cluster import demo as cluster_demo
from cluster.enums import LeadershipRole
from cluster.models import EmulationYear, Leadership

pytestmark = pytest.mark.django_db


def test_demo_ballots_do_nothing_without_the_demo_cluster():
    demo_ballots.seed()
    assert not VotingRound.objects.exists()


def test_demo_elections_produced_the_recorded_heads_and_rerun_changes_nothing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cluster_demo.seed()
    decisions = dict(
        EmulationYear.objects.filter(cluster__code="CUM4").values_list(
            "label", "recognition_decision_number"
        )
    )
    demo_ballots.seed()
    rounds = VotingRound.objects.filter(year__cluster__code="CUM4")
    head_rounds = rounds.filter(kind=RoundKind.ELECTION, seat=LeadershipRole.HEAD)
    assert head_rounds.count() >= 5
    for voting_round in head_rounds:
        assert voting_round.status == RoundStatus.CLOSED
        elected = voting_round.candidates.get(passed=True).school
        following = EmulationYear.objects.filter(
            cluster=voting_round.year.cluster, start_date__gt=voting_round.year.start_date
        ).order_by("start_date")[0]
        assert Leadership.objects.get(year=following, role=LeadershipRole.HEAD).school == elected
        assert voting_round.result["leadership"]["unchanged"] is True
        assert Ballot.objects.filter(round=voting_round).count() == (
            Participation.objects.filter(round=voting_round).count()
        )
    counts = (rounds.count(), Ballot.objects.count())
    demo_ballots.seed()
    assert (rounds.count(), Ballot.objects.count()) == counts
    # The recorded recognition decisions are kept.
    assert (
        dict(
            EmulationYear.objects.filter(cluster__code="CUM4").values_list(
                "label", "recognition_decision_number"
            )
        )
        == decisions
    )
