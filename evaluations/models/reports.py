from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..enums import SubmissionStatus
from .criteria import POINTS


class AnnualReport(models.Model):
    """A school's year-end report (báo cáo tổng kết) with its self-assessment."""

    year = models.ForeignKey(
        "cluster.EmulationYear",
        on_delete=models.CASCADE,
        related_name="reports",
        verbose_name=_("year"),
    )
    school = models.ForeignKey(
        "cluster.School", on_delete=models.CASCADE, related_name="reports", verbose_name=_("school")
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=SubmissionStatus.choices,
        default=SubmissionStatus.DRAFT,
    )
    results = models.TextField(_("results achieved"), blank=True)
    limitations = models.TextField(_("limitations and causes"), blank=True)
    lessons = models.TextField(_("lessons learned"), blank=True)
    directions = models.TextField(_("directions for next year"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    is_late = models.BooleanField(_("late"), default=False)
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    return_comment = models.TextField(_("comment from the secretariat"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=0)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["year", "school__code"]
        verbose_name = _("annual report")
        verbose_name_plural = _("annual reports")
        constraints = [
            models.UniqueConstraint(fields=["year", "school"], name="report_one_per_school_year")
        ]

    def __str__(self) -> str:
        return f"{self.school.code} {self.year.label}"

    def get_absolute_url(self) -> str:
        return reverse("evaluations:report", kwargs={"pk": self.pk})


class IndicatorResult(models.Model):
    report = models.ForeignKey(
        AnnualReport,
        on_delete=models.CASCADE,
        related_name="indicator_results",
        verbose_name=_("report"),
    )
    indicator = models.ForeignKey(
        "evaluations.Indicator",
        on_delete=models.CASCADE,
        related_name="results",
        verbose_name=_("indicator"),
    )
    actual = models.DecimalField(
        _("actual"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indicator result")
        verbose_name_plural = _("indicator results")
        constraints = [
            models.UniqueConstraint(fields=["report", "indicator"], name="result_unique"),
            models.CheckConstraint(
                condition=Q(actual__isnull=True) | Q(actual__gte=0), name="actual_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report} {self.indicator.code}: {self.actual}"


class SelfScore(models.Model):
    """The school's own score for one criterion (0..criterion.max_points, checked in the
    service; the constraint keeps it non-negative)."""

    report = models.ForeignKey(
        AnnualReport,
        on_delete=models.CASCADE,
        related_name="self_scores",
        verbose_name=_("report"),
    )
    criterion = models.ForeignKey(
        "evaluations.Criterion",
        on_delete=models.CASCADE,
        related_name="self_scores",
        verbose_name=_("criterion"),
    )
    points = models.DecimalField(_("self-score"), **POINTS, null=True, blank=True)
    explanation = models.TextField(_("explanation"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("self-score")
        verbose_name_plural = _("self-scores")
        constraints = [
            models.UniqueConstraint(fields=["report", "criterion"], name="selfscore_unique"),
            models.CheckConstraint(
                condition=Q(points__isnull=True) | Q(points__gte=0), name="selfscore_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report} {self.criterion.code}: {self.points}"


def evidence_path(instance: Evidence, filename: str) -> str:
    # Random name: never guessable, never the user's file name.
    return f"evidence/{instance.report.year_id}/{instance.report.school_id}/{uuid.uuid4().hex}"


class Evidence(models.Model):
    """A file supporting one criterion (or the report as a whole when criterion is empty)."""

    report = models.ForeignKey(
        AnnualReport, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("report")
    )
    criterion = models.ForeignKey(
        "evaluations.Criterion",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="evidence",
        verbose_name=_("criterion"),
    )
    file = models.FileField(_("file"), upload_to=evidence_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    description = models.CharField(_("description"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self) -> str:
        return self.original_name


class BonusClaim(models.Model):
    """Bonus points (điểm thưởng) a school claims; the secretariat approves (next issue)."""

    report = models.ForeignKey(
        AnnualReport,
        on_delete=models.CASCADE,
        related_name="bonus_claims",
        verbose_name=_("report"),
    )
    points = models.DecimalField(_("points claimed"), **POINTS)
    reason = models.TextField(_("reason"))
    approved_points = models.DecimalField(_("points approved"), **POINTS, null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["report", "pk"]
        verbose_name = _("bonus claim")
        verbose_name_plural = _("bonus claims")
        constraints = [
            models.CheckConstraint(condition=Q(points__gte=0), name="bonus_points_positive"),
            models.CheckConstraint(
                condition=Q(approved_points__isnull=True) | Q(approved_points__gte=0),
                name="bonus_approved_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report} +{self.points}"


class DeclaredDeduction(models.Model):
    """A deduction the school declares itself (with a reason from the table's list)."""

    report = models.ForeignKey(
        AnnualReport,
        on_delete=models.CASCADE,
        related_name="deductions",
        verbose_name=_("report"),
    )
    reason = models.ForeignKey(
        "evaluations.DeductionReason",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("reason"),
    )
    points = models.DecimalField(_("points"), **POINTS)
    explanation = models.TextField(_("explanation"), blank=True)
    approved_points = models.DecimalField(_("points approved"), **POINTS, null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["report", "pk"]
        verbose_name = _("declared deduction")
        verbose_name_plural = _("declared deductions")
        constraints = [
            models.CheckConstraint(condition=Q(points__gte=0), name="deduction_declared_positive")
        ]

    def __str__(self) -> str:
        return f"{self.report} −{self.points}"


class ReportEventKind(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for changes")
    ACCEPTED = "accepted", _("Accepted")


class ReportEvent(models.Model):
    """One step of a report's life (submitted, returned, accepted), kept for ever.

    A submission stores a snapshot of everything the school declared (sections, indicator
    values, scores and explanations, evidence names, bonus and deductions) so that the
    report page can show, readably, what changed between two submitted versions; the
    HistoricalRecords of each model keep the row-level audit trail as well.
    """

    report = models.ForeignKey(
        AnnualReport, on_delete=models.CASCADE, related_name="events", verbose_name=_("report")
    )
    kind = models.CharField(_("event"), max_length=20, choices=ReportEventKind.choices)
    version = models.PositiveIntegerField(_("version"))
    at = models.DateTimeField(_("at"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    comment = models.TextField(_("comment"), blank=True)
    is_late = models.BooleanField(_("late"), default=False)
    snapshot = models.JSONField(_("snapshot"), default=dict, blank=True)

    class Meta:
        ordering = ["report", "at", "pk"]
        verbose_name = _("report event")
        verbose_name_plural = _("report events")

    def __str__(self) -> str:
        return f"{self.report} v{self.version} {self.kind}"
