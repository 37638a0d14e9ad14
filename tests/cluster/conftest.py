"""Fixtures of the cluster page tests: uploaded files in a temporary MEDIA_ROOT, sample
documents of each accepted type, a movement with a document and an event with minutes."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from cluster.enums import EventKind
from cluster.models import Event, Movement, MovementDocument

PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
PNG_BYTES = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    """Uploaded files go to a temporary directory, never to the project's media/."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """The personas are created with a password; a fast hasher keeps the matrix quick."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _only_cluster_dashboard(monkeypatch):
    """The cluster pages are tested alone: other apps' dashboard sections (which may be
    work in progress) are left out; test_dashboard.py tests the provider mechanism."""
    from cluster import dashboard

    monkeypatch.setattr(dashboard, "DASHBOARD_PROVIDERS", [])


def docx_bytes(text: str = "Biên bản") -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def xlsx_bytes() -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active["A1"] = "Điểm"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture
def content(cluster4):
    """A movement with one PDF document and an event (hosted by B) with PDF minutes."""
    movement = Movement.objects.create(
        cluster=cluster4.cluster,
        title="Phong trào Tập thể kiểu mẫu",
        slogan="Đoàn kết – Kỷ cương – Gương mẫu – Sáng tạo – Hiệu quả",
        start_date=dt.date(2020, 1, 1),
        launched_by="Học viện",
    )
    document = MovementDocument(movement=movement, title="Kế hoạch phát động")
    document.file.save("plan.pdf", ContentFile(PDF_BYTES), save=True)
    event = Event(
        cluster=cluster4.cluster,
        year=cluster4.year,
        kind=EventKind.WORKSHOP,
        title="Hội thảo khoa học 2026",
        date=dt.date(2026, 7, 15),
        host_school=cluster4.school_b,
    )
    event.minutes.save("minutes.pdf", ContentFile(PDF_BYTES), save=False)
    event.save()
    return {"movement": movement, "document": document, "event": event}
