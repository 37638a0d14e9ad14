"""Every document in every format, produced through the service with the world's data,
read back as a person would (pdftotext, python-docx, openpyxl): the national heading,
the number, the date line, names with their diacritics, the figures; never a draft."""

from __future__ import annotations

import io
import shutil
import subprocess

import pytest
from docx import Document
from docx.shared import Mm
from openpyxl import load_workbook

from cluster.enums import HeadingStyle
from documents import services
from documents.enums import DocumentKind
from evaluations.enums import ResultsStage
from evaluations.models import ResultRow, ScoringSettings

from .support import (
    DATE_LINE,
    DRAFT_MARK,
    ISSUED,
    docx_has_picture,
    docx_text,
    flat,
    pdf_text,
    pdftotext_or_skip,
)

NATIONAL = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"


def produce(world, kind, fmt, **extra) -> bytes:
    if kind == DocumentKind.VOTE_COUNT_MINUTES:
        extra.setdefault("round_id", world.voting_round.pk)
    if kind == DocumentKind.MULTI_YEAR_SUMMARY:
        extra.setdefault("first_year", world.earlier[0])
        extra.setdefault("last_year", world.year)
    job, _ = services.request_document(
        kind=kind, fmt=fmt, year=world.year, by=None, today=ISSUED, **extra
    )
    assert services.run_job(job_id=job.pk) == services.DONE, job.error
    job.refresh_from_db()
    with job.file.open("rb") as handle:
        return handle.read()


def text_of(world, kind, fmt, **extra) -> str:
    data = produce(world, kind, fmt, **extra)
    if fmt == "pdf":
        pdftotext_or_skip()
        return flat(pdf_text(data))
    return flat(docx_text(data))


# What each document must say (besides the heading, number and date line).
EXPECTED = {
    DocumentKind.COVENANT: (
        "01/GƯ-CTĐ4",
        [
            "GIAO ƯỚC THI ĐUA",
            "Trường Chính trị Nguyễn Văn Linh",
            "Trường Chính trị tỉnh Thái Bình",
            "3.200",
            "2.750",
            "Số lượt học viên",
            "Đổi mới phương pháp giảng dạy tại Trường Chính trị tỉnh Thái Bình.",
            "Các trường chưa gửi bản đăng ký: Trường Chính trị Trường Chinh.",
            "Trần Quốc Việt",
            "Nơi nhận:",
        ],
    ),
    DocumentKind.SCORE_SUMMARY: (
        "01/BTH-CTĐ4",
        ["BẢNG TỔNG HỢP ĐIỂM", "KẾT QUẢ TẠM THỜI", "32,00", "27,50", "19,00", "Nhóm II"],
    ),
    DocumentKind.REVIEW_MINUTES: (
        "01/BB-CTĐ4",
        [
            "BIÊN BẢN",
            "Họp bình xét thi đua năm 2026 của Cụm thi đua số 4",
            "Thời gian: ngày 20/11/2026.",
            "Bình xét đơn vị dẫn đầu năm 2026",
            "32,00",
            "Các trường hợp đạt: Trường Chính trị Nguyễn Văn Linh.",
            "Đặng Văn Hùng",
        ],
    ),
    DocumentKind.VOTE_COUNT_MINUTES: (
        "01/BB-CTĐ4",
        [
            "BIÊN BẢN KIỂM PHIẾU",
            "Bình xét đơn vị dẫn đầu năm 2026",
            "Số đơn vị có quyền bỏ phiếu: 3.",
            "Số phiếu thu về: 3 (100% số đơn vị có quyền bỏ phiếu).",
            "tức tối thiểu 2 phiếu đồng ý",
            "A1B2C3D4E5F6",
            "Không đạt",
        ],
    ),
    DocumentKind.AWARD_SUBMISSION: (
        "01/TTr-CTĐ4",
        [
            "TỜ TRÌNH",
            "Về việc đề nghị khen thưởng năm 2026",
            "Kính gửi: Ban Thi đua – Khen thưởng, Học viện Chính trị quốc gia Hồ Chí Minh",
            "Cờ thi đua của Học viện",
            "Nguyễn Văn Mạnh",
            "Chiến sĩ thi đua",
            "Chủ nhiệm 02 đề tài cấp tỉnh.",
            "1 tập thể và 1 cá nhân",
            "TM. CỤM THI ĐUA SỐ 4",
        ],
    ),
    DocumentKind.ANNUAL_REPORT: (
        "01/BC-CTĐ4",
        [
            "BÁO CÁO",
            "Tổng kết phong trào thi đua năm 2026 của Cụm thi đua số 4",
            "Quyết định số 125-QĐ/HVCTQG ngày 03/02/2026",
            "Hội nghị tổng kết phong trào thi đua năm 2026",
            "5.950",
            "6.110",
            "102,7",
            "Số trường đã gửi báo cáo tổng kết: 2/3.",
            "Bình xét đơn vị dẫn đầu năm 2026: Trường Chính trị Nguyễn Văn Linh.",
        ],
    ),
    DocumentKind.MULTI_YEAR_SUMMARY: (
        "01/BC-CTĐ4",
        [
            "Tổng kết phong trào thi đua giai đoạn 2024–2026 của Cụm thi đua số 4",
            "2024: 3; 2025: 3; 2026: 3",
            "92,50",
            "91,75",
            "Thứ hạng của các trường",
            "SCA – Trường Chính trị Nguyễn Văn Linh",
            "Số lớp bồi dưỡng (lớp)",
        ],
    ),
}
KINDS = list(EXPECTED)


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
@pytest.mark.parametrize("kind", KINDS)
def test_document_has_heading_number_date_and_content(world, kind, fmt):
    number, phrases = EXPECTED[kind]
    text = text_of(world, kind, fmt)
    assert NATIONAL in text
    assert MOTTO in text
    assert "HỌC VIỆN CHÍNH TRỊ QUỐC GIA HỒ CHÍ MINH" in text
    assert "CỤM THI ĐUA SỐ 4" in text
    assert f"Số: {number}" in text
    assert DATE_LINE in text
    missing = [phrase for phrase in phrases if phrase not in text]
    assert missing == []


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
@pytest.mark.parametrize("kind", KINDS)
def test_document_never_prints_drafts(world, kind, fmt):
    text = text_of(world, kind, fmt)
    assert DRAFT_MARK not in text
    assert "Lê Thị Nháp" not in text
    assert "999" not in text


