"""The joint covenant (bản giao ước thi đua): every member's targets, commitments and
registered titles, and a signature block per member school."""

from __future__ import annotations

from django.db.models import Prefetch

from evaluations.models import Indicator, Pledge, PledgeTarget

from ..dates import vn_number
from ..errors import DocumentError
from ..layout import Column, Heading, OfficialDocument, Paragraph, Row, Table
from . import common

SCHOOLS_PER_TABLE = 4


def _paragraphs(text: str) -> list[Paragraph]:
    return [Paragraph(line.strip()) for line in (text or "").splitlines() if line.strip()]


def build(params: dict, type_code: str) -> OfficialDocument:
    year = common.load_year(params.get("year"))
    cluster = year.cluster
    members = common.members(year)
    pledges = list(
        Pledge.objects.filter(year=year, status__in=common.PUBLIC_SUBMISSIONS, school__in=members)
        .select_related("school")
        .prefetch_related(
            Prefetch("targets", queryset=PledgeTarget.objects.select_related("indicator"))
        )
        .order_by("school__code")
    )
    if not pledges:
        raise DocumentError("no_pledges")
    indicators = list(Indicator.objects.filter(year=year).order_by("order", "code"))
    targets = {
        (pledge.school_id, target.indicator_id): target.target
        for pledge in pledges
        for target in pledge.targets.all()
    }
    pledged_ids = {pledge.school_id for pledge in pledges}
    missing = [school for school in members if school.pk not in pledged_ids]

    blocks = [
        Paragraph("Căn cứ Luật Thi đua, khen thưởng số 06/2022/QH15 ngày 15 tháng 6 năm 2022;"),
    ]
    superior = common.superior_name(cluster)
    if superior:
        blocks.append(
            Paragraph(
                f"Căn cứ hướng dẫn công tác thi đua, khen thưởng năm {year.label} của {superior};"
            )
        )
    if year.theme:
        blocks.append(Paragraph(f"Thực hiện chủ đề thi đua năm {year.label}: “{year.theme}”,"))
    blocks.append(
        Paragraph(
            f"Các trường thành viên {cluster.name} thống nhất ký kết giao ước thi đua năm "
            f"{year.label} với các nội dung sau:"
        )
    )

    blocks.append(Heading("I. CHỈ TIÊU ĐĂNG KÝ THI ĐUA"))
    pledged_schools = [pledge.school for pledge in pledges]
    if indicators:
        groups = common.chunks(pledged_schools, SCHOOLS_PER_TABLE)
        for index, schools in enumerate(groups, start=1):
            share = 54 // max(len(schools), 1)
            blocks.append(
                Table(
                    caption=(
                        f"Bảng {index}/{len(groups)}: chỉ tiêu đăng ký của các trường"
                        if len(groups) > 1
                        else ""
                    ),
                    columns=[
                        Column("STT", "center", 6),
                        Column("Chỉ tiêu", "left", 30),
                        Column("Đơn vị tính", "center", 10),
                        *[Column(school.name, "right", share) for school in schools],
                    ],
                    rows=[
                        Row(
                            [
                                str(number),
                                indicator.name,
                                indicator.unit,
                                *[
                                    vn_number(targets.get((school.pk, indicator.pk)), 2)
                                    for school in schools
                                ],
                            ]
                        )
                        for number, indicator in enumerate(indicators, start=1)
                    ],
                )
            )
    else:
        blocks.append(Paragraph("Năm thi đua chưa có danh mục chỉ tiêu."))
    if missing:
        blocks.append(
            Paragraph(
                "Các trường chưa gửi bản đăng ký: "
                + ", ".join(school.name for school in missing)
                + ".",
                italic=True,
            )
        )

    blocks.append(Heading("II. CAM KẾT VÀ DANH HIỆU ĐĂNG KÝ"))
    for number, pledge in enumerate(pledges, start=1):
        blocks.append(Paragraph(f"{number}. {pledge.school.name}", bold=True))
        if pledge.registered_titles.strip():
            blocks.append(
                Paragraph(
                    "Danh hiệu, hình thức khen thưởng đăng ký: "
                    + "; ".join(
                        line.strip() for line in pledge.registered_titles.splitlines() if line
                    )
                    + "."
                )
            )
        commitments = _paragraphs(pledge.commitments)
        blocks += commitments or [Paragraph("(Không ghi cam kết riêng.)", italic=True)]

    blocks.append(Heading("III. TỔ CHỨC THỰC HIỆN"))
    blocks += [
        Paragraph(
            "1. Các trường thành viên tổ chức thực hiện các chỉ tiêu, cam kết đã đăng ký; "
            "định kỳ báo cáo kết quả với Cụm trưởng."
        ),
        Paragraph(
            "2. Cụm trưởng theo dõi, đôn đốc, tổng hợp kết quả thực hiện giao ước; tổ chức "
            "sơ kết, tổng kết, chấm điểm và bình xét thi đua theo quy định."
        ),
        Paragraph(
            f"3. Giao ước được lập thành {len(members) + 1:02d} bản: mỗi trường thành viên "
            "giữ 01 bản, 01 bản gửi cấp trên để báo cáo."
        ),
    ]

    return OfficialDocument(
        letterhead=common.letterhead(cluster, year, type_code),
        title="GIAO ƯỚC THI ĐUA",
        subject=[f"Năm {year.label} giữa các trường thành viên {cluster.name}"],
        file_title=f"Giao ước thi đua {year.label}",
        blocks=blocks,
        signatures=[common.school_signature(school) for school in members],
        signatures_per_row=3,
        recipients=common.standard_recipients(cluster),
    )
