"""Import clusters, schools and memberships from an .xlsx workbook.

The workbook has three sheets (names and headers are matched case-insensitively, surrounding
spaces ignored, extra columns allowed):

- ``clusters``: ``code, name``
- ``schools``: ``code, name, province``
- ``members``: ``cluster_code, school_code, from_date, to_date`` (dates as YYYY-MM-DD text or
  real Excel dates; ``to_date`` empty while the school is still a member)

Everything is validated before anything is written: a file with any problem is refused whole,
with every problem listed by sheet, row and column, and the database is left untouched. A
clean file is written in one transaction. Rows are matched on natural keys (cluster and school
by code, membership by cluster, school and start date), and unchanged objects are not saved,
so importing the same file twice changes nothing and adds no history rows.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import IO, Any

from django.db import transaction
from django.utils.translation import gettext as _

from .models import Cluster, Membership, School

SHEET_CLUSTERS = "clusters"
SHEET_SCHOOLS = "schools"
SHEET_MEMBERS = "members"

#: Each sheet and its required columns, in the order the template shows them.
SHEET_COLUMNS: dict[str, tuple[str, ...]] = {
    SHEET_CLUSTERS: ("code", "name"),
    SHEET_SCHOOLS: ("code", "name", "province"),
    SHEET_MEMBERS: ("cluster_code", "school_code", "from_date", "to_date"),
}

# Same pattern as cluster.models.code_validator (kept in one place there; repeated here as a
# compiled regex because we validate thousands of cells without building ValidationErrors).
CODE_RE = re.compile(r"^[A-Z0-9][A-Z0-9_-]*$")
ISO_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class ImportProblem:
    """One thing wrong with the file. ``row`` is the spreadsheet row (header = 1)."""

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
        if self.sheet is None:
            return self.message
        if self.row is None:
            return _("sheet %(sheet)s: %(message)s") % values
        if self.column is None:
            return _("sheet %(sheet)s, row %(row)s: %(message)s") % values
        return _("sheet %(sheet)s, row %(row)s, column %(column)s: %(message)s") % values


@dataclass
class SheetCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


@dataclass
class ImportReport:
    """What an import did (or, for a dry run or a refused file, would have done)."""

    dry_run: bool = False
    clusters: SheetCounts = field(default_factory=SheetCounts)
    schools: SheetCounts = field(default_factory=SheetCounts)
    members: SheetCounts = field(default_factory=SheetCounts)
    problems: list[ImportProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def written(self) -> bool:
        """True when the database was changed by this import."""
        return self.ok and not self.dry_run and self.changes > 0

    @property
    def changes(self) -> int:
        return sum(c.created + c.updated for c in (self.clusters, self.schools, self.members))

    def counts_by_sheet(self) -> dict[str, SheetCounts]:
        return {
            SHEET_CLUSTERS: self.clusters,
            SHEET_SCHOOLS: self.schools,
            SHEET_MEMBERS: self.members,
        }

    def summary(self) -> str:
        """One line per sheet, e.g. ``clusters: 1 created, 0 updated, 2 unchanged``."""
        return "\n".join(
            _("%(sheet)s: %(created)d created, %(updated)d updated, %(unchanged)d unchanged")
            % {
                "sheet": sheet,
                "created": counts.created,
                "updated": counts.updated,
                "unchanged": counts.unchanged,
            }
            for sheet, counts in self.counts_by_sheet().items()
        )


# --- parsed rows ---------------------------------------------------------------------------


@dataclass
class _ClusterRow:
    row: int
    code: str
    name: str


@dataclass
class _SchoolRow:
    row: int
    code: str
    name: str
    province: str


@dataclass
class _MemberRow:
    row: int
    cluster_code: str
    school_code: str
    start_date: date
    end_date: date | None


class _Collector:
    def __init__(self) -> None:
        self.problems: list[ImportProblem] = []

    def add(self, sheet: str | None, row: int | None, column: str | None, message: str) -> None:
        self.problems.append(ImportProblem(sheet, row, column, message))


# --- cell helpers --------------------------------------------------------------------------


def _text(value: Any) -> str:
    """A cell as stripped NFC text ('' for empty). Whole numbers lose their '.0'."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime | date):
        return value.isoformat()[:10]
    # NFC so that names typed with combining accents compare equal to precomposed ones.
    return unicodedata.normalize("NFC", str(value)).strip()


def _is_blank(values: tuple[Any, ...]) -> bool:
    return all(_text(v) == "" for v in values)


def _max_length(model, field_name: str) -> int:
    return model._meta.get_field(field_name).max_length


# --- reading -------------------------------------------------------------------------------


