"""Annual reports: drafts, submission, return and acceptance, evidence files.

Every write of the report workflow goes through these functions (views, admin, commands).
The rules they keep:
- a draft saves whatever is valid and reports the rest (``save_report_draft`` returns
  ``{field name: message}``), so nothing typed is ever lost;
- a submission is complete (every criterion scored within 0..max, evidence where the table
  requires it, the "results achieved" section written) and within the deadlines
  (``evaluations.deadlines.judge_submission``);
- a submitted report is read-only; the secretariat returns it with a comment or accepts it;
  every step is a ``ReportEvent`` and each submission keeps a snapshot of the report.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from cluster.enums import PhaseKind
from cluster.models import EmulationYear, School

from ..deadlines import judge_submission
from ..enums import SubmissionStatus
from ..files import clean_file_name, validate_evidence_file
from ..models import (
    AnnualReport,
    BonusClaim,
    Criterion,
    DeclaredDeduction,
    DeductionReason,
    Evidence,
    Indicator,
    IndicatorResult,
    ReportEvent,
    ReportEventKind,
    SelfScore,
)
from ..selectors_reports import (
    format_points,
    report_missing_items,
    report_snapshot,
    scored_criteria,
)

SECTION_FIELDS = ("results", "limitations", "lessons", "directions")
OPEN_STATUSES = (SubmissionStatus.DRAFT, SubmissionStatus.RETURNED)
TWO_PLACES = Decimal("0.01")
# IndicatorResult.actual and PledgeTarget.target: max_digits=12, decimal_places=2.
MAX_ACTUAL = Decimal("9999999999.99")
# Points fields: max_digits=7, decimal_places=2.
MAX_POINTS = Decimal("99999.99")

_ROW_KEY = re.compile(r"^(bonus|deduction)-(\d+|new-\d+)-(points|reason|explanation|delete)$")


# --- keys of the report form --------------------------------------------------------------


def score_key(criterion_id: int) -> str:
    return f"score-{criterion_id}"


def explanation_key(criterion_id: int) -> str:
    return f"explanation-{criterion_id}"


def actual_key(indicator_id: int) -> str:
    return f"actual-{indicator_id}"


# --- parsing --------------------------------------------------------------------------------


class _Invalid(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def parse_decimal(raw: str | None) -> Decimal | None:
    """A number typed by a person: empty is None; a comma is the decimal separator too
    (Vietnamese writes 7,5); at most two decimals."""
    text = (raw or "").strip().replace("\u00a0", "").replace(" ", "")
    if not text:
        return None
    if "," in text and "." in text:
        raise _Invalid(_("Enter a number, such as 7.5."))
    text = text.replace(",", ".")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise _Invalid(_("Enter a number, such as 7.5."))
    if not value.is_finite():
        raise _Invalid(_("Enter a number, such as 7.5."))
    if abs(value) > MAX_ACTUAL:
        raise _Invalid(_("The number is too large."))
    if value != value.quantize(TWO_PLACES):
        raise _Invalid(_("Use at most two decimals."))
    return value.quantize(TWO_PLACES)


def parse_score(raw: str | None, maximum: Decimal | None) -> Decimal | None:
    value = parse_decimal(raw)
    if value is None:
        return None
    upper = maximum if maximum is not None else MAX_POINTS
    if value < 0 or value > upper:
        raise _Invalid(_("Must be between 0 and %(max)s.") % {"max": format_points(upper)})
    return value


def _parse_non_negative(raw: str | None, upper: Decimal) -> Decimal | None:
    value = parse_decimal(raw)
    if value is None:
        return None
    if value < 0:
        raise _Invalid(_("Must not be negative."))
    if value > upper:
        raise _Invalid(_("Must be at most %(max)s.") % {"max": format_points(upper)})
    return value


def _text(data: Mapping, key: str) -> str:
    # Browsers send CRLF: store LF so that an unchanged text is not a change.
    return (data.get(key) or "").replace("\r\n", "\n").replace("\r", "\n")


def _require_open(report: AnnualReport) -> None:
    if report.status not in OPEN_STATUSES:
        raise ValidationError(
            _("This report has been submitted and is read-only."), code="read_only"
        )


# --- drafts -------------------------------------------------------------------------------


def get_or_create_report(*, year: EmulationYear, school: School, by) -> AnnualReport:
    """The school's report for the year, created as an empty draft on first use."""
    report = AnnualReport.objects.filter(year=year, school=school).first()
    if report is not None:
        return report
    report = AnnualReport(year=year, school=school)
    report._history_user = by
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:
        # Two first visits at once (two tabs): the other one created it.
        return AnnualReport.objects.get(year=year, school=school)
    return report


