"""Achievement history (hồ sơ thành tích) in and out of Excel.

Import sheet (the first sheet; the header row is the first row that has ``school_code``
among its first cells, so an exported file with its title line imports as is; header names
are matched case-insensitively, extra columns are ignored)::

    school_code, recipient_kind, name, position, unit, award_code, year,
    decision_number, decision_date, issuer

- ``recipient_kind``: ``individual`` or ``collective`` (``cá nhân`` / ``tập thể`` also
  accepted); it must be the award type's recipient kind.
- ``year``: the year the achievement is for (the end year of a school year).
- ``decision_date``: a real Excel date, ``YYYY-MM-DD`` or ``dd/mm/yyyy``.
- ``issuer``: empty means the award type's issuing authority.
- Rows with a ``revoked_on`` value (as in an export) are skipped: revocations are recorded
  with their reason and reference on the history page, not imported.

All or nothing: every row is checked first; one problem and nothing is written, with every
problem listed by row number (the spreadsheet's, header included). A row already recorded
with the same decision number is left unchanged, so importing a file twice changes nothing.
Used by ``python manage.py import_achievements`` and by the upload page alike.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import IO

from django.db import transaction
from django.utils.translation import gettext as _

from cluster.exports import build_workbook
from cluster.models import School

from .enums import AwardCategory, RecipientKind
from .models import Achievement, AwardType, Recipient

COLUMNS = (
    "school_code",
    "recipient_kind",
    "name",
    "position",
    "unit",
    "award_code",
    "year",
    "decision_number",
    "decision_date",
    "issuer",
)
REQUIRED = ("school_code", "recipient_kind", "name", "award_code", "year", "decision_number")
KIND_WORDS = {
    "individual": RecipientKind.INDIVIDUAL,
    "ca nhan": RecipientKind.INDIVIDUAL,
    "collective": RecipientKind.COLLECTIVE,
    "tap the": RecipientKind.COLLECTIVE,
}
DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
MAX_ROWS = 20000


@dataclass(frozen=True)
class ImportProblem:
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        if self.row is None:
            return self.message
        values = {"row": self.row, "column": self.column, "message": self.message}
        if self.column is None:
            return _("row %(row)s: %(message)s") % values
        return _("row %(row)s, column %(column)s: %(message)s") % values


@dataclass
class ImportReport:
    created: int = 0
    unchanged: int = 0
    skipped: int = 0
    problems: list[ImportProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        return _(
            "%(created)d achievements recorded, %(unchanged)d already on record, "
            "%(skipped)d revoked rows skipped."
        ) % {"created": self.created, "unchanged": self.unchanged, "skipped": self.skipped}


@dataclass(frozen=True)
class _Row:
    number: int
    school: School
    kind: str
    name: str
    position: str
    unit: str
    award_type: AwardType
    year: int
    decision_number: str
    decision_date: date
    issuer: str

    @property
    def identity(self) -> tuple:
        return (self.school.pk, self.kind, self.name, self.unit)


def _plain(text: str) -> str:
    """Lower case, no diacritics, single spaces (đ → d)."""
    text = unicodedata.normalize("NFD", str(text or "").replace("đ", "d").replace("Đ", "D"))
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    return " ".join(text.lower().split())


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def _date(value) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    match = DMY.match(text)
    try:
        if match:
            day, month, year = (int(x) for x in match.groups())
            return date(year, month, day)
        return date.fromisoformat(text)
    except ValueError:
        return None


def _read_rows(handle: IO[bytes]) -> tuple[dict[str, int] | None, list[tuple[int, tuple]]]:
    from openpyxl import load_workbook

    workbook = load_workbook(handle, read_only=True, data_only=True)
    sheet = workbook.worksheets[0]
    header: dict[str, int] | None = None
    rows: list[tuple[int, tuple]] = []
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        if header is None:
            names = [_plain(v).replace(" ", "_") for v in values]
            if "school_code" in names[:3]:
                header = {name: index for index, name in enumerate(names) if name}
            elif number >= 5:
                break
            continue
        if all(v is None or _text(v) == "" for v in values):
            continue
        rows.append((number, values))
        if len(rows) > MAX_ROWS:
            break
    workbook.close()
    return header, rows


def parse_workbook(handle: IO[bytes], *, allowed_school_ids: set[int] | None = None):
    """Check every row; return (rows ready to write, skipped count, problems)."""
    problems: list[ImportProblem] = []
    try:
        header, raw_rows = _read_rows(handle)
    except Exception:  # noqa: BLE001 - any unreadable file is the same problem for the user
        return [], 0, [ImportProblem(None, None, _("This is not a readable .xlsx workbook."))]
    if header is None:
        return (
            [],
            0,
            [
                ImportProblem(
                    None,
                    None,
                    _("No header row found: the first row must name the columns (%(columns)s).")
                    % {"columns": ", ".join(COLUMNS)},
                )
            ],
        )
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        return (
            [],
            0,
            [
                ImportProblem(
                    None,
                    None,
                    _("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)},
                )
            ],
        )
    if len(raw_rows) > MAX_ROWS:
        return (
            [],
            0,
            [ImportProblem(None, None, _("At most %(max)d rows per file.") % {"max": MAX_ROWS})],
        )
    schools = {s.code.upper(): s for s in School.objects.all()}
    types = {t.code.upper(): t for t in AwardType.objects.all()}
    rows: list[_Row] = []
    skipped = 0
    revoked_column = header.get("revoked_on")
    for number, values in raw_rows:

        def cell(column: str, values=values):
            index = header[column]
            return values[index] if index < len(values) else None

        if (
            revoked_column is not None
            and revoked_column < len(values)
            and _text(values[revoked_column])
        ):
            skipped += 1
            continue
        row_problems: list[ImportProblem] = []

        def problem(column: str | None, message: str, number=number, bucket=row_problems):
            bucket.append(ImportProblem(number, column, message))

        for column in REQUIRED:
            if not _text(cell(column)):
                problem(column, _("This cell is required."))
        school = schools.get(_text(cell("school_code")).upper())
        if _text(cell("school_code")) and school is None:
            problem("school_code", _("No school has this code."))
        elif (
            school is not None
            and allowed_school_ids is not None
            and school.pk not in allowed_school_ids
        ):
            problem("school_code", _("This school is not in your cluster."))
        kind = KIND_WORDS.get(_plain(cell("recipient_kind")))
        if _text(cell("recipient_kind")) and kind is None:
            problem("recipient_kind", _("Write individual or collective."))
        award_type = types.get(_text(cell("award_code")).upper())
        if _text(cell("award_code")) and award_type is None:
            problem("award_code", _("No award type has this code."))
        if award_type is not None and kind is not None and award_type.recipient_kind != kind:
            problem(
                "recipient_kind",
                _("%(type)s is awarded to %(kind)s.")
                % {
                    "type": award_type.code,
                    "kind": _("individuals")
                    if award_type.recipient_kind == RecipientKind.INDIVIDUAL
                    else _("collectives"),
                },
            )
        year = None
        if _text(cell("year")):
            try:
                year = int(_text(cell("year")))
            except ValueError:
                year = None
            if year is None or not 1990 <= year <= 2100:
                problem("year", _("Write a year such as 2024."))
                year = None
        decision_date = None
        if not _text(cell("decision_date")):
            problem("decision_date", _("This cell is required."))
        else:
            decision_date = _date(cell("decision_date"))
            if decision_date is None:
                problem("decision_date", _("Write a date as dd/mm/yyyy."))
            elif year is not None and decision_date.year < year:
                problem("decision_date", _("The decision cannot come before the year it is for."))
        if row_problems:
            problems.extend(row_problems)
            continue
        rows.append(
            _Row(
                number=number,
                school=school,
                kind=kind,
                name=_text(cell("name")),
                position=_text(cell("position")),
                unit=_text(cell("unit")),
                award_type=award_type,
                year=year,
                decision_number=_text(cell("decision_number")),
                decision_date=decision_date,
                issuer=_text(cell("issuer")) or award_type.issuer,
            )
        )
    problems.extend(_conflicts(rows))
    return rows, skipped, sorted(problems, key=_problem_order)


def _problem_order(problem: ImportProblem) -> tuple[int, int]:
    """By row, then in the sheet's column order."""
    column = COLUMNS.index(problem.column) if problem.column in COLUMNS else -1
    return (problem.row or 0, column)


