from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DeadlineKind(models.TextChoices):
    """The deadlines reminders are sent for."""

    PLEDGE = "pledge", _("Pledge registration")
    REPORT = "report", _("Annual report")
    CROSS_SCORING = "cross_scoring", _("Cross-scoring")
    BALLOT = "ballot", _("Ballot voting")


class ReminderKind(models.TextChoices):
    """What a reminder log entry (and its messages) is about: a reminder to a school for one
    deadline, or the list of late schools sent to the secretariat."""

    PLEDGE = "pledge", _("Pledge registration")
    REPORT = "report", _("Annual report")
    CROSS_SCORING = "cross_scoring", _("Cross-scoring")
    BALLOT = "ballot", _("Ballot voting")
    LATE_LIST = "late_list", _("List of late schools")


class OutboxStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


# Offsets of the reminder log that are not "days before the deadline".
OFFSET_LATE_LIST = "-1"  # the day after the deadline
OFFSET_MANUAL = "manual"  # sent by hand from the outbox page
