"""Criteria tables (bảng tiêu chí) and indicators (chỉ tiêu): every write and every rule.

One code path for the browser editor, the .xlsx import, the copy from the previous year and
the management commands: each builds a list of ``RowSpec`` (and ``DeductionSpec``) and calls
``save_criteria_table``, which checks everything first and changes nothing when a problem is
found (``CriteriaTableInvalid`` lists the problems by row and column).

The lock rule: once a school has self-scored against a table (a ``SelfScore`` with points
for one of its criteria), changing a maximum, adding or removing a criterion is refused
until the secretariat reopens the table (``reopen_table``, logged in ``TableReopening``).
Titles, guidance, evidence flags and order stay editable: they do not change any score.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from cluster.models import EmulationYear, School

from ..enums import ResultsStage
from ..models import (
    CriteriaTable,
    Criterion,
    DeductionReason,
    Indicator,
    IndicatorResult,
    PledgeTarget,
    ScoringSettings,
    SelfScore,
    TableReopening,
)
from ..models.reports import DeclaredDeduction
from ..models.scoring import ImposedDeduction

SHEET_CRITERIA = "criteria"
SHEET_DEDUCTIONS = "deductions"

POINTS_MAX = Decimal("99999.99")  # max_digits=7, decimal_places=2
CODE_RE = re.compile(r"^[\w-]+(\.[\w-]+)*$")
CODE_MAX_LENGTH = Criterion._meta.get_field("code").max_length
TITLE_MAX_LENGTH = Criterion._meta.get_field("title").max_length
REASON_MAX_LENGTH = DeductionReason._meta.get_field("title").max_length


# --- numbers ---------------------------------------------------------------------------------

_THOUSANDS_RE = re.compile(r"^\d{1,3}(\.\d{3})+$")


def parse_decimal(value) -> Decimal | None:
    """A number typed by a person or read from a cell, as Decimal; None when empty.

    Accepts ``12``, ``12.5``, ``12,5`` (decimal comma) and Vietnamese thousands such as
    ``1.234`` or ``1.234,5``. Raises ``ValueError`` for anything else.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        # repr() is the shortest text that reads back to the same float: 2.5, not 2.4999…
        return Decimal(repr(value))
    text = str(value).strip().replace("\u00a0", "").replace(" ", "")
    if text == "":
        return None
    if "," in text and "." in text:
        text = text.replace(".", "").replace(",", ".")
    elif "," in text:
        text = text.replace(",", ".")
    elif _THOUSANDS_RE.match(text):
        text = text.replace(".", "")
    if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", text):
        raise ValueError(value)
    try:
        return Decimal(text)
    except InvalidOperation:
        raise ValueError(value)


def plain_number(value: Decimal | None) -> str:
    """A number for an input field, in the reader's locale and without useless zeros
    (8, 2,5): what a person would type, and what ``parse_decimal`` reads back."""
    from django.utils.formats import number_format

    if value is None:
        return ""
    if value == value.to_integral_value():
        return str(value.to_integral_value())
    return number_format(value.normalize())


def points_problem(value: Decimal | None, *, required: bool) -> str | None:
    """Why ``value`` is not a valid number of points (0..99999.99, two decimals), or None."""
    if value is None:
        return _("This value is required.") if required else None
    if value < 0:
        return _("Points must not be negative.")
    if value > POINTS_MAX:
        return _("Points must not exceed %(max)s.") % {"max": POINTS_MAX}
    if value != value.quantize(Decimal("0.01")):
        return _("Use at most two decimal places.")
    return None


# --- specs and problems ---------------------------------------------------------------------


@dataclass(frozen=True)
class RowSpec:
    """One row of a table as typed (editor) or read (file). ``line`` is the row number
    shown to the user in problems; ``pk`` matches an existing row (editor only)."""

    line: int
    code: str
    title: str
    max_points: Decimal | None = None
    guidance: str = ""
    evidence_required: bool = False
    pk: int | None = None

    @property
    def is_group(self) -> bool:
        return "." not in self.code

    @property
    def group_code(self) -> str:
        return self.code.split(".", 1)[0]


@dataclass(frozen=True)
class DeductionSpec:
    line: int
    title: str
    points: Decimal
    pk: int | None = None