def _save_rows(
    *,
    report: AnnualReport,
    by,
    data: Mapping,
    errors: dict[str, str],
    bonus_cap: Decimal | None,
    reasons: dict[int, DeductionReason],
) -> bool:
    """Bonus claims and declared deductions (a few rows; saved one by one with history)."""
    rows: dict[tuple[str, str], dict[str, str]] = {}
    for key in data:
        match = _ROW_KEY.match(key)
        if match:
            kind, row_id, field = match.groups()
            rows.setdefault((kind, row_id), {})[field] = _text(data, key)
    if not rows:
        return False
    bonuses = {b.pk: b for b in report.bonus_claims.all()}
    deductions = {d.pk: d for d in report.deductions.all()}
    changed = False
    for (kind, row_id), fields in sorted(rows.items()):
        prefix = f"{kind}-{row_id}"
        existing = None
        if not row_id.startswith("new-"):
            existing = (bonuses if kind == "bonus" else deductions).get(int(row_id))
            if existing is None:
                continue  # not this report's row: ignore it
        typed = {k: v.strip() for k, v in fields.items() if k != "delete"}
        if fields.get("delete") or not any(typed.values()):
            if existing is not None:
                existing._history_user = by
                existing.delete()
                changed = True
            continue
        row_errors: dict[str, str] = {}
        if kind == "bonus":
            upper = bonus_cap if bonus_cap is not None else MAX_POINTS
            try:
                points = _parse_non_negative(fields.get("points"), upper)
            except _Invalid as error:
                row_errors[f"{prefix}-points"] = error.message
                points = None
            else:
                if points is None:
                    row_errors[f"{prefix}-points"] = _("Enter the points claimed.")
            reason = fields.get("reason", "").strip()
            if not reason:
                row_errors[f"{prefix}-reason"] = _("Give the reason for the bonus.")
            if row_errors:
                errors.update(row_errors)
                continue
            claim = existing or BonusClaim(report=report)
            if existing is None or (claim.points, claim.reason) != (points, reason):
                claim.points, claim.reason = points, reason
                claim._history_user = by
                claim.save()
                changed = True
        else:
            reason_obj = None
            raw_reason = fields.get("reason", "").strip()
            if raw_reason.isdigit():
                reason_obj = reasons.get(int(raw_reason))
            if reason_obj is None:
                row_errors[f"{prefix}-reason"] = _("Choose a reason from the list.")
            try:
                points = _parse_non_negative(fields.get("points"), MAX_POINTS)
            except _Invalid as error:
                row_errors[f"{prefix}-points"] = error.message
                points = None
            if row_errors:
                errors.update(row_errors)
                continue
            if points is None:
                points = reason_obj.points
            explanation = fields.get("explanation", "")
            deduction = existing or DeclaredDeduction(report=report)
            new_values = (reason_obj.pk, points, explanation)
            if (
                existing is None
                or (
                    deduction.reason_id,
                    deduction.points,
                    deduction.explanation,
                )
                != new_values
            ):
                deduction.reason = reason_obj
                deduction.points = points
                deduction.explanation = explanation
                deduction._history_user = by
                deduction.save()
                changed = True
    return changed


