"""Reads for criteria tables, indicators and pledges, each in a fixed number of queries."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Exists, FilteredRelation, OuterRef, Prefetch, Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from cluster.models import EmulationYear, School
from cluster.selectors import members_of_year

from .models import (
    CriteriaTable,
    Criterion,
    DeductionReason,
    Indicator,
    IndicatorResult,
    Pledge,
    PledgeTarget,
    SelfScore,
    TableReopening,
)

NO_PLEDGE = "none"


# --- criteria tables -------------------------------------------------------------------------


@dataclass
class GroupBlock:
    group: Criterion
    criteria: list[Criterion] = field(default_factory=list)

    @property
    def max_points(self) -> Decimal:
        return sum((c.max_points or Decimal("0") for c in self.criteria), Decimal("0"))


@dataclass
class TablePage:
    table: CriteriaTable | None
    groups: list[GroupBlock]
    deductions: list[DeductionReason]
    has_scores: bool
    reopening: TableReopening | None
    affected_schools: list[School]

    @property
    def total(self) -> Decimal:
        return sum((g.max_points for g in self.groups), Decimal("0"))

    @property
    def criteria_count(self) -> int:
        return sum(len(g.criteria) for g in self.groups)

    @property
    def locked(self) -> bool:
        return self.has_scores and self.table is not None and not self.table.reopened

    @property
    def reopened(self) -> bool:
        return self.table is not None and self.table.reopened


def group_blocks(criteria: Iterable[Criterion]) -> list[GroupBlock]:
    """Groups in order, each with its criteria in order (one pass over loaded rows)."""
    criteria = list(criteria)
    blocks = {
        c.pk: GroupBlock(group=c)
        for c in sorted((c for c in criteria if c.is_group), key=lambda c: (c.order, c.code))
    }
    for criterion in sorted(criteria, key=lambda c: (c.order, c.code)):
        if not criterion.is_group and criterion.parent_id in blocks:
            blocks[criterion.parent_id].criteria.append(criterion)
    return list(blocks.values())


def criteria_table_page(year: EmulationYear) -> TablePage:
    """The year's table with its groups, deductions, lock state and latest reopening."""
    table = (
        CriteriaTable.objects.filter(year=year)
        .annotate(
            scored=Exists(
                SelfScore.objects.filter(criterion__table=OuterRef("pk"), points__isnull=False)
            )
        )
        .prefetch_related(
            Prefetch("criteria", queryset=Criterion.objects.order_by("order", "code")),
            Prefetch("deduction_reasons", queryset=DeductionReason.objects.order_by("order")),
        )
        .first()
    )
    if table is None:
        return TablePage(None, [], [], False, None, [])
    reopening = None
    affected: list[School] = []
    if table.reopened:
        reopening = (
            TableReopening.objects.filter(table=table)
            .select_related("reopened_by")
            .prefetch_related(
                Prefetch("affected_schools", queryset=School.objects.order_by("code"))
            )
            .first()
        )
        affected = list(reopening.affected_schools.all()) if reopening else []
    return TablePage(
        table=table,
        groups=group_blocks(table.criteria.all()),
        deductions=list(table.deduction_reasons.all()),
        has_scores=table.scored,
        reopening=reopening,
        affected_schools=affected,
    )


def previous_year_with_table(year: EmulationYear) -> EmulationYear | None:
    """The latest earlier year of the cluster that has a criteria table (to copy from)."""
    return (
        EmulationYear.objects.filter(
            cluster_id=year.cluster_id, start_date__lt=year.start_date, criteria_table__isnull=False
        )
        .order_by("-start_date")
        .first()
    )


# --- indicators ------------------------------------------------------------------------------


def indicators_of_year(year: EmulationYear) -> QuerySet[Indicator]:
    """The year's indicators in order, each with ``is_used`` (a school entered a figure)."""
    return (
        Indicator.objects.filter(year=year)
        .annotate(
            is_used=Exists(
                PledgeTarget.objects.filter(indicator=OuterRef("pk"), target__isnull=False)
            )
            | Exists(IndicatorResult.objects.filter(indicator=OuterRef("pk"), actual__isnull=False))
        )
        .order_by("order", "code")
    )


