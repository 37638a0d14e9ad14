"""``manage.py import_cluster FILE.xlsx [--dry-run]``."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from cluster.models import Cluster, Membership, School
from tests.cluster.test_import import MEMBERS, db_counts, workbook

pytestmark = pytest.mark.django_db


def write(tmp_path, buffer, name="cluster.xlsx"):
    path = tmp_path / name
    path.write_bytes(buffer.getvalue())
    return str(path)


def run(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    with translation.override("en"):
        call_command("import_cluster", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_command_imports_file_and_prints_summary(tmp_path):
    out, err = run(write(tmp_path, workbook()))

    assert out.splitlines() == [
        "clusters: 2 created, 0 updated, 0 unchanged",
        "schools: 3 created, 0 updated, 0 unchanged",
        "members: 3 created, 0 updated, 0 unchanged",
        "Import finished.",
    ]
    assert err == ""
    assert (Cluster.objects.count(), School.objects.count(), Membership.objects.count()) == (
        2,
        3,
        3,
    )


def test_command_second_run_reports_nothing_to_change(tmp_path):
    path = write(tmp_path, workbook())
    run(path)
    before = db_counts()

    out, _err = run(path)

    assert "members: 0 created, 0 updated, 3 unchanged" in out
    assert "Nothing to change: the database already matches the file." in out
    assert db_counts() == before


def test_command_dry_run_changes_nothing(tmp_path):
    out, _err = run(write(tmp_path, workbook()), "--dry-run")

    assert "clusters: 2 created, 0 updated, 0 unchanged" in out
    assert "Dry run: nothing was changed." in out
    assert db_counts() == (0, 0, 0, 0, 0, 0)


def test_command_problems_go_to_stderr_and_exit_non_zero(tmp_path):
    members = MEMBERS + [["CUM4", "HYE", "2025-07-01", None], ["CUM4", "XYZ", "01/01/2020", None]]
    path = write(tmp_path, workbook(members=members))
    err = StringIO()

    with translation.override("en"), pytest.raises(CommandError) as excinfo:
        call_command("import_cluster", path, stdout=StringIO(), stderr=err)

    assert str(excinfo.value) == "The file was refused: 3 problems; nothing was changed."
    lines = err.getvalue().splitlines()
    assert lines[0].startswith("sheet members, row 5, column from_date: The period 2025-07-01")
    assert lines[1] == (
        "sheet members, row 6, column school_code: The school “XYZ” is neither in the sheet "
        "“schools” nor in the database."
    )
    assert lines[2] == (
        "sheet members, row 6, column from_date: “01/01/2020” is not a date: write it as "
        "YYYY-MM-DD (for example 2025-07-01)."
    )
    assert db_counts() == (0, 0, 0, 0, 0, 0)


def test_command_exit_code_is_non_zero_from_the_shell(tmp_path, monkeypatch):
    """CommandError means exit status 1 when run by manage.py."""
    from django.core.management import ManagementUtility
    from django.db import connections

    # run_from_argv closes every connection when it ends; on PostgreSQL that would close
    # the test's own transaction.
    monkeypatch.setattr(connections, "close_all", lambda: None)
    path = write(tmp_path, workbook(schools=None))
    utility = ManagementUtility(["manage.py", "import_cluster", path])

    with pytest.raises(SystemExit) as excinfo:
        utility.execute()

    assert excinfo.value.code == 1
    assert Cluster.objects.count() == 0


def test_command_not_an_xlsx_file(tmp_path):
    path = tmp_path / "clusters.csv"
    path.write_text("code,name\nCUM4,Cum 4\n")
    err = StringIO()

    with translation.override("en"), pytest.raises(CommandError):
        call_command("import_cluster", str(path), stdout=StringIO(), stderr=err)

    assert err.getvalue().strip() == (
        "The file is not a valid Excel workbook (.xlsx). Save it as .xlsx and try again."
    )


def test_command_missing_file_is_a_clear_error(tmp_path):
    with translation.override("en"), pytest.raises(CommandError) as excinfo:
        call_command("import_cluster", str(tmp_path / "nope.xlsx"), stdout=StringIO())

    assert "nope.xlsx" in str(excinfo.value)
