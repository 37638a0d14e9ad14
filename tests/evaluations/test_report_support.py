"""Helpers and fixtures shared by the report, evidence, progress, extension and dashboard
tests (imported by them; holds no test itself)."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from evaluations.enums import SubmissionStatus
from evaluations.models import (
    AnnualReport,
    CriteriaTable,
    Criterion,
    DeductionReason,
    Indicator,
    Pledge,
    PledgeTarget,
)


def make_table(
    year,
    *,
    groups: int = 2,
    per_group: int = 2,
    max_points: Decimal = Decimal("10"),
    evidence_required: tuple[str, ...] = (),
    bonus_cap: Decimal = Decimal("5"),
) -> tuple[CriteriaTable, list[Criterion]]:
    """A criteria table: groups 1..n, criteria 1.1, 1.2, … each out of ``max_points``."""
    table = CriteriaTable.objects.create(year=year, bonus_cap=bonus_cap)
    criteria: list[Criterion] = []
    for g in range(1, groups + 1):
        group = Criterion.objects.create(
            table=table, code=str(g), title=f"Nhóm tiêu chí {g}", order=g
        )
        for c in range(1, per_group + 1):
            code = f"{g}.{c}"
            criteria.append(
                Criterion.objects.create(
                    table=table,
                    parent=group,
                    code=code,
                    title=f"Tiêu chí {code}",
                    max_points=max_points,
                    evidence_required=code in evidence_required,
                    order=c,
                )
            )
    return table, criteria


def make_indicators(year, count: int = 2) -> list[Indicator]:
    names = ["Số lớp bồi dưỡng", "Số học viên", "Đề tài khoa học", "Hội thảo"]
    units = ["lớp", "học viên", "đề tài", "hội thảo"]
    return [
        Indicator.objects.create(
            year=year,
            code=f"I{n + 1}",
            name=names[n % 4] if n < 4 else f"Chỉ tiêu {n + 1}",
            unit=units[n % 4],
            order=n,
        )
        for n in range(count)
    ]


def make_pledge(year, school, targets: dict, status=SubmissionStatus.ACCEPTED, **extra) -> Pledge:
    pledge = Pledge.objects.create(year=year, school=school, status=status, **extra)
    for indicator, value in targets.items():
        PledgeTarget.objects.create(pledge=pledge, indicator=indicator, target=value)
    return pledge


def scores_data(criteria, value: str = "8", explanation: str = "Đã thực hiện") -> dict:
    data = {}
    for criterion in criteria:
        data[f"score-{criterion.pk}"] = value
        data[f"explanation-{criterion.pk}"] = f"{explanation} {criterion.code}"
    return data


def complete_data(criteria, value: str = "8") -> dict:
    return {"results": "Hoàn thành xuất sắc nhiệm vụ năm.", **scores_data(criteria, value)}


# --- files ---------------------------------------------------------------------------------


def pdf_bytes(text: str = "Minh chung") -> bytes:
    """A small but real one-page PDF."""
    content = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(content)).encode() + b" >>\nstream\n" + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return out.getvalue()


def png_bytes() -> bytes:
    return (
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06"
        b"\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01"
        b"\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
    )


def zip_bytes(names: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in names.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def docx_bytes() -> bytes:
    return zip_bytes(
        {
            "[Content_Types].xml": b"<Types/>",
            "word/document.xml": b"<w:document/>",
        }
    )


def xlsx_bytes() -> bytes:
    from openpyxl import Workbook

    buffer = io.BytesIO()
    workbook = Workbook()
    workbook.active["A1"] = "Minh chứng"
    workbook.save(buffer)
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


# --- the world of a report -----------------------------------------------------------------


@dataclass
class ReportWorld:
    cluster: object
    year: object
    school_a: object
    school_b: object
    school_c: object
    table: CriteriaTable
    criteria: list[Criterion]
    indicators: list[Indicator]
    reason: DeductionReason

    def report_of(self, school, **fields) -> AnnualReport:
        return AnnualReport.objects.create(year=self.year, school=school, **fields)


def build_world(cluster4, settings, tmp_path) -> ReportWorld:
    """For a ``world`` fixture: CUM4 2026 with a table of 4 criteria (1.1, 1.2, 2.1,
    2.2; 2.1 needs evidence), two indicators, a deduction reason and A's accepted
    pledge. Files go to a temp dir."""
    settings.MEDIA_ROOT = tmp_path / "media"
    table, criteria = make_table(cluster4.year, evidence_required=("2.1",))
    indicators = make_indicators(cluster4.year, 2)
    reason = DeductionReason.objects.create(
        table=table, title="Nộp báo cáo chậm", points=Decimal("1")
    )
    make_pledge(
        cluster4.year,
        cluster4.school_a,
        {indicators[0]: Decimal("20"), indicators[1]: Decimal("0")},
    )
    return ReportWorld(
        cluster=cluster4.cluster,
        year=cluster4.year,
        school_a=cluster4.school_a,
        school_b=cluster4.school_b,
        school_c=cluster4.school_c,
        table=table,
        criteria=criteria,
        indicators=indicators,
        reason=reason,
    )
