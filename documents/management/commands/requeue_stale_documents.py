"""Queue again the document jobs whose worker died or whose message was lost."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from documents import services


class Command(BaseCommand):
    help = "Queue again document jobs abandoned by their worker (no heartbeat for a while)."

    def handle(self, *args, **options):
        count = services.requeue_stale_jobs()
        self.stdout.write(f"{count} document job(s) queued again.")
