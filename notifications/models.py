"""Reminders before deadlines, the outbox of emails and the in-app notifications.

- ``ReminderPolicy``: when a cluster (or one of its years) reminds, editable in the admin.
- ``ReminderLog``: one row per reminder decided (kind, year or round, school, deadline,
  offset) with a unique ``key``: a second scheduler run or a retried task can never plan
  the same reminder twice.
- ``OutboxMessage``: one email per recipient, created with its log in one transaction and
  sent by a Celery task; its status says what happened (queued, sending, sent, failed).
- ``Notification``: the in-app mirror of each email to a user.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .enums import OFFSET_LATE_LIST, OFFSET_MANUAL, DeadlineKind, OutboxStatus, ReminderKind

DEFAULT_OFFSETS = (7, 3, 1)
MAX_OFFSET_DAYS = 366


def parse_offsets(value: str) -> list[int]:
    """``"7, 3, 1"`` → ``[7, 3, 1]`` (unique, largest first). ValidationError when wrong."""
    days: set[int] = set()
    for part in (value or "").replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        if not part.isdigit() or int(part) > MAX_OFFSET_DAYS:
            raise ValidationError(
                _(
                    "“%(value)s” is not a number of days between 0 and %(max)s. "
                    "Write numbers separated by commas, for example 7, 3, 1."
                ),
                code="invalid_offset",
                params={"value": part, "max": MAX_OFFSET_DAYS},
            )
        days.add(int(part))
    if not days:
        raise ValidationError(
            _("Give at least one number of days, for example 7, 3, 1."), code="no_offset"
        )
    return sorted(days, reverse=True)


def validate_offsets(value: str) -> None:
    parse_offsets(value)


class ReminderPolicy(models.Model):
    """When reminders go for a cluster: its default (no year) or an override for one year.
    A cluster without any policy uses the defaults (on; 7, 3 and 1 days; late list)."""

    cluster = models.ForeignKey(
        "cluster.Cluster",
        on_delete=models.CASCADE,
        related_name="reminder_policies",
        verbose_name=_("cluster"),
    )
    year = models.ForeignKey(
        "cluster.EmulationYear",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reminder_policies",
        verbose_name=_("year"),
        help_text=_("Empty: the cluster's default. A year: an override for that year only."),
    )
    enabled = models.BooleanField(_("send reminders"), default=True)
    offsets = models.CharField(
        _("days before the deadline"),
        max_length=100,
        default="7, 3, 1",
        validators=[validate_offsets],
        help_text=_(
            "Representatives of schools that have not finished are reminded this many days "
            "before each deadline, separated by commas (0 = on the deadline day)."
        ),
    )
    send_late_list = models.BooleanField(
        _("send the list of late schools"),
        default=True,
        help_text=_(
            "The day after each deadline the secretariat receives the schools that are late."
        ),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["cluster__code", "year__start_date"]
        verbose_name = _("reminder policy")
        verbose_name_plural = _("reminder policies")
        constraints = [
            models.UniqueConstraint(
                fields=["cluster"],
                condition=Q(year__isnull=True),
                name="reminder_policy_one_default",
                violation_error_message=_("This cluster already has a default reminder policy."),
            ),
            models.UniqueConstraint(
                fields=["cluster", "year"],
                name="reminder_policy_one_per_year",
                violation_error_message=_("This year already has a reminder policy."),
            ),
        ]

    def __str__(self) -> str:
        scope = self.year.label if self.year_id else _("default")
        return f"{self.cluster.code} ({scope}): {self.offsets}"

    def clean(self) -> None:
        super().clean()
        if self.year_id and self.cluster_id and self.year.cluster_id != self.cluster_id:
            raise ValidationError({"year": _("Choose a year of this cluster.")})

    @property
    def offset_days(self) -> list[int]:
        try:
            return parse_offsets(self.offsets)
        except ValidationError:
            return list(DEFAULT_OFFSETS)


class ReminderLog(models.Model):
    """A reminder that was decided, once. ``key`` (kind, deadline kind, year or round,
    school, deadline, offset) is unique, so a scan that runs twice, or two scans that
    race, plan it once. Manual reminders carry a timestamp in their key."""

    kind = models.CharField(_("kind"), max_length=20, choices=ReminderKind.choices)
    deadline_kind = models.CharField(_("deadline"), max_length=20, choices=DeadlineKind.choices)
    cluster = models.ForeignKey(
        "cluster.Cluster", on_delete=models.CASCADE, related_name="+", verbose_name=_("cluster")
    )
    year = models.ForeignKey(
        "cluster.EmulationYear",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("year"),
    )
    # A plain id, not a foreign key: the log outlives a deleted round and does not tie this
    # app's migrations to the awards app's.
    voting_round_id = models.PositiveIntegerField(_("voting round (id)"), null=True, blank=True)
    school = models.ForeignKey(
        "cluster.School",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("school"),
    )
    deadline = models.DateField(_("deadline date"))
    offset = models.CharField(
        _("offset"),
        max_length=10,
        help_text=_("Days before the deadline; -1: the day after (late list); manual."),
    )
    key = models.CharField(_("key"), max_length=200, unique=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sent by hand by"),
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("reminder log entry")
        verbose_name_plural = _("reminder log")

    def __str__(self) -> str:
        return self.key

    @property
    def offset_label(self) -> str:
        if self.offset == OFFSET_MANUAL:
            return str(_("sent by hand"))
        if self.offset == OFFSET_LATE_LIST:
            return str(_("the day after the deadline"))
        days = int(self.offset)
        return ngettext("%(count)d day before", "%(count)d days before", days) % {"count": days}


class OutboxMessage(models.Model):
    """One email to one address. Sent by ``notifications.tasks.send_outbox_message``;
    ``sent`` is set only after the mail server accepted it, and a sent message is never
    sent again."""

    log = models.ForeignKey(
        ReminderLog, on_delete=models.CASCADE, related_name="messages", verbose_name=_("reminder")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ReminderKind.choices)
    cluster = models.ForeignKey(
        "cluster.Cluster", on_delete=models.CASCADE, related_name="+", verbose_name=_("cluster")
    )
    year = models.ForeignKey(
        "cluster.EmulationYear",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("year"),
    )
    school = models.ForeignKey(
        "cluster.School",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("school"),
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recipient"),
    )
    to_email = models.EmailField(_("to"))
    language = models.CharField(_("language"), max_length=10, default="vi")
    subject = models.CharField(_("subject"), max_length=300)
    body_text = models.TextField(_("text"))
    body_html = models.TextField(_("HTML"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=OutboxStatus.choices,
        default=OutboxStatus.QUEUED,
        db_index=True,
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox")
        indexes = [models.Index(fields=["cluster", "status"], name="outbox_cluster_status")]

    def __str__(self) -> str:
        return f"{self.to_email}: {self.subject}"


class Notification(models.Model):
    """What a user sees in the application, next to (a mirror of) the email."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("user"),
    )
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    message = models.OneToOneField(
        OutboxMessage,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="notification",
        verbose_name=_("email"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["user", "read_at"], name="notification_user_unread")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
