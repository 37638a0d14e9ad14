"""Import of cross scores from .xlsx: all or nothing, problems listed by row."""

from __future__ import annotations

import io
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from evaluations.enums import AssignmentStatus
from evaluations.models import Assignment, CrossScore
from evaluations.services import scoring as services
from evaluations.xlsx_scoring import read_cross_score_rows
from tests import factories as f

from .test_scoring_support import (  # noqa: F401  (fixtures)
    make_assignment,
    world_fixture,
    xlsx_bytes,
)

D = Decimal

GOOD_ROWS = [
    ("SCA", "SCB", "1.1", 8),
    ("SCA", "SCB", "1.2", 4.5),
    ("SCA", "SCB", "2.1", "15.25"),
    ("SCB", "SCA", "1.1", 9),
]


def import_rows(world, rows, by=None):
    return services.import_cross_scores(
        year=world.year, rows=read_cross_score_rows(xlsx_bytes(rows)), by=by
    )


def scores_of(world, scorer, target) -> dict:
    return {
        s.criterion.code: s.points
        for s in CrossScore.objects.filter(
            assignment__year=world.year, assignment__scorer=scorer, assignment__target=target
        ).select_related("criterion")
    }


def test_import_creates_scores_and_submits_the_pairs(world):
    summary = import_rows(world, GOOD_ROWS)
    assert (summary.rows, summary.pairs, summary.created_assignments) == (4, 2, 2)
    assert scores_of(world, world.a, world.b) == {
        "1.1": D("8.00"),
        "1.2": D("4.50"),
        "2.1": D("15.25"),
    }
    assert set(Assignment.objects.values_list("status", flat=True)) == {AssignmentStatus.SUBMITTED}


def test_import_replaces_the_scores_of_the_pairs_it_names(world):
    make_assignment(
        world.year,
        world.a,
        world.b,
        scores={"1.1": "1", "1.2": "1", "2.1": "1"},
        criteria=world.criteria,
        status=AssignmentStatus.DRAFT,
    )
    make_assignment(world.year, world.c, world.b, scores={"1.1": "3"}, criteria=world.criteria)
    import_rows(world, [("SCA", "SCB", "1.1", 7)])
    assert scores_of(world, world.a, world.b) == {"1.1": D("7.00")}
    assert scores_of(world, world.c, world.b) == {"1.1": D("3.00")}  # not named: untouched
    assert Assignment.objects.get(scorer=world.a, target=world.b).status == "submitted"


def test_import_refuses_the_whole_file_listing_every_problem_by_row(world):
    make_assignment(world.year, world.a, world.b, scores={"1.1": "1"}, criteria=world.criteria)
    outsider = f.SchoolFactory(code="OUT")
    rows = [
        ("SCA", "SCB", "1.1", 8),  # row 2: fine
        ("SCA", "SCA", "1.1", 8),  # row 3: scores itself
        ("OUT", "SCB", "1.1", 8),  # row 4: not a member
        ("SCA", "SCC", "9.9", 8),  # row 5: unknown criterion
        ("SCA", "SCC", "1.2", 6),  # row 6: above the maximum (5)
        ("SCA", "SCC", "1.1", -1),  # row 7: below 0
        ("SCA", "SCB", "1.1", 7),  # row 8: duplicate of row 2
        ("SCA", "SCC", "2.1", "abc"),  # row 9: not a number
    ]
    assert outsider.pk
    with pytest.raises(ValidationError) as error:
        import_rows(world, rows)
    messages = error.value.messages
    assert [int(re.match(r"\D*(\d+)", m).group(1)) for m in messages] == [3, 4, 5, 6, 7, 8, 9]
    assert "SCA" in messages[0] and "OUT" in messages[1] and "9.9" in messages[2]
    assert "2" in messages[5]  # duplicate of row 2
    # nothing changed
    assert scores_of(world, world.a, world.b) == {"1.1": D("1.00")}
    assert Assignment.objects.count() == 1


def test_import_refuses_more_than_two_decimals(world):
    with pytest.raises(ValidationError) as error:
        import_rows(world, [("SCA", "SCB", "1.1", "7.125")])
    assert len(error.value.messages) == 1


