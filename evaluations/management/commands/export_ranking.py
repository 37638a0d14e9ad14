"""``python manage.py export_ranking --cluster CODE --year LABEL [--method mean|median|trimmed]
--format csv|xlsx [-o FILE]``

The same code path as the web exports. The CSV (header ``rank,school_code,school_name,
criteria_points,bonus,deductions,total``, one row per member in rank order, two decimals with
a dot, ``\\n`` line endings) is what a frozen year's SHA-256 fingerprint is computed over:
``export_ranking ... --format csv | sha256sum`` gives the fingerprint shown on the results
page. Without ``-o`` the CSV goes to stdout (an .xlsx needs ``-o``). Bad input exits with
status 1 and the reasons on stderr.
"""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from cluster.models import EmulationYear
from evaluations.aggregation import METHODS
from evaluations.selectors_scoring import (
    compute_results,
    ranking_lines,
    scoring_settings_of,
    year_for_scoring,
)
from evaluations.xlsx_scoring import ranking_csv, score_summary_workbook


class Command(BaseCommand):
    help = "Export the ranking of a year (csv or xlsx)."

    def add_arguments(self, parser):
        parser.add_argument("--cluster", required=True, help="Cluster code, e.g. CUM4")
        parser.add_argument("--year", required=True, help="Year label, e.g. 2026")
        parser.add_argument("--method", choices=METHODS, help="Default: the year's method")
        parser.add_argument("--format", required=True, choices=["csv", "xlsx"], dest="fmt")
        parser.add_argument("-o", "--output", help="Output file (default: stdout for csv)")

    def handle(self, *args, **options):
        try:
            year = year_for_scoring(options["cluster"], options["year"])
        except EmulationYear.DoesNotExist:
            raise CommandError(
                _("No year %(year)s in cluster %(cluster)s.")
                % {"year": options["year"], "cluster": options["cluster"]}
            )
        method = options["method"] or scoring_settings_of(year).method
        output = options["output"]
        if options["fmt"] == "csv":
            content = ranking_csv(ranking_lines(year, method)).encode("utf-8")
        else:
            if not output:
                raise CommandError(_("An .xlsx export needs -o FILE."))
            content = score_summary_workbook(compute_results(year, method))
        if output:
            try:
                Path(output).write_bytes(content)
            except OSError as error:
                raise CommandError(str(error))
        else:
            stream = getattr(self.stdout, "_out", sys.stdout)
            if hasattr(stream, "buffer"):
                stream.flush()
                stream.buffer.write(content)
                stream.buffer.flush()
            else:
                stream.write(content.decode("utf-8"))
