"""Demo data of the evaluations app, run by ``seed_demo`` after the cluster demo.

For each year of CUM4: a criteria table (six weighted groups, 19 criteria summing to 100,
bonus cap 5, three deduction reasons) and seven indicators. For past years (up to 2025)
every member's pledge is accepted and its annual report submitted near the report
deadline, with self-scores for every criterion, indicator results, narrative sections and a
small evidence file for each criterion that requires one. For 2026 most pledges are accepted,
one is returned with a comment, one is a draft, and a few reports are drafts. CUM8's 2026
table and indicators come from the same template.

Everything is invented (demo data) and deterministic: figures come from a hash of the
school, year and item, never from randomness. Idempotent: objects are created only when
missing (looked up by their natural keys), existing ones are left as they are, so a second
run changes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import ROUND_HALF_UP, Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from accounts.enums import Role
from accounts.models import User
from cluster.enums import PhaseKind
from cluster.models import Cluster, EmulationYear, Phase, School
from cluster.selectors import members_of_year

from .enums import SubmissionStatus
from .models import (
    AnnualReport,
    CriteriaTable,
    Criterion,
    DeductionReason,
    Evidence,
    Indicator,
    IndicatorResult,
    Pledge,
    PledgeTarget,
    ReportEvent,
    ReportEventKind,
    SelfScore,
)

CURRENT_LABEL = "2026"
SECRETARIAT_EMAIL = "thuky@demo.thidua.vn"

#: (code, title, max points or None for a group, evidence required, guidance)
TABLE = [
    ("1", "Công tác đào tạo, bồi dưỡng", None, False, ""),
    ("1.1", "Hoàn thành kế hoạch đào tạo trung cấp lý luận chính trị", 8, False,
     "Số lớp, số học viên so với kế hoạch được giao."),
    ("1.2", "Hoàn thành kế hoạch bồi dưỡng cán bộ, công chức, viên chức", 7, False, ""),
    ("1.3", "Đổi mới nội dung, phương pháp giảng dạy", 5, True,
     "Minh chứng: kế hoạch, báo cáo đổi mới phương pháp, bài giảng điện tử."),
    ("1.4", "Quản lý đào tạo và công tác học viên", 5, False, ""),
    ("2", "Nghiên cứu khoa học và ứng dụng", None, False, ""),
    ("2.1", "Đề tài khoa học các cấp được nghiệm thu", 8, True,
     "Minh chứng: quyết định nghiệm thu đề tài."),
    ("2.2", "Hội thảo, tọa đàm khoa học", 6, False, ""),
    ("2.3", "Sáng kiến và ứng dụng kết quả nghiên cứu", 6, False, ""),
    ("3", "Xây dựng đội ngũ", None, False, ""),
    ("3.1", "Chuẩn hóa đội ngũ giảng viên", 5, False, ""),
    ("3.2", "Giảng viên đi thực tế, thao giảng, dự giờ", 5, False, ""),
    ("3.3", "Bồi dưỡng nâng cao trình độ cán bộ, giảng viên", 5, False, ""),
    ("4", "Công tác Đảng, đoàn thể", None, False, ""),
    ("4.1", "Xây dựng tổ chức đảng trong sạch, vững mạnh", 6, False, ""),
    ("4.2", "Hoạt động công đoàn, đoàn thanh niên", 4, False, ""),
    ("4.3", "Thực hiện quy chế dân chủ, văn hóa công sở", 5, False, ""),
    ("5", "Cơ sở vật chất, chuyển đổi số", None, False, ""),
    ("5.1", "Quản lý, sử dụng cơ sở vật chất", 5, False, ""),
    ("5.2", "Ứng dụng công nghệ thông tin, chuyển đổi số", 6, False, ""),
    ("5.3", "Thư viện, tài liệu phục vụ giảng dạy, học tập", 4, False, ""),
    ("6", "Công tác thi đua, khen thưởng", None, False, ""),
    ("6.1", "Tổ chức phong trào thi đua của đơn vị", 4, False, ""),
    ("6.2", "Tham gia các hoạt động chung của Cụm", 3, False, ""),
    ("6.3", "Báo cáo đầy đủ, đúng thời hạn", 3, False, ""),
]  # fmt: skip
BONUS_CAP = Decimal("5")
DEDUCTIONS = [
    ("Nộp báo cáo chậm so với thời hạn", Decimal("2")),
    ("Không tham gia hoạt động chung của Cụm không có lý do", Decimal("3")),
    ("Có cán bộ, giảng viên bị kỷ luật từ khiển trách trở lên", Decimal("5")),
]
#: (code, name, unit, typical range of a school's target)
INDICATORS = [
    ("LOP", "Lớp đào tạo, bồi dưỡng", "lớp", (35, 80)),
    ("HV", "Học viên", "lượt người", (1800, 5200)),
    ("DT", "Đề tài nghiên cứu khoa học các cấp", "đề tài", (3, 12)),
    ("SK", "Sáng kiến được công nhận", "sáng kiến", (4, 18)),
    ("HT", "Hội thảo, tọa đàm khoa học", "cuộc", (2, 7)),
    ("TG", "Bài giảng thao giảng, bài giảng mẫu", "bài", (4, 14)),
    ("DG", "Lượt dự giờ giảng viên", "lượt", (20, 70)),
]

TITLES = [
    "Tập thể lao động xuất sắc; Cờ thi đua của Học viện Chính trị quốc gia Hồ Chí Minh",
    "Tập thể lao động xuất sắc; Bằng khen của Giám đốc Học viện",
    "Tập thể lao động tiên tiến; Bằng khen của Giám đốc Học viện",
    "Tập thể lao động xuất sắc; Cờ thi đua của Chính phủ",
]
RETURN_COMMENT = (
    "Đề nghị nhà trường bổ sung chỉ tiêu số đề tài nghiên cứu khoa học và làm rõ cam kết "
    "về chuyển đổi số trong đào tạo, bồi dưỡng."
)
# A minimal one-page PDF: detected as application/pdf by its content.
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


# --- deterministic figures -------------------------------------------------------------------


def _unit(*parts: object) -> float:
    """A number in [0, 1) fixed by ``parts``."""
    digest = hashlib.sha256("|".join(str(p) for p in parts).encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def _between(low: int, high: int, *parts: object) -> int:
    return low + int(_unit(*parts) * (high - low + 1))


def _strength(school: School) -> float:
    """How well a school does, 0.78–0.95, the same every year."""
    return 0.78 + 0.17 * _unit("strength", school.code)


def _self_score(school: School, year: EmulationYear, code: str, maximum: Decimal) -> Decimal:
    share = _strength(school) + (_unit("score", school.code, year.label, code) - 0.5) * 0.16
    share = min(max(share, 0.55), 1.0)
    quarters = (maximum * Decimal(str(share)) * 4).quantize(Decimal("1"), ROUND_HALF_UP)
    return min(quarters / 4, maximum).quantize(Decimal("0.01"))


def _target(school: School, year: EmulationYear, code: str, low: int, high: int) -> Decimal:
    return Decimal(_between(low, high, "target", school.code, year.label, code))


def _actual(target: Decimal, school: School, year: EmulationYear, code: str) -> Decimal:
    share = 0.95 + 0.25 * _unit("actual", school.code, year.label, code)
    return (target * Decimal(str(share))).quantize(Decimal("1"), ROUND_HALF_UP)


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


# --- texts -----------------------------------------------------------------------------------


def _period(year: EmulationYear) -> str:
    return f"năm học {year.label}" if "–" in year.label else f"năm {year.label}"


def _commitments(school: School, year: EmulationYear) -> str:
    return (
        f"{school.name} cam kết thực hiện tốt nhiệm vụ chính trị {_period(year)}:\n"
        "- Hoàn thành 100% kế hoạch đào tạo, bồi dưỡng được giao, bảo đảm chất lượng.\n"
        "- Đổi mới nội dung, phương pháp giảng dạy gắn lý luận với thực tiễn địa phương.\n"
        "- Đẩy mạnh nghiên cứu khoa học, ứng dụng công nghệ thông tin và chuyển đổi số.\n"
        "- Tham gia đầy đủ, có chất lượng các hoạt động chung của Cụm thi đua."
    )


def _titles(school: School, year: EmulationYear) -> str:
    return TITLES[_between(0, len(TITLES) - 1, "titles", school.code, year.label)]


def _sections(school: School, year: EmulationYear, targets: dict[str, Decimal]) -> dict:
    period = _period(year)
    return {
        "results": (
            f"Trong {period}, {school.name} đã mở {targets.get('LOP', 0)} lớp đào tạo, bồi "
            f"dưỡng với khoảng {targets.get('HV', 0)} lượt học viên; hoàn thành "
            f"{targets.get('DT', 0)} đề tài khoa học các cấp và tổ chức {targets.get('HT', 0)} "
            "hội thảo, tọa đàm. Đội ngũ giảng viên tích cực đi thực tế, thao giảng, dự giờ; "
            "công tác Đảng, đoàn thể được giữ vững; cơ sở vật chất được tăng cường, ứng dụng "
            "công nghệ thông tin trong quản lý đào tạo có chuyển biến rõ nét. (Dữ liệu minh họa.)"
        ),
        "limitations": (
            "Một số đề tài khoa học chậm tiến độ nghiệm thu; việc ứng dụng kết quả nghiên cứu "
            "vào thực tiễn địa phương còn hạn chế. Nguyên nhân chủ yếu do đội ngũ giảng viên "
            "còn mỏng, vừa giảng dạy vừa nghiên cứu."
        ),
        "lessons": (
            "Phát huy vai trò lãnh đạo của cấp ủy, sự đồng thuận của tập thể; gắn phong trào "
            "thi đua với nhiệm vụ chính trị trọng tâm; thường xuyên sơ kết, tổng kết, nhân rộng "
            "điển hình tiên tiến."
        ),
        "directions": (
            "Tiếp tục đổi mới phương pháp giảng dạy, nâng cao chất lượng nghiên cứu khoa học, "
            "đẩy mạnh chuyển đổi số và xây dựng đội ngũ cán bộ, giảng viên đáp ứng yêu cầu "
            "nhiệm vụ trong giai đoạn mới."
        ),
    }


# --- seeding ---------------------------------------------------------------------------------


def _seed_table(year: EmulationYear) -> dict[str, Criterion]:
    """The template table and indicators of ``year``; missing rows are added."""
    table, _created = CriteriaTable.objects.get_or_create(
        year=year,
        defaults={
            "bonus_cap": BONUS_CAP,
            "note": "Dữ liệu minh họa (demo): bảng tiêu chí mẫu, thang điểm 100.",
        },
    )
    existing = {c.code: c for c in Criterion.objects.filter(table=table)}
    groups = [
        Criterion(
            table=table,
            code=code,
            title=title,
            guidance=guidance,
            evidence_required=evidence,
            order=index,
        )
        for index, (code, title, points, evidence, guidance) in enumerate(TABLE, start=1)
        if points is None and code not in existing
    ]
    for group in Criterion.objects.bulk_create(groups):
        existing[group.code] = group
    criteria = [
        Criterion(
            table=table,
            parent=existing[code.split(".")[0]],
            code=code,
            title=title,
            guidance=guidance,
            max_points=Decimal(points),
            evidence_required=evidence,
            order=index,
        )
        for index, (code, title, points, evidence, guidance) in enumerate(TABLE, start=1)
        if points is not None and code not in existing
    ]
    for criterion in Criterion.objects.bulk_create(criteria):
        existing[criterion.code] = criterion
    titles = set(DeductionReason.objects.filter(table=table).values_list("title", flat=True))
    DeductionReason.objects.bulk_create(
        DeductionReason(table=table, title=title, points=points, order=index)
        for index, (title, points) in enumerate(DEDUCTIONS, start=1)
        if title not in titles
    )
    codes = set(Indicator.objects.filter(year=year).values_list("code", flat=True))
    Indicator.objects.bulk_create(
        Indicator(year=year, code=code, name=name, unit=unit, order=index)
        for index, (code, name, unit, _range) in enumerate(INDICATORS, start=1)
        if code not in codes
    )
    return existing


def _people(year: EmulationYear) -> tuple[dict[int, User], User | None]:
    representatives = {}
    for user in User.objects.filter(role=Role.REPRESENTATIVE, is_demo=True).order_by("pk"):
        representatives.setdefault(user.school_id, user)
    secretariat = User.objects.filter(email=SECRETARIAT_EMAIL).first()
    if secretariat is not None and secretariat.cluster_id != year.cluster_id:
        secretariat = None
    return representatives, secretariat


def _phase_dates(year: EmulationYear, kind: str) -> tuple[dt.date, dt.date]:
    phase = Phase.objects.filter(year=year, kind=kind).first()
    if phase is not None:
        return phase.starts_on, phase.deadline
    return year.start_date, year.start_date + dt.timedelta(days=60)


def _seed_pledges(
    year: EmulationYear,
    schools: list[School],
    states: dict[str, str],
    representatives: dict[int, User],
    secretariat: User | None,
) -> None:
    """Pledges of ``schools`` that have none yet, in the state ``states`` gives (accepted by
    default)."""
    present = set(Pledge.objects.filter(year=year).values_list("school_id", flat=True))
    indicators = list(Indicator.objects.filter(year=year).order_by("order"))
    ranges = {code: (low, high) for code, _n, _u, (low, high) in INDICATORS}
    _start, deadline = _phase_dates(year, PhaseKind.PLEDGE)
    new = []
    for school in schools:
        if school.pk in present:
            continue
        state = states.get(school.code, SubmissionStatus.ACCEPTED)
        submitted_day = deadline - dt.timedelta(
            days=_between(1, 12, "pledge", school.code, year.label)
        )
        pledge = Pledge(
            year=year,
            school=school,
            status=state,
            commitments=_commitments(school, year),
            registered_titles=_titles(school, year),
        )
        if state != SubmissionStatus.DRAFT:
            pledge.submitted_at = _at(submitted_day, 9, _between(0, 59, "m", school.code))
            pledge.submitted_by = representatives.get(school.pk)
            pledge.reviewed_at = _at(submitted_day + dt.timedelta(days=3), 14)
            pledge.reviewed_by = secretariat
        if state == SubmissionStatus.RETURNED:
            pledge.return_comment = RETURN_COMMENT
        new.append(pledge)
    targets = []
    for pledge in Pledge.objects.bulk_create(new):
        for index, indicator in enumerate(indicators):
            if pledge.status == SubmissionStatus.DRAFT and index >= 3:
                break  # a draft half filled in
            low, high = ranges.get(indicator.code, (1, 10))
            targets.append(
                PledgeTarget(
                    pledge=pledge,
                    indicator=indicator,
                    target=_target(pledge.school, year, indicator.code, low, high),
                )
            )
    PledgeTarget.objects.bulk_create(targets)


def _seed_reports(
    year: EmulationYear,
    schools: list[School],
    criteria: dict[str, Criterion],
    representatives: dict[int, User],
    *,
    submitted: bool,
) -> None:
    """Reports of ``schools`` that have none yet: submitted with everything, or drafts with
    the first groups scored."""
    present = set(AnnualReport.objects.filter(year=year).values_list("school_id", flat=True))
    indicators = list(Indicator.objects.filter(year=year).order_by("order"))
    targets = {
        (t.pledge.school_id, t.indicator_id): t.target
        for t in PledgeTarget.objects.filter(pledge__year=year).select_related("pledge")
    }
    _start, deadline = _phase_dates(year, PhaseKind.REPORT)
    scored = sorted((c for c in criteria.values() if not c.is_group), key=lambda c: c.order)
    created: list[AnnualReport] = []
    actuals: dict[int, dict[str, Decimal]] = {}
    for school in schools:
        if school.pk in present:
            continue
        by_code = {i.code: targets.get((school.pk, i.pk)) or Decimal("0") for i in indicators}
        actual = {code: _actual(value, school, year, code) for code, value in by_code.items()}
        report = AnnualReport(year=year, school=school, **_sections(school, year, actual))
        if submitted:
            late = _unit("late", school.code, year.label) < 0.1
            offset = 2 if late else -_between(0, 5, "report", school.code, year.label)
            report.status = SubmissionStatus.SUBMITTED
            report.submitted_at = _at(deadline + dt.timedelta(days=offset), 16, 30)
            report.submitted_by = representatives.get(school.pk)
            report.is_late = late
            report.version = 1
        else:
            report.limitations = report.lessons = report.directions = ""
        created.append(report)
        actuals[school.pk] = actual
    created = AnnualReport.objects.bulk_create(created)
    scores, results, evidence = [], [], []
    for report in created:
        school = report.school
        for criterion in scored:
            if not submitted and not criterion.code.startswith(("1.", "2.")):
                continue
            scores.append(
                SelfScore(
                    report=report,
                    criterion=criterion,
                    points=_self_score(school, year, criterion.code, criterion.max_points),
                    explanation="Tự đánh giá theo kết quả thực hiện (dữ liệu minh họa).",
                )
            )
            if submitted and criterion.evidence_required:
                evidence.append(_evidence(report, criterion, representatives.get(school.pk)))
        for index, indicator in enumerate(indicators):
            if not submitted and index >= 4:
                break
            results.append(
                IndicatorResult(
                    report=report, indicator=indicator, actual=actuals[school.pk][indicator.code]
                )
            )
    SelfScore.objects.bulk_create(scores)
    IndicatorResult.objects.bulk_create(results)
    Evidence.objects.bulk_create(evidence)
    if submitted:
        ReportEvent.objects.bulk_create(_submission_event(report) for report in created)


def _evidence(report: AnnualReport, criterion: Criterion, by: User | None) -> Evidence:
    """A small PDF stored under MEDIA_ROOT like an upload (random name)."""
    name = f"minh-chung-{criterion.code}-{report.school.code}.pdf"
    evidence = Evidence(
        report=report,
        criterion=criterion,
        original_name=name,
        content_type="application/pdf",
        size=len(DEMO_PDF),
        description=f"Minh chứng tiêu chí {criterion.code} (dữ liệu minh họa)",
        uploaded_by=by,
    )
    evidence.file.save(name, ContentFile(DEMO_PDF), save=False)
    return evidence


def _submission_event(report: AnnualReport) -> ReportEvent:
    """The submission event the report pages show, with the snapshot they compare (taken
    once the report's scores, results and evidence are stored)."""
    from .selectors_reports import report_snapshot

    return ReportEvent(
        report=report,
        kind=ReportEventKind.SUBMITTED,
        version=report.version,
        at=report.submitted_at,
        by=report.submitted_by,
        is_late=report.is_late,
        snapshot=report_snapshot(report),
    )


def _seed_year(year: EmulationYear) -> None:
    criteria = _seed_table(year)
    members = list(members_of_year(year))
    representatives, secretariat = _people(year)
    if year.label == CURRENT_LABEL:
        codes = [s.code for s in members]
        states = {}
        if len(codes) >= 3:
            states = {codes[-2]: SubmissionStatus.RETURNED, codes[-1]: SubmissionStatus.DRAFT}
        _seed_pledges(year, members, states, representatives, secretariat)
        _seed_reports(year, members[:3], criteria, representatives, submitted=False)
        return
    _seed_pledges(year, members, {}, representatives, secretariat)
    _seed_reports(year, members, criteria, representatives, submitted=True)


@transaction.atomic
def seed() -> None:
    """Create the evaluations demo data of CUM4 (every year) and CUM8 (2026's table)."""
    cum4 = Cluster.objects.filter(code="CUM4").first()
    if cum4 is None:
        return
    for year in EmulationYear.objects.filter(cluster=cum4).select_related("cluster"):
        _seed_year(year)
    cum8_year = (
        EmulationYear.objects.filter(cluster__code="CUM8", label=CURRENT_LABEL)
        .select_related("cluster")
        .first()
    )
    if cum8_year is not None:
        _seed_table(cum8_year)
