"""Admin of reminders: policies (editable), the outbox (retry failed messages), the log
(read-only) and notifications. The schedule itself is django-celery-beat's PeriodicTask
“Quét hạn chót và gửi nhắc việc” (``manage.py setup_schedules`` creates it)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services
from .enums import OutboxStatus
from .models import Notification, OutboxMessage, ReminderLog, ReminderPolicy


@admin.register(ReminderPolicy)
class ReminderPolicyAdmin(admin.ModelAdmin):
    list_display = ["cluster", "year", "enabled", "offsets", "send_late_list", "updated_at"]
    list_filter = ["enabled", "cluster"]
    autocomplete_fields = ["cluster", "year"]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ReminderLog)
class ReminderLogAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "kind", "cluster", "year", "school", "deadline", "offset"]
    list_filter = ["kind", "deadline_kind", "cluster"]
    search_fields = ["key", "school__name", "school__code"]
    list_select_related = ["cluster", "year", "school"]
    date_hierarchy = "created_at"


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "to_email", "school", "subject", "status", "attempts"]
    list_filter = ["status", "kind", "cluster"]
    search_fields = ["to_email", "subject", "school__name"]
    list_select_related = ["school"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "log",
        "kind",
        "cluster",
        "year",
        "school",
        "recipient",
        "to_email",
        "language",
        "subject",
        "body_text",
        "body_html",
        "status",
        "attempts",
        "last_error",
        "created_at",
        "last_attempt_at",
        "sent_at",
    ]
    actions = ["retry_failed"]

    def has_add_permission(self, request) -> bool:
        return False

    @admin.action(description=_("Send the selected failed messages again"))
    def retry_failed(self, request, queryset):
        count = 0
        for message in queryset.filter(status=OutboxStatus.FAILED):
            try:
                services.retry_message(message=message, by=request.user)
            except ValidationError:
                continue
            count += 1
        self.message_user(
            request,
            ngettext("%(count)d message queued again.", "%(count)d messages queued again.", count)
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "user", "title", "read_at"]
    list_filter = ["read_at"]
    search_fields = ["title", "user__email", "user__full_name"]
    list_select_related = ["user"]
    raw_id_fields = ["user", "message"]
