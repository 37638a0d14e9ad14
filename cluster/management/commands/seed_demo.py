"""``python manage.py seed_demo``: demo clusters, schools, years and accounts (idempotent).

Every demo account has the password ``demo12345`` (set only when the account is created).
After the cluster part, the demo seeders of later apps run when they exist
(see cluster.demo.EXTENSION_MODULES).
"""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from cluster import demo


class Command(BaseCommand):
    help = "Create or restore the demo data (idempotent). Demo accounts use the password demo12345."

    def handle(self, *args, **options):
        summary = demo.seed()
        self.stdout.write(
            _("Demo clusters: %(created)d created, %(updated)d updated, %(unchanged)d unchanged.")
            % {
                "created": summary.created,
                "updated": summary.updated,
                "unchanged": summary.unchanged,
            }
        )
        for name in demo.seed_extensions():
            self.stdout.write(_("Demo data of %(module)s: done.") % {"module": name})

        headers = (_("Email"), _("Role"), _("School / cluster"), _("Password"))
        rows = [
            (account.email, str(account.role), account.where, account.password)
            for account in summary.accounts
        ]
        widths = [max(len(str(row[i])) for row in [headers, *rows]) for i in range(len(headers))]
        line = "  ".join("-" * width for width in widths)
        self.stdout.write("")
        self.stdout.write(_("Demo accounts:"))
        self.stdout.write("  ".join(str(h).ljust(w) for h, w in zip(headers, widths, strict=True)))
        self.stdout.write(line)
        for row in rows:
            self.stdout.write("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)))
