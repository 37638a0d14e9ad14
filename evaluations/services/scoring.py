"""Writes and business rules of cross-scoring, publication, objections and freezing.

Every function is keyword-only and atomic, and is called alike by the views, the admin, the
management commands and the Celery task. Rules raise ``ValidationError`` with a ``code``
callers and tests can rely on whatever the language; messages about a field are keyed by it.

Freezing is final: once a year's results are frozen every function here that writes scores,
assignments, approvals of bonus or deductions, imposed deductions or settings refuses with
``code="frozen"`` (the models' ``save()``/``delete()`` refuse too, see models/scoring.py).

The fingerprint of a frozen year is the SHA-256 (hex) of the UTF-8 bytes of the ranking CSV
exactly as ``python manage.py export_ranking --cluster C --year Y --format csv`` prints it
for the year's method (header + one line per member, ``\\n`` line endings): anyone can
recompute it with ``sha256sum`` on the exported file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from accounts.enums import Role
from cluster.enums import PhaseKind
from cluster.models import EmulationYear, Phase, School
from cluster.selectors import members_of_year

from .. import aggregation
from ..deadlines import judge_submission
from ..enums import (
    AggregationMethod,
    AssignmentMode,
    AssignmentStatus,
    ObjectionStatus,
    ResultsStage,
    SubmissionStatus,
)
from ..models import (
    Assignment,
    BonusClaim,
    Criterion,
    CrossScore,
    DeclaredDeduction,
    DeductionReason,
    ImposedDeduction,
    Objection,
    ResultRow,
    ScoringSettings,
)
from ..models.scoring import frozen_error
from ..selectors_scoring import (
    compute_lines,
    criteria_of_year,
    frozen_lines,
    load_year_data,
)
from ..xlsx_scoring import ranking_csv

TWO_PLACES = Decimal("0.01")
MAX_POINTS = Decimal("99999.99")  # the POINTS field's limit (7 digits, 2 decimals)


# --- helpers ---------------------------------------------------------------------------------


def _stamp(instance, by) -> None:
    """Record who made the change in simple_history (also outside a request)."""
    if by is not None and getattr(by, "is_authenticated", False):
        instance._history_user = by


def _user(by):
    return by if by is not None and getattr(by, "is_authenticated", False) else None


def _d(day: dt.date) -> str:
    return date_format(day, "d/m/Y")


def _fresh_settings(year: EmulationYear) -> ScoringSettings | None:
    return ScoringSettings.objects.select_for_update().filter(year=year).first()


def _stage(year: EmulationYear) -> str:
    settings = ScoringSettings.objects.filter(year=year).values_list("stage", flat=True).first()
    return settings or ResultsStage.SCORING


def assert_not_frozen(year: EmulationYear) -> None:
    """Refuse (code ``frozen``) when the year's results are frozen."""
    if _stage(year) == ResultsStage.FROZEN:
        raise frozen_error()


def _assert_scoring_stage(year: EmulationYear) -> None:
    stage = _stage(year)
    if stage == ResultsStage.FROZEN:
        raise frozen_error()
    if stage != ResultsStage.SCORING:
        raise ValidationError(
            _("The results have been published: scores and assignments can no longer change."),
            code="published",
        )


def _member_ids(year: EmulationYear) -> set[int]:
    return set(members_of_year(year).values_list("pk", flat=True))


def _check_points(value, maximum: Decimal | None, *, allow_none: bool = True) -> Decimal | None:
    """``value`` as a Decimal with at most two decimals within 0..maximum, else a
    ValidationError (message only; callers key it)."""
    if value in (None, ""):
        if allow_none:
            return None
        raise ValidationError(_("Enter a score."), code="required")
    try:
        points = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError(_("Enter a number."), code="invalid")
    if not points.is_finite():
        raise ValidationError(_("Enter a number."), code="invalid")
    if points != points.quantize(TWO_PLACES):
        raise ValidationError(_("Use at most two decimal places."), code="decimals")
    upper = maximum if maximum is not None else MAX_POINTS
    if points < 0 or points > upper:
        raise ValidationError(
            _("Enter a number between 0 and %(max)s.") % {"max": _fmt(upper)},
            code="range",
        )
    return points.quantize(TWO_PLACES)


