"""Pledges (đăng ký thi đua): drafts, submission against the deadline, review.

The workflow: draft → submitted → accepted, or submitted → returned (with a comment) →
submitted again. Drafts and returned pledges are edited by the school; submitted and
accepted pledges are read-only for it. Who may call what is decided by the predicates in
``evaluations.rules_criteria``; the state rules are enforced here, for every caller.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cluster.enums import PhaseKind
from cluster.models import EmulationYear, School
from cluster.selectors import members_of_year

from ..deadlines import judge_submission
from ..enums import SubmissionStatus
from ..models import Indicator, Pledge, PledgeTarget
from .criteria import parse_decimal

EDITABLE_STATUSES = (SubmissionStatus.DRAFT, SubmissionStatus.RETURNED)
TARGET_MAX = Decimal("9999999999.99")  # max_digits=12, decimal_places=2


@dataclass(frozen=True)
class PledgeFieldError:
    """A value that could not be saved. ``field`` is ``target_<indicator id>``,
    ``commitments`` or ``registered_titles``."""

    field: str
    message: str


def target_field(indicator: Indicator | int) -> str:
    return f"target_{indicator if isinstance(indicator, int) else indicator.pk}"


def _stamp(instance, by) -> None:
    if by is not None and getattr(by, "is_authenticated", False):
        instance._history_user = by


def _d(day: dt.date) -> str:
    return date_format(day, "d/m/Y")


def is_member_of_year(*, year: EmulationYear, school: School) -> bool:
    return members_of_year(year).filter(pk=school.pk).exists()


@transaction.atomic
def get_or_start_pledge(*, year: EmulationYear, school: School, by) -> Pledge:
    """The school's pledge for the year, created as an empty draft the first time. Only the
    year's member schools pledge."""
    pledge = Pledge.objects.filter(year=year, school=school).first()
    if pledge is not None:
        return pledge
    if not is_member_of_year(year=year, school=school):
        raise ValidationError(
            _("%(school)s is not a member of the cluster in %(year)s.")
            % {"school": school.name, "year": year.label},
            code="not_member",
        )
    pledge = Pledge(year=year, school=school)
    _stamp(pledge, by)
    pledge.save()
    return pledge


def parse_target(raw) -> Decimal | None:
    """A target as typed; raises ValueError with a message for the person."""
    try:
        value = parse_decimal(raw)
    except ValueError:
        raise ValueError(_("Enter a number, e.g. 12 or 12,5."))
    if value is None:
        return None
    if value < 0:
        raise ValueError(_("A target must not be negative."))
    if value > TARGET_MAX:
        raise ValueError(_("This number is too large."))
    if value != value.quantize(Decimal("0.01")):
        raise ValueError(_("Use at most two decimal places."))
    return value


def _require_editable(pledge: Pledge) -> None:
    if pledge.status not in EDITABLE_STATUSES:
        raise ValidationError(
            _("This pledge is %(status)s: the school can no longer change it.")
            % {"status": pledge.get_status_display().lower()},
            code="read_only",
        )


@transaction.atomic
def save_pledge_draft(*, pledge: Pledge, by, data: dict) -> list[PledgeFieldError]:
    """Save what can be saved of the school's entries and return what could not.

    ``data``: ``commitments`` and ``registered_titles`` (text, optional: a missing key
    leaves the field as it is) and ``targets`` ({indicator id: text or number}). A target
    that is not a valid number is not saved (the stored value stays) and is returned as an
    error, so the page can show it at the field with what was typed; every valid field is
    saved. Refused (ValidationError) once the pledge is submitted or accepted.
    """
    pledge = Pledge.objects.select_for_update().get(pk=pledge.pk)
    _require_editable(pledge)
    errors: list[PledgeFieldError] = []
    changed = []
    for name in ("commitments", "registered_titles"):
        if name in data and data[name] is not None:
            value = str(data[name]).strip()
            if getattr(pledge, name) != value:
                setattr(pledge, name, value)
                changed.append(name)
    if changed:
        _stamp(pledge, by)
        pledge.save()
    indicators = {i.pk: i for i in Indicator.objects.filter(year_id=pledge.year_id)}
    current = {t.indicator_id: t for t in PledgeTarget.objects.filter(pledge=pledge)}
    targets_changed = False
    for key, raw in (data.get("targets") or {}).items():
        try:
            indicator_id = int(key)
        except (TypeError, ValueError):
            continue
        if indicator_id not in indicators:
            continue
        try:
            value = parse_target(raw)
        except ValueError as error:
            errors.append(PledgeFieldError(target_field(indicator_id), str(error)))
            continue
        target = current.get(indicator_id)
        if target is None:
            if value is None:
                continue
            target = PledgeTarget(pledge=pledge, indicator_id=indicator_id, target=value)
        elif target.target == value:
            continue
        else:
            target.target = value
        _stamp(target, by)
        target.save()
        targets_changed = True
    if targets_changed and not changed:
        # The pledge's "last changed" follows its targets (without a history row of its own).
        Pledge.objects.filter(pk=pledge.pk).update(updated_at=timezone.now())
    return errors


