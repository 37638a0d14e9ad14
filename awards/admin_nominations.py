"""Admin for award types, rules, recipients, achievements and nominations.

Award types and their rules are data an administrator maintains here (DOMAIN rule 1: the
figures follow the decrees). Nominations and achievements are read here for support; their
workflow goes through the pages (and awards.services.nominations), so the admin cannot
move a nomination's status or revoke a decision without its reason and reference.
"""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import Achievement, AwardRule, AwardType, Nomination, NominationEvent, Recipient
from .models.nominations import DossierDocument, NominationComment


class AwardRuleInline(admin.StackedInline):
    model = AwardRule
    fk_name = "award_type"
    extra = 0
    fieldsets = [
        (None, {"fields": ["legal_basis", ("effective_from", "effective_to")]}),
        (
            _("Conditions"),
            {
                "fields": [
                    ("prerequisite_type", "prerequisite_years"),
                    "same_year_type",
                    "requires_initiative",
                    ("quota_percent", "quota_of_type"),
                ]
            },
        ),
        (
            _("Collective conditions"),
            {
                "fields": [
                    "requires_all_members_completed",
                    "min_good_share_percent",
                    "min_members_with_type",
                    "forbids_disciplined_members",
                ]
            },
        ),
        (_("Vote"), {"fields": [("vote_threshold_percent", "threshold_base"), "secret_ballot"]}),
    ]


@admin.register(AwardType)
class AwardTypeAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "category", "recipient_kind", "level", "issuer", "is_active"]
    list_filter = ["category", "recipient_kind", "level", "is_active"]
    search_fields = ["code", "name", "short_name"]
    ordering = ["order", "code"]
    inlines = [AwardRuleInline]


@admin.register(AwardRule)
class AwardRuleAdmin(SimpleHistoryAdmin):
    list_display = ["award_type", "legal_basis", "effective_from", "effective_to"]
    list_filter = ["award_type", "effective_from"]
    search_fields = ["legal_basis", "award_type__code", "award_type__name"]
    list_select_related = ["award_type"]
    autocomplete_fields = ["award_type"]


@admin.register(Recipient)
class RecipientAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "school", "position", "unit", "is_whole_school"]
    list_filter = ["kind", "school"]
    search_fields = ["name", "unit", "school__code", "school__name"]
    list_select_related = ["school"]


@admin.register(Achievement)
class AchievementAdmin(SimpleHistoryAdmin):
    list_display = [
        "recipient",
        "award_type",
        "period_year",
        "decision_number",
        "decision_date",
        "revoked_at",
    ]
    list_filter = ["award_type", "period_year", ("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["recipient__name", "decision_number", "recipient__school__code"]
    list_select_related = ["recipient", "recipient__school", "award_type"]
    autocomplete_fields = ["recipient"]
    raw_id_fields = ["nomination"]
    # Revocation goes through the history page (reason and reference, irreversible).
    readonly_fields = ["revoked_at", "revoke_reason", "revoke_reference"]


class NominationEventInline(admin.TabularInline):
    model = NominationEvent
    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "by", "at", "comment"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class NominationCommentInline(admin.TabularInline):
    model = NominationComment
    extra = 0
    readonly_fields = ["author", "school", "created_at"]


@admin.register(Nomination)
class NominationAdmin(SimpleHistoryAdmin):
    list_display = ["recipient", "award_type", "school", "year", "status", "submitted_at"]
    list_filter = ["status", "award_type", "year__cluster"]
    search_fields = ["recipient__name", "school__code", "decision_number"]
    list_select_related = ["recipient", "recipient__school", "award_type", "school", "year"]
    raw_id_fields = ["recipient", "year", "school"]
    # The workflow (status and what each step records) is the services' business.
    readonly_fields = [
        "status",
        "eligibility",
        "submitted_at",
        "comment_until",
        "return_comment",
        "decision_number",
        "decision_date",
        "refusal_reason",
        "created_by",
    ]
    inlines = [NominationEventInline, NominationCommentInline]


@admin.register(DossierDocument)
class DossierDocumentAdmin(admin.ModelAdmin):
    list_display = ["year", "kind", "number", "date", "uploaded_at"]
    list_filter = ["kind", "year__cluster"]
    list_select_related = ["year", "year__cluster"]
    readonly_fields = ["uploaded_by", "uploaded_at"]
