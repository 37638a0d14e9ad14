"""Demo data for the award catalogue, achievement histories and nominations (idempotent).

Called by awards.demo.seed (``python manage.py seed_demo``) after the cluster demo. Does
nothing when cluster CUM4 does not exist. Everything here is demo data (names, decision
numbers and dates are invented):

- the award catalogue (awards.catalogue_data);
- achievement history 2019–2025 of CUM4 schools, some units and people, with one revoked
  decision (Hải Dương, CSTĐCS 2021);
- nominations of 2023–2024 as they went (decided, one refused), written as history;
- the 2025 proposals through the real workflow (services of this app and of the voting
  rounds): submitted, published, voted at the conference, then forwarded when the dossier
  is complete (one decided) or left approved;
- 2026 drafts and submitted ones (submitted through the service, so their eligibility is
  the real check).

Rows are matched on natural keys and only missing ones are created, so running it again
changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from .eligibility import checks_to_json
from .enums import NominationStatus as S
from .enums import RecipientKind, RoundKind
from .rules_nominations import can

UNITS = [
    "Khoa Lý luận cơ sở",
    "Khoa Nhà nước và pháp luật",
    "Khoa Xây dựng Đảng",
    "Phòng Đào tạo",
    "Phòng Quản lý khoa học",
    "Phòng Tổ chức – Hành chính",
]
POSITIONS = ["Giảng viên chính", "Giảng viên", "Trưởng khoa", "Phó Trưởng phòng", "Chuyên viên"]
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô"]
MIDDLE = ["Văn", "Thị", "Đức", "Minh", "Thu", "Quang", "Hồng", "Thanh"]
GIVEN = [
    "An",
    "Bình",
    "Cường",
    "Dung",
    "Giang",
    "Hà",
    "Hải",
    "Hạnh",
    "Hùng",
    "Lan",
    "Long",
    "Mai",
    "Nam",
    "Phương",
    "Quân",
    "Sơn",
    "Tâm",
    "Thảo",
]
#: People per school (HYE has enough LĐTT for two CSTĐCS a year under the 15% quota).
STAFF = {"HYE": 14, "BNI": 4, "NBI": 4, "HDU": 3, "TBI": 3, "QNI": 3, "HNA": 2, "NDI": 2, "VPH": 2}
#: (school, person index) → years with CSTĐCS.
CSTDCS_YEARS = {
    ("HYE", 0): range(2020, 2023),
    ("HYE", 1): range(2022, 2025),
    ("HYE", 2): range(2023, 2026),
    ("HYE", 3): (2024, 2025),
    ("BNI", 0): range(2023, 2026),
    ("NBI", 0): (2021, 2022, 2024),
    ("HDU", 0): (2020, 2021, 2022),
    ("TBI", 0): (2023,),
    ("QNI", 0): (2022, 2023),
}
REVOKED = ("HDU", 0, "CSTDCS", 2021)
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


@dataclass
class _World:
    cluster: object
    schools: dict
    years: dict
    types: dict
    people: dict  # (school code, index) → Recipient
    wholes: dict  # school code → Recipient (the whole school)


def _person_name(code: str, index: int) -> str:
    seed = sum(ord(c) for c in code) + index * 7
    return (
        f"{SURNAMES[seed % len(SURNAMES)]} {MIDDLE[(seed // 3 + index) % len(MIDDLE)]} "
        f"{GIVEN[(seed + index * 5) % len(GIVEN)]}"
    )


def _recipients(world: _World) -> None:
    from .models import Recipient

    for code, count in STAFF.items():
        school = world.schools.get(code)
        if school is None:
            continue
        whole, _ = Recipient.objects.get_or_create(
            school=school,
            kind=RecipientKind.COLLECTIVE,
            name=school.name,
            unit="",
            defaults={"is_whole_school": True},
        )
        world.wholes[code] = whole
        for index in range(count):
            person, _ = Recipient.objects.get_or_create(
                school=school,
                kind=RecipientKind.INDIVIDUAL,
                name=_person_name(code, index),
                unit=UNITS[index % len(UNITS)],
                defaults={"position": POSITIONS[index % len(POSITIONS)]},
            )
            world.people[(code, index)] = person


def _history(world: _World) -> None:
    """Decisions 2019–2025 (LĐTT for everyone; CSTĐCS for some; collective titles)."""
    from .models import Achievement

    types = world.types
    wanted: list[tuple] = []  # (recipient, type code, year, number, decision date, issuer)
    for (code, index), person in world.people.items():
        last = 2025 if code in ("HYE", "BNI", "NBI", "QNI") else 2024
        for year in range(2019, last + 1):
            wanted.append((person, "LDTT", year, f"{20 + index}/QĐ-{code}", date(year, 12, 20)))
        for year in CSTDCS_YEARS.get((code, index), ()):
            wanted.append((person, "CSTDCS", year, f"{60 + index}/QĐ-{code}", date(year, 12, 22)))
    for code, whole in world.wholes.items():
        for year in range(2019, 2025):
            wanted.append(
                (whole, "TT_LDTT", year, f"{10 + year % 10}/QĐ-{code}", date(year, 12, 18))
            )
        if code in ("HYE", "NBI", "BNI"):
            for year in (2021, 2023):
                wanted.append(
                    (whole, "TT_LDXS", year, f"{300 + year % 10}/QĐ-HVCTQG", date(year + 1, 1, 25))
                )
        if code in ("HDU", "QNI"):
            wanted.append((whole, "BK_HV_TT", 2022, "512/QĐ-HVCTQG", date(2023, 1, 30)))
    # LĐTT of 2026 for HYE: decided by the school at its year-end review (November).
    for index in range(STAFF["HYE"]):
        person = world.people.get(("HYE", index))
        if person is not None:
            wanted.append((person, "LDTT", 2026, "145/QĐ-HYE", date(2026, 11, 20)))
    # Revoked ones included: a revoked decision is not recreated on the next run.
    existing = set(
        Achievement.objects.filter(recipient__in={w[0].pk for w in wanted}).values_list(
            "recipient_id", "award_type_id", "period_year"
        )
    )
    new = []
    for recipient, type_code, year, number, day in wanted:
        award_type = types[type_code]
        if (recipient.pk, award_type.pk, year) in existing:
            continue
        existing.add((recipient.pk, award_type.pk, year))
        new.append(
            Achievement(
                recipient=recipient,
                award_type=award_type,
                period_year=year,
                period_label=str(year),
                decision_number=number,
                decision_date=day,
                issuer=award_type.issuer,
            )
        )
    Achievement.objects.bulk_create(new)
    code, index, type_code, year = REVOKED
    person = world.people.get((code, index))
    if person is not None:
        Achievement.objects.filter(
            recipient=person,
            award_type=types[type_code],
            period_year=year,
            revoked_at__isnull=True,
        ).update(
            revoked_at=date(2022, 9, 15),
            revoke_reason=(
                "Sáng kiến làm căn cứ không được công nhận lại sau kiểm tra (dữ liệu minh họa)."
            ),
            revoke_reference="87/QĐ-TCT",
        )


def _aware(day: date, hour: int = 9) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _historic(
    world: _World,
    *,
    school_code: str,
    recipient,
    type_code: str,
    year_label: str,
    steps: list[tuple[str, date, str]],
    decision: tuple[str, date] | None = None,
    summary: str,
    **fields,
):
    """A nomination of a past year written as it went: its steps with their dates, and its
    decision (an Achievement linked to it)."""
    from .models import Achievement, Nomination, NominationEvent

    year = world.years.get(year_label)
    if year is None or recipient is None:
        return None
    award_type = world.types[type_code]
    existing = Nomination.objects.filter(
        recipient=recipient, award_type=award_type, year=year
    ).first()
    if existing is not None:
        return existing
    final = steps[-1][0]
    nomination = Nomination(
        year=year,
        school=world.schools[school_code],
        recipient=recipient,
        award_type=award_type,
        status=final,
        achievement_summary=summary,
        achievement_report_certified=final in (S.FORWARDED, S.DECIDED, S.REFUSED),
        submitted_at=_aware(steps[1][1]) if len(steps) > 1 else None,
        **fields,
    )
    if decision:
        nomination.decision_number, nomination.decision_date = decision
    if final == S.REFUSED:
        nomination.refusal_reason = (
            "Chưa đủ tỷ lệ phiếu tín nhiệm theo quy định (dữ liệu minh họa)."
        )
    nomination.achievement_report.save("report.pdf", ContentFile(DEMO_PDF), save=False)
    nomination.achievement_report_name = "Bao-cao-thanh-tich.pdf"
    nomination.save()
    from .selectors_nominations import eligibility_checks

    # As it was judged when submitted, under the rule in force on its decision date.
    judged = decision[1] if decision else date(year.end_date.year, 12, 15)
    nomination.eligibility = checks_to_json(eligibility_checks(nomination, judged))
    nomination.save(update_fields=["eligibility"])
    previous = ""
    for status, day, comment in steps:
        event = NominationEvent.objects.create(
            nomination=nomination, from_status=previous, to_status=status, comment=comment
        )
        NominationEvent.objects.filter(pk=event.pk).update(at=_aware(day))
        previous = status
    if decision and final == S.DECIDED:
        from .selectors_nominations import period_year_of

        period = period_year_of(year)
        if not Achievement.objects.filter(
            recipient=recipient, award_type=award_type, period_year=period, revoked_at__isnull=True
        ).exists():
            Achievement.objects.create(
                recipient=recipient,
                award_type=award_type,
                period_year=period,
                period_label=year.label,
                decision_number=decision[0],
                decision_date=decision[1],
                issuer=award_type.issuer,
                nomination=nomination,
            )
    return nomination


def _steps(year: int, final: str) -> list[tuple[str, date, str]]:
    """The usual path of a proposal of ``year`` up to ``final``."""
    path = [
        (S.DRAFT, date(year, 10, 20), ""),
        (S.SUBMITTED, date(year, 11, 2), ""),
        (S.PUBLISHED, date(year, 11, 5), f"Lấy ý kiến đến {date(year, 11, 12):%d/%m/%Y}."),
        (S.VOTED, date(year, 11, 20), f"Hội nghị tổng kết năm {year}"),
        (S.APPROVED, date(year, 11, 20), "Đạt tỷ lệ phiếu theo quy định."),
        (S.FORWARDED, date(year, 12, 5), ""),
    ]
    if final == S.APPROVED:
        return path[:5]
    if final == S.FORWARDED:
        return path
    if final == S.DECIDED:
        return [*path, (S.DECIDED, date(year + 1, 1, 20), "")]
    if final == S.REFUSED:
        return [*path, (S.REFUSED, date(year + 1, 1, 20), "")]
    raise ValueError(final)


def _past_years(world: _World) -> None:
    people, wholes = world.people, world.wholes
    summary_person = (
        "Hoàn thành xuất sắc nhiệm vụ giảng dạy và nghiên cứu khoa học; chủ nhiệm đề tài cấp "
        "tỉnh; có sáng kiến được Hội đồng khoa học công nhận (dữ liệu minh họa)."
    )
    summary_school = (
        "Hoàn thành xuất sắc nhiệm vụ đào tạo, bồi dưỡng cán bộ; dẫn đầu phong trào thi đua "
        "của Cụm (dữ liệu minh họa)."
    )
    _historic(
        world,
        school_code="HYE",
        recipient=people.get(("HYE", 0)),
        type_code="CSTD_BO",
        year_label="2023",
        steps=_steps(2023, S.DECIDED),
        decision=("1205/QĐ-HVCTQG", date(2024, 1, 20)),
        summary=summary_person,
        initiative="Đổi mới phương pháp giảng dạy học phần Xây dựng Đảng",
    )
    _historic(
        world,
        school_code="BNI",
        recipient=wholes.get("BNI"),
        type_code="CO_HV",
        year_label="2024",
        steps=_steps(2024, S.DECIDED),
        decision=("1432/QĐ-HVCTQG", date(2025, 1, 20)),
        summary=summary_school,
    )
    _historic(
        world,
        school_code="NBI",
        recipient=wholes.get("NBI"),
        type_code="BK_HV_TT",
        year_label="2024",
        steps=_steps(2024, S.DECIDED),
        decision=("1433/QĐ-HVCTQG", date(2025, 1, 20)),
        summary=summary_school,
    )
    _historic(
        world,
        school_code="TBI",
        recipient=people.get(("TBI", 0)),
        type_code="BK_HV_CN",
        year_label="2024",
        steps=_steps(2024, S.REFUSED),
        summary=summary_person,
    )


def _representative(school):
    from accounts.enums import Role
    from accounts.models import User

    return User.objects.filter(school=school, role=Role.REPRESENTATIVE, is_active=True).first()


def _draft_2026(world: _World, school_code: str, recipient, type_code: str, **fields):
    """A 2026 draft, saved through the service by the school's demo representative (or
    written directly when there is none)."""
    from .models import Nomination
    from .services.nominations import save_nomination

    year = world.years.get("2026")
    school = world.schools.get(school_code)
    if year is None or school is None or recipient is None:
        return None
    award_type = world.types[type_code]
    existing = Nomination.objects.filter(
        recipient=recipient, award_type=award_type, year=year
    ).first()
    if existing is not None:
        return None
    nomination = Nomination(
        year=year, school=school, recipient=recipient, award_type=award_type, **fields
    )
    report = ContentFile(DEMO_PDF, name="Bao-cao-thanh-tich.pdf")
    rep = _representative(school)
    if rep is not None and can(rep, "awards.propose_nomination", year):
        return save_nomination(nomination=nomination, by=rep, achievement_report=report)
    nomination.achievement_report.save("report.pdf", report, save=False)
    nomination.save()
    return None


def _submit(nomination) -> None:
    from django.core.exceptions import PermissionDenied, ValidationError

    from .services.nominations import submit_nomination

    if nomination is None:
        return
    try:
        with transaction.atomic():
            submit_nomination(
                nomination=nomination,
                by=_representative(nomination.school),
                on=date(2026, 12, 15),
            )
    except (ValidationError, PermissionDenied):
        return  # a demo nomination that does not pass stays a draft


def _year_2026(world: _World) -> None:
    people, wholes = world.people, world.wholes
    summary = "Hoàn thành xuất sắc nhiệm vụ năm 2026 (dữ liệu minh họa)."
    initiative = "Sáng kiến: xây dựng ngân hàng câu hỏi trắc nghiệm trực tuyến"
    for index in (1, 2):  # two CSTĐCS within HYE's quota (15% of 14 LĐTT = 2)
        _submit(
            _draft_2026(
                world,
                "HYE",
                people.get(("HYE", index + 2)),
                "CSTDCS",
                achievement_summary=summary,
                initiative=initiative,
            )
        )
    # A third CSTĐCS stays a draft: the page says why (the quota is used up).
    _draft_2026(
        world,
        "HYE",
        people.get(("HYE", 5)),
        "CSTDCS",
        achievement_summary=summary,
        initiative=initiative,
    )
    # Ministry-level fighter: CSTĐCS 2023, 2024 and 2025 held.
    _submit(
        _draft_2026(
            world,
            "BNI",
            people.get(("BNI", 0)),
            "CSTD_BO",
            achievement_summary=summary,
            initiative=initiative,
        )
    )
    _submit(_draft_2026(world, "BNI", wholes.get("BNI"), "BK_HV_TT", achievement_summary=summary))
    _draft_2026(
        world,
        "NBI",
        wholes.get("NBI"),
        "TT_LDXS",
        achievement_summary=summary,
        members_total=51,
        members_completed=51,
        members_good_or_excellent=40,
        members_with_title=2,
        members_disciplined=0,
    )
    _draft_2026(
        world, "NBI", people.get(("NBI", 0)), "CSTD_BO", achievement_summary=summary
    )  # draft: CSTĐCS 2023 and 2025 are missing, and no initiative.


def _dossier_2025(world: _World) -> None:
    from .models.nominations import DossierDocument, DossierKind

    year = world.years.get("2025")
    if year is None:
        return
    for kind, number, day in (
        (DossierKind.SUBMISSION, "25/TTr-CTĐ4", date(2025, 12, 1)),
        (DossierKind.MINUTES, "24/BB-CTĐ4", date(2025, 11, 20)),
    ):
        if DossierDocument.objects.filter(year=year, kind=kind).exists():
            continue
        document = DossierDocument(year=year, kind=kind, number=number, date=day)
        document.file.save("document.pdf", ContentFile(DEMO_PDF), save=False)
        document.file_name = f"{number.replace('/', '-')}.pdf"
        document.save()


def _secretariat(world: _World):
    from accounts.enums import Role
    from accounts.models import User

    return User.objects.filter(role=Role.SECRETARIAT, cluster=world.cluster, is_active=True).first()


def _propose(world: _World, label: str, school_code: str, recipient, type_code: str, **fields):
    """A nomination of ``label`` written by the school's demo representative (service)."""
    from .models import Nomination
    from .services.nominations import save_nomination

    year, school = world.years.get(label), world.schools.get(school_code)
    rep = _representative(school) if school else None
    if year is None or recipient is None or rep is None:
        return None
    if not can(rep, "awards.propose_nomination", year):
        return None
    nomination = Nomination(
        year=year,
        school=school,
        recipient=recipient,
        award_type=world.types[type_code],
        **fields,
    )
    report = ContentFile(DEMO_PDF, name="Bao-cao-thanh-tich.pdf")
    return save_nomination(nomination=nomination, by=rep, achievement_report=report)


