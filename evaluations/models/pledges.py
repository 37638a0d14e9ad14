from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..enums import SubmissionStatus


class Pledge(models.Model):
    """A school's registration for the year (đăng ký thi đua): targets, commitments, titles."""

    year = models.ForeignKey(
        "cluster.EmulationYear",
        on_delete=models.CASCADE,
        related_name="pledges",
        verbose_name=_("year"),
    )
    school = models.ForeignKey(
        "cluster.School", on_delete=models.CASCADE, related_name="pledges", verbose_name=_("school")
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=SubmissionStatus.choices,
        default=SubmissionStatus.DRAFT,
    )
    commitments = models.TextField(_("commitments"), blank=True)
    registered_titles = models.TextField(
        _("titles registered"),
        blank=True,
        help_text=_("The emulation titles and awards the school registers to compete for."),
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    is_late = models.BooleanField(_("late"), default=False)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    return_comment = models.TextField(_("comment from the secretariat"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["year", "school__code"]
        verbose_name = _("pledge")
        verbose_name_plural = _("pledges")
        constraints = [
            models.UniqueConstraint(fields=["year", "school"], name="pledge_one_per_school_year")
        ]

    def __str__(self) -> str:
        return f"{self.school.code} {self.year.label}"

    def get_absolute_url(self) -> str:
        return reverse("evaluations:pledge", kwargs={"pk": self.pk})


class PledgeTarget(models.Model):
    pledge = models.ForeignKey(
        Pledge, on_delete=models.CASCADE, related_name="targets", verbose_name=_("pledge")
    )
    indicator = models.ForeignKey(
        "evaluations.Indicator",
        on_delete=models.CASCADE,
        related_name="targets",
        verbose_name=_("indicator"),
    )
    target = models.DecimalField(
        _("target"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["pledge", "indicator__order", "indicator__code"]
        verbose_name = _("pledge target")
        verbose_name_plural = _("pledge targets")
        constraints = [
            models.UniqueConstraint(fields=["pledge", "indicator"], name="target_unique"),
            models.CheckConstraint(
                condition=Q(target__isnull=True) | Q(target__gte=0), name="target_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pledge} {self.indicator.code}: {self.target}"
