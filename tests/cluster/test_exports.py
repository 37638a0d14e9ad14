"""The .xlsx exports of the members and events lists (the same filters as the pages)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from cluster.models import Event


@pytest.fixture
def sec(client_for, secretariat):
    return client_for(secretariat)


def _rows(response) -> list[tuple]:
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [tuple(row) for row in sheet.iter_rows(min_row=3, values_only=True)]


def test_members_export_lists_current_members(sec, cluster4):
    response = sec.get(reverse("cluster:members_export", args=["CUM4"]))
    assert response["Content-Disposition"] == 'attachment; filename="members-CUM4-2026.xlsx"'
    assert [(r[0], r[1], r[2], r[3]) for r in _rows(response)] == [
        (1, "SCA", "Trường Chính trị tỉnh A", "Tỉnh A"),
        (2, "SCB", "Trường Chính trị tỉnh B", "Tỉnh B"),
        (3, "SCC", "Trường Chính trị tỉnh C", "Tỉnh C"),
    ]


def test_members_export_follows_the_filter(sec, cluster4):
    response = sec.get(reverse("cluster:members_export", args=["CUM4"]) + "?q=tỉnh B")
    assert [r[1] for r in _rows(response)] == ["SCB"]


def test_members_export_of_a_year_uses_the_members_rule(sec, cluster4):
    membership = cluster4.cluster.memberships.get(school=cluster4.school_c)
    membership.end_date = dt.date(2026, 6, 30)
    membership.save()
    response = sec.get(reverse("cluster:members_export", args=["CUM4"]) + "?year=2026")
    assert [r[1] for r in _rows(response)] == ["SCA", "SCB"]


def test_members_export_unknown_year_is_404(sec, cluster4):
    response = sec.get(reverse("cluster:members_export", args=["CUM4"]) + "?year=1990")
    assert response.status_code == 404


def test_members_export_heading_names_cluster_and_year(sec, cluster4):
    response = sec.get(reverse("cluster:members_export", args=["CUM4"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert "Cụm thi đua số 4" in sheet["A1"].value
    assert "2026" in sheet["A1"].value


def test_events_export_lists_filtered_events(sec, content, cluster4):
    Event.objects.create(
        cluster=cluster4.cluster,
        year=cluster4.year,
        kind="conference",
        title="Hội nghị tổng kết 2026",
        date=dt.date(2026, 11, 20),
        host_school=cluster4.school_a,
    )
    response = sec.get(reverse("cluster:events_export", args=["CUM4"]) + "?kind=workshop")
    rows = _rows(response)
    assert len(rows) == 1
    number, date, _kind, title, host, _location, year, _minutes = rows[0]
    assert (number, date.date(), title, host, year) == (
        1,
        dt.date(2026, 7, 15),
        "Hội thảo khoa học 2026",
        "Trường Chính trị tỉnh B",
        "2026",
    )


def test_events_export_dates_are_excel_dates(sec, content):
    response = sec.get(reverse("cluster:events_export", args=["CUM4"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["B3"].number_format == "DD/MM/YYYY"


def test_events_export_invalid_filter_value_exports_unfiltered(sec, content):
    response = sec.get(reverse("cluster:events_export", args=["CUM4"]) + "?year=abc&kind=zzz")
    assert response.status_code == 200
    assert len(_rows(response)) == 1
