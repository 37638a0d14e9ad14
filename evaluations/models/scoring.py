"""Cross-scoring (chấm chéo), results publication, objections and frozen results.

Once a year's results are frozen nothing of its scoring may change. The services refuse
first (with a clear message); as a last line, ``save()`` and ``delete()`` of the scoring
models refuse too, so the admin, a management command or a shell cannot slip past.
(Bulk queryset updates bypass ``save()``: only the services use them, after checking.)
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..enums import (
    AggregationMethod,
    AssignmentMode,
    AssignmentStatus,
    ObjectionStatus,
    ResultsStage,
)
from .criteria import POINTS


def year_is_frozen(year_id: int | None) -> bool:
    return bool(
        year_id
        and ScoringSettings.objects.filter(year_id=year_id, stage=ResultsStage.FROZEN).exists()
    )


def frozen_error() -> ValidationError:
    return ValidationError(
        _(
            "The results of this year are frozen: scores, assignments, bonus, deductions "
            "and settings can no longer be changed."
        ),
        code="frozen",
    )


def refuse_if_frozen(year_id: int | None) -> None:
    """Raise ``frozen_error()`` when the year's results are frozen."""
    if year_is_frozen(year_id):
        raise frozen_error()


class FrozenGuardMixin:
    """save()/delete() refuse when the year of the object is frozen."""

    def _guarded_year_id(self) -> int | None:
        return self.year_id

    def clean(self):
        # Model forms (the admin) show the refusal as a form error instead of failing.
        super().clean()
        refuse_if_frozen(self._guarded_year_id())

    def save(self, *args, **kwargs):
        refuse_if_frozen(self._guarded_year_id())
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        refuse_if_frozen(self._guarded_year_id())
        return super().delete(*args, **kwargs)


