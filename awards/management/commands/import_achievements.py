"""``python manage.py import_achievements FILE.xlsx``: import achievement history, all or
nothing (see awards.xlsx_achievements for the sheet). Exits with an error, listing every
problem by row, when anything is wrong; nothing is then written."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from awards.xlsx_achievements import import_achievements


class Command(BaseCommand):
    help = "Import achievement history from an .xlsx workbook (all or nothing)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The .xlsx workbook.")

    def handle(self, *args, **options):
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": path})
        with path.open("rb") as handle:
            report = import_achievements(handle)
        if not report.ok:
            for problem in report.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                _("Nothing was imported: %(count)d problems.") % {"count": len(report.problems)}
            )
        self.stdout.write(report.summary())
