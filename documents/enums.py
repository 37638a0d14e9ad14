from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    """The documents the cluster produces (DOMAIN.md, "Official documents")."""

    COVENANT = "covenant", _("Joint covenant (bản giao ước thi đua)")
    SCORE_SUMMARY = "score_summary", _("Score summary (bảng tổng hợp điểm)")
    REVIEW_MINUTES = "review_minutes", _("Minutes of the review meeting (biên bản họp bình xét)")
    VOTE_COUNT_MINUTES = "vote_count_minutes", _("Vote-count minutes (biên bản kiểm phiếu)")
    AWARD_SUBMISSION = "award_submission", _("Submission for awards (tờ trình đề nghị khen thưởng)")
    ANNUAL_REPORT = "annual_report", _("Annual report of the cluster (báo cáo tổng kết năm)")
    MULTI_YEAR_SUMMARY = "multi_year_summary", _("Multi-year summary (báo cáo tổng kết nhiều năm)")


class DocumentFormat(models.TextChoices):
    PDF = "pdf", "PDF"
    DOCX = "docx", "DOCX (Word)"
    XLSX = "xlsx", "XLSX (Excel)"


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Being produced")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


#: The formats each kind is produced in (the spreadsheet only for the score summary).
FORMATS_OF_KIND: dict[str, tuple[str, ...]] = {
    DocumentKind.COVENANT: (DocumentFormat.PDF, DocumentFormat.DOCX),
    DocumentKind.SCORE_SUMMARY: (DocumentFormat.PDF, DocumentFormat.DOCX, DocumentFormat.XLSX),
    DocumentKind.REVIEW_MINUTES: (DocumentFormat.PDF, DocumentFormat.DOCX),
    DocumentKind.VOTE_COUNT_MINUTES: (DocumentFormat.PDF, DocumentFormat.DOCX),
    DocumentKind.AWARD_SUBMISSION: (DocumentFormat.PDF, DocumentFormat.DOCX),
    DocumentKind.ANNUAL_REPORT: (DocumentFormat.PDF, DocumentFormat.DOCX),
    DocumentKind.MULTI_YEAR_SUMMARY: (DocumentFormat.PDF, DocumentFormat.DOCX),
}

#: The type code in the document's number (Decree 30/2020, appendix III): 01/BB-CTĐ4.
TYPE_CODE_OF_KIND: dict[str, str] = {
    DocumentKind.COVENANT: "GƯ",
    DocumentKind.SCORE_SUMMARY: "BTH",
    DocumentKind.REVIEW_MINUTES: "BB",
    DocumentKind.VOTE_COUNT_MINUTES: "BB",
    DocumentKind.AWARD_SUBMISSION: "TTr",
    DocumentKind.ANNUAL_REPORT: "BC",
    DocumentKind.MULTI_YEAR_SUMMARY: "BC",
}

#: Documents that commit the cluster (numbered acts signed for it): only those who run the
#: cluster ask for them. The others read data the members already see.
OFFICIAL_KINDS = frozenset(
    {
        DocumentKind.COVENANT,
        DocumentKind.REVIEW_MINUTES,
        DocumentKind.VOTE_COUNT_MINUTES,
        DocumentKind.AWARD_SUBMISSION,
    }
)

CONTENT_TYPES = {
    DocumentFormat.PDF: "application/pdf",
    DocumentFormat.DOCX: (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    ),
    DocumentFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
