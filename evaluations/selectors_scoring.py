"""Reads of cross-scoring: the year's numbers in a fixed number of queries, the results
computed from them (evaluations.aggregation), the progress matrix and the scoring form.

``load_year_data`` fetches everything the ranking needs in nine queries whatever the number
of schools and criteria (the cross scores in one fetch); ``compute_results`` then works in
memory.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Count, Q, QuerySet

from cluster.enums import PhaseKind
from cluster.models import EmulationYear, Phase, School
from cluster.selectors import members_of_year

from . import aggregation
from .enums import AssignmentStatus, ObjectionStatus, ResultsStage, SubmissionStatus
from .models import (
    AnnualReport,
    Assignment,
    BonusClaim,
    CriteriaTable,
    Criterion,
    CrossScore,
    DeclaredDeduction,
    Evidence,
    ImposedDeduction,
    Objection,
    ResultRow,
    ScoringSettings,
    SelfScore,
)

#: Reports whose self-scores and evidence the scorers read.
VISIBLE_REPORT_STATUSES = (SubmissionStatus.SUBMITTED, SubmissionStatus.ACCEPTED)


# --- years and settings ----------------------------------------------------------------------


def year_for_scoring(code: str, label: str) -> EmulationYear:
    """The year of cluster ``code`` labelled ``label``, with its cluster and scoring settings
    (raises EmulationYear.DoesNotExist)."""
    return EmulationYear.objects.select_related("cluster", "scoring").get(
        cluster__code=code, label=label
    )


def scoring_settings_of(year: EmulationYear, *, fresh: bool = False) -> ScoringSettings:
    """The year's settings, or unsaved defaults when the secretariat has not set them yet.
    ``fresh`` reads the database instead of what the year object may have cached."""
    if fresh:
        settings = ScoringSettings.objects.filter(year_id=year.pk).first()
        return settings or ScoringSettings(year_id=year.pk)
    try:
        return year.scoring
    except ObjectDoesNotExist:
        return ScoringSettings(year_id=year.pk)


def criteria_of_year(year: EmulationYear) -> tuple[CriteriaTable | None, list, list]:
    """(table, groups, scored criteria) in table order: groups by (order, code), criteria by
    their group's order then their own. Two queries."""
    table = CriteriaTable.objects.filter(year=year).first()
    if table is None:
        return None, [], []
    rows = list(Criterion.objects.filter(table=table).order_by("order", "code"))
    groups = [c for c in rows if c.parent_id is None]
    group_position = {g.pk: index for index, g in enumerate(groups)}
    by_id = {c.pk: c for c in rows}
    scored = [c for c in rows if c.parent_id is not None]
    for criterion in scored:
        # Attach the (already loaded) group without another query.
        criterion.parent = by_id.get(criterion.parent_id)
    scored.sort(key=lambda c: (group_position.get(c.parent_id, 10**6), c.order, c.code))
    return table, groups, scored


# --- the year's numbers -------------------------------------------------------------------------


@dataclass
class ScoreCell:
    target_id: int
    scorer_id: int
    criterion_id: int
    points: Decimal


@dataclass
class YearData:
    """Everything the ranking, spreads and gaps need about one year."""

    year: EmulationYear
    settings: ScoringSettings
    members: list[School]
    table: CriteriaTable | None
    groups: list[Criterion]
    criteria: list[Criterion]  # scored criteria, table order
    cells: list[ScoreCell]  # submitted cross scores only
    self_scores: dict[tuple[int, int], Decimal]
    report_status: dict[int, str]
    approved_bonus: dict[int, list[Decimal]]
    approved_deductions: dict[int, list[Decimal]]
    schools_by_id: dict[int, School] = field(default_factory=dict)

    @property
    def bonus_cap(self) -> Decimal:
        return self.table.bonus_cap if self.table else Decimal("0")

    def scores_of(self, target_id: int) -> dict[int, list[Decimal]]:
        scores: dict[int, list[Decimal]] = defaultdict(list)
        for cell in self.cells:
            if cell.target_id == target_id:
                scores[cell.criterion_id].append(cell.points)
        return scores

    def inputs(self) -> list[aggregation.SchoolInput]:
        per_target: dict[int, dict[int, list[Decimal]]] = defaultdict(lambda: defaultdict(list))
        for cell in self.cells:
            per_target[cell.target_id][cell.criterion_id].append(cell.points)
        return [
            aggregation.SchoolInput(
                key=school.pk,
                code=school.code,
                name=school.name,
                cross_scores=per_target.get(school.pk, {}),
                approved_bonus=self.approved_bonus.get(school.pk, []),
                approved_deductions=self.approved_deductions.get(school.pk, []),
            )
            for school in self.members
        ]


