"""Django admin for every evaluations model (criteria, pledges, reports, scoring).

The admin is the administrators' tool for looking things up and mending data; the rules
still apply where they protect scores: a criterion's maximum cannot change, nor a criterion
be added or removed, while its table is locked (``table_is_locked``), and the pledge actions
go through the pledge services. Audit rows (reopenings, report events, frozen results) are
read-only.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    AnnualReport,
    Assignment,
    BonusClaim,
    CriteriaTable,
    Criterion,
    CrossScore,
    DeclaredDeduction,
    DeductionReason,
    Evidence,
    Extension,
    ImposedDeduction,
    Indicator,
    IndicatorResult,
    Objection,
    Pledge,
    PledgeTarget,
    ReportEvent,
    ResultRow,
    ScoringSettings,
    SelfScore,
    TableReopening,
)
from .services.criteria import table_is_locked
from .services.pledges import accept_pledge


class ReadOnlyAdmin(admin.ModelAdmin):
    """Audit records: looked at, never written here."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


# --- criteria tables ---------------------------------------------------------------------------


class CriterionAdminForm(forms.ModelForm):
    class Meta:
        model = Criterion
        fields = [
            "table",
            "parent",
            "code",
            "title",
            "guidance",
            "max_points",
            "evidence_required",
            "order",
        ]

    def clean(self):
        cleaned = super().clean()
        table = cleaned.get("table") or getattr(self.instance, "table", None)
        if table is None or not table_is_locked(table):
            return cleaned
        is_new = self.instance.pk is None
        is_criterion = cleaned.get("parent") is not None
        if is_criterion and (is_new or cleaned.get("max_points") != self.instance.max_points):
            raise ValidationError(
                _(
                    "Schools have already self-scored against this table: a maximum cannot "
                    "change and a criterion cannot be added until the table is reopened."
                )
            )
        return cleaned


class CriterionInline(admin.TabularInline):
    model = Criterion
    form = CriterionAdminForm
    fk_name = "table"
    fields = ["order", "code", "title", "parent", "max_points", "evidence_required"]
    raw_id_fields = ["parent"]
    extra = 0

    def has_delete_permission(self, request, obj=None) -> bool:
        return super().has_delete_permission(request, obj) and not (
            obj is not None and table_is_locked(obj)
        )


class DeductionReasonInline(admin.TabularInline):
    model = DeductionReason
    fields = ["order", "title", "points"]
    extra = 0


@admin.register(CriteriaTable)
class CriteriaTableAdmin(SimpleHistoryAdmin):
    list_display = ["year", "bonus_cap", "reopened"]
    list_filter = ["year__cluster", "reopened"]
    search_fields = ["year__label", "year__cluster__code"]
    list_select_related = ["year__cluster"]
    inlines = [CriterionInline, DeductionReasonInline]
    readonly_fields = ["reopened"]

    def has_delete_permission(self, request, obj=None) -> bool:
        if obj is not None and table_is_locked(obj):
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request):
        # Bulk deletion would skip the per-table lock check above.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


@admin.register(Criterion)
class CriterionAdmin(SimpleHistoryAdmin):
    form = CriterionAdminForm
    list_display = ["code", "title", "max_points", "evidence_required", "table"]
    list_filter = ["table__year__cluster", "evidence_required"]
    search_fields = ["code", "title", "table__year__label"]
    list_select_related = ["table__year__cluster"]
    raw_id_fields = ["table", "parent"]

    def has_delete_permission(self, request, obj=None) -> bool:
        if obj is not None and table_is_locked(obj.table):
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request):
        # Bulk deletion would skip the per-table lock check above.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


@admin.register(DeductionReason)
class DeductionReasonAdmin(admin.ModelAdmin):
    list_display = ["title", "points", "table"]
    list_filter = ["table__year__cluster"]
    search_fields = ["title"]
    list_select_related = ["table__year__cluster"]
    raw_id_fields = ["table"]


@admin.register(TableReopening)
class TableReopeningAdmin(ReadOnlyAdmin):
    list_display = ["table", "reopened_at", "reopened_by", "reason"]
    list_filter = ["table__year__cluster"]
    list_select_related = ["table__year__cluster", "reopened_by"]
    filter_horizontal = ["affected_schools"]