class ScoringSettings(models.Model):
    """How a year is cross-scored and where its results stand (scoring → published → frozen)."""

    year = models.OneToOneField(
        "cluster.EmulationYear",
        on_delete=models.CASCADE,
        related_name="scoring",
        verbose_name=_("year"),
    )
    method = models.CharField(
        _("aggregation method"),
        max_length=10,
        choices=AggregationMethod.choices,
        default=AggregationMethod.MEAN,
    )
    mode = models.CharField(
        _("assignment mode"),
        max_length=10,
        choices=AssignmentMode.choices,
        default=AssignmentMode.ALL,
    )
    scorers_per_school = models.PositiveSmallIntegerField(
        _("scorers per school (k)"), default=3, validators=[MinValueValidator(1)]
    )
    gap_threshold_percent = models.DecimalField(
        _("self/cross gap flag (percent of the criterion maximum)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("10"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    comment_window_days = models.PositiveSmallIntegerField(_("objection window (days)"), default=7)
    stage = models.CharField(
        _("stage"), max_length=10, choices=ResultsStage.choices, default=ResultsStage.SCORING
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    objections_until = models.DateField(_("objections accepted until"), null=True, blank=True)
    frozen_at = models.DateTimeField(_("frozen at"), null=True, blank=True)
    frozen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    fingerprint = models.CharField(_("SHA-256 fingerprint"), max_length=64, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("scoring settings")
        verbose_name_plural = _("scoring settings")

    def __str__(self) -> str:
        return f"{self.year}"

    def save(self, *args, **kwargs):
        # What is stored decides: the freeze itself saves a not-yet-frozen row.
        if self.pk:
            refuse_if_frozen(self.year_id)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        refuse_if_frozen(self.year_id)
        return super().delete(*args, **kwargs)

    def clean(self):
        super().clean()
        if self.pk:
            refuse_if_frozen(self.year_id)

    @property
    def is_frozen(self) -> bool:
        return self.stage == ResultsStage.FROZEN

    @property
    def is_published(self) -> bool:
        """Provisional or frozen results are visible to the members."""
        return self.stage in (ResultsStage.PUBLISHED, ResultsStage.FROZEN)


class Assignment(FrozenGuardMixin, models.Model):
    """``scorer`` school scores ``target`` school in ``year``. Never itself."""

    year = models.ForeignKey(
        "cluster.EmulationYear",
        on_delete=models.CASCADE,
        related_name="assignments",
        verbose_name=_("year"),
    )
    scorer = models.ForeignKey(
        "cluster.School",
        on_delete=models.CASCADE,
        related_name="scoring_assignments",
        verbose_name=_("scoring school"),
    )
    target = models.ForeignKey(
        "cluster.School",
        on_delete=models.CASCADE,
        related_name="scored_assignments",
        verbose_name=_("school scored"),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=AssignmentStatus.choices,
        default=AssignmentStatus.NOT_STARTED,
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    is_late = models.BooleanField(_("late"), default=False)
    conflict_declared = models.BooleanField(_("conflict of interest declared"), default=False)
    conflict_reason = models.TextField(_("conflict reason"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["year", "scorer__code", "target__code"]
        verbose_name = _("scoring assignment")
        verbose_name_plural = _("scoring assignments")
        constraints = [
            models.UniqueConstraint(fields=["year", "scorer", "target"], name="assignment_unique"),
            models.CheckConstraint(
                condition=~Q(scorer=models.F("target")),
                name="assignment_not_self",
                violation_error_message=_("A school never scores itself."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.scorer.code} → {self.target.code}"


class CrossScore(FrozenGuardMixin, models.Model):
    assignment = models.ForeignKey(
        Assignment, on_delete=models.CASCADE, related_name="scores", verbose_name=_("assignment")
    )
    criterion = models.ForeignKey(
        "evaluations.Criterion",
        on_delete=models.CASCADE,
        related_name="cross_scores",
        verbose_name=_("criterion"),
    )
    points = models.DecimalField(_("points"), **POINTS, null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("cross score")
        verbose_name_plural = _("cross scores")
        constraints = [
            models.UniqueConstraint(fields=["assignment", "criterion"], name="crossscore_unique"),
            models.CheckConstraint(
                condition=Q(points__isnull=True) | Q(points__gte=0), name="crossscore_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assignment} {self.criterion.code}: {self.points}"

    def _guarded_year_id(self) -> int | None:
        return (
            Assignment.objects.filter(pk=self.assignment_id)
            .values_list("year_id", flat=True)
            .first()
        )


class ImposedDeduction(FrozenGuardMixin, models.Model):
    """A deduction the secretariat records against a school (e.g. a late report)."""

    year = models.ForeignKey(
        "cluster.EmulationYear",
        on_delete=models.CASCADE,
        related_name="imposed_deductions",
        verbose_name=_("year"),
    )
    school = models.ForeignKey(
        "cluster.School",
        on_delete=models.CASCADE,
        related_name="imposed_deductions",
        verbose_name=_("school"),
    )
    reason = models.ForeignKey(
        "evaluations.DeductionReason",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reason"),
    )
    points = models.DecimalField(_("points"), **POINTS)
    explanation = models.TextField(_("explanation"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["year", "school__code", "pk"]
        verbose_name = _("deduction by the secretariat")
        verbose_name_plural = _("deductions by the secretariat")
        constraints = [
            models.CheckConstraint(condition=Q(points__gte=0), name="imposed_points_positive")
        ]

    def __str__(self) -> str:
        return f"{self.school.code} {self.year.label} −{self.points}"


class Objection(FrozenGuardMixin, models.Model):
    """A member's objection to a published provisional result, on one criterion."""

    year = models.ForeignKey(
        "cluster.EmulationYear",
        on_delete=models.CASCADE,
        related_name="objections",
        verbose_name=_("year"),
    )
    school = models.ForeignKey(
        "cluster.School",
        on_delete=models.CASCADE,
        related_name="objections",
        verbose_name=_("objecting school"),
    )
    target = models.ForeignKey(
        "cluster.School",
        on_delete=models.CASCADE,
        related_name="objections_about",
        verbose_name=_("result concerned"),
    )
    criterion = models.ForeignKey(
        "evaluations.Criterion",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="objections",
        verbose_name=_("criterion"),
    )
    text = models.TextField(_("objection"))
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    raised_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ObjectionStatus.choices, default=ObjectionStatus.OPEN
    )
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["year", "raised_at"]
        verbose_name = _("objection")
        verbose_name_plural = _("objections")

    def __str__(self) -> str:
        return f"{self.school.code} → {self.target.code} ({self.year.label})"


class ResultRow(FrozenGuardMixin, models.Model):
    """One school's result in a frozen year: the snapshot the fingerprint is computed over."""

    year = models.ForeignKey(
        "cluster.EmulationYear",
        on_delete=models.CASCADE,
        related_name="results",
        verbose_name=_("year"),
    )
    school = models.ForeignKey(
        "cluster.School", on_delete=models.PROTECT, related_name="results", verbose_name=_("school")
    )
    # The school as it was named when the year was frozen: the fingerprint covers these.
    school_code = models.CharField(_("school code"), max_length=20, blank=True)
    school_name = models.CharField(_("school name"), max_length=200, blank=True)
    rank = models.PositiveIntegerField(_("rank"))
    criteria_points = models.DecimalField(_("criteria points"), max_digits=9, decimal_places=2)
    bonus = models.DecimalField(_("bonus"), max_digits=9, decimal_places=2)
    deductions = models.DecimalField(_("deductions"), max_digits=9, decimal_places=2)
    total = models.DecimalField(_("total"), max_digits=9, decimal_places=2)

    class Meta:
        ordering = ["year", "rank", "school__code"]
        verbose_name = _("frozen result")
        verbose_name_plural = _("frozen results")
        constraints = [
            models.UniqueConstraint(fields=["year", "school"], name="result_one_per_school")
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.rank}. {self.school.code} {self.total}"
