"""Demo data of cross-scoring, run after ``evaluations.demo.seed()`` (which creates the
criteria tables and the reports).

- Past years of CUM4 (every year but the current one) get complete cross scores (everyone
  scores everyone else), the head school's approved bonus for hosting the cluster's
  activities, a deduction for each late report, an answered objection, and results that
  are published and then frozen (with their fingerprint) through the services.
- The current year (2026) is in progress: a balanced rotation (k = 3), about half of the
  assignments submitted, some drafts, the rest not started; one conflict of interest.

Everything is invented (demo data) and deterministic (figures from a hash, never random).
Idempotent: a year that already has scoring settings is left as it is.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils import timezone

from accounts.enums import Role
from accounts.models import User
from cluster.enums import LeadershipRole, PhaseKind
from cluster.models import Cluster, EmulationYear, Leadership, Phase
from cluster.selectors import members_of_year

from .enums import AssignmentMode, AssignmentStatus, ResultsStage, SubmissionStatus
from .models import (
    AnnualReport,
    Assignment,
    BonusClaim,
    CrossScore,
    DeductionReason,
    ImposedDeduction,
    ScoringSettings,
    SelfScore,
)
from .selectors_scoring import criteria_of_year
from .services import scoring as services

CURRENT_LABEL = "2026"
SECRETARIAT_EMAIL = "thuky@demo.thidua.vn"
HOSTING_BONUS = "Đăng cai tổ chức hội nghị tổng kết và các hoạt động chung của Cụm (demo)."
LATE_REASON = "Nộp báo cáo chậm so với thời hạn"
TWO = Decimal("0.01")


def _unit(*parts: object) -> float:
    """A number in [0, 1) fixed by ``parts``."""
    digest = hashlib.sha256("|".join(str(p) for p in parts).encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _cross_points(self_score: Decimal | None, maximum: Decimal, *parts: object) -> Decimal:
    """A scorer's points: the self-score (or 80% of the maximum) lowered by up to 15% of the
    maximum, sometimes raised a little; in halves; within 0..max."""
    base = self_score if self_score is not None else maximum * Decimal("0.8")
    delta = Decimal(str(round(_unit(*parts) * 0.2 - 0.15, 3))) * maximum
    value = (base + delta) * 2
    value = value.quantize(Decimal("1"), rounding=ROUND_HALF_UP) / 2
    return min(max(value, Decimal("0")), maximum).quantize(TWO)


def _people(year: EmulationYear) -> tuple[dict[int, User], User | None]:
    representatives: dict[int, User] = {}
    for user in User.objects.filter(role=Role.REPRESENTATIVE, is_demo=True).order_by("pk"):
        representatives.setdefault(user.school_id, user)
    secretariat = User.objects.filter(email=SECRETARIAT_EMAIL, cluster=year.cluster).first()
    return representatives, secretariat


def _phase_day(year: EmulationYear, kind: str, default: dt.date) -> dt.date:
    phase = Phase.objects.filter(year=year, kind=kind).first()
    return phase.deadline if phase else default


def _self_scores(year: EmulationYear) -> dict[tuple[int, int], Decimal]:
    return {
        (school_id, criterion_id): points
        for school_id, criterion_id, points in SelfScore.objects.filter(
            report__year=year,
            report__status__in=[SubmissionStatus.SUBMITTED, SubmissionStatus.ACCEPTED],
            points__isnull=False,
        ).values_list("report__school_id", "criterion_id", "points")
    }


def _score_assignments(year, assignments, criteria, self_scores, submitted_at) -> None:
    scores = []
    for assignment in assignments:
        for criterion in criteria:
            scores.append(
                CrossScore(
                    assignment=assignment,
                    criterion=criterion,
                    points=_cross_points(
                        self_scores.get((assignment.target_id, criterion.pk)),
                        criterion.max_points or Decimal("0"),
                        year.label,
                        assignment.scorer.code,
                        assignment.target.code,
                        criterion.code,
                    ),
                )
            )
    CrossScore.objects.bulk_create(scores)


def _seed_past_year(year: EmulationYear) -> None:
    table, _groups, criteria = criteria_of_year(year)
    members = list(members_of_year(year))
    if table is None or not criteria or len(members) < 2:
        return
    representatives, secretariat = _people(year)
    scoring_deadline = _phase_day(year, PhaseKind.CROSS_SCORING, year.end_date)
    conference = _phase_day(year, PhaseKind.CONFERENCE, year.end_date)
    ScoringSettings.objects.create(
        year_id=year.pk, method="mean", mode=AssignmentMode.ALL, comment_window_days=5
    )
    services.generate_assignments(year=year, by=secretariat)
    assignments = list(Assignment.objects.filter(year=year).select_related("scorer", "target"))
    _score_assignments(year, assignments, criteria, _self_scores(year), scoring_deadline)
    for assignment in assignments:
        day = scoring_deadline - dt.timedelta(days=int(_unit("sub", assignment.pk) * 4))
        assignment.status = AssignmentStatus.SUBMITTED
        assignment.submitted_at = _at(day, 10, int(_unit("m", assignment.pk) * 59))
        assignment.submitted_by = representatives.get(assignment.scorer_id)
    Assignment.objects.bulk_update(assignments, ["status", "submitted_at", "submitted_by"])

    head = Leadership.objects.filter(year=year, role=LeadershipRole.HEAD).first()
    reports = {r.school_id: r for r in AnnualReport.objects.filter(year=year)}
    if head is not None and head.school_id in reports:
        report = reports[head.school_id]
        if not report.bonus_claims.exists():
            BonusClaim.objects.create(
                report=report,
                points=Decimal("3"),
                reason=HOSTING_BONUS,
                approved_points=Decimal("3"),
            )
    reason = DeductionReason.objects.filter(table=table, title=LATE_REASON).first()
    for report in reports.values():
        if report.is_late and report.school_id in {m.pk for m in members}:
            ImposedDeduction.objects.create(
                year=year,
                school=report.school,
                reason=reason,
                points=reason.points if reason else Decimal("2"),
                explanation="Báo cáo tổng kết nộp sau thời hạn (dữ liệu minh họa).",
                created_by=secretariat,
            )

    services.publish_results(year=year, by=secretariat, today=scoring_deadline)
    ScoringSettings.objects.filter(year_id=year.pk).update(
        published_at=_at(scoring_deadline + dt.timedelta(days=1), 9)
    )
    objector, target = members[-1], members[0]
    objection = services.raise_objection(
        year=year,
        school=objector,
        target=target,
        criterion=criteria[0],
        text="Đề nghị Thường trực Cụm xem xét lại điểm chấm chéo tiêu chí này (dữ liệu minh họa).",
        by=representatives.get(objector.pk),
        today=scoring_deadline,
    )
    services.answer_objection(
        objection=objection,
        answer="Thường trực Cụm đã rà soát minh chứng; điểm chấm chéo được giữ nguyên.",
        by=secretariat,
    )
    services.freeze_results(year=year, by=secretariat)
    # Demo only: date the freeze to the year's conference (timestamps are not fingerprinted).
    ScoringSettings.objects.filter(year_id=year.pk).update(frozen_at=_at(conference, 15))


def _seed_current_year(year: EmulationYear) -> None:
    table, _groups, criteria = criteria_of_year(year)
    members = list(members_of_year(year))
    if table is None or not criteria or len(members) < 3:
        return
    representatives, secretariat = _people(year)
    scoring_deadline = _phase_day(year, PhaseKind.CROSS_SCORING, year.end_date)
    ScoringSettings.objects.create(
        year_id=year.pk,
        method="trimmed",
        mode=AssignmentMode.ROTATION,
        scorers_per_school=min(3, len(members) - 1),
        stage=ResultsStage.SCORING,
    )
    services.generate_assignments(year=year, by=secretariat)
    assignments = list(
        Assignment.objects.filter(year=year)
        .select_related("scorer", "target")
        .order_by("scorer__code", "target__code")
    )
    self_scores = _self_scores(year)
    submitted, drafts = [], []
    for index, assignment in enumerate(assignments):
        if index % 2 == 0:
            submitted.append(assignment)
        elif index % 6 == 1:
            drafts.append(assignment)
    _score_assignments(year, submitted, criteria, self_scores, scoring_deadline)
    half = len(criteria) // 2
    for assignment in drafts:
        _score_assignments(year, [assignment], criteria[:half], self_scores, scoring_deadline)
    for position, assignment in enumerate(submitted):
        late = position % 5 == 4
        day = scoring_deadline + dt.timedelta(days=3 if late else -2)
        assignment.status = AssignmentStatus.SUBMITTED
        assignment.submitted_at = _at(day, 15, 20)
        assignment.submitted_by = representatives.get(assignment.scorer_id)
        assignment.is_late = late
    for assignment in drafts:
        assignment.status = AssignmentStatus.DRAFT
    Assignment.objects.bulk_update(
        submitted + drafts, ["status", "submitted_at", "submitted_by", "is_late"]
    )
    untouched = [a for a in assignments if a not in submitted and a not in drafts]
    if untouched:
        services.declare_conflict(
            assignment=untouched[-1],
            reason="Hai trường cùng tham gia một đề tài khoa học phối hợp năm nay (demo).",
            by=representatives.get(untouched[-1].scorer_id),
        )


@transaction.atomic
def seed() -> None:
    """Cross-scoring demo data of CUM4: frozen results for past years, 2026 in progress."""
    cluster = Cluster.objects.filter(code="CUM4").first()
    if cluster is None:
        return
    years = EmulationYear.objects.filter(cluster=cluster).select_related("cluster")
    done = set(ScoringSettings.objects.filter(year__in=years).values_list("year_id", flat=True))
    for year in years.order_by("start_date"):
        if year.pk in done:
            continue
        if year.label == CURRENT_LABEL:
            _seed_current_year(year)
        elif year.end_date < timezone.localdate():
            _seed_past_year(year)
