"""Annual report pages: a school's own report (/e/<code>/<label>/report/mine/), one report
(/e/report/<pk>/: read, or edit while the school may), the year's reports, the progress
table, extensions, and evidence files (upload, delete, permission-checked download).

Thin views: parse, check a rules permission, call a service or a selector, render.
A missing object is 404, a forbidden one 403.
"""

from __future__ import annotations

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cluster.enums import PhaseKind
from cluster.exports import xlsx_response
from cluster.models import EmulationYear
from cluster.selectors import members_of_year

from .. import selectors_reports as selectors
from ..deadlines import judge_submission
from ..enums import ProgressStatus
from ..files import evidence_response
from ..forms_reports import (
    AcceptReportForm,
    EvidenceUploadForm,
    ExtensionForm,
    ReturnReportForm,
)
from ..models import AnnualReport, Criterion, Evidence, Extension
from ..progress import ProgressFilter, progress_queryset, progress_workbook, status_counts
from ..services import extensions as extension_services
from ..services import reports as services

# --- helpers -------------------------------------------------------------------------------


def _can(request: HttpRequest, perm: str, obj=None) -> bool:
    # The rule itself, without Django's "a superuser has every permission" shortcut:
    # an administrator reads like an observer and never writes a school's report.
    return rules.has_perm(perm, request.user, obj)


def _require(request: HttpRequest, perm: str, obj=None) -> None:
    if not _can(request, perm, obj):
        raise PermissionDenied


def _year_or_404(code: str, label: str) -> EmulationYear:
    try:
        return EmulationYear.objects.select_related("cluster").get(cluster__code=code, label=label)
    except EmulationYear.DoesNotExist:
        raise Http404


def _report_or_404(pk: int) -> AnnualReport:
    try:
        return selectors.report_for_page(pk)
    except AnnualReport.DoesNotExist:
        raise Http404


def _messages_of(error: ValidationError) -> list[str]:
    return [str(m) for m in error.messages]


def _file_label(year: EmulationYear) -> str:
    # File names stay ASCII: 2017–2018 becomes 2017-2018.
    return f"{year.cluster.code}-{year.label}".replace("\u2013", "-").replace(" ", "")


# --- my report, one report ------------------------------------------------------------------


@login_required
def my_report(request: HttpRequest, code: str, label: str) -> HttpResponse:
    """The representative's own report of the year, created as a draft on first visit."""
    year = _year_or_404(code, label)
    _require(request, "evaluations.write_own_report", year)
    report = services.get_or_create_report(year=year, school=request.user.school, by=request.user)
    return redirect("evaluations:report", pk=report.pk)


def _report_context(request: HttpRequest, report: AnnualReport, **extra) -> dict:
    editable = _can(request, "evaluations.edit_report", report)
    page = selectors.report_page(
        report,
        data=extra.pop("data", None),
        errors=extra.pop("errors", None),
        editable=editable,
    )
    verdict = judge_submission(year=report.year, school=report.school, phase_kind=PhaseKind.REPORT)
    can_review = _can(request, "evaluations.review_report", report)
    return {
        "report": report,
        "page": page,
        "year": report.year,
        "cluster": report.year.cluster,
        "school": report.school,
        "editable": editable,
        "can_review": can_review,
        "verdict": verdict,
        "return_form": extra.pop("return_form", None)
        or (ReturnReportForm() if can_review else None),
        "accept_form": AcceptReportForm() if can_review else None,
        "can_list": _can(request, "evaluations.list_reports", report.year),
        "max_file_size": _max_file_size(),
        **extra,
    }


