"""The scale data generator: N clusters × M member schools × Y years × C criteria.

Every school-year has an accepted pledge with its targets, an annual report with a
self-score for every criterion, indicator results, a bonus claim (some a deduction) and its
submission snapshot; every member scores every other member on every criterion; every
school proposes a collective and an individual for a title each year. The years before the
current one are complete: results frozen (ResultRow and fingerprint, computed by the app's
own aggregation), nominations decided (with their achievements) and the conference's three
secret ballots closed (leading unit, yes/no on the collectives, next year's head). The
current year is the hour before the cross-scoring deadline: reports submitted, every score
entered, school 2 of each cluster still holding its nine assignments as drafts.

Deterministic: every figure comes from ``random.Random`` seeded by (seed, cluster, year),
so cluster 1 is the same in every preset. Fast: primary keys are allocated here, rows go
in with ``bulk_create(batch_size=5000)``, and the two big tables (cross scores and
self-scores) with PostgreSQL's COPY (``executemany`` elsewhere, for the smoke test on
SQLite). Bulk inserts write no django-simple-history rows: the history tables stay empty,
which the pages measured do not read.
"""

from __future__ import annotations

import io
import random
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as dtime
from decimal import Decimal
from fractions import Fraction
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Max

from accounts.enums import Role
from accounts.models import User
from awards.enums import Answer, NominationStatus, RecipientKind, RoundKind, RoundStatus
from awards.models import (
    Achievement,
    AwardType,
    Ballot,
    BallotChoice,
    Candidate,
    Nomination,
    NominationEvent,
    Participation,
    Recipient,
    VotingRound,
)
from cluster.enums import EventKind, LeadershipRole, PhaseKind
from cluster.models import (
    Cluster,
    EmulationYear,
    Event,
    Leadership,
    Membership,
    Movement,
    Phase,
    School,
)
from evaluations import aggregation
from evaluations.enums import AggregationMethod, AssignmentStatus, ResultsStage, SubmissionStatus
from evaluations.models import (
    AnnualReport,
    Assignment,
    BonusClaim,
    CriteriaTable,
    Criterion,
    CrossScore,
    DeclaredDeduction,
    DeductionReason,
    Indicator,
    IndicatorResult,
    Pledge,
    PledgeTarget,
    ReportEvent,
    ReportEventKind,
    ResultRow,
    ScoringSettings,
    SelfScore,
)

from .presets import Preset

BENCH_PASSWORD = "bench12345"
EMAIL_DOMAIN = "bench.thidua.vn"
THEME = "Đoàn kết – Kỷ cương – Gương mẫu – Sáng tạo – Hiệu quả"
ACADEMY_CAPS = "HỌC VIỆN CHÍNH TRỊ QUỐC GIA HỒ CHÍ MINH"
#: The second school of each cluster is still scoring in the current year (drafts).
SCORER_INDEX = 1

GROUP_TITLES = [
    "Công tác đào tạo, bồi dưỡng",
    "Nghiên cứu khoa học và ứng dụng",
    "Xây dựng đội ngũ giảng viên, cán bộ",
    "Công tác Đảng, đoàn thể",
    "Cơ sở vật chất, chuyển đổi số",
    "Công tác thi đua, khen thưởng",
]
CRITERION_TITLES = [
    "Hoàn thành kế hoạch đào tạo trung cấp lý luận chính trị",
    "Hoàn thành kế hoạch bồi dưỡng cán bộ, công chức, viên chức",
    "Đổi mới nội dung, phương pháp giảng dạy",
    "Quản lý đào tạo và công tác học viên",
    "Đề tài khoa học cấp tỉnh, cấp cơ sở được nghiệm thu",
    "Tổ chức hội thảo khoa học, tọa đàm",
    "Ứng dụng kết quả nghiên cứu vào giảng dạy",
    "Giảng viên đạt chuẩn trình độ theo quy định",
    "Thao giảng, dự giờ, đánh giá giờ giảng",
    "Đi thực tế cơ sở của giảng viên",
    "Tổ chức cơ sở đảng hoàn thành xuất sắc nhiệm vụ",
    "Hoạt động của Công đoàn, Đoàn Thanh niên",
    "Đầu tư, sử dụng cơ sở vật chất, thư viện",
    "Chuyển đổi số, ứng dụng công nghệ thông tin",
    "Triển khai phong trào thi đua của Cụm",
    "Tham gia hoạt động chung của Cụm thi đua",
    "Nhân rộng điển hình tiên tiến, cách làm hay",
]
INDICATORS = [
    ("LOP", "Số lớp trung cấp lý luận chính trị", "lớp", 8, 20),
    ("HV", "Số học viên được đào tạo, bồi dưỡng", "học viên", 800, 2500),
    ("DT_TINH", "Đề tài khoa học cấp tỉnh", "đề tài", 1, 4),
    ("DT_CS", "Đề tài khoa học cấp cơ sở", "đề tài", 4, 15),
    ("SK", "Sáng kiến được công nhận", "sáng kiến", 3, 12),
    ("HT", "Hội thảo, tọa đàm khoa học", "cuộc", 2, 6),
    ("TG", "Bài thao giảng", "bài", 10, 30),
    ("DG", "Lượt dự giờ", "lượt", 30, 90),
    ("TT", "Lượt giảng viên đi thực tế", "lượt", 10, 40),
    ("BB", "Bài báo khoa học được đăng", "bài", 5, 25),
]
DEDUCTION_REASONS = [
    ("Nộp báo cáo, hồ sơ chậm so với thời hạn", Decimal("1.00")),
    ("Không tham gia hoạt động chung của Cụm", Decimal("2.00")),
    ("Có cán bộ, viên chức bị kỷ luật từ khiển trách trở lên", Decimal("3.00")),
]
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô"]
MIDDLE = ["Văn", "Thị", "Đức", "Minh", "Thu", "Quang", "Hồng", "Thanh"]
GIVEN = ["An", "Bình", "Cường", "Dung", "Giang", "Hà", "Hải", "Hạnh", "Hùng", "Lan", "Mai"]
UNITS = ["Khoa Lý luận cơ sở", "Khoa Nhà nước và pháp luật", "Khoa Xây dựng Đảng"]
SECTION_TEXT = (
    "Năm {year}, nhà trường đã hoàn thành toàn diện các nhiệm vụ chính trị được giao: mở "
    "{classes} lớp trung cấp lý luận chính trị, bồi dưỡng {learners} lượt cán bộ, nghiệm thu "
    "các đề tài khoa học theo kế hoạch, tổ chức hội thảo và tham gia đầy đủ các hoạt động của "
    "Cụm thi đua. (Dữ liệu sinh tự động cho benchmark.)"
)
EXPLANATION = "Tự đánh giá theo kết quả thực hiện nhiệm vụ năm (dữ liệu benchmark)."