@dataclass(frozen=True)
class TableProblem:
    """One thing wrong with a table. ``row`` is the spreadsheet row (header = 1) or the
    editor's row number; ``column`` the column header (``code``, ``max_points`` …)."""

    sheet: str | None
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        values = {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }
        if self.row is None and self.column is None:
            return self.message
        if self.row is None:
            return _("column %(column)s: %(message)s") % values
        if self.column is None:
            return _("sheet %(sheet)s, row %(row)s: %(message)s") % values
        return _("sheet %(sheet)s, row %(row)s, column %(column)s: %(message)s") % values


class CriteriaTableInvalid(Exception):
    """The table was refused; nothing changed. ``problems`` says what and where."""

    def __init__(self, problems: list[TableProblem]):
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


@dataclass
class TableChanges:
    created: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.deleted)

    def summary(self) -> str:
        return _(
            "%(created)d created, %(updated)d updated, %(deleted)d removed, %(unchanged)d unchanged"
        ) % {
            "created": self.created,
            "updated": self.updated,
            "deleted": self.deleted,
            "unchanged": self.unchanged,
        }


@dataclass
class ImportReport:
    """What an import did, or the problems that made it refuse the file (then nothing
    changed)."""

    problems: list[TableProblem] = field(default_factory=list)
    changes: TableChanges = field(default_factory=TableChanges)

    @property
    def ok(self) -> bool:
        return not self.problems


# --- reading the lock ------------------------------------------------------------------------


def _stamp(instance, by) -> None:
    if by is not None and getattr(by, "is_authenticated", False):
        instance._history_user = by


def _scores_of(table: CriteriaTable):
    return SelfScore.objects.filter(criterion__table=table, points__isnull=False)


def table_has_scores(table: CriteriaTable | None) -> bool:
    """Some school has self-scored (points, not just an empty row) against the table."""
    if table is None or table.pk is None:
        return False
    return _scores_of(table).exists()


def table_is_locked(table: CriteriaTable | None) -> bool:
    """Maxima and the list of criteria are frozen: schools scored, and not reopened."""
    if table is None or table.reopened:
        return False
    return table_has_scores(table)


def scored_schools(table: CriteriaTable) -> list[School]:
    """The schools with self-scores against ``table``: those a change affects."""
    school_ids = _scores_of(table).values("report__school_id")
    return list(School.objects.filter(pk__in=school_ids).order_by("code"))


def table_of_year(year: EmulationYear) -> CriteriaTable | None:
    return CriteriaTable.objects.filter(year=year).first()


# --- checking rows ---------------------------------------------------------------------------


def check_rows(rows: Sequence[RowSpec], *, sheet: str = SHEET_CRITERIA) -> list[TableProblem]:
    """Structural problems of a list of rows (values already parsed)."""
    problems: list[TableProblem] = []

    def add(row, column, message):
        problems.append(TableProblem(sheet, row, column, message))

    seen: dict[str, int] = {}
    groups: dict[str, RowSpec] = {}
    for spec in rows:
        if not spec.code:
            add(spec.line, "code", _("The code is required."))
        elif len(spec.code) > CODE_MAX_LENGTH or not CODE_RE.match(spec.code):
            add(
                spec.line,
                "code",
                _("“%(code)s” is not a valid code: use numbers joined by dots, e.g. 1 or 1.2.")
                % {"code": spec.code},
            )
        elif spec.code in seen:
            add(
                spec.line,
                "code",
                _("The code %(code)s already appears in row %(row)d.")
                % {"code": spec.code, "row": seen[spec.code]},
            )
        else:
            seen[spec.code] = spec.line
            if spec.is_group:
                groups[spec.code] = spec
        if not spec.title:
            add(spec.line, "title", _("The title is required."))
        elif len(spec.title) > TITLE_MAX_LENGTH:
            add(
                spec.line,
                "title",
                _("The title is longer than %(max)d characters.") % {"max": TITLE_MAX_LENGTH},
            )
        if spec.code and not spec.is_group:
            problem = points_problem(spec.max_points, required=True)
            if problem:
                add(spec.line, "max_points", problem)
        elif spec.max_points is not None:
            problem = points_problem(spec.max_points, required=False)
            if problem:
                add(spec.line, "max_points", problem)

    sums: dict[str, Decimal] = {code: Decimal("0") for code in groups}
    for spec in rows:
        if not spec.code or spec.is_group or not CODE_RE.match(spec.code):
            continue
        if spec.group_code not in groups:
            add(
                spec.line,
                "code",
                _("Criterion %(code)s belongs to group %(group)s, which is not in the table.")
                % {"code": spec.code, "group": spec.group_code},
            )
        elif spec.max_points is not None and spec.max_points >= 0:
            sums[spec.group_code] += spec.max_points
    for code, group in groups.items():
        given = group.max_points
        if given is not None and given >= 0 and given != sums[code]:
            add(
                group.line,
                "max_points",
                _(
                    "The group's maximum (%(given)s) differs from the sum of its criteria "
                    "(%(sum)s): leave it empty or correct it."
                )
                % {"given": given, "sum": sums[code]},
            )
    return problems


