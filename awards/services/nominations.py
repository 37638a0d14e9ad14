"""Nominations (đề nghị khen thưởng), their workflow, and achievement decisions.

Workflow (issue "Awards and voting"; DOMAIN rules 2, 3, 13, 14)::

    draft ─submit→ submitted ─publish→ published ─(vote)→ voted ─result→ approved ─forward→
    forwarded ─decide→ decided ─revoke→ revoked
                                                          └→ not_approved   └→ refused
    submitted/published ─return→ returned ─submit→ submitted
    draft/submitted/returned ─withdraw→ withdrawn

Every transition is a function here: it checks the status it comes from and the actor's
permission (the same django-rules predicates the views use), writes a ``NominationEvent``
(who, when, from, to, comment) and never goes back where the law says it cannot (a decision
is revoked, not undone). Rules raise ``ValidationError`` with a ``code``; permission
failures raise ``PermissionDenied``.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cluster.models import EmulationYear, School

from ..eligibility import DEAD_STATUSES, Check, blocking, checks_to_json
from ..enums import NominationStatus as S
from ..enums import RecipientKind
from ..models import Achievement, AwardType, Nomination, NominationEvent, Recipient
from ..models.nominations import DossierDocument, NominationComment
from ..rules_nominations import can


class NotEligible(ValidationError):
    """Submission refused: at least one statutory check failed. ``checks`` has them all."""

    def __init__(self, checks: list[Check]):
        self.checks = checks
        super().__init__(
            [ValidationError(c.message, code=c.code) for c in blocking(checks)],
        )


def _stamp(instance, by) -> None:
    if by is not None and getattr(by, "is_authenticated", False):
        instance._history_user = by


def _require(by, perm: str, obj) -> None:
    if not can(by, perm, obj):
        raise PermissionDenied


def _status_error(nomination: Nomination) -> ValidationError:
    return ValidationError(
        _("This nomination is at the step “%(status)s”: this action is not possible now."),
        code="wrong_status",
        params={"status": nomination.get_status_display()},
    )


def _move(
    nomination: Nomination, to: str, by, comment: str = "", *, save_fields=()
) -> NominationEvent:
    """Change the status, save, and record the step."""
    previous = nomination.status
    nomination.status = to
    _stamp(nomination, by)
    nomination.save(update_fields=["status", *save_fields])
    return NominationEvent.objects.create(
        nomination=nomination,
        from_status=previous,
        to_status=to,
        by=by if getattr(by, "is_authenticated", False) else None,
        comment=comment,
    )


# --- Files ---------------------------------------------------------------------------------


def _store_file(nomination: Nomination, field: str, upload) -> None:
    """Check an upload by content (cluster.services) and store it under a random name."""
    from cluster.services import check_document_file

    try:
        extension = check_document_file(upload)
    except ValidationError as error:
        raise ValidationError({field: error})
    original = (upload.name or "").rsplit("/", 1)[-1][:200]
    old = getattr(nomination, field)
    if old:
        storage, name = old.storage, old.name
        transaction.on_commit(lambda: storage.delete(name))
    upload.name = f"document.{extension}"
    getattr(nomination, field).save(upload.name, upload, save=False)
    setattr(nomination, f"{field}_name", original)


# --- Recipients and drafts -----------------------------------------------------------------


def recipient_for(
    *,
    school: School,
    kind: str,
    name: str,
    position: str = "",
    unit: str = "",
    is_whole_school: bool = False,
) -> Recipient:
    """The school's recipient with this identity (kind, name, unit), created if new; a new
    position is recorded."""
    name = " ".join((name or "").split())
    unit = " ".join((unit or "").split())
    if is_whole_school:
        kind, name, unit = RecipientKind.COLLECTIVE, school.name, ""
    if not name:
        raise ValidationError(
            {"recipient_name": ValidationError(_("Give the recipient's name."), code="required")}
        )
    recipient, created = Recipient.objects.get_or_create(
        school=school,
        kind=kind,
        name=name,
        unit=unit,
        defaults={"position": position or "", "is_whole_school": is_whole_school},
    )
    if not created and position and recipient.position != position:
        recipient.position = position
        recipient.save(update_fields=["position"])
    return recipient


def _check_draft(nomination: Nomination) -> None:
    errors: dict[str, list[ValidationError]] = {}
    if nomination.recipient.school_id != nomination.school_id:
        errors.setdefault("recipient", []).append(
            ValidationError(_("The recipient belongs to another school."), code="other_school")
        )
    if nomination.recipient.kind != nomination.award_type.recipient_kind:
        errors.setdefault("award_type", []).append(
            ValidationError(
                _("%(type)s is awarded to %(kind)s."),
                code="recipient_kind",
                params={
                    "type": nomination.award_type.name,
                    "kind": _("individuals")
                    if nomination.award_type.recipient_kind == RecipientKind.INDIVIDUAL
                    else _("collectives"),
                },
            )
        )
    if not nomination.award_type.is_active:
        errors.setdefault("award_type", []).append(
            ValidationError(_("This award type is no longer in use."), code="inactive")
        )
    duplicate = (
        Nomination.objects.filter(
            recipient=nomination.recipient,
            award_type=nomination.award_type,
            year=nomination.year,
        )
        .exclude(status__in=DEAD_STATUSES)
        .exclude(pk=nomination.pk)
    )
    if duplicate.exists():
        errors.setdefault("award_type", []).append(
            ValidationError(
                _(
                    "%(recipient)s is already proposed for %(type)s in %(year)s: one "
                    "achievement backs one award."
                ),
                code="duplicate",
                params={
                    "recipient": nomination.recipient.name,
                    "type": nomination.award_type.name,
                    "year": nomination.year.label,
                },
            )
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def save_nomination(
    *,
    nomination: Nomination,
    by,
    achievement_report=None,
    initiative_file=None,
) -> Nomination:
    """Create or update a draft (or a returned nomination) of the representative's school.

    New nominations need ``awards.propose_nomination`` on the year (a representative of a
    member school); existing ones ``awards.edit_nomination`` (draft or returned). Replacing
    the achievement report withdraws its certification.
    """
    if nomination.pk is None:
        _require(by, "awards.propose_nomination", nomination.year)
        if by.school_id != nomination.school_id:
            raise PermissionDenied
        nomination.status = S.DRAFT
        nomination.created_by = by
    else:
        stored = Nomination.objects.select_for_update().get(pk=nomination.pk)
        _require(by, "awards.edit_nomination", stored)
        nomination.status = stored.status
    _check_draft(nomination)
    if achievement_report is not None:
        _store_file(nomination, "achievement_report", achievement_report)
        nomination.achievement_report_certified = False
    if initiative_file is not None:
        _store_file(nomination, "initiative_file", initiative_file)
    created = nomination.pk is None
    _stamp(nomination, by)
    nomination.save()
    if created:
        NominationEvent.objects.create(
            nomination=nomination, from_status="", to_status=S.DRAFT, by=by
        )
    return nomination


# --- Transitions -----------------------------------------------------------------------------


def _locked(nomination: Nomination) -> Nomination:
    """Reload the nomination under a row lock (two secretaries, two clicks)."""
    fresh = (
        Nomination.objects.select_for_update()
        .select_related("year", "year__cluster", "school", "recipient", "award_type")
        .get(pk=nomination.pk)
    )
    return fresh


@transaction.atomic
def submit_nomination(*, nomination: Nomination, by, on: date | None = None) -> list[Check]:
    """Submit a draft (or a returned nomination): the eligibility is judged (rule in force on
    ``on``, by default the planned decision date or today) and stored; a statutory failure
    refuses the submission (``NotEligible``, nothing changes)."""
    from ..selectors_nominations import eligibility_checks

    nomination = _locked(nomination)
    _require(by, "awards.submit_nomination", nomination)
    errors = {}
    if not (nomination.achievement_summary or "").strip():
        errors["achievement_summary"] = ValidationError(
            _("Write the achievement summary before submitting."), code="required"
        )
    if not nomination.achievement_report:
        errors["achievement_report"] = ValidationError(
            _("Attach the achievement report before submitting."), code="required"
        )
    if errors:
        raise ValidationError(errors)
    checks = eligibility_checks(nomination, on)
    if blocking(checks):
        raise NotEligible(checks)
    nomination.eligibility = checks_to_json(checks)
    nomination.submitted_at = timezone.now()
    nomination.return_comment = ""
    _move(
        nomination,
        S.SUBMITTED,
        by,
        save_fields=["eligibility", "submitted_at", "return_comment"],
    )
    return checks


@transaction.atomic
def withdraw_nomination(*, nomination: Nomination, by, comment: str = "") -> Nomination:
    """The proposing school withdraws its nomination (before it is published)."""
    nomination = _locked(nomination)
    if nomination.status not in {S.DRAFT, S.SUBMITTED, S.RETURNED}:
        raise _status_error(nomination)
    _require(by, "awards.withdraw_nomination", nomination)
    _move(nomination, S.WITHDRAWN, by, comment.strip())
    return nomination


@transaction.atomic
def return_nomination(*, nomination: Nomination, comment: str, by) -> Nomination:
    """The secretariat returns a submitted (or published) nomination with a comment."""
    comment = (comment or "").strip()
    nomination = _locked(nomination)
    if nomination.status not in {S.SUBMITTED, S.PUBLISHED}:
        raise _status_error(nomination)
    _require(by, "awards.return_nomination", nomination)
    if not comment:
        raise ValidationError(
            {"comment": ValidationError(_("Say what needs to change."), code="required")}
        )
    nomination.return_comment = comment
    nomination.comment_until = None
    _move(nomination, S.RETURNED, by, comment, save_fields=["return_comment", "comment_until"])
    return nomination


@transaction.atomic
def publish_candidates(*, year: EmulationYear, comment_days: int, by) -> int:
    """Publish the year's submitted nominations to the members for comment (DOMAIN rule 14)
    for ``comment_days`` days. Returns how many were published."""
    _require(by, "awards.manage_nominations", year)
    if comment_days < 1 or comment_days > 60:
        raise ValidationError(
            {
                "comment_days": ValidationError(
                    _("The comment window is between 1 and 60 days."), code="window"
                )
            }
        )
    nominations = list(Nomination.objects.select_for_update().filter(year=year, status=S.SUBMITTED))
    if not nominations:
        raise ValidationError(
            _("No submitted nomination is waiting to be published."), code="nothing"
        )
    until = timezone.localdate() + timedelta(days=comment_days)
    comment = _("Comments until %(date)s.") % {"date": until.strftime("%d/%m/%Y")}
    for nomination in nominations:
        nomination.comment_until = until
        _move(nomination, S.PUBLISHED, by, comment, save_fields=["comment_until"])
    return len(nominations)


@transaction.atomic
def add_comment(*, nomination: Nomination, text: str, by) -> NominationComment:
    """A member school (or the secretariat) comments on a published nomination, within the
    comment window."""
    _require(by, "awards.comment_nomination", nomination)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": ValidationError(_("Write a comment."), code="required")})
    return NominationComment.objects.create(
        nomination=nomination,
        author=by,
        school_id=getattr(by, "school_id", None),
        text=text,
    )


@transaction.atomic
def put_to_vote(*, nomination: Nomination, by, round=None) -> Nomination:
    """A published nomination goes to the vote (a voting round is opened on it)."""
    nomination = _locked(nomination)
    if nomination.status != S.PUBLISHED:
        raise _status_error(nomination)
    if by is not None:
        _require(by, "awards.manage_nominations", nomination)
    comment = round.title if round is not None else ""
    _move(nomination, S.VOTED, by, comment, save_fields=[])
    return nomination


@transaction.atomic
def record_vote_result(*, nomination: Nomination, passed: bool, round, by) -> Nomination:
    """The ballot result moves a nomination from ``voted`` to ``approved`` or
    ``not_approved``. Called by the voting rounds when a round closes (``by`` is the user
    who closed it; None for a scheduled close).

    A round may be held on nominations that are still ``submitted`` or ``published``: they
    go through ``voted`` first, so the history shows every step. (A nomination that was
    never published cannot be forwarded: see ``forward_nomination``.)
    """
    nomination = _locked(nomination)
    if by is not None:
        _require(by, "awards.manage_nominations", nomination)
    title = round.title if round is not None else ""
    if nomination.status in {S.SUBMITTED, S.PUBLISHED}:
        _move(nomination, S.VOTED, by, title)
    if nomination.status != S.VOTED:
        raise _status_error(nomination)
    if passed:
        comment = _("Passed the vote: %(round)s") % {"round": title} if title else ""
        _move(nomination, S.APPROVED, by, comment)
    else:
        comment = _("Did not pass the vote: %(round)s") % {"round": title} if title else ""
        _move(nomination, S.NOT_APPROVED, by, comment)
    return nomination


@transaction.atomic
def certify_report(*, nomination: Nomination, by) -> Nomination:
    """The secretariat records that the achievement report is certified (signed, stamped)."""
    nomination = _locked(nomination)
    _require(by, "awards.certify_report", nomination)
    nomination.achievement_report_certified = True
    _stamp(nomination, by)
    nomination.save(update_fields=["achievement_report_certified"])
    return nomination


@transaction.atomic
def forward_nomination(*, nomination: Nomination, by) -> Nomination:
    """Forward an approved nomination to the Academy; refused while its dossier is
    incomplete (DOMAIN rule 13), with the missing parts listed."""
    from ..selectors_nominations import dossier_of

    nomination = _locked(nomination)
    if nomination.status != S.APPROVED:
        raise _status_error(nomination)
    _require(by, "awards.forward_nomination", nomination)
    problems = [
        ValidationError(
            _("Missing from the dossier: %(part)s (%(detail)s)"),
            code="dossier_incomplete",
            params={"part": item.label, "detail": item.detail},
        )
        for item in dossier_of(nomination)
        if not item.complete
    ]
    if not nomination.events.filter(to_status=S.PUBLISHED).exists():
        problems.append(
            ValidationError(
                _("The nomination was never published to the members for comment."),
                code="never_published",
            )
        )
    if problems:
        raise ValidationError(problems)
    _move(nomination, S.FORWARDED, by)
    return nomination


@transaction.atomic
def decide_nomination(
    *, nomination: Nomination, decision_number: str, decision_date: date, by, issuer: str = ""
) -> Achievement:
    """Record the Academy's (or higher) decision: the nomination is decided and the award
    enters the recipient's achievement history."""
    nomination = _locked(nomination)
    if nomination.status != S.FORWARDED:
        raise _status_error(nomination)
    _require(by, "awards.decide_nomination", nomination)
    decision_number = (decision_number or "").strip()
    errors = {}
    if not decision_number:
        errors["decision_number"] = ValidationError(_("Give the decision number."), code="required")
    if decision_date is None:
        errors["decision_date"] = ValidationError(_("Give the decision date."), code="required")
    elif decision_date > timezone.localdate():
        errors["decision_date"] = ValidationError(
            _("The decision date cannot be in the future."), code="future"
        )
    if errors:
        raise ValidationError(errors)
    from ..selectors_nominations import period_year_of

    period = period_year_of(nomination.year)
    if Achievement.objects.filter(
        recipient=nomination.recipient,
        award_type=nomination.award_type,
        period_year=period,
        revoked_at__isnull=True,
    ).exists():
        raise ValidationError(
            _("%(recipient)s already holds %(type)s for %(year)s."),
            code="already_held",
            params={
                "recipient": nomination.recipient.name,
                "type": nomination.award_type.name,
                "year": period,
            },
        )
    nomination.decision_number = decision_number
    nomination.decision_date = decision_date
    _move(
        nomination,
        S.DECIDED,
        by,
        _("Decision %(number)s of %(date)s")
        % {"number": decision_number, "date": decision_date.strftime("%d/%m/%Y")},
        save_fields=["decision_number", "decision_date"],
    )
    achievement = Achievement(
        recipient=nomination.recipient,
        award_type=nomination.award_type,
        period_year=period,
        period_label=nomination.year.label,
        decision_number=decision_number,
        decision_date=decision_date,
        issuer=(issuer or "").strip() or nomination.award_type.issuer,
        nomination=nomination,
    )
    _stamp(achievement, by)
    achievement.save()
    return achievement