def _vote(year, title: str, opens_at: datetime) -> None:
    """A yes/no round on the year's published nominations, through the voting services:
    every member votes yes; closing it feeds the result to the nominations."""
    import random
    from datetime import timedelta

    from cluster.selectors import members_of_year

    from .models import VotingRound
    from .services import ballots

    voting_round = VotingRound(
        year=year,
        kind=RoundKind.YES_NO,
        title=title,
        opens_at=opens_at,
        closes_at=opens_at + timedelta(hours=2),
    )
    ballots.create_round(voting_round=voting_round, by=None)
    candidates = list(voting_round.candidates.all())
    if not candidates:
        voting_round.delete()
        return
    ballots.open_round(voting_round=voting_round, by=None, now=opens_at)
    for index, school in enumerate(members_of_year(year).order_by("code")):
        ballots.cast_ballot(
            voting_round=voting_round,
            school=school,
            answers={c.pk: "yes" for c in candidates},
            by=None,
            now=opens_at + timedelta(minutes=5 + index),
        )
    ballots.close_round(
        voting_round=voting_round,
        by=None,
        now=opens_at + timedelta(hours=1),
        rng=random.Random(title),
    )


#: The day each step of the 2025 proposals took place (the events are dated so).
STEP_DAYS_2025 = {
    S.DRAFT: date(2025, 10, 20),
    S.SUBMITTED: date(2025, 11, 3),
    S.PUBLISHED: date(2025, 11, 5),
    S.VOTED: date(2025, 11, 20),
    S.APPROVED: date(2025, 11, 20),
    S.FORWARDED: date(2025, 12, 5),
    S.DECIDED: date(2026, 2, 10),
}