def check_deductions(
    deductions: Sequence[DeductionSpec], *, sheet: str = SHEET_DEDUCTIONS
) -> list[TableProblem]:
    problems: list[TableProblem] = []
    seen: dict[str, int] = {}
    for spec in deductions:
        if not spec.title:
            problems.append(TableProblem(sheet, spec.line, "reason", _("The reason is required.")))
        elif len(spec.title) > REASON_MAX_LENGTH:
            problems.append(
                TableProblem(
                    sheet,
                    spec.line,
                    "reason",
                    _("The reason is longer than %(max)d characters.") % {"max": REASON_MAX_LENGTH},
                )
            )
        elif spec.title.casefold() in seen:
            problems.append(
                TableProblem(
                    sheet,
                    spec.line,
                    "reason",
                    _("This reason already appears in row %(row)d.")
                    % {"row": seen[spec.title.casefold()]},
                )
            )
        else:
            seen[spec.title.casefold()] = spec.line
        problem = points_problem(spec.points, required=True)
        if problem:
            problems.append(TableProblem(sheet, spec.line, "points", problem))
    return problems


# --- saving a table --------------------------------------------------------------------------


def get_or_create_table(*, year: EmulationYear, by=None) -> CriteriaTable:
    """The year's table, created empty (bonus cap 5) the first time."""
    table = CriteriaTable.objects.filter(year=year).first()
    if table is None:
        table = CriteriaTable(year=year)
        _stamp(table, by)
        table.save()
    return table


def _match_rows(
    rows: Sequence[RowSpec], existing: list[Criterion], *, match_codes_only: bool
) -> dict[int, Criterion]:
    """Index in ``rows`` → the existing row it updates. By id first (the editor), then by
    code; never across kinds (a group stays a group)."""
    by_pk = {c.pk: c for c in existing}
    by_code = {c.code: c for c in existing}
    used: set[int] = set()
    matched: dict[int, Criterion] = {}
    if not match_codes_only:
        for index, spec in enumerate(rows):
            candidate = by_pk.get(spec.pk) if spec.pk else None
            if candidate is not None and candidate.is_group == spec.is_group:
                matched[index] = candidate
                used.add(candidate.pk)
    for index, spec in enumerate(rows):
        if index in matched:
            continue
        candidate = by_code.get(spec.code)
        if (
            candidate is not None
            and candidate.pk not in used
            and candidate.is_group == spec.is_group
        ):
            matched[index] = candidate
            used.add(candidate.pk)
    return matched


def _lock_problems(
    rows: Sequence[RowSpec],
    matched: dict[int, Criterion],
    removed: list[Criterion],
    sheet: str,
) -> list[TableProblem]:
    reopen = _("Schools have already self-scored against this table; reopen it first.")
    problems = []
    for index, spec in enumerate(rows):
        if spec.is_group:
            continue
        current = matched.get(index)
        if current is None:
            problems.append(
                TableProblem(
                    sheet,
                    spec.line,
                    "code",
                    _("Criterion %(code)s cannot be added.") % {"code": spec.code} + " " + reopen,
                )
            )
        elif current.max_points != spec.max_points:
            problems.append(
                TableProblem(
                    sheet,
                    spec.line,
                    "max_points",
                    _("The maximum of %(code)s cannot change from %(old)s.")
                    % {"code": current.code, "old": current.max_points}
                    + " "
                    + reopen,
                )
            )
    for criterion in removed:
        if not criterion.is_group:
            problems.append(
                TableProblem(
                    sheet,
                    None,
                    "code",
                    _("Criterion %(code)s cannot be removed.") % {"code": criterion.code}
                    + " "
                    + reopen,
                )
            )
    return problems


