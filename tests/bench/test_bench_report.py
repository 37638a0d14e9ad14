"""The benchmark's closing notes: growing query counts (with the repeated query) and
pages slower than ten floors are named."""

from __future__ import annotations

from bench.queries import shape
from bench.report import flags


def _run(queries_small, queries_big, p95_page, p95_floor=10.0):
    def size(queries):
        return {
            "preset": {},
            "result": {
                "pages": [
                    {"key": "floor", "title": "floor"},
                    {"key": "ranking", "title": "ranking page"},
                ],
                "queries": {"floor": {"queries": 0, "shapes": {}}, "ranking": queries},
                "load": {
                    "floor": {"runs": {"32": {"p95_ms": p95_floor, "errors": 0}}},
                    "ranking": {"runs": {"32": {"p95_ms": p95_page, "errors": 0}}},
                },
            },
        }

    return {"sizes": {"demo": size(queries_small), "national": size(queries_big)}}


def test_flags_name_a_query_count_that_grows_with_its_repeated_query():
    small = {"queries": 3, "shapes": {"SELECT a FROM t WHERE id = ?": 1, "SELECT 1": 2}}
    big = {"queries": 12, "shapes": {"SELECT a FROM t WHERE id = ?": 10, "SELECT 1": 2}}
    notes = flags(_run(small, big, p95_page=20.0))
    assert notes == [
        "QUERIES GROW: ranking page: demo 3, national 12 "
        "(repeated: 1→10× SELECT a FROM t WHERE id = ?)"
    ]


def test_flags_name_a_page_above_ten_times_the_floor():
    same = {"queries": 3, "shapes": {}}
    notes = flags(_run(same, same, p95_page=101.0))
    assert notes == [
        "SLOW: ranking page at demo, 32 clients: p95 101 ms = 10× the floor (10.0 ms)",
        "SLOW: ranking page at national, 32 clients: p95 101 ms = 10× the floor (10.0 ms)",
    ]


def test_flags_leave_a_page_at_ten_floors_alone():
    same = {"queries": 3, "shapes": {}}
    assert flags(_run(same, same, p95_page=100.0)) == []


def test_shape_replaces_literals_and_lists():
    sql = "SELECT * FROM t WHERE id = 12 AND code = 'BC001' AND pk IN (1, 2, 3) LIMIT 21"
    assert shape(sql) == "SELECT * FROM t WHERE id = ? AND code = ? AND pk IN (…) LIMIT ?"


def test_flags_name_a_page_whose_time_grows_with_the_same_queries():
    same = {"queries": 3, "shapes": {}}
    run = _run(same, same, p95_page=20.0)
    run["sizes"]["demo"]["result"]["load"]["ranking"]["runs"]["1"] = {"p50_ms": 50.0, "errors": 0}
    run["sizes"]["national"]["result"]["load"]["ranking"]["runs"]["1"] = {
        "p50_ms": 400.0,
        "errors": 0,
    }
    assert flags(run) == [
        "TIME GROWS: ranking page: p50 at 1 client 50 ms at demo, 400 ms at national "
        "(same queries: the work per row grows)"
    ]