def _conflicts(rows: list[_Row]) -> list[ImportProblem]:
    """One achievement backs one award (DOMAIN rule 2), in the file and against the
    database: the same type twice for a recipient and year, or two forms in one year."""
    problems: list[ImportProblem] = []
    seen: dict[tuple, int] = {}
    forms: dict[tuple, tuple[int, str]] = {}
    for row in rows:
        key = (*row.identity, row.award_type.pk, row.year)
        if key in seen:
            problems.append(
                ImportProblem(
                    row.number,
                    "award_code",
                    _("Same recipient, award and year as row %(row)s.") % {"row": seen[key]},
                )
            )
            continue
        seen[key] = row.number
        if row.award_type.category == AwardCategory.FORM:
            form_key = (*row.identity, row.year)
            if form_key in forms and forms[form_key][1] != row.award_type.code:
                problems.append(
                    ImportProblem(
                        row.number,
                        "award_code",
                        _("One form of commendation per recipient and year (see row %(row)s).")
                        % {"row": forms[form_key][0]},
                    )
                )
            forms.setdefault(form_key, (row.number, row.award_type.code))
    school_ids = {row.school.pk for row in rows}
    existing: dict[tuple, list[Achievement]] = {}
    for achievement in Achievement.objects.filter(
        recipient__school_id__in=school_ids, revoked_at__isnull=True
    ).select_related("recipient", "award_type"):
        r = achievement.recipient
        existing.setdefault(
            (r.school_id, r.kind, r.name, r.unit, achievement.period_year), []
        ).append(achievement)
    for row in rows:
        for held in existing.get((*row.identity, row.year), []):
            if held.award_type_id == row.award_type.pk:
                if held.decision_number != row.decision_number:
                    problems.append(
                        ImportProblem(
                            row.number,
                            "decision_number",
                            _("Already recorded with decision %(number)s.")
                            % {"number": held.decision_number},
                        )
                    )
            elif (
                held.award_type.category == AwardCategory.FORM
                and row.award_type.category == AwardCategory.FORM
            ):
                problems.append(
                    ImportProblem(
                        row.number,
                        "award_code",
                        _("The recipient already has %(type)s for this year.")
                        % {"type": held.award_type.code},
                    )
                )
    return problems


