"""Criteria tables and the covenant as .xlsx files.

The criteria file (import and export use the same format, so an export re-imports as it is):

Sheet ``criteria`` (or the first sheet): row 1 holds the headers, matched case-insensitively
in any order, extra columns ignored:

====================  =========================================================
``code``              required. ``1`` is a group; ``1.2`` a criterion of group 1
                      (the group must be in the file).
``title``             required.
``max_points``        required for a criterion (a number ≥ 0, two decimals at
                      most); for a group empty or equal to the sum of its criteria.
``guidance``          optional text.
``evidence_required`` optional: yes/no, 1/0, x, true/false, có/không; empty = no.
====================  =========================================================

Sheet ``deductions`` (or a second sheet with these headers), optional: headers
``reason, points``; one row
per deduction reason (điểm trừ) and its points. A row whose reason is ``bonus_cap`` gives the
bonus cap (điểm thưởng tối đa) in its ``points`` cell. When the sheet is present it replaces
the deduction reasons (and the bonus cap if the row is there); when absent they stay as they
are. Empty rows are skipped everywhere. Rows are numbered as the spreadsheet numbers them.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from io import BytesIO
from typing import IO, Any

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from .services.criteria import (
    SHEET_CRITERIA,
    SHEET_DEDUCTIONS,
    DeductionSpec,
    RowSpec,
    TableProblem,
    parse_decimal,
)

CRITERIA_COLUMNS = ("code", "title", "max_points", "guidance", "evidence_required")
REQUIRED_CRITERIA_COLUMNS = ("code", "title", "max_points")
DEDUCTION_COLUMNS = ("reason", "points")
BONUS_CAP_KEY = "bonus_cap"

TRUE_WORDS = {"yes", "y", "1", "x", "true", "có", "co"}
FALSE_WORDS = {"no", "n", "0", "false", "không", "khong", ""}


@dataclass
class ParsedWorkbook:
    rows: list[RowSpec] = field(default_factory=list)
    deductions: list[DeductionSpec] | None = None
    bonus_cap: Decimal | None = None
    problems: list[TableProblem] = field(default_factory=list)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        value = int(value) if value.is_integer() else repr(value)
    return unicodedata.normalize("NFC", str(value)).strip()


def _headers(sheet) -> dict[str, int]:
    first = next(sheet.iter_rows(min_row=1, max_row=1, values_only=True), ())
    headers: dict[str, int] = {}
    for index, value in enumerate(first):
        name = _text(value).casefold()
        if name and name not in headers:
            headers[name] = index
    return headers


def _evidence(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    word = _text(value).casefold()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    return None


def _sheet_named(workbook, name: str):
    for sheet in workbook.worksheets:
        if sheet.title.strip().casefold() == name:
            return sheet
    return None


def _deductions_sheet(workbook, criteria):
    """The sheet named ``deductions``; else the second sheet when its headers are
    ``reason, points`` (a second sheet of notes is not a deductions sheet)."""
    sheet = _sheet_named(workbook, SHEET_DEDUCTIONS)
    if sheet is not None:
        return sheet
    others = [s for s in workbook.worksheets if s is not criteria]
    if others and all(name in _headers(others[0]) for name in DEDUCTION_COLUMNS):
        return others[0]
    return None


def parse_criteria_workbook(file: str | IO[bytes]) -> ParsedWorkbook:
    """Read a criteria file into row specs, reporting every cell that cannot be read."""
    parsed = ParsedWorkbook()

    def add(sheet, row, column, message):
        parsed.problems.append(TableProblem(sheet, row, column, message))

    try:
        if hasattr(file, "seek"):
            file.seek(0)
        workbook = load_workbook(file, data_only=True)
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds on a bad file
        add(None, None, None, _("The file is not a readable .xlsx workbook."))
        return parsed

    criteria = _sheet_named(workbook, SHEET_CRITERIA) or workbook.worksheets[0]
    columns = _headers(criteria)
    missing = [name for name in REQUIRED_CRITERIA_COLUMNS if name not in columns]
    for name in missing:
        add(SHEET_CRITERIA, 1, name, _("The column is missing from the header row."))
    if missing:
        return parsed

    def cell(values, name):
        index = columns.get(name)
        return values[index] if index is not None and index < len(values) else None

    for line, values in enumerate(criteria.iter_rows(min_row=2, values_only=True), start=2):
        if all(_text(v) == "" for v in values):
            continue
        code = _text(cell(values, "code"))
        raw_points = cell(values, "max_points")
        try:
            max_points = parse_decimal(raw_points)
        except ValueError:
            add(
                SHEET_CRITERIA,
                line,
                "max_points",
                _("“%(value)s” is not a number.") % {"value": _text(raw_points)},
            )
            max_points = None
        raw_evidence = cell(values, "evidence_required")
        evidence = _evidence(raw_evidence)
        if evidence is None:
            add(
                SHEET_CRITERIA,
                line,
                "evidence_required",
                _("“%(value)s” is not yes or no.") % {"value": _text(raw_evidence)},
            )
            evidence = False
        parsed.rows.append(
            RowSpec(
                line=line,
                code=code,
                title=_text(cell(values, "title")),
                max_points=max_points,
                guidance=_text(cell(values, "guidance")),
                evidence_required=evidence,
            )
        )

    deductions = _deductions_sheet(workbook, criteria)
    if deductions is None:
        return parsed
    columns_d = _headers(deductions)
    missing = [name for name in DEDUCTION_COLUMNS if name not in columns_d]
    for name in missing:
        add(SHEET_DEDUCTIONS, 1, name, _("The column is missing from the header row."))
    if missing:
        return parsed
    parsed.deductions = []
    for line, values in enumerate(deductions.iter_rows(min_row=2, values_only=True), start=2):
        if all(_text(v) == "" for v in values):
            continue
        reason = _text(values[columns_d["reason"]] if columns_d["reason"] < len(values) else None)
        raw = values[columns_d["points"]] if columns_d["points"] < len(values) else None
        try:
            points = parse_decimal(raw)
        except ValueError:
            add(
                SHEET_DEDUCTIONS,
                line,
                "points",
                _("“%(value)s” is not a number.") % {"value": _text(raw)},
            )
            continue
        if reason.casefold() == BONUS_CAP_KEY:
            if points is None:
                add(SHEET_DEDUCTIONS, line, "points", _("This value is required."))
            else:
                parsed.bonus_cap = points
            continue
        if points is None:
            add(SHEET_DEDUCTIONS, line, "points", _("This value is required."))
            continue
        parsed.deductions.append(DeductionSpec(line=line, title=reason, points=points))
    return parsed


# --- writing ---------------------------------------------------------------------------------


def _number(value: Decimal | None):
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _fit_columns(sheet, widths: dict[int, int]) -> None:
    for index, width in widths.items():
        sheet.column_dimensions[get_column_letter(index)].width = min(max(width, 8), 70) + 2


def build_criteria_workbook(
    *, rows: list[RowSpec], bonus_cap: Decimal, deductions: list[DeductionSpec]
) -> bytes:
    """The criteria file (see the module docstring). Codes are written as text, so 1.10
    stays 1.10; a group's max_points is the sum of its criteria."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_CRITERIA
    sheet.append(list(CRITERIA_COLUMNS))
    sums: dict[str, Decimal] = {}
    for spec in rows:
        if not spec.is_group and spec.max_points is not None:
            sums[spec.group_code] = sums.get(spec.group_code, Decimal("0")) + spec.max_points
    widths = {i: len(name) for i, name in enumerate(CRITERIA_COLUMNS, start=1)}
    for spec in rows:
        points = sums.get(spec.code, Decimal("0")) if spec.is_group else spec.max_points
        values = [
            spec.code,
            spec.title,
            _number(points),
            spec.guidance,
            "yes" if spec.evidence_required else "no",
        ]
        sheet.append(values)
        sheet.cell(row=sheet.max_row, column=1).number_format = "@"
        if spec.is_group:
            for column in (1, 2, 3):
                sheet.cell(row=sheet.max_row, column=column).font = Font(bold=True)
        for index, value in enumerate(values, start=1):
            widths[index] = max(widths[index], len(str(value or "")))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in sheet.iter_rows(min_row=2, min_col=2, max_col=4):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    _fit_columns(sheet, widths)
    sheet.freeze_panes = "A2"

    second = workbook.create_sheet(SHEET_DEDUCTIONS)
    second.append(list(DEDUCTION_COLUMNS))
    second.append([BONUS_CAP_KEY, _number(bonus_cap)])
    widths = {1: len(BONUS_CAP_KEY), 2: 6}
    for spec in deductions:
        second.append([spec.title, _number(spec.points)])
        widths[1] = max(widths[1], len(spec.title))
    for cell in second[1]:
        cell.font = Font(bold=True)
    _fit_columns(second, widths)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def build_covenant_workbook(*, covenant) -> bytes:
    """The covenant: indicators as rows, member schools as columns, then commitments and
    registered titles. Only the pledges the reader may see are filled in."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Covenant")[:31]
    year = covenant.year
    sheet.append(
        [
            _("Emulation covenant %(year)s – %(cluster)s")
            % {"year": year.label, "cluster": year.cluster.name}
        ]
    )
    sheet["A1"].font = Font(bold=True, size=13)
    header = [_("Indicator"), _("Unit")] + [column.school.name for column in covenant.columns]
    sheet.append(header)
    sheet.append(["", _("Status")] + [column.status_label for column in covenant.columns])
    for row in covenant.rows:
        sheet.append(
            [row.indicator.name, row.indicator.unit] + [_number(value) for value in row.values]
        )
    sheet.append([])
    sheet.append(
        [_("Commitments"), ""]
        + [column.pledge.commitments if column.visible else "" for column in covenant.columns]
    )
    sheet.append(
        [_("Titles registered"), ""]
        + [column.pledge.registered_titles if column.visible else "" for column in covenant.columns]
    )
    for row_cells in sheet.iter_rows(min_row=2, max_row=3):
        for cell in row_cells:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row_cells in sheet.iter_rows(min_row=sheet.max_row - 1):
        for cell in row_cells:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.column_dimensions["A"].width = 45
    sheet.column_dimensions["B"].width = 12
    for index in range(3, len(header) + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 24
    sheet.freeze_panes = "C3"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
