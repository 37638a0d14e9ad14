"""Cluster pages. Thin function views: parse, check a rules permission, call a selector or
a service, render. A missing object is 404, a forbidden one 403."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import exports, selectors, services
from .dashboard import build_dashboard
from .downloads import file_response
from .filters import EventFilter, MemberFilter, MovementFilter
from .forms import (
    AddMemberForm,
    DocumentForm,
    EndMembershipForm,
    EventForm,
    LeadershipForm,
    MergerForm,
    MovementForm,
    PhaseForm,
    SchoolProfileForm,
    YearForm,
)
from .models import (
    Cluster,
    EmulationYear,
    Event,
    Membership,
    Movement,
    MovementDocument,
    Phase,
    School,
)

EVENTS_PER_PAGE = 50


# --- helpers -------------------------------------------------------------------------------


def _require(request: HttpRequest, perm: str, obj=None) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def _readable_cluster(request: HttpRequest, code: str) -> Cluster:
    cluster = get_object_or_404(Cluster, code=code)
    _require(request, "cluster.read_cluster", cluster)
    return cluster


def _managed_cluster(request: HttpRequest, code: str) -> Cluster:
    cluster = get_object_or_404(Cluster, code=code)
    _require(request, "cluster.manage_cluster", cluster)
    return cluster


def _year_crumbs(cluster: Cluster, year: EmulationYear) -> list[dict]:
    return [
        _crumb(_("Years"), reverse("cluster:years", args=[cluster.code])),
        _crumb(year.label, year.get_absolute_url()),
    ]


def _year_or_404(cluster: Cluster, label: str) -> EmulationYear:
    try:
        return selectors.year_with_leaders(cluster, label)
    except EmulationYear.DoesNotExist:
        raise Http404


def _apply_errors(form, error: ValidationError, rename: dict[str, str] | None = None) -> None:
    """Show a service's ValidationError on the form, at the field when there is one."""
    rename = rename or {}
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        field = rename.get(field, field)
        form.add_error(field if field in form.fields else None, errors)


def _cluster_context(request: HttpRequest, cluster: Cluster, **extra) -> dict:
    return {
        "cluster": cluster,
        "can_manage": request.user.has_perm("cluster.manage_cluster", cluster),
        **extra,
    }


def _crumb(label: str, url: str | None = None) -> dict:
    return {"label": label, "url": url}


def _form_page(
    request: HttpRequest,
    cluster: Cluster | None,
    form,
    *,
    title: str,
    cancel_url: str,
    crumbs: list[dict] | None = None,
    **extra,
) -> HttpResponse:
    """The shared page of a single form (templates/cluster/form_page.html)."""
    context = {
        "form": form,
        "title": title,
        "cancel_url": cancel_url,
        "crumbs": [*(crumbs or []), _crumb(title)],
        **extra,
    }
    if cluster is not None:
        context = _cluster_context(request, cluster, **context)
    return render(request, "cluster/form_page.html", context)


# --- dashboard and clusters ----------------------------------------------------------------


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    return render(request, "cluster/dashboard.html", build_dashboard(request, request.user))


@login_required
def cluster_list(request: HttpRequest) -> HttpResponse:
    clusters = selectors.clusters_of_user(request.user).order_by("code")
    return render(
        request,
        "cluster/cluster_list.html",
        {
            "summaries": selectors.cluster_summaries(clusters),
            "read_all": request.user.has_perm("cluster.read_all_clusters"),
        },
    )


def _members_and_year(request: HttpRequest, cluster: Cluster):
    """The members shown on the overview and exported: those of ``?year=<label>`` or of
    the current year (by the members rule), else today's; filtered by MemberFilter."""
    label = request.GET.get("year")
    year = None
    if label:
        year = EmulationYear.objects.filter(cluster=cluster, label=label).first()
        if year is None:
            raise Http404
    else:
        year = selectors.current_year(cluster)
    schools = (
        selectors.members_of_year(year)
        if year
        else selectors.members_on(cluster, timezone.localdate())
    )
    member_filter = MemberFilter(request.GET or None, queryset=schools.order_by("name"))
    return year, member_filter