def import_achievements(
    handle: IO[bytes], *, by=None, allowed_school_ids: set[int] | None = None
) -> ImportReport:
    """Import a workbook all or nothing (see the module docstring)."""
    rows, skipped, problems = parse_workbook(handle, allowed_school_ids=allowed_school_ids)
    report = ImportReport(skipped=skipped, problems=problems)
    if problems:
        return report
    with transaction.atomic():
        for row in rows:
            recipient, created = Recipient.objects.get_or_create(
                school=row.school,
                kind=row.kind,
                name=row.name,
                unit=row.unit,
                defaults={"position": row.position},
            )
            if not created and row.position and recipient.position != row.position:
                recipient.position = row.position
                recipient.save(update_fields=["position"])
            if Achievement.objects.filter(
                recipient=recipient,
                award_type=row.award_type,
                period_year=row.year,
                revoked_at__isnull=True,
            ).exists():
                report.unchanged += 1
                continue
            achievement = Achievement(
                recipient=recipient,
                award_type=row.award_type,
                period_year=row.year,
                period_label=str(row.year),
                decision_number=row.decision_number,
                decision_date=row.decision_date,
                issuer=row.issuer,
            )
            if by is not None and getattr(by, "is_authenticated", False):
                achievement._history_user = by
            achievement.save()
            report.created += 1
    return report


# --- Export ----------------------------------------------------------------------------------

EXPORT_EXTRA = ("revoked_on", "revoke_reason", "revoke_reference")


def achievements_workbook(*, school: School, achievements: Iterable[Achievement]) -> bytes:
    """The school's history, in the import's columns (so it can be corrected and imported
    elsewhere), plus the revocation columns."""
    rows = [
        (
            school.code,
            a.recipient.kind,
            a.recipient.name,
            a.recipient.position,
            a.recipient.unit,
            a.award_type.code,
            a.period_year,
            a.decision_number,
            a.decision_date,
            a.issuer,
            a.revoked_at,
            a.revoke_reason,
            a.revoke_reference,
        )
        for a in achievements
    ]
    return build_workbook(
        sheet_title=_("Achievements"),
        heading=_("Achievement history of %(school)s") % {"school": school.name},
        headers=[*COLUMNS, *EXPORT_EXTRA],
        rows=rows,
    )


def template_workbook() -> bytes:
    """An empty sheet with the header and one example row."""
    from io import BytesIO

    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "achievements"
    sheet.append(list(COLUMNS))
    sheet.append(
        [
            "HYE",
            "individual",
            "Nguyễn Văn A",
            "Giảng viên",
            "Khoa Lý luận cơ sở",
            "CSTDCS",
            2024,
            "15/QĐ-TCT",
            "15/01/2025",
            "",
        ]
    )
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