def _open_workbook(file: str | IO[bytes], problems: _Collector):
    from openpyxl import load_workbook

    try:
        if hasattr(file, "seek"):
            file.seek(0)
        return load_workbook(file, read_only=False, data_only=True)
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds on a bad file
        problems.add(
            None,
            None,
            None,
            _("The file is not a valid Excel workbook (.xlsx). Save it as .xlsx and try again."),
        )
        return None


def _find_sheets(workbook, problems: _Collector) -> dict[str, Any]:
    by_name = {ws.title.strip().lower(): ws for ws in workbook.worksheets}
    found = {}
    for sheet in SHEET_COLUMNS:
        if sheet in by_name:
            found[sheet] = by_name[sheet]
        else:
            problems.add(
                sheet,
                None,
                None,
                _("The sheet “%(sheet)s” is missing (sheets found: %(found)s).")
                % {"sheet": sheet, "found": ", ".join(ws.title for ws in workbook.worksheets)},
            )
    return found


def _header_map(sheet: str, ws, problems: _Collector) -> dict[str, int] | None:
    """Column name → 0-based index, or None when a required column is missing."""
    header_rows = list(ws.iter_rows(min_row=1, max_row=1, values_only=True))
    header = header_rows[0] if header_rows else ()
    columns: dict[str, int] = {}
    for index, value in enumerate(header):
        name = _text(value).lower()
        if not name:
            continue
        if name in columns and name in SHEET_COLUMNS[sheet]:
            problems.add(
                sheet,
                1,
                name,
                _("The column “%(column)s” appears more than once in the header.")
                % {"column": name},
            )
            continue
        columns.setdefault(name, index)
    missing = [c for c in SHEET_COLUMNS[sheet] if c not in columns]
    for column in missing:
        problems.add(
            sheet,
            1,
            column,
            _(
                "The header has no column “%(column)s”. Expected columns: %(expected)s; "
                "found: %(found)s."
            )
            % {
                "column": column,
                "expected": ", ".join(SHEET_COLUMNS[sheet]),
                "found": ", ".join(_text(v) for v in header if _text(v)) or "—",
            },
        )
    return None if missing else columns


def _data_rows(ws, columns: dict[str, int], sheet: str):
    """Yield (row number, {column: raw value}) for every non-blank data row."""
    wanted = SHEET_COLUMNS[sheet]
    for row_number, values in enumerate(ws.iter_rows(min_row=2, values_only=True), start=2):
        cells = {c: (values[columns[c]] if columns[c] < len(values) else None) for c in wanted}
        if _is_blank(tuple(cells.values())):
            continue
        yield row_number, cells


def _required(sheet: str, row: int, column: str, value: Any, problems: _Collector) -> str:
    text = _text(value)
    if not text:
        problems.add(sheet, row, column, _("This cell is required but empty."))
    return text


def _code(sheet: str, row: int, column: str, value: Any, problems: _Collector) -> str | None:
    text = _required(sheet, row, column, value, problems).upper()
    if not text:
        return None
    if len(text) > 20 or not CODE_RE.match(text):
        problems.add(
            sheet,
            row,
            column,
            _(
                "“%(value)s” is not a valid code: use at most 20 capital letters, digits, "
                "'-' or '_' (for example CUM4 or HNA)."
            )
            % {"value": _text(value)},
        )
        return None
    return text


def _name(
    sheet: str, row: int, column: str, value: Any, max_length: int, problems: _Collector
) -> str | None:
    text = _required(sheet, row, column, value, problems)
    if not text:
        return None
    if len(text) > max_length:
        problems.add(
            sheet,
            row,
            column,
            _("“%(value)s” is too long: %(length)d characters, at most %(max)d allowed.")
            % {"value": text, "length": len(text), "max": max_length},
        )
        return None
    return text


def _date(
    sheet: str, row: int, column: str, value: Any, problems: _Collector, *, required: bool
) -> tuple[date | None, bool]:
    """Parse a date cell. Returns (date or None, ok)."""
    if isinstance(value, datetime):
        return value.date(), True
    if isinstance(value, date):
        return value, True
    text = _text(value)
    if not text:
        if required:
            problems.add(sheet, row, column, _("This cell is required but empty."))
            return None, False
        return None, True
    if ISO_DATE_RE.match(text):
        try:
            return date.fromisoformat(text), True
        except ValueError:
            pass
    problems.add(
        sheet,
        row,
        column,
        _("“%(value)s” is not a date: write it as YYYY-MM-DD (for example 2025-07-01).")
        % {"value": text},
    )
    return None, False


