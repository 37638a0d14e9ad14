"""``python manage.py import_criteria --cluster CODE --year LABEL FILE.xlsx``

Replaces the year's criteria table with the file (format: evaluations.xlsx_criteria), by the
same service as the web import: all or nothing, every problem listed on stderr by sheet, row
and column, exit code 1. With ``--create-year --start YYYY-MM-DD --end YYYY-MM-DD`` a missing
year is created first (and not kept when the file is refused).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cluster import services as cluster_services
from cluster.models import Cluster, EmulationYear
from evaluations.services.criteria import import_criteria_workbook


class _Refused(Exception):
    def __init__(self, report):
        self.report = report


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(_("%(value)s is not a date (YYYY-MM-DD).") % {"value": value})


class Command(BaseCommand):
    help = "Import a year's criteria table from an .xlsx file (all or nothing)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path to the .xlsx file.")
        parser.add_argument("--cluster", required=True, help="Cluster code, e.g. CUM4.")
        parser.add_argument("--year", required=True, help="Year label, e.g. 2026 or 2017–2018.")
        parser.add_argument(
            "--create-year", action="store_true", help="Create the year when it does not exist."
        )
        parser.add_argument("--start", help="Start date of a created year (YYYY-MM-DD).")
        parser.add_argument("--end", help="End date of a created year (YYYY-MM-DD).")

    def handle(self, *args, file: str, cluster: str, year: str, create_year: bool, **options):
        cluster_obj = Cluster.objects.filter(code=cluster).first()
        if cluster_obj is None:
            raise CommandError(_("There is no cluster with the code %(code)s.") % {"code": cluster})
        try:
            handle = open(file, "rb")  # noqa: SIM115 - closed below
        except OSError as exc:
            raise CommandError(
                _("Cannot read %(file)s: %(error)s") % {"file": file, "error": exc.strerror}
            )
        try:
            with transaction.atomic():
                year_obj = self._year(cluster_obj, year, create_year, options)
                report = import_criteria_workbook(year=year_obj, file=handle, by=None)
                if not report.ok:
                    raise _Refused(report)
        except _Refused as refused:
            for problem in refused.report.problems:
                self.stderr.write(str(problem))
            count = len(refused.report.problems)
            raise CommandError(
                ngettext(
                    "The file was refused: %(count)d problem; nothing was changed.",
                    "The file was refused: %(count)d problems; nothing was changed.",
                    count,
                )
                % {"count": count}
            )
        finally:
            handle.close()
        self.stdout.write(
            _("Criteria table %(cluster)s %(year)s: %(summary)s.")
            % {
                "cluster": cluster_obj.code,
                "year": year_obj.label,
                "summary": report.changes.summary(),
            }
        )

    def _year(self, cluster: Cluster, label: str, create: bool, options) -> EmulationYear:
        year = EmulationYear.objects.filter(cluster=cluster, label=label).first()
        if year is not None:
            return year
        if not create:
            raise CommandError(
                _("%(cluster)s has no year %(label)s (use --create-year --start --end).")
                % {"cluster": cluster.code, "label": label}
            )
        if not options.get("start") or not options.get("end"):
            raise CommandError(_("--create-year needs --start and --end."))
        try:
            return cluster_services.save_year(
                year=EmulationYear(
                    cluster=cluster,
                    label=label,
                    start_date=_date(options["start"]),
                    end_date=_date(options["end"]),
                ),
                by=None,
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages))
