"""The Django admin over accounts: users by email, invitations (read-only, resend)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import BaseUserCreationForm, UserChangeForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services
from .enums import Role
from .models import Invitation, User


class UserAddForm(BaseUserCreationForm):
    """Email, name, role (with its cluster or school) and the password twice."""

    class Meta:
        model = User
        fields = ("email", "full_name", "role", "cluster", "school")

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise ValidationError(_("An account already uses this email address."))
        return email

    def save(self, commit: bool = True):
        user = super().save(commit=False)
        # An administrator is the Django superuser; no other role is.
        user.is_staff = user.is_superuser = user.role == Role.ADMIN
        if commit:
            user.save()
        return user


class UserEditForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserEditForm
    add_form = UserAddForm
    list_display = ("email", "full_name", "role", "cluster", "school", "is_active", "last_login")
    list_filter = ("role", "cluster", "is_active", "is_staff", "is_demo")
    list_select_related = ("cluster", "school")
    search_fields = ("email", "full_name")
    ordering = ("full_name", "email")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal details"), {"fields": ("full_name", "position", "phone", "language")}),
        (_("Role"), {"fields": ("role", "cluster", "school")}),
        (
            _("Permissions"),
            {
                "fields": (
                    "is_active",
                    "is_staff",
                    "is_superuser",
                    "groups",
                    "user_permissions",
                    "is_demo",
                )
            },
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "email",
                    "full_name",
                    "role",
                    "cluster",
                    "school",
                    "password1",
                    "password2",
                ),
            },
        ),
    )
    readonly_fields = ("last_login", "date_joined")


class InvitationStatusFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [
            ("pending", _("Pending")),
            ("expired", _("Expired")),
            ("accepted", _("Accepted")),
        ]

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == "pending":
            return queryset.filter(accepted_at__isnull=True, expires_at__gt=now)
        if self.value() == "expired":
            return queryset.filter(Q(accepted_at__isnull=True) & Q(expires_at__lte=now))
        if self.value() == "accepted":
            return queryset.filter(accepted_at__isnull=False)
        return queryset


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Read-only: invitations are created from the Users page, which emails them."""

    list_display = (
        "email",
        "full_name",
        "role",
        "cluster",
        "school",
        "invited_by",
        "created_at",
        "sent_at",
        "expires_at",
        "accepted_at",
    )
    list_filter = (InvitationStatusFilter, "role", "cluster")
    list_select_related = ("cluster", "school", "invited_by")
    search_fields = ("email", "full_name")
    date_hierarchy = "created_at"
    readonly_fields = (
        "email",
        "full_name",
        "role",
        "cluster",
        "school",
        "token_hash",
        "invited_by",
        "user",
        "created_at",
        "expires_at",
        "sent_at",
        "accepted_at",
    )
    actions = ["resend"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description=_("Resend the selected invitations (new link)"))
    def resend(self, request, queryset):
        sent = 0
        for invitation in queryset:
            try:
                services.resend_invitation(invitation=invitation, by=request.user)
            except (ValidationError, PermissionDenied):
                self.message_user(
                    request,
                    _("Not resent (already accepted or not allowed): %(email)s")
                    % {"email": invitation.email},
                    messages.WARNING,
                )
            else:
                sent += 1
        if sent:
            self.message_user(
                request,
                ngettext("%(count)d invitation resent.", "%(count)d invitations resent.", sent)
                % {"count": sent},
                messages.SUCCESS,
            )