@admin.register(Indicator)
class IndicatorAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "unit", "order", "year"]
    list_filter = ["year__cluster"]
    search_fields = ["code", "name", "year__label"]
    list_select_related = ["year__cluster"]
    raw_id_fields = ["year"]


@admin.register(Extension)
class ExtensionAdmin(SimpleHistoryAdmin):
    list_display = ["school", "year", "phase_kind", "until", "granted_by", "granted_at"]
    list_filter = ["phase_kind", "year__cluster"]
    search_fields = ["school__code", "school__name", "reason"]
    list_select_related = ["school", "year__cluster", "granted_by"]
    raw_id_fields = ["year", "school", "granted_by"]


# --- pledges -----------------------------------------------------------------------------------


class PledgeTargetInline(admin.TabularInline):
    model = PledgeTarget
    fields = ["indicator", "target"]
    raw_id_fields = ["indicator"]
    extra = 0


@admin.register(Pledge)
class PledgeAdmin(SimpleHistoryAdmin):
    list_display = ["school", "year", "status", "is_late", "submitted_at", "reviewed_at"]
    list_filter = ["status", "is_late", "year__cluster"]
    search_fields = ["school__code", "school__name", "year__label"]
    list_select_related = ["school", "year__cluster"]
    raw_id_fields = ["year", "school", "submitted_by", "reviewed_by"]
    readonly_fields = ["updated_at"]
    inlines = [PledgeTargetInline]
    actions = ["accept_selected"]

    @admin.action(description=_("Accept the selected submitted pledges"))
    def accept_selected(self, request, queryset):
        accepted = refused = 0
        for pledge in queryset:
            try:
                accept_pledge(pledge=pledge, by=request.user)
            except ValidationError:
                refused += 1
            else:
                accepted += 1
        self.message_user(
            request,
            gettext("%(accepted)d accepted, %(refused)d not submitted (left as they were).")
            % {"accepted": accepted, "refused": refused},
            messages.SUCCESS if not refused else messages.WARNING,
        )


@admin.register(PledgeTarget)
class PledgeTargetAdmin(SimpleHistoryAdmin):
    list_display = ["pledge", "indicator", "target"]
    list_filter = ["pledge__year__cluster"]
    search_fields = ["pledge__school__code", "indicator__name"]
    list_select_related = ["pledge__school", "pledge__year", "indicator"]
    raw_id_fields = ["pledge", "indicator"]


# --- annual reports ----------------------------------------------------------------------------


class IndicatorResultInline(admin.TabularInline):
    model = IndicatorResult
    fields = ["indicator", "actual"]
    raw_id_fields = ["indicator"]
    extra = 0


class SelfScoreInline(admin.TabularInline):
    model = SelfScore
    fields = ["criterion", "points", "explanation"]
    raw_id_fields = ["criterion"]
    extra = 0


@admin.register(AnnualReport)
class AnnualReportAdmin(SimpleHistoryAdmin):
    list_display = ["school", "year", "status", "is_late", "version", "submitted_at"]
    list_filter = ["status", "is_late", "year__cluster"]
    search_fields = ["school__code", "school__name", "year__label"]
    list_select_related = ["school", "year__cluster"]
    raw_id_fields = ["year", "school", "submitted_by", "returned_by"]
    readonly_fields = ["updated_at"]
    inlines = [IndicatorResultInline, SelfScoreInline]


@admin.register(IndicatorResult)
class IndicatorResultAdmin(SimpleHistoryAdmin):
    list_display = ["report", "indicator", "actual"]
    list_filter = ["report__year__cluster"]
    search_fields = ["report__school__code", "indicator__name"]
    list_select_related = ["report__school", "report__year", "indicator"]
    raw_id_fields = ["report", "indicator"]


@admin.register(SelfScore)
class SelfScoreAdmin(SimpleHistoryAdmin):
    list_display = ["report", "criterion", "points"]
    list_filter = ["report__year__cluster"]
    search_fields = ["report__school__code", "criterion__code"]
    list_select_related = ["report__school", "report__year", "criterion"]
    raw_id_fields = ["report", "criterion"]


