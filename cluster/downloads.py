"""Serving stored files as attachments, after a view has checked the permission.

Shared by every app whose uploads are downloaded by title (movement documents, event
minutes, nomination files): files never have a public URL.
"""

from __future__ import annotations

import re
from pathlib import Path

from django.http import FileResponse, Http404


def download_name(title: str, stored_name: str) -> str:
    """The document's title as a file name, with the extension of the stored (checked) file."""
    base = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', " ", title).strip()[:150] or "document"
    return f"{base}{Path(stored_name).suffix}"


def file_response(field_file, title: str) -> FileResponse:
    """The file as an attachment named after ``title``; 404 when it is missing."""
    if not field_file:
        raise Http404
    try:
        handle = field_file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404
    return FileResponse(handle, as_attachment=True, filename=download_name(title, field_file.name))