def _fmt(value: Decimal) -> str:
    return f"{value.normalize():f}" if value == value.to_integral() else f"{value:f}"


# --- settings ----------------------------------------------------------------------------------


def ensure_settings(*, year: EmulationYear, by=None) -> ScoringSettings:
    """The year's scoring settings, created with the defaults when missing."""
    settings = ScoringSettings.objects.filter(year=year).first()
    if settings is None:
        # year_id, not year: do not leave these defaults cached on the caller's year object.
        settings = ScoringSettings(year_id=year.pk)
        _stamp(settings, by)
        settings.save()
    return settings


@transaction.atomic
def update_settings(
    *,
    year: EmulationYear,
    method: str,
    mode: str,
    scorers_per_school: int,
    gap_threshold_percent: Decimal,
    comment_window_days: int,
    by,
) -> ScoringSettings:
    """Change how the year is cross-scored. Refused once the results are frozen."""
    assert_not_frozen(year)
    settings = ensure_settings(year=year, by=by)
    errors = {}
    if method not in AggregationMethod.values:
        errors["method"] = ValidationError(_("Choose a method."), code="method")
    if mode not in AssignmentMode.values:
        errors["mode"] = ValidationError(_("Choose a mode."), code="mode")
    if scorers_per_school is None or scorers_per_school < 1:
        errors["scorers_per_school"] = ValidationError(
            _("At least one scorer per school."), code="k_min"
        )
    if gap_threshold_percent is None or not (0 <= gap_threshold_percent <= 100):
        errors["gap_threshold_percent"] = ValidationError(
            _("Enter a percentage between 0 and 100."), code="gap_range"
        )
    if comment_window_days is None or comment_window_days < 0:
        errors["comment_window_days"] = ValidationError(
            _("Enter a number of days (0 or more)."), code="window"
        )
    if errors:
        raise ValidationError(errors)
    settings.method = method
    settings.mode = mode
    settings.scorers_per_school = scorers_per_school
    settings.gap_threshold_percent = gap_threshold_percent
    settings.comment_window_days = comment_window_days
    _stamp(settings, by)
    settings.save()
    return settings


# --- assignments ---------------------------------------------------------------------------------


@dataclass
class GenerationSummary:
    created: int = 0
    kept: int = 0
    removed: int = 0


def rotation_seed(year: EmulationYear) -> str:
    """The key of the year's deterministic shuffle (same year, same rotation)."""
    return f"{year.cluster.code}/{year.label}"


def planned_pairs(year: EmulationYear, schools: list[School], mode: str, k: int) -> set:
    """(scorer_id, target_id) pairs of the year's mode over ``schools``."""
    by_code = {school.code: school for school in schools}
    codes = sorted(by_code)
    if mode == AssignmentMode.ROTATION:
        if not 1 <= k <= len(codes) - 1:
            raise ValidationError(
                {
                    "scorers_per_school": ValidationError(
                        _("With %(n)d members, k must be between 1 and %(max)d.")
                        % {"n": len(codes), "max": max(len(codes) - 1, 1)},
                        code="k_range",
                    )
                }
            )
        pairs = aggregation.balanced_rotation(codes, k, rotation_seed(year))
    else:
        pairs = aggregation.all_pairs(codes)
    return {(by_code[scorer].pk, by_code[target].pk) for scorer, target in pairs}


