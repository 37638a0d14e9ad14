"""The aggregation and ranking contract, with hand-computed cases (no database)."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from fractions import Fraction

import pytest

from evaluations import aggregation as agg
from evaluations.aggregation import SchoolInput

D = Decimal


def school(code, scores=None, bonus=(), deductions=()):
    return SchoolInput(
        key=code,
        code=code,
        name=f"Trường {code}",
        cross_scores={k: [D(v) for v in vs] for k, vs in (scores or {}).items()},
        approved_bonus=[D(b) for b in bonus],
        approved_deductions=[D(d) for d in deductions],
    )


# --- aggregate ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("scores", "method", "expected"),
    [
        (["8", "6"], agg.MEAN, Fraction(7)),
        (["8", "6"], agg.MEDIAN, Fraction(7)),
        (["8", "6"], agg.TRIMMED, Fraction(7)),
        (["1", "2", "10"], agg.MEAN, Fraction(13, 3)),
        (["1", "2", "10"], agg.MEDIAN, Fraction(2)),
        (["1", "2", "10"], agg.TRIMMED, Fraction(2)),
        (["10", "1", "3", "2"], agg.MEAN, Fraction(4)),
        (["10", "1", "3", "2"], agg.MEDIAN, Fraction(5, 2)),
        (["10", "1", "3", "2"], agg.TRIMMED, Fraction(5, 2)),
        (["7.5"], agg.TRIMMED, Fraction(15, 2)),
        (["5", "5", "9", "9"], agg.TRIMMED, Fraction(7)),
    ],
)
def test_aggregate_hand_computed(scores, method, expected):
    assert agg.aggregate([D(s) for s in scores], method) == expected


def test_aggregate_trimmed_drops_only_one_highest_and_one_lowest():
    # 2, 2, 2, 9, 9: drop one 2 and one 9 → (2 + 2 + 9) / 3
    assert agg.aggregate([D(x) for x in "22299"], agg.TRIMMED) == Fraction(13, 3)


@pytest.mark.parametrize("method", agg.METHODS)
def test_aggregate_without_scores_is_zero(method):
    assert agg.aggregate([], method) == 0


def test_aggregate_unknown_method_raises():
    with pytest.raises(ValueError):
        agg.aggregate([D("1")], "mode")


# --- rounding --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Fraction(1005, 1000), "1.01"),  # half up, not half even
        (Fraction(1015, 1000), "1.02"),
        (Fraction(1025, 1000), "1.03"),  # banker's rounding would give 1.02
        (Fraction(1, 3), "0.33"),
        (Fraction(2, 3), "0.67"),
        (Fraction(-1005, 1000), "-1.01"),  # halves go away from zero
        (D("7"), "7.00"),
        (0, "0.00"),
    ],
)
def test_round_points_half_up(value, expected):
    assert agg.round_points(value) == D(expected)
    assert str(agg.round_points(value)) == expected


def test_criteria_points_rounded_only_at_the_end():
    # Two criteria of 1/3 each: rounding each first would give 0.33 + 0.33 = 0.66.
    result = agg.rank_schools(
        [school("A", {"x": ["0", "0", "1"], "y": ["0", "0", "1"]})], ["x", "y"], agg.MEAN, 5
    )[0]
    assert result.criteria_points == D("0.67")


def test_mean_of_two_decimals_rounds_half_up():
    result = agg.rank_schools([school("A", {"x": ["1.00", "1.01"]})], ["x"], agg.MEAN, 5)[0]
    assert result.criteria_points == D("1.01")
    assert result.total == D("1.01")


def test_total_computed_exactly_then_rounded():
    # criteria 2/3 (0.666…), bonus 1.00, deductions 0.50 → total 1.1666… → 1.17
    result = agg.rank_schools(
        [school("A", {"x": ["0", "1", "1"]}, bonus=["1"], deductions=["0.5"])],
        ["x"],
        agg.MEAN,
        5,
    )[0]
    assert (result.criteria_points, result.bonus, result.deductions, result.total) == (
        D("0.67"),
        D("1.00"),
        D("0.50"),
        D("1.17"),
    )


# --- bonus cap and deductions -------------------------------------------------------------------


def test_bonus_is_capped_at_the_table_cap():
    result = agg.rank_schools([school("A", bonus=["3", "4"])], [], agg.MEAN, D("5"))[0]
    assert result.bonus == D("5.00")
    assert result.bonus_claimed == D("7.00")
    assert result.bonus_capped is True


def test_bonus_under_the_cap_is_kept():
    result = agg.rank_schools([school("A", bonus=["1.25", "2"])], [], agg.MEAN, D("5"))[0]
    assert result.bonus == D("3.25")
    assert result.bonus_capped is False


def test_bonus_cap_zero_gives_no_bonus():
    result = agg.rank_schools([school("A", bonus=["3"])], [], agg.MEAN, D("0"))[0]
    assert result.bonus == D("0.00")


def test_deductions_are_summed_and_subtracted():
    result = agg.rank_schools(
        [school("A", {"x": ["10"]}, bonus=["2"], deductions=["1.5", "0.25"])],
        ["x"],
        agg.MEAN,
        5,
    )[0]
    assert result.deductions == D("1.75")
    assert result.total == D("10.25")


def test_deductions_can_make_the_total_negative():
    result = agg.rank_schools([school("A", deductions=["3"])], ["x"], agg.MEAN, 5)[0]
    assert result.total == D("-3.00")


def test_missing_criteria_count_zero():
    result = agg.rank_schools([school("A", {"x": ["4"]})], ["x", "y", "z"], agg.MEAN, 5)[0]
    assert result.criteria_points == D("4.00")
    assert result.aggregated == {"x": 4, "y": 0, "z": 0}


def test_scores_of_unlisted_criteria_are_ignored():
    result = agg.rank_schools([school("A", {"x": ["4"], "old": ["9"]})], ["x"], agg.MEAN, 5)[0]
    assert result.criteria_points == D("4.00")


# --- every method on one case --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "expected_totals"),
    [
        # A: x = [2, 4, 9] y = [1, 1, 1]; B: x = [5, 5, 5] y = [0, 2, 4]
        (agg.MEAN, {"A": D("6.00"), "B": D("7.00")}),
        (agg.MEDIAN, {"A": D("5.00"), "B": D("7.00")}),
        (agg.TRIMMED, {"A": D("5.00"), "B": D("7.00")}),
    ],
)
def test_every_method_hand_computed(method, expected_totals):
    schools = [
        school("A", {"x": ["2", "4", "9"], "y": ["1", "1", "1"]}),
        school("B", {"x": ["5", "5", "5"], "y": ["0", "2", "4"]}),
    ]
    results = agg.rank_schools(schools, ["x", "y"], method, 5)
    assert {r.code: r.total for r in results} == expected_totals
    assert [r.code for r in results] == ["B", "A"]


def test_method_changes_the_winner():
    # A: [0, 9, 10] (mean 6.33, median 9); B: [7, 7, 8] (mean 7.33, median 7)
    schools = [school("A", {"x": ["0", "9", "10"]}), school("B", {"x": ["7", "7", "8"]})]
    assert agg.rank_schools(schools, ["x"], agg.MEAN, 5)[0].code == "B"
    assert agg.rank_schools(schools, ["x"], agg.MEDIAN, 5)[0].code == "A"
    assert agg.rank_schools(schools, ["x"], agg.TRIMMED, 5)[0].code == "A"


def test_rank_schools_unknown_method_raises():
    with pytest.raises(ValueError):
        agg.rank_schools([school("A")], [], "best", 5)


# --- ties ----------------------------------------------------------------------------------------


def test_competition_ranks_skip_after_ties():
    assert agg.competition_ranks([D(90), D(85), D(85), D(80)]) == [1, 2, 2, 4]


def test_competition_ranks_in_input_order():
    assert agg.competition_ranks([D(80), D(90), D(85), D(90)]) == [4, 1, 3, 1]


def test_competition_ranks_all_equal():
    assert agg.competition_ranks([D(5)] * 3) == [1, 1, 1]


def test_ties_share_a_rank_and_are_listed_by_code():
    schools = [
        school("DDD", {"x": ["8"]}),
        school("BBB", {"x": ["9"]}),
        school("AAA", {"x": ["9"]}),
        school("CCC", {"x": ["10"]}),
    ]
    results = agg.rank_schools(schools, ["x"], agg.MEAN, 5)
    assert [(r.rank, r.code) for r in results] == [(1, "CCC"), (2, "AAA"), (2, "BBB"), (4, "DDD")]


def test_ties_are_judged_on_rounded_totals():
    # 1.004 and 1.0049… both round to 1.00: a tie, although the exact totals differ.
    schools = [
        school("A", {"x": ["1.00", "1.01", "1.00", "1.01", "1.00"]}),  # 1.004
        school("B", {"x": ["1.00", "1.00", "1.00", "1.01", "1.01", "1.00", "1.00"]}),  # 1.00285…
    ]
    results = agg.rank_schools(schools, ["x"], agg.MEAN, 5)
    assert [r.rank for r in results] == [1, 1]


# --- spread and gaps -----------------------------------------------------------------------------


def test_spread_population_standard_deviation():
    spread = agg.spread([D("6"), D("8")])
    assert (spread.count, spread.minimum, spread.maximum, spread.stdev) == (
        2,
        D("6.00"),
        D("8.00"),
        D("1.00"),
    )


def test_spread_rounds_standard_deviation_half_up():
    # population SD of 1, 2, 3, 4 = sqrt(1.25) = 1.1180…
    assert agg.spread([D(x) for x in "1234"]).stdev == D("1.12")


def test_spread_of_equal_scores_is_zero():
    assert agg.spread([D("5")] * 3).stdev == D("0.00")


def test_spread_without_scores_is_none():
    assert agg.spread([]) is None


def test_gap_flagged_above_threshold():
    gap = agg.self_cross_gap(D("10"), Fraction(7), D("10"), D("10"))
    assert (gap.gap, gap.threshold, gap.flagged) == (D("3.00"), D("1.00"), True)


def test_gap_equal_to_threshold_is_not_flagged():
    assert agg.self_cross_gap(D("8"), Fraction(7), D("10"), D("10")).flagged is False


def test_gap_below_self_flagged_too():
    gap = agg.self_cross_gap(D("2"), Fraction(17, 3), D("10"), D("10"))
    assert gap.gap == D("-3.67")
    assert gap.flagged is True


def test_gap_without_self_score_is_none():
    assert agg.self_cross_gap(None, Fraction(7), D("10"), D("10")) is None


# --- assignments ---------------------------------------------------------------------------------


def test_all_pairs_everyone_scores_every_other():
    pairs = agg.all_pairs(["A", "B", "C", "D"])
    assert len(pairs) == 12
    assert all(scorer != target for scorer, target in pairs)
    assert len(set(pairs)) == 12


def test_rotation_balanced_and_without_reciprocal_pairs():
    schools = [f"S{i}" for i in range(9)]
    pairs = agg.balanced_rotation(schools, 4, "CUM4/2026")
    assert len(pairs) == 36
    assert set(Counter(s for s, _t in pairs).values()) == {4}
    assert set(Counter(t for _s, t in pairs).values()) == {4}
    assert all(s != t for s, t in pairs)
    assert not any((t, s) in set(pairs) for s, t in pairs)


def test_rotation_is_deterministic_for_a_year():
    schools = [f"S{i}" for i in range(9)]
    assert agg.balanced_rotation(schools, 3, "CUM4/2026") == agg.balanced_rotation(
        list(reversed(schools)), 3, "CUM4/2026"
    )


def test_rotation_shuffles_differently_for_another_year():
    schools = [f"S{i}" for i in range(9)]
    assert set(agg.balanced_rotation(schools, 2, "CUM4/2026")) != set(
        agg.balanced_rotation(schools, 2, "CUM4/2025")
    )


def test_rotation_with_maximum_k_is_all_pairs():
    schools = ["A", "B", "C", "D"]
    assert set(agg.balanced_rotation(schools, 3, "x")) == set(agg.all_pairs(schools))


@pytest.mark.parametrize("k", [0, 4])
def test_rotation_refuses_k_out_of_range(k):
    with pytest.raises(ValueError):
        agg.balanced_rotation(["A", "B", "C", "D"], k, "x")
