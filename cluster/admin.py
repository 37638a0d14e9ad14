"""Django admin for the cluster models, and the import of clusters from an .xlsx workbook.

The import view is registered on ClusterAdmin (``admin:cluster_cluster_import``) and is open
to superusers only (``accounts.rules.is_admin``). A preview (dry run) keeps the uploaded file
in the session so that it can be imported without choosing it again.
"""

from __future__ import annotations

import base64
import hashlib
from io import BytesIO

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from accounts.rules import is_admin

from .enums import LeadershipRole
from .importing import ImportReport, import_cluster_workbook, template_workbook
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

IMPORT_MAX_SIZE = 2 * 1024 * 1024
IMPORT_SESSION_KEY = "cluster_import_preview"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ClusterImportForm(forms.Form):
    file = forms.FileField(
        label=_("Workbook (.xlsx)"),
        help_text=_(
            "Sheets clusters (code, name), schools (code, name, province) and members "
            "(cluster_code, school_code, from_date, to_date)."
        ),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(
                _("“%(name)s” is not an .xlsx file."), params={"name": upload.name}
            )
        if upload.size > IMPORT_MAX_SIZE:
            raise forms.ValidationError(
                _("The file is too large (at most %(max)d MB)."),
                params={"max": IMPORT_MAX_SIZE // (1024 * 1024)},
            )
        return upload


# --- inlines -------------------------------------------------------------------------------


class PhaseInline(admin.TabularInline):
    model = Phase
    extra = 0
    fields = ("kind", "starts_on", "deadline", "hard_deadline", "note")


class LeadershipInline(admin.TabularInline):
    model = Leadership
    extra = 0
    fields = ("role", "school")
    autocomplete_fields = ("school",)


class MovementDocumentInline(admin.TabularInline):
    model = MovementDocument
    extra = 0
    fields = ("title", "file", "uploaded_by", "uploaded_at")
    readonly_fields = ("uploaded_by", "uploaded_at")


# --- model admins --------------------------------------------------------------------------


@admin.register(Cluster)
class ClusterAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "current_members", "document_symbol", "is_demo")
    list_display_links = ("code", "name")
    list_filter = ("is_demo", "heading_style")
    search_fields = ("code", "name")
    readonly_fields = ("created_at",)
    change_list_template = "admin/cluster/cluster/change_list.html"

    def get_queryset(self, request):
        today = timezone.localdate()
        active = Q(memberships__start_date__lte=today) & (
            Q(memberships__end_date__isnull=True) | Q(memberships__end_date__gte=today)
        )
        return (
            super()
            .get_queryset(request)
            .annotate(current_member_count=Count("memberships", filter=active, distinct=True))
        )

    @admin.display(description=_("members today"), ordering="current_member_count")
    def current_members(self, obj: Cluster) -> int:
        return obj.current_member_count

    def get_urls(self):
        urls = [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="cluster_cluster_import",
            ),
            path(
                "import/template.xlsx",
                self.admin_site.admin_view(self.import_template_view),
                name="cluster_cluster_import_template",
            ),
        ]
        return urls + super().get_urls()

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "can_import": is_admin(request.user)}
        return super().changelist_view(request, extra_context=extra_context)

    def import_template_view(self, request: HttpRequest) -> HttpResponse:
        if not is_admin(request.user):
            raise PermissionDenied
        response = HttpResponse(template_workbook(), content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = 'attachment; filename="cluster-import-template.xlsx"'
        return response

    def import_view(self, request: HttpRequest) -> HttpResponse:
        """Upload → preview (dry run) → import. Problems are listed by sheet, row and column;
        a refused file changes nothing."""
        if not is_admin(request.user):
            raise PermissionDenied
        form = ClusterImportForm()
        report: ImportReport | None = None
        preview: dict | None = None

        if request.method == "POST":
            action = request.POST.get("action", "preview")
            if action == "confirm":
                stashed = request.session.get(IMPORT_SESSION_KEY)
                # The hash ties the button to the preview shown on that page (not another tab's).
                if not stashed or stashed.get("sha256") != request.POST.get("sha256"):
                    messages.warning(
                        request, gettext("The preview has expired: choose the file again.")
                    )
                    return redirect("admin:cluster_cluster_import")
                data = base64.b64decode(stashed["data"])
                report = import_cluster_workbook(file=BytesIO(data), dry_run=False)
                if report.ok:
                    del request.session[IMPORT_SESSION_KEY]
                    return self._finish_import(request, report, stashed["name"])
            else:
                form = ClusterImportForm(request.POST, request.FILES)
                if form.is_valid():
                    upload = form.cleaned_data["file"]
                    data = upload.read()
                    dry_run = action != "import"
                    report = import_cluster_workbook(file=BytesIO(data), dry_run=dry_run)
                    request.session.pop(IMPORT_SESSION_KEY, None)
                    if report.ok and not dry_run:
                        return self._finish_import(request, report, upload.name)
                    if report.ok:
                        preview = {
                            "name": upload.name,
                            "sha256": hashlib.sha256(data).hexdigest(),
                            "data": base64.b64encode(data).decode("ascii"),
                        }
                        request.session[IMPORT_SESSION_KEY] = preview
                    form = ClusterImportForm()

        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": gettext("Import clusters from Excel"),
            "form": form,
            "report": report,
            "preview": preview,
            "counts": (
                [(sheet, counts) for sheet, counts in report.counts_by_sheet().items()]
                if report is not None
                else []
            ),
            "template_url": reverse("admin:cluster_cluster_import_template"),
            "changelist_url": reverse("admin:cluster_cluster_changelist"),
        }
        return TemplateResponse(request, "admin/cluster/import.html", context)

    def _finish_import(self, request: HttpRequest, report: ImportReport, name: str):
        messages.success(
            request,
            gettext("Imported %(name)s: %(summary)s")
            % {"name": name, "summary": "; ".join(report.summary().splitlines())},
        )
        return redirect("admin:cluster_cluster_changelist")