@transaction.atomic
def generate_assignments(*, year: EmulationYear, by) -> GenerationSummary:
    """Create the year's assignments from its settings (mode, k) over the year's members.

    Assignments already planned are kept; those no longer planned are removed, which is
    refused when any of them already has scores (edit those one by one instead).
    """
    _assert_scoring_stage(year)
    settings = ensure_settings(year=year, by=by)
    schools = list(members_of_year(year))
    if len(schools) < 2:
        raise ValidationError(
            _("The year needs at least two members to cross-score."), code="too_few"
        )
    wanted = planned_pairs(year, schools, settings.mode, settings.scorers_per_school)
    existing = {
        (a.scorer_id, a.target_id): a
        for a in Assignment.objects.filter(year=year).select_related("scorer", "target")
    }
    obsolete = [a for pair, a in existing.items() if pair not in wanted]
    started = [a for a in obsolete if a.status != AssignmentStatus.NOT_STARTED]
    started_ids = set(
        CrossScore.objects.filter(assignment__in=obsolete).values_list("assignment_id", flat=True)
    )
    started += [a for a in obsolete if a.pk in started_ids and a not in started]
    if started:
        raise ValidationError(
            _(
                "These assignments already have scores and would be removed: %(pairs)s. "
                "Edit the assignments one by one instead."
            )
            % {"pairs": ", ".join(f"{a.scorer.code} → {a.target.code}" for a in started)},
            code="started",
        )
    for assignment in obsolete:
        _stamp(assignment, by)
        assignment.delete()
    new = [
        Assignment(year=year, scorer_id=scorer, target_id=target)
        for scorer, target in sorted(wanted)
        if (scorer, target) not in existing
    ]
    bulk_create_with_history(new, Assignment, default_user=_user(by))
    return GenerationSummary(
        created=len(new), kept=len(existing) - len(obsolete), removed=len(obsolete)
    )


def _check_pair(year: EmulationYear, scorer: School, target: School, members: set[int]) -> None:
    errors = {}
    if scorer.pk not in members:
        errors["scorer"] = ValidationError(
            _("%(school)s is not a member this year.") % {"school": scorer.name},
            code="not_member",
        )
    if target.pk not in members:
        errors["target"] = ValidationError(
            _("%(school)s is not a member this year.") % {"school": target.name},
            code="not_member",
        )
    if scorer.pk == target.pk:
        errors["target"] = ValidationError(_("A school never scores itself."), code="self")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def add_assignment(*, year: EmulationYear, scorer: School, target: School, by) -> Assignment:
    """``scorer`` will score ``target`` this year (both members, never itself)."""
    _assert_scoring_stage(year)
    _check_pair(year, scorer, target, _member_ids(year))
    if Assignment.objects.filter(year=year, scorer=scorer, target=target).exists():
        raise ValidationError(
            {"target": ValidationError(_("This assignment already exists."), code="duplicate")}
        )
    assignment = Assignment(year=year, scorer=scorer, target=target)
    _stamp(assignment, by)
    assignment.save()
    return assignment


@transaction.atomic
def remove_assignment(*, assignment: Assignment, by) -> None:
    """Remove an assignment that was not submitted (its draft scores go with it)."""
    _assert_scoring_stage(assignment.year)
    if assignment.status == AssignmentStatus.SUBMITTED:
        raise ValidationError(
            _("A submitted assignment cannot be removed; reopen it first."), code="submitted"
        )
    _delete_scores(assignment.scores.all(), by)
    _stamp(assignment, by)
    assignment.delete()


@transaction.atomic
def reassign(*, assignment: Assignment, scorer: School, by) -> Assignment:
    """Give the assignment to another scorer (after a conflict of interest, for example).
    The previous scorer's draft scores are removed."""
    year = assignment.year
    _assert_scoring_stage(year)
    if assignment.status == AssignmentStatus.SUBMITTED:
        raise ValidationError(
            _("A submitted assignment cannot be reassigned; reopen it first."), code="submitted"
        )
    _check_pair(year, scorer, assignment.target, _member_ids(year))
    clash = (
        Assignment.objects.filter(year=year, scorer=scorer, target_id=assignment.target_id)
        .exclude(pk=assignment.pk)
        .exists()
    )
    if clash:
        raise ValidationError(
            {
                "scorer": ValidationError(
                    _("%(school)s already scores this school.") % {"school": scorer.name},
                    code="duplicate",
                )
            }
        )
    _delete_scores(assignment.scores.all(), by)
    assignment.scorer = scorer
    assignment.status = AssignmentStatus.NOT_STARTED
    assignment.conflict_declared = False
    assignment.conflict_reason = ""
    assignment.is_late = False
    assignment.submitted_at = None
    assignment.submitted_by = None
    _stamp(assignment, by)
    assignment.save()
    return assignment


