"""Property-based tests (hypothesis) of the aggregation, ranking and rotation."""

from __future__ import annotations

from collections import Counter
from decimal import ROUND_HALF_UP, Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evaluations import aggregation as agg
from evaluations.aggregation import SchoolInput

# No deadline: the suite runs in parallel on busy machines; correctness is what is tested.
relaxed = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])

points = st.decimals(min_value=0, max_value=100, places=2, allow_nan=False, allow_infinity=False)
score_lists = st.lists(points, min_size=0, max_size=12)
methods = st.sampled_from(agg.METHODS)


@st.composite
def members(draw):
    count = draw(st.integers(min_value=1, max_value=12))
    criteria = [f"c{i}" for i in range(draw(st.integers(min_value=0, max_value=5)))]
    schools = []
    for index in range(count):
        scores = {c: draw(st.lists(points, max_size=5)) for c in criteria}
        schools.append(
            SchoolInput(
                key=index,
                code=f"S{index:02d}",
                name=f"Trường {index}",
                cross_scores=scores,
                approved_bonus=draw(st.lists(points, max_size=3)),
                approved_deductions=draw(st.lists(points, max_size=3)),
            )
        )
    cap = draw(points)
    return schools, criteria, cap


@relaxed
@given(members(), methods)
def test_ranking_is_a_permutation_of_the_members(data, method):
    schools, criteria, cap = data
    results = agg.rank_schools(schools, criteria, method, cap)
    assert sorted(r.key for r in results) == sorted(s.key for s in schools)


@relaxed
@given(members(), methods)
def test_rank_is_one_plus_the_number_of_better_totals(data, method):
    schools, criteria, cap = data
    results = agg.rank_schools(schools, criteria, method, cap)
    totals = [r.total for r in results]
    for result in results:
        assert result.rank == 1 + sum(1 for t in totals if t > result.total)
    assert totals == sorted(totals, reverse=True)


@relaxed
@given(members(), methods)
def test_bonus_never_exceeds_the_cap(data, method):
    schools, criteria, cap = data
    for result in agg.rank_schools(schools, criteria, method, cap):
        assert result.bonus <= cap
        assert result.bonus == min(result.bonus_claimed, agg.round_points(cap))


@relaxed
@given(st.lists(points, max_size=2))
def test_trimmed_equals_mean_for_fewer_than_three_scores(scores):
    assert agg.aggregate(scores, agg.TRIMMED) == agg.aggregate(scores, agg.MEAN)


@relaxed
@given(st.lists(points, min_size=1, max_size=12), methods)
def test_aggregate_lies_between_min_and_max(scores, method):
    value = agg.aggregate(scores, method)
    assert min(scores) <= value <= max(scores)


@relaxed
@given(st.lists(points, min_size=1, max_size=12))
def test_aggregate_does_not_depend_on_order(scores):
    for method in agg.METHODS:
        assert agg.aggregate(scores, method) == agg.aggregate(list(reversed(scores)), method)


@relaxed
@given(st.decimals(min_value=-1000, max_value=1000, places=4, allow_nan=False))
def test_round_points_matches_decimal_half_up(value):
    assert agg.round_points(value) == value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@st.composite
def rotations(draw):
    n = draw(st.integers(min_value=3, max_value=25))
    k = draw(st.integers(min_value=1, max_value=(n - 1) // 2))  # 2k < n
    seed = draw(st.text(min_size=1, max_size=10))
    return [f"S{i:02d}" for i in range(n)], k, seed


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rotations())
def test_rotation_every_school_scores_and_is_scored_k_times(data):
    schools, k, seed = data
    pairs = agg.balanced_rotation(schools, k, seed)
    assert Counter(s for s, _ in pairs) == dict.fromkeys(schools, k)
    assert Counter(t for _, t in pairs) == dict.fromkeys(schools, k)
    assert len(set(pairs)) == len(pairs)
    assert all(s != t for s, t in pairs)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rotations())
def test_rotation_has_no_reciprocal_pair_when_2k_below_n(data):
    schools, k, seed = data
    pairs = set(agg.balanced_rotation(schools, k, seed))
    assert not any((t, s) in pairs for s, t in pairs)
