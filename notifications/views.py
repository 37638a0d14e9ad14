"""Pages of the notifications app: each user's notifications and the bell; the outbox of a
cluster for its secretariat (filter, export, send a reminder now, send a failed one again)."""

from __future__ import annotations

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from cluster.exports import xlsx_response
from cluster.models import Cluster

from . import exports, selectors, services
from .enums import OutboxStatus
from .filters import OutboxFilter
from .forms import SendNowForm
from .models import Notification, OutboxMessage

NOTIFICATIONS_PER_PAGE = 25
MESSAGES_PER_PAGE = 50
# htmx stops polling on this status (the session ended: no more bell updates).
HTMX_STOP_POLLING = 286


def _require(request: HttpRequest, perm: str, obj=None) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def _crumb(label: str, url: str | None = None) -> dict:
    return {"label": label, "url": url}


# --- notifications -----------------------------------------------------------------------


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    _require(request, "notifications.use_notifications")
    page = Paginator(selectors.notifications_of(request.user), NOTIFICATIONS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "notifications/notification_list.html",
        {
            "page": page,
            "unread": selectors.unread_count(request.user),
            "outbox_clusters": selectors.clusters_with_outbox(request.user),
        },
    )


def _own_notification(request: HttpRequest, pk: int) -> Notification:
    notification = get_object_or_404(Notification, pk=pk)
    if not rules.test_rule("notifications.own_notification", request.user, notification):
        raise PermissionDenied
    return notification


@login_required
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Follow a notification's link; opening it marks it read."""
    notification = _own_notification(request, pk)
    services.mark_read(notification=notification)
    target = notification.url
    if not target or not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("notifications:list")
    return redirect(target)


@login_required
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    services.mark_read(notification=_own_notification(request, pk))
    return redirect("notifications:list")


@login_required
@require_POST
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    _require(request, "notifications.use_notifications")
    count = services.mark_all_read(user=request.user)
    if count:
        messages.success(
            request,
            ngettext(
                "%(count)d notification marked as read.",
                "%(count)d notifications marked as read.",
                count,
            )
            % {"count": count},
        )
    return redirect("notifications:list")


def bell(request: HttpRequest) -> HttpResponse:
    """The bell with the unread count, polled by htmx (includes/nav_notifications.html)."""
    if not request.user.is_authenticated:
        return HttpResponse(status=HTMX_STOP_POLLING)
    return render(
        request,
        "includes/nav_notifications.html",
        {"unread_count": selectors.unread_count(request.user), "bell_loaded": True},
    )


# --- outbox ------------------------------------------------------------------------------


def _outbox_cluster(request: HttpRequest, code: str, perm: str) -> Cluster:
    cluster = get_object_or_404(Cluster, code=code)
    _require(request, perm, cluster)
    return cluster


def _outbox_filter(request: HttpRequest, cluster: Cluster) -> OutboxFilter:
    return OutboxFilter(request.GET or None, queryset=selectors.outbox_of(cluster), cluster=cluster)


@login_required
def outbox(request: HttpRequest, code: str) -> HttpResponse:
    cluster = _outbox_cluster(request, code, "notifications.read_outbox")
    outbox_filter = _outbox_filter(request, cluster)
    page = Paginator(outbox_filter.qs, MESSAGES_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    counts = selectors.outbox_counts(cluster)
    return render(
        request,
        "notifications/outbox.html",
        {
            "cluster": cluster,
            "filter": outbox_filter,
            "page": page,
            "query": query.urlencode(),
            "counts": [(status, counts.get(status.value, 0)) for status in OutboxStatus],
            "can_manage": request.user.has_perm("notifications.manage_outbox", cluster),
            "show_addresses": request.user.has_perm(
                "notifications.read_recipient_addresses", cluster
            ),
            "crumbs": [_crumb(_("Reminder outbox"))],
        },
    )


@login_required
def outbox_export(request: HttpRequest, code: str) -> HttpResponse:
    cluster = _outbox_cluster(request, code, "notifications.read_outbox")
    content = exports.outbox_workbook(
        cluster=cluster,
        messages=_outbox_filter(request, cluster).qs,
        show_addresses=request.user.has_perm("notifications.read_recipient_addresses", cluster),
    )
    return xlsx_response(content, f"outbox-{cluster.code}.xlsx")


@login_required
def outbox_message(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    cluster = _outbox_cluster(request, code, "notifications.read_outbox")
    message = get_object_or_404(
        OutboxMessage.objects.select_related("school", "year", "recipient", "log"),
        pk=pk,
        cluster=cluster,
    )
    return render(
        request,
        "notifications/outbox_message.html",
        {
            "cluster": cluster,
            "message": message,
            "can_manage": request.user.has_perm("notifications.manage_outbox", cluster),
            "show_addresses": request.user.has_perm(
                "notifications.read_recipient_addresses", cluster
            ),
            "crumbs": [
                _crumb(_("Reminder outbox"), reverse("notifications:outbox", args=[cluster.code])),
                _crumb(message.subject),
            ],
        },
    )


@login_required
@require_POST
def outbox_retry(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    cluster = _outbox_cluster(request, code, "notifications.manage_outbox")
    message = get_object_or_404(OutboxMessage, pk=pk, cluster=cluster)
    try:
        services.retry_message(message=message, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("The email to %(to)s is queued again.") % {"to": message.to_email}
        )
    return redirect("notifications:outbox", cluster.code)


@login_required
def send_now(request: HttpRequest, code: str) -> HttpResponse:
    cluster = _outbox_cluster(request, code, "notifications.manage_outbox")
    form = SendNowForm(request.POST or None, cluster=cluster)
    if request.method == "POST" and form.is_valid():
        try:
            count = services.send_reminder_now(
                year=form.cleaned_data["year"],
                school=form.cleaned_data["school"],
                deadline_kind=form.cleaned_data["kind"],
                by=request.user,
            )
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                form.add_error(None, error)
            else:
                for field, errors in error.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(
                request,
                ngettext(
                    "Reminder queued for %(school)s: %(count)d email.",
                    "Reminder queued for %(school)s: %(count)d emails.",
                    count,
                )
                % {"school": form.cleaned_data["school"].name, "count": count},
            )
            return redirect("notifications:outbox", cluster.code)
    outbox_url = reverse("notifications:outbox", args=[cluster.code])
    title = _("Send a reminder now")
    return render(
        request,
        "cluster/form_page.html",
        {
            "cluster": cluster,
            "form": form,
            "title": title,
            "intro": _(
                "The representatives of the school receive, by email and in the application, "
                "what is still missing for the chosen deadline, outside the usual schedule."
            ),
            "submit_label": _("Send the reminder"),
            "confirm": _("Send a reminder email now to the representatives of the chosen school?"),
            "cancel_url": outbox_url,
            "crumbs": [_crumb(_("Reminder outbox"), outbox_url), _crumb(title)],
        },
    )
