"""Document jobs and the per-year numbering of the cluster's documents.

A ``DocumentJob`` is one request for one file (a kind, a format, parameters). Asking again
for the same thing returns the same job while it is queued, running, or done with the
same data (``idempotency_key``); a failed job can be retried and keeps its number.

Numbers (``DocumentNumber``) follow Decree 30/2020: a sequence per issuing body, calendar
year and type code, never reused, even when the job that took a number failed. The PDF
and the DOCX of the same content are the same document and share one number.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .enums import DocumentFormat, DocumentKind, JobStatus


def document_file_path(instance: DocumentJob, filename: str) -> str:
    """A random stored name; the download is named after the document (``file_name``)."""
    extension = Path(filename).suffix.lower()[:6]
    if not extension[1:].isalnum():
        extension = ""
    return f"documents/{uuid.uuid4().hex}{extension}"


class DocumentNumber(models.Model):
    """The last number issued for (cluster, calendar year, type code), e.g. BB in 2026."""

    cluster = models.ForeignKey(
        "cluster.Cluster",
        on_delete=models.CASCADE,
        related_name="document_numbers",
        verbose_name=_("cluster"),
    )
    year = models.PositiveSmallIntegerField(_("calendar year"))
    type_code = models.CharField(_("type code"), max_length=10)
    last_number = models.PositiveIntegerField(_("last number issued"), default=0)

    class Meta:
        ordering = ["cluster__code", "-year", "type_code"]
        verbose_name = _("document number sequence")
        verbose_name_plural = _("document number sequences")
        constraints = [
            models.UniqueConstraint(
                fields=["cluster", "year", "type_code"], name="document_number_sequence_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.cluster.code} {self.year} {self.type_code}: {self.last_number}"


class DocumentJob(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    cluster = models.ForeignKey(
        "cluster.Cluster",
        on_delete=models.CASCADE,
        related_name="document_jobs",
        verbose_name=_("cluster"),
    )
    year = models.ForeignKey(
        "cluster.EmulationYear",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="document_jobs",
        verbose_name=_("year"),
    )
    kind = models.CharField(_("document"), max_length=30, choices=DocumentKind.choices)
    format = models.CharField(_("format"), max_length=5, choices=DocumentFormat.choices)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    # sha256 of kind + format + params + data version: one live job per key (see Meta).
    idempotency_key = models.CharField(max_length=64, editable=False)
    # sha256 of kind + params + data version: the formats of one content share a number.
    content_key = models.CharField(max_length=64, editable=False, db_index=True)
    data_version = models.CharField(max_length=64, editable=False)
    type_code = models.CharField(_("type code"), max_length=10, blank=True)
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    number_label = models.CharField(_("number and symbol"), max_length=60, blank=True)
    issued_on = models.DateField(_("date of issue"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="document_jobs",
        verbose_name=_("requested by"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    file = models.FileField(_("file"), upload_to=document_file_path, blank=True, max_length=300)
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    error_code = models.CharField(_("error code"), max_length=40, blank=True)
    error = models.TextField(_("error"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # Touched at each step of the work: a running job without a recent heartbeat was
    # abandoned by a worker that died, and is started again.
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("document job")
        verbose_name_plural = _("document jobs")
        constraints = [
            models.UniqueConstraint(
                fields=["idempotency_key"],
                condition=~Q(status="failed"),
                name="document_job_one_live_per_key",
            ),
            models.CheckConstraint(condition=Q(progress__lte=100), name="document_job_progress"),
        ]
        indexes = [models.Index(fields=["year", "kind", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.format}) {self.number_label}".strip()

    def get_absolute_url(self) -> str:
        return reverse("documents:job", kwargs={"pk": self.pk})

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)

    @property
    def is_done(self) -> bool:
        return self.status == JobStatus.DONE

    @property
    def is_failed(self) -> bool:
        return self.status == JobStatus.FAILED