def _max_file_size() -> int:
    from django.conf import settings

    return settings.EVIDENCE_MAX_FILE_SIZE


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Read a report; its school edits it here while it is a draft or returned.

    POST ``action=save`` saves the draft (valid fields kept, invalid ones marked);
    ``action=submit`` saves, then submits (or lists what is missing).
    """
    report = _report_or_404(pk)
    _require(request, "evaluations.view_report", report)
    if request.method != "POST":
        return render(request, "evaluations/reports/report.html", _report_context(request, report))
    _require(request, "evaluations.edit_report", report)
    errors = services.save_report_draft(report=report, by=request.user, data=request.POST)
    if errors:
        messages.error(
            request,
            _("The draft was saved, except the fields marked below: correct them and save again."),
        )
        context = _report_context(request, report, data=request.POST, errors=errors)
        return render(request, "evaluations/reports/report.html", context, status=400)
    if request.POST.get("action") != "submit":
        messages.success(request, _("Draft saved."))
        return redirect(report.get_absolute_url())
    try:
        services.submit_report(report=report, by=request.user)
    except ValidationError as error:
        messages.error(request, _("The draft was saved but the report cannot be submitted yet."))
        context = _report_context(request, report, missing=_messages_of(error))
        return render(request, "evaluations/reports/report.html", context, status=400)
    if report.is_late:
        messages.warning(request, _("Report submitted after the deadline: it is marked late."))
    else:
        messages.success(request, _("Report submitted. It is now read-only."))
    return redirect(report.get_absolute_url())


@login_required
@require_POST
def report_return(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report_or_404(pk)
    _require(request, "evaluations.review_report", report)
    form = ReturnReportForm(request.POST)
    if form.is_valid():
        try:
            services.return_report(
                report=report, by=request.user, comment=form.cleaned_data["comment"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("The report of %(school)s was returned to the school.")
                % {"school": report.school.name},
            )
            return redirect(report.get_absolute_url())
    context = _report_context(request, report, return_form=form)
    return render(request, "evaluations/reports/report.html", context, status=400)


@login_required
@require_POST
def report_accept(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report_or_404(pk)
    _require(request, "evaluations.review_report", report)
    form = AcceptReportForm(request.POST)
    form.is_valid()
    services.accept_report(
        report=report, by=request.user, comment=form.cleaned_data.get("comment", "")
    )
    messages.success(
        request, _("The report of %(school)s was accepted.") % {"school": report.school.name}
    )
    return redirect(report.get_absolute_url())


# --- evidence -------------------------------------------------------------------------------


def _evidence_cell_response(
    request: HttpRequest, report: AnnualReport, criterion: Criterion | None, **extra
) -> HttpResponse:
    html = render_to_string(
        "evaluations/reports/_evidence_cell.html",
        {
            "report": report,
            "criterion": criterion,
            "evidence_list": selectors.evidence_cell(report, criterion),
            "editable": _can(request, "evaluations.manage_evidence", report),
            **extra,
        },
        request=request,
    )
    return HttpResponse(html)


def _back_to(report: AnnualReport, criterion: Criterion | None) -> str:
    anchor = f"#criterion-{criterion.pk}" if criterion else "#evidence-general"
    return reverse("evaluations:report", kwargs={"pk": report.pk}) + anchor


@login_required
@require_POST
def evidence_upload(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report_or_404(pk)
    _require(request, "evaluations.view_report", report)
    _require(request, "evaluations.manage_evidence", report)
    form = EvidenceUploadForm(request.POST, request.FILES)
    criterion = None
    error = ""
    if form.is_valid():
        criterion_id = form.cleaned_data["criterion"]
        if criterion_id:
            criterion = (
                Criterion.objects.select_related("table")
                .filter(pk=criterion_id, table__year_id=report.year_id, parent__isnull=False)
                .first()
            )
            if criterion is None:
                raise Http404
        try:
            evidence = services.add_evidence(
                report=report,
                by=request.user,
                uploaded_file=form.cleaned_data["file"],
                criterion=criterion,
                description=form.cleaned_data["description"],
            )
        except ValidationError as exc:
            error = " ".join(_messages_of(exc))
        else:
            if not request.htmx:
                messages.success(
                    request, _("%(name)s attached.") % {"name": evidence.original_name}
                )
    else:
        error = " ".join(str(m) for errors in form.errors.values() for m in errors)
    if request.htmx:
        return _evidence_cell_response(request, report, criterion, upload_error=error)
    if error:
        messages.error(request, error)
    return redirect(_back_to(report, criterion))


@login_required
@require_POST
def evidence_delete(request: HttpRequest, pk: int) -> HttpResponse:
    evidence = get_object_or_404(
        Evidence.objects.select_related("report", "report__year", "criterion"), pk=pk
    )
    report, criterion = evidence.report, evidence.criterion
    _require(request, "evaluations.view_evidence", evidence)
    _require(request, "evaluations.manage_evidence", evidence)
    name = evidence.original_name
    services.remove_evidence(evidence=evidence, by=request.user)
    if request.htmx:
        return _evidence_cell_response(request, report, criterion)
    messages.success(request, _("%(name)s removed.") % {"name": name})
    return redirect(_back_to(report, criterion))


@login_required
def evidence_download(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        evidence = selectors.evidence_for_download(pk)
    except Evidence.DoesNotExist:
        raise Http404
    _require(request, "evaluations.view_evidence", evidence)
    return evidence_response(evidence)


# --- the year's reports ---------------------------------------------------------------------


@login_required
def report_list(request: HttpRequest, code: str, label: str) -> HttpResponse:
    """Member schools and their reports: everyone who may list sees the submitted reports;
    the secretariat and observers also see the other statuses."""
    year = _year_or_404(code, label)
    _require(request, "evaluations.list_reports", year)
    sees_statuses = _can(request, "evaluations.view_progress", year)
    reports = {r.school_id: r for r in selectors.reports_of_year(year)}
    rows = []
    for school in members_of_year(year):
        report = reports.get(school.pk)
        if report is not None:
            report.year = year  # the predicates read year.cluster_id; no extra query
        visible = report is not None and _can(request, "evaluations.view_report", report)
        rows.append({"school": school, "report": report if visible else None, "raw": report})
    return render(
        request,
        "evaluations/reports/report_list.html",
        {
            "year": year,
            "cluster": year.cluster,
            "rows": rows,
            "sees_statuses": sees_statuses,
            "can_write_own": _can(request, "evaluations.write_own_report", year),
            "can_progress": sees_statuses,
            "can_extend": _can(request, "evaluations.manage_extensions", year),
        },
    )


# --- progress -------------------------------------------------------------------------------


def _progress(request: HttpRequest, code: str, label: str):
    year = _year_or_404(code, label)
    _require(request, "evaluations.view_progress", year)
    progress_filter = ProgressFilter(request.GET or None, queryset=progress_queryset(year))
    return year, progress_filter


@login_required
def progress(request: HttpRequest, code: str, label: str) -> HttpResponse:
    year, progress_filter = _progress(request, code, label)
    rows = list(progress_filter.qs)
    return render(
        request,
        "evaluations/progress/progress.html",
        {
            "year": year,
            "cluster": year.cluster,
            "filter": progress_filter,
            "rows": rows,
            "counts": status_counts(rows),
            "statuses": ProgressStatus,
            "can_extend": _can(request, "evaluations.manage_extensions", year),
            "phases": {p.kind: p for p in year.phases.all()},
            "today": timezone.localdate(),
        },
    )


@login_required
def progress_export(request: HttpRequest, code: str, label: str) -> HttpResponse:
    year, progress_filter = _progress(request, code, label)
    content = progress_workbook(year=year, rows=progress_filter.qs)
    return xlsx_response(content, f"progress-{_file_label(year)}.xlsx")


# --- extensions -----------------------------------------------------------------------------


def _extensions_context(year: EmulationYear, **extra) -> dict:
    extensions = list(Extension.objects.filter(year=year).select_related("school", "granted_by"))
    log = list(
        Extension.history.filter(year_id=year.pk)
        .select_related("history_user", "school")
        .order_by("-history_date")[:50]
    )
    return {
        "year": year,
        "cluster": year.cluster,
        "extensions": extensions,
        "log": log,
        "phases": {p.kind: p for p in year.phases.all()},
        **extra,
    }


def _apply_errors(form, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        form.add_error(name if name in form.fields else None, errors)


@login_required
def extensions(request: HttpRequest, code: str, label: str) -> HttpResponse:
    year = _year_or_404(code, label)
    _require(request, "evaluations.manage_extensions", year)
    form = ExtensionForm(request.POST or None, schools=members_of_year(year))
    if request.method == "POST" and form.is_valid():
        try:
            extension = extension_services.grant_extension(
                year=year, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(
                request,
                _("%(school)s may submit until %(date)s.")
                % {
                    "school": extension.school.name,
                    "date": extension.until.strftime("%d/%m/%Y"),
                },
            )
            return redirect("evaluations:extensions", code=code, label=label)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "evaluations/reports/extensions.html",
        _extensions_context(year, form=form),
        status=status,
    )


def _extension_or_404(pk: int) -> Extension:
    try:
        return Extension.objects.select_related("year", "year__cluster", "school").get(pk=pk)
    except Extension.DoesNotExist:
        raise Http404


@login_required
def extension_edit(request: HttpRequest, pk: int) -> HttpResponse:
    extension = _extension_or_404(pk)
    year = extension.year
    _require(request, "evaluations.manage_extensions", year)
    form = ExtensionForm(request.POST or None, extension=extension)
    if request.method == "POST" and form.is_valid():
        try:
            extension_services.update_extension(
                extension=extension, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Extension updated."))
            return redirect("evaluations:extensions", code=year.cluster.code, label=year.label)
    return render(
        request,
        "evaluations/reports/extension_form.html",
        {"year": year, "cluster": year.cluster, "extension": extension, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def extension_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    extension = _extension_or_404(pk)
    year = extension.year
    _require(request, "evaluations.manage_extensions", year)
    school = extension.school.name
    extension_services.revoke_extension(extension=extension, by=request.user)
    messages.success(request, _("The extension of %(school)s was revoked.") % {"school": school})
    return redirect("evaluations:extensions", code=year.cluster.code, label=year.label)
