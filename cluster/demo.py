"""Demo data: Cluster No. 4 (CUM4) through the 2025 merger, a second small cluster (CUM8)
and a demo account for every role. Used by ``python manage.py seed_demo``.

Idempotent: every object is looked up by its natural key and saved only when a field differs
from the demo value, so a second run creates nothing, changes nothing and adds no history.
Passwords are set only when an account is created (a demo user may have changed theirs).

What comes from the public record (DOMAIN.md): the first six schools, the heads of
2017–2018 (Thái Bình), 2019 (Hải Dương), 2021 (Hà Nam, elected on 23/11/2020) and 2022
(Ninh Bình), the 2020–2025 theme and movements, and the 2025 merger. Everything else
(the other members, the other heads, deputies, decision numbers, events, CUM8) is invented,
which the cluster descriptions say.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from datetime import date
from functools import cache

from django.contrib.auth.hashers import make_password
from django.db import models, transaction

from accounts.enums import Role
from accounts.models import User

from .enums import EventKind, HeadingStyle, LeadershipRole, PeriodKind, PhaseKind
from .models import (
    Cluster,
    EmulationYear,
    Event,
    Leadership,
    Membership,
    Movement,
    Phase,
    School,
    SchoolMerge,
)

DEMO_PASSWORD = "demo12345"
DEMO_DOMAIN = "demo.thidua.vn"
ACADEMY = "Học viện Chính trị quốc gia Hồ Chí Minh"
ACADEMY_CAPS = "HỌC VIỆN CHÍNH TRỊ QUỐC GIA HỒ CHÍ MINH"
THEME_2020_2025 = "Đoàn kết – Kỷ cương – Gương mẫu – Sáng tạo – Hiệu quả"

#: Demo seeders of later apps, run in this order after the cluster part when they exist.
EXTENSION_MODULES = ("evaluations.demo", "evaluations.demo_scoring", "awards.demo")

# --- the data --------------------------------------------------------------------------------

CUM4_SCHOOLS = [
    ("BNI", "Trường Chính trị Nguyễn Văn Cừ", "Bắc Ninh"),
    ("HDU", "Trường Chính trị tỉnh Hải Dương", "Hải Dương"),
    ("TBI", "Trường Chính trị tỉnh Thái Bình", "Thái Bình"),
    ("HYE", "Trường Chính trị Nguyễn Văn Linh", "Hưng Yên"),
    ("NBI", "Trường Chính trị tỉnh Ninh Bình", "Ninh Bình"),
    ("HNA", "Trường Chính trị tỉnh Hà Nam", "Hà Nam"),
    ("NDI", "Trường Chính trị Trường Chinh", "Nam Định"),
    ("QNI", "Trường Chính trị tỉnh Quảng Ninh", "Quảng Ninh"),
    ("VPH", "Trường Chính trị tỉnh Vĩnh Phúc", "Vĩnh Phúc"),
]
CUM4_SUCCESSORS = [
    ("HPH", "Trường Chính trị thành phố Hải Phòng", "Hải Phòng"),
    ("PTH", "Trường Chính trị tỉnh Phú Thọ", "Phú Thọ"),
]
CUM4_START = date(2017, 9, 1)
MERGER_DATE = date(2025, 7, 1)
MERGER_LAST_DAY = date(2025, 6, 30)
#: predecessor → successor, from MERGER_DATE.
MERGES = {"HNA": "NBI", "NDI": "NBI", "TBI": "HYE", "HDU": "HPH", "VPH": "PTH"}
MERGE_NOTE = "Sắp xếp đơn vị hành chính cấp tỉnh năm 2025 (dữ liệu minh họa)."

CUM8_SCHOOLS = [
    ("TNG", "Trường Chính trị tỉnh Thái Nguyên", "Thái Nguyên"),
    ("TQU", "Trường Chính trị tỉnh Tuyên Quang", "Tuyên Quang"),
    ("LCA", "Trường Chính trị tỉnh Lào Cai", "Lào Cai"),
    ("CBA", "Trường Chính trị tỉnh Cao Bằng", "Cao Bằng"),
]
CUM8_START = date(2025, 1, 1)

CUM4_DESCRIPTION = (
    "Dữ liệu minh họa (demo). Cụm thi đua số 4 gồm các trường chính trị tỉnh vùng Đồng bằng "
    "sông Hồng. Thành viên ngoài sáu trường đầu tiên là giả định; Cụm trưởng các năm 2020, "
    "2023–2026, các Cụm phó, số quyết định và các hoạt động được tạo ra để minh họa. Từ "
    "01/07/2025 các trường hợp nhất theo tỉnh: Hà Nam, Nam Định → Ninh Bình; Thái Bình → "
    "Hưng Yên; Hải Dương → Hải Phòng; Vĩnh Phúc → Phú Thọ."
)
CUM8_DESCRIPTION = (
    "Dữ liệu minh họa (demo). Cụm thứ hai với các trường giả định, để thấy phần mềm phục vụ "
    "nhiều cụm thi đua."
)


@dataclass(frozen=True)
class YearSpec:
    label: str
    head: str
    deputies: tuple[str, ...]
    theme: str
    decision_number: str
    decision_date: date
    workshop_topic: str
    period_kind: str = PeriodKind.CALENDAR

    @property
    def first_year(self) -> int:
        return int(self.label[:4])

    @property
    def start_date(self) -> date:
        if self.period_kind == PeriodKind.SCHOOL:
            return date(self.first_year, 9, 1)
        return date(self.first_year, 1, 1)

    @property
    def end_date(self) -> date:
        if self.period_kind == PeriodKind.SCHOOL:
            return date(self.first_year + 1, 8, 31)
        return date(self.first_year, 12, 31)


# Deputy of one year = head of the next (the usual rotation); no school heads twice running.
CUM4_YEARS = [
    YearSpec(
        "2017–2018",
        "TBI",
        ("HDU",),
        "Đổi mới, sáng tạo, nâng cao chất lượng đào tạo, bồi dưỡng cán bộ",
        "3851/QĐ-HVCTQG",
        date(2017, 10, 16),
        "Đổi mới phương pháp giảng dạy lý luận chính trị ở trường chính trị tỉnh",
        PeriodKind.SCHOOL,
    ),
    YearSpec(
        "2019",
        "HDU",
        ("QNI",),
        "Đoàn kết, đổi mới, kỷ cương, hiệu quả",
        "125/QĐ-HVCTQG",
        date(2019, 1, 15),
        "Nâng cao chất lượng nghiên cứu khoa học của giảng viên",
    ),
    YearSpec(
        "2020",
        "QNI",
        ("HNA",),
        THEME_2020_2025,
        "412/QĐ-HVCTQG",
        date(2020, 2, 10),
        "Đào tạo, bồi dưỡng trực tuyến trong bối cảnh dịch COVID-19",
    ),
    YearSpec(
        "2021",
        "HNA",
        ("NBI",),
        THEME_2020_2025,
        "236/QĐ-HVCTQG",
        date(2021, 1, 25),
        "Quán triệt Nghị quyết Đại hội XIII của Đảng trong giảng dạy",
    ),
    YearSpec(
        "2022",
        "NBI",
        ("NDI", "VPH"),
        THEME_2020_2025,
        "318/QĐ-HVCTQG",
        date(2022, 2, 8),
        "Xây dựng đội ngũ giảng viên trường chính trị tỉnh đáp ứng yêu cầu chuẩn hóa",
    ),
    YearSpec(
        "2023",
        "NDI",
        ("VPH",),
        THEME_2020_2025,
        "205/QĐ-HVCTQG",
        date(2023, 1, 30),
        "Chuyển đổi số trong đào tạo, bồi dưỡng cán bộ",
    ),
    YearSpec(
        "2024",
        "VPH",
        ("BNI",),
        THEME_2020_2025,
        "187/QĐ-HVCTQG",
        date(2024, 1, 29),
        "Gắn lý luận với thực tiễn trong giảng dạy ở trường chính trị tỉnh",
    ),
    YearSpec(
        "2025",
        "BNI",
        ("HYE",),
        THEME_2020_2025,
        "142/QĐ-HVCTQG",
        date(2025, 1, 22),
        "Trường chính trị tỉnh sau sắp xếp đơn vị hành chính",
    ),
    YearSpec(
        "2026",
        "HYE",
        ("QNI", "HPH"),
        "Đoàn kết – Đổi mới – Chuyển đổi số – Nâng cao chất lượng – Hiệu quả",
        "96/QĐ-HVCTQG",
        date(2026, 1, 20),
        "Nâng cao chất lượng đào tạo, bồi dưỡng trong kỷ nguyên mới",
    ),
]

CUM8_YEARS = [
    YearSpec(
        "2025",
        "TNG",
        ("TQU",),
        THEME_2020_2025,
        "143/QĐ-HVCTQG",
        date(2025, 1, 22),
        "Bồi dưỡng cán bộ cơ sở vùng miền núi phía Bắc",
    ),
    YearSpec(
        "2026",
        "TQU",
        ("LCA", "CBA"),
        "Đoàn kết – Đổi mới – Chuyển đổi số – Nâng cao chất lượng – Hiệu quả",
        "97/QĐ-HVCTQG",
        date(2026, 1, 20),
        "Chuyển đổi số ở trường chính trị tỉnh miền núi",
    ),
]

CUM4_MOVEMENTS = [
    (
        THEME_2020_2025,
        date(2020, 1, 1),
        date(2025, 12, 31),
        "Phong trào thi đua giai đoạn 2020–2025 do Học viện phát động trong hệ thống "
        "các trường chính trị.",
    ),
    (
        "Tập thể kiểu mẫu",
        date(2019, 1, 1),
        date(2025, 12, 31),
        "Xây dựng tập thể kiểu mẫu trong các trường chính trị.",
    ),
    (
        "Cán bộ trường Đảng kiểu mẫu",
        date(2019, 1, 1),
        date(2025, 12, 31),
        "Xây dựng đội ngũ cán bộ, giảng viên trường Đảng gương mẫu, chuẩn mực.",
    ),
    (
        "Cán bộ, công chức, viên chức thực hiện văn hóa công sở",
        date(2019, 1, 1),
        date(2025, 12, 31),
        "Thực hiện văn hóa công sở trong các trường chính trị.",
    ),
]
CUM8_MOVEMENTS = [
    (
        "Chuyển đổi số trong đào tạo, bồi dưỡng",
        date(2025, 1, 1),
        date(2026, 12, 31),
        "Phong trào minh họa của cụm thứ hai.",
    ),
]

# Invented people, one per school account.
REPRESENTATIVE_NAMES = {
    "BNI": "Nguyễn Văn Bắc",
    "HDU": "Trần Thị Hải",
    "TBI": "Phạm Văn Thái",
    "HYE": "Lê Thị Hưng",
    "NBI": "Đinh Văn Ninh",
    "HNA": "Vũ Thị Hà",
    "NDI": "Trần Văn Nam",
    "QNI": "Hoàng Thị Quảng",
    "VPH": "Nguyễn Thị Vĩnh",
    "HPH": "Bùi Văn Phòng",
    "PTH": "Đỗ Thị Thọ",
    "TNG": "Lương Văn Nguyên",
    "TQU": "Ma Thị Tuyên",
    "LCA": "Giàng Văn Lào",
    "CBA": "Nông Thị Bằng",
}

# Phase dates as (month offset from the period start, day); the cycle of DOMAIN.md.
# Calendar year: guidance Jan–Feb, pledge Feb–Mar, mid-year July, report October with a
# final deadline, cross-scoring early November, conference November, proposals December.
PHASES_CALENDAR = {
    PhaseKind.GUIDANCE: ((1, 5), (2, 15), None),
    PhaseKind.PLEDGE: ((2, 16), (3, 31), None),
    PhaseKind.MIDYEAR: ((7, 1), (7, 31), None),
    PhaseKind.REPORT: ((10, 1), (10, 31), (11, 7)),
    PhaseKind.CROSS_SCORING: ((11, 8), (11, 15), None),
    PhaseKind.CONFERENCE: ((11, 16), (11, 30), None),
    PhaseKind.PROPOSALS: ((12, 1), (12, 20), None),
}
# School year (Sep–Aug): the same steps, shifted.
PHASES_SCHOOL = {
    PhaseKind.GUIDANCE: ((9, 5), (10, 15), None),
    PhaseKind.PLEDGE: ((10, 16), (11, 30), None),
    PhaseKind.MIDYEAR: ((2, 1), (2, 28), None),
    PhaseKind.REPORT: ((6, 1), (6, 30), (7, 7)),
    PhaseKind.CROSS_SCORING: ((7, 8), (7, 15), None),
    PhaseKind.CONFERENCE: ((7, 16), (7, 31), None),
    PhaseKind.PROPOSALS: ((8, 1), (8, 20), None),
}


# --- results ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoAccount:
    email: str
    role: str
    where: str
    password: str = DEMO_PASSWORD


@dataclass
class DemoSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    accounts: list[DemoAccount] = field(default_factory=list)


# --- helpers ---------------------------------------------------------------------------------


def _ensure(model: type[models.Model], summary: DemoSummary, *, defaults: dict, **lookup):
    """get-or-create by ``lookup``; set ``defaults`` on an existing object and save it only
    when something differs (``update_or_create`` would save, and add history, every time)."""
    obj = model._default_manager.filter(**lookup).first()
    if obj is None:
        summary.created += 1
        return model._default_manager.create(**lookup, **defaults)
    changed = []
    for name, value in defaults.items():
        model_field = model._meta.get_field(name)
        if model_field.is_relation:
            current = getattr(obj, model_field.attname)
            wanted = value.pk if value is not None else None
        else:
            current = getattr(obj, name)
            wanted = value
        if current != wanted:
            setattr(obj, name, value)
            changed.append(name)
    if changed:
        obj.save(update_fields=changed)
        summary.updated += 1
    else:
        summary.unchanged += 1
    return obj


def _phase_day(spec: YearSpec, month_day: tuple[int, int]) -> date:
    month, day = month_day
    year = spec.first_year
    if spec.period_kind == PeriodKind.SCHOOL and month < 9:
        year += 1
    return date(year, month, day)


def _school_name(schools: dict[str, School], code: str) -> str:
    return schools[code].name


# --- seeding ---------------------------------------------------------------------------------


def _seed_schools(rows, summary: DemoSummary) -> dict[str, School]:
    return {
        code: _ensure(
            School,
            summary,
            code=code,
            defaults={"name": name, "province": province, "is_demo": True},
        )
        for code, name, province in rows
    }


def _seed_year(
    cluster: Cluster, spec: YearSpec, schools: dict[str, School], summary: DemoSummary
) -> EmulationYear:
    year = _ensure(
        EmulationYear,
        summary,
        cluster=cluster,
        label=spec.label,
        defaults={
            "period_kind": spec.period_kind,
            "start_date": spec.start_date,
            "end_date": spec.end_date,
            "theme": spec.theme,
            "description": (
                f"Dữ liệu minh họa (demo). Hướng dẫn thi đua {spec.label} của {ACADEMY}; "
                f"chủ đề: “{spec.theme}”."
            ),
            "recognition_decision_number": spec.decision_number,
            "recognition_decision_date": spec.decision_date,
        },
    )
    phases = PHASES_SCHOOL if spec.period_kind == PeriodKind.SCHOOL else PHASES_CALENDAR
    for kind, (starts, deadline, hard) in phases.items():
        _ensure(
            Phase,
            summary,
            year=year,
            kind=kind,
            defaults={
                "starts_on": _phase_day(spec, starts),
                "deadline": _phase_day(spec, deadline),
                "hard_deadline": _phase_day(spec, hard) if hard else None,
            },
        )
    leaders = {spec.head: LeadershipRole.HEAD} | dict.fromkeys(spec.deputies, LeadershipRole.DEPUTY)
    # Leaders edited by hand are put back (a second head would break the one-head rule).
    stale = Leadership.objects.filter(year=year).exclude(
        school__in=[schools[code] for code in leaders]
    )
    for leader in stale:
        leader.delete()
        summary.updated += 1
    for code, role in leaders.items():
        _ensure(Leadership, summary, year=year, school=schools[code], defaults={"role": role})
    return year


def _seed_events(
    cluster: Cluster,
    year: EmulationYear,
    spec: YearSpec,
    next_head: str | None,
    schools: dict[str, School],
    lesson_host: str,
    summary: DemoSummary,
) -> None:
    head = schools[spec.head]
    deputy = schools[spec.deputies[0]]
    school_year = spec.period_kind == PeriodKind.SCHOOL
    period = f"năm học {spec.label}" if school_year else f"năm {spec.label}"
    lesson_kind = EventKind.MODEL_LESSON if spec.first_year % 2 else EventKind.CLASS_VISIT
    lesson_title = (
        f"Thao giảng giảng viên các trường trong Cụm {period}"
        if lesson_kind == EventKind.MODEL_LESSON
        else f"Dự giờ, trao đổi kinh nghiệm giảng dạy {period}"
    )
    election = (
        f" Bầu {_school_name(schools, next_head)} làm Cụm trưởng năm tiếp theo."
        if next_head
        else ""
    )
    events = [
        (
            EventKind.LAUNCH,
            f"Hội nghị phát động thi đua và ký kết giao ước thi đua {period}",
            _phase_day(spec, (11, 10) if school_year else (3, 10)),
            head,
            "Các trường ký kết giao ước thi đua.",
        ),
        (
            lesson_kind,
            lesson_title,
            _phase_day(spec, (4, 12) if school_year else (5, 14)),
            schools[lesson_host],
            "",
        ),
        (
            EventKind.WORKSHOP,
            f"Sơ kết 6 tháng và hội thảo khoa học “{spec.workshop_topic}”",
            _phase_day(spec, (2, 22) if school_year else (7, 18)),
            deputy,
            "",
        ),
        (
            EventKind.CONFERENCE,
            f"Hội nghị tổng kết công tác thi đua {period}",
            _phase_day(spec, (7, 25) if school_year else (11, 20)),
            head,
            f"Bình xét, bỏ phiếu suy tôn đơn vị dẫn đầu.{election}",
        ),
    ]
    if spec.label == "2020":
        # The record: the 23/11/2020 conference closed 2015–2020 and elected Hà Nam for 2021.
        events[-1] = (
            EventKind.CONFERENCE,
            "Hội nghị tổng kết phong trào thi đua giai đoạn 2015–2020 và công tác thi đua năm 2020",
            date(2020, 11, 23),
            head,
            "Tổng kết 5 năm 2015–2020; bình xét thi đua năm 2020; bầu Trường Chính trị tỉnh "
            "Hà Nam làm Cụm trưởng năm 2021.",
        )
    for kind, title, day, host, description in events:
        _ensure(
            Event,
            summary,
            cluster=cluster,
            year=year,
            kind=kind,
            defaults={
                "title": title,
                "date": day,
                "host_school": host,
                "location": host.province,
                "description": description,
            },
        )


def _seed_movements(cluster: Cluster, rows, summary: DemoSummary) -> None:
    for title, start, end, description in rows:
        _ensure(
            Movement,
            summary,
            cluster=cluster,
            title=title,
            defaults={
                "start_date": start,
                "end_date": end,
                "launched_by": ACADEMY,
                "description": description,
            },
        )


def _seed_cluster_years(
    cluster: Cluster,
    specs: list[YearSpec],
    schools: dict[str, School],
    summary: DemoSummary,
) -> None:
    for index, spec in enumerate(specs):
        year = _seed_year(cluster, spec, schools, summary)
        next_head = specs[index + 1].head if index + 1 < len(specs) else None
        # Model lessons rotate among the members that are neither head nor first deputy.
        candidates = sorted(
            code
            for code in schools
            if code not in (spec.head, spec.deputies[0])
            and Membership.objects.filter(cluster=cluster, school__code=code)
            .active_on(spec.end_date)
            .exists()
        )
        lesson_host = candidates[index % len(candidates)]
        _seed_events(cluster, year, spec, next_head, schools, lesson_host, summary)


def _seed_cum4(summary: DemoSummary) -> tuple[Cluster, dict[str, School]]:
    cluster = _ensure(
        Cluster,
        summary,
        code="CUM4",
        defaults={
            "name": "Cụm thi đua số 4",
            "description": CUM4_DESCRIPTION,
            "superior_body": ACADEMY_CAPS,
            "document_symbol": "CTĐ4",
            "heading_style": HeadingStyle.STATE,
            "is_demo": True,
        },
    )
    schools = _seed_schools(CUM4_SCHOOLS + CUM4_SUCCESSORS, summary)
    for code, _name, _province in CUM4_SCHOOLS:
        _ensure(
            Membership,
            summary,
            cluster=cluster,
            school=schools[code],
            start_date=CUM4_START,
            defaults={"end_date": MERGER_LAST_DAY if code in MERGES else None},
        )
    for code, _name, _province in CUM4_SUCCESSORS:
        _ensure(
            Membership,
            summary,
            cluster=cluster,
            school=schools[code],
            start_date=MERGER_DATE,
            defaults={"end_date": None},
        )
    for predecessor, successor in MERGES.items():
        _ensure(
            SchoolMerge,
            summary,
            predecessor=schools[predecessor],
            defaults={
                "successor": schools[successor],
                "effective_date": MERGER_DATE,
                "note": MERGE_NOTE,
            },
        )
    _seed_cluster_years(cluster, CUM4_YEARS, schools, summary)
    _seed_movements(cluster, CUM4_MOVEMENTS, summary)
    return cluster, schools


def _seed_cum8(summary: DemoSummary) -> tuple[Cluster, dict[str, School]]:
    cluster = _ensure(
        Cluster,
        summary,
        code="CUM8",
        defaults={
            "name": "Cụm thi đua số 8 (demo)",
            "description": CUM8_DESCRIPTION,
            "superior_body": ACADEMY_CAPS,
            "document_symbol": "CTĐ8",
            "heading_style": HeadingStyle.PARTY,
            "is_demo": True,
        },
    )
    schools = _seed_schools(CUM8_SCHOOLS, summary)
    for code in schools:
        _ensure(
            Membership,
            summary,
            cluster=cluster,
            school=schools[code],
            start_date=CUM8_START,
            defaults={"end_date": None},
        )
    _seed_cluster_years(cluster, CUM8_YEARS, schools, summary)
    _seed_movements(cluster, CUM8_MOVEMENTS, summary)
    return cluster, schools


@cache
def _demo_password_hash() -> str:
    # Hashed once per process: the demo password is public, and hashing it for each of
    # the ~20 accounts would make seeding take seconds.
    return make_password(DEMO_PASSWORD)


def _ensure_user(summary: DemoSummary, *, email: str, **fields) -> User:
    fields = {"is_demo": True, "is_staff": False, "is_superuser": False, **fields}
    user = User.objects.filter(email=email).first()
    if user is None:
        summary.created += 1
        user = User.objects.create_user(email, None, **fields)
        user.password = _demo_password_hash()
        user.save(update_fields=["password"])
        return user
    return _ensure(User, summary, email=email, defaults=fields)


def _seed_users(
    summary: DemoSummary,
    cum4: Cluster,
    cum8: Cluster,
    schools: dict[str, School],
) -> list[DemoAccount]:
    def email(local: str) -> str:
        return f"{local}@{DEMO_DOMAIN}"

    accounts: list[DemoAccount] = []
    _ensure_user(
        summary,
        email=email("admin"),
        full_name="Quản trị hệ thống",
        role=Role.ADMIN,
        is_staff=True,
        is_superuser=True,
    )
    accounts.append(DemoAccount(email("admin"), Role.ADMIN.label, "—"))
    for local, cluster, name in (
        ("thuky", cum4, "Nguyễn Thị Thu Trang"),
        ("thuky8", cum8, "Hoàng Văn Minh"),
    ):
        _ensure_user(
            summary,
            email=email(local),
            full_name=name,
            position=f"Thư ký {cluster.name}",
            role=Role.SECRETARIAT,
            cluster=cluster,
        )
        accounts.append(DemoAccount(email(local), Role.SECRETARIAT.label, cluster.code))
    _ensure_user(
        summary,
        email=email("hocvien"),
        full_name="Phạm Quang Huy",
        position="Chuyên viên Ban Thi đua – Khen thưởng, Học viện",
        role=Role.OBSERVER,
    )
    accounts.append(DemoAccount(email("hocvien"), Role.OBSERVER.label, ACADEMY))
    for code, school in schools.items():
        address = email(code.lower())
        _ensure_user(
            summary,
            email=address,
            full_name=REPRESENTATIVE_NAMES[code],
            position=f"Đại diện {school.name}",
            role=Role.REPRESENTATIVE,
            school=school,
        )
        accounts.append(DemoAccount(address, Role.REPRESENTATIVE.label, f"{code} – {school.name}"))
    return accounts


@transaction.atomic
def seed() -> DemoSummary:
    """Create or restore the demo clusters, schools, years and accounts (idempotent)."""
    summary = DemoSummary()
    cum4, cum4_schools = _seed_cum4(summary)
    cum8, cum8_schools = _seed_cum8(summary)
    summary.accounts = _seed_users(summary, cum4, cum8, cum4_schools | cum8_schools)
    return summary


def seed_extensions(modules: tuple[str, ...] | None = None) -> list[str]:
    """Run ``seed()`` of each later app's demo module that exists, in order.

    Only a missing module itself is skipped; an ImportError raised inside an existing module
    is a bug and propagates. Returns the names of the modules that ran."""
    ran = []
    for name in EXTENSION_MODULES if modules is None else modules:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name is None or not (name == exc.name or name.startswith(exc.name + ".")):
                raise
            continue
        module.seed()
        ran.append(name)
    return ran