def test_party_heading_replaces_the_state_heading(world):
    world.cluster.heading_style = HeadingStyle.PARTY
    world.cluster.save()
    text = text_of(world, DocumentKind.COVENANT, "pdf")
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text
    assert NATIONAL not in text
    assert "Số 01-GƯ/CTĐ4" in text


def test_frozen_score_summary_prints_the_fingerprint_and_no_stamp(world):
    settings = ScoringSettings.objects.get(year=world.year)
    for rank, (school, total) in enumerate(
        [(world.a, "32"), (world.b, "27.5"), (world.c, "19")], start=1
    ):
        ResultRow.objects.create(
            year=world.year,
            school=school,
            school_code=school.code,
            school_name=school.name,
            rank=rank,
            criteria_points=total,
            bonus=0,
            deductions=0,
            total=total,
        )
    ScoringSettings.objects.filter(pk=settings.pk).update(
        stage=ResultsStage.FROZEN, fingerprint="f" * 64
    )
    text = text_of(world, DocumentKind.SCORE_SUMMARY, "pdf")
    assert "f" * 64 in text
    assert "KẾT QUẢ TẠM THỜI" not in text


def test_pdf_is_a4_with_embedded_fonts(world):
    data = produce(world, DocumentKind.COVENANT, "pdf")
    pdfinfo = shutil.which("pdfinfo")
    pdffonts = shutil.which("pdffonts")
    if not (pdfinfo and pdffonts):
        pytest.skip("pdfinfo/pdffonts (poppler-utils) are not installed")
    info = subprocess.run([pdfinfo, "-"], input=data, capture_output=True).stdout.decode()
    assert "(A4)" in info
    fonts = subprocess.run([pdffonts, "-"], input=data, capture_output=True).stdout.decode()
    rows = [line.split() for line in fonts.splitlines()[2:] if line.strip()]
    assert rows, fonts
    # Every font embedded, with a Unicode map (the diacritics extract as text).
    assert all(row[-5] == "yes" and row[-3] == "yes" for row in rows), fonts


def test_docx_is_a4_with_official_margins_and_times_new_roman(world):
    document = Document(io.BytesIO(produce(world, DocumentKind.AWARD_SUBMISSION, "docx")))
    section = document.sections[0]
    assert round(section.page_width / Mm(1)) == 210
    assert round(section.page_height / Mm(1)) == 297
    margins = [section.top_margin, section.bottom_margin, section.left_margin, section.right_margin]
    assert [round(m / Mm(1)) for m in margins] == [20, 20, 30, 15]
    fonts = document.styles["Normal"].element.rPr.rFonts
    qn = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    assert fonts.get(f"{qn}ascii") == "Times New Roman"
    assert fonts.get(f"{qn}eastAsia") == "Times New Roman"


def test_multi_year_summary_docx_has_its_charts(world):
    assert docx_has_picture(produce(world, DocumentKind.MULTI_YEAR_SUMMARY, "docx"))


def test_multi_year_summary_pdf_draws_the_charts(world):
    text = text_of(world, DocumentKind.MULTI_YEAR_SUMMARY, "pdf")
    assert "Biểu đồ: Tổng điểm của các trường, giai đoạn 2024–2026" in text
    # The legend of the line chart is drawn text (inline SVG rendered by WeasyPrint).
    assert "SCA" in text and "SCC" in text


def test_score_summary_xlsx_has_the_official_sheet_then_the_details(world):
    workbook = load_workbook(io.BytesIO(produce(world, DocumentKind.SCORE_SUMMARY, "xlsx")))
    assert workbook.sheetnames[0] == "Văn bản"
    assert len(workbook.sheetnames) > 1
    values = [
        str(cell.value) for row in workbook["Văn bản"].iter_rows() for cell in row if cell.value
    ]
    assert NATIONAL in values
    assert "Số: 01/BTH-CTĐ4" in values
    assert DATE_LINE in values
    assert "Trường Chính trị Nguyễn Văn Linh" in values
    assert "27,50" in values
