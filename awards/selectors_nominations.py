"""Reads for the catalogue, achievement histories, nominations and dossiers.

Pages load in a fixed number of queries: the list selectors join or prefetch everything
their templates touch.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from cluster.models import EmulationYear, School

from .eligibility import DEAD_STATUSES, HELD, PROPOSED, Award, Check, Facts, RuleFacts, evaluate
from .enums import RoundStatus
from .models import Achievement, AwardRule, AwardType, Candidate, Nomination, NominationEvent
from .models.nominations import DossierDocument, DossierKind, NominationComment, Recipient
from .rules_nominations import can
from .services.catalogue import rules_in_force_q

# --- Catalogue -------------------------------------------------------------------------------


def catalogue() -> list[AwardType]:
    """Every award type with its rules (newest first) and the types they refer to."""
    return list(
        AwardType.objects.prefetch_related(
            Prefetch(
                "rules",
                queryset=AwardRule.objects.select_related(
                    "prerequisite_type", "same_year_type", "quota_of_type"
                ).order_by("-effective_from"),
            )
        ).order_by("order", "code")
    )


def active_award_types() -> QuerySet[AwardType]:
    return AwardType.objects.filter(is_active=True).order_by("order", "code")


# --- Achievements ----------------------------------------------------------------------------


def achievements_of_school(school: School) -> QuerySet[Achievement]:
    """The school's achievement history (the school itself, its units and its people)."""
    return (
        Achievement.objects.filter(recipient__school=school)
        .select_related("recipient", "award_type", "nomination")
        .order_by("-period_year", "award_type__order", "recipient__name", "pk")
    )


def achievement_for_revocation(pk: int) -> Achievement:
    return Achievement.objects.select_related(
        "recipient", "recipient__school", "award_type", "nomination"
    ).get(pk=pk)


def recipients_of_school(school: School, kind: str | None = None) -> QuerySet[Recipient]:
    recipients = Recipient.objects.filter(school=school)
    if kind:
        recipients = recipients.filter(kind=kind)
    return recipients.order_by("kind", "name")


# --- Nominations -----------------------------------------------------------------------------


def nominations_of_year(year: EmulationYear) -> QuerySet[Nomination]:
    return (
        Nomination.objects.filter(year=year)
        .select_related("school", "recipient", "award_type", "year", "year__cluster")
        .annotate(comment_count=Count("comments"))
        .order_by("school__code", "award_type__order", "recipient__name", "pk")
    )


def visible_nominations(user, nominations) -> list[Nomination]:
    """The nominations ``user`` may read (the same predicate as the detail page)."""
    return [n for n in nominations if can(user, "awards.read_nomination", n)]


def nomination_detail(pk: int) -> Nomination:
    return (
        Nomination.objects.select_related(
            "school", "recipient", "award_type", "year", "year__cluster", "created_by"
        )
        .prefetch_related(
            Prefetch("events", queryset=NominationEvent.objects.select_related("by")),
            Prefetch(
                "comments",
                queryset=NominationComment.objects.select_related("author", "school"),
            ),
            Prefetch("candidacies", queryset=Candidate.objects.select_related("round")),
        )
        .get(pk=pk)
    )


def nominations_of_school(school: School) -> QuerySet[Nomination]:
    return (
        Nomination.objects.filter(school=school)
        .select_related("recipient", "award_type", "year", "year__cluster", "school")
        .order_by("-year__start_date", "award_type__order", "recipient__name")
    )


# --- Eligibility facts -----------------------------------------------------------------------


def period_year_of(year: EmulationYear) -> int:
    """The calendar year an emulation year counts as (the end year of a school year)."""
    return year.end_date.year


def judged_on(nomination: Nomination, today: date | None = None) -> date:
    """The decision date the rules are judged on: decided, planned, else today."""
    return (
        nomination.decision_date
        or nomination.planned_decision_date
        or (today or timezone.localdate())
    )


def _label(award_type: AwardType | None) -> str:
    if award_type is None:
        return ""
    return award_type.short_name or award_type.name


