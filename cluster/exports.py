"""Excel (.xlsx) exports of the cluster lists. Dates are real Excel dates shown dd/mm/yyyy."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from io import BytesIO

from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from .models import EmulationYear, Event, School

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def build_workbook(
    *, sheet_title: str, heading: str, headers: Sequence[str], rows: Iterable[Sequence]
) -> bytes:
    """One sheet: a heading line, a bold header row, the rows; columns sized to fit."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title[:31]
    sheet.append([heading])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append(list(headers))
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    widths = [len(str(h)) for h in headers]
    for row in rows:
        sheet.append(list(row))
        for index, value in enumerate(row):
            text = value.strftime("%d/%m/%Y") if isinstance(value, date) else str(value or "")
            widths[index] = max(widths[index], min(len(text), 60))
    for row in sheet.iter_rows(min_row=3):
        for cell in row:
            if isinstance(cell.value, date):
                cell.number_format = "DD/MM/YYYY"
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width + 2
    sheet.freeze_panes = "A3"
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def members_workbook(*, cluster, year: EmulationYear | None, schools: Iterable[School]) -> bytes:
    if year is not None:
        heading = _("Members of %(cluster)s in %(year)s") % {
            "cluster": cluster.name,
            "year": year.label,
        }
    else:
        heading = _("Members of %(cluster)s") % {"cluster": cluster.name}
    rows = [
        (
            index,
            school.code,
            school.name,
            school.province,
            school.rector,
            school.email,
            school.phone,
        )
        for index, school in enumerate(schools, start=1)
    ]
    return build_workbook(
        sheet_title=_("Members"),
        heading=heading,
        headers=[
            pgettext("row number", "No."),
            _("Code"),
            _("School"),
            _("Province"),
            _("Rector"),
            _("Email"),
            _("Phone"),
        ],
        rows=rows,
    )


def events_workbook(*, cluster, events: Iterable[Event]) -> bytes:
    rows = [
        (
            index,
            event.date,
            event.get_kind_display(),
            event.title,
            event.host_school.name if event.host_school else "",
            event.location,
            event.year.label if event.year else "",
            _("Yes") if event.minutes else _("No"),
        )
        for index, event in enumerate(events, start=1)
    ]
    return build_workbook(
        sheet_title=_("Events"),
        heading=_("Events of %(cluster)s") % {"cluster": cluster.name},
        headers=[
            pgettext("row number", "No."),
            _("Date"),
            _("Kind"),
            _("Title"),
            _("Host school"),
            _("Location"),
            _("Year"),
            _("Minutes attached"),
        ],
        rows=rows,
    )
