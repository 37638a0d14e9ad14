"""Pure functions of cross-scoring: aggregation, ranking, spreads, gaps and assignment rotation.

No database access here: selectors load the numbers, these functions compute. The rules are
the contract of the cross-scoring issue:

- per target school and criterion the cross scores are aggregated by the year's method:
  ``mean``, ``median`` or ``trimmed`` (drop one highest and one lowest score when there are
  at least three, else the mean); a criterion without any cross score counts 0;
- criteria_points = sum over criteria of the aggregated score; bonus = the approved bonus,
  capped at the table's bonus cap; deductions = the sum of approved deductions;
  total = criteria_points + bonus − deductions;
- everything is computed exactly (``fractions.Fraction``) and each of criteria_points, bonus,
  deductions and total is rounded to 2 decimal places, half up (``ROUND_HALF_UP``: halves go
  away from zero), only at the end;
- schools are ranked by the rounded total, descending; equal totals share a rank and the
  next rank skips (1, 2, 2, 4). Within a tie, schools are listed by code.
"""

from __future__ import annotations

import random
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction

MEAN = "mean"
MEDIAN = "median"
TRIMMED = "trimmed"
METHODS = (MEAN, MEDIAN, TRIMMED)

TWO_PLACES = Decimal("0.01")
ZERO = Fraction(0)

Number = Decimal | int | Fraction


def _exact(value: Number) -> Fraction:
    return value if isinstance(value, Fraction) else Fraction(value)


def round_points(value: Number) -> Decimal:
    """``value`` rounded to two decimal places, half up (away from zero), computed exactly."""
    exact = _exact(value)
    sign = -1 if exact < 0 else 1
    hundredths = abs(exact) * 100
    # floor(x + 1/2) for x >= 0 is rounding half up; the sign is put back afterwards.
    whole = (hundredths.numerator * 2 + hundredths.denominator) // (hundredths.denominator * 2)
    return (Decimal(sign * whole) / 100).quantize(TWO_PLACES)


def aggregate(scores: Sequence[Number], method: str) -> Fraction:
    """The aggregated cross score of one criterion for one school (exact). 0 when empty."""
    values = sorted(_exact(score) for score in scores)
    if not values:
        return ZERO
    if method == MEAN:
        return sum(values, ZERO) / len(values)
    if method == MEDIAN:
        middle = len(values) // 2
        if len(values) % 2:
            return values[middle]
        return (values[middle - 1] + values[middle]) / 2
    if method == TRIMMED:
        if len(values) >= 3:
            values = values[1:-1]
        return sum(values, ZERO) / len(values)
    raise ValueError(f"Unknown aggregation method: {method!r}")


def competition_ranks(totals: Sequence[Decimal]) -> list[int]:
    """Standard competition ranks ("1224") of ``totals``, highest first, in input order."""
    ordered = sorted(totals, reverse=True)
    first_position: dict[Decimal, int] = {}
    for position, total in enumerate(ordered, start=1):
        first_position.setdefault(total, position)
    return [first_position[total] for total in totals]


@dataclass(frozen=True)
class SchoolInput:
    """What the ranking needs about one member school."""

    key: Hashable  # the school's id
    code: str
    name: str
    # criterion key -> the submitted cross scores of that criterion (any order)
    cross_scores: Mapping[Hashable, Sequence[Number]] = field(default_factory=dict)
    approved_bonus: Sequence[Number] = ()
    approved_deductions: Sequence[Number] = ()


@dataclass(frozen=True)
class SchoolResult:
    key: Hashable
    code: str
    name: str
    rank: int
    criteria_points: Decimal
    bonus: Decimal
    deductions: Decimal
    total: Decimal
    aggregated: dict  # criterion key -> exact aggregated score (Fraction)
    bonus_claimed: Decimal  # approved bonus before the cap (rounded)

    @property
    def bonus_capped(self) -> bool:
        return self.bonus_claimed > self.bonus


def score_school(
    school: SchoolInput, criteria: Iterable[Hashable], method: str, bonus_cap: Number
) -> tuple[Fraction, Fraction, Fraction, dict, Fraction]:
    """Exact (criteria_points, bonus, deductions, aggregated per criterion, uncapped bonus)."""
    aggregated = {key: aggregate(school.cross_scores.get(key, ()), method) for key in criteria}
    criteria_points = sum(aggregated.values(), ZERO)
    uncapped = sum((_exact(v) for v in school.approved_bonus), ZERO)
    bonus = min(uncapped, _exact(bonus_cap))
    deductions = sum((_exact(v) for v in school.approved_deductions), ZERO)
    return criteria_points, bonus, deductions, aggregated, uncapped


