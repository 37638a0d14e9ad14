"""Helpers and fixtures for the catalogue, achievement and nomination tests.

Import the fixtures into a test module with ``from .nominations_support import *``.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from awards.enums import NominationStatus, RecipientKind
from awards.models import Achievement, AwardType, Nomination, Recipient
from awards.services.catalogue import seed_award_catalogue
from tests import factories as f

__all__ = [
    "PDF_BYTES",
    "_private_media",
    "achieve",
    "awards",
    "make_recipient",
    "nominate",
    "pdf",
    "year_of",
]

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    """Uploaded files go to a temporary directory, never the project's media."""
    settings.MEDIA_ROOT = str(tmp_path / "media")


def pdf(name: str = "bao-cao.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


@pytest.fixture
def awards(db) -> dict[str, AwardType]:
    """The seeded catalogue, by code."""
    seed_award_catalogue()
    return {t.code: t for t in AwardType.objects.all()}


def year_of(cluster, label: str):
    return f.EmulationYearFactory(cluster=cluster, label=label)


def make_recipient(school, name: str = "Nguyễn Văn Mạnh", kind: str = RecipientKind.INDIVIDUAL):
    recipient, _ = Recipient.objects.get_or_create(
        school=school, kind=kind, name=name, unit="", defaults={"position": "Giảng viên"}
    )
    return recipient


def achieve(recipient, award_type, year: int, *, revoked: bool = False, number: str = ""):
    return Achievement.objects.create(
        recipient=recipient,
        award_type=award_type,
        period_year=year,
        period_label=str(year),
        decision_number=number or f"{year}/QĐ-{recipient.school.code}",
        decision_date=dt.date(year + 1, 1, 15),
        issuer=award_type.issuer,
        revoked_at=dt.date(year + 1, 6, 1) if revoked else None,
        revoke_reason="Hồ sơ không trung thực" if revoked else "",
        revoke_reference="15/QĐ-HVCTQG" if revoked else "",
    )


def nominate(
    year,
    school,
    recipient,
    award_type,
    status: str = NominationStatus.DRAFT,
    **fields,
) -> Nomination:
    """A nomination written directly (no service), to set up a state."""
    defaults = {
        "achievement_summary": "Hoàn thành xuất sắc nhiệm vụ giảng dạy.",
        "initiative": "Sáng kiến đổi mới phương pháp giảng dạy",
    }
    defaults.update(fields)
    nomination = Nomination(
        year=year,
        school=school,
        recipient=recipient,
        award_type=award_type,
        status=status,
        **defaults,
    )
    if status not in (NominationStatus.DRAFT,) and "submitted_at" not in fields:
        from django.utils import timezone

        nomination.submitted_at = timezone.now()
    if "achievement_report" not in fields:
        nomination.achievement_report.save("report.pdf", ContentFile(PDF_BYTES), save=False)
    nomination.save()
    return nomination