def _read_clusters(ws, columns, problems: _Collector) -> tuple[list[_ClusterRow], set[str]]:
    sheet = SHEET_CLUSTERS
    max_name = _max_length(Cluster, "name")
    rows: list[_ClusterRow] = []
    seen: dict[str, int] = {}
    for number, cells in _data_rows(ws, columns, sheet):
        code = _code(sheet, number, "code", cells["code"], problems)
        name = _name(sheet, number, "name", cells["name"], max_name, problems)
        if code is not None:
            if code in seen:
                problems.add(
                    sheet,
                    number,
                    "code",
                    _("The code “%(code)s” already appears in row %(first)d.")
                    % {"code": code, "first": seen[code]},
                )
                continue
            seen[code] = number
        if code is not None and name is not None:
            rows.append(_ClusterRow(number, code, name))
    return rows, set(seen)


def _read_schools(ws, columns, problems: _Collector) -> tuple[list[_SchoolRow], set[str]]:
    sheet = SHEET_SCHOOLS
    max_name = _max_length(School, "name")
    max_province = _max_length(School, "province")
    rows: list[_SchoolRow] = []
    seen: dict[str, int] = {}
    for number, cells in _data_rows(ws, columns, sheet):
        code = _code(sheet, number, "code", cells["code"], problems)
        name = _name(sheet, number, "name", cells["name"], max_name, problems)
        province = _name(sheet, number, "province", cells["province"], max_province, problems)
        if code is not None:
            if code in seen:
                problems.add(
                    sheet,
                    number,
                    "code",
                    _("The code “%(code)s” already appears in row %(first)d.")
                    % {"code": code, "first": seen[code]},
                )
                continue
            seen[code] = number
        if code is not None and name is not None and province is not None:
            rows.append(_SchoolRow(number, code, name, province))
    return rows, set(seen)


def _read_members(
    raw_rows: list[tuple[int, dict[str, Any]]],
    problems: _Collector,
    *,
    known_clusters: set[str] | None,
    known_schools: set[str] | None,
) -> list[_MemberRow]:
    """``known_*`` None: that sheet could not be read, so references are not checked
    (the sheet's own problem is reported; one per member row would only be noise)."""
    sheet = SHEET_MEMBERS
    rows: list[_MemberRow] = []
    for number, cells in raw_rows:
        cluster_code = _code(sheet, number, "cluster_code", cells["cluster_code"], problems)
        school_code = _code(sheet, number, "school_code", cells["school_code"], problems)
        start, start_ok = _date(
            sheet, number, "from_date", cells["from_date"], problems, required=True
        )
        end, end_ok = _date(sheet, number, "to_date", cells["to_date"], problems, required=False)
        if (
            cluster_code is not None
            and known_clusters is not None
            and cluster_code not in known_clusters
        ):
            problems.add(
                sheet,
                number,
                "cluster_code",
                _("The cluster “%(code)s” is neither in the sheet “clusters” nor in the database.")
                % {"code": cluster_code},
            )
            cluster_code = None
        if (
            school_code is not None
            and known_schools is not None
            and school_code not in known_schools
        ):
            problems.add(
                sheet,
                number,
                "school_code",
                _("The school “%(code)s” is neither in the sheet “schools” nor in the database.")
                % {"code": school_code},
            )
            school_code = None
        if start is not None and end is not None and end < start:
            problems.add(
                sheet,
                number,
                "to_date",
                _("The end date %(end)s is before the start date %(start)s.")
                % {"end": end.isoformat(), "start": start.isoformat()},
            )
            continue
        if cluster_code and school_code and start_ok and end_ok and start is not None:
            rows.append(_MemberRow(number, cluster_code, school_code, start, end))
    return rows


# --- cross-row checks ----------------------------------------------------------------------


def _overlaps(a_start: date, a_end: date | None, b_start: date, b_end: date | None) -> bool:
    return (b_end is None or a_start <= b_end) and (a_end is None or b_start <= a_end)


def _period(start: date, end: date | None) -> str:
    return f"{start.isoformat()} – {end.isoformat() if end else '…'}"


