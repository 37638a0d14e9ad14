"""Reads for annual reports: the report page (in a fixed number of queries whatever the
size of the criteria table), what a report still misses, snapshots of submitted versions
and what changed between them, and the year's list of reports."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import QuerySet, Sum
from django.utils import formats
from django.utils.translation import gettext as _

from cluster.models import EmulationYear

from .enums import SubmissionStatus
from .models import (
    AnnualReport,
    BonusClaim,
    CriteriaTable,
    Criterion,
    DeclaredDeduction,
    DeductionReason,
    Evidence,
    Indicator,
    PledgeTarget,
    ReportEvent,
    ReportEventKind,
)

SECTION_FIELDS = ("results", "limitations", "lessons", "directions")
NEW_ROWS = 2  # blank rows offered for new bonus claims and declared deductions


def _code_key(code: str) -> tuple:
    """1.2 before 1.10: compare the numeric parts of a code as numbers."""
    return tuple(
        (0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.split(r"[.\s]+", code)
    )


def _sorted_criteria(criteria: list[Criterion]) -> list[Criterion]:
    return sorted(criteria, key=lambda c: (c.order, _code_key(c.code)))


def criteria_of_year(year: EmulationYear) -> list[Criterion]:
    """Every row (groups and criteria) of the year's table, in one query."""
    return list(Criterion.objects.filter(table__year=year).select_related("table"))


def scored_criteria(year: EmulationYear) -> list[Criterion]:
    """The criteria (not the groups) of the year's table, in display order."""
    rows = criteria_of_year(year)
    return [c for group in _grouped(rows) for c in group[1]]


def _grouped(rows: list[Criterion]) -> list[tuple[Criterion | None, list[Criterion]]]:
    groups = _sorted_criteria([c for c in rows if c.parent_id is None])
    children: dict[int, list[Criterion]] = {}
    for row in rows:
        if row.parent_id is not None:
            children.setdefault(row.parent_id, []).append(row)
    blocks = [(group, _sorted_criteria(children.pop(group.pk, []))) for group in groups]
    # Criteria whose parent is itself a criterion (deeper nesting) or missing: list them
    # after the groups rather than lose them.
    orphans = [c for rest in children.values() for c in rest]
    if orphans:
        blocks.append((None, _sorted_criteria(orphans)))
    return blocks


def format_number(value: Decimal | None) -> str:
    """A stored number as typed in a form (dot decimal, no trailing zeros: 8, 6.5)."""
    if value is None:
        return ""
    text = f"{value.quantize(Decimal('0.01')):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def format_points(value: Decimal | None) -> str:
    """A number as people read it (7,5 in Vietnamese; 10, not 10.00)."""
    if value is None:
        return ""
    normalized = value.quantize(Decimal("0.01")).normalize()
    return formats.number_format(normalized, use_l10n=True)