def _match_deductions(
    deductions: Sequence[DeductionSpec], existing: list[DeductionReason], *, match_titles_only
) -> dict[int, DeductionReason]:
    by_pk = {d.pk: d for d in existing}
    by_title = {d.title.casefold(): d for d in existing}
    used: set[int] = set()
    matched: dict[int, DeductionReason] = {}
    if not match_titles_only:
        for index, spec in enumerate(deductions):
            candidate = by_pk.get(spec.pk) if spec.pk else None
            if candidate is not None:
                matched[index] = candidate
                used.add(candidate.pk)
    for index, spec in enumerate(deductions):
        if index in matched:
            continue
        candidate = by_title.get(spec.title.casefold())
        if candidate is not None and candidate.pk not in used:
            matched[index] = candidate
            used.add(candidate.pk)
    return matched


def _deduction_in_use(reason_ids: list[int]) -> set[int]:
    if not reason_ids:
        return set()
    declared = DeclaredDeduction.objects.filter(reason_id__in=reason_ids).values_list(
        "reason_id", flat=True
    )
    imposed = ImposedDeduction.objects.filter(reason_id__in=reason_ids).values_list(
        "reason_id", flat=True
    )
    return set(declared) | set(imposed)


def _save_if_changed(obj, values: dict, by, changes: TableChanges) -> None:
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if not changed:
        changes.unchanged += 1
        return
    for name in changed:
        setattr(obj, name, values[name])
    _stamp(obj, by)
    obj.save()
    changes.updated += 1


