"""Deadline extensions: the secretariat grants, edits and revokes them per school and phase.

``evaluations.deadlines.judge_submission`` reads them; every change is kept by the
Extension model's history (who, when, what).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cluster.enums import PhaseKind
from cluster.models import EmulationYear, Phase, School
from cluster.selectors import members_of_year

from ..models import Extension

EXTENSION_PHASES = (PhaseKind.PLEDGE, PhaseKind.REPORT)


def _validate(*, year: EmulationYear, school: School, phase_kind: str, until: dt.date, reason: str):
    errors: dict[str, str] = {}
    if phase_kind not in EXTENSION_PHASES:
        errors["phase_kind"] = _("Extensions are granted for the pledge or the annual report.")
    if not members_of_year(year).filter(pk=school.pk).exists():
        errors["school"] = _("%(school)s is not a member of the cluster in %(year)s.") % {
            "school": school.name,
            "year": year.label,
        }
    phase = Phase.objects.filter(year=year, kind=phase_kind).first()
    if phase is not None and until <= phase.deadline:
        errors["until"] = _("An extension must end after the deadline (%(deadline)s).") % {
            "deadline": phase.deadline.strftime("%d/%m/%Y")
        }
    if not (reason or "").strip():
        errors["reason"] = _("Give the reason for the extension.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def grant_extension(
    *,
    year: EmulationYear,
    school: School,
    phase_kind: str,
    until: dt.date,
    reason: str,
    by,
) -> Extension:
    """Grant ``school`` an extension for ``phase_kind`` until a date (or change the one it
    has: one extension per school, phase and year)."""
    _validate(year=year, school=school, phase_kind=phase_kind, until=until, reason=reason)
    extension = Extension.objects.filter(year=year, school=school, phase_kind=phase_kind).first()
    if extension is None:
        extension = Extension(year=year, school=school, phase_kind=phase_kind)
    extension.until = until
    extension.reason = reason.strip()
    extension.granted_by = by
    extension._history_user = by
    extension.save()
    return extension


@transaction.atomic
def update_extension(*, extension: Extension, until: dt.date, reason: str, by) -> Extension:
    """Change the date or the reason of an extension."""
    _validate(
        year=extension.year,
        school=extension.school,
        phase_kind=extension.phase_kind,
        until=until,
        reason=reason,
    )
    extension.until = until
    extension.reason = reason.strip()
    extension.granted_by = by
    extension._history_user = by
    extension.save()
    return extension


@transaction.atomic
def revoke_extension(*, extension: Extension, by) -> None:
    """Withdraw an extension: the school's deadlines are the phase's again."""
    extension._history_user = by
    extension.delete()
