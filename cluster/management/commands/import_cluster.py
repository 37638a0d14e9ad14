"""``python manage.py import_cluster FILE.xlsx [--dry-run]``: see cluster.importing."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cluster.importing import import_cluster_workbook


class Command(BaseCommand):
    help = "Import clusters, schools and memberships from an .xlsx workbook."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path to the .xlsx workbook.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Validate and report what would change, without changing anything.",
        )

    def handle(self, *args, file: str, dry_run: bool, **options):
        try:
            with open(file, "rb") as handle:
                report = import_cluster_workbook(file=handle, dry_run=dry_run)
        except OSError as exc:
            raise CommandError(
                _("Cannot read %(file)s: %(error)s") % {"file": file, "error": exc.strerror}
            )

        if not report.ok:
            for problem in report.problems:
                self.stderr.write(str(problem))
            count = len(report.problems)
            raise CommandError(
                ngettext(
                    "The file was refused: %(count)d problem; nothing was changed.",
                    "The file was refused: %(count)d problems; nothing was changed.",
                    count,
                )
                % {"count": count}
            )

        self.stdout.write(report.summary())
        if dry_run:
            self.stdout.write(_("Dry run: nothing was changed."))
        elif report.changes:
            self.stdout.write(self.style.SUCCESS(_("Import finished.")))
        else:
            self.stdout.write(_("Nothing to change: the database already matches the file."))
