"""PDF with WeasyPrint from ``templates/documents/`` (one base for every document)."""

from __future__ import annotations

from django.template.loader import select_template
from django.utils.safestring import mark_safe

from ..charts import to_svg
from ..layout import Chart, Issue, OfficialDocument, Table


def _view_blocks(document: OfficialDocument) -> list:
    """The blocks with what the template cannot compute: each cell's alignment, the SVG."""
    views = []
    for block in document.blocks:
        if isinstance(block, Table):
            aligns = [column.align for column in block.columns]
            views.append(
                {
                    "kind": "table",
                    "caption": block.caption,
                    "note": block.note,
                    "columns": block.columns,
                    "rows": [
                        {
                            "bold": row.bold,
                            "cells": [
                                (text, aligns[i] if i < len(aligns) else "left")
                                for i, text in enumerate(row.cells)
                            ],
                        }
                        for row in block.rows
                    ],
                }
            )
        elif isinstance(block, Chart):
            # to_svg escapes every text it writes.
            views.append({"kind": "chart", "title": block.title, "svg": mark_safe(to_svg(block))})
        else:
            views.append(block)
    return views


def render_html(*, kind: str, document: OfficialDocument, issue: Issue) -> str:
    template = select_template([f"documents/official_{kind}.html", "documents/official.html"])
    return template.render(
        {
            "document": document,
            "letterhead": document.letterhead,
            "issue": issue,
            "number_line": issue.number_line(document.letterhead.party),
            "blocks": _view_blocks(document),
        }
    )


def render_pdf(*, kind: str, document: OfficialDocument, issue: Issue) -> bytes:
    from weasyprint import HTML

    html = render_html(kind=kind, document=document, issue=issue)
    # No base URL: the templates load nothing (fonts are the system's, charts are inline).
    return HTML(string=html).write_pdf()
