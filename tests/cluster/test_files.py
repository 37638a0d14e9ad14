"""Movement documents and event minutes: checked by content, stored under a random name,
served only through views that check cluster.read_cluster."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse

from cluster.models import Event, MovementDocument

from .conftest import PDF_BYTES, PNG_BYTES, docx_bytes, upload, xlsx_bytes


@pytest.fixture
def sec(client_for, secretariat):
    return client_for(secretariat)


def _upload_document(client, movement, name, data, title="Kế hoạch"):
    return client.post(
        reverse("cluster:movement", args=["CUM4", movement.pk]),
        {"title": title, "file": upload(name, data)},
    )


def _file_errors(response) -> list[str]:
    return [e.code for e in response.context["form"].errors.as_data().get("file", [])]


@pytest.mark.parametrize(
    ("name", "data", "extension"),
    [
        ("ke-hoach.pdf", PDF_BYTES, ".pdf"),
        ("bien-ban.docx", docx_bytes(), ".docx"),
        ("bang-diem.xlsx", xlsx_bytes(), ".xlsx"),
        ("anh.png", PNG_BYTES, ".png"),
    ],
)
def test_document_upload_accepts_type(sec, content, name, data, extension):
    response = _upload_document(sec, content["movement"], name, data)
    assert response.status_code == 302
    document = content["movement"].documents.get(title="Kế hoạch")
    assert Path(document.file.name).suffix == extension


def test_document_stored_under_random_name(sec, content):
    _upload_document(sec, content["movement"], "Kế hoạch của tôi.pdf", PDF_BYTES)
    document = content["movement"].documents.get(title="Kế hoạch")
    assert re.fullmatch(r"cluster/documents/[0-9a-f]{32}\.pdf", document.file.name)


def test_document_type_judged_by_content_not_name(sec, content):
    response = _upload_document(sec, content["movement"], "virus.pdf", b"MZ\x90\x00" + b"\0" * 200)
    assert response.status_code == 200
    assert _file_errors(response) == ["file_type"]
    assert content["movement"].documents.count() == 1


def test_document_plain_zip_refused(sec, content):
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("secret.txt", "x")
    response = _upload_document(sec, content["movement"], "tai-lieu.docx", buffer.getvalue())
    assert _file_errors(response) == ["file_type"]


def test_document_too_large_refused(sec, content, settings):
    settings.DOCUMENT_MAX_FILE_SIZE = 100
    response = _upload_document(sec, content["movement"], "big.pdf", PDF_BYTES + b"0" * 200)
    assert _file_errors(response) == ["too_large"]


def test_document_empty_refused(sec, content):
    response = _upload_document(sec, content["movement"], "empty.pdf", b"")
    assert response.status_code == 200
    assert content["movement"].documents.count() == 1


def test_document_download_is_attachment_named_after_title(sec, content):
    document = content["document"]
    response = sec.get(reverse("cluster:document_download", args=["CUM4", document.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert (
        "filename*=utf-8''K%E1%BA%BF%20ho%E1%BA%A1ch%20ph%C3%A1t%20%C4%91%E1%BB%99ng.pdf"
        in (response["Content-Disposition"])
    )
    assert b"".join(response.streaming_content) == PDF_BYTES


def test_document_download_refused_to_anonymous(client, content):
    document = content["document"]
    response = client.get(reverse("cluster:document_download", args=["CUM4", document.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_document_download_refused_to_other_cluster_secretariat(client_for, other_cluster, content):
    document = content["document"]
    client = client_for(other_cluster["secretariat"])
    assert (
        client.get(reverse("cluster:document_download", args=["CUM4", document.pk])).status_code
        == 403
    )
    # …and through its own cluster's code the document does not exist.
    assert (
        client.get(reverse("cluster:document_download", args=["CUM8", document.pk])).status_code
        == 404
    )


def test_document_missing_on_disk_is_404(sec, content):
    document = content["document"]
    document.file.storage.delete(document.file.name)
    response = sec.get(reverse("cluster:document_download", args=["CUM4", document.pk]))
    assert response.status_code == 404


def test_document_delete_removes_the_file(sec, content, django_capture_on_commit_callbacks):
    document = content["document"]
    storage, name = document.file.storage, document.file.name
    with django_capture_on_commit_callbacks(execute=True):
        sec.post(reverse("cluster:document_delete", args=["CUM4", document.pk]))
    assert not MovementDocument.objects.filter(pk=document.pk).exists()
    assert not storage.exists(name)


def test_media_url_is_not_served(sec, content):
    from django.conf import settings

    url = settings.MEDIA_URL + content["document"].file.name
    assert sec.get(url).status_code == 404


def test_event_minutes_download_named_after_event(sec, content):
    event = content["event"]
    response = sec.get(reverse("cluster:event_minutes", args=["CUM4", event.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Disposition"].endswith(".pdf")


def test_event_minutes_refused_to_anonymous(client, content):
    response = client.get(reverse("cluster:event_minutes", args=["CUM4", content["event"].pk]))
    assert response.status_code == 302


def test_event_minutes_refused_to_other_cluster_secretariat(client_for, other_cluster, content):
    client = client_for(other_cluster["secretariat"])
    url = reverse("cluster:event_minutes", args=["CUM4", content["event"].pk])
    assert client.get(url).status_code == 403


def test_event_without_minutes_download_is_404(sec, cluster4):
    event = Event.objects.create(
        cluster=cluster4.cluster, kind="conference", title="Hội nghị", date=cluster4.year.end_date
    )
    assert sec.get(reverse("cluster:event_minutes", args=["CUM4", event.pk])).status_code == 404


def test_event_edit_replaces_minutes(sec, content, django_capture_on_commit_callbacks):
    event = content["event"]
    old_name = event.minutes.name
    with django_capture_on_commit_callbacks(execute=True):
        response = sec.post(
            reverse("cluster:event_edit", args=["CUM4", event.pk]),
            {
                "kind": event.kind,
                "title": event.title,
                "date": "2026-07-15",
                "minutes_file": upload("bien-ban.docx", docx_bytes()),
            },
        )
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.minutes.name.endswith(".docx")
    assert not event.minutes.storage.exists(old_name)


def test_event_minutes_bad_type_is_a_field_error(sec, content):
    event = content["event"]
    response = sec.post(
        reverse("cluster:event_edit", args=["CUM4", event.pk]),
        {
            "kind": event.kind,
            "title": event.title,
            "date": "2026-07-15",
            "minutes_file": upload("bien-ban.pdf", b"<html>not a pdf</html>"),
        },
    )
    assert response.status_code == 200
    assert [e.code for e in response.context["form"].errors.as_data()["minutes_file"]] == [
        "file_type"
    ]


def test_event_edit_removes_minutes(sec, content):
    event = content["event"]
    sec.post(
        reverse("cluster:event_edit", args=["CUM4", event.pk]),
        {"kind": event.kind, "title": event.title, "date": "2026-07-15", "remove_minutes": "on"},
    )
    event.refresh_from_db()
    assert not event.minutes