def percent_achieved(actual: Decimal | None, target: Decimal | None) -> Decimal | None:
    """actual / target × 100, rounded half up to one decimal; None without a target."""
    if actual is None or target is None or target == 0:
        return None
    return (actual / target * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


# --- what a report still misses -------------------------------------------------------------


def report_missing_items(report: AnnualReport) -> list[str]:
    """What stops ``report`` from being submitted, one sentence each, in table order."""
    missing: list[str] = []
    rows = criteria_of_year(report.year)
    if not rows:
        return [_("The criteria table of this year is not set up yet.")]
    if not (report.results or "").strip():
        missing.append(_("section “results achieved”: not written"))
    scores = {s.criterion_id: s.points for s in report.self_scores.all()}
    with_evidence = set(
        report.evidence.filter(criterion__isnull=False).values_list("criterion_id", flat=True)
    )
    for _group, criteria in _grouped(rows):
        for criterion in criteria:
            points = scores.get(criterion.pk)
            if points is None:
                missing.append(_("criterion %(code)s: no score") % {"code": criterion.code})
            elif criterion.max_points is not None and not (0 <= points <= criterion.max_points):
                missing.append(
                    _("criterion %(code)s: the score must be between 0 and %(max)s")
                    % {"code": criterion.code, "max": format_points(criterion.max_points)}
                )
            if criterion.evidence_required and criterion.pk not in with_evidence:
                missing.append(
                    _("criterion %(code)s: evidence required") % {"code": criterion.code}
                )
    return missing


# --- snapshots and changes ------------------------------------------------------------------


def report_snapshot(report: AnnualReport) -> dict:
    """Everything the school declared, as plain JSON, for the report's history."""
    rows = criteria_of_year(report.year)
    scores = {s.criterion_id: s for s in report.self_scores.all()}
    evidence: dict[int | None, list[str]] = {}
    for item in report.evidence.all():
        evidence.setdefault(item.criterion_id, []).append(item.original_name)
    by_pk = {c.pk: c for c in rows}
    results = {
        r.indicator_id: r.actual for r in report.indicator_results.select_related("indicator")
    }
    indicators = Indicator.objects.filter(year_id=report.year_id)
    return {
        "sections": {name: getattr(report, name) for name in SECTION_FIELDS},
        "indicators": {
            i.code: {
                "name": i.name,
                "unit": i.unit,
                "actual": format_number(results.get(i.pk)),
            }
            for i in indicators
        },
        "scores": {
            c.code: {
                "title": c.title,
                "points": format_number(scores[c.pk].points) if c.pk in scores else "",
                "explanation": scores[c.pk].explanation if c.pk in scores else "",
            }
            for _group, criteria in _grouped(rows)
            for c in criteria
        },
        "evidence": {
            (by_pk[pk].code if pk in by_pk else ""): sorted(names) for pk, names in evidence.items()
        },
        "bonus": [
            {"points": format_number(b.points), "reason": b.reason}
            for b in report.bonus_claims.all()
        ],
        "deductions": [
            {
                "reason": d.reason.title,
                "points": format_number(d.points),
                "explanation": d.explanation,
            }
            for d in report.deductions.select_related("reason")
        ],
    }


def _points_text(stored: str) -> str:
    """A snapshot's number as people read it (6,5 in Vietnamese)."""
    try:
        return format_points(Decimal(stored)) if stored else ""
    except ArithmeticError:
        return stored


@dataclass(frozen=True)
class Change:
    label: str
    old: str
    new: str


def _section_labels() -> dict[str, str]:
    return {
        name: str(AnnualReport._meta.get_field(name).verbose_name).capitalize()
        for name in SECTION_FIELDS
    }


def snapshot_changes(old: dict, new: dict) -> list[Change]:
    """What changed between two submitted versions, in reading order."""
    changes: list[Change] = []
    labels = _section_labels()
    for name in SECTION_FIELDS:
        before = old.get("sections", {}).get(name, "")
        after = new.get("sections", {}).get(name, "")
        if before != after:
            changes.append(Change(labels[name], before, after))
    old_ind, new_ind = old.get("indicators", {}), new.get("indicators", {})
    for code in list(new_ind) + [c for c in old_ind if c not in new_ind]:
        before = old_ind.get(code, {}).get("actual", "")
        after = new_ind.get(code, {}).get("actual", "")
        if before != after:
            name = (new_ind.get(code) or old_ind.get(code))["name"]
            changes.append(Change(_("Indicator “%(name)s”") % {"name": name}, before, after))
    old_scores, new_scores = old.get("scores", {}), new.get("scores", {})
    old_ev, new_ev = old.get("evidence", {}), new.get("evidence", {})
    for code in list(new_scores) + [c for c in old_scores if c not in new_scores]:
        before, after = old_scores.get(code, {}), new_scores.get(code, {})
        if before.get("points", "") != after.get("points", ""):
            changes.append(
                Change(
                    _("Criterion %(code)s: self-score") % {"code": code},
                    _points_text(before.get("points", "")),
                    _points_text(after.get("points", "")),
                )
            )
        if before.get("explanation", "") != after.get("explanation", ""):
            changes.append(
                Change(
                    _("Criterion %(code)s: explanation") % {"code": code},
                    before.get("explanation", ""),
                    after.get("explanation", ""),
                )
            )
        if old_ev.get(code, []) != new_ev.get(code, []):
            changes.append(
                Change(
                    _("Criterion %(code)s: evidence") % {"code": code},
                    ", ".join(old_ev.get(code, [])),
                    ", ".join(new_ev.get(code, [])),
                )
            )
    if old_ev.get("", []) != new_ev.get("", []):
        changes.append(
            Change(
                _("Evidence for the whole report"),
                ", ".join(old_ev.get("", [])),
                ", ".join(new_ev.get("", [])),
            )
        )

    def lines(rows: list[dict], keys: tuple[str, ...]) -> str:
        return "\n".join(
            " — ".join(str(row.get(k, "")) for k in keys if row.get(k)) for row in rows
        )

    for key, label, keys in (
        ("bonus", _("Bonus claims"), ("points", "reason")),
        ("deductions", _("Declared deductions"), ("reason", "points", "explanation")),
    ):
        before, after = lines(old.get(key, []), keys), lines(new.get(key, []), keys)
        if before != after:
            changes.append(Change(label, before, after))
    return changes


@dataclass
class HistoryEntry:
    event: ReportEvent
    changes: list[Change] | None  # None for the first version and non-submission events


def report_history(events: list[ReportEvent]) -> list[HistoryEntry]:
    """The report's events, newest first; each submission after the first with what
    changed since the previous submission."""
    entries: list[HistoryEntry] = []
    previous: ReportEvent | None = None
    for event in sorted(events, key=lambda e: (e.at, e.pk)):
        changes = None
        if event.kind == ReportEventKind.SUBMITTED:
            if previous is not None:
                changes = snapshot_changes(previous.snapshot, event.snapshot)
            previous = event
        entries.append(HistoryEntry(event=event, changes=changes))
    return list(reversed(entries))


# --- the report page ------------------------------------------------------------------------


@dataclass
class CriterionRow:
    criterion: Criterion
    points: Decimal | None
    value: str
    explanation: str
    evidence: list[Evidence]
    error: str = ""

    @property
    def missing_evidence(self) -> bool:
        return self.criterion.evidence_required and not self.evidence


@dataclass
class GroupBlock:
    group: Criterion | None
    rows: list[CriterionRow]

    @property
    def max_points(self) -> Decimal:
        return sum((r.criterion.max_points or Decimal(0) for r in self.rows), Decimal(0))

    @property
    def self_total(self) -> Decimal:
        return sum((r.points or Decimal(0) for r in self.rows), Decimal(0))


@dataclass
class IndicatorRow:
    indicator: Indicator
    target: Decimal | None
    actual: Decimal | None
    value: str
    error: str = ""

    @property
    def percent(self) -> Decimal | None:
        return percent_achieved(self.actual, self.target)


@dataclass
class ExtraRow:
    """A bonus claim or declared deduction row of the form (existing or new)."""

    prefix: str
    values: dict[str, str]
    errors: dict[str, str] = field(default_factory=dict)
    obj: BonusClaim | DeclaredDeduction | None = None


@dataclass
class ReportPage:
    report: AnnualReport
    table: CriteriaTable | None
    groups: list[GroupBlock]
    indicators: list[IndicatorRow]
    general_evidence: list[Evidence]
    bonus_rows: list[ExtraRow]
    deduction_rows: list[ExtraRow]
    reasons: list[DeductionReason]
    history: list[HistoryEntry]
    pledge_status: str | None
    evidence_bytes: int
    errors: dict[str, str]
    sections: list[tuple[str, str, str]]  # (field name, label, text)

    @property
    def criteria_total(self) -> Decimal:
        return sum((g.self_total for g in self.groups), Decimal(0))

    @property
    def max_total(self) -> Decimal:
        return sum((g.max_points for g in self.groups), Decimal(0))

    @property
    def bonus_claimed(self) -> Decimal:
        return sum((r.obj.points for r in self.bonus_rows if r.obj is not None), Decimal(0))

    @property
    def bonus_counted(self) -> Decimal:
        cap = self.table.bonus_cap if self.table else Decimal(0)
        return min(self.bonus_claimed, cap)

    @property
    def deductions_total(self) -> Decimal:
        return sum((r.obj.points for r in self.deduction_rows if r.obj is not None), Decimal(0))

    @property
    def grand_total(self) -> Decimal:
        return self.criteria_total + self.bonus_counted - self.deductions_total

    @property
    def criterion_count(self) -> int:
        return sum(len(g.rows) for g in self.groups)

    @property
    def scored_count(self) -> int:
        return sum(1 for g in self.groups for r in g.rows if r.points is not None)


def report_for_page(pk: int) -> AnnualReport:
    return AnnualReport.objects.select_related(
        "year", "year__cluster", "school", "submitted_by", "returned_by"
    ).get(pk=pk)


def _typed(data: Mapping | None, key: str, stored: str) -> str:
    if data is not None and key in data:
        return data.get(key) or ""
    return stored


def report_page(
    report: AnnualReport,
    *,
    data: Mapping | None = None,
    errors: dict[str, str] | None = None,
    editable: bool = False,
) -> ReportPage:
    """Everything the report page shows, in a fixed number of queries.

    With ``data`` (a re-displayed POST) the typed values are shown instead of the stored
    ones, so that nothing a person typed is lost when a field is refused.
    """
    errors = errors or {}
    year = report.year
    rows = criteria_of_year(year)
    table = rows[0].table if rows else CriteriaTable.objects.filter(year=year).first()
    scores = {s.criterion_id: s for s in report.self_scores.all()}
    evidence_by_criterion: dict[int | None, list[Evidence]] = {}
    total_bytes = 0
    for item in report.evidence.all().order_by("uploaded_at", "pk"):
        evidence_by_criterion.setdefault(item.criterion_id, []).append(item)
        total_bytes += item.size
    groups: list[GroupBlock] = []
    for group, criteria in _grouped(rows):
        block_rows = []
        for criterion in criteria:
            score = scores.get(criterion.pk)
            points = score.points if score else None
            skey, ekey = f"score-{criterion.pk}", f"explanation-{criterion.pk}"
            block_rows.append(
                CriterionRow(
                    criterion=criterion,
                    points=points,
                    value=_typed(data, skey, format_number(points)),
                    explanation=_typed(data, ekey, score.explanation if score else ""),
                    evidence=evidence_by_criterion.get(criterion.pk, []),
                    error=errors.get(skey, ""),
                )
            )
        groups.append(GroupBlock(group=group, rows=block_rows))

    indicators = list(Indicator.objects.filter(year=year))
    results = {r.indicator_id: r.actual for r in report.indicator_results.all()}
    targets: dict[int, Decimal | None] = {}
    pledge_status = None
    for target in PledgeTarget.objects.filter(
        pledge__year=year, pledge__school_id=report.school_id
    ).select_related("pledge"):
        targets[target.indicator_id] = target.target
        pledge_status = target.pledge.status
    indicator_rows = [
        IndicatorRow(
            indicator=i,
            target=targets.get(i.pk),
            actual=results.get(i.pk),
            value=_typed(data, f"actual-{i.pk}", format_number(results.get(i.pk))),
            error=errors.get(f"actual-{i.pk}", ""),
        )
        for i in indicators
    ]

    def extra_rows(kind: str, objects: list, fields: tuple[str, ...], stored) -> list[ExtraRow]:
        result = []
        for obj in objects:
            prefix = f"{kind}-{obj.pk}"
            result.append(
                ExtraRow(
                    prefix=prefix,
                    values={f: _typed(data, f"{prefix}-{f}", stored(obj, f)) for f in fields},
                    errors={f: errors.get(f"{prefix}-{f}", "") for f in fields},
                    obj=obj,
                )
            )
        if editable:
            for index in range(NEW_ROWS):
                prefix = f"{kind}-new-{index}"
                result.append(
                    ExtraRow(
                        prefix=prefix,
                        values={f: _typed(data, f"{prefix}-{f}", "") for f in fields},
                        errors={f: errors.get(f"{prefix}-{f}", "") for f in fields},
                    )
                )
        return result

    bonus_rows = extra_rows(
        "bonus",
        list(report.bonus_claims.all()),
        ("points", "reason"),
        lambda o, f: format_number(o.points) if f == "points" else o.reason,
    )
    deduction_rows = extra_rows(
        "deduction",
        list(report.deductions.select_related("reason")),
        ("reason", "points", "explanation"),
        lambda o, f: {
            "reason": str(o.reason_id),
            "points": format_number(o.points),
            "explanation": o.explanation,
        }[f],
    )
    reasons = list(DeductionReason.objects.filter(table=table)) if table else []
    events = list(report.events.select_related("by"))
    return ReportPage(
        report=report,
        table=table,
        groups=groups,
        indicators=indicator_rows,
        general_evidence=evidence_by_criterion.get(None, []),
        bonus_rows=bonus_rows,
        deduction_rows=deduction_rows,
        reasons=reasons,
        history=report_history(events),
        pledge_status=pledge_status,
        evidence_bytes=total_bytes,
        errors=errors,
        sections=[
            (name, label, _typed(data, name, getattr(report, name)))
            for name, label in _section_labels().items()
        ],
    )


def evidence_cell(report: AnnualReport, criterion: Criterion | None) -> list[Evidence]:
    return list(
        Evidence.objects.filter(report=report, criterion=criterion).order_by("uploaded_at", "pk")
    )


# --- lists ----------------------------------------------------------------------------------


def reports_of_year(year: EmulationYear) -> QuerySet[AnnualReport]:
    """The year's reports with their self-score totals."""
    return (
        AnnualReport.objects.filter(year=year)
        .select_related("school", "submitted_by")
        .annotate(self_total=Sum("self_scores__points"))
        .order_by("school__code")
    )


def report_of_school(year: EmulationYear, school_id: int) -> AnnualReport | None:
    return AnnualReport.objects.filter(year=year, school_id=school_id).first()


PUBLIC_STATUSES = (SubmissionStatus.SUBMITTED, SubmissionStatus.ACCEPTED)


def evidence_for_download(pk: int) -> Evidence:
    return Evidence.objects.select_related("report", "report__year", "criterion").get(pk=pk)
