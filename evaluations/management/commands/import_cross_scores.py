"""``python manage.py import_cross_scores --cluster CODE --year LABEL FILE.xlsx``

Imports cross scores for a cluster that scores on paper, through the same service as the
web import: one sheet with the header ``scorer_code, target_code, criterion_code, points``.
It replaces the scores of the pairs it names and marks those assignments submitted. All or
nothing: on any problem nothing changes, every problem is printed on stderr (by row) and the
command exits with status 1.
"""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from cluster.models import EmulationYear
from evaluations.selectors_scoring import year_for_scoring
from evaluations.services.scoring import import_cross_scores
from evaluations.xlsx_scoring import read_cross_score_rows


class Command(BaseCommand):
    help = "Import cross scores from an .xlsx file (all or nothing)."

    def add_arguments(self, parser):
        parser.add_argument("--cluster", required=True, help="Cluster code, e.g. CUM4")
        parser.add_argument("--year", required=True, help="Year label, e.g. 2026")
        parser.add_argument("file", help="The .xlsx file")

    def handle(self, *args, **options):
        try:
            year = year_for_scoring(options["cluster"], options["year"])
        except EmulationYear.DoesNotExist:
            raise CommandError(
                _("No year %(year)s in cluster %(cluster)s.")
                % {"year": options["year"], "cluster": options["cluster"]}
            )
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("File not found: %(path)s") % {"path": path})
        try:
            with path.open("rb") as handle:
                rows = read_cross_score_rows(handle)
            summary = import_cross_scores(year=year, rows=rows, by=None)
        except ValidationError as error:
            for message in error.messages:
                self.stderr.write(message)
            raise CommandError(_("The file was refused; nothing was changed."))
        self.stdout.write(
            _("%(rows)d scores imported for %(pairs)d pairs; those assignments are submitted.")
            % {"rows": summary.rows, "pairs": summary.pairs}
        )