def save_report_draft(*, report: AnnualReport, by, data: Mapping) -> dict[str, str]:
    """Save every valid value of the report form and return ``{field: message}`` for the
    invalid ones (which are left as they were).

    ``data`` holds the form's fields (``request.POST``): the sections (``results``,
    ``limitations``, ``lessons``, ``directions``), ``actual-<indicator id>``,
    ``score-<criterion id>``, ``explanation-<criterion id>``, and rows
    ``bonus-<id|new-n>-points|reason|delete`` and
    ``deduction-<id|new-n>-reason|points|explanation|delete``. A field that is absent is
    left unchanged. All scores are written in one transaction with bulk queries: the
    number of queries does not depend on the number of criteria.
    """
    _require_open(report)
    errors: dict[str, str] = {}
    now = timezone.now()
    with transaction.atomic():
        criteria = scored_criteria(report.year)
        table = criteria[0].table if criteria else None
        scores = {s.criterion_id: s for s in report.self_scores.all()}
        score_creates: list[SelfScore] = []
        score_updates: list[SelfScore] = []
        for criterion in criteria:
            skey, ekey = score_key(criterion.pk), explanation_key(criterion.pk)
            if skey not in data and ekey not in data:
                continue
            current = scores.get(criterion.pk)
            points = current.points if current else None
            explanation = current.explanation if current else ""
            if skey in data:
                try:
                    points = parse_score(data.get(skey), criterion.max_points)
                except _Invalid as error:
                    errors[skey] = error.message
            if ekey in data:
                explanation = _text(data, ekey)
            if current is None:
                if points is not None or explanation.strip():
                    score_creates.append(
                        SelfScore(
                            report=report,
                            criterion=criterion,
                            points=points,
                            explanation=explanation,
                        )
                    )
            elif (current.points, current.explanation) != (points, explanation):
                current.points, current.explanation = points, explanation
                score_updates.append(current)
        if score_creates:
            bulk_create_with_history(score_creates, SelfScore, default_user=by, default_date=now)
        if score_updates:
            bulk_update_with_history(
                score_updates,
                SelfScore,
                ["points", "explanation"],
                default_user=by,
                default_date=now,
            )

        changed = bool(score_creates or score_updates)
        changed |= _save_indicator_results(report=report, by=by, data=data, errors=errors, now=now)

        reasons = {r.pk: r for r in DeductionReason.objects.filter(table=table)} if table else {}
        if table is None:
            table_cap = None
        else:
            table_cap = table.bonus_cap
        changed |= _save_rows(
            report=report,
            by=by,
            data=data,
            errors=errors,
            bonus_cap=table_cap,
            reasons=reasons,
        )

        section_changes = [
            name
            for name in SECTION_FIELDS
            if name in data and getattr(report, name) != _text(data, name)
        ]
        for name in section_changes:
            setattr(report, name, _text(data, name))
        if section_changes or changed:
            report._history_user = by
            report.save(update_fields=[*section_changes, "updated_at"])
    return errors


def _save_indicator_results(
    *, report: AnnualReport, by, data: Mapping, errors: dict[str, str], now: dt.datetime
) -> bool:
    keys = [k for k in data if k.startswith("actual-")]
    if not keys:
        return False
    indicators = list(Indicator.objects.filter(year_id=report.year_id))
    results = {r.indicator_id: r for r in report.indicator_results.all()}
    creates: list[IndicatorResult] = []
    updates: list[IndicatorResult] = []
    for indicator in indicators:
        key = actual_key(indicator.pk)
        if key not in data:
            continue
        try:
            actual = _parse_non_negative(data.get(key), MAX_ACTUAL)
        except _Invalid as error:
            errors[key] = error.message
            continue
        current = results.get(indicator.pk)
        if current is None:
            if actual is not None:
                creates.append(IndicatorResult(report=report, indicator=indicator, actual=actual))
        elif current.actual != actual:
            current.actual = actual
            updates.append(current)
    if creates:
        bulk_create_with_history(creates, IndicatorResult, default_user=by, default_date=now)
    if updates:
        bulk_update_with_history(
            updates, IndicatorResult, ["actual"], default_user=by, default_date=now
        )
    return bool(creates or updates)


# --- submission, return, acceptance ---------------------------------------------------------


def _deadline_message(verdict) -> str:
    if verdict.extended_until is not None:
        return _(
            "The extension granted until %(until)s has ended and the final deadline "
            "(%(hard)s) has passed: ask the secretariat for a new extension."
        ) % {
            "until": verdict.extended_until.strftime("%d/%m/%Y"),
            "hard": verdict.hard_deadline.strftime("%d/%m/%Y"),
        }
    return _("The final deadline (%(hard)s) has passed: ask the secretariat for an extension.") % {
        "hard": verdict.hard_deadline.strftime("%d/%m/%Y")
    }


