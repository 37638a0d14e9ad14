"""Smoke test of the benchmark (issue "Benchmark at national scale"): the generator at a
tiny size into the test database, then the runner's measurement loop for a moment against
the live server with the pure-Python load generator. It asserts the structure of what the
runner produces and that nothing failed, never a speed."""

from __future__ import annotations

import json

import pytest

from bench.generate import generate
from bench.measure import LoadSettings, measure
from bench.pages import FIRST_CLUSTER
from bench.presets import PRESETS
from bench.report import flags, render
from cluster.models import EmulationYear
from evaluations.enums import ResultsStage
from evaluations.models import AnnualReport, CrossScore, SelfScore
from evaluations.selectors_scoring import compute_lines, frozen_lines, load_year_data
from evaluations.services.scoring import fingerprint_of
from evaluations.xlsx_scoring import ranking_csv

PAGES = {
    "floor",
    "dashboard_secretariat",
    "dashboard_representative",
    "dashboard_observer",
    "dashboard_admin",
    "year",
    "report",
    "scoring",
    "ranking",
    "summary_xlsx",
    "report_post",
}


@pytest.fixture
def tiny(transactional_db):
    return generate(PRESETS["tiny"], current_year=2026, log=lambda _message: None)


def test_generator_writes_every_school_year_with_all_scores(tiny):
    preset = PRESETS["tiny"]
    expected = preset.expected_rows()
    assert tiny["rows"]["evaluations.CrossScore"] == expected["cross_scores"] == 288
    assert tiny["rows"]["evaluations.SelfScore"] == expected["self_scores"] == 96
    assert CrossScore.objects.count() == 288
    assert SelfScore.objects.filter(points__isnull=False).count() == 96
    assert AnnualReport.objects.count() == expected["school_years"] == 8


def test_generator_freezes_past_years_as_the_app_computes_them(tiny):
    frozen = EmulationYear.objects.filter(
        cluster__code=FIRST_CLUSTER, scoring__stage=ResultsStage.FROZEN
    ).select_related("scoring")
    assert [year.label for year in frozen] == ["2025"]
    for year in frozen:
        data = load_year_data(year)
        stored = ranking_csv(frozen_lines(year))
        assert stored == ranking_csv(compute_lines(data, data.settings.method))
        assert year.scoring.fingerprint == fingerprint_of(stored)


@pytest.mark.urls("bench.urls_bench")
def test_measurement_loop_produces_tables_and_json_without_errors(tiny, live_server):
    settings = LoadSettings(clients=[1], duration=0.5, warmup=0, generator="python")
    result = measure(base_url=live_server.url, settings=settings, docs_format="docx", log=print)
    run = {
        "meta": {
            "date": "smoke",
            "machine": "test",
            "postgresql": "-",
            "python": "-",
            "django": "-",
            "server": "live_server",
            "load_generator": "python",
            "duration_s": 0.5,
            "warmup_s": 0,
        },
        "sizes": {
            "tiny": {"preset": PRESETS["tiny"].as_dict(), "generation": tiny, "result": result}
        },
    }
    run["flags"] = flags(run)
    text = render(run)
    json.loads(json.dumps(run))

    assert {page["key"] for page in result["pages"]} == PAGES
    assert result["notes"] == []
    assert set(result["queries"]) == PAGES
    assert result["queries"]["floor"]["queries"] == 0
    for key, info in result["queries"].items():
        assert "error" not in info, (key, info.get("error"))
    assert set(result["load"]) == PAGES
    for key, entry in result["load"].items():
        assert "error" not in entry, (key, entry.get("error"))
        run_one = entry["runs"]["1"]
        assert run_one["requests"] >= 1, key
        assert run_one["errors"] == 0, (key, run_one["error_kinds"])
    documents = result["documents"]
    assert documents["available"] is True
    assert "error" not in documents, documents.get("error")
    assert documents["all_clusters"]["documents"] == 1
    assert [line for line in run["flags"] if line.startswith("ERROR")] == []
    assert "## Requests" in text and "| floor (bare Django view, no query)" in text
    assert "## SQL queries per request" in text and "## Multi-year summary document" in text
