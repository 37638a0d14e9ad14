"""The minutes of the review meeting (biên bản họp bình xét) and the vote-count minutes of
one round (biên bản kiểm phiếu). Only closed rounds are recorded: their counts are final."""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils import timezone

from awards.enums import RoundKind, RoundStatus, ThresholdBase
from awards.models import Ballot, BallotChoice, Candidate, VotingRound
from cluster.enums import EventKind
from cluster.models import Event

from ..dates import vn_date, vn_number
from ..errors import DocumentError
from ..layout import Column, Heading, OfficialDocument, Paragraph, Row, Signature, Table
from . import common


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%H:%M %d/%m/%Y") if moment else "—"


def _candidates_queryset():
    return Candidate.objects.select_related("school").order_by("order", "pk")


def _rounds_queryset():
    return VotingRound.objects.select_related("year__cluster").prefetch_related(
        Prefetch("candidates", queryset=_candidates_queryset())
    )


def _outcome(voting_round: VotingRound, candidate: Candidate) -> str:
    if candidate.passed is None:
        return "Bằng phiếu, bầu lại" if candidate.pk in voting_round.result.get("tied", []) else "—"
    if voting_round.kind == RoundKind.ELECTION:
        return "Trúng cử" if candidate.passed else "Không trúng cử"
    return "Đạt" if candidate.passed else "Không đạt"


def round_facts(voting_round: VotingRound) -> list[Paragraph]:
    result = voting_round.result or {}
    base = (
        "tổng số đơn vị có quyền bỏ phiếu"
        if result.get("threshold_base", voting_round.threshold_base) == ThresholdBase.ELECTORATE
        else "số phiếu thu về"
    )
    quorum = "đạt" if result.get("quorum_met") else "không đạt"
    return [
        Paragraph(f"- Số đơn vị có quyền bỏ phiếu: {result.get('electorate', '—')}."),
        Paragraph(
            f"- Số phiếu thu về: {result.get('turnout', '—')} "
            f"({vn_number(result.get('turnout_percent'), 2)}% số đơn vị có quyền bỏ phiếu)."
        ),
        Paragraph(
            f"- Số phiếu hợp lệ: {result.get('valid', result.get('turnout', '—'))}; "
            f"trong đó phiếu trắng: {result.get('blank', 0)}."
        ),
        Paragraph(
            f"- Túc số: tối thiểu {result.get('quorum_needed', '—')} phiếu "
            f"({vn_number(result.get('quorum_percent'), 2)}%); {quorum}."
        ),
        Paragraph(
            f"- Ngưỡng thông qua: trên {vn_number(result.get('threshold_percent'), 2)}% {base}, "
            f"tức tối thiểu {result.get('votes_needed', '—')} phiếu đồng ý."
        ),
    ]


def round_table(voting_round: VotingRound) -> Table:
    result = voting_round.result or {}
    base = int(result.get("base_size") or 0)
    yes_no = voting_round.kind == RoundKind.YES_NO
    columns = [
        Column("STT", "center", 7),
        Column("Ứng cử, đề cử" if not yes_no else "Đề nghị", "left", 45 if yes_no else 55),
        Column("Số phiếu đồng ý", "right", 13),
    ]
    if yes_no:
        columns.append(Column("Số phiếu không đồng ý", "right", 13))
    columns += [Column("Tỷ lệ (%)", "right", 10), Column("Kết quả", "center", 15)]
    rows = []
    for number, candidate in enumerate(voting_round.candidates.all(), start=1):
        share = (
            vn_number((candidate.votes or 0) * 100 / base, 2)
            if base and candidate.votes is not None
            else "—"
        )
        cells = [str(number), candidate.label, vn_number(candidate.votes)]
        if yes_no:
            cells.append(vn_number(candidate.votes_no))
        cells += [share, _outcome(voting_round, candidate)]
        rows.append(Row(cells))
    return Table(columns=columns, rows=rows)


