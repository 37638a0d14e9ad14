"""Evidence files: what may be uploaded, and how a file goes back to a reader.

The type is judged from the content, never from the name or the browser's claim: a file
named ``report.pdf`` that is really an executable is refused. DOCX and XLSX are zip
archives, so a zip is accepted only when it holds ``word/document.xml`` (DOCX) or
``xl/workbook.xml`` (XLSX). Files are stored under MEDIA_ROOT with random names (see
``evidence_path``) and only ever served by ``evidence_response`` from a view that has
checked the reader's permission first.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

HEAD_BYTES = 8192

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Content types accepted (as detected from the content) and the extension they stand for.
ALLOWED_TYPES = {
    "application/pdf": "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/gif": "gif",
    "image/webp": "webp",
    DOCX: "docx",
    XLSX: "xlsx",
}
# What filetype may call an Office Open XML file: we look inside the zip ourselves.
ZIP_LIKE = {
    "application/zip",
    DOCX,
    XLSX,
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}


@dataclass(frozen=True)
class DetectedType:
    content_type: str
    extension: str


def _office_type(uploaded) -> DetectedType | None:
    try:
        uploaded.seek(0)
        with zipfile.ZipFile(uploaded) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        uploaded.seek(0)
    if "word/document.xml" in names:
        return DetectedType(DOCX, "docx")
    if "xl/workbook.xml" in names:
        return DetectedType(XLSX, "xlsx")
    return None


def detect_type(uploaded) -> DetectedType | None:
    """The accepted type of an uploaded file judged from its bytes, or None."""
    uploaded.seek(0)
    head = uploaded.read(HEAD_BYTES)
    uploaded.seek(0)
    if not head:
        return None
    kind = filetype.guess(head)
    if kind is None:
        return None
    if kind.mime in ZIP_LIKE:
        return _office_type(uploaded)
    if kind.mime in ALLOWED_TYPES:
        return DetectedType(kind.mime, ALLOWED_TYPES[kind.mime])
    return None


def validate_evidence_file(uploaded, *, used_bytes: int = 0) -> DetectedType:
    """Check an uploaded evidence file: its size, the report's total and its real type.

    ``used_bytes`` is what the report's evidence already takes. Raises ValidationError
    with a message for the ``file`` field.
    """
    max_file = settings.EVIDENCE_MAX_FILE_SIZE
    max_report = settings.EVIDENCE_MAX_REPORT_SIZE
    if uploaded.size == 0:
        raise ValidationError({"file": _("The file is empty.")})
    if uploaded.size > max_file:
        raise ValidationError(
            {
                "file": _("The file is larger than %(limit)s (it has %(size)s).")
                % {"limit": filesizeformat(max_file), "size": filesizeformat(uploaded.size)}
            }
        )
    if used_bytes + uploaded.size > max_report:
        raise ValidationError(
            {
                "file": _(
                    "The report's evidence would exceed %(limit)s in total "
                    "(%(used)s already attached)."
                )
                % {"limit": filesizeformat(max_report), "used": filesizeformat(used_bytes)}
            }
        )
    detected = detect_type(uploaded)
    if detected is None:
        raise ValidationError(
            {
                "file": _(
                    "This file type is not accepted: upload a PDF, an image (JPEG, PNG, GIF, "
                    "WebP), a Word document (DOCX) or an Excel workbook (XLSX)."
                )
            }
        )
    return detected


_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')


def clean_file_name(name: str, extension: str) -> str:
    """The uploader's file name made safe to show and to send back (no path, no control
    characters), with the extension of the detected type."""
    base = PurePath(name.replace("\\", "/")).name
    stem = _UNSAFE.sub(" ", PurePath(base).stem).strip()[:150] or "evidence"
    return f"{stem}.{extension}"


def evidence_response(evidence) -> FileResponse:
    """The stored file as an attachment under its original name (never inline: a browser
    must not render an uploaded file in our origin)."""
    if not evidence.file:
        raise Http404
    try:
        handle = evidence.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=evidence.original_name,
        content_type=evidence.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