@transaction.atomic
def declare_conflict(*, assignment: Assignment, reason: str, by) -> Assignment:
    """The scorer declares a conflict of interest; the secretariat then reassigns."""
    _assert_scoring_stage(assignment.year)
    if assignment.status == AssignmentStatus.SUBMITTED:
        raise ValidationError(_("This assignment was already submitted."), code="submitted")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": ValidationError(_("Say why there is a conflict."), code="required")}
        )
    assignment.conflict_declared = True
    assignment.conflict_reason = reason
    _stamp(assignment, by)
    assignment.save()
    return assignment


@transaction.atomic
def reopen_assignment(*, assignment: Assignment, by) -> Assignment:
    """The secretariat returns a submitted assignment to draft so the scorer can fix it."""
    _assert_scoring_stage(assignment.year)
    if assignment.status != AssignmentStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted assignment can be reopened."), code="state")
    assignment.status = AssignmentStatus.DRAFT
    assignment.submitted_at = None
    assignment.submitted_by = None
    assignment.is_late = False
    _stamp(assignment, by)
    assignment.save()
    return assignment


def _delete_scores(scores: Iterable[CrossScore], by) -> None:
    for score in scores:
        _stamp(score, by)
        score.delete()


# --- scoring -------------------------------------------------------------------------------------


@transaction.atomic
def save_cross_scores(
    *,
    assignment: Assignment,
    entries: Mapping[int, tuple[object, str]],
    by,
    submit: bool = False,
    today: dt.date | None = None,
) -> Assignment:
    """Save the scorer's points and comments (criterion id → (points, comment)) as a draft,
    or submit them. One transaction; errors keyed ``points_<criterion id>``.

    Submitting needs a score for every criterion and follows the cross-scoring phase's
    deadlines and the scorer's extension (deadlines.judge_submission): late after the
    deadline, refused after the final deadline.
    """
    year = assignment.year
    _assert_scoring_stage(year)
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.status == AssignmentStatus.SUBMITTED:
        raise ValidationError(_("These scores were already submitted."), code="submitted")
    if assignment.conflict_declared:
        raise ValidationError(
            _("A conflict of interest was declared: the secretariat will reassign this school."),
            code="conflict",
        )
    _table, _groups, criteria = criteria_of_year(year)
    errors: dict[str, list] = {}
    cleaned: dict[int, tuple[Decimal | None, str]] = {}
    for criterion in criteria:
        raw_points, comment = entries.get(criterion.pk, (None, ""))
        try:
            points = _check_points(raw_points, criterion.max_points, allow_none=not submit)
        except ValidationError as error:
            errors[f"points_{criterion.pk}"] = error.error_list
            continue
        cleaned[criterion.pk] = (points, (comment or "").strip())
    if errors:
        raise ValidationError(errors)

    verdict = None
    if submit:
        verdict = judge_submission(
            year=year,
            school=assignment.scorer,
            phase_kind=PhaseKind.CROSS_SCORING,
            on=today or timezone.localdate(),
        )
        if not verdict.allowed:
            raise ValidationError(
                _("The final deadline (%(day)s) has passed: ask the secretariat for an extension.")
                % {"day": _d(verdict.hard_deadline)},
                code="deadline",
            )

    existing = {s.criterion_id: s for s in CrossScore.objects.filter(assignment=assignment)}
    to_create, to_update = [], []
    for criterion_id, (points, comment) in cleaned.items():
        score = existing.get(criterion_id)
        if score is None:
            if points is None and not comment:
                continue
            to_create.append(
                CrossScore(
                    assignment=assignment, criterion_id=criterion_id, points=points, comment=comment
                )
            )
        elif score.points != points or score.comment != comment:
            score.points = points
            score.comment = comment
            to_update.append(score)
    if to_create:
        bulk_create_with_history(to_create, CrossScore, default_user=_user(by))
    if to_update:
        bulk_update_with_history(
            to_update, CrossScore, ["points", "comment"], default_user=_user(by)
        )

    if submit:
        assignment.status = AssignmentStatus.SUBMITTED
        assignment.submitted_at = timezone.now()
        assignment.submitted_by = _user(by)
        assignment.is_late = bool(verdict and verdict.late)
    elif any(points is not None or comment for points, comment in cleaned.values()):
        assignment.status = AssignmentStatus.DRAFT
    _stamp(assignment, by)
    assignment.save()
    return assignment