def round_conclusion(voting_round: VotingRound) -> list[Paragraph]:
    result = voting_round.result or {}
    if not result.get("quorum_met"):
        return [Paragraph("Không đủ túc số: kết quả bỏ phiếu không có hiệu lực.", bold=True)]
    labels = result.get("winner_labels") or []
    lines = []
    if labels:
        verb = "trúng cử" if voting_round.kind == RoundKind.ELECTION else "đạt"
        lines.append(Paragraph(f"Các trường hợp {verb}: " + "; ".join(labels) + ".", bold=True))
    else:
        lines.append(Paragraph("Không có trường hợp nào đạt ngưỡng thông qua.", bold=True))
    if result.get("tied"):
        lines.append(
            Paragraph(
                "Có trường hợp bằng phiếu ở vị trí cuối: tổ chức bỏ phiếu lại cho "
                f"{result.get('seats_left', 0)} vị trí còn lại."
            )
        )
    return lines


def _receipts_table(voting_round: VotingRound) -> Table:
    ballots = Ballot.objects.filter(round=voting_round).prefetch_related(
        Prefetch(
            "choices",
            queryset=BallotChoice.objects.select_related("candidate").order_by(
                "candidate__order", "candidate__pk"
            ),
        )
    )
    rows = []
    for number, ballot in enumerate(ballots.order_by("receipt"), start=1):
        chosen = [
            choice.candidate.label
            if voting_round.kind != RoundKind.YES_NO
            else f"{choice.candidate.label}: {'đồng ý' if choice.answer == 'yes' else 'không'}"
            for choice in ballot.choices.all()
        ]
        rows.append(Row([str(number), ballot.receipt, "; ".join(chosen) or "(phiếu trắng)"]))
    return Table(
        caption="Phụ lục: mã biên nhận và nội dung của từng phiếu (không gắn với đơn vị bỏ phiếu)",
        columns=[
            Column("STT", "center", 7),
            Column("Mã biên nhận", "left", 23),
            Column("Nội dung phiếu", "left", 70),
        ],
        rows=rows,
    )


def build_vote_count(params: dict, type_code: str) -> OfficialDocument:
    year = common.load_year(params.get("year"))
    cluster = year.cluster
    try:
        voting_round = _rounds_queryset().get(pk=params.get("round"), year=year)
    except (VotingRound.DoesNotExist, ValueError, TypeError):
        raise DocumentError("round_missing")
    if voting_round.status != RoundStatus.CLOSED:
        raise DocumentError("round_not_closed")
    blocks = [
        Paragraph(
            f"Vòng bỏ phiếu “{voting_round.title}” của {cluster.name} năm {year.label} mở lúc "
            f"{_local(voting_round.opens_at)} và đóng lúc {_local(voting_round.closed_at)}. "
            "Bỏ phiếu kín trên hệ thống; mỗi trường thành viên một phiếu; phiếu không gắn "
            "với đơn vị bỏ phiếu."
        ),
        Paragraph(
            f"Mỗi phiếu chọn tối đa {voting_round.max_choices} trường hợp."
            if voting_round.kind != RoundKind.YES_NO
            else "Mỗi phiếu ghi đồng ý hoặc không đồng ý với từng đề nghị."
        ),
        Heading("I. KẾT QUẢ KIỂM PHIẾU"),
        *round_facts(voting_round),
        round_table(voting_round),
        Heading("II. KẾT LUẬN"),
        *round_conclusion(voting_round),
        Paragraph(
            "Biên bản được lập ngay sau khi kiểm phiếu và được công bố cho các trường thành viên."
        ),
        _receipts_table(voting_round),
    ]
    return OfficialDocument(
        letterhead=common.letterhead(cluster, year, type_code),
        title="BIÊN BẢN KIỂM PHIẾU",
        subject=[voting_round.title],
        file_title=f"Biên bản kiểm phiếu {voting_round.title} {year.label}",
        blocks=blocks,
        signatures=[Signature(lines=["THƯ KÝ"]), Signature(lines=["TỔ TRƯỞNG TỔ KIỂM PHIẾU"])],
        recipients=common.standard_recipients(cluster),
    )


