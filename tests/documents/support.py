"""A cluster year with everything the documents print, created directly in the database
(independent of the other apps' services), and helpers to read the files back.

``build_world(cluster4)``: CUM4 (superior body, symbol CTĐ4), schools A (head, Hưng Yên),
B (deputy) and C; three indicators; pledges and reports of A and B (submitted/accepted) and
C's drafts (which must never appear: the text ``BẢN NHÁP`` and the figure 999); a criteria
table with every pair's cross scores submitted and the results published; a closed voting
round with ballots; an approved collective and a forwarded individual nomination (and a
draft one); the year-end conference; and two earlier frozen years (2024, 2025).
"""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
import zipfile
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.utils import timezone

from awards.enums import (
    AwardCategory,
    AwardLevel,
    NominationStatus,
    RecipientKind,
    RoundKind,
    RoundStatus,
)
from awards.models import (
    AwardType,
    Ballot,
    BallotChoice,
    Candidate,
    Nomination,
    Recipient,
    VotingRound,
)
from cluster.enums import EventKind, LeadershipRole
from cluster.models import Event
from evaluations.enums import AssignmentStatus, ResultsStage, SubmissionStatus
from evaluations.models import (
    AnnualReport,
    Assignment,
    CriteriaTable,
    Criterion,
    CrossScore,
    Indicator,
    IndicatorResult,
    Pledge,
    PledgeTarget,
    ResultRow,
    ScoringSettings,
)
from tests import factories as f

D = Decimal
ISSUED = dt.date(2026, 1, 5)
DATE_LINE = "Hưng Yên, ngày 05 tháng 01 năm 2026"
DRAFT_MARK = "BẢN NHÁP"

SCHOOLS = {
    "SCA": ("Trường Chính trị Nguyễn Văn Linh", "Hưng Yên", "Đặng Văn Hùng"),
    "SCB": ("Trường Chính trị tỉnh Thái Bình", "Thái Bình", "Phạm Thị Hương"),
    "SCC": ("Trường Chính trị Trường Chinh", "Nam Định", "Trần Quốc Việt"),
}
INDICATORS = [
    ("LOP", "Số lớp bồi dưỡng", "lớp"),
    ("HV", "Số lượt học viên", "lượt"),
    ("DT", "Đề tài khoa học các cấp", "đề tài"),
]
TARGETS = {"SCA": ("45", "3200", "4"), "SCB": ("38", "2750", "3"), "SCC": ("999", "999", "999")}
ACTUALS = {"SCA": ("47", "3310", "5"), "SCB": ("36", "2800", "3"), "SCC": ("999", "999", "999")}
# scorer -> target -> points of criteria 1.1 (max 10), 1.2 (max 5), 2.1 (max 20)
CROSS = {
    ("SCB", "SCA"): ("9", "4", "18"),
    ("SCC", "SCA"): ("9", "5", "19"),  # A: 9 + 4,5 + 18,5 = 32
    ("SCA", "SCB"): ("8", "4", "15"),
    ("SCC", "SCB"): ("6", "5", "17"),  # B: 7 + 4,5 + 16 = 27,5
    ("SCA", "SCC"): ("5", "2", "10"),
    ("SCB", "SCC"): ("6", "3", "12"),  # C: 5,5 + 2,5 + 11 = 19
}


@dataclass
class World:
    cluster: object
    year: object
    a: object
    b: object
    c: object
    voting_round: object
    open_round: object
    earlier: list


def _table(year) -> dict:
    table = CriteriaTable.objects.create(year=year, bonus_cap=D("5"))
    criteria = {}
    for g_order, (g_code, g_title, rows) in enumerate(
        [
            ("I", "Đào tạo, bồi dưỡng", [("1.1", "10"), ("1.2", "5")]),
            ("II", "Nghiên cứu khoa học", [("2.1", "20")]),
        ],
        start=1,
    ):
        group = Criterion.objects.create(table=table, code=g_code, title=g_title, order=g_order)
        for order, (code, max_points) in enumerate(rows, start=1):
            criteria[code] = Criterion.objects.create(
                table=table,
                parent=group,
                code=code,
                title=f"Tiêu chí {code}",
                max_points=D(max_points),
                order=order,
            )
    return criteria


