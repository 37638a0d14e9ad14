"""The outbox as an Excel workbook (what the page shows, with the same filter)."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _

from cluster.exports import build_workbook

from .models import OutboxMessage


def _moment(value):
    return timezone.localtime(value).strftime("%d/%m/%Y %H:%M") if value else ""


def outbox_workbook(*, cluster, messages: Iterable[OutboxMessage], show_addresses: bool) -> bytes:
    headers = [
        _("Created at"),
        _("Kind"),
        _("School"),
        _("Recipient"),
        _("Subject"),
        _("Status"),
        _("Attempts"),
        _("Sent at"),
        _("Last error"),
    ]
    rows = []
    for message in messages:
        recipient = message.recipient.get_full_name() if message.recipient else ""
        if show_addresses:
            recipient = f"{recipient} <{message.to_email}>" if recipient else message.to_email
        rows.append(
            [
                _moment(message.created_at),
                message.get_kind_display(),
                message.school.name if message.school else "",
                recipient,
                message.subject,
                message.get_status_display(),
                message.attempts,
                _moment(message.sent_at),
                message.last_error,
            ]
        )
    return build_workbook(
        sheet_title=_("Outbox"),
        heading=_("Reminder outbox of %(cluster)s") % {"cluster": cluster.name},
        headers=headers,
        rows=rows,
    )