def load_year_data(year: EmulationYear, settings: ScoringSettings | None = None) -> YearData:
    """The year's members, criteria, submitted cross scores, self-scores and approved bonus
    and deductions, in a fixed number of queries."""
    settings = settings or scoring_settings_of(year, fresh=True)
    members = list(members_of_year(year))
    member_ids = {school.pk for school in members}
    table, groups, criteria = criteria_of_year(year)
    criterion_ids = {c.pk for c in criteria}
    cells = [
        ScoreCell(target_id=target, scorer_id=scorer, criterion_id=criterion, points=points)
        for target, scorer, criterion, points in CrossScore.objects.filter(
            assignment__year=year,
            assignment__status=AssignmentStatus.SUBMITTED,
            points__isnull=False,
        ).values_list("assignment__target_id", "assignment__scorer_id", "criterion_id", "points")
        if target in member_ids and criterion in criterion_ids
    ]
    report_status = dict(AnnualReport.objects.filter(year=year).values_list("school_id", "status"))
    self_scores = {
        (school_id, criterion_id): points
        for school_id, criterion_id, points in SelfScore.objects.filter(
            report__year=year,
            report__status__in=VISIBLE_REPORT_STATUSES,
            points__isnull=False,
        ).values_list("report__school_id", "criterion_id", "points")
    }
    approved_bonus: dict[int, list[Decimal]] = defaultdict(list)
    for school_id, points in BonusClaim.objects.filter(
        report__year=year, approved_points__isnull=False
    ).values_list("report__school_id", "approved_points"):
        approved_bonus[school_id].append(points)
    approved_deductions: dict[int, list[Decimal]] = defaultdict(list)
    for school_id, points in DeclaredDeduction.objects.filter(
        report__year=year, approved_points__isnull=False
    ).values_list("report__school_id", "approved_points"):
        approved_deductions[school_id].append(points)
    for school_id, points in ImposedDeduction.objects.filter(year=year).values_list(
        "school_id", "points"
    ):
        approved_deductions[school_id].append(points)
    return YearData(
        year=year,
        settings=settings,
        members=members,
        table=table,
        groups=groups,
        criteria=criteria,
        cells=cells,
        self_scores=self_scores,
        report_status=report_status,
        approved_bonus=dict(approved_bonus),
        approved_deductions=dict(approved_deductions),
        schools_by_id={school.pk: school for school in members},
    )


# --- results ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RankingLine:
    """One line of the ranking as exported (CSV, the fingerprint) and shown."""

    rank: int
    school_id: int
    school_code: str
    school_name: str
    criteria_points: Decimal
    bonus: Decimal
    deductions: Decimal
    total: Decimal
    bonus_capped: bool = False


@dataclass
class CriterionDetail:
    criterion: Criterion
    aggregated: Decimal
    spread: aggregation.Spread | None
    gap: aggregation.Gap | None
    scores: list[tuple[School, Decimal]]  # by scorer (shown only to who may see them)


@dataclass
class SchoolDetail:
    school: School
    line: RankingLine
    has_report: bool
    missing_criteria: int  # criteria without any cross score (counted 0)
    criteria: list[CriterionDetail]
    flagged_gaps: int


@dataclass
class StabilityRow:
    school: School
    ranks: dict[str, int]
    changes: bool


@dataclass
class Results:
    data: YearData
    method: str
    lines: list[RankingLine]
    details: list[SchoolDetail]
    stability: list[StabilityRow]
    from_frozen_snapshot: bool

    @property
    def any_rank_changes(self) -> bool:
        return any(row.changes for row in self.stability)


def _lines_from_results(results: list[aggregation.SchoolResult]) -> list[RankingLine]:
    return [
        RankingLine(
            rank=r.rank,
            school_id=r.key,
            school_code=r.code,
            school_name=r.name,
            criteria_points=r.criteria_points,
            bonus=r.bonus,
            deductions=r.deductions,
            total=r.total,
            bonus_capped=r.bonus_capped,
        )
        for r in results
    ]