def rank_schools(
    schools: Iterable[SchoolInput],
    criteria: Sequence[Hashable],
    method: str,
    bonus_cap: Number,
) -> list[SchoolResult]:
    """Every school with its rounded points and rank, in rank order (ties by code)."""
    if method not in METHODS:
        raise ValueError(f"Unknown aggregation method: {method!r}")
    computed = []
    for school in schools:
        points, bonus, deductions, aggregated, uncapped = score_school(
            school, criteria, method, bonus_cap
        )
        total = points + bonus - deductions
        computed.append(
            (
                school,
                round_points(points),
                round_points(bonus),
                round_points(deductions),
                round_points(total),
                aggregated,
                round_points(uncapped),
            )
        )
    ranks = competition_ranks([row[4] for row in computed])
    results = [
        SchoolResult(
            key=school.key,
            code=school.code,
            name=school.name,
            rank=rank,
            criteria_points=points,
            bonus=bonus,
            deductions=deductions,
            total=total,
            aggregated=aggregated,
            bonus_claimed=uncapped,
        )
        for (school, points, bonus, deductions, total, aggregated, uncapped), rank in zip(
            computed, ranks, strict=True
        )
    ]
    results.sort(key=lambda r: (r.rank, r.code))
    return results


@dataclass(frozen=True)
class Spread:
    count: int
    minimum: Decimal
    maximum: Decimal
    stdev: Decimal  # population standard deviation, rounded to 2 places


def spread(scores: Sequence[Number]) -> Spread | None:
    """Min, max and (population) standard deviation of a criterion's cross scores."""
    values = [_exact(score) for score in scores]
    if not values:
        return None
    mean = sum(values, ZERO) / len(values)
    variance = sum(((v - mean) ** 2 for v in values), ZERO) / len(values)
    with localcontext() as context:
        context.prec = 40
        root = (Decimal(variance.numerator) / Decimal(variance.denominator)).sqrt()
        stdev = root.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)
    return Spread(
        count=len(values),
        minimum=round_points(min(values)),
        maximum=round_points(max(values)),
        stdev=stdev,
    )


@dataclass(frozen=True)
class Gap:
    self_score: Decimal
    cross: Decimal  # the aggregated cross score, rounded
    gap: Decimal  # self − cross, rounded
    threshold: Decimal  # in points
    flagged: bool


def self_cross_gap(
    self_score: Number | None,
    cross: Number,
    max_points: Number | None,
    threshold_percent: Number,
) -> Gap | None:
    """Gap between a self-score and the aggregated cross score; flagged when its size is
    above ``threshold_percent`` % of the criterion's maximum. None without a self-score."""
    if self_score is None:
        return None
    exact_gap = _exact(self_score) - _exact(cross)
    threshold = _exact(max_points or 0) * _exact(threshold_percent) / 100
    return Gap(
        self_score=round_points(self_score),
        cross=round_points(cross),
        gap=round_points(exact_gap),
        threshold=round_points(threshold),
        flagged=abs(exact_gap) > threshold,
    )


# --- assignments ---------------------------------------------------------------------------


def all_pairs(schools: Sequence[Hashable]) -> list[tuple[Hashable, Hashable]]:
    """Every member scores every other member: (scorer, target) pairs."""
    return [(scorer, target) for target in schools for scorer in schools if scorer != target]


def balanced_rotation(
    schools: Sequence[Hashable], k: int, seed: str
) -> list[tuple[Hashable, Hashable]]:
    """Each school scored by ``k`` others in a balanced rotation: (scorer, target) pairs.

    The schools are shuffled deterministically (``random.Random(seed)``, the seed naming the
    year), then target i is scored by schools i+1 … i+k (mod n). Every school scores and is
    scored exactly k times, nobody scores itself, and when 2k < n no pair scores each other
    (A→B and B→A would need offsets d and n−d both within 1…k).
    """
    n = len(schools)
    if not 1 <= k <= n - 1:
        raise ValueError(f"k must be between 1 and {n - 1}")
    order = sorted(schools, key=str)
    random.Random(seed).shuffle(order)
    return [(order[(i + offset) % n], order[i]) for i in range(n) for offset in range(1, k + 1)]