def _check_member_overlaps(rows: list[_MemberRow], problems: _Collector) -> None:
    """Duplicates and overlapping periods of one school in one cluster, within the file and
    against the database (an existing membership with the same start is the one the row
    updates, so the row's dates replace it)."""
    sheet = SHEET_MEMBERS
    by_pair: dict[tuple[str, str], list[_MemberRow]] = defaultdict(list)
    for row in rows:
        by_pair[(row.cluster_code, row.school_code)].append(row)
    if not by_pair:
        return

    existing: dict[tuple[str, str], list[tuple[date, date | None]]] = defaultdict(list)
    queryset = Membership.objects.filter(
        cluster__code__in={c for c, _s in by_pair}, school__code__in={s for _c, s in by_pair}
    ).values_list("cluster__code", "school__code", "start_date", "end_date")
    for cluster_code, school_code, start, end in queryset:
        if (cluster_code, school_code) in by_pair:
            existing[(cluster_code, school_code)].append((start, end))

    for pair, pair_rows in by_pair.items():
        first_by_start: dict[date, _MemberRow] = {}
        unique_rows: list[_MemberRow] = []
        for row in pair_rows:
            if row.start_date in first_by_start:
                problems.add(
                    sheet,
                    row.row,
                    "from_date",
                    _(
                        "The school %(school)s already has a membership of %(cluster)s "
                        "starting %(start)s in row %(first)d."
                    )
                    % {
                        "school": row.school_code,
                        "cluster": row.cluster_code,
                        "start": row.start_date.isoformat(),
                        "first": first_by_start[row.start_date].row,
                    },
                )
                continue
            first_by_start[row.start_date] = row
            unique_rows.append(row)

        for i, row in enumerate(unique_rows):
            for other in unique_rows[:i]:
                if _overlaps(row.start_date, row.end_date, other.start_date, other.end_date):
                    problems.add(
                        sheet,
                        row.row,
                        "from_date",
                        _(
                            "The period %(period)s of %(school)s in %(cluster)s overlaps "
                            "the period %(other)s in row %(other_row)d."
                        )
                        % {
                            "period": _period(row.start_date, row.end_date),
                            "school": row.school_code,
                            "cluster": row.cluster_code,
                            "other": _period(other.start_date, other.end_date),
                            "other_row": other.row,
                        },
                    )
            for start, end in existing.get(pair, []):
                if start in first_by_start:
                    continue  # updated by a row of the file: its new dates are checked above
                if _overlaps(row.start_date, row.end_date, start, end):
                    problems.add(
                        sheet,
                        row.row,
                        "from_date",
                        _(
                            "The period %(period)s of %(school)s in %(cluster)s overlaps an "
                            "existing membership %(other)s."
                        )
                        % {
                            "period": _period(row.start_date, row.end_date),
                            "school": row.school_code,
                            "cluster": row.cluster_code,
                            "other": _period(start, end),
                        },
                    )


# --- writing -------------------------------------------------------------------------------


def _apply_clusters(rows: list[_ClusterRow], counts: SheetCounts, *, write: bool):
    existing = {c.code: c for c in Cluster.objects.filter(code__in=[r.code for r in rows])}
    for row in rows:
        cluster = existing.get(row.code)
        if cluster is None:
            counts.created += 1
            if write:
                Cluster.objects.create(code=row.code, name=row.name)
        elif cluster.name != row.name:
            counts.updated += 1
            if write:
                cluster.name = row.name
                cluster.save(update_fields=["name"])
        else:
            counts.unchanged += 1


def _apply_schools(rows: list[_SchoolRow], counts: SheetCounts, *, write: bool):
    existing = {s.code: s for s in School.objects.filter(code__in=[r.code for r in rows])}
    for row in rows:
        school = existing.get(row.code)
        if school is None:
            counts.created += 1
            if write:
                School.objects.create(code=row.code, name=row.name, province=row.province)
        elif (school.name, school.province) != (row.name, row.province):
            counts.updated += 1
            if write:
                school.name = row.name
                school.province = row.province
                school.save(update_fields=["name", "province"])
        else:
            counts.unchanged += 1


def _apply_members(rows: list[_MemberRow], counts: SheetCounts, *, write: bool):
    clusters = {c.code: c for c in Cluster.objects.filter(code__in={r.cluster_code for r in rows})}
    schools = {s.code: s for s in School.objects.filter(code__in={r.school_code for r in rows})}
    existing = {
        (m.cluster.code, m.school.code, m.start_date): m
        for m in Membership.objects.select_related("cluster", "school").filter(
            cluster__code__in=clusters.keys(), school__code__in=schools.keys()
        )
    }
    for row in rows:
        membership = existing.get((row.cluster_code, row.school_code, row.start_date))
        if membership is None:
            counts.created += 1
            if write:
                Membership.objects.create(
                    cluster=clusters[row.cluster_code],
                    school=schools[row.school_code],
                    start_date=row.start_date,
                    end_date=row.end_date,
                )
        elif membership.end_date != row.end_date:
            counts.updated += 1
            if write:
                membership.end_date = row.end_date
                membership.save(update_fields=["end_date"])
        else:
            counts.unchanged += 1


