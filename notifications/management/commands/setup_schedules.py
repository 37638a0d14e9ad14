"""Create the periodic tasks in django-celery-beat (idempotent): the daily deadline scan
“Quét hạn chót và gửi nhắc việc” at 07:00 Asia/Ho_Chi_Minh. An existing task, perhaps
edited in the admin, is left as it is."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from notifications import services


class Command(BaseCommand):
    help = "Create the daily reminder scan in django-celery-beat if it is missing."

    def handle(self, *args, **options) -> None:
        task, created = services.ensure_reminder_schedule()
        state = "created" if created else "already there, left unchanged"
        self.stdout.write(f"Periodic task “{task.name}”: {state}.")
