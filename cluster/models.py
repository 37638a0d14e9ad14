"""Clusters, schools, membership by year, leadership, movements and events.

Which schools are a year's members: a school is a member of an emulation year when one of
its memberships in that cluster is active on the year's *end date* (start <= end_date and
no end, or end >= end_date). The year is judged, scored and voted at its end, so a school
that joined during the year counts and one that left (or merged into a successor) does
not. In the year a merger takes effect (2025: 01/07/2025) the predecessors' memberships
end on 30/06/2025 and the successor's starts on 01/07/2025, so the 2025 members are the
successor schools. See cluster.selectors.members_of_year.
"""

from __future__ import annotations

import uuid
from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .enums import EventKind, HeadingStyle, LeadershipRole, PeriodKind, PhaseKind

code_validator = RegexValidator(
    r"^[A-Z0-9][A-Z0-9_-]*$",
    _("Use capital letters, digits, '-' or '_' (for example CUM4 or HNA)."),
)


class Cluster(models.Model):
    code = models.CharField(_("code"), max_length=20, unique=True, validators=[code_validator])
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    superior_body = models.CharField(
        _("superior body"),
        max_length=200,
        blank=True,
        help_text=_("Printed above the issuing body on official documents."),
    )
    document_symbol = models.CharField(
        _("document symbol"),
        max_length=30,
        blank=True,
        help_text=_("Suffix of document numbers, e.g. CTĐ4 in 12/BB-CTĐ4."),
    )
    heading_style = models.CharField(
        _("document heading"),
        max_length=10,
        choices=HeadingStyle.choices,
        default=HeadingStyle.STATE,
    )
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = _("cluster")
        verbose_name_plural = _("clusters")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def get_absolute_url(self) -> str:
        return reverse("cluster:overview", kwargs={"code": self.code})


