"""Counting, without the database: quorum, threshold over the whole electorate or the
ballots cast, choose-N winners, ties and runoffs, yes/no."""

from __future__ import annotations

from decimal import Decimal

import pytest

from awards import counting
from awards.counting import CountRules

CHOOSE_ONE = CountRules(
    kind="choose", max_choices=1, quorum_percent=Decimal("66.67"), threshold_percent=Decimal("50")
)


def _ballots(*choices: tuple[int, ...]) -> list[dict[int, str]]:
    return [dict.fromkeys(chosen, "yes") for chosen in choices]


def _choose(n: int) -> CountRules:
    return CountRules(
        kind="choose",
        max_choices=n,
        quorum_percent=Decimal("66.67"),
        threshold_percent=Decimal("50"),
    )


@pytest.mark.parametrize(
    ("base", "percent", "needed"),
    [
        (9, Decimal("50"), 5),
        (10, Decimal("50"), 6),
        (9, Decimal("90"), 9),
        (10, Decimal("90"), 10),
        (9, Decimal("66.67"), 7),
        (7, Decimal("0"), 1),
        (0, Decimal("50"), 1),
    ],
)
def test_votes_needed_is_more_than_the_share(base, percent, needed):
    assert counting.votes_needed(base, percent) == needed


def test_quorum_two_thirds_of_nine_is_six():
    assert counting.quorum_needed(9, Decimal("66.67")) == 6
    assert counting.quorum_met(6, 9, Decimal("66.67")) is True
    assert counting.quorum_met(5, 9, Decimal("66.67")) is False


def test_quorum_two_thirds_of_ten_is_seven():
    assert counting.quorum_needed(10, Decimal("66.67")) == 7


def test_count_quorum_not_met_passes_nothing():
    # 5 of 9 vote, all for candidate 1: more than half of the electorate, but no quorum.
    result = counting.count(
        ballots=_ballots((1,), (1,), (1,), (1,), (1,)),
        candidate_ids=[1, 2],
        electorate=9,
        rules=CHOOSE_ONE,
    )
    assert result.quorum_met is False
    assert result.quorum_needed == 6
    assert result.winners == []
    assert result.tied == []
    assert result.passed == {1: False, 2: False}
    assert result.tallies[1].yes == 5


def test_count_threshold_is_over_the_whole_electorate():
    # 6 of 9 vote (quorum met); 4 votes lead but 4 is not more than half of 9.
    result = counting.count(
        ballots=_ballots((1,), (1,), (1,), (1,), (2,), (2,)),
        candidate_ids=[1, 2],
        electorate=9,
        rules=CHOOSE_ONE,
    )
    assert result.quorum_met is True
    assert result.votes_needed == 5
    assert result.winners == []
    assert result.passed == {1: False, 2: False}
    assert result.over_threshold == {1: False, 2: False}


def test_count_threshold_over_ballots_cast_when_configured():
    rules = CountRules(
        kind="choose",
        max_choices=1,
        quorum_percent=Decimal("66.67"),
        threshold_percent=Decimal("50"),
        threshold_base="cast",
    )
    result = counting.count(
        ballots=_ballots((1,), (1,), (1,), (1,), (2,), (2,)),
        candidate_ids=[1, 2],
        electorate=9,
        rules=rules,
    )
    assert result.base_size == 6
    assert result.votes_needed == 4
    assert result.winners == [1]
    assert result.passed == {1: True, 2: False}


def test_count_five_of_nine_passes():
    result = counting.count(
        ballots=_ballots((1,), (1,), (1,), (1,), (1,), (2,), (2,), ()),
        candidate_ids=[1, 2],
        electorate=9,
        rules=CHOOSE_ONE,
    )
    assert result.winners == [1]
    assert result.blank == 1
    assert result.turnout == 8
    assert result.turnout_percent == Decimal("88.89")


