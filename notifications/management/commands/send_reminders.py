"""Run the daily reminder scan by hand: ``manage.py send_reminders [--date YYYY-MM-DD]``.

The same service as the scheduled task; running it twice for a day sends nothing twice.
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from notifications import services


class Command(BaseCommand):
    help = "Plan and queue today's deadline reminders (or those of --date)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--date", help="The day to plan for, YYYY-MM-DD (default: today).")

    def handle(self, *args, **options) -> None:
        day = None
        if options.get("date"):
            try:
                day = dt.date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError(f"--date must be YYYY-MM-DD, not {options['date']!r}.")
        summary = services.plan_reminders(today=day)
        self.stdout.write(
            f"Reminders: {summary.reminders}, late lists: {summary.late_lists}, "
            f"emails queued: {summary.messages}, already planned: {summary.already_planned}."
        )
        if summary.errors:
            raise CommandError(
                f"{summary.errors} reminder(s) could not be planned; see the log. "
                "Running the command again retries them."
            )
