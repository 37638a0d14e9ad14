from django.db import models
from django.utils.translation import gettext_lazy as _


class SubmissionStatus(models.TextChoices):
    """Status of a pledge or an annual report."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for changes")
    ACCEPTED = "accepted", _("Accepted")


class ProgressStatus(models.TextChoices):
    """What the secretariat's progress table shows per school and item."""

    NOT_STARTED = "not_started", _("Not started")
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    LATE = "late", _("Submitted late")
    RETURNED = "returned", _("Returned")
    ACCEPTED = "accepted", _("Accepted")