def frozen_lines(year: EmulationYear) -> list[RankingLine]:
    """The stored snapshot of a frozen year, in rank order (one query)."""
    return [
        RankingLine(
            rank=row.rank,
            school_id=row.school_id,
            school_code=row.school_code,
            school_name=row.school_name,
            criteria_points=row.criteria_points,
            bonus=row.bonus,
            deductions=row.deductions,
            total=row.total,
        )
        for row in ResultRow.objects.filter(year=year).order_by("rank", "school_code")
    ]


def compute_lines(data: YearData, method: str) -> list[RankingLine]:
    """The ranking of every member under ``method``, computed from the scores."""
    criterion_ids = [c.pk for c in data.criteria]
    return _lines_from_results(
        aggregation.rank_schools(data.inputs(), criterion_ids, method, data.bonus_cap)
    )


def ranking_lines(year: EmulationYear, method: str | None = None) -> list[RankingLine]:
    """The ranking as exported: the frozen snapshot when the year is frozen and ``method`` is
    the year's, else computed now. Used by the web export and ``export_ranking`` alike."""
    settings = scoring_settings_of(year, fresh=True)
    method = method or settings.method
    if settings.stage == ResultsStage.FROZEN and method == settings.method:
        return frozen_lines(year)
    return compute_lines(load_year_data(year, settings), method)