def _year_2025(world: _World) -> None:
    """The 2025 proposals through the real workflow: proposed and submitted by the schools,
    published, voted at the year-end conference, certified, forwarded when the dossier is
    complete, one decided by the Academy. Skipped once 2025 has nominations."""
    from django.core.exceptions import ValidationError

    from .models import Nomination, NominationEvent
    from .services import nominations as services

    year = world.years.get("2025")
    secretariat = _secretariat(world)
    if year is None or secretariat is None or Nomination.objects.filter(year=year).exists():
        return
    people, wholes = world.people, world.wholes
    summary = (
        "Hoàn thành xuất sắc nhiệm vụ năm 2025; có sáng kiến được Hội đồng khoa học công "
        "nhận (dữ liệu minh họa)."
    )
    proposals = [
        _propose(
            world,
            "2025",
            "HYE",
            people.get(("HYE", 1)),
            "CSTD_BO",
            achievement_summary=summary,
            initiative="Ứng dụng chuyển đổi số trong bồi dưỡng cán bộ cơ sở",
        ),
        _propose(
            world, "2025", "NBI", people.get(("NBI", 1)), "BK_HV_CN", achievement_summary=summary
        ),
        _propose(world, "2025", "BNI", wholes.get("BNI"), "CO_HV", achievement_summary=summary),
        _propose(
            world,
            "2025",
            "QNI",
            wholes.get("QNI"),
            "TT_LDXS",
            achievement_summary=summary,
            members_total=42,
            members_completed=42,
            members_good_or_excellent=35,
            members_with_title=3,
            members_disciplined=0,
        ),
    ]
    proposals = [n for n in proposals if n is not None]
    for nomination in proposals:
        rep = _representative(nomination.school)
        try:
            with transaction.atomic():
                services.submit_nomination(nomination=nomination, by=rep, on=date(2025, 12, 15))
        except ValidationError:
            continue
    try:
        services.publish_candidates(year=year, comment_days=7, by=secretariat)
    except ValidationError:
        return
    Nomination.objects.filter(year=year, status=S.PUBLISHED).update(
        comment_until=date(2025, 11, 12)
    )
    _vote(year, "Biểu quyết đề nghị khen thưởng năm 2025", _aware(date(2025, 11, 20), 14))
    forwarded = []
    for nomination in Nomination.objects.filter(year=year, status=S.APPROVED).order_by("pk"):
        services.certify_report(nomination=nomination, by=secretariat)
        if nomination.award_type.code == "TT_LDXS":
            continue  # stays approved: the secretariat has yet to forward it
        try:
            with transaction.atomic():
                services.forward_nomination(nomination=nomination, by=secretariat)
        except ValidationError:
            continue  # the dossier is incomplete (e.g. no frozen score summary)
        forwarded.append(nomination)
    for nomination in forwarded:
        if nomination.award_type.code == "BK_HV_CN":
            services.decide_nomination(
                nomination=nomination,
                decision_number="215/QĐ-HVCTQG",
                decision_date=min(STEP_DAYS_2025[S.DECIDED], timezone.localdate()),
                by=secretariat,
            )
    for event in NominationEvent.objects.filter(nomination__year=year):
        day = STEP_DAYS_2025.get(event.to_status)
        if day is not None:
            NominationEvent.objects.filter(pk=event.pk).update(at=_aware(day))


@transaction.atomic
def seed() -> None:
    """Create or complete the demo catalogue, histories and nominations (idempotent)."""
    from cluster.models import Cluster, EmulationYear, School

    from .models import AwardType
    from .services.catalogue import seed_award_catalogue

    cluster = Cluster.objects.filter(code="CUM4").first()
    if cluster is None:
        return
    seed_award_catalogue()
    world = _World(
        cluster=cluster,
        schools={s.code: s for s in School.objects.filter(code__in=list(STAFF))},
        years={y.label: y for y in EmulationYear.objects.filter(cluster=cluster)},
        types={t.code: t for t in AwardType.objects.all()},
        people={},
        wholes={},
    )
    _recipients(world)
    _history(world)
    _past_years(world)
    _dossier_2025(world)
    _year_2025(world)
    _year_2026(world)
