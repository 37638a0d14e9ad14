from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cluster.enums import PhaseKind

POINTS = {"max_digits": 7, "decimal_places": 2}


class CriteriaTable(models.Model):
    """The criteria table (bảng tiêu chí chấm điểm) of one cluster year."""

    year = models.OneToOneField(
        "cluster.EmulationYear",
        on_delete=models.CASCADE,
        related_name="criteria_table",
        verbose_name=_("year"),
    )
    bonus_cap = models.DecimalField(
        _("bonus cap"),
        **POINTS,
        default=Decimal("5"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Maximum bonus points (điểm thưởng) a school can receive."),
    )
    note = models.TextField(_("note"), blank=True)
    # Set when the secretariat reopens a table that schools already scored against:
    # structural changes are then allowed (and logged in TableReopening).
    reopened = models.BooleanField(_("reopened for changes"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("criteria table")
        verbose_name_plural = _("criteria tables")
        constraints = [
            models.CheckConstraint(condition=Q(bonus_cap__gte=0), name="table_bonus_cap_positive")
        ]

    def __str__(self) -> str:
        return f"{self.year}"


class Criterion(models.Model):
    """A row of the table: a group (no parent, code without a dot, never scored directly)
    or a criterion (parent = its group, code with a dot, scored 0..max_points)."""

    table = models.ForeignKey(
        CriteriaTable, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("table")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("group"),
    )
    code = models.CharField(_("code"), max_length=20)
    title = models.CharField(_("title"), max_length=500)
    guidance = models.TextField(_("guidance"), blank=True)
    max_points = models.DecimalField(
        _("maximum points"),
        **POINTS,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Empty for a group: its maximum is the sum of its criteria."),
    )
    evidence_required = models.BooleanField(_("evidence required"), default=False)
    order = models.PositiveIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["table", "order", "code"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [
            models.UniqueConstraint(fields=["table", "code"], name="criterion_unique_code"),
            models.CheckConstraint(
                condition=Q(max_points__isnull=True) | Q(max_points__gte=0),
                name="criterion_max_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.title}"

    @property
    def is_group(self) -> bool:
        return self.parent_id is None


class DeductionReason(models.Model):
    """A reason for deducting points (điểm trừ), with its points, e.g. a late report."""

    table = models.ForeignKey(
        CriteriaTable,
        on_delete=models.CASCADE,
        related_name="deduction_reasons",
        verbose_name=_("table"),
    )
    title = models.CharField(_("reason"), max_length=300)
    points = models.DecimalField(
        _("points"), **POINTS, validators=[MinValueValidator(Decimal("0"))]
    )
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["table", "order", "pk"]
        verbose_name = _("deduction reason")
        verbose_name_plural = _("deduction reasons")
        constraints = [
            models.CheckConstraint(condition=Q(points__gte=0), name="deduction_points_positive")
        ]

    def __str__(self) -> str:
        return f"{self.title} (−{self.points})"


class TableReopening(models.Model):
    """Log of a secretariat reopening a table already used for self-scoring."""

    table = models.ForeignKey(
        CriteriaTable, on_delete=models.CASCADE, related_name="reopenings", verbose_name=_("table")
    )
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reopened_at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField(_("reason"))
    affected_schools = models.ManyToManyField(
        "cluster.School", blank=True, related_name="+", verbose_name=_("affected schools")
    )

    class Meta:
        ordering = ["-reopened_at"]
        verbose_name = _("table reopening")
        verbose_name_plural = _("table reopenings")

    def __str__(self) -> str:
        return f"{self.table} {self.reopened_at:%d/%m/%Y}"


class Indicator(models.Model):
    """A natural indicator (chỉ tiêu) of a year: classes, learners, research topics…"""

    year = models.ForeignKey(
        "cluster.EmulationYear",
        on_delete=models.CASCADE,
        related_name="indicators",
        verbose_name=_("year"),
    )
    code = models.CharField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=300)
    unit = models.CharField(_("unit"), max_length=50)
    order = models.PositiveIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["year", "order", "code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.UniqueConstraint(fields=["year", "code"], name="indicator_unique_code")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.unit})"


class Extension(models.Model):
    """A deadline extension granted to one school for one phase (pledge, report, …)."""

    year = models.ForeignKey(
        "cluster.EmulationYear",
        on_delete=models.CASCADE,
        related_name="extensions",
        verbose_name=_("year"),
    )
    school = models.ForeignKey(
        "cluster.School",
        on_delete=models.CASCADE,
        related_name="extensions",
        verbose_name=_("school"),
    )
    phase_kind = models.CharField(_("phase"), max_length=20, choices=PhaseKind.choices)
    until = models.DateField(_("until"))
    reason = models.TextField(_("reason"))
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    granted_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["year", "phase_kind", "school__code"]
        verbose_name = _("extension")
        verbose_name_plural = _("extensions")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "school", "phase_kind"], name="extension_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.school} {self.get_phase_kind_display()} → {self.until:%d/%m/%Y}"
