"""Admin for voting rounds: read-mostly. Rounds are prepared, opened and closed through the
site (the services keep the rules); here a prepared round's title and times may be
corrected, nothing else. Ballots are never editable and are listed only for closed rounds
(as published). Participations (who voted) and ballots (what was chosen) are separate
pages: never inlines of the same round page, never side by side.
"""

from __future__ import annotations

from django.contrib import admin

from .enums import RoundStatus
from .models import Ballot, BallotChoice, Candidate, Participation, VotingRound


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class CandidateInline(ReadOnlyMixin, admin.TabularInline):
    model = Candidate
    extra = 0
    fields = ["order", "label", "school", "nomination", "votes", "votes_no", "passed"]
    readonly_fields = fields
    can_delete = False


@admin.register(VotingRound)
class VotingRoundAdmin(admin.ModelAdmin):
    list_display = ["title", "year", "kind", "seat", "status", "opens_at", "closes_at"]
    list_filter = ["status", "kind", "year__cluster"]
    search_fields = ["title", "year__label", "year__cluster__code"]
    list_select_related = ["year__cluster"]
    inlines = [CandidateInline]
    EDITABLE_WHEN_DRAFT = ("title", "opens_at", "closes_at")

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_readonly_fields(self, request, obj=None):
        fields = [f.name for f in VotingRound._meta.fields]
        if obj is not None and obj.status == RoundStatus.DRAFT:
            return [f for f in fields if f not in self.EDITABLE_WHEN_DRAFT]
        return fields

    def has_change_permission(self, request, obj=None) -> bool:
        if obj is not None and obj.status != RoundStatus.DRAFT:
            # Viewing stays possible (view permission); nothing changes after opening.
            return False
        return super().has_change_permission(request, obj)


@admin.register(Participation)
class ParticipationAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """That a school voted (turnout), never what it chose."""

    list_display = ["round", "school"]
    list_filter = ["round__year__cluster", "round"]
    list_select_related = ["round__year__cluster", "school"]
    # No time column and name order: the order of voting is not shown next to anything.
    ordering = ["round", "school__name"]
    fields = ["round", "school"]
    readonly_fields = fields


class BallotChoiceInline(ReadOnlyMixin, admin.TabularInline):
    model = BallotChoice
    extra = 0
    fields = ["candidate", "answer"]
    readonly_fields = fields
    can_delete = False


@admin.register(Ballot)
class BallotAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Published ballots of closed rounds: receipt and choices, as in the receipt list."""

    list_display = ["receipt", "round"]
    list_filter = ["round__year__cluster", "round"]
    search_fields = ["receipt"]
    ordering = ["round", "receipt"]
    fields = ["receipt", "round"]
    readonly_fields = fields
    inlines = [BallotChoiceInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(round__status=RoundStatus.CLOSED)
            .select_related("round__year__cluster")
        )
