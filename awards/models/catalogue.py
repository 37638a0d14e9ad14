from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..enums import AwardCategory, AwardLevel, RecipientKind, ThresholdBase

PERCENT = {
    "max_digits": 5,
    "decimal_places": 2,
    "validators": [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
}


class AwardType(models.Model):
    """A title (danh hiệu) or form of commendation (hình thức), e.g. CSTĐCS, Bằng khen."""

    code = models.CharField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=300)
    short_name = models.CharField(_("short name"), max_length=50, blank=True)
    category = models.CharField(_("category"), max_length=10, choices=AwardCategory.choices)
    recipient_kind = models.CharField(_("recipient"), max_length=12, choices=RecipientKind.choices)
    level = models.CharField(_("level"), max_length=10, choices=AwardLevel.choices)
    issuer = models.CharField(_("issuing authority"), max_length=200)
    order = models.PositiveIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("award type")
        verbose_name_plural = _("award types")

    def __str__(self) -> str:
        return self.name


class AwardRule(models.Model):
    """The parameters of an award type under one legal basis, for a date range.

    A nomination is judged against the rule in force on the decision date (DOMAIN rule 1).
    Figures are data (CHECK): decrees change.
    """

    award_type = models.ForeignKey(
        AwardType, on_delete=models.CASCADE, related_name="rules", verbose_name=_("award type")
    )
    legal_basis = models.CharField(_("legal basis"), max_length=500)
    effective_from = models.DateField(_("in force from"))
    effective_to = models.DateField(_("in force until"), null=True, blank=True)
    # Consecutive-years prerequisite (e.g. ministry-level fighter: CSTĐCS 3 years running).
    prerequisite_type = models.ForeignKey(
        AwardType,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("prerequisite title"),
    )
    prerequisite_years = models.PositiveSmallIntegerField(
        _("consecutive years of the prerequisite"), default=0
    )
    # Same-year prerequisite (e.g. CSTĐCS needs that year's LĐTT or better).
    same_year_type = models.ForeignKey(
        AwardType,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("title required the same year"),
    )
    requires_initiative = models.BooleanField(
        _("needs a recognised initiative or accepted research"), default=False
    )
    # Quota (e.g. CSTĐCS ≤ 15% of the unit's LĐTT recipients that year).
    quota_percent = models.DecimalField(_("quota (%)"), **PERCENT, null=True, blank=True)
    quota_of_type = models.ForeignKey(
        AwardType,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("quota counted against"),
    )
    # Excellent collective conditions (DOMAIN rule 6).
    min_good_share_percent = models.DecimalField(
        _("minimum share of members good or excellent (%)"), **PERCENT, null=True, blank=True
    )
    min_members_with_type = models.PositiveSmallIntegerField(
        _("minimum members holding the same-year title"), null=True, blank=True
    )
    requires_all_members_completed = models.BooleanField(
        _("every member completed their tasks"), default=False
    )
    forbids_disciplined_members = models.BooleanField(
        _("no member disciplined (warning or above)"), default=False
    )
    # Voting.
    vote_threshold_percent = models.DecimalField(
        _("vote threshold (%)"), **PERCENT, null=True, blank=True
    )
    threshold_base = models.CharField(
        _("threshold counted over"),
        max_length=12,
        choices=ThresholdBase.choices,
        default=ThresholdBase.ELECTORATE,
    )
    secret_ballot = models.BooleanField(_("secret ballot"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["award_type", "-effective_from"]
        verbose_name = _("award rule")
        verbose_name_plural = _("award rules")
        constraints = [
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True)
                | Q(effective_to__gte=models.F("effective_from")),
                name="award_rule_dates",
            ),
            models.UniqueConstraint(
                fields=["award_type", "effective_from"], name="award_rule_unique_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.award_type.code}: {self.legal_basis}"