def build_review(params: dict, type_code: str) -> OfficialDocument:
    year = common.load_year(params.get("year"))
    cluster = year.cluster
    members = common.members(year)
    results = common.year_results(year)
    rounds = list(
        _rounds_queryset().filter(year=year, status=RoundStatus.CLOSED).order_by("closed_at", "pk")
    )
    if not rounds and not results.published:
        raise DocumentError("nothing_to_review")
    conference = (
        Event.objects.filter(year=year, kind__in=[EventKind.CONFERENCE, EventKind.REVIEW])
        .select_related("host_school")
        .order_by("-date")
        .first()
    )
    head = common.head_of(year)
    blocks = []
    if conference is not None:
        where = conference.location or (
            conference.host_school.name if conference.host_school else ""
        )
        blocks += [
            Paragraph(f"Thời gian: ngày {vn_date(conference.date)}.", indent=False),
            Paragraph(f"Địa điểm: {where or '……'}.", indent=False),
        ]
    else:
        blocks += [
            Paragraph("Thời gian: …… giờ …… ngày …… tháng …… năm ……", indent=False),
            Paragraph("Địa điểm: ……", indent=False),
        ]
    blocks.append(
        Paragraph(
            f"Thành phần: đại diện lãnh đạo {len(members)} trường thành viên {cluster.name}:",
            indent=False,
        )
    )
    blocks += [Paragraph(f"- {school.name};", indent=False) for school in members]
    blocks += [
        Paragraph(
            f"Chủ trì: {head.name} – Cụm trưởng." if head else "Chủ trì: Cụm trưởng.",
            indent=False,
        ),
        Paragraph("Thư ký: ……", indent=False),
        Heading("I. KẾT QUẢ CHẤM ĐIỂM, XẾP HẠNG"),
    ]
    if results.published:
        state = "đã được khóa" if results.frozen else "tạm thời, đã công bố cho các trường"
        blocks += [
            Paragraph(
                f"Hội nghị nghe báo cáo kết quả chấm điểm thi đua năm {year.label} ({state}) "
                "như sau:"
            ),
            common.ranking_table(results.lines),
        ]
    else:
        blocks.append(Paragraph("Kết quả chấm điểm của năm chưa được công bố.", italic=True))

    blocks.append(Heading("II. KẾT QUẢ BỎ PHIẾU"))
    if not rounds:
        blocks.append(Paragraph("Chưa có vòng bỏ phiếu nào kết thúc.", italic=True))
    for number, voting_round in enumerate(rounds, start=1):
        blocks += [
            Paragraph(f"{number}. {voting_round.title}", bold=True, indent=False),
            *round_facts(voting_round),
            round_table(voting_round),
            *round_conclusion(voting_round),
        ]

    blocks.append(Heading("III. KẾT LUẬN"))
    concluded = [r for r in rounds if (r.result or {}).get("quorum_met")]
    for voting_round in concluded:
        labels = voting_round.result.get("winner_labels") or []
        blocks.append(
            Paragraph(
                f"- {voting_round.title}: " + ("; ".join(labels) if labels else "không có") + "."
            )
        )
    blocks.append(
        Paragraph(
            "Biên bản được lập xong hồi …… giờ …… cùng ngày, đã được đọc lại cho hội nghị "
            "nghe và thông qua."
        )
    )
    return OfficialDocument(
        letterhead=common.letterhead(cluster, year, type_code),
        title="BIÊN BẢN",
        subject=[f"Họp bình xét thi đua năm {year.label} của {cluster.name}"],
        file_title=f"Biên bản họp bình xét {year.label}",
        stamp="" if results.frozen or not results.published else "KẾT QUẢ CHẤM ĐIỂM TẠM THỜI",
        blocks=blocks,
        signatures=[
            Signature(lines=["THƯ KÝ"]),
            Signature(
                lines=["CHỦ TRÌ"],
                name=head.rector if head else "",
                note=head.name if head else "",
            ),
        ],
        recipients=common.standard_recipients(cluster),
    )