#: Points as text and as Decimal, by hundredths (a criterion is worth at most 100.00).
_MAX_CENTS = 10000
CENTS_TEXT = [f"{c // 100}.{c % 100:02d}" for c in range(_MAX_CENTS + 1)]
CENTS_DECIMAL = [Decimal(text) for text in CENTS_TEXT]


def _plain(cents: int) -> str:
    """evaluations.selectors_reports.format_number of a number of hundredths (8, 6.5)."""
    text = CENTS_TEXT[cents]
    return text.rstrip("0").rstrip(".")


# --- plumbing ---------------------------------------------------------------------------------


class Ids:
    """Primary keys allocated here (after the highest existing one), so that rows can
    reference each other before they are written and no RETURNING is needed."""

    def __init__(self) -> None:
        self._next: dict[type[models.Model], int] = {}

    def take(self, model: type[models.Model], count: int = 1) -> int:
        if model not in self._next:
            highest = model.objects.aggregate(top=Max("pk"))["top"] or 0
            self._next[model] = highest + 1
        first = self._next[model]
        self._next[model] += count
        return first


#: Insertion order (parents first).
MODEL_ORDER: list[type[models.Model]] = [
    Cluster,
    School,
    Membership,
    User,
    Movement,
    EmulationYear,
    Phase,
    Leadership,
    Event,
    CriteriaTable,
    Criterion,
    DeductionReason,
    Indicator,
    ScoringSettings,
    Pledge,
    PledgeTarget,
    AnnualReport,
    IndicatorResult,
    BonusClaim,
    DeclaredDeduction,
    ReportEvent,
    Assignment,
    ResultRow,
    Recipient,
    Nomination,
    NominationEvent,
    Achievement,
    VotingRound,
    Candidate,
    Participation,
    Ballot,
    BallotChoice,
]


class Writer:
    """Collects model instances and writes them in ``MODEL_ORDER``; big tables as raw rows
    (COPY on PostgreSQL, executemany elsewhere)."""

    def __init__(self) -> None:
        self.pending: dict[type[models.Model], list[models.Model]] = defaultdict(list)
        self.counts: Counter[str] = Counter()
        self.is_postgres = connection.vendor == "postgresql"

    def add(self, obj: models.Model) -> models.Model:
        self.pending[type(obj)].append(obj)
        return obj

    def flush(self) -> None:
        unknown = set(self.pending) - set(MODEL_ORDER)
        if unknown:  # pragma: no cover - a programming error
            raise RuntimeError(f"Models without an insertion order: {unknown}")
        for model in MODEL_ORDER:
            objs = self.pending.pop(model, None)
            if objs:
                model.objects.bulk_create(objs, batch_size=5000)
                self.counts[model._meta.label] += len(objs)

    def copy(self, model: type[models.Model], columns: list[str], rows: list[tuple]) -> None:
        if not rows:
            return
        table = model._meta.db_table
        quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
        with connection.cursor() as cursor:
            if self.is_postgres:
                text = "".join("\t".join(map(str, row)) + "\n" for row in rows)
                raw = cursor.cursor  # the psycopg2 cursor under Django's wrapper
                raw.copy_expert(f"COPY {table} ({quoted}) FROM STDIN", io.StringIO(text))
            else:
                marks = ", ".join(["%s"] * len(columns))
                cursor.executemany(f"INSERT INTO {table} ({quoted}) VALUES ({marks})", rows)
        self.counts[model._meta.label] += len(rows)


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, dtime(hour, minute), tzinfo=ZoneInfo(settings.TIME_ZONE))