# --- pledges ---------------------------------------------------------------------------------


def pledge_status_by_school(year: EmulationYear) -> dict[int, Pledge | None]:
    """Every member school of ``year`` → its pledge (None when it has not started one).

    One query: the members LEFT JOIN their pledge of the year. The pledges carry their own
    fields only (no related objects loaded)."""
    fields = [f.attname for f in Pledge._meta.concrete_fields]
    rows = (
        members_of_year(year)
        .annotate(year_pledge=FilteredRelation("pledges", condition=Q(pledges__year=year)))
        .values_list("pk", *[f"year_pledge__{name}" for name in fields])
    )
    result: dict[int, Pledge | None] = {}
    for school_id, *values in rows:
        if values[0] is None:
            result[school_id] = None
        else:
            result[school_id] = Pledge.from_db("default", fields, values)
    return result


def members_with_pledge_status(year: EmulationYear) -> QuerySet[School]:
    """Member schools annotated with ``pledge_status`` (``none`` without a pledge)."""
    return members_of_year(year).annotate(
        pledge_status=Coalesce(
            Pledge.objects.filter(year=year, school=OuterRef("pk")).values("status")[:1],
            Value(NO_PLEDGE),
        )
    )


def pledge_for_page(pk: int) -> Pledge:
    return Pledge.objects.select_related(
        "year__cluster", "school", "submitted_by", "reviewed_by"
    ).get(pk=pk)


def targets_by_indicator(pledge: Pledge) -> dict[int, PledgeTarget]:
    return {t.indicator_id: t for t in PledgeTarget.objects.filter(pledge=pledge)}


@dataclass
class CovenantColumn:
    school: School
    pledge: Pledge | None
    visible: bool
    linked: bool = False
    targets: dict[int, Decimal | None] = field(default_factory=dict)

    @property
    def status_label(self) -> str:
        return self.pledge.get_status_display() if self.pledge else _("Not started")


@dataclass
class CovenantRow:
    indicator: Indicator
    values: list[Decimal | None]


@dataclass
class Covenant:
    year: EmulationYear
    indicators: list[Indicator]
    columns: list[CovenantColumn]

    @property
    def rows(self) -> list[CovenantRow]:
        return [
            CovenantRow(
                indicator=indicator,
                values=[
                    column.targets.get(indicator.pk) if column.visible else None
                    for column in self.columns
                ],
            )
            for indicator in self.indicators
        ]

    @property
    def visible_columns(self) -> list[CovenantColumn]:
        return [c for c in self.columns if c.visible]


def covenant(
    year: EmulationYear,
    *,
    schools: Iterable[School] | None = None,
    can_see: Callable[[Pledge], bool],
    can_open: Callable[[Pledge], bool] | None = None,
) -> Covenant:
    """The side-by-side covenant of ``year``: one column per member school (or per school
    of ``schools``, e.g. filtered), with the targets of the pledges ``can_see`` allows;
    ``can_open`` says whether the column links to the pledge's page.
    Four queries whatever the number of schools and indicators."""
    schools = list(schools if schools is not None else members_of_year(year))
    indicators = list(Indicator.objects.filter(year=year).order_by("order", "code"))
    pledges = {
        p.school_id: p
        for p in Pledge.objects.filter(year=year, school__in=[s.pk for s in schools])
        .select_related("year__cluster")
        .prefetch_related("targets")
    }
    columns = []
    for school in schools:
        pledge = pledges.get(school.pk)
        visible = pledge is not None and can_see(pledge)
        linked = pledge is not None and (can_open(pledge) if can_open else visible)
        targets = {t.indicator_id: t.target for t in pledge.targets.all()} if visible else {}
        columns.append(
            CovenantColumn(
                school=school, pledge=pledge, visible=visible, linked=linked, targets=targets
            )
        )
    return Covenant(year=year, indicators=indicators, columns=columns)
