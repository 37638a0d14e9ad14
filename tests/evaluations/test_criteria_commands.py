"""``import_criteria`` and ``export_criteria``: same code path as the web, errors on stderr."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from openpyxl import load_workbook

from cluster.models import EmulationYear
from evaluations.models import Criterion
from tests.evaluations.criteria_support import make_table, workbook

pytestmark = pytest.mark.django_db

GOOD = [("1", "Đào tạo", None), ("1.1", "Lớp học", 60), ("1.2", "Học viên", 40)]


def write(tmp_path, buffer, name="criteria.xlsx") -> str:
    path = tmp_path / name
    path.write_bytes(buffer.getvalue())
    return str(path)


def run(name: str, *args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    with translation.override("en"):
        call_command(name, *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_command_imports_the_file(cluster4, tmp_path):
    out, err = run(
        "import_criteria", "--cluster", "CUM4", "--year", "2026", write(tmp_path, workbook(GOOD))
    )

    assert out.strip() == (
        "Criteria table CUM4 2026: 3 created, 0 updated, 0 removed, 0 unchanged."
    )
    assert err == ""
    assert Criterion.objects.filter(table__year=cluster4.year).count() == 3


def test_import_command_lists_problems_on_stderr_and_fails(cluster4, tmp_path):
    path = write(tmp_path, workbook([("1", "Đào tạo", None), ("1.1", "", "x")]))

    with pytest.raises(CommandError) as info:
        run("import_criteria", "--cluster", "CUM4", "--year", "2026", path)

    assert str(info.value) == "The file was refused: 2 problems; nothing was changed."
    assert not Criterion.objects.exists()


def test_import_command_problem_lines_go_to_stderr(cluster4, tmp_path):
    path = write(tmp_path, workbook([("1", "Đào tạo", None), ("1.1", "", 5)]))
    err = StringIO()

    with translation.override("en"), pytest.raises(CommandError):
        call_command("import_criteria", "--cluster", "CUM4", "--year", "2026", path, stderr=err)

    assert err.getvalue().splitlines() == [
        "sheet criteria, row 3, column title: The title is required."
    ]


def test_import_command_exits_non_zero_from_the_shell(cluster4, tmp_path):
    from django.core.management import execute_from_command_line

    path = write(tmp_path, workbook([("1.1", "Mồ côi", 5)]))

    with pytest.raises(SystemExit) as info:
        execute_from_command_line(
            ["manage.py", "import_criteria", "--cluster", "CUM4", "--year", "2026", path]
        )

    assert info.value.code == 1


def test_import_command_refuses_unknown_year_without_create(cluster4, tmp_path):
    with pytest.raises(CommandError) as info:
        run(
            "import_criteria",
            "--cluster",
            "CUM4",
            "--year",
            "2030",
            write(tmp_path, workbook(GOOD)),
        )

    assert "--create-year" in str(info.value)


def test_import_command_creates_the_year(cluster4, tmp_path):
    run(
        "import_criteria",
        "--cluster",
        "CUM4",
        "--year",
        "2030",
        "--create-year",
        "--start",
        "2030-01-01",
        "--end",
        "2030-12-31",
        write(tmp_path, workbook(GOOD)),
    )

    year = EmulationYear.objects.get(cluster=cluster4.cluster, label="2030")
    assert (year.start_date, year.end_date) == (dt.date(2030, 1, 1), dt.date(2030, 12, 31))
    assert Criterion.objects.filter(table__year=year).count() == 3


def test_import_command_does_not_keep_a_created_year_when_refused(cluster4, tmp_path):
    with pytest.raises(CommandError):
        run(
            "import_criteria",
            "--cluster",
            "CUM4",
            "--year",
            "2030",
            "--create-year",
            "--start",
            "2030-01-01",
            "--end",
            "2030-12-31",
            write(tmp_path, workbook([("1.1", "Mồ côi", 5)])),
        )

    assert not EmulationYear.objects.filter(label="2030").exists()


def test_import_command_unknown_cluster(db, tmp_path):
    with pytest.raises(CommandError) as info:
        run(
            "import_criteria",
            "--cluster",
            "NOPE",
            "--year",
            "2026",
            write(tmp_path, workbook(GOOD)),
        )

    assert str(info.value) == "There is no cluster with the code NOPE."


def test_import_command_missing_file(cluster4, tmp_path):
    with pytest.raises(CommandError) as info:
        run("import_criteria", "--cluster", "CUM4", "--year", "2026", str(tmp_path / "no.xlsx"))

    assert str(info.value).startswith("Cannot read")


def test_export_command_writes_a_reimportable_file(cluster4, tmp_path):
    make_table(cluster4.year)
    output = tmp_path / "out.xlsx"

    out, _err = run("export_criteria", "--cluster", "CUM4", "--year", "2026", "-o", str(output))

    assert out.strip() == f"Written: {output}"
    book = load_workbook(output)
    assert book.sheetnames == ["criteria", "deductions"]
    assert book["criteria"].max_row == 7
    out, _err = run("import_criteria", "--cluster", "CUM4", "--year", "2026", str(output))
    assert "0 created, 0 updated, 0 removed, 8 unchanged" in out


def test_export_command_without_table_fails(cluster4, tmp_path):
    with pytest.raises(CommandError) as info:
        run("export_criteria", "--cluster", "CUM4", "--year", "2026", "-o", str(tmp_path / "x"))

    assert str(info.value) == "CUM4 2026 has no criteria table."