@admin.register(Evidence)
class EvidenceAdmin(admin.ModelAdmin):
    list_display = ["original_name", "report", "criterion", "size", "uploaded_at"]
    list_filter = ["report__year__cluster"]
    search_fields = ["original_name", "description", "report__school__code"]
    list_select_related = ["report__school", "report__year", "criterion"]
    raw_id_fields = ["report", "criterion", "uploaded_by"]
    # The stored file is served only through the permission-checked report views.
    readonly_fields = ["file", "original_name", "content_type", "size", "uploaded_at"]


@admin.register(BonusClaim)
class BonusClaimAdmin(SimpleHistoryAdmin):
    list_display = ["report", "points", "approved_points"]
    list_filter = ["report__year__cluster"]
    search_fields = ["report__school__code", "reason"]
    list_select_related = ["report__school", "report__year"]
    raw_id_fields = ["report"]


@admin.register(DeclaredDeduction)
class DeclaredDeductionAdmin(SimpleHistoryAdmin):
    list_display = ["report", "reason", "points", "approved_points"]
    list_filter = ["report__year__cluster"]
    search_fields = ["report__school__code", "explanation"]
    list_select_related = ["report__school", "report__year", "reason"]
    raw_id_fields = ["report", "reason"]


@admin.register(ReportEvent)
class ReportEventAdmin(ReadOnlyAdmin):
    list_display = ["report", "kind", "version", "at", "by", "is_late"]
    list_filter = ["kind", "report__year__cluster"]
    search_fields = ["report__school__code", "comment"]
    list_select_related = ["report__school", "report__year", "by"]


# --- cross-scoring and results -----------------------------------------------------------------


@admin.register(ScoringSettings)
class ScoringSettingsAdmin(SimpleHistoryAdmin):
    list_display = ["year", "method", "mode", "stage", "published_at", "frozen_at"]
    list_filter = ["stage", "method", "year__cluster"]
    list_select_related = ["year__cluster"]
    raw_id_fields = ["year", "published_by", "frozen_by"]
    readonly_fields = ["fingerprint", "frozen_at", "frozen_by"]


@admin.register(Assignment)
class AssignmentAdmin(SimpleHistoryAdmin):
    list_display = ["year", "scorer", "target", "status", "is_late", "conflict_declared"]
    list_filter = ["status", "conflict_declared", "year__cluster"]
    search_fields = ["scorer__code", "target__code"]
    list_select_related = ["year__cluster", "scorer", "target"]
    raw_id_fields = ["year", "scorer", "target", "submitted_by"]


@admin.register(CrossScore)
class CrossScoreAdmin(SimpleHistoryAdmin):
    list_display = ["assignment", "criterion", "points"]
    list_filter = ["assignment__year__cluster"]
    search_fields = ["assignment__scorer__code", "assignment__target__code", "criterion__code"]
    list_select_related = [
        "assignment__year__cluster",
        "assignment__scorer",
        "assignment__target",
        "criterion",
    ]
    raw_id_fields = ["assignment", "criterion"]


@admin.register(ImposedDeduction)
class ImposedDeductionAdmin(SimpleHistoryAdmin):
    list_display = ["school", "year", "points", "reason", "created_by", "created_at"]
    list_filter = ["year__cluster"]
    search_fields = ["school__code", "explanation"]
    list_select_related = ["school", "year__cluster", "reason", "created_by"]
    raw_id_fields = ["year", "school", "reason", "created_by"]


@admin.register(Objection)
class ObjectionAdmin(SimpleHistoryAdmin):
    list_display = ["year", "school", "target", "criterion", "status", "raised_at"]
    list_filter = ["status", "year__cluster"]
    search_fields = ["school__code", "target__code", "text", "answer"]
    list_select_related = ["year__cluster", "school", "target", "criterion"]
    raw_id_fields = ["year", "school", "target", "criterion", "raised_by", "answered_by"]


@admin.register(ResultRow)
class ResultRowAdmin(ReadOnlyAdmin):
    list_display = ["year", "rank", "school", "criteria_points", "bonus", "deductions", "total"]
    list_filter = ["year__cluster"]
    list_select_related = ["year__cluster", "school"]

# The scoring admins (read-only once a year is frozen) replace the plain ones above.
from . import admin_scoring  # noqa: E402,F401