@transaction.atomic
def save_criteria_table(
    *,
    year: EmulationYear,
    by,
    rows: Sequence[RowSpec],
    bonus_cap: Decimal | None = None,
    deductions: Sequence[DeductionSpec] | None = None,
    note: str | None = None,
    match_codes_only: bool = False,
    sheet: str = SHEET_CRITERIA,
) -> TableChanges:
    """Replace the rows of ``year``'s table with ``rows`` (in display order).

    Existing rows are matched by id (when ``pk`` is given and ``match_codes_only`` is off)
    or by code, so unchanged rows keep their ids and the self-scores that point to them.
    ``bonus_cap``, ``deductions`` and ``note`` are left as they are when None. Everything is
    checked first; on any problem ``CriteriaTableInvalid`` is raised and nothing changes.
    Returns what changed (rows and deduction reasons; bonus cap and note count as an update
    of the table).
    """
    table = get_or_create_table(year=year, by=by)
    table = CriteriaTable.objects.select_for_update().get(pk=table.pk)
    problems = check_rows(rows, sheet=sheet)
    if bonus_cap is not None:
        problem = points_problem(bonus_cap, required=True)
        if problem:
            problems.append(TableProblem(SHEET_DEDUCTIONS, None, "bonus_cap", problem))
    if deductions is not None:
        problems += check_deductions(deductions)
    if problems:
        raise CriteriaTableInvalid(problems)

    existing = list(table.criteria.all())
    matched = _match_rows(rows, existing, match_codes_only=match_codes_only)
    matched_ids = {c.pk for c in matched.values()}
    removed = [c for c in existing if c.pk not in matched_ids]
    if table_is_locked(table):
        problems += _lock_problems(rows, matched, removed, sheet)

    existing_reasons = list(table.deduction_reasons.all())
    reason_matches: dict[int, DeductionReason] = {}
    removed_reasons: list[DeductionReason] = []
    if deductions is not None:
        reason_matches = _match_deductions(
            deductions, existing_reasons, match_titles_only=match_codes_only
        )
        kept = {r.pk for r in reason_matches.values()}
        removed_reasons = [r for r in existing_reasons if r.pk not in kept]
        for reason_id in _deduction_in_use([r.pk for r in removed_reasons]):
            reason = next(r for r in removed_reasons if r.pk == reason_id)
            problems.append(
                TableProblem(
                    SHEET_DEDUCTIONS,
                    None,
                    "reason",
                    _("The deduction reason “%(reason)s” is in use and cannot be removed.")
                    % {"reason": reason.title},
                )
            )
    if problems:
        raise CriteriaTableInvalid(problems)

    changes = TableChanges()
    # Codes may swap between rows: park changed and removed codes on unique temporary
    # values first so the (table, code) constraint holds at every step.
    parked = [c.pk for c in removed]
    parked += [c.pk for i, c in matched.items() if c.code != rows[i].code]
    for pk in parked:
        Criterion.objects.filter(pk=pk).update(code=f"~{pk}")
    for criterion in existing:
        if criterion.pk in parked:
            criterion.code = f"~{criterion.pk}"

    group_rows: dict[str, Criterion] = {}
    children: dict[str, list[int]] = {}
    group_order: list[str] = []
    for index, spec in enumerate(rows):
        if spec.is_group:
            group_order.append(spec.code)
        else:
            children.setdefault(spec.group_code, []).append(index)
    position = {}
    counter = 0
    for code in group_order:
        counter += 1
        position[code] = counter
        for index in children.get(code, []):
            counter += 1
            position[rows[index].code] = counter

    for index, spec in enumerate(rows):
        if not spec.is_group:
            continue
        values = {
            "code": spec.code,
            "title": spec.title,
            "guidance": spec.guidance,
            "max_points": None,
            "evidence_required": spec.evidence_required,
            "parent_id": None,
            "order": position[spec.code],
        }
        current = matched.get(index)
        if current is None:
            current = Criterion(table=table, **values)
            _stamp(current, by)
            current.save()
            changes.created += 1
        else:
            _save_if_changed(current, values, by, changes)
        group_rows[spec.code] = current
    for index, spec in enumerate(rows):
        if spec.is_group:
            continue
        values = {
            "code": spec.code,
            "title": spec.title,
            "guidance": spec.guidance,
            "max_points": spec.max_points,
            "evidence_required": spec.evidence_required,
            "parent_id": group_rows[spec.group_code].pk,
            "order": position[spec.code],
        }
        current = matched.get(index)
        if current is None:
            current = Criterion(table=table, **values)
            _stamp(current, by)
            current.save()
            changes.created += 1
        else:
            _save_if_changed(current, values, by, changes)
    # Criteria before groups: a kept criterion was moved out of a removed group above.
    for criterion in sorted(removed, key=lambda c: c.is_group):
        _stamp(criterion, by)
        criterion.delete()
        changes.deleted += 1

    if deductions is not None:
        for index, spec in enumerate(deductions):
            values = {"title": spec.title, "points": spec.points, "order": index + 1}
            current = reason_matches.get(index)
            if current is None:
                DeductionReason.objects.create(table=table, **values)
                changes.created += 1
            else:
                _save_if_changed(current, values, by, changes)
        for reason in removed_reasons:
            reason.delete()
            changes.deleted += 1

    table_values = {}
    if bonus_cap is not None:
        table_values["bonus_cap"] = bonus_cap
    if note is not None:
        table_values["note"] = note
    changed = [k for k, v in table_values.items() if getattr(table, k) != v]
    if changed:
        for name in changed:
            setattr(table, name, table_values[name])
        _stamp(table, by)
        table.save(update_fields=changed)
        changes.updated += 1
    return changes


def rows_of_table(table: CriteriaTable) -> list[RowSpec]:
    """The table's rows as specs, in display order (groups, each followed by its criteria)."""
    criteria = list(table.criteria.all())
    groups = sorted((c for c in criteria if c.is_group), key=lambda c: (c.order, c.code))
    specs: list[RowSpec] = []
    line = 0
    for group in groups:
        line += 1
        specs.append(
            RowSpec(
                line=line,
                code=group.code,
                title=group.title,
                guidance=group.guidance,
                evidence_required=group.evidence_required,
                pk=group.pk,
            )
        )
        members = sorted(
            (c for c in criteria if c.parent_id == group.pk), key=lambda c: (c.order, c.code)
        )
        for criterion in members:
            line += 1
            specs.append(
                RowSpec(
                    line=line,
                    code=criterion.code,
                    title=criterion.title,
                    max_points=criterion.max_points,
                    guidance=criterion.guidance,
                    evidence_required=criterion.evidence_required,
                    pk=criterion.pk,
                )
            )
    return specs