# --- reminders -----------------------------------------------------------------------------------


def schools_not_done(year: EmulationYear) -> list[School]:
    """Scorer schools with an assignment not yet submitted."""
    ids = (
        Assignment.objects.filter(year=year)
        .exclude(status=AssignmentStatus.SUBMITTED)
        .values("scorer_id")
    )
    return list(School.objects.filter(pk__in=ids).order_by("code"))


def queue_reminders(*, year: EmulationYear, schools: Iterable[School] | None = None, by) -> int:
    """Queue a reminder email to the representatives of each scorer school that has not
    submitted all its assignments (or of ``schools`` among them). Returns the number of
    schools reminded. The emails go after the transaction commits."""
    from ..tasks_scoring import send_scoring_reminder_task

    assert_not_frozen(year)
    pending = {school.pk: school for school in schools_not_done(year)}
    chosen = [s for s in schools if s.pk in pending] if schools is not None else pending.values()
    ids = [school.pk for school in chosen]
    for school_id in ids:
        transaction.on_commit(
            lambda school_id=school_id: send_scoring_reminder_task.delay(year.pk, school_id)
        )
    return len(ids)


def send_scoring_reminder(*, year_id: int, school_id: int) -> int:
    """Email the school's active representatives the list of schools it still has to score.
    Returns the number of emails sent (0 when nothing is pending any more)."""
    from accounts.models import User

    year = EmulationYear.objects.select_related("cluster").get(pk=year_id)
    school = School.objects.get(pk=school_id)
    pending = list(
        Assignment.objects.filter(year=year, scorer=school)
        .exclude(status=AssignmentStatus.SUBMITTED)
        .select_related("target")
        .order_by("target__code")
    )
    if not pending:
        return 0
    phase = Phase.objects.filter(year=year, kind=PhaseKind.CROSS_SCORING).first()
    link = django_settings.SITE_URL + reverse(
        "evaluations:scoring_my_targets",
        kwargs={"code": year.cluster.code, "label": year.label},
    )
    sent = 0
    recipients = User.objects.filter(
        school=school, role=Role.REPRESENTATIVE, is_active=True
    ).order_by("email")
    for user in recipients:
        with translation.override(user.language or "vi"):
            context = {
                "user": user,
                "year": year,
                "school": school,
                "pending": pending,
                "phase": phase,
                "deadline": _d(phase.deadline) if phase else "",
                "link": link,
            }
            subject = render_to_string("emails/scoring/reminder_subject.txt", context).strip()
            body = render_to_string("emails/scoring/reminder_body.txt", context)
        send_mail(subject, body, None, [user.email])
        sent += 1
    return sent


# --- bonus and deductions ------------------------------------------------------------------------


def _note_required(year: EmulationYear, note: str) -> str:
    note = (note or "").strip()
    if _stage(year) == ResultsStage.PUBLISHED and not note:
        raise ValidationError(
            {
                "note": ValidationError(
                    _("The results are published: say why the points change."),
                    code="note_required",
                )
            }
        )
    return note


@transaction.atomic
def approve_bonus(*, claim: BonusClaim, approved_points, by, note: str = "") -> BonusClaim:
    """Set the bonus points the secretariat approves for a claim (0..claimed; empty = not
    decided). The change is logged with who, when and ``note`` (required once published)."""
    year = claim.report.year
    assert_not_frozen(year)
    note = _note_required(year, note)
    if claim.report.status not in (SubmissionStatus.SUBMITTED, SubmissionStatus.ACCEPTED):
        raise ValidationError(_("The school's report has not been submitted."), code="report")
    try:
        points = _check_points(approved_points, claim.points)
    except ValidationError as error:
        raise ValidationError({"approved_points": error.error_list})
    if points == claim.approved_points:
        return claim
    claim.approved_points = points
    _stamp(claim, by)
    claim._change_reason = note
    claim.save()
    return claim