def compute_results(year: EmulationYear, method: str | None = None) -> Results:
    """Ranking, per-criterion spreads and gaps, and the rank-stability panel."""
    data = load_year_data(year)
    settings = data.settings
    method = method or settings.method
    criterion_ids = [c.pk for c in data.criteria]
    inputs = data.inputs()
    by_method = {
        m: aggregation.rank_schools(inputs, criterion_ids, m, data.bonus_cap)
        for m in aggregation.METHODS
    }
    computed = by_method[method]
    snapshot = settings.stage == ResultsStage.FROZEN and method == settings.method
    lines = frozen_lines(year) if snapshot else _lines_from_results(computed)
    if snapshot:
        capped = {r.key: r.bonus_capped for r in computed}
        lines = [replace(line, bonus_capped=capped.get(line.school_id, False)) for line in lines]
    computed_by_key = {r.key: r for r in computed}

    scores_by_target: dict[int, dict[int, list[tuple[int, Decimal]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for cell in data.cells:
        scores_by_target[cell.target_id][cell.criterion_id].append((cell.scorer_id, cell.points))
    threshold = settings.gap_threshold_percent
    schools = data.schools_by_id
    details = []
    for line in lines:
        school = schools.get(line.school_id)
        result = computed_by_key.get(line.school_id)
        if school is None or result is None:
            continue
        per_criterion = scores_by_target.get(school.pk, {})
        criteria_details = []
        for criterion in data.criteria:
            scored = sorted(
                per_criterion.get(criterion.pk, []),
                key=lambda item: schools[item[0]].code if item[0] in schools else "",
            )
            points = [p for _, p in scored]
            exact = result.aggregated.get(criterion.pk, aggregation.ZERO)
            criteria_details.append(
                CriterionDetail(
                    criterion=criterion,
                    aggregated=aggregation.round_points(exact),
                    spread=aggregation.spread(points),
                    gap=aggregation.self_cross_gap(
                        data.self_scores.get((school.pk, criterion.pk)),
                        exact,
                        criterion.max_points,
                        threshold,
                    ),
                    scores=[(schools[s], p) for s, p in scored if s in schools],
                )
            )
        details.append(
            SchoolDetail(
                school=school,
                line=line,
                has_report=data.report_status.get(school.pk) in VISIBLE_REPORT_STATUSES,
                missing_criteria=sum(1 for d in criteria_details if d.spread is None),
                criteria=criteria_details,
                flagged_gaps=sum(1 for d in criteria_details if d.gap and d.gap.flagged),
            )
        )
    ranks = {m: {r.key: r.rank for r in results} for m, results in by_method.items()}
    stability = []
    for line in lines:
        school = schools.get(line.school_id)
        if school is None:
            continue
        school_ranks = {m: ranks[m].get(school.pk) for m in aggregation.METHODS}
        stability.append(
            StabilityRow(
                school=school,
                ranks=school_ranks,
                changes=len(set(school_ranks.values())) > 1,
            )
        )
    return Results(
        data=data,
        method=method,
        lines=lines,
        details=details,
        stability=stability,
        from_frozen_snapshot=snapshot,
    )


# --- progress ----------------------------------------------------------------------------------


class CellState:
    NONE = "none"  # no assignment (or the school itself)
    NOT_STARTED = "not_started"
    DRAFT = "draft"
    SUBMITTED = "submitted"
    LATE = "late"  # submitted after the deadline


@dataclass
class MatrixCell:
    target: School
    assignment: Assignment | None
    state: str
    conflict: bool = False


@dataclass
class MatrixRow:
    scorer: School
    cells: list[MatrixCell]
    assigned: int
    submitted: int

    @property
    def done(self) -> bool:
        return self.assigned == self.submitted


@dataclass
class ProgressMatrix:
    members: list[School]
    rows: list[MatrixRow]
    phase: Phase | None
    total: int
    submitted: int
    conflicts: list[Assignment]

    @property
    def not_done(self) -> list[School]:
        return [row.scorer for row in self.rows if row.assigned and not row.done]


def _cell_state(assignment: Assignment | None) -> str:
    if assignment is None:
        return CellState.NONE
    if assignment.status == AssignmentStatus.SUBMITTED:
        return CellState.LATE if assignment.is_late else CellState.SUBMITTED
    if assignment.status == AssignmentStatus.DRAFT:
        return CellState.DRAFT
    return CellState.NOT_STARTED


def progress_matrix(year: EmulationYear) -> ProgressMatrix:
    """Scorer × target statuses of the year's assignments (three queries)."""
    members = list(members_of_year(year))
    assignments = list(Assignment.objects.filter(year=year).select_related("scorer", "target"))
    by_pair = {(a.scorer_id, a.target_id): a for a in assignments}
    rows = []
    for scorer in members:
        cells = []
        for target in members:
            assignment = by_pair.get((scorer.pk, target.pk))
            cells.append(
                MatrixCell(
                    target=target,
                    assignment=assignment,
                    state=_cell_state(assignment),
                    conflict=bool(assignment and assignment.conflict_declared),
                )
            )
        own = [a for a in assignments if a.scorer_id == scorer.pk]
        rows.append(
            MatrixRow(
                scorer=scorer,
                cells=cells,
                assigned=len(own),
                submitted=sum(1 for a in own if a.status == AssignmentStatus.SUBMITTED),
            )
        )
    return ProgressMatrix(
        members=members,
        rows=rows,
        phase=Phase.objects.filter(year=year, kind=PhaseKind.CROSS_SCORING).first(),
        total=len(assignments),
        submitted=sum(1 for a in assignments if a.status == AssignmentStatus.SUBMITTED),
        conflicts=[a for a in assignments if a.conflict_declared],
    )


def assignments_of_year(year: EmulationYear) -> QuerySet[Assignment]:
    return Assignment.objects.filter(year=year).select_related("scorer", "target")


# --- a representative's work ---------------------------------------------------------------------


@dataclass
class TargetRow:
    assignment: Assignment
    report: AnnualReport | None
    scored: int  # criteria with a score

    @property
    def report_visible(self) -> bool:
        return self.report is not None and self.report.status in VISIBLE_REPORT_STATUSES


def targets_of_scorer(year: EmulationYear, school: School) -> list[TargetRow]:
    """The school's assignments in ``year`` with each target's report (three queries)."""
    assignments = list(
        Assignment.objects.filter(year=year, scorer=school)
        .select_related("target")
        .annotate(scored=Count("scores", filter=Q(scores__points__isnull=False)))
        .order_by("target__code")
    )
    reports = {
        r.school_id: r
        for r in AnnualReport.objects.filter(
            year=year, school_id__in=[a.target_id for a in assignments]
        )
    }
    return [
        TargetRow(assignment=a, report=reports.get(a.target_id), scored=a.scored)
        for a in assignments
    ]


@dataclass
class FormRow:
    criterion: Criterion
    self_score: SelfScore | None
    evidence: list[Evidence]
    cross: CrossScore | None


@dataclass
class AssignmentSheet:
    assignment: Assignment
    report: AnnualReport | None
    groups: list[Criterion]
    rows: list[FormRow]

    @property
    def report_visible(self) -> bool:
        return self.report is not None and self.report.status in VISIBLE_REPORT_STATUSES


def assignment_with_year(pk: int) -> Assignment:
    """An assignment with its year, cluster, settings, scorer and target (one query)."""
    return Assignment.objects.select_related(
        "year", "year__cluster", "year__scoring", "scorer", "target"
    ).get(pk=pk)


def assignment_sheet(assignment: Assignment) -> AssignmentSheet:
    """The scoring form's data: every criterion with the target's self-score, explanation
    and evidence (when its report is submitted) and this assignment's score. Six queries,
    whatever the number of criteria."""
    year = assignment.year
    _table, groups, criteria = criteria_of_year(year)
    report = AnnualReport.objects.filter(year=year, school_id=assignment.target_id).first()
    self_scores: dict[int, SelfScore] = {}
    evidence: dict[int, list[Evidence]] = defaultdict(list)
    if report is not None and report.status in VISIBLE_REPORT_STATUSES:
        self_scores = {s.criterion_id: s for s in SelfScore.objects.filter(report=report)}
        for item in Evidence.objects.filter(report=report, criterion__isnull=False):
            evidence[item.criterion_id].append(item)
    cross = {s.criterion_id: s for s in CrossScore.objects.filter(assignment=assignment)}
    rows = [
        FormRow(
            criterion=c,
            self_score=self_scores.get(c.pk),
            evidence=evidence.get(c.pk, []),
            cross=cross.get(c.pk),
        )
        for c in criteria
    ]
    return AssignmentSheet(assignment=assignment, report=report, groups=groups, rows=rows)


# --- objections and approvals --------------------------------------------------------------------


def objections_of_year(year: EmulationYear) -> QuerySet[Objection]:
    return (
        Objection.objects.filter(year=year)
        .select_related("school", "target", "criterion", "raised_by", "answered_by")
        .order_by("raised_at", "pk")
    )


def open_objection_count(year: EmulationYear) -> int:
    return Objection.objects.filter(year=year, status=ObjectionStatus.OPEN).count()


def bonus_claims_of_year(year: EmulationYear) -> QuerySet[BonusClaim]:
    return (
        BonusClaim.objects.filter(report__year=year)
        .select_related("report", "report__school")
        .order_by("report__school__code", "pk")
    )


def declared_deductions_of_year(year: EmulationYear) -> QuerySet[DeclaredDeduction]:
    return (
        DeclaredDeduction.objects.filter(report__year=year)
        .select_related("report", "report__school", "reason")
        .order_by("report__school__code", "pk")
    )


def imposed_deductions_of_year(year: EmulationYear) -> QuerySet[ImposedDeduction]:
    return (
        ImposedDeduction.objects.filter(year=year)
        .select_related("school", "reason", "created_by")
        .order_by("school__code", "pk")
    )


@dataclass
class ApprovalLogEntry:
    when: object
    who: object
    kind: str
    school_code: str
    points: Decimal | None
    reason: str


def approval_log(year: EmulationYear, limit: int = 200) -> list[ApprovalLogEntry]:
    """Changes of approved bonus and deductions (from the history tables), newest first."""
    entries = []
    for kind, model in (("bonus", BonusClaim), ("deduction", DeclaredDeduction)):
        history = (
            model.history.filter(report__year=year)
            .select_related("history_user", "report__school")
            .order_by("-history_date")[:limit]
        )
        previous: dict[int, Decimal | None] = {}
        rows = list(history)
        # Keep the records where the approved points changed (oldest first to compare).
        for record in reversed(rows):
            before = previous.get(record.id)
            if record.approved_points != before and not (
                record.approved_points is None and record.id not in previous
            ):
                entries.append(
                    ApprovalLogEntry(
                        when=record.history_date,
                        who=record.history_user,
                        kind=kind,
                        school_code=record.report.school.code,
                        points=record.approved_points,
                        reason=record.history_change_reason or "",
                    )
                )
            previous[record.id] = record.approved_points
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries[:limit]
