"""Admin of the cross-scoring models. Read-only once the year's results are frozen.

Import this module at the END of evaluations/admin.py: it replaces any registration of the
scoring models made there, and wraps the BonusClaim and DeclaredDeduction admins (owned by
the reports work) so that their approvals too become read-only in a frozen year.

Publication and freezing go through the web pages (the services): the stage, dates and the
fingerprint are read-only here.
"""

from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Assignment,
    BonusClaim,
    CrossScore,
    DeclaredDeduction,
    ImposedDeduction,
    Objection,
    ResultRow,
    ScoringSettings,
)
from .models.scoring import year_is_frozen


class FrozenYearReadOnlyMixin:
    """No change, no delete (and no bulk delete action) for objects of a frozen year.

    ``frozen_year_id(obj)`` names the object's year; adding into a frozen year is refused
    by the models' ``clean()`` (shown as a form error)."""

    def frozen_year_id(self, obj) -> int | None:
        return getattr(obj, "year_id", None)

    def is_frozen(self, obj) -> bool:
        return obj is not None and year_is_frozen(self.frozen_year_id(obj))

    def has_change_permission(self, request, obj=None) -> bool:
        if self.is_frozen(obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        if self.is_frozen(obj):
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request):
        # A bulk delete would bypass the per-object guard.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


def _register(model, admin_class) -> None:
    if admin.site.is_registered(model):
        admin.site.unregister(model)
    admin.site.register(model, admin_class)


class ScoringSettingsAdmin(FrozenYearReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ["year", "method", "mode", "stage", "published_at", "frozen_at"]
    list_filter = ["stage", "method", "year__cluster"]
    list_select_related = ["year__cluster"]
    raw_id_fields = ["year"]
    readonly_fields = [
        "stage",
        "published_at",
        "published_by",
        "objections_until",
        "frozen_at",
        "frozen_by",
        "fingerprint",
    ]


class AssignmentAdmin(FrozenYearReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ["year", "scorer", "target", "status", "is_late", "conflict_declared"]
    list_filter = ["status", "conflict_declared", "year__cluster"]
    search_fields = ["scorer__code", "target__code"]
    list_select_related = ["year__cluster", "scorer", "target"]
    raw_id_fields = ["year", "scorer", "target", "submitted_by"]


class CrossScoreAdmin(FrozenYearReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ["assignment", "criterion", "points"]
    list_filter = ["assignment__year__cluster", "assignment__year__label"]
    search_fields = ["assignment__scorer__code", "assignment__target__code", "criterion__code"]
    list_select_related = [
        "assignment__year__cluster",
        "assignment__scorer",
        "assignment__target",
        "criterion",
    ]
    raw_id_fields = ["assignment", "criterion"]

    def frozen_year_id(self, obj) -> int | None:
        return obj.assignment.year_id


class ImposedDeductionAdmin(FrozenYearReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ["school", "year", "points", "reason", "created_by", "created_at"]
    list_filter = ["year__cluster"]
    search_fields = ["school__code", "explanation"]
    list_select_related = ["school", "year__cluster", "reason", "created_by"]
    raw_id_fields = ["year", "school", "reason", "created_by"]


class ObjectionAdmin(FrozenYearReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ["year", "school", "target", "criterion", "status", "raised_at"]
    list_filter = ["status", "year__cluster"]
    search_fields = ["school__code", "target__code", "text", "answer"]
    list_select_related = ["year__cluster", "school", "target", "criterion"]
    raw_id_fields = ["year", "school", "target", "criterion", "raised_by", "answered_by"]


class ResultRowAdmin(admin.ModelAdmin):
    """The frozen snapshot: written only by the freeze service."""

    list_display = ["year", "rank", "school_code", "school_name", "total"]
    list_filter = ["year__cluster"]
    list_select_related = ["year__cluster"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


def _guard_existing(model, year_id) -> None:
    """Wrap the admin registered for ``model`` (by another module) with the frozen guard."""
    current = type(admin.site._registry[model]) if admin.site.is_registered(model) else None
    base = current or SimpleHistoryAdmin
    guarded = type(
        f"Frozen{base.__name__}",
        (FrozenYearReadOnlyMixin, base),
        {"frozen_year_id": lambda self, obj: year_id(obj), "__module__": __name__},
    )
    _register(model, guarded)


_register(ScoringSettings, ScoringSettingsAdmin)
_register(Assignment, AssignmentAdmin)
_register(CrossScore, CrossScoreAdmin)
_register(ImposedDeduction, ImposedDeductionAdmin)
_register(Objection, ObjectionAdmin)
_register(ResultRow, ResultRowAdmin)
_guard_existing(BonusClaim, lambda obj: obj.report.year_id)
_guard_existing(DeclaredDeduction, lambda obj: obj.report.year_id)
