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


class AggregationMethod(models.TextChoices):
    MEAN = "mean", _("Mean")
    MEDIAN = "median", _("Median")
    TRIMMED = "trimmed", _("Trimmed mean (drop the highest and the lowest)")


class AssignmentMode(models.TextChoices):
    ALL = "all", _("Every member scores every other member")
    ROTATION = "rotation", _("Each school is scored by k others in rotation")


class AssignmentStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")


class ResultsStage(models.TextChoices):
    SCORING = "scoring", _("Scoring in progress")
    PUBLISHED = "published", _("Provisional results published")
    FROZEN = "frozen", _("Results frozen")


class ObjectionStatus(models.TextChoices):
    OPEN = "open", _("Awaiting an answer")
    ANSWERED = "answered", _("Answered")