def missing_targets(pledge: Pledge) -> list[Indicator]:
    """Indicators without a target: a pledge is submitted with every target filled in
    (0 is a target)."""
    filled = set(
        PledgeTarget.objects.filter(pledge=pledge, target__isnull=False).values_list(
            "indicator_id", flat=True
        )
    )
    return [
        indicator
        for indicator in Indicator.objects.filter(year_id=pledge.year_id).order_by("order", "code")
        if indicator.pk not in filled
    ]


@transaction.atomic
def submit_pledge(*, pledge: Pledge, by, today: dt.date | None = None) -> Pledge:
    """Submit a draft (or a returned pledge) to the secretariat.

    A first submission is judged against the pledge phase (``judge_submission``): after the
    deadline it is marked late; after the final deadline it is refused unless the school
    has an extension. A pledge the secretariat returned is resubmitted whatever the date
    (the secretariat asked for the change) and keeps its lateness. Every indicator needs a
    target.
    """
    pledge = Pledge.objects.select_for_update().select_related("year", "school").get(pk=pledge.pk)
    _require_editable(pledge)
    missing = missing_targets(pledge)
    if missing:
        raise ValidationError(
            _("Enter a target for every indicator before submitting (missing: %(names)s).")
            % {"names": ", ".join(i.name for i in missing)},
            code="missing_targets",
        )
    today = today or timezone.localdate()
    if pledge.status == SubmissionStatus.DRAFT:
        verdict = judge_submission(
            year=pledge.year, school=pledge.school, phase_kind=PhaseKind.PLEDGE, on=today
        )
        if not verdict.allowed:
            raise ValidationError(
                _(
                    "The final deadline for pledges was %(date)s: the pledge can no longer be "
                    "submitted. Ask the cluster secretariat for an extension."
                )
                % {"date": _d(verdict.hard_deadline)},
                code="too_late",
            )
        pledge.is_late = verdict.late
    pledge.status = SubmissionStatus.SUBMITTED
    pledge.submitted_at = timezone.now()
    pledge.submitted_by = by if getattr(by, "pk", None) else None
    _stamp(pledge, by)
    pledge.save()
    return pledge


@transaction.atomic
def accept_pledge(*, pledge: Pledge, by) -> Pledge:
    """The secretariat accepts a submitted pledge; it becomes part of the covenant."""
    pledge = Pledge.objects.select_for_update().get(pk=pledge.pk)
    if pledge.status != SubmissionStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted pledge can be accepted."), code="not_submitted")
    pledge.status = SubmissionStatus.ACCEPTED
    pledge.reviewed_at = timezone.now()
    pledge.reviewed_by = by if getattr(by, "pk", None) else None
    _stamp(pledge, by)
    pledge.save()
    return pledge


@transaction.atomic
def return_pledge(*, pledge: Pledge, by, comment: str) -> Pledge:
    """The secretariat returns a submitted (or accepted) pledge to the school with a
    comment saying what to change; the school edits and resubmits it."""
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError(
            {"comment": _("Say what the school should change.")}, code="comment_required"
        )
    pledge = Pledge.objects.select_for_update().get(pk=pledge.pk)
    if pledge.status not in (SubmissionStatus.SUBMITTED, SubmissionStatus.ACCEPTED):
        raise ValidationError(
            _("Only a submitted or accepted pledge can be returned."), code="not_submitted"
        )
    pledge.status = SubmissionStatus.RETURNED
    pledge.return_comment = comment
    pledge.reviewed_at = timezone.now()
    pledge.reviewed_by = by if getattr(by, "pk", None) else None
    _stamp(pledge, by)
    pledge.save()
    return pledge