def rule_facts(rule: AwardRule | None) -> RuleFacts | None:
    if rule is None:
        return None
    return RuleFacts(
        legal_basis=rule.legal_basis,
        prerequisite_type_id=rule.prerequisite_type_id,
        prerequisite_label=_label(rule.prerequisite_type),
        prerequisite_years=rule.prerequisite_years,
        same_year_type_id=rule.same_year_type_id,
        same_year_label=_label(rule.same_year_type),
        requires_initiative=rule.requires_initiative,
        quota_percent=rule.quota_percent,
        quota_of_type_id=rule.quota_of_type_id,
        quota_of_label=_label(rule.quota_of_type),
        min_good_share_percent=rule.min_good_share_percent,
        min_members_with_type=rule.min_members_with_type,
        requires_all_members_completed=rule.requires_all_members_completed,
        forbids_disciplined_members=rule.forbids_disciplined_members,
    )


def _held(achievements) -> list[Award]:
    return [
        Award(
            recipient_id=a.recipient_id,
            type_id=a.award_type_id,
            type_label=_label(a.award_type),
            category=a.award_type.category,
            year=a.period_year,
            source=HELD,
            decision_number=a.decision_number,
        )
        for a in achievements
    ]


def _proposed(nominations) -> list[Award]:
    return [
        Award(
            recipient_id=n.recipient_id,
            type_id=n.award_type_id,
            type_label=_label(n.award_type),
            category=n.award_type.category,
            year=period_year_of(n.year),
            source=PROPOSED,
            status=n.status,
        )
        for n in nominations
    ]


def eligibility_facts(nomination: Nomination, on: date | None = None) -> Facts:
    """Gather what the rule engine judges ``nomination`` on (see awards.eligibility)."""
    on = on or judged_on(nomination)
    award_type = nomination.award_type
    recipient = nomination.recipient
    year_number = period_year_of(nomination.year)
    rule = (
        AwardRule.objects.filter(award_type=award_type)
        .filter(rules_in_force_q(on))
        .select_related("prerequisite_type", "same_year_type", "quota_of_type")
        .order_by("-effective_from")
        .first()
    )
    held = Achievement.objects.filter(revoked_at__isnull=True).select_related("award_type")
    live = (
        Nomination.objects.exclude(status__in=DEAD_STATUSES)
        .exclude(pk=nomination.pk)
        .select_related("award_type", "year")
    )
    recipient_awards = _held(held.filter(recipient=recipient)) + _proposed(
        live.filter(recipient=recipient)
    )
    school_awards: list[Award] = []
    if rule is not None and rule.quota_percent is not None and rule.quota_of_type_id:
        types = [award_type.pk, rule.quota_of_type_id]
        school_awards = _held(
            held.filter(
                recipient__school_id=nomination.school_id,
                award_type_id__in=types,
                period_year=year_number,
            )
        ) + _proposed(
            live.filter(
                school_id=nomination.school_id,
                award_type_id__in=types,
                year__end_date__year=year_number,
            )
        )
    return Facts(
        type_id=award_type.pk,
        type_label=_label(award_type),
        category=award_type.category,
        type_recipient_kind=award_type.recipient_kind,
        recipient_id=recipient.pk,
        recipient_name=recipient.name,
        recipient_kind=recipient.kind,
        year=year_number,
        on=on,
        rule=rule_facts(rule),
        recipient_awards=recipient_awards,
        school_awards=school_awards,
        has_initiative=bool((nomination.initiative or "").strip() or nomination.initiative_file),
        members_total=nomination.members_total,
        members_completed=nomination.members_completed,
        members_good_or_excellent=nomination.members_good_or_excellent,
        members_with_title=nomination.members_with_title,
        members_disciplined=nomination.members_disciplined,
    )


def eligibility_checks(nomination: Nomination, on: date | None = None) -> list[Check]:
    return evaluate(eligibility_facts(nomination, on))


# --- Dossier (DOMAIN rule 13) ----------------------------------------------------------------


@dataclass(frozen=True)
class DossierItem:
    code: str
    label: str
    complete: bool
    detail: str = ""


