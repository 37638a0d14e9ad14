"""cluster.importing: import clusters, schools and memberships from an .xlsx workbook."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import pytest
from django.utils import translation
from openpyxl import Workbook, load_workbook

from cluster.importing import ImportProblem, import_cluster_workbook, template_workbook
from cluster.models import Cluster, Membership, School
from tests import factories as f

pytestmark = pytest.mark.django_db

CLUSTERS = [["code", "name"], ["CUM4", "Cụm thi đua số 4"], ["CUM8", "Cụm thi đua số 8"]]
SCHOOLS = [
    ["code", "name", "province"],
    ["HYE", "Trường Chính trị Nguyễn Văn Linh", "Hưng Yên"],
    ["TBI", "Trường Chính trị tỉnh Thái Bình", "Thái Bình"],
    ["TNG", "Trường Chính trị tỉnh Thái Nguyên", "Thái Nguyên"],
]
MEMBERS = [
    ["cluster_code", "school_code", "from_date", "to_date"],
    ["CUM4", "HYE", "2017-09-01", None],
    ["CUM4", "TBI", "2017-09-01", "2025-06-30"],
    ["CUM8", "TNG", "2025-01-01", ""],
]


def workbook(clusters=CLUSTERS, schools=SCHOOLS, members=MEMBERS, **extra_sheets) -> BytesIO:
    """An .xlsx in memory; pass None to leave a sheet out."""
    wb = Workbook()
    wb.remove(wb.active)
    sheets = {"clusters": clusters, "schools": schools, "members": members, **extra_sheets}
    for name, rows in sheets.items():
        if rows is None:
            continue
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(list(row))
    buffer = BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    return buffer


def where(report) -> list[tuple]:
    return [(p.sheet, p.row, p.column) for p in report.problems]


def db_counts() -> tuple[int, ...]:
    return (
        Cluster.objects.count(),
        School.objects.count(),
        Membership.objects.count(),
        Cluster.history.count(),
        School.history.count(),
        Membership.history.count(),
    )


def counts(report) -> dict[str, tuple[int, int, int]]:
    return {
        sheet: (c.created, c.updated, c.unchanged) for sheet, c in report.counts_by_sheet().items()
    }


# --- a good file -----------------------------------------------------------------------------


def test_import_good_file_creates_clusters_schools_and_memberships():
    report = import_cluster_workbook(file=workbook())

    assert report.problems == []
    assert counts(report) == {
        "clusters": (2, 0, 0),
        "schools": (3, 0, 0),
        "members": (3, 0, 0),
    }
    assert list(Cluster.objects.values_list("code", "name")) == [
        ("CUM4", "Cụm thi đua số 4"),
        ("CUM8", "Cụm thi đua số 8"),
    ]
    assert School.objects.get(code="TBI").province == "Thái Bình"
    assert list(
        Membership.objects.values_list("cluster__code", "school__code", "start_date", "end_date")
    ) == [
        ("CUM4", "HYE", dt.date(2017, 9, 1), None),
        ("CUM4", "TBI", dt.date(2017, 9, 1), dt.date(2025, 6, 30)),
        ("CUM8", "TNG", dt.date(2025, 1, 1), None),
    ]


def test_import_same_file_twice_changes_nothing():
    import_cluster_workbook(file=workbook())
    before = db_counts()

    report = import_cluster_workbook(file=workbook())

    assert report.problems == []
    assert counts(report) == {
        "clusters": (0, 0, 2),
        "schools": (0, 0, 3),
        "members": (0, 0, 3),
    }
    assert report.changes == 0
    assert db_counts() == before


def test_import_changed_names_and_end_date_are_updated():
    import_cluster_workbook(file=workbook())
    schools = [row[:] for row in SCHOOLS]
    schools[2][1] = "Trường Chính trị tỉnh Thái Bình (cũ)"
    members = [row[:] for row in MEMBERS]
    members[1][3] = "2025-06-30"
    history_before = Membership.history.count()

    report = import_cluster_workbook(file=workbook(schools=schools, members=members))

    assert counts(report) == {
        "clusters": (0, 0, 2),
        "schools": (0, 1, 2),
        "members": (0, 1, 2),
    }
    assert School.objects.get(code="TBI").name == "Trường Chính trị tỉnh Thái Bình (cũ)"
    hye = Membership.objects.get(school__code="HYE")
    assert hye.end_date == dt.date(2025, 6, 30)
    assert Membership.history.count() == history_before + 1


def test_import_dry_run_counts_but_writes_nothing():
    f.ClusterFactory(code="CUM4", name="Cụm thi đua số 4")
    before = db_counts()

    report = import_cluster_workbook(file=workbook(), dry_run=True)

    assert report.problems == []
    assert counts(report) == {
        "clusters": (1, 0, 1),
        "schools": (3, 0, 0),
        "members": (3, 0, 0),
    }
    assert db_counts() == before


def test_import_members_may_refer_to_schools_already_in_database():
    f.ClusterFactory(code="CUM4")
    f.SchoolFactory(code="QNI")

    report = import_cluster_workbook(
        file=workbook(
            clusters=[["code", "name"]],
            schools=[["code", "name", "province"]],
            members=[MEMBERS[0], ["CUM4", "QNI", "2017-09-01", None]],
        )
    )

    assert report.problems == []
    assert Membership.objects.get().school.code == "QNI"


def test_import_headers_case_insensitive_with_spaces_and_extra_columns():
    clusters = [[" Code ", "NAME", "note"], ["CUM4", "Cụm thi đua số 4", "anything"]]
    schools = [
        ["province", "Name", "CODE"],
        ["Hưng Yên", "Trường Chính trị Nguyễn Văn Linh", "HYE"],
    ]
    members = [
        ["School_Code", "Cluster_Code", "To_Date", "From_Date"],
        ["HYE", "CUM4", None, "2017-09-01"],
    ]

    report = import_cluster_workbook(
        file=workbook(clusters=clusters, schools=schools, members=members)
    )

    assert report.problems == []
    assert School.objects.get(code="HYE").province == "Hưng Yên"
    assert Membership.objects.get().start_date == dt.date(2017, 9, 1)


def test_import_sheet_names_case_insensitive():
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in (("Clusters", CLUSTERS), ("SCHOOLS", SCHOOLS), (" members ", MEMBERS)):
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    buffer = BytesIO()
    wb.save(buffer)

    report = import_cluster_workbook(file=buffer)

    assert report.problems == []
    assert Membership.objects.count() == 3


def test_import_codes_are_stripped_and_upper_cased():
    clusters = [["code", "name"], ["  cum4 ", "Cụm thi đua số 4"]]
    schools = [
        ["code", "name", "province"],
        ["hye", "Trường Chính trị Nguyễn Văn Linh", "Hưng Yên"],
    ]
    members = [MEMBERS[0], [" Cum4", "Hye ", "2017-09-01", None]]

    report = import_cluster_workbook(
        file=workbook(clusters=clusters, schools=schools, members=members)
    )

    assert report.problems == []
    assert Membership.objects.get().school.code == "HYE"
    assert Cluster.objects.get().code == "CUM4"


def test_import_excel_date_cells_are_accepted():
    members = [
        MEMBERS[0],
        ["CUM4", "HYE", dt.datetime(2017, 9, 1), None],
        ["CUM4", "TBI", dt.date(2017, 9, 1), dt.datetime(2025, 6, 30)],
    ]

    report = import_cluster_workbook(file=workbook(members=members))

    assert report.problems == []
    assert Membership.objects.get(school__code="TBI").end_date == dt.date(2025, 6, 30)
    assert Membership.objects.get(school__code="HYE").start_date == dt.date(2017, 9, 1)


def test_import_blank_rows_are_skipped_and_row_numbers_kept():
    members = [
        MEMBERS[0],
        ["CUM4", "HYE", "2017-09-01", None],
        [None, None, None, None],
        ["", "  ", None, ""],
        ["CUM4", "TBI", "not a date", None],
    ]

    report = import_cluster_workbook(file=workbook(members=members))

    assert where(report) == [("members", 5, "from_date")]


# --- problems --------------------------------------------------------------------------------


def test_import_not_an_xlsx_file_gives_one_problem():
    report = import_cluster_workbook(file=BytesIO(b"code,name\nCUM4,Cum 4\n"))

    assert len(report.problems) == 1
    problem = report.problems[0]
    assert (problem.sheet, problem.row, problem.column) == (None, None, None)
    assert ".xlsx" in problem.message
    assert Cluster.objects.count() == 0


def test_import_missing_sheet_is_reported():
    report = import_cluster_workbook(file=workbook(schools=None))

    assert where(report) == [("schools", None, None)]
    assert Cluster.objects.count() == 0


def test_import_misspelled_header_is_reported_with_column():
    schools = [["code", "name", "provice"], ["HYE", "Trường Chính trị Nguyễn Văn Linh", "Hưng Yên"]]

    report = import_cluster_workbook(file=workbook(schools=schools))

    assert where(report) == [("schools", 1, "province")]
    assert "provice" in report.problems[0].message
    assert School.objects.count() == 0


def test_import_empty_sheet_reports_every_missing_column():
    report = import_cluster_workbook(file=workbook(clusters=[]))

    assert where(report) == [("clusters", 1, "code"), ("clusters", 1, "name")]


def test_import_empty_required_cells_are_reported():
    schools = [
        SCHOOLS[0],
        ["HYE", "", "Hưng Yên"],
        ["TBI", "Trường Chính trị tỉnh Thái Bình", None],
    ]
    members = [MEMBERS[0], ["CUM4", "HYE", None, None]]

    report = import_cluster_workbook(file=workbook(schools=schools, members=members))

    assert where(report) == [
        ("schools", 2, "name"),
        ("schools", 3, "province"),
        ("members", 2, "from_date"),
    ]


def test_import_invalid_code_is_reported_with_value():
    clusters = [CLUSTERS[0], ["CUM 4", "Cụm thi đua số 4"], ["CỤM4", "Cụm có dấu"]]

    report = import_cluster_workbook(file=workbook(clusters=clusters, members=[MEMBERS[0]]))

    assert where(report) == [("clusters", 2, "code"), ("clusters", 3, "code")]
    assert "CUM 4" in report.problems[0].message


def test_import_code_longer_than_field_is_reported():
    clusters = [CLUSTERS[0], ["C" * 21, "Cụm dài"]]

    report = import_cluster_workbook(file=workbook(clusters=clusters, members=[MEMBERS[0]]))

    assert where(report) == [("clusters", 2, "code")]


def test_import_duplicate_code_in_sheet_is_reported_at_second_row():
    schools = SCHOOLS + [["hye", "Trường trùng mã", "Hưng Yên"]]

    report = import_cluster_workbook(file=workbook(schools=schools))

    assert where(report) == [("schools", 5, "code")]
    with translation.override("en"):
        report = import_cluster_workbook(file=workbook(schools=schools))
    assert report.problems[0].message == "The code “HYE” already appears in row 2."


def test_import_name_too_long_is_reported():
    schools = SCHOOLS + [["HNA", "T" * 201, "Hà Nam"], ["NDI", "Trường Chinh", "N" * 101]]

    report = import_cluster_workbook(file=workbook(schools=schools))

    assert where(report) == [("schools", 5, "name"), ("schools", 6, "province")]
    assert "201" in report.problems[0].message


def test_import_member_with_unknown_cluster_and_school_is_reported():
    members = MEMBERS + [["CUM9", "XYZ", "2020-01-01", None]]

    report = import_cluster_workbook(file=workbook(members=members))

    assert where(report) == [("members", 5, "cluster_code"), ("members", 5, "school_code")]
    assert "CUM9" in report.problems[0].message
    assert "XYZ" in report.problems[1].message


@pytest.mark.parametrize("bad", ["01/07/2025", "2025-7-1", "2025-02-30", "hôm nay", 45000])
def test_import_bad_date_is_reported(bad):
    members = [MEMBERS[0], ["CUM4", "HYE", bad, None]]

    report = import_cluster_workbook(file=workbook(members=members))

    assert where(report) == [("members", 2, "from_date")]
    assert str(bad) in report.problems[0].message


def test_import_end_before_start_is_reported():
    members = [MEMBERS[0], ["CUM4", "HYE", "2020-01-01", "2019-12-31"]]

    report = import_cluster_workbook(file=workbook(members=members))

    assert where(report) == [("members", 2, "to_date")]


def test_import_overlapping_memberships_in_file_are_reported():
    members = [
        MEMBERS[0],
        ["CUM4", "HYE", "2017-09-01", "2020-12-31"],
        ["CUM4", "HYE", "2020-12-31", None],
    ]

    report = import_cluster_workbook(file=workbook(members=members))

    assert where(report) == [("members", 3, "from_date")]
    assert "2020-12-31" in report.problems[0].message


def test_import_same_school_cluster_start_twice_in_file_is_reported():
    members = [MEMBERS[0], ["CUM4", "HYE", "2017-09-01", None], ["CUM4", "HYE", "2017-09-01", None]]

    report = import_cluster_workbook(file=workbook(members=members))

    assert where(report) == [("members", 3, "from_date")]


def test_import_adjacent_periods_are_accepted():
    members = [
        MEMBERS[0],
        ["CUM4", "HYE", "2017-09-01", "2025-06-30"],
        ["CUM4", "HYE", "2025-07-01", None],
    ]

    report = import_cluster_workbook(file=workbook(members=members))

    assert report.problems == []
    assert Membership.objects.filter(school__code="HYE").count() == 2


def test_import_overlap_with_existing_membership_is_reported():
    cluster = f.ClusterFactory(code="CUM4")
    school = f.SchoolFactory(code="HYE")
    f.MembershipFactory(cluster=cluster, school=school, start_date=dt.date(2015, 1, 1))
    members = [MEMBERS[0], ["CUM4", "HYE", "2017-09-01", None]]
    before = db_counts()

    report = import_cluster_workbook(file=workbook(members=members))

    assert where(report) == [("members", 2, "from_date")]
    assert "2015-01-01" in report.problems[0].message
    assert db_counts() == before


def test_import_existing_membership_with_same_start_is_updated_not_overlapping():
    cluster = f.ClusterFactory(code="CUM4")
    school = f.SchoolFactory(
        code="HYE", name="Trường Chính trị Nguyễn Văn Linh", province="Hưng Yên"
    )
    f.MembershipFactory(cluster=cluster, school=school, start_date=dt.date(2017, 9, 1))
    members = [
        MEMBERS[0],
        ["CUM4", "HYE", "2017-09-01", "2025-06-30"],
        ["CUM4", "HYE", "2025-07-01", None],
    ]

    report = import_cluster_workbook(file=workbook(members=members))

    assert report.problems == []
    assert counts(report)["members"] == (1, 1, 0)


def test_import_file_with_several_problems_changes_nothing():
    f.ClusterFactory(code="CUM4", name="Tên cũ")
    before = db_counts()
    schools = SCHOOLS + [["BAD CODE", "Trường", "Tỉnh"], ["HNA", "", "Hà Nam"]]
    members = MEMBERS + [
        ["CUM4", "NOPE", "2020-01-01", None],
        ["CUM4", "HYE", "2020-13-01", None],
        ["CUM8", "TNG", "2026-01-01", "2025-01-01"],
    ]

    report = import_cluster_workbook(file=workbook(schools=schools, members=members))

    assert where(report) == [
        ("schools", 5, "code"),
        ("schools", 6, "name"),
        ("members", 5, "school_code"),
        ("members", 6, "from_date"),
        ("members", 7, "to_date"),
    ]
    assert counts(report) == {"clusters": (0, 0, 0), "schools": (0, 0, 0), "members": (0, 0, 0)}
    assert db_counts() == before
    assert Cluster.objects.get().name == "Tên cũ"


def test_import_problem_str_names_sheet_row_column():
    problem = ImportProblem("members", 4, "from_date", "“x” is not a date.")

    with translation.override("en"):
        assert str(problem) == "sheet members, row 4, column from_date: “x” is not a date."
        assert str(ImportProblem("schools", None, None, "Missing.")) == "sheet schools: Missing."
        assert str(ImportProblem(None, None, None, "Not an xlsx.")) == "Not an xlsx."


# --- template ----------------------------------------------------------------------------


def test_template_workbook_has_three_sheets_with_headers_and_an_example():
    wb = load_workbook(BytesIO(template_workbook()))

    assert wb.sheetnames == ["clusters", "schools", "members"]
    assert [c.value for c in wb["members"][1]] == [
        "cluster_code",
        "school_code",
        "from_date",
        "to_date",
    ]
    assert [c.value for c in wb["clusters"][2]] == ["CUM4", "Cụm thi đua số 4"]


def test_template_workbook_imports_cleanly():
    report = import_cluster_workbook(file=BytesIO(template_workbook()), dry_run=True)

    assert report.problems == []
    assert counts(report) == {"clusters": (1, 0, 0), "schools": (1, 0, 0), "members": (1, 0, 0)}
