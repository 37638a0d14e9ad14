"""Achievement history from .xlsx: all or nothing, problems by row; command and upload page."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from awards.models import Achievement, Recipient
from awards.xlsx_achievements import COLUMNS, import_achievements, template_workbook
from tests import factories as f

from .nominations_support import *  # noqa: F403
from .nominations_support import achieve, make_recipient

pytestmark = pytest.mark.django_db

GOOD = [
    [
        "SCA",
        "individual",
        "Nguyễn Văn Mạnh",
        "Giảng viên",
        "Khoa A",
        "LDTT",
        2023,
        "1/QĐ-SCA",
        "20/12/2023",
        "",
    ],
    [
        "SCA",
        "cá nhân",
        "Nguyễn Văn Mạnh",
        "Giảng viên",
        "Khoa A",
        "CSTDCS",
        2023,
        "2/QĐ-SCA",
        dt.date(2023, 12, 21),
        "",
    ],
    [
        "SCB",
        "collective",
        "Trường B",
        "",
        "",
        "TT_LDTT",
        2024,
        "5/QĐ-SCB",
        "2024-12-20",
        "Hiệu trưởng",
    ],
]


def workbook(rows, header=COLUMNS, title: str | None = None) -> BytesIO:
    wb = Workbook()
    sheet = wb.active
    if title:
        sheet.append([title])
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    buffer = BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    return buffer


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def counts() -> tuple[int, int]:
    return Achievement.objects.count(), Recipient.objects.count()


def test_import_good_file(cluster4, awards):
    report = import_achievements(workbook(GOOD))
    assert (report.ok, report.created, report.unchanged) == (True, 3, 0)
    person = Recipient.objects.get(name="Nguyễn Văn Mạnh")
    assert (person.school, person.unit, person.kind) == (cluster4.school_a, "Khoa A", "individual")
    cstdcs = Achievement.objects.get(award_type=awards["CSTDCS"])
    assert (cstdcs.period_year, cstdcs.decision_date, cstdcs.issuer) == (
        2023,
        dt.date(2023, 12, 21),
        awards["CSTDCS"].issuer,
    )
    assert Achievement.objects.get(award_type=awards["TT_LDTT"]).issuer == "Hiệu trưởng"


def test_import_twice_changes_nothing(cluster4, awards):
    import_achievements(workbook(GOOD))
    before = counts()
    report = import_achievements(workbook(GOOD))
    assert (report.ok, report.created, report.unchanged) == (True, 0, 3)
    assert counts() == before


def test_import_problems_by_row_and_nothing_written(cluster4, awards):
    rows = [
        GOOD[0],
        ["SCZ", "individual", "A", "", "", "LDTT", 2023, "1", "20/12/2023", ""],
        ["SCA", "someone", "B", "", "", "NOPE", "năm", "", "31/02/2023", ""],
        ["SCA", "collective", "C", "", "", "LDTT", 2023, "3", "2023-12-20", ""],
        ["SCA", "individual", "", "", "", "LDTT", 2023, "4", "2022-12-20", ""],
    ]
    report = import_achievements(workbook(rows))
    where = [(p.row, p.column) for p in report.problems]
    assert where == [
        (3, "school_code"),
        (4, "recipient_kind"),
        (4, "award_code"),
        (4, "year"),
        (4, "decision_number"),
        (4, "decision_date"),
        (5, "recipient_kind"),
        (6, "name"),
        (6, "decision_date"),
    ]
    assert str(report.problems[0]) == "row 3, column school_code: No school has this code."
    assert counts() == (0, 0)


def test_import_duplicate_in_file(cluster4, awards):
    report = import_achievements(workbook([GOOD[0], GOOD[0]]))
    assert [(p.row, p.column) for p in report.problems] == [(3, "award_code")]
    assert str(report.problems[0]) == (
        "row 3, column award_code: Same recipient, award and year as row 2."
    )
    assert counts() == (0, 0)


def test_import_conflicting_decision_in_database(cluster4, awards):
    person = Recipient.objects.create(
        school=cluster4.school_a, kind="individual", name="Nguyễn Văn Mạnh", unit="Khoa A"
    )
    achieve(person, awards["LDTT"], 2023, number="99/QĐ-SCA")
    report = import_achievements(workbook([GOOD[0]]))
    assert [str(p) for p in report.problems] == [
        "row 2, column decision_number: Already recorded with decision 99/QĐ-SCA."
    ]


def test_import_revoked_in_database_does_not_block(cluster4, awards):
    person = Recipient.objects.create(
        school=cluster4.school_a, kind="individual", name="Nguyễn Văn Mạnh", unit="Khoa A"
    )
    achieve(person, awards["LDTT"], 2023, number="99/QĐ-SCA", revoked=True)
    report = import_achievements(workbook([GOOD[0]]))
    assert (report.ok, report.created) == (True, 1)


def test_import_two_forms_same_year_refused(cluster4, awards):
    rows = [
        ["SCA", "individual", "A", "", "", "GK_CN", 2024, "1", "2024-12-20", ""],
        ["SCA", "individual", "A", "", "", "BK_HV_CN", 2024, "2", "2025-01-20", ""],
    ]
    report = import_achievements(workbook(rows))
    assert [(p.row, p.column) for p in report.problems] == [(3, "award_code")]


def test_import_missing_column(cluster4, awards):
    report = import_achievements(workbook([], header=COLUMNS[:-1]))
    assert [str(p) for p in report.problems] == ["Missing columns: issuer."]


def test_import_not_a_workbook(cluster4, awards):
    report = import_achievements(BytesIO(b"not an xlsx"))
    assert [str(p) for p in report.problems] == ["This is not a readable .xlsx workbook."]


def test_import_export_round_trip_skips_revoked(cluster4, awards, client_for, secretariat):
    person = make_recipient(cluster4.school_a, "Người xuất")
    achieve(person, awards["LDTT"], 2023)
    achieve(person, awards["LDTT"], 2024, revoked=True)
    exported = client_for(secretariat).get(
        reverse("awards:achievements_export", args=[cluster4.school_a.code])
    )
    before = counts()
    report = import_achievements(BytesIO(exported.content))
    assert (report.ok, report.created, report.unchanged, report.skipped) == (True, 0, 1, 1)
    assert counts() == before


def test_import_scope_of_secretariat(cluster4, awards, other_cluster):
    rows = [["SCX", "individual", "X", "", "", "LDTT", 2024, "1", "2024-12-20", ""]]
    report = import_achievements(workbook(rows), allowed_school_ids={cluster4.school_a.pk})
    assert [str(p) for p in report.problems] == [
        "row 2, column school_code: This school is not in your cluster."
    ]


def test_template_workbook_imports(cluster4, awards):
    f.SchoolFactory(code="HYE")
    report = import_achievements(BytesIO(template_workbook()))
    assert (report.ok, report.created) == (True, 1)


# --- command ---------------------------------------------------------------------------------


def test_command_imports(cluster4, awards, tmp_path, capsys):
    path = tmp_path / "history.xlsx"
    path.write_bytes(workbook(GOOD).getvalue())
    call_command("import_achievements", str(path))
    assert Achievement.objects.count() == 3
    assert "3 achievements recorded" in capsys.readouterr().out


def test_command_with_problems_fails_and_writes_nothing(cluster4, awards, tmp_path):
    path = tmp_path / "history.xlsx"
    path.write_bytes(workbook([GOOD[0], ["SCZ", *GOOD[0][1:]]]).getvalue())
    with pytest.raises(CommandError, match="1 problems"):
        call_command("import_achievements", str(path))
    assert counts() == (0, 0)


def test_command_missing_file(cluster4, tmp_path):
    with pytest.raises(CommandError):
        call_command("import_achievements", str(tmp_path / "none.xlsx"))


# --- upload page -----------------------------------------------------------------------------


def upload(rows) -> SimpleUploadedFile:
    return SimpleUploadedFile("history.xlsx", workbook(rows).getvalue())


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("rep_a", 403), ("observer", 403), ("secretariat", 200), ("admin_user", 200)],
)
def test_upload_page_permissions(client_for, request, cluster4, persona, expected):
    user = request.getfixturevalue(persona)
    assert client_for(user).get(reverse("awards:achievements_import")).status_code == expected


def test_upload_page_anonymous_redirects(client_for, cluster4):
    response = client_for(None).get(reverse("awards:achievements_import"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_upload_good_file(client_for, secretariat, cluster4, awards):
    response = client_for(secretariat).post(
        reverse("awards:achievements_import"), {"file": upload(GOOD)}
    )
    assert response.status_code == 302
    assert Achievement.objects.count() == 3


def test_upload_lists_problems_and_writes_nothing(client_for, secretariat, cluster4, awards):
    response = client_for(secretariat).post(
        reverse("awards:achievements_import"), {"file": upload([GOOD[0], GOOD[0]])}
    )
    assert response.status_code == 200
    problems = response.context["report"].problems
    assert [(p.row, p.column) for p in problems] == [(3, "award_code")]
    assert counts() == (0, 0)


def test_upload_by_other_cluster_secretariat_limited_to_its_schools(
    client_for, other_cluster, cluster4, awards
):
    response = client_for(other_cluster["secretariat"]).post(
        reverse("awards:achievements_import"), {"file": upload([GOOD[0]])}
    )
    problems = response.context["report"].problems
    assert [(p.row, p.column) for p in problems] == [(2, "school_code")]
    assert counts() == (0, 0)


def test_template_download(client_for, secretariat, rep_a):
    assert client_for(secretariat).get(reverse("awards:achievements_template")).status_code == 200
    assert client_for(rep_a).get(reverse("awards:achievements_template")).status_code == 403
