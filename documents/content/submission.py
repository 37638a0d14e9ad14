"""The submission for awards (tờ trình đề nghị khen thưởng): the nominations of the year
the cluster approved or forwarded, collectives first, then individuals."""

from __future__ import annotations

from awards.enums import NominationStatus, RecipientKind
from awards.models import Nomination

from ..errors import DocumentError
from ..layout import Column, Heading, OfficialDocument, Paragraph, Row, Table
from . import common

SUBMITTED_STATUSES = (NominationStatus.APPROVED, NominationStatus.FORWARDED)


def _summary(nomination: Nomination) -> str:
    return " ".join((nomination.achievement_summary or "").split()) or "—"


def build(params: dict, type_code: str) -> OfficialDocument:
    year = common.load_year(params.get("year"))
    cluster = year.cluster
    nominations = list(
        Nomination.objects.filter(year=year, status__in=SUBMITTED_STATUSES)
        .select_related("recipient", "recipient__school", "award_type", "school")
        .order_by("award_type__order", "school__code", "recipient__name", "pk")
    )
    if not nominations:
        raise DocumentError("no_nominations")
    collectives = [n for n in nominations if n.recipient.kind == RecipientKind.COLLECTIVE]
    individuals = [n for n in nominations if n.recipient.kind != RecipientKind.COLLECTIVE]
    superior = common.superior_name(cluster)

    blocks = [
        Paragraph(
            "Căn cứ Luật Thi đua, khen thưởng số 06/2022/QH15 ngày 15 tháng 6 năm 2022 và các "
            "văn bản hướng dẫn thi hành;"
        ),
        Paragraph(
            f"Căn cứ kết quả chấm điểm, bình xét thi đua năm {year.label} của {cluster.name};"
        ),
        Paragraph(
            f"{cluster.name} kính đề nghị {superior or 'cấp trên'} xem xét, khen thưởng "
            f"{len(collectives)} tập thể và {len(individuals)} cá nhân có thành tích xuất sắc "
            f"trong phong trào thi đua năm {year.label}, cụ thể như sau:"
        ),
        Heading("I. TẬP THỂ"),
    ]
    if collectives:
        blocks.append(
            Table(
                columns=[
                    Column("STT", "center", 6),
                    Column("Tên tập thể", "left", 26),
                    Column("Hình thức đề nghị", "left", 22),
                    Column("Tóm tắt thành tích", "left", 46),
                ],
                rows=[
                    Row(
                        [
                            str(number),
                            n.recipient.school.name
                            if n.recipient.is_whole_school
                            else f"{n.recipient.name}, {n.recipient.school.name}",
                            n.award_type.name,
                            _summary(n),
                        ]
                    )
                    for number, n in enumerate(collectives, start=1)
                ],
            )
        )
    else:
        blocks.append(Paragraph("Không có đề nghị cho tập thể.", italic=True))
    blocks.append(Heading("II. CÁ NHÂN"))
    if individuals:
        blocks.append(
            Table(
                columns=[
                    Column("STT", "center", 6),
                    Column("Họ và tên", "left", 18),
                    Column("Chức vụ, đơn vị công tác", "left", 24),
                    Column("Hình thức đề nghị", "left", 18),
                    Column("Tóm tắt thành tích", "left", 34),
                ],
                rows=[
                    Row(
                        [
                            str(number),
                            n.recipient.name,
                            ", ".join(
                                part
                                for part in (
                                    n.recipient.position,
                                    n.recipient.unit,
                                    n.recipient.school.name,
                                )
                                if part
                            ),
                            n.award_type.name,
                            _summary(n),
                        ]
                    )
                    for number, n in enumerate(individuals, start=1)
                ],
            )
        )
    else:
        blocks.append(Paragraph("Không có đề nghị cho cá nhân.", italic=True))
    blocks += [
        Paragraph(
            "Hồ sơ kèm theo: biên bản họp bình xét, biên bản kiểm phiếu, bảng tổng hợp điểm "
            "và báo cáo thành tích của từng trường hợp.",
            italic=True,
        ),
        Paragraph(f"{cluster.name} kính trình {superior or 'cấp trên'} xem xét, quyết định./."),
    ]
    addressee = (
        f"Kính gửi: Ban Thi đua – Khen thưởng, {superior}"
        if superior
        else "Kính gửi: Hội đồng Thi đua – Khen thưởng cấp trên"
    )
    return OfficialDocument(
        letterhead=common.letterhead(cluster, year, type_code),
        title="TỜ TRÌNH",
        subject=[f"Về việc đề nghị khen thưởng năm {year.label}"],
        file_title=f"Tờ trình đề nghị khen thưởng {year.label}",
        addressee=addressee,
        blocks=blocks,
        signatures=[common.head_signature(cluster, year)],
        recipients=["- Như trên;", "- Các trường thành viên Cụm;", "- Lưu: VT, Cụm."],
    )