def test_count_choose_n_takes_the_top_n_that_pass():
    # Choose 2 among 4: votes 1→8, 2→6, 3→5, 4→0; all of 1, 2, 3 pass (>= 5) but 2 seats.
    ballots = _ballots((1, 2), (1, 2), (1, 2), (1, 2), (1, 3), (1, 3), (1, 3), (1, 2), (3, 2))
    result = counting.count(
        ballots=ballots, candidate_ids=[1, 2, 3, 4], electorate=9, rules=_choose(2)
    )
    assert [result.tallies[c].yes for c in (1, 2, 3, 4)] == [8, 6, 4, 0]
    assert result.winners == [1, 2]
    assert result.passed == {1: True, 2: True, 3: False, 4: False}
    assert result.tied == []


def test_count_tie_for_the_last_seat_goes_to_a_runoff():
    # Choose 2: 1→8, 2→5, 3→5 (both pass with 5 of 9); the second seat is tied.
    ballots = _ballots(*([(1, 2)] * 4), *([(1, 3)] * 4), (2, 3))
    result = counting.count(
        ballots=ballots, candidate_ids=[1, 2, 3], electorate=9, rules=_choose(2)
    )
    assert [result.tallies[c].yes for c in (1, 2, 3)] == [8, 5, 5]
    assert result.winners == [1]
    assert result.tied == [2, 3]
    assert result.seats_left == 1
    assert result.needs_runoff is True
    assert result.passed == {1: True, 2: None, 3: None}


def test_count_tie_for_the_only_seat_decides_nothing():
    rules = CountRules(
        kind="election",
        max_choices=1,
        quorum_percent=Decimal("66.67"),
        threshold_percent=Decimal("50"),
        threshold_base="cast",
    )
    ballots = _ballots((1,), (1,), (1,), (2,), (2,), (2,))
    result = counting.count(ballots=ballots, candidate_ids=[1, 2], electorate=9, rules=rules)
    assert result.votes_needed == 4
    assert result.winners == []
    assert result.tied == []  # 3 is not more than half of 6: nobody passes, no runoff


def test_count_tie_among_passing_candidates_for_the_only_seat():
    rules = CountRules(
        kind="election",
        max_choices=1,
        quorum_percent=Decimal("50"),
        threshold_percent=Decimal("40"),
        threshold_base="cast",
    )
    ballots = _ballots((1,), (1,), (1,), (2,), (2,), (2,))
    result = counting.count(ballots=ballots, candidate_ids=[1, 2], electorate=9, rules=rules)
    assert result.votes_needed == 3
    assert result.winners == []
    assert result.tied == [1, 2]
    assert result.seats_left == 1


def test_count_tie_that_fits_the_seats_elects_all():
    ballots = _ballots((1, 2), (1, 2), (1, 2), (1, 2), (1, 2), (3,))
    result = counting.count(
        ballots=ballots, candidate_ids=[1, 2, 3], electorate=9, rules=_choose(2)
    )
    assert result.winners == [1, 2]
    assert result.tied == []


def test_count_yes_no_approves_each_that_passes():
    rules = CountRules(
        kind="yes_no",
        max_choices=1,
        quorum_percent=Decimal("66.67"),
        threshold_percent=Decimal("90"),
    )
    everyone_yes = [{1: "yes", 2: "yes"}] * 8 + [{1: "yes", 2: "no"}]
    result = counting.count(ballots=everyone_yes, candidate_ids=[1, 2], electorate=9, rules=rules)
    assert result.votes_needed == 9
    assert result.tallies[2].no == 1
    assert result.winners == [1]
    assert result.passed == {1: True, 2: False}


def test_tally_refuses_an_unknown_candidate():
    with pytest.raises(ValueError):
        counting.tally([{3: "yes"}], [1, 2])


def test_tally_refuses_an_unknown_answer():
    with pytest.raises(ValueError):
        counting.tally([{1: "maybe"}], [1, 2])


def test_percent_of_rounds_half_up():
    assert counting.percent_of(2, 3) == Decimal("66.67")
    assert counting.percent_of(1, 0) == Decimal("0.00")
