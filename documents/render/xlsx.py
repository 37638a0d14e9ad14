"""The score summary as a workbook: a first sheet laid out as the official document
(heading, number, date, the ranking, signatures), then the detailed sheets of the scoring
workbook (``evaluations.xlsx_scoring``: per criteria group with each scorer's score, and
the self/cross gaps)."""

from __future__ import annotations

import io

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from ..enums import DocumentKind
from ..layout import Issue, OfficialDocument, Paragraph, Table

FONT = "Times New Roman"
THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def _detail_workbook(kind: str, params: dict):
    if kind != DocumentKind.SCORE_SUMMARY:
        return Workbook()
    from evaluations.selectors_scoring import compute_results
    from evaluations.xlsx_scoring import score_summary_workbook

    from ..content.common import load_year

    year = load_year(params.get("year"))
    return load_workbook(io.BytesIO(score_summary_workbook(compute_results(year))))


def _put(sheet, row: int, column: int, value, *, bold=False, italic=False, size=12, align="left"):
    cell = sheet.cell(row=row, column=column, value=value)
    cell.font = Font(name=FONT, bold=bold, italic=italic, size=size)
    cell.alignment = Alignment(horizontal=align, vertical="top", wrap_text=True)
    return cell


def _merged(sheet, row: int, first: int, last: int, value, **style) -> None:
    _put(sheet, row, first, value, **style)
    if last > first:
        sheet.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)


def render_xlsx(*, kind: str, document: OfficialDocument, issue: Issue, params: dict) -> bytes:
    workbook = _detail_workbook(kind, params)
    sheet = workbook.create_sheet("Văn bản", 0)
    if kind != DocumentKind.SCORE_SUMMARY:  # only the official sheet, no empty default one
        for other in list(workbook.worksheets)[1:]:
            workbook.remove(other)
    workbook.active = 0
    tables = [block for block in document.blocks if isinstance(block, Table)]
    width = max((len(t.columns) for t in tables), default=6)
    width = max(width, 6)
    split = max(width // 2, 2)
    head = document.letterhead

    row = 1
    _merged(sheet, row, 1, split, head.superior_body, size=12, align="center")
    _merged(
        sheet,
        row,
        split + 1,
        width,
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" if not head.party else "ĐẢNG CỘNG SẢN VIỆT NAM",
        bold=True,
        size=12,
        align="center",
    )
    row += 1
    _merged(sheet, row, 1, split, head.issuing_body, bold=True, size=12, align="center")
    if not head.party:
        _merged(
            sheet,
            row,
            split + 1,
            width,
            "Độc lập - Tự do - Hạnh phúc",
            bold=True,
            size=13,
            align="center",
        )
        sheet.cell(row=row, column=split + 1).font = Font(
            name=FONT, bold=True, size=13, underline="single"
        )
    row += 1
    _merged(sheet, row, 1, split, issue.number_line(head.party), size=13, align="center")
    _merged(sheet, row, split + 1, width, issue.date_line, italic=True, size=13, align="center")
    row += 2
    _merged(sheet, row, 1, width, document.title, bold=True, size=14, align="center")
    for line in document.subject:
        row += 1
        _merged(sheet, row, 1, width, line, bold=True, size=14, align="center")
    if document.stamp:
        row += 1
        _merged(
            sheet, row, 1, width, document.stamp, bold=True, italic=True, size=12, align="center"
        )
    row += 2

    for block in document.blocks:
        if isinstance(block, Paragraph):
            _merged(sheet, row, 1, width, block.text, bold=block.bold, italic=block.italic, size=12)
            sheet.row_dimensions[row].height = 16 * max(1, len(block.text) // 110 + 1)
            row += 1
        elif isinstance(block, Table):
            if block.caption:
                _merged(sheet, row, 1, width, block.caption, italic=True)
                row += 1
            for column, spec in enumerate(block.columns, start=1):
                _put(sheet, row, column, spec.label, bold=True, align="center").border = BOX
            row += 1
            for data in block.rows:
                for column, text in enumerate(data.cells, start=1):
                    align = block.columns[column - 1].align
                    _put(sheet, row, column, text, bold=data.bold, align=align).border = BOX
                row += 1
            row += 1
        elif hasattr(block, "text"):  # a heading
            _put(sheet, row, 1, block.text, bold=True, size=12)
            row += 1

    row += 1
    signatures = document.signatures
    if signatures:
        span = max(width // len(signatures), 1)
        for index, signature in enumerate(signatures):
            first = 1 + index * span
            last = width if index == len(signatures) - 1 else first + span - 1
            for offset, line in enumerate(signature.lines):
                _merged(sheet, row + offset, first, last, line, bold=True, align="center")
            if signature.name:
                _merged(sheet, row + 5, first, last, signature.name, bold=True, align="center")
    widths = [10, 40] + [14] * (width - 2)
    for index, value in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = value
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToHeight = 0
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
