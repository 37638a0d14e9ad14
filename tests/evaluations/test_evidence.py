"""Evidence files: type from the content, size limits, random stored names, permission-
checked download, upload and removal while the report is open."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from accounts.enums import Role
from evaluations.files import DOCX, XLSX, detect_type
from evaluations.models import Evidence
from evaluations.services import reports as services
from tests import factories as f
from tests.evaluations.test_report_support import (
    build_world,
    complete_data,
    docx_bytes,
    pdf_bytes,
    png_bytes,
    upload,
    xlsx_bytes,
    zip_bytes,
)


@pytest.fixture
def world(cluster4, settings, tmp_path):
    return build_world(cluster4, settings, tmp_path)


@pytest.fixture
def rep_x(other_cluster):
    return f.UserFactory(
        email="daidien.x@example.vn", role=Role.REPRESENTATIVE, school=other_cluster["school"]
    )


def _add(world, rep, name="minh-chung.pdf", content=None, criterion="first"):
    report = world.report_of(world.school_a) if not hasattr(world, "_report") else world._report
    world._report = report
    return services.add_evidence(
        report=report,
        by=rep,
        uploaded_file=upload(name, content if content is not None else pdf_bytes()),
        criterion=world.criteria[0] if criterion == "first" else criterion,
    )


def _file_error(callable_) -> str:
    with translation.override("en"), pytest.raises(ValidationError) as raised:
        callable_()
    return raised.value.message_dict["file"][0]


# --- type detection -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (pdf_bytes(), ("application/pdf", "pdf")),
        (png_bytes(), ("image/png", "png")),
        (docx_bytes(), (DOCX, "docx")),
        (xlsx_bytes(), (XLSX, "xlsx")),
    ],
)
def test_detect_type_accepts_pdf_images_docx_xlsx(content, expected):
    detected = detect_type(upload("whatever.bin", content))
    assert (detected.content_type, detected.extension) == expected


@pytest.mark.parametrize(
    "content",
    [
        b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 100,  # an .exe
        zip_bytes({"readme.txt": b"hello"}),  # a zip that is no Office file
        zip_bytes({"ppt/presentation.xml": b"<p/>"}),  # PPTX is not accepted
        "Báo cáo thuần văn bản".encode(),
        b"",
    ],
)
def test_detect_type_refuses_other_content_whatever_the_name(content):
    assert detect_type(upload("bao-cao.pdf", content)) is None


def test_upload_refuses_an_executable_named_pdf(world, rep_a):
    message = _file_error(lambda: _add(world, rep_a, "bao-cao.pdf", b"MZ\x90\x00" + b"\x00" * 64))
    assert message.startswith("This file type is not accepted")
    assert not Evidence.objects.exists()


def test_upload_refuses_a_file_over_the_size_limit(world, rep_a, settings):
    settings.EVIDENCE_MAX_FILE_SIZE = 500
    message = _file_error(lambda: _add(world, rep_a, content=pdf_bytes() + b"%" * 600))
    assert message.startswith("The file is larger than 500\xa0bytes")
    assert not Evidence.objects.exists()


def test_upload_refuses_when_the_report_total_would_be_exceeded(world, rep_a, settings):
    size = len(pdf_bytes())
    settings.EVIDENCE_MAX_REPORT_SIZE = size * 2 + 10
    _add(world, rep_a)
    _add(world, rep_a)
    message = _file_error(lambda: _add(world, rep_a))
    assert message.startswith("The report's evidence would exceed")
    assert Evidence.objects.count() == 2


def test_default_limits_are_configured():
    assert django_settings.EVIDENCE_MAX_FILE_SIZE == 20 * 1024 * 1024
    assert django_settings.EVIDENCE_MAX_REPORT_SIZE >= django_settings.EVIDENCE_MAX_FILE_SIZE


# --- storage --------------------------------------------------------------------------------


def test_stored_name_is_random_and_outside_the_static_root(world, rep_a, settings):
    evidence = _add(world, rep_a, "Quyết định khen thưởng.pdf")
    stored = Path(evidence.file.path)
    assert stored.is_relative_to(Path(settings.MEDIA_ROOT))
    assert not stored.is_relative_to(Path(settings.STATIC_ROOT))
    assert "Quy" not in evidence.file.name and not evidence.file.name.endswith(".pdf")
    assert len(stored.name) == 32
    assert stored.read_bytes() == pdf_bytes()
    assert evidence.original_name == "Quyết định khen thưởng.pdf"
    assert (evidence.content_type, evidence.size) == ("application/pdf", len(pdf_bytes()))


def test_original_name_loses_its_path_and_takes_the_real_extension(world, rep_a):
    evidence = _add(world, rep_a, "../../etc/scan.jpg", pdf_bytes())
    assert evidence.original_name == "scan.pdf"


def test_media_url_serves_nothing(world, rep_a, client_for):
    evidence = _add(world, rep_a)
    response = client_for(rep_a).get(evidence.file.url)
    assert response.status_code == 404


# --- upload view ----------------------------------------------------------------------------


def _upload_url(report):
    return reverse("evaluations:evidence_upload", kwargs={"pk": report.pk})


def test_upload_view_attaches_and_redirects_to_the_criterion(world, rep_a, client_for):
    report = world.report_of(world.school_a)
    criterion = world.criteria[1]
    response = client_for(rep_a).post(
        _upload_url(report),
        {"file": upload("quyet-dinh.pdf", pdf_bytes()), "criterion": criterion.pk},
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"#criterion-{criterion.pk}")
    evidence = Evidence.objects.get()
    assert (evidence.criterion, evidence.original_name, evidence.uploaded_by) == (
        criterion,
        "quyet-dinh.pdf",
        rep_a,
    )


def test_upload_view_with_htmx_returns_the_criterions_cell(world, rep_a, client_for):
    report = world.report_of(world.school_a)
    criterion = world.criteria[0]
    response = client_for(rep_a).post(
        _upload_url(report),
        {"file": upload("anh-hoi-thao.png", png_bytes()), "criterion": criterion.pk},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith(f'<div id="evidence-{criterion.pk}"')
    assert "anh-hoi-thao.png" in html
    assert reverse("evaluations:evidence", kwargs={"pk": Evidence.objects.get().pk}) in html


def test_upload_view_with_htmx_shows_the_error_in_the_cell(world, rep_a, client_for):
    report = world.report_of(world.school_a)
    client = client_for(rep_a)
    client.cookies["django_language"] = "en"
    response = client.post(
        _upload_url(report),
        {"file": upload("virus.pdf", b"MZ" + b"\x00" * 50), "criterion": world.criteria[0].pk},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "This file type is not accepted" in response.content.decode()
    assert not Evidence.objects.exists()


def test_upload_view_for_the_whole_report(world, rep_a, client_for):
    report = world.report_of(world.school_a)
    response = client_for(rep_a).post(
        _upload_url(report), {"file": upload("tong-hop.xlsx", xlsx_bytes())}
    )
    assert response["Location"].endswith("#evidence-general")
    assert Evidence.objects.get().criterion is None


def test_upload_view_refuses_a_criterion_of_another_year(world, rep_a, client_for):
    from tests.evaluations.test_report_support import make_table

    other_year = f.EmulationYearFactory(cluster=world.cluster, label="2027")
    _table, other = make_table(other_year)
    report = world.report_of(world.school_a)
    response = client_for(rep_a).post(
        _upload_url(report), {"file": upload("a.pdf", pdf_bytes()), "criterion": other[0].pk}
    )
    assert response.status_code == 404
    assert not Evidence.objects.exists()


@pytest.mark.parametrize("persona", ["rep_b", "secretariat", "observer", "admin_user"])
def test_upload_view_forbidden_to_others(world, persona, request, client_for):
    report = world.report_of(world.school_a)
    response = client_for(request.getfixturevalue(persona)).post(
        _upload_url(report), {"file": upload("a.pdf", pdf_bytes())}
    )
    assert response.status_code == 403
    assert not Evidence.objects.exists()


def test_upload_view_anonymous_redirects(world, client):
    report = world.report_of(world.school_a)
    response = client.post(_upload_url(report), {"file": upload("a.pdf", pdf_bytes())})
    assert response.status_code == 302
    assert not Evidence.objects.exists()


def _submit(world, rep):
    report = world._report
    services.save_report_draft(report=report, by=rep, data=complete_data(world.criteria))
    services.add_evidence(
        report=report,
        by=rep,
        uploaded_file=upload("b.pdf", pdf_bytes()),
        criterion=world.criteria[2],
    )
    services.submit_report(report=report, by=rep, today=dt.date(2026, 10, 20))
    return report


def test_upload_view_forbidden_once_submitted(world, rep_a, client_for):
    _add(world, rep_a)
    report = _submit(world, rep_a)
    response = client_for(rep_a).post(_upload_url(report), {"file": upload("c.pdf", pdf_bytes())})
    assert response.status_code == 403
    assert Evidence.objects.count() == 2


# --- download -------------------------------------------------------------------------------


def _download(client, evidence):
    return client.get(reverse("evaluations:evidence", kwargs={"pk": evidence.pk}))


def test_download_is_an_attachment_with_the_original_name(world, rep_a, client_for):
    evidence = _add(world, rep_a, "Biên bản.pdf")
    response = _download(client_for(rep_a), evidence)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''Bi%C3%AAn%20b%E1%BA%A3n.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == pdf_bytes()


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("rep_a", 200),
        ("rep_b", 403),
        ("secretariat", 403),
        ("observer", 403),
        ("admin_user", 403),
        ("rep_x", 403),
    ],
)
def test_draft_evidence_is_downloaded_by_its_school_only(
    world, rep_a, persona, status, request, client_for
):
    evidence = _add(world, rep_a)
    response = _download(client_for(request.getfixturevalue(persona)), evidence)
    assert response.status_code == status


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("rep_a", 200),
        ("rep_b", 200),
        ("secretariat", 200),
        ("observer", 200),
        ("admin_user", 200),
        ("rep_x", 403),
    ],
)
def test_submitted_evidence_is_open_to_the_cluster(
    world, rep_a, persona, status, request, client_for
):
    evidence = _add(world, rep_a)
    _submit(world, rep_a)
    response = _download(client_for(request.getfixturevalue(persona)), evidence)
    assert response.status_code == status


def test_download_anonymous_redirects(world, rep_a, client):
    evidence = _add(world, rep_a)
    response = _download(client, evidence)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_download_unknown_is_404(world, rep_a, client_for):
    response = client_for(rep_a).get(reverse("evaluations:evidence", kwargs={"pk": 424242}))
    assert response.status_code == 404


def test_download_of_a_missing_file_is_404(world, rep_a, client_for):
    evidence = _add(world, rep_a)
    Path(evidence.file.path).unlink()
    assert _download(client_for(rep_a), evidence).status_code == 404


# --- removal --------------------------------------------------------------------------------


def _delete_url(evidence):
    return reverse("evaluations:evidence_delete", kwargs={"pk": evidence.pk})


def test_delete_removes_the_row_and_the_file(
    world, rep_a, client_for, django_capture_on_commit_callbacks
):
    evidence = _add(world, rep_a)
    path = Path(evidence.file.path)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(rep_a).post(_delete_url(evidence))
    assert response.status_code == 302
    assert not Evidence.objects.exists()
    assert not path.exists()


def test_delete_with_htmx_returns_the_cell(world, rep_a, client_for):
    evidence = _add(world, rep_a)
    response = client_for(rep_a).post(_delete_url(evidence), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert f'id="evidence-{world.criteria[0].pk}"' in response.content.decode()
    assert evidence.original_name not in response.content.decode()


@pytest.mark.parametrize("persona", ["rep_b", "secretariat", "observer", "admin_user"])
def test_delete_forbidden_to_others(world, rep_a, persona, request, client_for):
    evidence = _add(world, rep_a)
    response = client_for(request.getfixturevalue(persona)).post(_delete_url(evidence))
    assert response.status_code == 403
    assert Evidence.objects.filter(pk=evidence.pk).exists()


def test_delete_forbidden_once_submitted(world, rep_a, client_for):
    evidence = _add(world, rep_a)
    _submit(world, rep_a)
    assert client_for(rep_a).post(_delete_url(evidence)).status_code == 403
    assert Evidence.objects.filter(pk=evidence.pk).exists()


def test_delete_needs_post(world, rep_a, client_for):
    evidence = _add(world, rep_a)
    assert client_for(rep_a).get(_delete_url(evidence)).status_code == 405