@admin.register(School)
class SchoolAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "province", "successor", "is_demo")
    list_display_links = ("code", "name")
    list_filter = ("is_demo", "province")
    search_fields = ("code", "name", "province")
    list_select_related = ("merged_into__successor",)
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    @admin.display(description=_("merged into"))
    def successor(self, obj: School) -> str:
        merge = getattr(obj, "merged_into", None)
        return str(merge.successor) if merge else "—"


@admin.register(SchoolMerge)
class SchoolMergeAdmin(admin.ModelAdmin):
    list_display = ("predecessor", "successor", "effective_date", "note")
    list_select_related = ("predecessor", "successor")
    search_fields = (
        "predecessor__code",
        "predecessor__name",
        "successor__code",
        "successor__name",
    )
    autocomplete_fields = ("predecessor", "successor")
    date_hierarchy = "effective_date"


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ("school", "cluster", "start_date", "end_date")
    list_filter = ("cluster", ("end_date", admin.EmptyFieldListFilter))
    list_select_related = ("cluster", "school")
    search_fields = ("school__code", "school__name", "cluster__code", "cluster__name")
    autocomplete_fields = ("cluster", "school")
    date_hierarchy = "start_date"


@admin.register(EmulationYear)
class EmulationYearAdmin(SimpleHistoryAdmin):
    list_display = (
        "label",
        "cluster",
        "period_kind",
        "start_date",
        "end_date",
        "head",
        "recognition_decision_number",
    )
    list_filter = ("cluster", "period_kind")
    list_select_related = ("cluster",)
    search_fields = ("label", "theme", "cluster__code", "cluster__name")
    autocomplete_fields = ("cluster",)
    date_hierarchy = "start_date"
    inlines = (PhaseInline, LeadershipInline)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(
                Prefetch("leaders", queryset=Leadership.objects.select_related("school"))
            )
        )

    @admin.display(description=_("head"))
    def head(self, obj: EmulationYear) -> str:
        for leader in obj.leaders.all():
            if leader.role == LeadershipRole.HEAD:
                return leader.school.code
        return "—"


@admin.register(Movement)
class MovementAdmin(SimpleHistoryAdmin):
    list_display = ("title", "cluster", "start_date", "end_date", "launched_by")
    list_filter = ("cluster",)
    list_select_related = ("cluster",)
    search_fields = ("title", "slogan", "launched_by", "cluster__code")
    autocomplete_fields = ("cluster", "launching_school")
    date_hierarchy = "start_date"
    inlines = (MovementDocumentInline,)

    def save_formset(self, request, form, formset, change):
        if formset.model is MovementDocument:
            for document in formset.save(commit=False):
                if document.uploaded_by_id is None:
                    document.uploaded_by = request.user
                document.save()
            for document in formset.deleted_objects:
                document.delete()
            return
        super().save_formset(request, form, formset, change)


@admin.register(Event)
class EventAdmin(SimpleHistoryAdmin):
    list_display = ("title", "kind", "date", "cluster", "year", "host_school")
    list_filter = ("kind", "cluster")
    list_select_related = ("cluster", "year__cluster", "host_school")
    search_fields = ("title", "location", "cluster__code", "host_school__name")
    autocomplete_fields = ("cluster", "year", "host_school")
    date_hierarchy = "date"