def deductions_of_table(table: CriteriaTable) -> list[DeductionSpec]:
    return [
        DeductionSpec(line=index, title=reason.title, points=reason.points, pk=reason.pk)
        for index, reason in enumerate(table.deduction_reasons.all(), start=1)
    ]


# --- import / export -------------------------------------------------------------------------


def import_criteria_workbook(*, year: EmulationYear, file, by) -> ImportReport:
    """Replace ``year``'s table with the rows of an .xlsx file (format: see
    ``evaluations.xlsx_criteria``). All or nothing: any problem is reported by row and column
    and nothing changes. Rows are matched by code, so unchanged rows keep their ids."""
    from ..xlsx_criteria import parse_criteria_workbook

    parsed = parse_criteria_workbook(file)
    report = ImportReport(problems=list(parsed.problems))
    structure = check_rows(parsed.rows)
    # Parse problems already cover the cells they are about; add the structural ones that
    # are not about the same cell.
    known = {(p.sheet, p.row, p.column) for p in report.problems}
    report.problems += [p for p in structure if (p.sheet, p.row, p.column) not in known]
    if report.problems:
        return report
    try:
        report.changes = save_criteria_table(
            year=year,
            by=by,
            rows=parsed.rows,
            bonus_cap=parsed.bonus_cap,
            deductions=parsed.deductions,
            match_codes_only=True,
        )
    except CriteriaTableInvalid as invalid:
        report.problems = invalid.problems
    return report


def export_criteria_workbook(*, year: EmulationYear) -> bytes:
    """The year's table as .xlsx, in the import format (re-importable as it is)."""
    from ..xlsx_criteria import build_criteria_workbook

    table = table_of_year(year)
    if table is None:
        return build_criteria_workbook(rows=[], bonus_cap=Decimal("5"), deductions=[])
    return build_criteria_workbook(
        rows=rows_of_table(table),
        bonus_cap=table.bonus_cap,
        deductions=deductions_of_table(table),
    )


# --- copy, reopen ----------------------------------------------------------------------------


@transaction.atomic
def copy_table_from_previous_year(*, year: EmulationYear, by) -> CriteriaTable:
    """Copy the groups, criteria, bonus cap, deduction reasons and indicators of the latest
    earlier year that has a table into ``year``. The table of ``year`` is replaced (rows with
    the same code are updated in place, keeping their ids); an indicator whose code already
    exists in ``year`` is left as it is. Refused when schools have already self-scored
    against ``year``'s table."""
    from ..selectors_criteria import previous_year_with_table

    source_year = previous_year_with_table(year)
    source = table_of_year(source_year) if source_year else None
    if source is None:
        raise ValidationError(
            _("There is no criteria table of a previous year to copy."), code="no_previous"
        )
    target = table_of_year(year)
    if table_has_scores(target):
        raise ValidationError(
            _(
                "Schools have already self-scored against this year's table: it cannot be "
                "replaced by a copy."
            ),
            code="scored",
        )
    try:
        save_criteria_table(
            year=year,
            by=by,
            rows=rows_of_table(source),
            bonus_cap=source.bonus_cap,
            deductions=[
                DeductionSpec(line=d.line, title=d.title, points=d.points)
                for d in deductions_of_table(source)
            ],
            note=source.note,
            match_codes_only=True,
        )
    except CriteriaTableInvalid as invalid:
        raise ValidationError([str(p) for p in invalid.problems], code="invalid")
    present = set(Indicator.objects.filter(year=year).values_list("code", flat=True))
    for indicator in Indicator.objects.filter(year=source_year).order_by("order", "code"):
        if indicator.code in present:
            continue
        copy = Indicator(
            year=year,
            code=indicator.code,
            name=indicator.name,
            unit=indicator.unit,
            order=indicator.order,
        )
        _stamp(copy, by)
        copy.save()
    return CriteriaTable.objects.get(year=year)


