"""Deadlines of a phase for one school, with extensions.

- before or on the deadline: on time;
- after the deadline, up to the final (hard) deadline: accepted, marked late;
- after the final deadline (when one is set): refused, unless the school has an extension
  for that phase, in which case it is accepted (and not late) up to the extension's date.
A phase without a final deadline never refuses; a year without the phase has no deadline.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from cluster.models import EmulationYear, Phase, School

from .models import Extension


@dataclass(frozen=True)
class DeadlineVerdict:
    allowed: bool
    late: bool
    deadline: dt.date | None
    hard_deadline: dt.date | None
    extended_until: dt.date | None


def judge_submission(
    *, year: EmulationYear, school: School, phase_kind: str, on: dt.date | None = None
) -> DeadlineVerdict:
    """Whether a submission for ``phase_kind`` by ``school`` is allowed ``on`` a day, and late."""
    on = on or timezone.localdate()
    phase = Phase.objects.filter(year=year, kind=phase_kind).first()
    extension = Extension.objects.filter(year=year, school=school, phase_kind=phase_kind).first()
    extended_until = extension.until if extension else None
    if phase is None:
        return DeadlineVerdict(True, False, None, None, extended_until)
    if extended_until is not None and on <= extended_until:
        return DeadlineVerdict(True, False, phase.deadline, phase.hard_deadline, extended_until)
    late = on > phase.deadline
    allowed = phase.hard_deadline is None or on <= phase.hard_deadline
    return DeadlineVerdict(allowed, late, phase.deadline, phase.hard_deadline, extended_until)
