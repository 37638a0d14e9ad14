"""Pledge pages: the covenant (/e/<code>/<label>/pledges/), a school's own pledge
(…/pledges/mine/) and one pledge (/e/pledge/<pk>/) where the secretariat accepts or returns it.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cluster.enums import PhaseKind
from cluster.models import School

from .. import selectors_criteria as selectors
from ..deadlines import judge_submission
from ..enums import SubmissionStatus
from ..forms_criteria import CovenantFilter, PledgeForm, ReturnPledgeForm
from ..models import Indicator, Pledge
from ..services import pledges as services
from ..services.criteria import plain_number
from ..xlsx_criteria import build_covenant_workbook
from .criteria import _file_label, _require, xlsx_response, year_or_404

# --- covenant --------------------------------------------------------------------------------


def _covenant_for(request: HttpRequest, code: str, label: str):
    year = year_or_404(code, label)
    _require(request, "evaluations.read_covenant", year)
    schools = selectors.members_with_pledge_status(year).order_by("code")
    school_filter = CovenantFilter(request.GET or None, queryset=schools)
    data = selectors.covenant(
        year,
        schools=school_filter.qs,
        can_see=lambda pledge: request.user.has_perm("evaluations.show_in_covenant", pledge),
        can_open=lambda pledge: request.user.has_perm("evaluations.read_pledge", pledge),
    )
    return year, school_filter, data


@login_required
def covenant(request: HttpRequest, code: str, label: str) -> HttpResponse:
    year, school_filter, data = _covenant_for(request, code, label)
    return render(
        request,
        "evaluations/pledges/covenant.html",
        {
            "year": year,
            "cluster": year.cluster,
            "covenant": data,
            "filter": school_filter,
            "can_manage": request.user.has_perm("evaluations.manage_criteria", year),
            "can_register": request.user.has_perm("evaluations.register_pledge", year),
        },
    )


@login_required
def covenant_export(request: HttpRequest, code: str, label: str) -> HttpResponse:
    year, _filter, data = _covenant_for(request, code, label)
    return xlsx_response(
        build_covenant_workbook(covenant=data), f"covenant-{_file_label(year)}.xlsx"
    )


# --- one pledge ------------------------------------------------------------------------------


def _pledge_context(request: HttpRequest, pledge: Pledge, **extra) -> dict:
    indicators = list(Indicator.objects.filter(year=pledge.year).order_by("order", "code"))
    targets = selectors.targets_by_indicator(pledge)
    user = request.user
    return {
        "pledge": pledge,
        "year": pledge.year,
        "cluster": pledge.year.cluster,
        "school": pledge.school,
        "rows": [(indicator, targets.get(indicator.pk)) for indicator in indicators],
        "can_edit": user.has_perm("evaluations.edit_pledge", pledge),
        "can_register": user.has_perm("evaluations.register_pledge", pledge.year),
        "nav_tab": "mine" if user.has_perm("evaluations.own_pledge", pledge) else "covenant",
        "can_accept": user.has_perm("evaluations.accept_pledge", pledge),
        "can_return": user.has_perm("evaluations.return_pledge", pledge),
        "show_comment": bool(pledge.return_comment)
        and pledge.status == SubmissionStatus.RETURNED
        and user.has_perm("evaluations.read_pledge", pledge),
        "verdict": judge_submission(
            year=pledge.year, school=pledge.school, phase_kind=PhaseKind.PLEDGE
        ),
        "return_form": extra.pop("return_form", None) or ReturnPledgeForm(),
        **extra,
    }


def _pledge_form(pledge: Pledge, data=None) -> PledgeForm:
    indicators = list(Indicator.objects.filter(year=pledge.year).order_by("order", "code"))
    targets = selectors.targets_by_indicator(pledge)
    initial = {
        "commitments": pledge.commitments,
        "registered_titles": pledge.registered_titles,
    }
    for indicator in indicators:
        target = targets.get(indicator.pk)
        if target is not None and target.target is not None:
            initial[services.target_field(indicator)] = plain_number(target.target)
    return PledgeForm(data, initial=initial, indicators=indicators)


def _pledge_page(request: HttpRequest, pledge: Pledge) -> HttpResponse:
    """Show a pledge; its school's representative edits and submits it here."""
    can_edit = request.user.has_perm("evaluations.edit_pledge", pledge)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        form = _pledge_form(pledge, request.POST)
        if form.is_valid():
            try:
                errors = services.save_pledge_draft(
                    pledge=pledge, by=request.user, data=form.service_data()
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                for error in errors:
                    form.add_error(
                        error.field if error.field in form.fields else None, error.message
                    )
                if errors:
                    messages.warning(
                        request,
                        _(
                            "The other entries are saved; correct the values marked below and "
                            "save again."
                        ),
                    )
                elif "submit" in request.POST:
                    try:
                        services.submit_pledge(pledge=pledge, by=request.user)
                    except ValidationError as error:
                        form.add_error(None, error)
                    else:
                        messages.success(request, _("The pledge is submitted to the secretariat."))
                        return redirect(pledge.get_absolute_url())
                else:
                    messages.success(request, _("The draft is saved."))
                    return redirect(request.path)
        pledge.refresh_from_db()
    else:
        form = _pledge_form(pledge) if can_edit else None
    return render(
        request, "evaluations/pledges/pledge.html", _pledge_context(request, pledge, form=form)
    )


@login_required
def my_pledge(request: HttpRequest, code: str, label: str) -> HttpResponse:
    year = year_or_404(code, label)
    _require(request, "evaluations.register_pledge", year)
    # A superuser passes every permission but has no school to pledge for.
    school = School.objects.filter(pk=getattr(request.user, "school_id", None)).first()
    if school is None:
        raise PermissionDenied
    try:
        pledge = services.get_or_start_pledge(year=year, school=school, by=request.user)
    except ValidationError:
        raise PermissionDenied
    pledge = selectors.pledge_for_page(pledge.pk)
    return _pledge_page(request, pledge)


def _pledge_or_404(pk: int) -> Pledge:
    try:
        return selectors.pledge_for_page(pk)
    except Pledge.DoesNotExist:
        raise Http404


@login_required
def pledge_detail(request: HttpRequest, pk: int) -> HttpResponse:
    pledge = _pledge_or_404(pk)
    _require(request, "evaluations.read_pledge", pledge)
    return _pledge_page(request, pledge)


@login_required
@require_POST
def pledge_accept(request: HttpRequest, pk: int) -> HttpResponse:
    pledge = _pledge_or_404(pk)
    _require(request, "evaluations.accept_pledge", pledge)
    services.accept_pledge(pledge=pledge, by=request.user)
    messages.success(
        request, _("The pledge of %(school)s is accepted.") % {"school": pledge.school.name}
    )
    return redirect(pledge.get_absolute_url())


@login_required
@require_POST
def pledge_return(request: HttpRequest, pk: int) -> HttpResponse:
    pledge = _pledge_or_404(pk)
    _require(request, "evaluations.return_pledge", pledge)
    form = ReturnPledgeForm(request.POST)
    if form.is_valid():
        try:
            services.return_pledge(
                pledge=pledge, by=request.user, comment=form.cleaned_data["comment"]
            )
        except ValidationError as error:
            form.add_error("comment" if hasattr(error, "error_dict") else None, error.messages)
        else:
            messages.success(
                request,
                _("The pledge is returned to %(school)s with your comment.")
                % {"school": pledge.school.name},
            )
            return redirect(pledge.get_absolute_url())
    return render(
        request,
        "evaluations/pledges/pledge.html",
        _pledge_context(request, pledge, return_form=form, form=None),
    )