@transaction.atomic
def reopen_table(*, table: CriteriaTable, by, reason: str) -> TableReopening:
    """Allow structural changes to a table schools have already self-scored against.

    Logged with the reason and the affected schools (shown on the table page as a warning).
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for reopening the table.")})
    table = CriteriaTable.objects.select_for_update().get(pk=table.pk)
    if table.reopened:
        raise ValidationError(_("The table is already open for changes."), code="already_open")
    if not table_has_scores(table):
        raise ValidationError(
            _("No school has self-scored against this table: it can be changed freely."),
            code="not_locked",
        )
    if ScoringSettings.objects.filter(year_id=table.year_id, stage=ResultsStage.FROZEN).exists():
        raise ValidationError(
            _("The results of this year are frozen: its criteria table cannot be reopened."),
            code="frozen",
        )
    reopening = TableReopening.objects.create(
        table=table, reopened_by=by if getattr(by, "pk", None) else None, reason=reason
    )
    reopening.affected_schools.set(scored_schools(table))
    table.reopened = True
    _stamp(table, by)
    table.save(update_fields=["reopened"])
    return reopening


@transaction.atomic
def close_table(*, table: CriteriaTable, by) -> CriteriaTable:
    """Lock a reopened table again (the lock rule applies again once schools scored)."""
    table = CriteriaTable.objects.select_for_update().get(pk=table.pk)
    if table.reopened:
        table.reopened = False
        _stamp(table, by)
        table.save(update_fields=["reopened"])
    return table


# --- indicators ------------------------------------------------------------------------------


def indicator_is_used(indicator: Indicator) -> bool:
    """A school entered a target or a result for it (empty rows do not count)."""
    if indicator.pk is None:
        return False
    return (
        PledgeTarget.objects.filter(indicator=indicator, target__isnull=False).exists()
        or IndicatorResult.objects.filter(indicator=indicator, actual__isnull=False).exists()
    )


@transaction.atomic
def save_indicator(*, indicator: Indicator, by) -> Indicator:
    """Create or update an indicator. The code is unique in the year; once schools have
    used the indicator its code and unit no longer change (their figures would change
    meaning); the name can still be corrected."""
    errors: dict[str, list[ValidationError]] = {}
    indicator.code = (indicator.code or "").strip()
    indicator.name = (indicator.name or "").strip()
    indicator.unit = (indicator.unit or "").strip()
    for name in ("code", "name", "unit"):
        if not getattr(indicator, name):
            errors.setdefault(name, []).append(
                ValidationError(_("This field is required."), code="required")
            )
    duplicate = Indicator.objects.filter(year_id=indicator.year_id, code=indicator.code)
    if indicator.pk:
        duplicate = duplicate.exclude(pk=indicator.pk)
    if indicator.code and duplicate.exists():
        errors.setdefault("code", []).append(
            ValidationError(
                _("This year already has an indicator with the code %(code)s."),
                code="duplicate",
                params={"code": indicator.code},
            )
        )
    if indicator.pk:
        before = Indicator.objects.get(pk=indicator.pk)
        if indicator_is_used(before):
            for name in ("code", "unit"):
                if getattr(before, name) != getattr(indicator, name):
                    errors.setdefault(name, []).append(
                        ValidationError(
                            _("Schools have already entered figures for this indicator."),
                            code="used",
                        )
                    )
    else:
        last = Indicator.objects.filter(year_id=indicator.year_id).aggregate(m=Max("order"))["m"]
        indicator.order = (last or 0) + 1
    if errors:
        raise ValidationError(errors)
    _stamp(indicator, by)
    indicator.save()
    return indicator


@transaction.atomic
def delete_indicator(*, indicator: Indicator, by) -> None:
    """Delete an indicator no school has used yet."""
    if indicator_is_used(indicator):
        raise ValidationError(
            _("Schools have already entered figures for %(name)s: it cannot be deleted.")
            % {"name": indicator.name},
            code="used",
        )
    _stamp(indicator, by)
    indicator.delete()


@transaction.atomic
def move_indicator(*, indicator: Indicator, by, up: bool) -> None:
    """Move an indicator one place up or down in its year's list."""
    siblings = list(
        Indicator.objects.select_for_update()
        .filter(year_id=indicator.year_id)
        .order_by("order", "code")
    )
    index = next(i for i, s in enumerate(siblings) if s.pk == indicator.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(siblings):
        return
    siblings[index], siblings[other] = siblings[other], siblings[index]
    for position, sibling in enumerate(siblings, start=1):
        if sibling.order != position:
            sibling.order = position
            _stamp(sibling, by)
            sibling.save(update_fields=["order"])