@transaction.atomic
def approve_deduction(
    *, deduction: DeclaredDeduction, approved_points, by, note: str = ""
) -> DeclaredDeduction:
    """Set the deduction points the secretariat approves for a declared deduction (empty =
    not decided). Logged like ``approve_bonus``."""
    year = deduction.report.year
    assert_not_frozen(year)
    note = _note_required(year, note)
    if deduction.report.status not in (SubmissionStatus.SUBMITTED, SubmissionStatus.ACCEPTED):
        raise ValidationError(_("The school's report has not been submitted."), code="report")
    try:
        points = _check_points(approved_points, None)
    except ValidationError as error:
        raise ValidationError({"approved_points": error.error_list})
    if points == deduction.approved_points:
        return deduction
    deduction.approved_points = points
    _stamp(deduction, by)
    deduction._change_reason = note
    deduction.save()
    return deduction


@transaction.atomic
def impose_deduction(
    *,
    year: EmulationYear,
    school: School,
    points,
    explanation: str,
    by,
    reason: DeductionReason | None = None,
) -> ImposedDeduction:
    """A deduction the secretariat records against a member (e.g. a late report)."""
    assert_not_frozen(year)
    errors = {}
    if school.pk not in _member_ids(year):
        errors["school"] = ValidationError(
            _("%(school)s is not a member this year.") % {"school": school.name},
            code="not_member",
        )
    try:
        points = _check_points(points, None, allow_none=False)
    except ValidationError as error:
        errors["points"] = error.error_list
    explanation = (explanation or "").strip()
    if not explanation:
        errors["explanation"] = ValidationError(_("Explain the deduction."), code="required")
    if errors:
        raise ValidationError(errors)
    deduction = ImposedDeduction(
        year=year,
        school=school,
        reason=reason,
        points=points,
        explanation=explanation,
        created_by=_user(by),
    )
    _stamp(deduction, by)
    deduction.save()
    return deduction


@transaction.atomic
def remove_imposed_deduction(*, deduction: ImposedDeduction, by) -> None:
    assert_not_frozen(deduction.year)
    _stamp(deduction, by)
    deduction.delete()


# --- publication, objections, freezing -----------------------------------------------------------


@transaction.atomic
def publish_results(*, year: EmulationYear, by, today: dt.date | None = None) -> ScoringSettings:
    """Publish the provisional results to the members; objections are accepted for the
    year's comment window (until today + window days)."""
    settings = _fresh_settings(year) or ensure_settings(year=year, by=by)
    if settings.stage == ResultsStage.FROZEN:
        raise frozen_error()
    if settings.stage != ResultsStage.SCORING:
        raise ValidationError(_("The results are already published."), code="published")
    table, _groups, criteria = criteria_of_year(year)
    if table is None or not criteria:
        raise ValidationError(_("The year has no criteria table to score against."), code="table")
    today = today or timezone.localdate()
    settings.stage = ResultsStage.PUBLISHED
    settings.published_at = timezone.now()
    settings.published_by = _user(by)
    settings.objections_until = today + dt.timedelta(days=settings.comment_window_days)
    _stamp(settings, by)
    settings.save()
    return settings


@transaction.atomic
def raise_objection(
    *,
    year: EmulationYear,
    school: School,
    target: School,
    criterion: Criterion | None,
    text: str,
    by,
    today: dt.date | None = None,
) -> Objection:
    """A member objects to a published provisional result (on a criterion, or to the bonus,
    deductions or total when ``criterion`` is None) within the comment window."""
    settings = ScoringSettings.objects.filter(year=year).first()
    today = today or timezone.localdate()
    if settings is None or settings.stage != ResultsStage.PUBLISHED:
        raise ValidationError(
            _("Objections are accepted only while provisional results are published."),
            code="stage",
        )
    if settings.objections_until is None or today > settings.objections_until:
        raise ValidationError(
            _("The objection window closed on %(day)s.")
            % {"day": _d(settings.objections_until or today)},
            code="window",
        )
    members = _member_ids(year)
    errors = {}
    if school.pk not in members:
        errors["school"] = ValidationError(
            _("%(school)s is not a member this year.") % {"school": school.name},
            code="not_member",
        )
    if target.pk not in members:
        errors["target"] = ValidationError(
            _("%(school)s is not a member this year.") % {"school": target.name},
            code="not_member",
        )
    if criterion is not None and (
        criterion.table.year_id != year.pk or criterion.parent_id is None
    ):
        errors["criterion"] = ValidationError(
            _("Choose a criterion of this year's table."), code="criterion"
        )
    text = (text or "").strip()
    if not text:
        errors["text"] = ValidationError(_("Write the objection."), code="required")
    if errors:
        raise ValidationError(errors)
    objection = Objection(
        year=year, school=school, target=target, criterion=criterion, text=text, raised_by=by
    )
    _stamp(objection, by)
    objection.save()
    return objection