@transaction.atomic
def refuse_nomination(*, nomination: Nomination, reason: str, by) -> Nomination:
    """Record that the Academy refused a forwarded nomination."""
    reason = (reason or "").strip()
    nomination = _locked(nomination)
    if nomination.status != S.FORWARDED:
        raise _status_error(nomination)
    _require(by, "awards.decide_nomination", nomination)
    if not reason:
        raise ValidationError(
            {"reason": ValidationError(_("Give the reason for the refusal."), code="required")}
        )
    nomination.refusal_reason = reason
    _move(nomination, S.REFUSED, by, reason, save_fields=["refusal_reason"])
    return nomination


@transaction.atomic
def revoke_achievement(
    *, achievement: Achievement, reason: str, reference: str, by, revoked_on: date | None = None
) -> Achievement:
    """Revoke a decision (DOMAIN rule 3): the record stays, marked revoked with its reason
    and reference, and no longer counts. Irreversible. The nomination behind it, if any,
    becomes ``revoked``."""
    achievement = (
        Achievement.objects.select_for_update()
        .select_related("recipient__school", "award_type")
        .get(pk=achievement.pk)
    )
    if achievement.revoked_at is not None:
        raise ValidationError(_("This decision is already revoked."), code="already_revoked")
    _require(by, "awards.revoke_achievement", achievement)
    reason, reference = (reason or "").strip(), (reference or "").strip()
    revoked_on = revoked_on or timezone.localdate()
    errors = {}
    if not reason:
        errors["reason"] = ValidationError(_("Give the reason for revoking."), code="required")
    if not reference:
        errors["reference"] = ValidationError(
            _("Give the reference of the revoking decision."), code="required"
        )
    if revoked_on < achievement.decision_date:
        errors["revoked_on"] = ValidationError(
            _("A decision cannot be revoked before it was made (%(date)s)."),
            code="before_decision",
            params={"date": achievement.decision_date.strftime("%d/%m/%Y")},
        )
    if errors:
        raise ValidationError(errors)
    achievement.revoked_at = revoked_on
    achievement.revoke_reason = reason
    achievement.revoke_reference = reference
    _stamp(achievement, by)
    achievement.save(update_fields=["revoked_at", "revoke_reason", "revoke_reference"])
    if achievement.nomination_id:
        nomination = Nomination.objects.select_for_update().get(pk=achievement.nomination_id)
        if nomination.status == S.DECIDED:
            _move(
                nomination,
                S.REVOKED,
                by,
                _("Revoked by %(reference)s: %(reason)s")
                % {"reference": reference, "reason": reason},
            )
    return achievement


# --- Dossier documents -----------------------------------------------------------------------


@transaction.atomic
def add_dossier_document(
    *, year: EmulationYear, kind: str, file, by, number: str = "", day: date | None = None
) -> DossierDocument:
    """Upload the year's submission (tờ trình) or meeting minutes (the secretariat)."""
    from cluster.services import check_document_file

    _require(by, "awards.manage_nominations", year)
    try:
        extension = check_document_file(file)
    except ValidationError as error:
        raise ValidationError({"file": error})
    original = (file.name or "").rsplit("/", 1)[-1][:200]
    file.name = f"document.{extension}"
    document = DossierDocument(
        year=year,
        kind=kind,
        number=(number or "").strip(),
        date=day,
        uploaded_by=by,
        file_name=original,
    )
    document.file.save(file.name, file, save=False)
    document.save()
    return document


# --- Achievements recorded directly (import, admin) ------------------------------------------


def award_type_by_code(code: str) -> AwardType | None:
    return AwardType.objects.filter(code=code).first()
