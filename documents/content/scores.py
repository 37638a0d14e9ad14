"""The score summary (bảng tổng hợp điểm): the ranking and the points per criteria group.

Frozen years print the frozen snapshot and its fingerprint; otherwise the ranking is
computed now from the submitted cross scores and the document says it is provisional.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.utils import timezone

from ..dates import vn_date, vn_points
from ..errors import DocumentError
from ..layout import Column, Heading, OfficialDocument, Paragraph, Row, Signature, Table
from . import common

GROUPS_PER_TABLE = 5


def build(params: dict, type_code: str) -> OfficialDocument:
    from evaluations.selectors_scoring import compute_results

    year = common.load_year(params.get("year"))
    cluster = year.cluster
    common.members(year)
    results = compute_results(year)
    data = results.data
    if data.table is None or not data.criteria:
        raise DocumentError("no_criteria")
    settings = data.settings
    frozen = settings.stage == "frozen"

    blocks = [
        Paragraph(
            f"Căn cứ bảng tiêu chí chấm điểm thi đua năm {year.label} và kết quả chấm chéo "
            f"giữa các trường thành viên, {cluster.name} tổng hợp điểm như sau:"
        ),
        Paragraph(
            "Điểm của mỗi tiêu chí là "
            f"{common.METHOD_LABELS.get(results.method, results.method)} các điểm chấm chéo; "
            "tổng điểm = điểm tiêu chí + điểm thưởng (tối đa "
            f"{vn_points(data.bonus_cap)} điểm) − điểm trừ."
        ),
        Heading("I. TỔNG HỢP ĐIỂM VÀ XẾP HẠNG"),
        common.ranking_table(results.lines),
    ]

    groups = data.groups
    if groups:
        group_max: dict[int, Decimal] = defaultdict(Decimal)
        for criterion in data.criteria:
            group_max[criterion.parent_id] += criterion.max_points or Decimal(0)
        points: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
        for detail in results.details:
            for item in detail.criteria:
                points[(detail.school.pk, item.criterion.parent_id)] += item.aggregated
        by_school = {detail.school.pk: detail for detail in results.details}
        blocks.append(Heading("II. ĐIỂM THEO NHÓM TIÊU CHÍ"))
        for index, chunk in enumerate(common.chunks(groups, GROUPS_PER_TABLE), start=1):
            share = 64 // max(len(chunk), 1)
            blocks.append(
                Table(
                    caption=f"Bảng {index}" if len(groups) > GROUPS_PER_TABLE else "",
                    columns=[
                        Column("Xếp hạng", "center", 10),
                        Column("Đơn vị", "left", 26),
                        *[
                            Column(
                                f"Nhóm {group.code} (tối đa {vn_points(group_max[group.pk])})",
                                "right",
                                share,
                            )
                            for group in chunk
                        ],
                    ],
                    rows=[
                        Row(
                            [
                                str(line.rank),
                                line.school_name,
                                *[
                                    vn_points(points[(line.school_id, group.pk)])
                                    if line.school_id in by_school
                                    else "—"
                                    for group in chunk
                                ],
                            ]
                        )
                        for line in results.lines
                    ],
                )
            )
        blocks.append(
            Paragraph(
                "Các nhóm tiêu chí: "
                + "; ".join(f"Nhóm {group.code} – {group.title}" for group in groups)
                + ".",
                italic=True,
                indent=False,
            )
        )

    if frozen:
        frozen_on = timezone.localtime(settings.frozen_at).date() if settings.frozen_at else None
        blocks.append(
            Paragraph(
                f"Kết quả đã được khóa ngày {vn_date(frozen_on)}; mã kiểm tra (SHA-256) "
                f"của bảng xếp hạng: {settings.fingerprint}.",
                italic=True,
                indent=False,
            )
        )
    else:
        blocks.append(
            Paragraph(
                "Kết quả tạm thời, tính theo các phiếu chấm đã nộp đến thời điểm lập bảng; "
                "có thể thay đổi cho đến khi kết quả được khóa.",
                italic=True,
                indent=False,
            )
        )

    return OfficialDocument(
        letterhead=common.letterhead(cluster, year, type_code),
        title="BẢNG TỔNG HỢP ĐIỂM",
        subject=[f"Kết quả chấm điểm thi đua năm {year.label}"],
        file_title=f"Bảng tổng hợp điểm {year.label}",
        stamp="" if frozen else "KẾT QUẢ TẠM THỜI",
        blocks=blocks,
        signatures=[
            Signature(lines=["NGƯỜI TỔNG HỢP"]),
            common.head_signature(cluster, year),
        ],
        recipients=common.standard_recipients(cluster),
    )
