from __future__ import annotations

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from . import services
from .errors import DocumentError
from .models import DocumentJob, DocumentNumber


@admin.register(DocumentJob)
class DocumentJobAdmin(admin.ModelAdmin):
    list_display = [
        "kind",
        "format",
        "cluster",
        "year",
        "number_label",
        "status",
        "progress",
        "attempts",
        "created_at",
    ]
    list_filter = ["status", "kind", "format", "cluster"]
    search_fields = ["number_label", "file_name", "requested_by__email"]
    list_select_related = ["cluster", "year", "year__cluster"]
    readonly_fields = [field.name for field in DocumentJob._meta.fields]
    actions = ["requeue"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Produce the selected failed or abandoned documents again"))
    def requeue(self, request, queryset):
        count = 0
        for job in queryset:
            if services.can_retry(job):
                try:
                    services.retry_job(job=job, by=request.user)
                except DocumentError as error:  # nothing to print yet
                    self.message_user(request, f"{job}: {error.message}", messages.WARNING)
                    continue
                count += 1
        self.message_user(request, _("%(count)d document(s) queued again.") % {"count": count})


@admin.register(DocumentNumber)
class DocumentNumberAdmin(admin.ModelAdmin):
    list_display = ["cluster", "year", "type_code", "last_number"]
    list_filter = ["cluster", "year", "type_code"]
    readonly_fields = ["cluster", "year", "type_code", "last_number"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        # Deleting a sequence would issue its numbers again.
        return False
