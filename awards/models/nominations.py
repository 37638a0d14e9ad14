from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..enums import NominationStatus, RecipientKind


class Recipient(models.Model):
    """A person or a collective (a unit, or the whole school) that can receive awards."""

    kind = models.CharField(_("kind"), max_length=12, choices=RecipientKind.choices)
    school = models.ForeignKey(
        "cluster.School",
        on_delete=models.PROTECT,
        related_name="award_recipients",
        verbose_name=_("school"),
    )
    name = models.CharField(_("name"), max_length=200)
    position = models.CharField(_("position"), max_length=200, blank=True)
    unit = models.CharField(_("unit"), max_length=200, blank=True)
    is_whole_school = models.BooleanField(_("the whole school"), default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["school__code", "kind", "name"]
        verbose_name = _("recipient")
        verbose_name_plural = _("recipients")
        constraints = [
            models.UniqueConstraint(
                fields=["school", "kind", "name", "unit"], name="recipient_unique_identity"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.school.code})"


class Achievement(models.Model):
    """An award held (hồ sơ thành tích): type, period, decision. Revoked ones keep their
    record but no longer count (DOMAIN rule 3)."""

    recipient = models.ForeignKey(
        Recipient,
        on_delete=models.CASCADE,
        related_name="achievements",
        verbose_name=_("recipient"),
    )
    award_type = models.ForeignKey(
        "awards.AwardType",
        on_delete=models.PROTECT,
        related_name="achievements",
        verbose_name=_("award type"),
    )
    period_year = models.PositiveSmallIntegerField(
        _("year"), help_text=_("The year the achievement is for (end year of a school year).")
    )
    period_label = models.CharField(_("period"), max_length=20, blank=True)
    decision_number = models.CharField(_("decision number"), max_length=60)
    decision_date = models.DateField(_("decision date"))
    issuer = models.CharField(_("issued by"), max_length=200)
    revoked_at = models.DateField(_("revoked on"), null=True, blank=True)
    revoke_reason = models.TextField(_("revocation reason"), blank=True)
    revoke_reference = models.CharField(_("revocation reference"), max_length=100, blank=True)
    nomination = models.OneToOneField(
        "awards.Nomination",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="achievement",
        verbose_name=_("nomination"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-period_year", "award_type__order"]
        verbose_name = _("achievement")
        verbose_name_plural = _("achievements")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "award_type", "period_year"],
                condition=Q(revoked_at__isnull=True),
                name="achievement_once_per_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recipient} – {self.award_type.code} {self.period_year}"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


def nomination_file_path(instance: models.Model, filename: str) -> str:
    return f"nominations/{uuid.uuid4().hex}"


class Nomination(models.Model):
    """A proposal (đề nghị khen thưởng) by a school for a recipient, type and year."""

    year = models.ForeignKey(
        "cluster.EmulationYear",
        on_delete=models.CASCADE,
        related_name="nominations",
        verbose_name=_("year"),
    )
    school = models.ForeignKey(
        "cluster.School",
        on_delete=models.CASCADE,
        related_name="nominations",
        verbose_name=_("proposing school"),
    )
    recipient = models.ForeignKey(
        Recipient,
        on_delete=models.PROTECT,
        related_name="nominations",
        verbose_name=_("recipient"),
    )
    award_type = models.ForeignKey(
        "awards.AwardType",
        on_delete=models.PROTECT,
        related_name="nominations",
        verbose_name=_("award type"),
    )
    status = models.CharField(
        _("status"),
        max_length=15,
        choices=NominationStatus.choices,
        default=NominationStatus.DRAFT,
    )
    achievement_summary = models.TextField(_("achievement summary"), blank=True)
    achievement_report = models.FileField(
        _("achievement report"), upload_to=nomination_file_path, blank=True, max_length=300
    )
    achievement_report_name = models.CharField(max_length=255, blank=True)
    achievement_report_certified = models.BooleanField(
        _("achievement report certified"), default=False
    )
    initiative = models.TextField(
        _("initiative or research"),
        blank=True,
        help_text=_("The recognised initiative or accepted research the title rests on."),
    )
    initiative_file = models.FileField(
        _("initiative recognition"), upload_to=nomination_file_path, blank=True, max_length=300
    )
    initiative_file_name = models.CharField(max_length=255, blank=True)
    # Collective conditions (DOMAIN rule 6), entered by the school for collective types.
    members_total = models.PositiveIntegerField(_("members"), null=True, blank=True)
    members_completed = models.PositiveIntegerField(
        _("members who completed their tasks"), null=True, blank=True
    )
    members_good_or_excellent = models.PositiveIntegerField(
        _("members rated good or excellent"), null=True, blank=True
    )
    members_with_title = models.PositiveIntegerField(
        _("members holding CSTĐCS this year"), null=True, blank=True
    )
    members_disciplined = models.PositiveIntegerField(
        _("members disciplined (warning or above)"), null=True, blank=True
    )
    eligibility = models.JSONField(_("eligibility check"), default=list, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    comment_until = models.DateField(_("comments until"), null=True, blank=True)
    return_comment = models.TextField(_("comment from the secretariat"), blank=True)
    decision_number = models.CharField(_("decision number"), max_length=60, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    refusal_reason = models.TextField(_("refusal reason"), blank=True)
    planned_decision_date = models.DateField(
        _("planned decision date"),
        null=True,
        blank=True,
        help_text=_(
            "Eligibility is judged under the legal basis in force on this date (today when empty)."
        ),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["year", "school__code", "award_type__order", "recipient__name"]
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        constraints = [
            # One achievement backs one award: one live nomination per recipient, type, year.
            models.UniqueConstraint(
                fields=["recipient", "award_type", "year"],
                condition=~Q(status__in=["withdrawn", "refused", "not_approved"]),
                name="nomination_once_per_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recipient} – {self.award_type.code} ({self.year.label})"


class NominationEvent(models.Model):
    """A step of a nomination's workflow: who moved it, when, from what to what, why."""

    nomination = models.ForeignKey(
        Nomination, on_delete=models.CASCADE, related_name="events", verbose_name=_("nomination")
    )
    from_status = models.CharField(max_length=15, choices=NominationStatus.choices, blank=True)
    to_status = models.CharField(max_length=15, choices=NominationStatus.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["nomination", "at", "pk"]
        verbose_name = _("nomination event")
        verbose_name_plural = _("nomination events")

    def __str__(self) -> str:
        return f"{self.nomination}: {self.from_status} → {self.to_status}"


class NominationComment(models.Model):
    """A member's comment on a published nomination (DOMAIN rule 14: the candidate list is
    published to the members before it goes to the Academy)."""

    nomination = models.ForeignKey(
        Nomination,
        on_delete=models.CASCADE,
        related_name="comments",
        verbose_name=_("nomination"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("author"),
    )
    school = models.ForeignKey(
        "cluster.School",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("school"),
    )
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)

    class Meta:
        ordering = ["nomination", "created_at", "pk"]
        verbose_name = _("comment on a nomination")
        verbose_name_plural = _("comments on nominations")

    def __str__(self) -> str:
        return f"{self.nomination}: {self.text[:40]}"


class DossierKind(models.TextChoices):
    SUBMISSION = "submission", _("Submission (tờ trình)")
    MINUTES = "minutes", _("Meeting minutes with the ballot result")


def dossier_file_path(instance: models.Model, filename: str) -> str:
    return f"dossiers/{uuid.uuid4().hex}"


class DossierDocument(models.Model):
    """A document of the year's proposal dossier (DOMAIN rule 13), uploaded by the
    secretariat: the submission to the Academy and the minutes of the voting meeting."""

    year = models.ForeignKey(
        "cluster.EmulationYear",
        on_delete=models.CASCADE,
        related_name="dossier_documents",
        verbose_name=_("year"),
    )
    kind = models.CharField(_("document"), max_length=12, choices=DossierKind.choices)
    file = models.FileField(_("file"), upload_to=dossier_file_path, max_length=300)
    file_name = models.CharField(max_length=255, blank=True)
    number = models.CharField(_("number"), max_length=60, blank=True)
    date = models.DateField(_("date"), null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["year", "kind", "-uploaded_at"]
        verbose_name = _("dossier document")
        verbose_name_plural = _("dossier documents")

    def __str__(self) -> str:
        return f"{self.year}: {self.get_kind_display()} {self.number}".strip()