def _frozen_year(cluster, label: str, rows: list[tuple[object, int, str]]):
    """An earlier year, frozen, with its ResultRows [(school, rank, total)]."""
    year = f.EmulationYearFactory(cluster=cluster, label=label)
    settings = ScoringSettings.objects.create(year=year)
    for school, rank, total in rows:
        ResultRow.objects.create(
            year=year,
            school=school,
            school_code=school.code,
            school_name=school.name,
            rank=rank,
            criteria_points=D(total),
            bonus=D("0"),
            deductions=D("0"),
            total=D(total),
        )
    ScoringSettings.objects.filter(pk=settings.pk).update(
        stage=ResultsStage.FROZEN, fingerprint="ab" * 32, frozen_at=timezone.now()
    )
    indicator = Indicator.objects.create(year=year, code="LOP", name="Số lớp bồi dưỡng", unit="lớp")
    for school, rank, _total in rows:
        report = AnnualReport.objects.create(
            year=year, school=school, status=SubmissionStatus.ACCEPTED
        )
        IndicatorResult.objects.create(report=report, indicator=indicator, actual=D(40 - rank))
    return year


def build_world(cluster4) -> World:
    cluster = cluster4.cluster
    cluster.superior_body = "Học viện Chính trị quốc gia Hồ Chí Minh"
    cluster.save()
    a, b, c = cluster4.school_a, cluster4.school_b, cluster4.school_c
    for school in (a, b, c):
        school.name, school.province, school.rector = SCHOOLS[school.code]
        school.save()
    year = cluster4.year
    year.recognition_decision_number = "125-QĐ/HVCTQG"
    year.recognition_decision_date = dt.date(2026, 2, 3)
    year.save()

    indicators = [
        Indicator.objects.create(year=year, code=code, name=name, unit=unit, order=i)
        for i, (code, name, unit) in enumerate(INDICATORS, start=1)
    ]
    statuses = {
        "SCA": SubmissionStatus.ACCEPTED,
        "SCB": SubmissionStatus.SUBMITTED,
        "SCC": SubmissionStatus.DRAFT,
    }
    for school in (a, b, c):
        pledge = Pledge.objects.create(
            year=year,
            school=school,
            status=statuses[school.code],
            commitments=(
                f"{DRAFT_MARK} chưa gửi"
                if school.code == "SCC"
                else f"Đổi mới phương pháp giảng dạy tại {school.name}."
            ),
            registered_titles="Tập thể lao động xuất sắc",
        )
        for indicator, value in zip(indicators, TARGETS[school.code], strict=True):
            PledgeTarget.objects.create(pledge=pledge, indicator=indicator, target=D(value))
        report = AnnualReport.objects.create(year=year, school=school, status=statuses[school.code])
        for indicator, value in zip(indicators, ACTUALS[school.code], strict=True):
            IndicatorResult.objects.create(report=report, indicator=indicator, actual=D(value))

    criteria = _table(year)
    schools = {"SCA": a, "SCB": b, "SCC": c}
    for (scorer, target), points in CROSS.items():
        assignment = Assignment.objects.create(
            year=year,
            scorer=schools[scorer],
            target=schools[target],
            status=AssignmentStatus.SUBMITTED,
        )
        for code, value in zip(("1.1", "1.2", "2.1"), points, strict=True):
            CrossScore.objects.create(
                assignment=assignment, criterion=criteria[code], points=D(value)
            )
    ScoringSettings.objects.create(year=year, stage=ResultsStage.PUBLISHED)

    now = timezone.now()
    voting_round = VotingRound.objects.create(
        year=year,
        kind=RoundKind.CHOOSE,
        title="Bình xét đơn vị dẫn đầu năm 2026",
        max_choices=1,
        opens_at=now - dt.timedelta(hours=2),
        closes_at=now - dt.timedelta(hours=1),
        status=RoundStatus.CLOSED,
        closed_at=now - dt.timedelta(hours=1),
    )
    votes = {a: (3, True), b: (0, False), c: (0, False)}
    candidates = {}
    for order, (school, (count, passed)) in enumerate(votes.items(), start=1):
        candidates[school] = Candidate.objects.create(
            round=voting_round,
            school=school,
            label=school.name,
            order=order,
            votes=count,
            passed=passed,
        )
    for receipt in ("A1B2C3D4E5F6", "0F1E2D3C4B5A", "99AA88BB77CC"):
        ballot = Ballot.objects.create(round=voting_round, receipt=receipt)
        BallotChoice.objects.create(ballot=ballot, candidate=candidates[a])
    voting_round.result = {
        "electorate": 3,
        "turnout": 3,
        "valid": 3,
        "blank": 0,
        "turnout_percent": "100.00",
        "quorum_percent": "66.67",
        "quorum_needed": 2,
        "quorum_met": True,
        "threshold_percent": "50.00",
        "threshold_base": "electorate",
        "base_size": 3,
        "votes_needed": 2,
        "max_choices": 1,
        "winners": [candidates[a].pk],
        "winner_labels": [a.name],
        "tied": [],
        "seats_left": 0,
    }
    voting_round.save()
    open_round = VotingRound.objects.create(
        year=year,
        kind=RoundKind.ELECTION,
        seat=LeadershipRole.HEAD,
        title="Bầu Cụm trưởng năm 2027",
        opens_at=now - dt.timedelta(hours=1),
        closes_at=now + dt.timedelta(hours=1),
        status=RoundStatus.OPEN,
    )

    flag = AwardType.objects.create(
        code="CO_HV",
        name="Cờ thi đua của Học viện",
        category=AwardCategory.FORM,
        recipient_kind=RecipientKind.COLLECTIVE,
        level=AwardLevel.ACADEMY,
        issuer="Giám đốc Học viện",
        order=1,
    )
    fighter = AwardType.objects.create(
        code="CSTDCS",
        name="Chiến sĩ thi đua cơ sở",
        category=AwardCategory.TITLE,
        recipient_kind=RecipientKind.INDIVIDUAL,
        level=AwardLevel.SCHOOL,
        issuer="Hiệu trưởng",
        order=2,
    )
    whole_a = Recipient.objects.create(
        kind=RecipientKind.COLLECTIVE, school=a, name=a.name, is_whole_school=True
    )
    teacher = Recipient.objects.create(
        kind=RecipientKind.INDIVIDUAL,
        school=b,
        name="Nguyễn Văn Mạnh",
        position="Trưởng khoa",
        unit="Khoa Lý luận cơ sở",
    )
    secret = Recipient.objects.create(
        kind=RecipientKind.INDIVIDUAL, school=c, name="Lê Thị Nháp", position="Giảng viên"
    )
    Nomination.objects.create(
        year=year,
        school=a,
        recipient=whole_a,
        award_type=flag,
        status=NominationStatus.APPROVED,
        achievement_summary="Dẫn đầu Cụm về số lớp và đề tài khoa học.",
    )
    Nomination.objects.create(
        year=year,
        school=b,
        recipient=teacher,
        award_type=fighter,
        status=NominationStatus.FORWARDED,
        achievement_summary="Chủ nhiệm 02 đề tài cấp tỉnh.",
    )
    Nomination.objects.create(
        year=year,
        school=c,
        recipient=secret,
        award_type=fighter,
        status=NominationStatus.DRAFT,
        achievement_summary=DRAFT_MARK,
    )
    Event.objects.create(
        cluster=cluster,
        year=year,
        kind=EventKind.CONFERENCE,
        title="Hội nghị tổng kết phong trào thi đua năm 2026",
        date=dt.date(2026, 11, 20),
        host_school=a,
        location="Thành phố Hưng Yên",
    )
    earlier = [
        _frozen_year(cluster, "2024", [(b, 1, "92.5"), (a, 2, "90"), (c, 3, "85.25")]),
        _frozen_year(cluster, "2025", [(a, 1, "94"), (c, 2, "91.75"), (b, 3, "88")]),
    ]
    return World(
        cluster=cluster,
        year=year,
        a=a,
        b=b,
        c=c,
        voting_round=voting_round,
        open_round=open_round,
        earlier=earlier,
    )


# --- reading files back ------------------------------------------------------------------------


def flat(text: str) -> str:
    """Whitespace collapsed: line breaks of the layout do not matter to the assertions."""
    return " ".join(text.split())


def pdftotext_or_skip() -> str:
    path = shutil.which("pdftotext")
    if path is None:
        pytest.skip("pdftotext (poppler-utils) is not installed: PDF text cannot be checked")
    return path


def pdf_text(data: bytes) -> str:
    tool = pdftotext_or_skip()
    result = subprocess.run([tool, "-enc", "UTF-8", "-", "-"], input=data, capture_output=True)
    assert result.returncode == 0, result.stderr
    return result.stdout.decode("utf-8")


def docx_text(data: bytes) -> str:
    """Every paragraph of the body, the tables' cells included, in document order."""
    from docx import Document

    document = Document(io.BytesIO(data))
    parts = []
    body = document.element.body
    for paragraph in body.iter("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}p"):
        text = "".join(
            node.text or ""
            for node in paragraph.iter(
                "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}t"
            )
        )
        if text:
            parts.append(text)
    return "\n".join(parts)


def docx_has_picture(data: bytes) -> bool:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return any(name.startswith("word/media/") for name in archive.namelist())