@transaction.atomic
def answer_objection(*, objection: Objection, answer: str, by) -> Objection:
    """The secretariat answers an objection (while the results are provisional)."""
    stage = _stage(objection.year)
    if stage == ResultsStage.FROZEN:
        raise frozen_error()
    if stage != ResultsStage.PUBLISHED:
        raise ValidationError(
            _("Objections are answered while provisional results are published."),
            code="stage",
        )
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError({"answer": ValidationError(_("Write the answer."), code="required")})
    objection.answer = answer
    objection.status = ObjectionStatus.ANSWERED
    objection.answered_by = _user(by)
    objection.answered_at = timezone.now()
    _stamp(objection, by)
    objection.save()
    return objection


def fingerprint_of(csv_text: str) -> str:
    """SHA-256 (hex) of the UTF-8 bytes of the ranking CSV: what ``sha256sum`` prints for
    the file ``export_ranking --format csv`` writes."""
    return hashlib.sha256(csv_text.encode("utf-8")).hexdigest()


@transaction.atomic
def freeze_results(*, year: EmulationYear, by) -> ScoringSettings:
    """Freeze the year: store the ranking (ResultRow) under the year's method and its
    SHA-256 fingerprint. Irreversible: afterwards nothing of the year's scoring changes.
    Refused while an objection awaits an answer."""
    settings = _fresh_settings(year)
    if settings is not None and settings.stage == ResultsStage.FROZEN:
        raise frozen_error()
    if settings is None or settings.stage != ResultsStage.PUBLISHED:
        raise ValidationError(
            _("Publish the provisional results before freezing them."), code="not_published"
        )
    open_count = Objection.objects.filter(year=year, status=ObjectionStatus.OPEN).count()
    if open_count:
        raise ValidationError(
            _("%(count)d objection(s) still await an answer.") % {"count": open_count},
            code="open_objections",
        )
    lines = compute_lines(load_year_data(year), settings.method)
    ResultRow.objects.filter(year=year).delete()
    ResultRow.objects.bulk_create(
        [
            ResultRow(
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
            for line in lines
        ]
    )
    csv_text = ranking_csv(frozen_lines(year))
    if csv_text != ranking_csv(lines):  # pragma: no cover - a storage round-trip bug
        raise ValidationError("The stored results differ from the computed ones.", code="bug")
    settings.fingerprint = fingerprint_of(csv_text)
    settings.stage = ResultsStage.FROZEN
    settings.frozen_at = timezone.now()
    settings.frozen_by = _user(by)
    _stamp(settings, by)
    settings.save()
    return settings


# --- import from .xlsx ---------------------------------------------------------------------------


@dataclass
class ImportRow:
    row: int  # the spreadsheet's row number
    scorer_code: str
    target_code: str
    criterion_code: str
    points: object


@dataclass
class ImportSummary:
    rows: int = 0
    pairs: int = 0
    created_assignments: int = 0
    pair_codes: list[str] = field(default_factory=list)


def _import_points_problem(error: ValidationError, value, criterion: Criterion) -> str:
    code = getattr(error, "code", None) or error.error_list[0].code
    if code == "required":
        return _("points missing")
    if code == "decimals":
        return _("points %(value)s have more than two decimals") % {"value": value}
    if code == "range":
        return _("points %(value)s outside 0..%(max)s") % {
            "value": value,
            "max": _fmt(criterion.max_points if criterion.max_points is not None else MAX_POINTS),
        }
    return _("points %(value)s are not a number") % {"value": value}


@transaction.atomic
def import_cross_scores(*, year: EmulationYear, rows: list[ImportRow], by) -> ImportSummary:
    """Replace the scores of the (scorer, target) pairs the rows name and mark those
    assignments submitted (creating missing assignments). All or nothing: any problem
    (a school scoring itself, a school not a member that year, an unknown criterion,
    points outside 0..max or with more than two decimals, a duplicate row) refuses the
    whole file with every problem listed by row."""
    _assert_scoring_stage(year)
    members = {s.code.upper(): s for s in members_of_year(year)}
    _table, _groups, criteria = criteria_of_year(year)
    by_code = {c.code.strip().upper(): c for c in criteria}
    problems: list[str] = []
    seen: dict[tuple[str, str, str], int] = {}
    parsed: list[tuple[School, School, Criterion, Decimal]] = []
    if not rows:
        problems.append(_("The file has no rows to import."))
    for item in rows:
        row_problems = []
        scorer_code = (item.scorer_code or "").strip().upper()
        target_code = (item.target_code or "").strip().upper()
        criterion_code = (item.criterion_code or "").strip().upper()
        scorer = members.get(scorer_code)
        target = members.get(target_code)
        criterion = by_code.get(criterion_code)
        if scorer is None:
            row_problems.append(
                _("scorer %(code)s is not a member this year") % {"code": scorer_code or "—"}
            )
        if target is None:
            row_problems.append(
                _("target %(code)s is not a member this year") % {"code": target_code or "—"}
            )
        if scorer_code and scorer_code == target_code:
            row_problems.append(_("%(code)s scores itself") % {"code": scorer_code})
        points = None
        if criterion is None:
            row_problems.append(_("unknown criterion %(code)s") % {"code": criterion_code or "—"})
        else:
            try:
                points = _check_points(item.points, criterion.max_points, allow_none=False)
            except ValidationError as error:
                row_problems.append(_import_points_problem(error, item.points, criterion))
        key = (scorer_code, target_code, criterion_code)
        if key in seen:
            row_problems.append(_("duplicate of row %(row)d") % {"row": seen[key]})
        else:
            seen[key] = item.row
        if row_problems:
            problems.append(
                _("Row %(row)d: %(problems)s.")
                % {"row": item.row, "problems": "; ".join(row_problems)}
            )
        elif points is not None:
            parsed.append((scorer, target, criterion, points))
    if problems:
        raise ValidationError(problems, code="import")

    pairs: dict[tuple[int, int], list[tuple[Criterion, Decimal]]] = {}
    schools: dict[tuple[int, int], tuple[School, School]] = {}
    for scorer, target, criterion, points in parsed:
        pairs.setdefault((scorer.pk, target.pk), []).append((criterion, points))
        schools[(scorer.pk, target.pk)] = (scorer, target)
    existing = {
        (a.scorer_id, a.target_id): a
        for a in Assignment.objects.filter(year=year).select_related("scorer", "target")
    }
    summary = ImportSummary(rows=len(parsed), pairs=len(pairs))
    now = timezone.now()
    for pair, scores in sorted(
        pairs.items(), key=lambda p: (schools[p[0]][0].code, schools[p[0]][1].code)
    ):
        scorer, target = schools[pair]
        assignment = existing.get(pair)
        if assignment is None:
            assignment = Assignment(year=year, scorer=scorer, target=target)
            summary.created_assignments += 1
        assignment.status = AssignmentStatus.SUBMITTED
        assignment.submitted_at = now
        assignment.submitted_by = _user(by)
        assignment.is_late = False
        _stamp(assignment, by)
        assignment.save()
        current = {s.criterion_id: s for s in CrossScore.objects.filter(assignment=assignment)}
        named = {criterion.pk for criterion, _points in scores}
        _delete_scores([s for cid, s in current.items() if cid not in named], by)
        to_create, to_update = [], []
        for criterion, points in scores:
            score = current.get(criterion.pk)
            if score is None:
                to_create.append(
                    CrossScore(assignment=assignment, criterion=criterion, points=points)
                )
            elif score.points != points:
                score.points = points
                to_update.append(score)
        if to_create:
            bulk_create_with_history(to_create, CrossScore, default_user=_user(by))
        if to_update:
            bulk_update_with_history(to_update, CrossScore, ["points"], default_user=_user(by))
        summary.pair_codes.append(f"{scorer.code} → {target.code}")
    return summary