def _clamp(value: float) -> float:
    return 0.0 if value < 0 else 1.0 if value > 1 else value


@dataclass
class ClusterPeople:
    secretariat: User
    representatives: list[User]


@dataclass
class YearTable:
    table: CriteriaTable
    criteria: list[Criterion]  # scored criteria, table order
    max_cents: list[int]
    indicators: list[Indicator]
    reasons: list[DeductionReason]


@dataclass
class Generator:
    preset: Preset
    seed: int = 2026
    current_year: int = field(default_factory=lambda: date.today().year)
    log: Callable[[str], None] = print

    def __post_init__(self) -> None:
        self.ids = Ids()
        self.writer = Writer()
        self.password = make_password(BENCH_PASSWORD)
        labels = range(self.current_year - self.preset.years + 1, self.current_year + 1)
        self.labels = [str(y) for y in labels]
        self.receipts: set[str] = set()
        self.replica_role: bool | None = None

    # --- the whole run ------------------------------------------------------------------

    def run(self) -> dict:
        started = time.monotonic()
        from awards.services.catalogue import seed_award_catalogue

        seed_award_catalogue()
        self.award_types = {t.code: t for t in AwardType.objects.all()}
        with transaction.atomic():
            self._academy_users()
            self.writer.flush()
        for index in range(self.preset.clusters):
            with transaction.atomic():
                if self.writer.is_postgres:
                    self._fast_session()
                self._cluster(index)
            done = index + 1
            if done == self.preset.clusters or done % max(1, self.preset.clusters // 10) == 0:
                self.log(
                    f"  clusters {done}/{self.preset.clusters} ({time.monotonic() - started:.0f} s)"
                )
        self._reset_sequences()
        return {
            "seconds": round(time.monotonic() - started, 1),
            "rows": dict(sorted(self.writer.counts.items())),
        }

    def _fast_session(self) -> None:
        """Within the cluster's transaction: no wait for the WAL flush and, when the role
        may (a superuser, as the local postgres), no foreign-key triggers: the generator
        writes consistent rows, and checking 5 million references one by one at commit
        would take most of the time."""
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
            if self.replica_role is None:
                cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
                self.replica_role = bool(cursor.fetchone()[0])
            if self.replica_role:
                cursor.execute("SET LOCAL session_replication_role TO replica")

    def _reset_sequences(self) -> None:
        models_written = [*MODEL_ORDER, CrossScore, SelfScore]
        statements = connection.ops.sequence_reset_sql(no_style(), models_written)
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)

    def _user(self, **fields) -> User:
        user = User(
            pk=self.ids.take(User), password=self.password, is_active=True, language="vi", **fields
        )
        return self.writer.add(user)

    def _academy_users(self) -> None:
        self._user(
            email=f"bench-admin@{EMAIL_DOMAIN}",
            full_name="Quản trị benchmark",
            role=Role.ADMIN,
            is_staff=True,
            is_superuser=True,
        )
        self._user(
            email=f"bench-observer@{EMAIL_DOMAIN}",
            full_name="Học viện (benchmark)",
            role=Role.OBSERVER,
        )

    # --- one cluster --------------------------------------------------------------------

    def _cluster(self, index: int) -> None:
        number = index + 1
        rng = random.Random(f"{self.seed}:cluster:{index}")
        first_day = date(int(self.labels[0]), 1, 1)
        cluster = self.writer.add(
            Cluster(
                pk=self.ids.take(Cluster),
                code=f"BC{number:03d}",
                name=f"Cụm thi đua số {number} (benchmark)",
                description="Dữ liệu sinh tự động cho benchmark.",
                superior_body=ACADEMY_CAPS,
                document_symbol=f"CTĐB{number}",
            )
        )
        schools = []
        for s in range(self.preset.schools):
            school = self.writer.add(
                School(
                    pk=self.ids.take(School),
                    code=f"BC{number:03d}S{s + 1:02d}",
                    name=f"Trường Chính trị tỉnh Thử nghiệm {number:02d}.{s + 1:02d}",
                    province=f"Tỉnh Thử nghiệm {number:02d}.{s + 1:02d}",
                    rector=self._person(rng),
                )
            )
            schools.append(school)
            self.writer.add(
                Membership(
                    pk=self.ids.take(Membership),
                    cluster=cluster,
                    school=school,
                    start_date=first_day,
                )
            )
        people = ClusterPeople(
            secretariat=self._user(
                email=f"bench-thuky-{number:03d}@{EMAIL_DOMAIN}",
                full_name=f"Thư ký Cụm {number}",
                role=Role.SECRETARIAT,
                cluster=cluster,
            ),
            representatives=[
                self._user(
                    email=f"bench-{school.code.lower()}@{EMAIL_DOMAIN}",
                    full_name=self._person(rng),
                    role=Role.REPRESENTATIVE,
                    school=school,
                )
                for school in schools
            ],
        )
        self.writer.add(
            Movement(
                pk=self.ids.take(Movement),
                cluster=cluster,
                title="Tập thể kiểu mẫu, Cán bộ trường Đảng kiểu mẫu",
                slogan=THEME,
                start_date=first_day,
                launched_by="Học viện Chính trị quốc gia Hồ Chí Minh",
            )
        )
        strength = [0.6 + 0.35 * rng.random() for _ in schools]
        recipients = self._recipients(rng, schools)
        self.writer.flush()
        for year_index, label in enumerate(self.labels):
            year_rng = random.Random(f"{self.seed}:cluster:{index}:year:{label}")
            self._year(year_rng, cluster, schools, people, strength, recipients, year_index, label)
            self.writer.flush()

    def _person(self, rng: random.Random) -> str:
        return f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"

    def _recipients(self, rng: random.Random, schools: list[School]) -> dict:
        """Per school: the whole school (collective) and its people (individuals)."""
        recipients = {}
        for school in schools:
            whole = self.writer.add(
                Recipient(
                    pk=self.ids.take(Recipient),
                    kind=RecipientKind.COLLECTIVE,
                    school=school,
                    name=school.name,
                    is_whole_school=True,
                )
            )
            individuals = [
                self.writer.add(
                    Recipient(
                        pk=self.ids.take(Recipient),
                        kind=RecipientKind.INDIVIDUAL,
                        school=school,
                        name=f"{self._person(rng)} {i + 1}",
                        position="Giảng viên chính",
                        unit=UNITS[i % len(UNITS)],
                    )
                )
                for i in range(self.preset.individuals)
            ]
            recipients[school.pk] = (whole, individuals)
        return recipients

    # --- one year -----------------------------------------------------------------------

    def _year(
        self,
        rng: random.Random,
        cluster: Cluster,
        schools: list[School],
        people: ClusterPeople,
        strength: list[float],
        recipients: dict,
        year_index: int,
        label: str,
    ) -> None:
        y = int(label)
        current = y == self.current_year
        m = len(schools)
        head, deputy = schools[year_index % m], schools[(year_index + 1) % m]
        year = self.writer.add(
            EmulationYear(
                pk=self.ids.take(EmulationYear),
                cluster=cluster,
                label=label,
                start_date=date(y, 1, 1),
                end_date=date(y, 12, 31),
                theme=THEME,
                recognition_decision_number=f"{cluster.pk}{year_index + 1:02d}/QĐ-HVCTQG",
                recognition_decision_date=date(y, 1, 20),
            )
        )
        phases = [
            (PhaseKind.GUIDANCE, date(y, 1, 2), date(y, 1, 31), None),
            (PhaseKind.PLEDGE, date(y, 2, 1), date(y, 3, 15), date(y, 3, 31)),
            (PhaseKind.MIDYEAR, date(y, 7, 1), date(y, 7, 31), None),
            (PhaseKind.REPORT, date(y, 10, 1), date(y, 11, 15), date(y, 11, 25)),
            (PhaseKind.CROSS_SCORING, date(y, 11, 16), date(y, 12, 5), date(y, 12, 10)),
            (PhaseKind.CONFERENCE, date(y, 12, 10), date(y, 12, 20), None),
            (PhaseKind.PROPOSALS, date(y, 12, 21), date(y, 12, 31), None),
        ]
        for kind, starts, deadline, hard in phases:
            self.writer.add(
                Phase(
                    pk=self.ids.take(Phase),
                    year=year,
                    kind=kind,
                    starts_on=starts,
                    deadline=deadline,
                    hard_deadline=hard,
                )
            )
        self.writer.add(
            Leadership(
                pk=self.ids.take(Leadership), year=year, school=head, role=LeadershipRole.HEAD
            )
        )
        self.writer.add(
            Leadership(
                pk=self.ids.take(Leadership), year=year, school=deputy, role=LeadershipRole.DEPUTY
            )
        )
        self.writer.add(
            Event(
                pk=self.ids.take(Event),
                cluster=cluster,
                year=year,
                kind=EventKind.CONFERENCE,
                title=f"Hội nghị tổng kết phong trào thi đua năm {label}",
                date=date(y, 12, 15),
                host_school=head,
                location=head.province,
            )
        )
        table = self._table(rng, year)
        reports = self._pledges_and_reports(rng, year, schools, people, strength, table, current)
        scores = self._cross_scores(rng, year, schools, people, strength, table, current)
        lines = None
        if current:
            self.writer.add(
                ScoringSettings(
                    pk=self.ids.take(ScoringSettings),
                    year=year,
                    method=AggregationMethod.MEAN,
                    stage=ResultsStage.SCORING,
                )
            )
        else:
            lines = self._freeze(year, schools, people, table, scores, reports)
        self._nominations(rng, year, schools, people, recipients, current)
        if lines is not None:
            self._ballots(rng, year, schools, people, lines, year_index)

    def _table(self, rng: random.Random, year: EmulationYear) -> YearTable:
        table = self.writer.add(
            CriteriaTable(
                pk=self.ids.take(CriteriaTable), year=year, bonus_cap=Decimal("5"), note=""
            )
        )
        count = self.preset.criteria
        group_count = min(len(GROUP_TITLES), count)
        base, extra = divmod(_MAX_CENTS, count)
        criteria, max_cents = [], []
        per_group = [
            count // group_count + (1 if g < count % group_count else 0) for g in range(group_count)
        ]
        position = 0
        for g in range(group_count):
            group = self.writer.add(
                Criterion(
                    pk=self.ids.take(Criterion),
                    table=table,
                    code=str(g + 1),
                    title=GROUP_TITLES[g],
                    order=g + 1,
                )
            )
            for k in range(per_group[g]):
                cents = base + (1 if position < extra else 0)
                title = CRITERION_TITLES[(position * 7 + g) % len(CRITERION_TITLES)]
                criterion = self.writer.add(
                    Criterion(
                        pk=self.ids.take(Criterion),
                        table=table,
                        parent=group,
                        code=f"{g + 1}.{k + 1}",
                        title=title,
                        guidance="Căn cứ kế hoạch năm và minh chứng kèm theo.",
                        max_points=CENTS_DECIMAL[cents],
                        order=k + 1,
                    )
                )
                criteria.append(criterion)
                max_cents.append(cents)
                position += 1
        reasons = [
            self.writer.add(
                DeductionReason(
                    pk=self.ids.take(DeductionReason),
                    table=table,
                    title=title,
                    points=points,
                    order=i + 1,
                )
            )
            for i, (title, points) in enumerate(DEDUCTION_REASONS)
        ]
        indicators = [
            self.writer.add(
                Indicator(
                    pk=self.ids.take(Indicator),
                    year=year,
                    code=code,
                    name=name,
                    unit=unit,
                    order=i + 1,
                )
            )
            for i, (code, name, unit, _low, _high) in enumerate(
                INDICATORS[: self.preset.indicators]
            )
        ]
        return YearTable(table, criteria, max_cents, indicators, reasons)

    def _pledges_and_reports(
        self,
        rng: random.Random,
        year: EmulationYear,
        schools: list[School],
        people: ClusterPeople,
        strength: list[float],
        table: YearTable,
        current: bool,
    ) -> list[AnnualReport]:
        y = int(year.label)
        reports = []
        self_rows = []
        self_columns = ["id", "report_id", "criterion_id", "points", "explanation"]
        first_self = self.ids.take(SelfScore, len(schools) * len(table.criteria))
        next_self = first_self
        for s, school in enumerate(schools):
            rep = people.representatives[s]
            pledge = self.writer.add(
                Pledge(
                    pk=self.ids.take(Pledge),
                    year=year,
                    school=school,
                    status=SubmissionStatus.ACCEPTED,
                    commitments=f"Cam kết hoàn thành xuất sắc nhiệm vụ chính trị năm {year.label}.",
                    registered_titles="Tập thể lao động xuất sắc; Cờ thi đua của Học viện",
                    submitted_at=_at(date(y, 3, 1) + timedelta(days=rng.randrange(14)), 9),
                    submitted_by=rep,
                    reviewed_at=_at(date(y, 3, 20), 14),
                    reviewed_by=people.secretariat,
                )
            )
            targets, actuals = [], []
            for indicator, (_c, _n, _u, low, high) in zip(
                table.indicators, INDICATORS, strict=False
            ):
                target = rng.randint(low, high)
                actual = int(target * (0.9 + 0.3 * rng.random()))
                targets.append(target)
                actuals.append(actual)
                self.writer.add(
                    PledgeTarget(
                        pk=self.ids.take(PledgeTarget),
                        pledge=pledge,
                        indicator=indicator,
                        target=Decimal(target),
                    )
                )
            submitted_at = _at(date(y, 11, 5) + timedelta(days=rng.randrange(10)), 16, 30)
            sections = {
                "results": SECTION_TEXT.format(
                    year=year.label,
                    classes=actuals[0] if actuals else 0,
                    learners=actuals[1] if len(actuals) > 1 else 0,
                ),
                "limitations": "Một số chỉ tiêu nghiên cứu khoa học còn chậm tiến độ.",
                "lessons": "Bám sát kế hoạch, phân công rõ người, rõ việc, rõ thời hạn.",
                "directions": "Tiếp tục đổi mới nội dung, phương pháp giảng dạy.",
            }
            report = self.writer.add(
                AnnualReport(
                    pk=self.ids.take(AnnualReport),
                    year=year,
                    school=school,
                    status=SubmissionStatus.SUBMITTED if current else SubmissionStatus.ACCEPTED,
                    submitted_at=submitted_at,
                    submitted_by=rep,
                    version=1,
                    **sections,
                )
            )
            reports.append(report)
            for indicator, actual in zip(table.indicators, actuals, strict=True):
                self.writer.add(
                    IndicatorResult(
                        pk=self.ids.take(IndicatorResult),
                        report=report,
                        indicator=indicator,
                        actual=Decimal(actual),
                    )
                )
            level = strength[s] + 0.05
            score_cents = []
            for criterion, cents in zip(table.criteria, table.max_cents, strict=True):
                points = round(cents * _clamp(level + 0.16 * rng.random() - 0.08))
                score_cents.append(points)
                self_rows.append(
                    (next_self, report.pk, criterion.pk, CENTS_TEXT[points], EXPLANATION)
                )
                next_self += 1
            bonus = self.writer.add(
                BonusClaim(
                    pk=self.ids.take(BonusClaim),
                    report=report,
                    points=Decimal("1.00"),
                    reason="Đăng cai tổ chức hội thảo khoa học của Cụm.",
                    approved_points=None if current else Decimal("1.00"),
                )
            )
            deductions = []
            if s % 4 == 3:
                deductions.append(
                    self.writer.add(
                        DeclaredDeduction(
                            pk=self.ids.take(DeclaredDeduction),
                            report=report,
                            reason=table.reasons[0],
                            points=Decimal("0.50"),
                            explanation="Nộp báo cáo 6 tháng chậm 2 ngày.",
                            approved_points=None if current else Decimal("0.50"),
                        )
                    )
                )
            snapshot = {
                "sections": sections,
                "indicators": {
                    indicator.code: {
                        "name": indicator.name,
                        "unit": indicator.unit,
                        "actual": str(actual),
                    }
                    for indicator, actual in zip(table.indicators, actuals, strict=True)
                },
                "scores": {
                    criterion.code: {
                        "title": criterion.title,
                        "points": _plain(points),
                        "explanation": EXPLANATION,
                    }
                    for criterion, points in zip(table.criteria, score_cents, strict=True)
                },
                "evidence": {},
                "bonus": [{"points": "1", "reason": bonus.reason}],
                "deductions": [
                    {"reason": d.reason.title, "points": "0.5", "explanation": d.explanation}
                    for d in deductions
                ],
            }
            self.writer.add(
                ReportEvent(
                    pk=self.ids.take(ReportEvent),
                    report=report,
                    kind=ReportEventKind.SUBMITTED,
                    version=1,
                    at=submitted_at,
                    by=rep,
                    snapshot=snapshot,
                )
            )
            if not current:
                self.writer.add(
                    ReportEvent(
                        pk=self.ids.take(ReportEvent),
                        report=report,
                        kind=ReportEventKind.ACCEPTED,
                        version=1,
                        at=_at(date(y, 11, 20), 10),
                        by=people.secretariat,
                    )
                )
        self.writer.flush()
        self.writer.copy(SelfScore, self_columns, self_rows)
        return reports

    def _cross_scores(
        self,
        rng: random.Random,
        year: EmulationYear,
        schools: list[School],
        people: ClusterPeople,
        strength: list[float],
        table: YearTable,
        current: bool,
    ) -> dict[int, dict[int, list[int]]]:
        """Every member scores every other member on every criterion. Returns, per target
        school, the submitted scores per criterion in hundredths (for the frozen ranking)."""
        y = int(year.label)
        columns = ["id", "assignment_id", "criterion_id", "points", "comment"]
        pairs = [(a, b) for a in range(len(schools)) for b in range(len(schools)) if a != b]
        first = self.ids.take(CrossScore, len(pairs) * len(table.criteria))
        next_id = first
        rows = []
        submitted: dict[int, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
        criteria = list(zip(table.criteria, table.max_cents, strict=True))
        for scorer_index, target_index in pairs:
            scorer, target = schools[scorer_index], schools[target_index]
            draft = current and scorer_index == SCORER_INDEX
            assignment = self.writer.add(
                Assignment(
                    pk=self.ids.take(Assignment),
                    year=year,
                    scorer=scorer,
                    target=target,
                    status=AssignmentStatus.DRAFT if draft else AssignmentStatus.SUBMITTED,
                    submitted_at=None if draft else _at(date(y, 12, 1), 15),
                    submitted_by=None if draft else people.representatives[scorer_index],
                )
            )
            level = strength[target_index]
            per_criterion = submitted[target.pk]
            for criterion, cents in criteria:
                points = round(cents * _clamp(level + 0.2 * rng.random() - 0.1))
                rows.append((next_id, assignment.pk, criterion.pk, CENTS_TEXT[points], ""))
                next_id += 1
                if not draft:
                    per_criterion[criterion.pk].append(points)
        self.writer.flush()
        self.writer.copy(CrossScore, columns, rows)
        return submitted

    def _freeze(
        self,
        year: EmulationYear,
        schools: list[School],
        people: ClusterPeople,
        table: YearTable,
        scores: dict[int, dict[int, list[int]]],
        reports: list[AnnualReport],
    ) -> list:
        """The frozen ranking, computed by the app's aggregation as the freeze does."""
        from evaluations.selectors_scoring import RankingLine
        from evaluations.services.scoring import fingerprint_of
        from evaluations.xlsx_scoring import ranking_csv

        y = int(year.label)
        criterion_ids = [c.pk for c in table.criteria]
        counts = {
            len(scores.get(school.pk, {}).get(pk, ())) for school in schools for pk in criterion_ids
        }
        # When every criterion of every school has the same n scores, the sum of the means
        # is the sum of all the scores over n, exactly: one pseudo-criterion then gives the
        # same ranking through the app's own code, a hundred times faster.
        uniform = len(counts) == 1 and 0 not in counts
        n = next(iter(counts))
        inputs = []
        for s, school in enumerate(schools):
            cents = scores.get(school.pk, {})
            if uniform:
                cross = {"all": [Fraction(sum(sum(v) for v in cents.values()), 100 * n)]}
            else:
                cross = {pk: [CENTS_DECIMAL[c] for c in values] for pk, values in cents.items()}
            inputs.append(
                aggregation.SchoolInput(
                    key=school.pk,
                    code=school.code,
                    name=school.name,
                    cross_scores=cross,
                    approved_bonus=[Decimal("1.00")],
                    approved_deductions=[Decimal("0.50")] if s % 4 == 3 else [],
                )
            )
        results = aggregation.rank_schools(
            inputs,
            ["all"] if uniform else criterion_ids,
            AggregationMethod.MEAN,
            table.table.bonus_cap,
        )
        lines = [
            RankingLine(
                rank=r.rank,
                school_id=r.key,
                school_code=r.code,
                school_name=r.name,
                criteria_points=r.criteria_points,
                bonus=r.bonus,
                deductions=r.deductions,
                total=r.total,
            )
            for r in results
        ]
        for line in lines:
            self.writer.add(
                ResultRow(
                    pk=self.ids.take(ResultRow),
                    year=year,
                    school_id=line.school_id,
                    school_code=line.school_code,
                    school_name=line.school_name,
                    rank=line.rank,
                    criteria_points=line.criteria_points,
                    bonus=line.bonus,
                    deductions=line.deductions,
                    total=line.total,
                )
            )
        self.writer.add(
            ScoringSettings(
                pk=self.ids.take(ScoringSettings),
                year=year,
                method=AggregationMethod.MEAN,
                stage=ResultsStage.FROZEN,
                published_at=_at(date(y, 12, 8), 9),
                published_by=people.secretariat,
                objections_until=date(y, 12, 12),
                frozen_at=_at(date(y, 12, 14), 9),
                frozen_by=people.secretariat,
                fingerprint=fingerprint_of(ranking_csv(lines)),
            )
        )
        return lines

    def _nominations(
        self,
        rng: random.Random,
        year: EmulationYear,
        schools: list[School],
        people: ClusterPeople,
        recipients: dict,
        current: bool,
    ) -> None:
        y = int(year.label)
        year_index = self.labels.index(year.label)
        collective_type = self.award_types["TT_LDXS"]
        individual_type = self.award_types["CSTDCS"]
        self.collectives: list[Nomination] = []
        for s, school in enumerate(schools):
            whole, individuals = recipients[school.pk]
            person = individuals[year_index % len(individuals)]
            for recipient, award_type in ((whole, collective_type), (person, individual_type)):
                decided = not current
                nomination = self.writer.add(
                    Nomination(
                        pk=self.ids.take(Nomination),
                        year=year,
                        school=school,
                        recipient=recipient,
                        award_type=award_type,
                        status=NominationStatus.DECIDED if decided else NominationStatus.SUBMITTED,
                        achievement_summary="Hoàn thành xuất sắc nhiệm vụ năm "
                        f"{year.label}; dẫn đầu nhiều chỉ tiêu của Cụm.",
                        achievement_report_certified=decided,
                        initiative="Sáng kiến đổi mới phương pháp giảng dạy lý luận chính trị."
                        if award_type is individual_type
                        else "",
                        members_total=40 if award_type is collective_type else None,
                        members_completed=40 if award_type is collective_type else None,
                        members_good_or_excellent=34 if award_type is collective_type else None,
                        members_with_title=3 if award_type is collective_type else None,
                        members_disciplined=0 if award_type is collective_type else None,
                        submitted_at=_at(date(y, 11, 28), 10),
                        decision_number=f"{rng.randrange(100, 999)}/QĐ-HVCTQG" if decided else "",
                        decision_date=date(y + 1, 1, 15) if decided else None,
                        created_by=people.representatives[s],
                    )
                )
                if award_type is collective_type:
                    self.collectives.append(nomination)
                steps = [
                    (NominationStatus.DRAFT, NominationStatus.SUBMITTED, people.representatives[s])
                ]
                if decided:
                    steps += [
                        (NominationStatus.SUBMITTED, NominationStatus.APPROVED, people.secretariat),
                        (NominationStatus.FORWARDED, NominationStatus.DECIDED, people.secretariat),
                    ]
                for before, after, by in steps:
                    self.writer.add(
                        NominationEvent(
                            pk=self.ids.take(NominationEvent),
                            nomination=nomination,
                            from_status=before,
                            to_status=after,
                            by=by,
                        )
                    )
                if decided:
                    self.writer.add(
                        Achievement(
                            pk=self.ids.take(Achievement),
                            recipient=recipient,
                            award_type=award_type,
                            period_year=y,
                            period_label=year.label,
                            decision_number=nomination.decision_number,
                            decision_date=nomination.decision_date,
                            issuer="Giám đốc Học viện Chính trị quốc gia Hồ Chí Minh",
                            nomination=nomination,
                        )
                    )

    def _ballots(
        self,
        rng: random.Random,
        year: EmulationYear,
        schools: list[School],
        people: ClusterPeople,
        lines: list,
        year_index: int,
    ) -> None:
        """The conference's three closed secret ballots (every member votes)."""
        y = int(year.label)
        m = len(schools)
        by_id = {school.pk: school for school in schools}
        top = [by_id[line.school_id] for line in lines[:3]]
        next_head = schools[(year_index + 1) % m]
        election = [next_head] + [s for s in schools if s is not next_head][:2]
        rounds = [
            (RoundKind.CHOOSE, "Bình chọn đơn vị dẫn đầu Cụm thi đua", top, "", "CO_HV"),
            (
                RoundKind.YES_NO,
                "Biểu quyết đề nghị tặng danh hiệu Tập thể lao động xuất sắc",
                self.collectives,
                "",
                "TT_LDXS",
            ),
            (RoundKind.ELECTION, f"Bầu Cụm trưởng năm {y + 1}", election, "head", None),
        ]
        for order, (kind, title, options, seat, award_code) in enumerate(rounds):
            opens = _at(date(y, 12, 15), 8 + order)
            voting_round = self.writer.add(
                VotingRound(
                    pk=self.ids.take(VotingRound),
                    year=year,
                    kind=kind,
                    title=title,
                    max_choices=1,
                    seat=seat,
                    award_type=self.award_types.get(award_code) if award_code else None,
                    opens_at=opens,
                    closes_at=opens + timedelta(minutes=50),
                    status=RoundStatus.CLOSED,
                    electorate_size=m,
                    closed_at=opens + timedelta(minutes=55),
                    created_by=people.secretariat,
                )
            )
            candidates = []
            for i, option in enumerate(options):
                is_nomination = kind == RoundKind.YES_NO
                candidates.append(
                    self.writer.add(
                        Candidate(
                            pk=self.ids.take(Candidate),
                            round=voting_round,
                            school=None if is_nomination else option,
                            nomination=option if is_nomination else None,
                            label=option.recipient.name if is_nomination else option.name,
                            order=i + 1,
                        )
                    )
                )
            yes = Counter()
            no = Counter()
            for school in schools:
                self.writer.add(
                    Participation(
                        pk=self.ids.take(Participation), round=voting_round, school=school
                    )
                )
            for _voter in range(m):
                ballot = self.writer.add(
                    Ballot(
                        id=uuid.UUID(int=rng.getrandbits(128)),
                        round=voting_round,
                        receipt=self._receipt(rng),
                    )
                )
                if kind == RoundKind.YES_NO:
                    chosen = [
                        (c, Answer.YES if rng.random() < 0.9 else Answer.NO) for c in candidates
                    ]
                else:
                    pick = 0 if rng.random() < 0.7 else rng.randrange(len(candidates))
                    chosen = [(candidates[pick], Answer.YES)]
                for candidate, answer in chosen:
                    (yes if answer == Answer.YES else no)[candidate.pk] += 1
                    self.writer.add(
                        BallotChoice(
                            id=uuid.UUID(int=rng.getrandbits(128)),
                            ballot=ballot,
                            candidate=candidate,
                            answer=answer,
                        )
                    )
            needed = m // 2 + 1
            for candidate in candidates:
                candidate.votes = yes[candidate.pk]
                candidate.votes_no = no[candidate.pk] if kind == RoundKind.YES_NO else None
            if kind == RoundKind.YES_NO:
                winners = [c for c in candidates if c.votes >= needed]
            else:
                best = max(candidates, key=lambda c: (c.votes, -c.order))
                winners = [best] if best.votes >= needed else []
            for candidate in candidates:
                candidate.passed = candidate in winners
            voting_round.result = {
                "electorate": m,
                "turnout": m,
                "valid": m,
                "blank": 0,
                "turnout_percent": "100.00",
                "quorum_percent": str(voting_round.quorum_percent),
                "quorum_needed": -(-m * 2 // 3),
                "quorum_met": True,
                "threshold_percent": str(voting_round.threshold_percent),
                "threshold_base": voting_round.threshold_base,
                "base_size": m,
                "votes_needed": needed,
                "max_choices": 1,
                "winners": [c.pk for c in winners],
                "winner_labels": [c.label for c in winners],
                "tied": [],
                "seats_left": 0,
                "runoff_id": None,
                "leadership": None,
                "nominations": None,
            }

    def _receipt(self, rng: random.Random) -> str:
        while True:
            receipt = f"{rng.getrandbits(48):012X}"
            if receipt not in self.receipts:
                self.receipts.add(receipt)
                return receipt


def generate(preset: Preset, *, seed: int = 2026, current_year: int | None = None, log=print):
    """Write ``preset``'s data into the current database; returns timings and row counts."""
    generator = Generator(
        preset=preset,
        seed=seed,
        current_year=current_year or date.today().year,
        log=log,
    )
    return generator.run()
