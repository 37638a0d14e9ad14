"""Documents pages under /d/. Thin function views: parse, check a rules permission, call
a selector or a service, render. A missing object is 404, a forbidden one 403."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cluster.models import EmulationYear

from . import selectors, services
from .enums import CONTENT_TYPES, JobStatus
from .errors import DocumentError, message_for
from .forms import DocumentRequestForm
from .models import DocumentJob
from .rules import DocumentTarget


def _require(request: HttpRequest, perm: str, obj) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def _year(request: HttpRequest, code: str, label: str) -> EmulationYear:
    try:
        year = selectors.year_of_cluster(code, label)
    except EmulationYear.DoesNotExist:
        raise Http404
    _require(request, "documents.view_documents", year)
    return year


def _job(request: HttpRequest, pk) -> DocumentJob:
    try:
        job = selectors.job_for_page(pk)
    except DocumentJob.DoesNotExist:
        raise Http404
    _require(request, "documents.read_document", job)
    return job


def _crumbs(year: EmulationYear, *extra: dict) -> list[dict]:
    return [
        {"label": _("Years"), "url": reverse("cluster:years", args=[year.cluster.code])},
        {"label": year.label, "url": year.get_absolute_url()},
        *extra,
    ]


def _page(request: HttpRequest, year: EmulationYear, form=None, status: int = 200):
    page = selectors.documents_page(year, request.user)
    if form is None:
        form = DocumentRequestForm(
            year=year,
            years=page.years,
            initial={"first_year": page.default_first, "last_year": year},
        )
    return render(
        request,
        "documents/year.html",
        {
            "cluster": year.cluster,
            "year": year,
            "page": page,
            "range_form": form,
            "crumbs": _crumbs(year, {"label": _("Documents"), "url": None}),
        },
        status=status,
    )


@login_required
def year_documents(request: HttpRequest, code: str, label: str) -> HttpResponse:
    return _page(request, _year(request, code, label))


@login_required
@require_POST
def request_document(request: HttpRequest, code: str, label: str) -> HttpResponse:
    year = _year(request, code, label)
    form = DocumentRequestForm(request.POST, year=year)
    if not form.is_valid():
        return _page(request, year, form=form, status=400)
    data = form.cleaned_data
    kind, fmt = data["kind"], data["format"]
    _require(request, "documents.request_document", DocumentTarget(kind, year))
    try:
        job, created = services.request_document(
            kind=kind,
            fmt=fmt,
            year=year,
            by=request.user,
            round_id=data["round"].pk if data.get("round") else None,
            first_year=data.get("first_year"),
            last_year=data.get("last_year"),
        )
    except DocumentError as error:
        messages.error(request, error.message)
        return redirect("documents:year", code=year.cluster.code, label=year.label)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("documents:year", code=year.cluster.code, label=year.label)
    if not created:
        messages.info(request, _("This document was already requested: here it is."))
    return redirect(job)


def _job_context(request: HttpRequest, job: DocumentJob) -> dict:
    return {
        "job": job,
        "error_message": message_for(job.error_code) if job.is_failed else "",
        "can_retry": services.can_retry(job)
        and request.user.has_perm("documents.request_document", job),
        "stale": services.is_stale(job),
    }


@login_required
def job_detail(request: HttpRequest, pk) -> HttpResponse:
    job = _job(request, pk)
    year = job.year
    context = _job_context(request, job)
    context.update(
        cluster=job.cluster,
        year=year,
        crumbs=_crumbs(
            year,
            {
                "label": _("Documents"),
                "url": reverse("documents:year", args=[job.cluster.code, year.label]),
            },
            {"label": job.get_kind_display(), "url": None},
        )
        if year
        else [],
    )
    return render(request, "documents/job.html", context)


@login_required
def job_progress(request: HttpRequest, pk) -> HttpResponse:
    """The progress bar alone, polled by htmx every second until the job is finished."""
    job = _job(request, pk)
    return render(request, "documents/_job_progress.html", _job_context(request, job))


@login_required
def job_download(request: HttpRequest, pk) -> FileResponse:
    job = _job(request, pk)
    if job.status != JobStatus.DONE or not job.file:
        raise Http404
    try:
        handle = job.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404
    return FileResponse(
        handle,
        as_attachment=True,
        filename=job.file_name or f"document.{job.format}",
        content_type=CONTENT_TYPES.get(job.format, "application/octet-stream"),
    )


@login_required
@require_POST
def job_retry(request: HttpRequest, pk) -> HttpResponse:
    job = _job(request, pk)
    _require(request, "documents.request_document", job)
    try:
        followed = services.retry_job(job=job, by=request.user)
    except DocumentError as error:
        messages.error(request, error.message)
        return redirect(job)
    return redirect(followed)
