"""Sign in and out, passwords, profile, the user list of a secretariat, invitations and
the error pages."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.template import loader
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import services
from .enums import Role
from .exports import XLSX_CONTENT_TYPE, users_workbook
from .filters import UserFilter
from .forms import AcceptInvitationForm, EmailLoginForm, InviteForm, ProfileForm
from .selectors import (
    clusters_in_scope,
    open_invitations_visible_to,
    schools_in_scope,
    users_visible_to,
)

USERS_PER_PAGE = 50


def _use_language(response: HttpResponse, language: str) -> HttpResponse:
    """Switch to the user's language now and for the next requests (the cookie that
    LocaleMiddleware and the navbar switcher use)."""
    translation.activate(language)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


class SignInView(auth_views.LoginView):
    """Email and password; axes counts the failures (the form passes the request)."""

    form_class = EmailLoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        return _use_language(response, form.get_user().language)


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = ProfileForm(request.POST or None, instance=user)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_profile(user=user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            language = user.language
            with translation.override(language):
                messages.success(request, _("Your profile has been saved."))
            return _use_language(redirect("accounts:profile"), language)
    return render(request, "accounts/profile.html", {"form": form})


def _filtered_users(request: HttpRequest) -> UserFilter:
    if not request.user.has_perm("accounts.read_users"):
        raise PermissionDenied
    return UserFilter(request.GET or None, queryset=users_visible_to(request.user), request=request)


@login_required
def user_list(request: HttpRequest) -> HttpResponse:
    user_filter = _filtered_users(request)
    page = Paginator(user_filter.qs, USERS_PER_PAGE).get_page(request.GET.get("page"))
    can_manage = request.user.has_perm("accounts.manage_users")
    invitations = list(open_invitations_visible_to(request.user).order_by("-created_at"))
    return render(
        request,
        "accounts/user_list.html",
        {
            "filter": user_filter,
            "page": page,
            "can_manage": can_manage,
            "invitations": invitations,
            "now": timezone.now(),
        },
    )


@login_required
def user_export(request: HttpRequest) -> HttpResponse:
    user_filter = _filtered_users(request)
    response = HttpResponse(users_workbook(user_filter.qs), content_type=XLSX_CONTENT_TYPE)
    filename = f"nguoi-dung-{timezone.localdate():%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def invite(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not user.has_perm("accounts.manage_users"):
        raise PermissionDenied
    roles = [role for role in Role.values if user.has_perm("accounts.invite_role", role)]
    form = InviteForm(
        request.POST or None,
        roles=roles,
        clusters=clusters_in_scope(user),
        schools=schools_in_scope(user),
        initial={"cluster": user.cluster_id},
    )
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invite_user(invited_by=user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("The invitation to %(email)s has been sent. It is valid for %(days)s days.")
                % {"email": invitation.email, "days": settings.INVITATION_VALID_DAYS},
            )
            return redirect("accounts:users")
    return render(
        request,
        "accounts/invite.html",
        {"form": form, "valid_days": settings.INVITATION_VALID_DAYS},
    )


@login_required
@require_POST
def resend_invitation(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.has_perm("accounts.manage_users"):
        raise PermissionDenied
    invitation = get_object_or_404(open_invitations_visible_to(request.user), pk=pk)
    try:
        services.resend_invitation(invitation=invitation, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _(
                "A new invitation link has been sent to %(email)s; "
                "the previous link no longer works."
            )
            % {"email": invitation.email},
        )
    return redirect(reverse("accounts:users") + "#invitations")


def _change_status(request: HttpRequest, pk: int, *, activate: bool) -> HttpResponse:
    if not request.user.has_perm("accounts.manage_users"):
        raise PermissionDenied
    target = get_object_or_404(users_visible_to(request.user), pk=pk)
    if not request.user.has_perm("accounts.manage_user", target):
        raise PermissionDenied
    try:
        if activate:
            services.reactivate_user(user=target, by=request.user)
            text = _("%(name)s can sign in again.")
        else:
            services.deactivate_user(user=target, by=request.user)
            text = _("%(name)s can no longer sign in.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, text % {"name": target.get_full_name()})
    return redirect("accounts:users")


@login_required
@require_POST
def deactivate_user(request: HttpRequest, pk: int) -> HttpResponse:
    return _change_status(request, pk, activate=False)


@login_required
@require_POST
def reactivate_user(request: HttpRequest, pk: int) -> HttpResponse:
    return _change_status(request, pk, activate=True)


def _invitation_problem(request: HttpRequest, error: services.InvitationError) -> HttpResponse:
    if isinstance(error, services.InvitationNotFound):
        raise Http404
    template = (
        "accounts/invitation_used.html"
        if isinstance(error, services.InvitationUsed)
        else "accounts/invitation_expired.html"
    )
    return render(request, template, status=410)


def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The page behind the emailed link: set a password, then you are signed in."""
    try:
        invitation = services.check_invitation(token)
    except services.InvitationError as error:
        return _invitation_problem(request, error)
    form = AcceptInvitationForm(request.POST or None, invitation=invitation)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.accept_invitation(token=token, password=form.cleaned_data["password1"])
        except services.InvitationError as error:
            return _invitation_problem(request, error)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            with translation.override(user.language):
                messages.success(
                    request,
                    _("Welcome, %(name)s. Your account is ready.") % {"name": user.full_name},
                )
            return _use_language(redirect(resolve_url(settings.LOGIN_REDIRECT_URL)), user.language)
    return render(
        request, "accounts/accept_invitation.html", {"form": form, "invitation": invitation}
    )


def error_403(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "403.html", status=403)


def error_404(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "404.html", status=404)


def error_500(request: HttpRequest) -> HttpResponse:
    # No context processors and no database: whatever broke must not break this page too.
    return HttpResponseServerError(loader.get_template("500.html").render())