def test_import_refuses_a_wrong_header(world):
    with pytest.raises(ValidationError) as error:
        read_cross_score_rows(xlsx_bytes([("SCA", "SCB", "1.1", 8)], header=("a", "b", "c", "d")))
    assert error.value.code == "header"


def test_import_refuses_a_file_that_is_not_xlsx(world):
    with pytest.raises(ValidationError) as error:
        read_cross_score_rows(io.BytesIO(b"scorer_code,target_code\n"))
    assert error.value.code == "unreadable"


def test_import_skips_empty_rows_and_reads_codes_case_insensitively(world):
    rows = read_cross_score_rows(xlsx_bytes([("sca", "scb", "1.1", 8), (None, None, None, None)]))
    assert len(rows) == 1
    services.import_cross_scores(year=world.year, rows=rows, by=None)
    assert scores_of(world, world.a, world.b) == {"1.1": D("8.00")}


def test_import_refused_once_published(world):
    from .test_scoring_support import publish

    publish(world.year)
    with pytest.raises(ValidationError) as error:
        import_rows(world, GOOD_ROWS)
    assert error.value.code == "published"


# --- command -------------------------------------------------------------------------------


def test_import_command(world, tmp_path):
    path = tmp_path / "scores.xlsx"
    path.write_bytes(xlsx_bytes(GOOD_ROWS).getvalue())
    out = io.StringIO()
    call_command(
        "import_cross_scores", "--cluster", "CUM4", "--year", "2026", str(path), stdout=out
    )
    assert "4" in out.getvalue()
    assert scores_of(world, world.b, world.a) == {"1.1": D("9.00")}


def test_import_command_lists_problems_on_stderr_and_fails(world, tmp_path):
    path = tmp_path / "scores.xlsx"
    path.write_bytes(xlsx_bytes([("SCA", "SCA", "1.1", 8), ("SCB", "SCA", "1.1", 99)]).getvalue())
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_cross_scores", "--cluster", "CUM4", "--year", "2026", str(path), stderr=err
        )
    lines = err.getvalue().strip().splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(("Row 2", "Dòng 2"))
    assert lines[1].startswith(("Row 3", "Dòng 3"))
    assert CrossScore.objects.count() == 0


def test_import_command_unknown_cluster(world, tmp_path):
    path = tmp_path / "scores.xlsx"
    path.write_bytes(xlsx_bytes(GOOD_ROWS).getvalue())
    with pytest.raises(CommandError):
        call_command("import_cross_scores", "--cluster", "NOPE", "--year", "2026", str(path))


def test_import_command_missing_file(world, tmp_path):
    with pytest.raises(CommandError):
        call_command(
            "import_cross_scores",
            "--cluster",
            "CUM4",
            "--year",
            "2026",
            str(tmp_path / "none.xlsx"),
        )


# --- web ------------------------------------------------------------------------------------


def upload(rows):
    return SimpleUploadedFile(
        "scores.xlsx",
        xlsx_bytes(rows).getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def test_web_import_by_the_secretariat(world, secretariat, client_for):
    url = reverse("evaluations:scoring_import", kwargs={"code": "CUM4", "label": "2026"})
    response = client_for(secretariat).post(url, {"file": upload(GOOD_ROWS)})
    assert response.status_code == 302
    assert scores_of(world, world.a, world.b)["2.1"] == D("15.25")


def test_web_import_shows_every_problem_and_changes_nothing(world, secretariat, client_for):
    url = reverse("evaluations:scoring_import", kwargs={"code": "CUM4", "label": "2026"})
    response = client_for(secretariat).post(
        url, {"file": upload([("SCA", "SCB", "1.1", 8), ("SCA", "SCA", "1.1", 8)])}
    )
    assert response.status_code == 200
    problems = [str(p) for p in response.context["problems"]]
    assert len(problems) == 1 and problems[0].startswith(("Row 3", "Dòng 3"))
    assert CrossScore.objects.count() == 0


def test_web_import_forbidden_to_representatives(world, rep_a, client_for):
    url = reverse("evaluations:scoring_import", kwargs={"code": "CUM4", "label": "2026"})
    response = client_for(rep_a).post(url, {"file": upload(GOOD_ROWS)})
    assert response.status_code == 403
    assert CrossScore.objects.count() == 0
