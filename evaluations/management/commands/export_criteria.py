"""``python manage.py export_criteria --cluster CODE --year LABEL -o FILE.xlsx``: the year's
criteria table in the import format (see evaluations.xlsx_criteria)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from cluster.models import EmulationYear
from evaluations.services.criteria import export_criteria_workbook, table_of_year


class Command(BaseCommand):
    help = "Export a year's criteria table to an .xlsx file (re-importable)."

    def add_arguments(self, parser):
        parser.add_argument("--cluster", required=True, help="Cluster code, e.g. CUM4.")
        parser.add_argument("--year", required=True, help="Year label, e.g. 2026.")
        parser.add_argument("-o", "--output", required=True, help="Path of the .xlsx to write.")

    def handle(self, *args, cluster: str, year: str, output: str, **options):
        year_obj = (
            EmulationYear.objects.select_related("cluster")
            .filter(cluster__code=cluster, label=year)
            .first()
        )
        if year_obj is None:
            raise CommandError(
                _("%(cluster)s has no year %(label)s.") % {"cluster": cluster, "label": year}
            )
        if table_of_year(year_obj) is None:
            raise CommandError(
                _("%(cluster)s %(label)s has no criteria table.")
                % {"cluster": cluster, "label": year}
            )
        content = export_criteria_workbook(year=year_obj)
        try:
            with open(output, "wb") as handle:
                handle.write(content)
        except OSError as exc:
            raise CommandError(
                _("Cannot write %(file)s: %(error)s") % {"file": output, "error": exc.strerror}
            )
        self.stdout.write(_("Written: %(file)s") % {"file": output})