def _sorted(problems: list[ImportProblem]) -> list[ImportProblem]:
    """In reading order: by sheet, row, then column as in the header."""
    sheets = list(SHEET_COLUMNS)

    def key(problem: ImportProblem) -> tuple[int, int, int]:
        if problem.sheet not in SHEET_COLUMNS:
            return (-1, 0, 0)
        columns = SHEET_COLUMNS[problem.sheet]
        column = columns.index(problem.column) if problem.column in columns else -1
        return (sheets.index(problem.sheet), problem.row or 0, column)

    return sorted(problems, key=key)


# --- entry point ---------------------------------------------------------------------------


def import_cluster_workbook(*, file: str | IO[bytes], dry_run: bool = False) -> ImportReport:
    """Validate ``file`` (a path or a binary file object) and, when it has no problem and
    ``dry_run`` is false, write its clusters, schools and memberships in one transaction.

    Never raises for bad content: the problems are returned in the report and nothing is
    written. With ``dry_run`` the counts say what an import would do.
    """
    report = ImportReport(dry_run=dry_run)
    problems = _Collector()
    workbook = _open_workbook(file, problems)
    if workbook is None:
        report.problems = problems.problems
        return report

    sheets = _find_sheets(workbook, problems)
    headers = {sheet: _header_map(sheet, ws, problems) for sheet, ws in sheets.items()}
    cluster_rows: list[_ClusterRow] = []
    school_rows: list[_SchoolRow] = []
    member_rows: list[_MemberRow] = []
    file_clusters: set[str] = set()
    file_schools: set[str] = set()
    if headers.get(SHEET_CLUSTERS):
        cluster_rows, file_clusters = _read_clusters(
            sheets[SHEET_CLUSTERS], headers[SHEET_CLUSTERS], problems
        )
    if headers.get(SHEET_SCHOOLS):
        school_rows, file_schools = _read_schools(
            sheets[SHEET_SCHOOLS], headers[SHEET_SCHOOLS], problems
        )
    if headers.get(SHEET_MEMBERS):
        # Codes are looked up once: those in the file plus those already in the database.
        raw_rows = list(_data_rows(sheets[SHEET_MEMBERS], headers[SHEET_MEMBERS], SHEET_MEMBERS))
        wanted_clusters = {_text(c["cluster_code"]).upper() for _n, c in raw_rows}
        wanted_schools = {_text(c["school_code"]).upper() for _n, c in raw_rows}
        known_clusters = None
        known_schools = None
        if headers.get(SHEET_CLUSTERS):
            known_clusters = file_clusters | set(
                Cluster.objects.filter(code__in=wanted_clusters).values_list("code", flat=True)
            )
        if headers.get(SHEET_SCHOOLS):
            known_schools = file_schools | set(
                School.objects.filter(code__in=wanted_schools).values_list("code", flat=True)
            )
        member_rows = _read_members(
            raw_rows,
            problems,
            known_clusters=known_clusters,
            known_schools=known_schools,
        )
        _check_member_overlaps(member_rows, problems)
    workbook.close()

    if problems.problems:
        report.problems = _sorted(problems.problems)
        return report

    if dry_run:
        _apply_clusters(cluster_rows, report.clusters, write=False)
        _apply_schools(school_rows, report.schools, write=False)
        _apply_members(member_rows, report.members, write=False)
        return report

    with transaction.atomic():
        _apply_clusters(cluster_rows, report.clusters, write=True)
        _apply_schools(school_rows, report.schools, write=True)
        _apply_members(member_rows, report.members, write=True)
    return report


# --- template ------------------------------------------------------------------------------

TEMPLATE_EXAMPLES: dict[str, tuple[str, ...]] = {
    SHEET_CLUSTERS: ("CUM4", "Cụm thi đua số 4"),
    SHEET_SCHOOLS: ("HYE", "Trường Chính trị Nguyễn Văn Linh", "Hưng Yên"),
    SHEET_MEMBERS: ("CUM4", "HYE", "2017-09-01", ""),
}


def template_workbook() -> bytes:
    """An empty workbook to fill in: the three sheets with their headers and one example row.

    Dates are written as text so that Excel does not reformat them in the local style."""
    from io import BytesIO

    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    for sheet, columns in SHEET_COLUMNS.items():
        ws = workbook.create_sheet(sheet)
        ws.append(list(columns))
        ws.append(list(TEMPLATE_EXAMPLES[sheet]))
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for cell in ws[2]:
            cell.number_format = "@"
        for index, column in enumerate(columns):
            letter = chr(ord("A") + index)
            ws.column_dimensions[letter].width = 40 if column in ("name",) else 16
        ws.freeze_panes = "A2"
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