class School(models.Model):
    code = models.CharField(_("code"), max_length=20, unique=True, validators=[code_validator])
    name = models.CharField(_("name"), max_length=200)
    province = models.CharField(_("province"), max_length=100)
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("website"), blank=True)
    rector = models.CharField(_("rector"), max_length=200, blank=True)
    description = models.TextField(_("introduction"), blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = _("school")
        verbose_name_plural = _("schools")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("cluster:school", kwargs={"code": self.code})


class SchoolMerge(models.Model):
    """A predecessor school merged into a successor from a date (e.g. the 2025 merger).

    A school merges at most once; a successor can have several predecessors and may itself
    be one of the schools that merged (Ninh Bình absorbed Hà Nam and Nam Định).
    """

    predecessor = models.OneToOneField(
        School,
        on_delete=models.PROTECT,
        related_name="merged_into",
        verbose_name=_("predecessor"),
    )
    successor = models.ForeignKey(
        School,
        on_delete=models.PROTECT,
        related_name="merged_from",
        verbose_name=_("successor"),
    )
    effective_date = models.DateField(_("effective date"))
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["effective_date", "predecessor__code"]
        verbose_name = _("school merger")
        verbose_name_plural = _("school mergers")
        constraints = [
            models.CheckConstraint(
                condition=~Q(predecessor=models.F("successor")),
                name="merge_not_into_itself",
                violation_error_message=_("A school cannot merge into itself."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor} ({self.effective_date:%d/%m/%Y})"


class MembershipQuerySet(models.QuerySet):
    def active_on(self, day: date) -> MembershipQuerySet:
        return self.filter(Q(end_date__isnull=True) | Q(end_date__gte=day), start_date__lte=day)


class Membership(models.Model):
    cluster = models.ForeignKey(
        Cluster, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("cluster")
    )
    school = models.ForeignKey(
        School, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("school")
    )
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"), null=True, blank=True)
    history = HistoricalRecords()

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["cluster__code", "school__code", "start_date"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="membership_end_after_start",
                violation_error_message=_("The end date must not be before the start date."),
            ),
            models.UniqueConstraint(
                fields=["cluster", "school", "start_date"], name="membership_unique_start"
            ),
        ]

    def __str__(self) -> str:
        until = f"{self.end_date:%d/%m/%Y}" if self.end_date else "…"
        return f"{self.school.code} @ {self.cluster.code}: {self.start_date:%d/%m/%Y}–{until}"

    def is_active_on(self, day: date) -> bool:
        return self.start_date <= day and (self.end_date is None or self.end_date >= day)


class EmulationYear(models.Model):
    """One emulation period of a cluster: a calendar year (since ~2020) or a school year."""

    cluster = models.ForeignKey(
        Cluster, on_delete=models.CASCADE, related_name="years", verbose_name=_("cluster")
    )
    label = models.CharField(
        _("label"),
        max_length=20,
        help_text=_("For example 2026, or 2017–2018 for a school year."),
    )
    period_kind = models.CharField(
        _("period"), max_length=10, choices=PeriodKind.choices, default=PeriodKind.CALENDAR
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    theme = models.CharField(_("theme"), max_length=300, blank=True)
    description = models.TextField(_("guidance and notes"), blank=True)
    recognition_decision_number = models.CharField(
        _("recognition decision number"),
        max_length=50,
        blank=True,
        help_text=_("The Academy's decision recognising the head and deputies."),
    )
    recognition_decision_date = models.DateField(
        _("recognition decision date"), null=True, blank=True
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["cluster__code", "-start_date"]
        verbose_name = _("emulation year")
        verbose_name_plural = _("emulation years")
        constraints = [
            models.UniqueConstraint(fields=["cluster", "label"], name="year_unique_label"),
            models.CheckConstraint(
                condition=Q(end_date__gt=models.F("start_date")),
                name="year_end_after_start",
                violation_error_message=_("The end date must be after the start date."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cluster.code} {self.label}"

    def get_absolute_url(self) -> str:
        return reverse("cluster:year", kwargs={"code": self.cluster.code, "label": self.label})

    @property
    def reference_date(self) -> date:
        """The day whose memberships decide the year's members (see module docstring)."""
        return self.end_date


class Phase(models.Model):
    """A step of the yearly cycle with its dates. The soft deadline marks late submissions;
    after the hard deadline (when set) submissions are refused unless extended."""

    year = models.ForeignKey(
        EmulationYear, on_delete=models.CASCADE, related_name="phases", verbose_name=_("year")
    )
    kind = models.CharField(_("phase"), max_length=20, choices=PhaseKind.choices)
    starts_on = models.DateField(_("starts on"))
    deadline = models.DateField(_("deadline"))
    hard_deadline = models.DateField(
        _("final deadline"),
        null=True,
        blank=True,
        help_text=_("After this date submissions are refused unless an extension was granted."),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["year", "starts_on", "deadline"]
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        constraints = [
            models.UniqueConstraint(fields=["year", "kind"], name="phase_unique_kind"),
            models.CheckConstraint(
                condition=Q(deadline__gte=models.F("starts_on")),
                name="phase_deadline_after_start",
                violation_error_message=_("The deadline must not be before the start."),
            ),
            models.CheckConstraint(
                condition=Q(hard_deadline__isnull=True)
                | Q(hard_deadline__gte=models.F("deadline")),
                name="phase_hard_after_soft",
                violation_error_message=_("The final deadline must not be before the deadline."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.deadline:%d/%m/%Y})"


class Leadership(models.Model):
    """The head or a deputy of a year, elected by the members (DOMAIN rule 8)."""

    year = models.ForeignKey(
        EmulationYear, on_delete=models.CASCADE, related_name="leaders", verbose_name=_("year")
    )
    school = models.ForeignKey(
        School, on_delete=models.PROTECT, related_name="leaderships", verbose_name=_("school")
    )
    role = models.CharField(_("role"), max_length=10, choices=LeadershipRole.choices)
    history = HistoricalRecords()

    class Meta:
        ordering = ["year", "role", "school__code"]
        verbose_name = _("head or deputy")
        verbose_name_plural = _("heads and deputies")
        constraints = [
            models.UniqueConstraint(fields=["year", "school"], name="leadership_one_role"),
            models.UniqueConstraint(
                fields=["year"], condition=Q(role="head"), name="leadership_one_head"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.get_role_display()} {self.school}"


class Movement(models.Model):
    """An emulation movement (phong trào thi đua), possibly spanning several years."""

    cluster = models.ForeignKey(
        Cluster, on_delete=models.CASCADE, related_name="movements", verbose_name=_("cluster")
    )
    title = models.CharField(_("title"), max_length=300)
    slogan = models.CharField(_("slogan"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    launched_by = models.CharField(
        _("launched by"), max_length=200, blank=True, help_text=_("E.g. the Academy or a school.")
    )
    launching_school = models.ForeignKey(
        School,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="launched_movements",
        verbose_name=_("launching school"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_date", "title"]
        verbose_name = _("movement")
        verbose_name_plural = _("movements")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="movement_end_after_start",
                violation_error_message=_("The end date must not be before the start date."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("cluster:movement", kwargs={"code": self.cluster.code, "pk": self.pk})


def cluster_document_path(instance: models.Model, filename: str) -> str:
    """A random stored name: the uploader's file name never reaches the file system (no
    guessing, no clashes, no path tricks). Downloads are named after the document's title."""
    extension = Path(filename).suffix.lower()[:10]
    if not extension[1:].isalnum():
        extension = ""
    return f"cluster/documents/{uuid.uuid4().hex}{extension}"


class MovementDocument(models.Model):
    movement = models.ForeignKey(
        Movement, on_delete=models.CASCADE, related_name="documents", verbose_name=_("movement")
    )
    title = models.CharField(_("title"), max_length=300)
    file = models.FileField(_("file"), upload_to=cluster_document_path)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at"]
        verbose_name = _("movement document")
        verbose_name_plural = _("movement documents")

    def __str__(self) -> str:
        return self.title


class Event(models.Model):
    """A cluster activity: conference, workshop, model lesson, class visit…"""

    cluster = models.ForeignKey(
        Cluster, on_delete=models.CASCADE, related_name="events", verbose_name=_("cluster")
    )
    year = models.ForeignKey(
        EmulationYear,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("year"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    title = models.CharField(_("title"), max_length=300)
    date = models.DateField(_("date"))
    host_school = models.ForeignKey(
        School,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="hosted_events",
        verbose_name=_("host school"),
    )
    location = models.CharField(_("location"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    minutes = models.FileField(
        _("minutes"), upload_to=cluster_document_path, blank=True, help_text=_("PDF, DOCX…")
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "title"]
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def __str__(self) -> str:
        return f"{self.title} ({self.date:%d/%m/%Y})"

    def get_absolute_url(self) -> str:
        return reverse("cluster:event", kwargs={"code": self.cluster.code, "pk": self.pk})