@transaction.atomic
def submit_report(*, report: AnnualReport, by, today: dt.date | None = None) -> AnnualReport:
    """Submit a draft or returned report.

    Raises ValidationError listing everything missing ("criterion 1.2: no score",
    "criterion 2.1: evidence required"…) or the refusal after the final deadline. A first
    submission after the deadline is marked late. A resubmission after the secretariat
    returned the report is not refused by the deadlines and keeps the lateness of the
    first submission: the school is fixing what it was asked to fix.
    """
    _require_open(report)
    problems: list[str] = []
    first_submission = report.version == 0
    late = report.is_late
    if first_submission:
        verdict = judge_submission(
            year=report.year, school=report.school, phase_kind=PhaseKind.REPORT, on=today
        )
        if not verdict.allowed:
            problems.append(_deadline_message(verdict))
        late = verdict.late
    problems.extend(report_missing_items(report))
    if problems:
        raise ValidationError(problems, code="incomplete")
    now = timezone.now()
    report.status = SubmissionStatus.SUBMITTED
    report.submitted_at = now
    report.submitted_by = by
    report.is_late = late
    report.version += 1
    report._history_user = by
    report.save()
    ReportEvent.objects.create(
        report=report,
        kind=ReportEventKind.SUBMITTED,
        version=report.version,
        at=now,
        by=by,
        is_late=late,
        snapshot=report_snapshot(report),
    )
    return report


@transaction.atomic
def return_report(*, report: AnnualReport, by, comment: str) -> AnnualReport:
    """The secretariat sends a submitted report back to its school with a comment."""
    comment = (comment or "").strip()
    if report.status != SubmissionStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted report can be returned."), code="status")
    if not comment:
        raise ValidationError({"comment": _("Say what the school must change.")}, code="required")
    now = timezone.now()
    report.status = SubmissionStatus.RETURNED
    report.returned_at = now
    report.returned_by = by
    report.return_comment = comment
    report._history_user = by
    report.save()
    ReportEvent.objects.create(
        report=report,
        kind=ReportEventKind.RETURNED,
        version=report.version,
        at=now,
        by=by,
        comment=comment,
    )
    return report


@transaction.atomic
def accept_report(*, report: AnnualReport, by, comment: str = "") -> AnnualReport:
    """The secretariat accepts a submitted report (it stays read-only)."""
    if report.status != SubmissionStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted report can be accepted."), code="status")
    report.status = SubmissionStatus.ACCEPTED
    report._history_user = by
    report.save()
    ReportEvent.objects.create(
        report=report,
        kind=ReportEventKind.ACCEPTED,
        version=report.version,
        by=by,
        comment=(comment or "").strip(),
    )
    return report


# --- evidence -------------------------------------------------------------------------------


def evidence_bytes(report: AnnualReport) -> int:
    return report.evidence.aggregate(total=Sum("size"))["total"] or 0


def add_evidence(
    *,
    report: AnnualReport,
    by,
    uploaded_file,
    criterion: Criterion | None = None,
    description: str = "",
) -> Evidence:
    """Attach a file to the report (to one criterion, or to the report as a whole).

    The file's type is judged from its content; the size limits are
    ``settings.EVIDENCE_MAX_FILE_SIZE`` per file and ``EVIDENCE_MAX_REPORT_SIZE`` per
    report. Allowed while the report is a draft or returned.
    """
    _require_open(report)
    if criterion is not None and (criterion.is_group or criterion.table.year_id != report.year_id):
        raise ValidationError(
            {"criterion": _("Choose a criterion of this year's table.")}, code="criterion"
        )
    detected = validate_evidence_file(uploaded_file, used_bytes=evidence_bytes(report))
    evidence = Evidence(
        report=report,
        criterion=criterion,
        original_name=clean_file_name(uploaded_file.name or "", detected.extension),
        content_type=detected.content_type,
        size=uploaded_file.size,
        description=(description or "").strip()[:300],
        uploaded_by=by,
    )
    evidence.file = uploaded_file
    try:
        with transaction.atomic():
            evidence.save()
    except Exception:
        if evidence.file and evidence.file.name:
            evidence.file.storage.delete(evidence.file.name)
        raise
    return evidence


def remove_evidence(*, evidence: Evidence, by) -> None:
    """Remove an evidence file from a draft or returned report (the stored file too)."""
    _require_open(evidence.report)
    storage, name = evidence.file.storage, evidence.file.name
    with transaction.atomic():
        evidence.delete()
        if name:
            transaction.on_commit(lambda: storage.delete(name))
