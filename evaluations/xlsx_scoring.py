"""Files of cross-scoring: the ranking CSV (the fingerprinted, machine-readable export), the
score summary workbook (bảng tổng hợp điểm) and the reader of imported cross scores."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_HEADER = [
    "rank",
    "school_code",
    "school_name",
    "criteria_points",
    "bonus",
    "deductions",
    "total",
]
IMPORT_HEADER = ["scorer_code", "target_code", "criterion_code", "points"]
IMPORT_MAX_BYTES = 5 * 1024 * 1024
IMPORT_MAX_ROWS = 200_000
NUMBER_FORMAT = "0.00"
FLAG_FILL = PatternFill("solid", fgColor="FFE0B2")


def _two(value: Decimal) -> str:
    return f"{value:.2f}"


def ranking_csv(lines: Iterable) -> str:
    """The ranking as CSV: header ``rank,school_code,school_name,criteria_points,bonus,
    deductions,total``, one row per member in rank order, numbers with two decimals and a
    dot, ``\\n`` line endings. The fingerprint of a frozen year is the SHA-256 of these
    UTF-8 bytes."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for line in lines:
        writer.writerow(
            [
                line.rank,
                line.school_code,
                line.school_name,
                _two(line.criteria_points),
                _two(line.bonus),
                _two(line.deductions),
                _two(line.total),
            ]
        )
    return buffer.getvalue()


