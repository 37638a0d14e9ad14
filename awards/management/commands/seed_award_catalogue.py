"""``python manage.py seed_award_catalogue``: create the award types and their rules that
are missing (idempotent; never overwrites an administrator's changes)."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from awards.services.catalogue import seed_award_catalogue


class Command(BaseCommand):
    help = "Create the missing award types and rules of the catalogue (idempotent)."

    def handle(self, *args, **options):
        counts = seed_award_catalogue()
        self.stdout.write(
            _("Award catalogue: %(types)d types and %(rules)d rules created.")
            % {"types": counts.types_created, "rules": counts.rules_created}
        )
