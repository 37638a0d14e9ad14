"""The award catalogue: seeding it and finding the rule in force on a date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import Q

from ..catalogue_data import AWARD_TYPES, LEGAL_BASES
from ..models import AwardRule, AwardType


@dataclass
class SeedCounts:
    types_created: int = 0
    rules_created: int = 0


@transaction.atomic
def seed_award_catalogue() -> SeedCounts:
    """Create the award types and their rules of ``awards.catalogue_data`` that are missing.

    Idempotent, and never overwrites: a type is matched by its code and a rule by its type
    and start date, and existing rows are left exactly as an administrator left them
    (parameters are data, editable in the admin).
    """
    counts = SeedCounts()
    types: dict[str, AwardType] = {t.code: t for t in AwardType.objects.all()}
    for spec in AWARD_TYPES:
        if spec.code not in types:
            types[spec.code] = AwardType.objects.create(
                code=spec.code,
                name=spec.name,
                short_name=spec.short_name,
                category=spec.category,
                recipient_kind=spec.recipient_kind,
                level=spec.level,
                issuer=spec.issuer,
                order=spec.order,
            )
            counts.types_created += 1
    existing = set(AwardRule.objects.values_list("award_type__code", "effective_from"))
    for spec in AWARD_TYPES:
        for basis in LEGAL_BASES:
            if (spec.code, basis.effective_from) in existing:
                continue
            rule = spec.rule
            AwardRule.objects.create(
                award_type=types[spec.code],
                legal_basis=basis.text,
                effective_from=basis.effective_from,
                effective_to=basis.effective_to,
                prerequisite_type=types[rule.prerequisite] if rule.prerequisite else None,
                prerequisite_years=rule.prerequisite_years,
                same_year_type=types[rule.same_year] if rule.same_year else None,
                requires_initiative=rule.requires_initiative,
                quota_percent=rule.quota_percent,
                quota_of_type=types[rule.quota_of] if rule.quota_of else None,
                min_good_share_percent=rule.min_good_share_percent,
                min_members_with_type=rule.min_members_with_type,
                requires_all_members_completed=rule.requires_all_members_completed,
                forbids_disciplined_members=rule.forbids_disciplined_members,
                vote_threshold_percent=rule.vote_threshold_percent,
                threshold_base=rule.threshold_base,
            )
            counts.rules_created += 1
    return counts


def rules_in_force_q(on: date) -> Q:
    return Q(effective_from__lte=on) & (Q(effective_to__isnull=True) | Q(effective_to__gte=on))


def rule_in_force(award_type: AwardType, on: date) -> AwardRule | None:
    """The rule of ``award_type`` in force on ``on`` (DOMAIN rule 1); the latest start wins
    if an administrator let two ranges overlap."""
    return (
        AwardRule.objects.filter(award_type=award_type)
        .filter(rules_in_force_q(on))
        .select_related("award_type", "prerequisite_type", "same_year_type", "quota_of_type")
        .order_by("-effective_from")
        .first()
    )