def csv_response(text: str, filename: str) -> HttpResponse:
    # No BOM: the bytes are exactly those the fingerprint is computed over.
    response = HttpResponse(text.encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- the score summary workbook ------------------------------------------------------------------


def _sheet_title(text: str, used: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", " ", text).strip()[:31] or "Sheet"
    title, counter = base, 2
    while title.lower() in used:
        suffix = f" ({counter})"
        title = base[: 31 - len(suffix)] + suffix
        counter += 1
    used.add(title.lower())
    return title


def _header(sheet, row: int, headers: list[str]) -> None:
    for column, text in enumerate(headers, start=1):
        cell = sheet.cell(row=row, column=column, value=text)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def _widths(sheet, widths: list[int]) -> None:
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def _numbers(sheet, first_row: int, columns: Iterable[int]) -> None:
    columns = list(columns)
    for row in sheet.iter_rows(min_row=first_row):
        for cell in row:
            if cell.column in columns:
                cell.number_format = NUMBER_FORMAT


def score_summary_workbook(results, *, with_individual_scores: bool = True) -> bytes:
    """The score summary (bảng tổng hợp điểm): the ranking sheet, one sheet per criterion
    group with each scorer's score, and the self/cross gaps."""
    data = results.data
    year = data.year
    settings = data.settings
    workbook = Workbook()
    used: set[str] = set()

    sheet = workbook.active
    sheet.title = _sheet_title(_("Ranking"), used)
    sheet.append(
        [
            _("Score summary of %(cluster)s, year %(year)s")
            % {"cluster": year.cluster.name, "year": year.label}
        ]
    )
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append(
        [
            _("Aggregation: %(method)s. Stage: %(stage)s.")
            % {
                "method": dict(_method_labels()).get(results.method, results.method),
                "stage": settings.get_stage_display(),
            }
        ]
    )
    if settings.is_frozen and settings.fingerprint:
        sheet.append(
            [_("SHA-256 fingerprint of the ranking CSV: %(fp)s") % {"fp": settings.fingerprint}]
        )
    else:
        sheet.append([_("Provisional: the ranking may still change.")])
    header_row = 4
    _header(
        sheet,
        header_row,
        [
            _("Rank"),
            _("Code"),
            _("School"),
            _("Criteria points"),
            _("Bonus"),
            _("Deductions"),
            _("Total"),
        ],
    )
    for line in results.lines:
        sheet.append(
            [
                line.rank,
                line.school_code,
                line.school_name,
                line.criteria_points,
                line.bonus,
                line.deductions,
                line.total,
            ]
        )
    _numbers(sheet, header_row + 1, range(4, 8))
    _widths(sheet, [8, 10, 45, 14, 10, 12, 10])
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)

    scorers = sorted(
        {score[0] for detail in results.details for c in detail.criteria for score in c.scores},
        key=lambda school: school.code,
    )
    for group in data.groups:
        criteria_in_group = {c.pk for c in data.criteria if c.parent_id == group.pk}
        if not criteria_in_group:
            continue
        sheet = workbook.create_sheet(_sheet_title(f"{group.code} {group.title}", used))
        sheet.append([f"{group.code}. {group.title}"])
        sheet["A1"].font = Font(bold=True, size=12)
        headers = [
            _("Code"),
            _("School scored"),
            _("Criterion"),
            _("Title"),
            _("Maximum"),
            _("Self-score"),
        ]
        if with_individual_scores:
            headers += [scorer.code for scorer in scorers]
        headers.append(_("Aggregated"))
        _header(sheet, 2, headers)
        for detail in results.details:
            for item in detail.criteria:
                if item.criterion.pk not in criteria_in_group:
                    continue
                row = [
                    detail.school.code,
                    detail.school.name,
                    item.criterion.code,
                    item.criterion.title,
                    item.criterion.max_points,
                    item.gap.self_score if item.gap else None,
                ]
                if with_individual_scores:
                    by_scorer = {school.pk: points for school, points in item.scores}
                    row += [by_scorer.get(scorer.pk) for scorer in scorers]
                row.append(item.aggregated)
                sheet.append(row)
        _numbers(sheet, 3, range(5, len(headers) + 1))
        _widths(sheet, [8, 30, 10, 45, 9, 10] + [8] * (len(headers) - 6))
        sheet.freeze_panes = "C3"

    sheet = workbook.create_sheet(_sheet_title(_("Self-cross gaps"), used))
    sheet.append(
        [
            _(
                "Gap = self-score − aggregated cross score; flagged above %(percent)s%% "
                "of the maximum."
            )
            % {"percent": f"{settings.gap_threshold_percent.normalize():f}"}
        ]
    )
    sheet["A1"].font = Font(bold=True)
    _header(
        sheet,
        2,
        [
            _("Code"),
            _("School scored"),
            _("Criterion"),
            _("Maximum"),
            _("Self-score"),
            _("Cross score"),
            _("Gap"),
            _("Flagged"),
        ],
    )
    for detail in results.details:
        for item in detail.criteria:
            if item.gap is None:
                continue
            sheet.append(
                [
                    detail.school.code,
                    detail.school.name,
                    item.criterion.code,
                    item.criterion.max_points,
                    item.gap.self_score,
                    item.gap.cross,
                    item.gap.gap,
                    _("Yes") if item.gap.flagged else "",
                ]
            )
            if item.gap.flagged:
                for cell in sheet[sheet.max_row]:
                    cell.fill = FLAG_FILL
    _numbers(sheet, 3, range(4, 8))
    _widths(sheet, [8, 30, 10, 9, 10, 10, 9, 9])
    sheet.freeze_panes = "C3"

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _method_labels():
    from .enums import AggregationMethod

    return AggregationMethod.choices


# --- import --------------------------------------------------------------------------------------


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_cross_score_rows(source) -> list:
    """The rows of an imported workbook as ``services.scoring.ImportRow`` items.

    One sheet (the first), a header row ``scorer_code, target_code, criterion_code,
    points``, then one score per row; empty rows are skipped. Raises ValidationError when
    the file is not a readable .xlsx or the header is wrong.
    """
    from .services.scoring import ImportRow

    size = getattr(source, "size", None)
    if size is not None and size > IMPORT_MAX_BYTES:
        raise ValidationError(_("The file is larger than 5 MB."), code="too_large")
    try:
        workbook = load_workbook(source, read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, TypeError):
        raise ValidationError(_("This is not a readable .xlsx file."), code="unreadable")
    try:
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header = next(rows, None)
        names = [_cell_text(v).lower() for v in (header or [])]
        while names and not names[-1]:
            names.pop()
        if names != IMPORT_HEADER:
            raise ValidationError(
                _("The first row must be the header: %(header)s.")
                % {"header": ", ".join(IMPORT_HEADER)},
                code="header",
            )
        result = []
        for number, values in enumerate(rows, start=2):
            if number > IMPORT_MAX_ROWS:
                raise ValidationError(_("The file has too many rows."), code="too_many")
            values = list(values or []) + [None] * 4
            if all(v is None or _cell_text(v) == "" for v in values):
                continue
            points = values[3]
            if isinstance(points, float):
                points = repr(points)
            result.append(
                ImportRow(
                    row=number,
                    scorer_code=_cell_text(values[0]),
                    target_code=_cell_text(values[1]),
                    criterion_code=_cell_text(values[2]),
                    points=points if not isinstance(points, str) else points.strip(),
                )
            )
        return result
    finally:
        workbook.close()


def import_template_workbook() -> bytes:
    """An empty import file with the header row."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "scores"
    sheet.append(IMPORT_HEADER)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for column in "ABC":
        sheet.column_dimensions[column].number_format = "@"
        sheet.column_dimensions[column].width = 16
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