@login_required
def overview(request: HttpRequest, code: str) -> HttpResponse:
    cluster = _readable_cluster(request, code)
    today = timezone.localdate()
    year = selectors.current_year_with_leaders(cluster, today)
    day = year.reference_date if year else today
    schools = (
        selectors.members_of_year(year) if year else selectors.members_on(cluster, today)
    ).order_by("name")
    member_filter = MemberFilter(request.GET or None, queryset=schools)
    context = _cluster_context(
        request,
        cluster,
        year=year,
        members_day=day,
        member_filter=member_filter,
        members=list(member_filter.qs),
        head=selectors.head_of(year) if year else None,
        deputies=selectors.deputies_of(year) if year else [],
        timeline=selectors.phase_timeline(year, today) if year else [],
        years=list(selectors.years_of_cluster(cluster)),
        recent_events=list(selectors.events_of_cluster(cluster).order_by("-date")[:5]),
        movements=list(
            selectors.movements_of_cluster(cluster)
            .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
            .order_by("-start_date")[:5]
        ),
        today=today,
    )
    return render(request, "cluster/overview.html", context)


@login_required
def members_export(request: HttpRequest, code: str) -> HttpResponse:
    cluster = _readable_cluster(request, code)
    year, member_filter = _members_and_year(request, cluster)
    content = exports.members_workbook(cluster=cluster, year=year, schools=member_filter.qs)
    suffix = f"-{year.label}" if year else ""
    return exports.xlsx_response(content, f"members-{cluster.code}{suffix}.xlsx")


# --- members management (secretariat) -------------------------------------------------------


@login_required
def members_manage(request: HttpRequest, code: str) -> HttpResponse:
    cluster = _managed_cluster(request, code)
    today = timezone.localdate()
    memberships = list(selectors.memberships_of_cluster(cluster))
    return render(
        request,
        "cluster/members_manage.html",
        _cluster_context(
            request,
            cluster,
            memberships=memberships,
            today=today,
            crumbs=[_crumb(_("Memberships"))],
            active_count=sum(1 for m in memberships if m.is_active_on(today)),
        ),
    )


_NEW_SCHOOL_FIELDS = {"code": "new_code", "name": "new_name", "province": "new_province"}


@login_required
def member_add(request: HttpRequest, code: str) -> HttpResponse:
    cluster = _managed_cluster(request, code)
    today = timezone.localdate()
    form = AddMemberForm(request.POST or None, cluster=cluster, today=today)
    if request.method == "POST" and form.is_valid():
        school = (
            form.new_school()
            if form.cleaned_data["mode"] == AddMemberForm.NEW
            else form.cleaned_data["school"]
        )
        try:
            services.add_member(
                cluster=cluster,
                school=school,
                start_date=form.cleaned_data["start_date"],
                by=request.user,
            )
        except ValidationError as error:
            _apply_errors(form, error, _NEW_SCHOOL_FIELDS)
        else:
            messages.success(
                request,
                _("%(school)s is a member of the cluster from %(date)s.")
                % {
                    "school": school.name,
                    "date": form.cleaned_data["start_date"].strftime("%d/%m/%Y"),
                },
            )
            return redirect("cluster:members_manage", code=cluster.code)
    return _form_page(
        request,
        cluster,
        form,
        title=_("Add a member school"),
        cancel_url=reverse("cluster:members_manage", args=[cluster.code]),
        crumbs=[_crumb(_("Memberships"), reverse("cluster:members_manage", args=[cluster.code]))],
    )