@dataclass
class YearDossier:
    """What the year's documents say about every dossier of the year."""

    submission: DossierDocument | None
    minutes: DossierDocument | None
    scores_frozen: bool
    fingerprint: str


def year_dossier(year: EmulationYear) -> YearDossier:
    from evaluations.models import ScoringSettings

    documents = {}
    for document in DossierDocument.objects.filter(year=year).order_by("kind", "-uploaded_at"):
        documents.setdefault(document.kind, document)
    scoring = ScoringSettings.objects.filter(year=year).only("stage", "fingerprint").first()
    frozen = bool(scoring and scoring.is_frozen and scoring.fingerprint)
    return YearDossier(
        submission=documents.get(DossierKind.SUBMISSION),
        minutes=documents.get(DossierKind.MINUTES),
        scores_frozen=frozen,
        fingerprint=scoring.fingerprint if frozen else "",
    )


def closed_rounds_of(nominations) -> dict[int, list[Candidate]]:
    """Nomination id → its candidacies in closed voting rounds (one query)."""
    ids = [n.pk for n in nominations]
    result: dict[int, list[Candidate]] = {pk: [] for pk in ids}
    for candidate in Candidate.objects.filter(
        nomination_id__in=ids, round__status=RoundStatus.CLOSED
    ).select_related("round"):
        result[candidate.nomination_id].append(candidate)
    return result


def dossier_items(
    nomination: Nomination, year_docs: YearDossier, closed: list[Candidate]
) -> list[DossierItem]:
    """The four parts of a proposal dossier and whether each is there (pure)."""
    submission = year_docs.submission
    items = [
        DossierItem(
            "submission",
            _("Submission (tờ trình)"),
            submission is not None,
            (f"{submission.number} – {submission.date:%d/%m/%Y}" if submission.date else "")
            if submission
            else _("No submission uploaded for the year."),
        )
    ]
    if closed and year_docs.minutes is not None:
        minutes_detail = ", ".join(c.round.title for c in closed)
    elif not closed:
        minutes_detail = _("No closed voting round on this nomination.")
    else:
        minutes_detail = _("The minutes of the meeting are not uploaded.")
    items.append(
        DossierItem(
            "minutes",
            _("Minutes with the ballot result"),
            bool(closed) and year_docs.minutes is not None,
            minutes_detail,
        )
    )
    has_report = bool(nomination.achievement_report)
    if not has_report:
        report_detail = _("No achievement report attached.")
    elif not nomination.achievement_report_certified:
        report_detail = _("The report is not certified yet.")
    else:
        report_detail = ""
    items.append(
        DossierItem(
            "report",
            _("Certified achievement report"),
            has_report and nomination.achievement_report_certified,
            report_detail,
        )
    )
    items.append(
        DossierItem(
            "scores",
            _("Score summary"),
            year_docs.scores_frozen,
            _("Fingerprint %(fingerprint)s") % {"fingerprint": year_docs.fingerprint[:12]}
            if year_docs.scores_frozen
            else _("The year's results are not frozen yet."),
        )
    )
    return items


def dossier_of(nomination: Nomination) -> list[DossierItem]:
    return dossier_items(
        nomination,
        year_dossier(nomination.year),
        closed_rounds_of([nomination])[nomination.pk],
    )


def dossier_documents_of_year(year: EmulationYear) -> QuerySet[DossierDocument]:
    return (
        DossierDocument.objects.filter(year=year)
        .select_related("uploaded_by")
        .order_by("kind", "-uploaded_at")
    )


# --- Dashboard -------------------------------------------------------------------------------


def nomination_counts(nominations: QuerySet[Nomination]) -> dict[str, int]:
    return {
        row["status"]: row["n"]
        for row in nominations.order_by().values("status").annotate(n=Count("pk"))
    }


def school_nominations_in_progress(school: School) -> QuerySet[Nomination]:
    return nominations_of_school(school).filter(
        Q(status__in=["draft", "returned", "submitted", "published", "voted", "approved"])
    )
