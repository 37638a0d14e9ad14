"""Writes and business rules of the cluster app.

Every function is keyword-only and atomic. Rules raise ``ValidationError`` with messages
keyed by the field they are about (so a form can show them at the field) and with a
``code`` tests and callers can rely on whatever the language. Views, the admin, the
importer and management commands all call these functions.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable
from datetime import date, timedelta

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .enums import LeadershipRole
from .models import (
    Cluster,
    EmulationYear,
    Event,
    Leadership,
    Membership,
    Movement,
    MovementDocument,
    Phase,
    School,
    SchoolMerge,
)
from .selectors import members_of_year, next_year, previous_year

# Phases may start a little before the year (the Academy's guidance arrives in January for a
# year starting then, sometimes in December) and end well after it (proposals go to the
# Academy after the November conference, decisions come in the next spring).
PHASE_MARGIN_BEFORE = timedelta(days=92)
PHASE_MARGIN_AFTER = timedelta(days=183)
MAX_DEPUTIES = 2

YEAR_LABEL_RE = re.compile(r"^\s*(\d{4})\s*(?:[-–—]\s*(\d{4})\s*)?$")


# Emulation years are recorded from the clusters' beginnings to the foreseeable future; a
# date outside this range is a typing mistake (and would overflow date arithmetic).
EARLIEST_YEAR = 1950
LATEST_YEAR = 2100


def _d(day: date) -> str:
    return date_format(day, "d/m/Y")


def _shift(day: date, delta: timedelta) -> date:
    """``day + delta``, kept within the calendar (no OverflowError at year 1 or 9999)."""
    try:
        return day + delta
    except OverflowError:
        return date.max if delta > timedelta(0) else date.min


def _stamp(instance, by) -> None:
    """Record who made the change in simple_history (also outside a request)."""
    if by is not None and getattr(by, "is_authenticated", False):
        instance._history_user = by


# --- Years and phases ----------------------------------------------------------------------


def normalise_year_label(label: str) -> str:
    """'2017-2018', '2017 — 2018' → '2017–2018' (en dash); '2026' stays."""
    match = YEAR_LABEL_RE.match(label or "")
    if not match:
        return (label or "").strip()
    first, second = match.groups()
    return f"{first}–{second}" if second else first


def check_year_label(label: str) -> None:
    match = YEAR_LABEL_RE.match(label or "")
    if not match:
        raise ValidationError(
            {
                "label": ValidationError(
                    _("Write the year as 2026, or 2017–2018 for a school year."),
                    code="label_format",
                )
            }
        )
    first, second = match.groups()
    if second and int(second) != int(first) + 1:
        raise ValidationError(
            {
                "label": ValidationError(
                    _("A school year spans two consecutive years, for example 2017–2018."),
                    code="label_format",
                )
            }
        )


def year_date_errors(start: date | None, end: date | None) -> dict[str, list[ValidationError]]:
    errors: dict[str, list[ValidationError]] = {}
    for field, day in (("start_date", start), ("end_date", end)):
        if day and not (EARLIEST_YEAR <= day.year <= LATEST_YEAR):
            errors[field] = [
                ValidationError(
                    _("Enter a date between %(earliest)s and %(latest)s."),
                    code="out_of_range",
                    params={"earliest": EARLIEST_YEAR, "latest": LATEST_YEAR},
                )
            ]
    if errors:
        return errors
    if start and end and end <= start:
        return {
            "end_date": [
                ValidationError(
                    _("The end date must be after the start date (%(start)s)."),
                    code="end_before_start",
                    params={"start": _d(start)},
                )
            ]
        }
    return {}


def period_date_errors(start: date | None, end: date | None) -> dict[str, list[ValidationError]]:
    """A period that may end on the day it starts (movements)."""
    if start and end and end < start:
        return {
            "end_date": [
                ValidationError(
                    _("The end date must not be before the start date (%(start)s)."),
                    code="end_before_start",
                    params={"start": _d(start)},
                )
            ]
        }
    return {}


@transaction.atomic
def save_year(*, year: EmulationYear, by) -> EmulationYear:
    """Create or update an emulation year. The label is unique in its cluster and the
    period must end after it starts."""
    check_year_label(year.label)
    year.label = normalise_year_label(year.label)
    errors: dict[str, list[ValidationError]] = {}
    duplicate = EmulationYear.objects.filter(cluster_id=year.cluster_id, label=year.label)
    if year.pk:
        duplicate = duplicate.exclude(pk=year.pk)
    if duplicate.exists():
        errors.setdefault("label", []).append(
            ValidationError(
                _("This cluster already has a year labelled %(label)s."),
                code="duplicate_label",
                params={"label": year.label},
            )
        )
    for field, field_errors in year_date_errors(year.start_date, year.end_date).items():
        errors.setdefault(field, []).extend(field_errors)
    if errors:
        raise ValidationError(errors)
    _stamp(year, by)
    year.save()
    return year


def phase_date_errors(phase: Phase, year: EmulationYear) -> dict[str, list[ValidationError]]:
    errors: dict[str, list[ValidationError]] = {}
    if phase.starts_on is None or phase.deadline is None:
        return errors
    if phase.deadline < phase.starts_on:
        errors.setdefault("deadline", []).append(
            ValidationError(
                _("The deadline must not be before the start (%(start)s)."),
                code="deadline_before_start",
                params={"start": _d(phase.starts_on)},
            )
        )
    if phase.hard_deadline and phase.hard_deadline < phase.deadline:
        errors.setdefault("hard_deadline", []).append(
            ValidationError(
                _("The final deadline must not be before the deadline (%(deadline)s)."),
                code="final_before_deadline",
                params={"deadline": _d(phase.deadline)},
            )
        )
    earliest = _shift(year.start_date, -PHASE_MARGIN_BEFORE)
    latest = _shift(year.end_date, PHASE_MARGIN_AFTER)
    for field in ("starts_on", "deadline", "hard_deadline"):
        value = getattr(phase, field)
        if value and not (earliest <= value <= latest):
            errors.setdefault(field, []).append(
                ValidationError(
                    _(
                        "This date is too far from the year %(year)s: phases lie between "
                        "%(earliest)s and %(latest)s."
                    ),
                    code="outside_year",
                    params={
                        "year": year.label,
                        "earliest": _d(earliest),
                        "latest": _d(latest),
                    },
                )
            )
    return errors


@transaction.atomic
def save_phase(*, phase: Phase, by) -> Phase:
    """Create or update a phase: deadline ≥ start, final deadline ≥ deadline, dates within
    (or a few months around) the year, one phase of each kind per year."""
    year = phase.year
    errors = phase_date_errors(phase, year)
    duplicate = Phase.objects.filter(year=year, kind=phase.kind)
    if phase.pk:
        duplicate = duplicate.exclude(pk=phase.pk)
    if duplicate.exists():
        errors.setdefault("kind", []).append(
            ValidationError(
                _("The year %(year)s already has the phase “%(kind)s”."),
                code="duplicate_phase",
                params={"year": year.label, "kind": phase.get_kind_display()},
            )
        )
    if errors:
        raise ValidationError(errors)
    _stamp(phase, by)
    phase.save()
    return phase


@transaction.atomic
def delete_phase(*, phase: Phase, by) -> None:
    _stamp(phase, by)
    phase.delete()


@transaction.atomic
def set_leadership(
    *,
    year: EmulationYear,
    head: School | None,
    deputies: Iterable[School],
    decision_number: str = "",
    decision_date: date | None = None,
    by,
) -> EmulationYear:
    """Record the year's head and deputies and the Academy's recognition decision.

    DOMAIN rule 8: only that year's members stand; one head, one or two deputies; the head
    is not a deputy; the same school is not head two years running (checked against the
    previous and the next year of the cluster).
    """
    deputies = list(dict.fromkeys(deputies))
    errors: dict[str, list[ValidationError]] = {}
    members = set(members_of_year(year).values_list("pk", flat=True))
    if head is not None and head.pk not in members:
        errors.setdefault("head", []).append(
            ValidationError(
                _("%(school)s is not a member of the cluster in %(year)s."),
                code="not_member",
                params={"school": head.name, "year": year.label},
            )
        )
    for deputy in deputies:
        if deputy.pk not in members:
            errors.setdefault("deputies", []).append(
                ValidationError(
                    _("%(school)s is not a member of the cluster in %(year)s."),
                    code="not_member",
                    params={"school": deputy.name, "year": year.label},
                )
            )
    if len(deputies) > MAX_DEPUTIES:
        errors.setdefault("deputies", []).append(
            ValidationError(
                _("A year has at most %(max)d deputies."),
                code="too_many_deputies",
                params={"max": MAX_DEPUTIES},
            )
        )
    if head is not None and head in deputies:
        errors.setdefault("deputies", []).append(
            ValidationError(
                _("%(school)s cannot be both head and deputy."),
                code="head_is_deputy",
                params={"school": head.name},
            )
        )
    if head is not None:
        for neighbour in (previous_year(year), next_year(year)):
            if neighbour is None:
                continue
            neighbour_head = Leadership.objects.filter(
                year=neighbour, role=LeadershipRole.HEAD
            ).first()
            if neighbour_head and neighbour_head.school_id == head.pk:
                errors.setdefault("head", []).append(
                    ValidationError(
                        _(
                            "%(school)s is head in %(year)s; the same school cannot be head "
                            "two years running."
                        ),
                        code="head_two_years",
                        params={"school": head.name, "year": neighbour.label},
                    )
                )
    if errors:
        raise ValidationError(errors)

    for leader in list(Leadership.objects.filter(year=year)):
        _stamp(leader, by)
        leader.delete()
    if head is not None:
        leader = Leadership(year=year, school=head, role=LeadershipRole.HEAD)
        _stamp(leader, by)
        leader.save()
    for deputy in deputies:
        leader = Leadership(year=year, school=deputy, role=LeadershipRole.DEPUTY)
        _stamp(leader, by)
        leader.save()
    year.recognition_decision_number = (decision_number or "").strip()
    year.recognition_decision_date = decision_date
    _stamp(year, by)
    year.save(update_fields=["recognition_decision_number", "recognition_decision_date"])
    return year


# --- Schools and memberships -----------------------------------------------------------------


@transaction.atomic
def create_school(*, school: School, by) -> School:
    """Create a school; the code is unique (and checked here with a clear message)."""
    school.code = (school.code or "").strip().upper()
    if School.objects.filter(code=school.code).exists():
        raise ValidationError(
            {
                "code": ValidationError(
                    _("A school with the code %(code)s already exists."),
                    code="duplicate_code",
                    params={"code": school.code},
                )
            }
        )
    school.full_clean()
    _stamp(school, by)
    school.save()
    return school


@transaction.atomic
def save_school_profile(*, school: School, by) -> School:
    school.full_clean(validate_unique=False)
    _stamp(school, by)
    school.save()
    return school


def _merger_of(school: School) -> SchoolMerge | None:
    return SchoolMerge.objects.select_related("successor").filter(predecessor=school).first()


@transaction.atomic
def add_member(*, cluster: Cluster, school: School, start_date: date, by) -> Membership:
    """A school joins the cluster from ``start_date``. Refused when it is already a member
    then (or later), or when it had merged into another school by that date. An unsaved
    ``school`` is created first (see ``create_school``)."""
    if school.pk is None:
        school = create_school(school=school, by=by)
    merge = _merger_of(school)
    if merge is not None and merge.effective_date <= start_date:
        raise ValidationError(
            {
                "school": ValidationError(
                    _("%(school)s merged into %(successor)s on %(date)s."),
                    code="merged",
                    params={
                        "school": school.name,
                        "successor": merge.successor.name,
                        "date": _d(merge.effective_date),
                    },
                )
            }
        )
    overlapping = (
        Membership.objects.filter(cluster=cluster, school=school)
        .exclude(end_date__lt=start_date)
        .order_by("start_date")
        .first()
    )
    if overlapping is not None:
        raise ValidationError(
            {
                "start_date": ValidationError(
                    _("%(school)s is already a member of this cluster from %(start)s."),
                    code="already_member",
                    params={"school": school.name, "start": _d(overlapping.start_date)},
                )
            }
        )
    membership = Membership(cluster=cluster, school=school, start_date=start_date)
    _stamp(membership, by)
    membership.save()
    return membership


@transaction.atomic
def end_membership(*, membership: Membership, end_date: date, by) -> Membership:
    """The school leaves the cluster after ``end_date`` (its last day as a member)."""
    if membership.end_date is not None:
        raise ValidationError(
            {
                "end_date": ValidationError(
                    _("This membership already ended on %(end)s."),
                    code="already_ended",
                    params={"end": _d(membership.end_date)},
                )
            }
        )
    if end_date < membership.start_date:
        raise ValidationError(
            {
                "end_date": ValidationError(
                    _("The end date must not be before the start date (%(start)s)."),
                    code="end_before_start",
                    params={"start": _d(membership.start_date)},
                )
            }
        )
    membership.end_date = end_date
    _stamp(membership, by)
    membership.save(update_fields=["end_date"])
    return membership


@transaction.atomic
def record_merger(
    *,
    predecessors: Iterable[School],
    successor: School,
    effective_date: date,
    cluster: Cluster,
    by,
    note: str = "",
) -> list[SchoolMerge]:
    """Merge ``predecessors`` into ``successor`` from ``effective_date`` (e.g. 01/07/2025).

    Each predecessor's membership of ``cluster`` that is active the day before ends that
    day; the SchoolMerge links are created; the successor becomes a member on the effective
    date unless it already is one then (Ninh Bình absorbing Hà Nam and Nam Định stays a
    member). A school merges once, and never into itself. An unsaved ``successor`` is
    created. All or nothing.
    """
    predecessors = list(dict.fromkeys(predecessors))
    eve = effective_date - timedelta(days=1)
    errors: list[ValidationError] = []
    if not predecessors:
        raise ValidationError(
            {"predecessors": ValidationError(_("Choose the schools that merge."), code="empty")}
        )
    if successor.pk is None:
        # A new school formed by the merger. Created inside this transaction: any refusal
        # below rolls it back.
        successor = create_school(school=successor, by=by)
    successor_merge = _merger_of(successor)
    if successor_merge is not None:
        errors.append(
            ValidationError(
                _("%(school)s itself merged into %(successor)s on %(date)s."),
                code="successor_merged",
                params={
                    "school": successor.name,
                    "successor": successor_merge.successor.name,
                    "date": _d(successor_merge.effective_date),
                },
            )
        )
    to_end: list[Membership] = []
    for school in predecessors:
        if school.pk == successor.pk:
            errors.append(
                ValidationError(
                    _("%(school)s cannot merge into itself."),
                    code="into_itself",
                    params={"school": school.name},
                )
            )
            continue
        merge = _merger_of(school)
        if merge is not None:
            errors.append(
                ValidationError(
                    _("%(school)s already merged into %(successor)s on %(date)s."),
                    code="already_merged",
                    params={
                        "school": school.name,
                        "successor": merge.successor.name,
                        "date": _d(merge.effective_date),
                    },
                )
            )
            continue
        active = list(
            Membership.objects.select_for_update()
            .filter(cluster=cluster, school=school)
            .active_on(eve)
        )
        if not active:
            errors.append(
                ValidationError(
                    _("%(school)s is not a member of this cluster on %(date)s."),
                    code="not_member",
                    params={"school": school.name, "date": _d(eve)},
                )
            )
        to_end.extend(active)
    if errors:
        raise ValidationError({"predecessors": errors})

    for membership in to_end:
        membership.end_date = eve
        _stamp(membership, by)
        membership.save(update_fields=["end_date"])
    merges = []
    for school in predecessors:
        merge = SchoolMerge(
            predecessor=school, successor=successor, effective_date=effective_date, note=note
        )
        merge.save()
        merges.append(merge)
    already_member = (
        Membership.objects.filter(cluster=cluster, school=successor)
        .active_on(effective_date)
        .exists()
    )
    if not already_member:
        membership = Membership(cluster=cluster, school=successor, start_date=effective_date)
        _stamp(membership, by)
        membership.save()
    return merges


# --- Movements, events and their files -------------------------------------------------------

ACCEPTED_DOCUMENT_TYPES = {"pdf", "docx", "xlsx", "jpg", "png", "webp", "gif"}


def _office_kind(upload) -> str | None:
    """'docx' or 'xlsx' when the upload is an Office Open XML package, else None."""
    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        upload.seek(0)
    if "[Content_Types].xml" not in names:
        return None
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    return None


def check_document_file(upload) -> str:
    """Check an uploaded document by its content, not its name; return its real extension.

    Accepted: PDF, Word (.docx), Excel (.xlsx) and images, up to DOCUMENT_MAX_FILE_SIZE.
    """
    limit = settings.DOCUMENT_MAX_FILE_SIZE
    if upload.size > limit:
        raise ValidationError(
            _("The file is too large (%(size)s MB); the limit is %(limit)s MB."),
            code="too_large",
            params={
                "size": f"{upload.size / 1048576:.1f}",
                "limit": f"{limit / 1048576:.0f}",
            },
        )
    if upload.size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    extension = kind.extension if kind else None
    if extension in {"zip", "docx", "xlsx"}:
        extension = _office_kind(upload)
    if extension not in ACCEPTED_DOCUMENT_TYPES:
        raise ValidationError(
            _("Only PDF, Word (.docx), Excel (.xlsx) and image files (JPEG, PNG) are accepted."),
            code="file_type",
        )
    return extension


def _prepare_upload(upload) -> None:
    """Name the upload by its checked type; the stored name is random (upload_to)."""
    extension = check_document_file(upload)
    upload.name = f"document.{extension}"


def _remove_file_on_commit(field_file) -> None:
    if not field_file:
        return
    storage, name = field_file.storage, field_file.name
    transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def save_movement(*, movement: Movement, by) -> Movement:
    """Create or update a movement: the period ends on or after its start; the launching
    school (if any) is or was a member of the cluster."""
    errors = period_date_errors(movement.start_date, movement.end_date)
    if (
        movement.launching_school_id
        and not Membership.objects.filter(
            cluster_id=movement.cluster_id, school_id=movement.launching_school_id
        ).exists()
    ):
        errors["launching_school"] = [
            ValidationError(_("This school is not a member of the cluster."), code="not_member")
        ]
    if errors:
        raise ValidationError(errors)
    _stamp(movement, by)
    movement.save()
    return movement


@transaction.atomic
def add_movement_document(*, movement: Movement, title: str, file, by) -> MovementDocument:
    """Attach a document (checked by content, stored under a random name)."""
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": ValidationError(_("Give the document a title."))})
    try:
        _prepare_upload(file)
    except ValidationError as error:
        raise ValidationError({"file": error})
    document = MovementDocument(movement=movement, title=title, uploaded_by=by)
    document.file.save(file.name, file, save=False)
    document.save()
    return document


@transaction.atomic
def delete_movement_document(*, document: MovementDocument, by) -> None:
    _remove_file_on_commit(document.file)
    document.delete()


def year_containing(cluster: Cluster, day: date) -> EmulationYear | None:
    return (
        EmulationYear.objects.filter(cluster=cluster, start_date__lte=day, end_date__gte=day)
        .order_by("-start_date")
        .first()
    )


@transaction.atomic
def save_event(*, event: Event, by, minutes=None, remove_minutes: bool = False) -> Event:
    """Create or update an event. Without a year, the year containing its date is used; a
    chosen year must be the cluster's and (give or take a few months) contain the date.
    ``minutes``: a new upload replacing the current file; ``remove_minutes`` drops it."""
    errors: dict[str, list[ValidationError]] = {}
    if event.year_id is None and event.date:
        event.year = year_containing(event.cluster, event.date)
    elif event.year is not None:
        year = event.year
        if year.cluster_id != event.cluster_id:
            errors["year"] = [ValidationError(_("Choose a year of this cluster."))]
        elif not (
            _shift(year.start_date, -PHASE_MARGIN_BEFORE)
            <= event.date
            <= _shift(year.end_date, PHASE_MARGIN_AFTER)
        ):
            errors["date"] = [
                ValidationError(
                    _("The date lies outside the year %(year)s (%(start)s – %(end)s)."),
                    code="outside_year",
                    params={
                        "year": year.label,
                        "start": _d(year.start_date),
                        "end": _d(year.end_date),
                    },
                )
            ]
    if (
        event.host_school_id
        and not Membership.objects.filter(
            cluster_id=event.cluster_id, school_id=event.host_school_id
        ).exists()
    ):
        errors["host_school"] = [
            ValidationError(_("This school is not a member of the cluster."), code="not_member")
        ]
    if minutes is not None:
        try:
            _prepare_upload(minutes)
        except ValidationError as error:
            errors["minutes"] = error.error_list
    if errors:
        raise ValidationError(errors)

    previous = Event.objects.filter(pk=event.pk).values_list("minutes", flat=True).first()
    if minutes is not None:
        event.minutes.save(minutes.name, minutes, save=False)
    elif remove_minutes:
        event.minutes = ""
    if previous and previous != event.minutes.name:
        storage = event.minutes.storage
        transaction.on_commit(lambda: storage.delete(previous))
    _stamp(event, by)
    event.save()
    return event