@login_required
def member_end(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    cluster = _managed_cluster(request, code)
    membership = get_object_or_404(
        Membership.objects.select_related("school"), pk=pk, cluster=cluster
    )
    form = EndMembershipForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.end_membership(
                membership=membership, end_date=form.cleaned_data["end_date"], by=request.user
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(
                request,
                _("The membership of %(school)s ends on %(date)s.")
                % {
                    "school": membership.school.name,
                    "date": form.cleaned_data["end_date"].strftime("%d/%m/%Y"),
                },
            )
            return redirect("cluster:members_manage", code=cluster.code)
    manage_url = reverse("cluster:members_manage", args=[cluster.code])
    return _form_page(
        request,
        cluster,
        form,
        title=_("End the membership of %(school)s") % {"school": membership.school.name},
        intro=_("Member since %(date)s. The school stays in the history of the cluster.")
        % {"date": membership.start_date.strftime("%d/%m/%Y")},
        confirm=_("End the membership of %(school)s in %(cluster)s?")
        % {"school": membership.school.name, "cluster": cluster.name},
        submit_label=_("End membership"),
        cancel_url=manage_url,
        crumbs=[_crumb(_("Memberships"), manage_url)],
    )


@login_required
def merger(request: HttpRequest, code: str) -> HttpResponse:
    cluster = _managed_cluster(request, code)
    form = MergerForm(request.POST or None, cluster=cluster, today=timezone.localdate())
    if request.method == "POST" and form.is_valid():
        successor = (
            form.new_school()
            if form.cleaned_data["mode"] == MergerForm.NEW
            else form.cleaned_data["school"]
        )
        try:
            services.record_merger(
                predecessors=list(form.cleaned_data["predecessors"]),
                successor=successor,
                effective_date=form.cleaned_data["effective_date"],
                cluster=cluster,
                by=request.user,
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            _apply_errors(form, error, _NEW_SCHOOL_FIELDS | {"successor": "school"})
        else:
            messages.success(
                request,
                _("The merger into %(school)s is recorded.") % {"school": successor.name},
            )
            return redirect("cluster:members_manage", code=cluster.code)
    manage_url = reverse("cluster:members_manage", args=[cluster.code])
    return _form_page(
        request,
        cluster,
        form,
        title=_("Record a merger"),
        intro=_(
            "The memberships of the merging schools end the day before the effective date; "
            "the successor is a member from that date."
        ),
        confirm=_("Record this merger? The memberships of the merging schools will end."),
        cancel_url=manage_url,
        crumbs=[_crumb(_("Memberships"), manage_url)],
    )


# --- schools -------------------------------------------------------------------------------


@login_required
def school_detail(request: HttpRequest, code: str) -> HttpResponse:
    try:
        profile = selectors.school_profile(code)
    except School.DoesNotExist:
        raise Http404
    _require(request, "cluster.read_school", profile.school)
    return render(
        request,
        "cluster/school_detail.html",
        {
            "profile": profile,
            "school": profile.school,
            "crumbs": [_crumb(profile.school.name)],
            "can_edit": request.user.has_perm("cluster.edit_school", profile.school),
            "show_contacts": request.user.has_perm("cluster.read_school_contacts", profile.school),
        },
    )


@login_required
def school_edit(request: HttpRequest, code: str) -> HttpResponse:
    school = get_object_or_404(School, code=code)
    _require(request, "cluster.edit_school", school)
    form = SchoolProfileForm(request.POST or None, instance=school)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_school_profile(school=form.save(commit=False), by=request.user)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The school profile is saved."))
            return redirect(school.get_absolute_url())
    return _form_page(
        request,
        None,
        form,
        title=_("Edit the profile of %(school)s") % {"school": school.name},
        cancel_url=school.get_absolute_url(),
        crumbs=[_crumb(school.name, school.get_absolute_url())],
    )


# --- years and phases ------------------------------------------------------------------------


@login_required
def year_list(request: HttpRequest, code: str) -> HttpResponse:
    cluster = _readable_cluster(request, code)
    years = list(selectors.years_of_cluster(cluster))
    current = selectors.pick_current_year(years, timezone.localdate())
    return render(
        request,
        "cluster/year_list.html",
        _cluster_context(
            request, cluster, years=years, current=current, crumbs=[_crumb(_("Years"))]
        ),
    )


@login_required
def year_create(request: HttpRequest, code: str) -> HttpResponse:
    cluster = _managed_cluster(request, code)
    form = YearForm(request.POST or None, instance=EmulationYear(cluster=cluster))
    if request.method == "POST" and form.is_valid():
        try:
            year = services.save_year(year=form.save(commit=False), by=request.user)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The year %(label)s is created.") % {"label": year.label})
            return redirect(year.get_absolute_url())
    years_url = reverse("cluster:years", args=[cluster.code])
    return _form_page(
        request,
        cluster,
        form,
        title=_("New emulation year"),
        cancel_url=years_url,
        crumbs=[_crumb(_("Years"), years_url)],
    )


@login_required
def year_detail(request: HttpRequest, code: str, label: str) -> HttpResponse:
    cluster = _readable_cluster(request, code)
    year = _year_or_404(cluster, label)
    today = timezone.localdate()
    return render(
        request,
        "cluster/year_detail.html",
        _cluster_context(
            request,
            cluster,
            year=year,
            head=selectors.head_of(year),
            deputies=selectors.deputies_of(year),
            timeline=selectors.phase_timeline(year, today),
            members=list(selectors.members_of_year(year).order_by("name")),
            events=list(selectors.events_of_cluster(cluster).filter(year=year).order_by("date")),
            crumbs=[
                _crumb(_("Years"), reverse("cluster:years", args=[cluster.code])),
                _crumb(year.label),
            ],
            previous=selectors.previous_year(year),
            following=selectors.next_year(year),
            today=today,
        ),
    )


@login_required
def year_edit(request: HttpRequest, code: str, label: str) -> HttpResponse:
    cluster = _managed_cluster(request, code)
    year = _year_or_404(cluster, label)
    form = YearForm(request.POST or None, instance=year)
    if request.method == "POST" and form.is_valid():
        try:
            year = services.save_year(year=form.save(commit=False), by=request.user)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The year %(label)s is saved.") % {"label": year.label})
            return redirect(year.get_absolute_url())
    saved = EmulationYear.objects.get(pk=year.pk)  # the form may hold an invalid label
    return _form_page(
        request,
        cluster,
        form,
        title=_("Edit the year"),
        cancel_url=saved.get_absolute_url(),
        crumbs=_year_crumbs(cluster, saved),
    )


@login_required
def phase_create(request: HttpRequest, code: str, label: str) -> HttpResponse:
    cluster = _managed_cluster(request, code)
    year = _year_or_404(cluster, label)
    return _phase_form(request, cluster, year, Phase(year=year), _("Add a phase"))


@login_required
def phase_edit(request: HttpRequest, code: str, label: str, pk: int) -> HttpResponse:
    cluster = _managed_cluster(request, code)
    year = _year_or_404(cluster, label)
    phase = get_object_or_404(Phase, pk=pk, year=year)
    return _phase_form(request, cluster, year, phase, _("Edit the phase"))


def _phase_form(request, cluster, year, phase, title) -> HttpResponse:
    form = PhaseForm(request.POST or None, instance=phase, year=year)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_phase(phase=form.save(commit=False), by=request.user)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The phase is saved."))
            return redirect(year.get_absolute_url())
    return _form_page(
        request,
        cluster,
        form,
        title=title,
        intro=_("Year %(label)s: %(start)s – %(end)s.")
        % {
            "label": year.label,
            "start": year.start_date.strftime("%d/%m/%Y"),
            "end": year.end_date.strftime("%d/%m/%Y"),
        },
        cancel_url=year.get_absolute_url(),
        crumbs=_year_crumbs(cluster, year),
    )


@login_required
@require_POST
def phase_delete(request: HttpRequest, code: str, label: str, pk: int) -> HttpResponse:
    cluster = _managed_cluster(request, code)
    year = _year_or_404(cluster, label)
    phase = get_object_or_404(Phase, pk=pk, year=year)
    services.delete_phase(phase=phase, by=request.user)
    messages.success(request, _("The phase is deleted."))
    return redirect(year.get_absolute_url())


@login_required
def year_leadership(request: HttpRequest, code: str, label: str) -> HttpResponse:
    cluster = _managed_cluster(request, code)
    year = _year_or_404(cluster, label)
    initial = {
        "head": selectors.head_of(year),
        "deputies": selectors.deputies_of(year),
        "decision_number": year.recognition_decision_number,
        "decision_date": year.recognition_decision_date,
    }
    form = LeadershipForm(request.POST or None, initial=initial, year=year)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_leadership(
                year=year,
                head=form.cleaned_data["head"],
                deputies=list(form.cleaned_data["deputies"]),
                decision_number=form.cleaned_data["decision_number"],
                decision_date=form.cleaned_data["decision_date"],
                by=request.user,
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The head and deputies are saved."))
            return redirect(year.get_absolute_url())
    return _form_page(
        request,
        cluster,
        form,
        title=_("Head and deputies of %(label)s") % {"label": year.label},
        intro=_(
            "Only the schools that are members in %(label)s can be chosen. The same school "
            "cannot be head two years running."
        )
        % {"label": year.label},
        cancel_url=year.get_absolute_url(),
        crumbs=_year_crumbs(cluster, year),
    )


# --- movements -------------------------------------------------------------------------------


@login_required
def movement_list(request: HttpRequest, code: str) -> HttpResponse:
    cluster = _readable_cluster(request, code)
    movement_filter = MovementFilter(
        request.GET or None, queryset=selectors.movements_of_cluster(cluster)
    )
    return render(
        request,
        "cluster/movement_list.html",
        _cluster_context(
            request,
            cluster,
            filter=movement_filter,
            movements=list(movement_filter.qs),
            today=timezone.localdate(),
            crumbs=[_crumb(_("Movements"))],
        ),
    )


@login_required
def movement_create(request: HttpRequest, code: str) -> HttpResponse:
    cluster = _managed_cluster(request, code)
    return _movement_form(request, cluster, Movement(cluster=cluster), _("New movement"))


@login_required
def movement_edit(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    cluster = _managed_cluster(request, code)
    movement = get_object_or_404(Movement, pk=pk, cluster=cluster)
    return _movement_form(request, cluster, movement, _("Edit the movement"))


def _movement_form(request, cluster, movement, title) -> HttpResponse:
    form = MovementForm(request.POST or None, instance=movement, cluster=cluster)
    if request.method == "POST" and form.is_valid():
        try:
            movement = services.save_movement(movement=form.save(commit=False), by=request.user)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The movement is saved."))
            return redirect(movement.get_absolute_url())
    movements_url = reverse("cluster:movements", args=[cluster.code])
    return _form_page(
        request,
        cluster,
        form,
        title=title,
        cancel_url=movement.get_absolute_url() if movement.pk else movements_url,
        crumbs=[_crumb(_("Movements"), movements_url)],
    )


@login_required
def movement_detail(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    cluster = _readable_cluster(request, code)
    try:
        movement = selectors.movement_with_documents(cluster, pk)
    except Movement.DoesNotExist:
        raise Http404
    can_manage = request.user.has_perm("cluster.manage_cluster", cluster)
    form = None
    if can_manage:
        form = DocumentForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.add_movement_document(
                    movement=movement,
                    title=form.cleaned_data["title"],
                    file=form.cleaned_data["file"],
                    by=request.user,
                )
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(request, _("The document is attached."))
                return redirect(movement.get_absolute_url())
    elif request.method == "POST":
        raise PermissionDenied
    return render(
        request,
        "cluster/movement_detail.html",
        _cluster_context(
            request,
            cluster,
            movement=movement,
            form=form,
            crumbs=[
                _crumb(_("Movements"), reverse("cluster:movements", args=[cluster.code])),
                _crumb(movement.title),
            ],
        ),
    )


@login_required
def document_download(request: HttpRequest, code: str, pk: int) -> FileResponse:
    cluster = _readable_cluster(request, code)
    document = get_object_or_404(MovementDocument, pk=pk, movement__cluster=cluster)
    return file_response(document.file, document.title)


@login_required
@require_POST
def document_delete(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    cluster = _managed_cluster(request, code)
    document = get_object_or_404(
        MovementDocument.objects.select_related("movement", "movement__cluster"),
        pk=pk,
        movement__cluster=cluster,
    )
    movement = document.movement
    services.delete_movement_document(document=document, by=request.user)
    messages.success(request, _("The document is deleted."))
    return redirect(movement.get_absolute_url())


# --- events ----------------------------------------------------------------------------------


def _filtered_events(request: HttpRequest, cluster: Cluster) -> EventFilter:
    return EventFilter(
        request.GET or None,
        queryset=selectors.events_of_cluster(cluster).order_by("-date", "title"),
        cluster=cluster,
    )


@login_required
def event_list(request: HttpRequest, code: str) -> HttpResponse:
    cluster = _readable_cluster(request, code)
    event_filter = _filtered_events(request, cluster)
    page = Paginator(event_filter.qs, EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "cluster/event_list.html",
        _cluster_context(
            request,
            cluster,
            filter=event_filter,
            page=page,
            query=query.urlencode(),
            crumbs=[_crumb(_("Events"))],
        ),
    )


@login_required
def events_export(request: HttpRequest, code: str) -> HttpResponse:
    cluster = _readable_cluster(request, code)
    event_filter = _filtered_events(request, cluster)
    content = exports.events_workbook(cluster=cluster, events=event_filter.qs)
    return exports.xlsx_response(content, f"events-{cluster.code}.xlsx")


@login_required
def event_detail(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    cluster = _readable_cluster(request, code)
    event = get_object_or_404(selectors.events_of_cluster(cluster), pk=pk)
    return render(
        request,
        "cluster/event_detail.html",
        _cluster_context(
            request,
            cluster,
            event=event,
            crumbs=[
                _crumb(_("Events"), reverse("cluster:events", args=[cluster.code])),
                _crumb(event.title),
            ],
        ),
    )


@login_required
def event_create(request: HttpRequest, code: str) -> HttpResponse:
    cluster = _managed_cluster(request, code)
    return _event_form(request, cluster, Event(cluster=cluster), _("New event"))


@login_required
def event_edit(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    cluster = _managed_cluster(request, code)
    event = get_object_or_404(Event, pk=pk, cluster=cluster)
    return _event_form(request, cluster, event, _("Edit the event"))


def _event_form(request, cluster, event, title) -> HttpResponse:
    form = EventForm(request.POST or None, request.FILES or None, instance=event, cluster=cluster)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.save_event(
                event=form.save(commit=False),
                minutes=form.cleaned_data.get("minutes_file"),
                remove_minutes=form.cleaned_data.get("remove_minutes", False),
                by=request.user,
            )
        except ValidationError as error:
            _apply_errors(form, error, {"minutes": "minutes_file"})
        else:
            messages.success(request, _("The event is saved."))
            return redirect(event.get_absolute_url())
    events_url = reverse("cluster:events", args=[cluster.code])
    return _form_page(
        request,
        cluster,
        form,
        title=title,
        multipart=True,
        cancel_url=event.get_absolute_url() if event.pk else events_url,
        crumbs=[_crumb(_("Events"), events_url)],
    )


@login_required
def event_minutes(request: HttpRequest, code: str, pk: int) -> FileResponse:
    cluster = _readable_cluster(request, code)
    event = get_object_or_404(Event, pk=pk, cluster=cluster)
    return file_response(event.minutes, _("Minutes – %(title)s") % {"title": event.title})
