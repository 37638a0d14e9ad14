"""Excel (.xlsx) export of the user list."""

from __future__ import annotations

from collections.abc import Iterable
from io import BytesIO

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from .models import User

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def users_workbook(users: Iterable[User]) -> bytes:
    """A heading line, a bold header row, then one row per user."""
    headers = [
        _("No."),
        _("Full name"),
        _("Email"),
        _("Role"),
        _("Cluster"),
        _("School"),
        _("Position"),
        _("Phone"),
        _("Status"),
        _("Last sign-in"),
    ]
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Users")[:31]
    sheet.append([_("User accounts")])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append(headers)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    widths = [len(h) for h in headers]
    for index, user in enumerate(users, start=1):
        last_login = (
            timezone.localtime(user.last_login).replace(tzinfo=None) if user.last_login else None
        )
        row = [
            index,
            user.full_name,
            user.email,
            user.get_role_display(),
            user.cluster.name if user.cluster else "",
            user.school.name if user.school else "",
            user.position,
            user.phone,
            _("Active") if user.is_active else _("Deactivated"),
            last_login,
        ]
        sheet.append(row)
        for column, value in enumerate(row):
            widths[column] = max(widths[column], min(len(str(value or "")), 60))
        if last_login:
            sheet.cell(row=sheet.max_row, column=len(row)).number_format = "DD/MM/YYYY HH:MM"
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width + 2
    sheet.freeze_panes = "A3"
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
