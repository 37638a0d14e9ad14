"""Renderers: an ``OfficialDocument`` and its ``Issue`` to the bytes of a file."""

from __future__ import annotations

from ..enums import DocumentFormat
from ..layout import Issue, OfficialDocument


def render(*, kind: str, fmt: str, document: OfficialDocument, issue: Issue, params: dict) -> bytes:
    if fmt == DocumentFormat.PDF:
        from .pdf import render_pdf

        return render_pdf(kind=kind, document=document, issue=issue)
    if fmt == DocumentFormat.DOCX:
        from .docx import render_docx

        return render_docx(document=document, issue=issue)
    if fmt == DocumentFormat.XLSX:
        from .xlsx import render_xlsx

        return render_xlsx(kind=kind, document=document, issue=issue, params=params)
    raise ValueError(f"Unknown format {fmt!r}")
