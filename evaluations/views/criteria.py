"""Criteria table and indicator pages (/e/<code>/<label>/criteria/, …/indicators/).

Thin views: parse, check a rules permission, call a service or selector, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from cluster.models import Cluster, EmulationYear

from .. import selectors_criteria as selectors
from ..forms_criteria import (
    CriterionRowFormSet,
    DeductionRowFormSet,
    ImportForm,
    IndicatorForm,
    ReopenForm,
    TableSettingsForm,
)
from ..models import CriteriaTable, Indicator
from ..services import criteria as services
from ..services.criteria import (
    SHEET_DEDUCTIONS,
    CriteriaTableInvalid,
    DeductionSpec,
    RowSpec,
)

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# --- helpers ---------------------------------------------------------------------------------


def _require(request: HttpRequest, perm: str, obj) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def year_or_404(code: str, label: str) -> EmulationYear:
    """The year ``label`` of cluster ``code`` (with its cluster), or 404."""
    cluster = get_object_or_404(Cluster, code=code)
    try:
        year = EmulationYear.objects.select_related("cluster").get(cluster=cluster, label=label)
    except EmulationYear.DoesNotExist:
        raise Http404
    return year


def _readable_year(request: HttpRequest, code: str, label: str) -> EmulationYear:
    year = year_or_404(code, label)
    _require(request, "evaluations.read_criteria", year)
    return year


def _managed_year(request: HttpRequest, code: str, label: str) -> EmulationYear:
    year = year_or_404(code, label)
    _require(request, "evaluations.manage_criteria", year)
    return year


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _file_label(year: EmulationYear) -> str:
    # The en dash of "2017–2018" is not safe in every browser's file name header.
    return f"{year.cluster.code}-{year.label}".replace("–", "-").replace(" ", "")


def _year_context(request: HttpRequest, year: EmulationYear, **extra) -> dict:
    return {
        "year": year,
        "cluster": year.cluster,
        "can_manage": request.user.has_perm("evaluations.manage_criteria", year),
        "can_register": request.user.has_perm("evaluations.register_pledge", year),
        **extra,
    }


# --- the table -------------------------------------------------------------------------------


@login_required
def criteria_table(request: HttpRequest, code: str, label: str) -> HttpResponse:
    year = _readable_year(request, code, label)
    page = selectors.criteria_table_page(year)
    can_manage = request.user.has_perm("evaluations.manage_criteria", year)
    return render(
        request,
        "evaluations/criteria/table.html",
        _year_context(
            request,
            year,
            page=page,
            previous_with_table=selectors.previous_year_with_table(year) if can_manage else None,
        ),
    )


def _initial_rows(table: CriteriaTable | None) -> list[dict]:
    if table is None:
        return []
    return [
        {
            "pk": spec.pk,
            "order": index * 10,
            "code": spec.code,
            "title": spec.title,
            "max_points": services.plain_number(spec.max_points),
            "guidance": spec.guidance,
            "evidence_required": spec.evidence_required,
        }
        for index, spec in enumerate(services.rows_of_table(table), start=1)
    ]


def _initial_deductions(table: CriteriaTable | None) -> list[dict]:
    if table is None:
        return []
    return [
        {"pk": spec.pk, "title": spec.title, "points": services.plain_number(spec.points)}
        for spec in services.deductions_of_table(table)
    ]


def _row_specs(formset) -> list[RowSpec]:
    """The kept, non-blank rows in the order the secretariat typed (then their position)."""
    rows = []
    for index, form in enumerate(formset.forms):
        data = form.cleaned_data
        if not data or data.get("remove") or form.is_blank:
            continue
        rows.append(
            (
                data.get("order") if data.get("order") is not None else 10**9,
                index,
                RowSpec(
                    line=index + 1,
                    code=data.get("code", "").strip(),
                    title=data.get("title", "").strip(),
                    max_points=data.get("max_points"),
                    guidance=data.get("guidance", "").strip(),
                    evidence_required=bool(data.get("evidence_required")),
                    pk=data.get("pk"),
                ),
            )
        )
    return [spec for _order, _index, spec in sorted(rows, key=lambda r: (r[0], r[1]))]


def _deduction_specs(formset) -> list[DeductionSpec]:
    specs = []
    for index, form in enumerate(formset.forms):
        data = form.cleaned_data
        if not data or data.get("remove") or form.is_blank:
            continue
        specs.append(
            DeductionSpec(
                line=index + 1,
                title=data.get("title", "").strip(),
                points=data.get("points"),
                pk=data.get("pk"),
            )
        )
    return specs


def _show_problems(problems, rows, deductions, settings_form) -> list[str]:
    """Put each problem at its field; return those that belong to no field."""
    general = []
    for problem in problems:
        if problem.sheet == SHEET_DEDUCTIONS and problem.column == "bonus_cap":
            settings_form.add_error("bonus_cap", problem.message)
            continue
        formset = deductions if problem.sheet == SHEET_DEDUCTIONS else rows
        column = "title" if problem.column == "reason" else problem.column
        if problem.row is not None and 0 < problem.row <= len(formset.forms):
            form = formset.forms[problem.row - 1]
            form.add_error(column if column in form.fields else None, problem.message)
        else:
            general.append(problem.message)
    return general


@login_required
def criteria_edit(request: HttpRequest, code: str, label: str) -> HttpResponse:
    year = _managed_year(request, code, label)
    table = services.table_of_year(year)
    general: list[str] = []
    if request.method == "POST":
        rows = CriterionRowFormSet(request.POST, prefix="rows")
        deductions = DeductionRowFormSet(request.POST, prefix="deductions")
        settings_form = TableSettingsForm(request.POST)
        valid = rows.is_valid() & deductions.is_valid() & settings_form.is_valid()
        if valid:
            try:
                changes = services.save_criteria_table(
                    year=year,
                    by=request.user,
                    rows=_row_specs(rows),
                    bonus_cap=settings_form.cleaned_data["bonus_cap"],
                    deductions=_deduction_specs(deductions),
                    note=settings_form.cleaned_data["note"].strip(),
                )
            except CriteriaTableInvalid as invalid:
                general = _show_problems(invalid.problems, rows, deductions, settings_form)
            else:
                messages.success(
                    request,
                    _("The criteria table is saved: %(summary)s.") % {"summary": changes.summary()},
                )
                if "add_rows" in request.POST:
                    return redirect(request.path + "?extra=5")
                return redirect("evaluations:criteria", code=year.cluster.code, label=year.label)
    else:
        extra = request.GET.get("extra", "")
        rows = CriterionRowFormSet(prefix="rows", initial=_initial_rows(table))
        if extra.isdigit():
            rows.extra = min(int(extra), 50)
        deductions = DeductionRowFormSet(prefix="deductions", initial=_initial_deductions(table))
        settings_form = TableSettingsForm(
            initial={
                "bonus_cap": services.plain_number(table.bonus_cap) if table else "5",
                "note": table.note if table else "",
            }
        )
    return render(
        request,
        "evaluations/criteria/edit.html",
        _year_context(
            request,
            year,
            rows=rows,
            deductions=deductions,
            settings_form=settings_form,
            general_errors=general,
            locked=services.table_is_locked(table),
        ),
    )


@login_required
def criteria_import(request: HttpRequest, code: str, label: str) -> HttpResponse:
    year = _managed_year(request, code, label)
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        report = services.import_criteria_workbook(
            year=year, file=form.cleaned_data["file"], by=request.user
        )
        if report.ok:
            messages.success(
                request,
                _("The criteria table is imported: %(summary)s.")
                % {"summary": report.changes.summary()},
            )
            return redirect("evaluations:criteria", code=year.cluster.code, label=year.label)
    return render(
        request,
        "evaluations/criteria/import.html",
        _year_context(request, year, form=form, report=report),
    )


@login_required
def criteria_export(request: HttpRequest, code: str, label: str) -> HttpResponse:
    year = _readable_year(request, code, label)
    content = services.export_criteria_workbook(year=year)
    return xlsx_response(content, f"criteria-{_file_label(year)}.xlsx")


@login_required
@require_POST
def criteria_copy(request: HttpRequest, code: str, label: str) -> HttpResponse:
    year = _managed_year(request, code, label)
    try:
        services.copy_table_from_previous_year(year=year, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The previous year's table and indicators are copied."))
    return redirect("evaluations:criteria", code=year.cluster.code, label=year.label)


@login_required
def criteria_reopen(request: HttpRequest, code: str, label: str) -> HttpResponse:
    year = _managed_year(request, code, label)
    table = services.table_of_year(year)
    if table is None:
        raise Http404
    form = ReopenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            reopening = services.reopen_table(
                table=table, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, error)
        else:
            count = reopening.affected_schools.count()
            messages.warning(
                request,
                ngettext(
                    "The table is open for changes. %(count)d school has already self-scored "
                    "and is affected.",
                    "The table is open for changes. %(count)d schools have already self-scored "
                    "and are affected.",
                    count,
                )
                % {"count": count},
            )
            return redirect("evaluations:criteria", code=year.cluster.code, label=year.label)
    return render(
        request,
        "evaluations/criteria/reopen.html",
        _year_context(
            request, year, form=form, table=table, affected=services.scored_schools(table)
        ),
    )


@login_required
@require_POST
def criteria_close(request: HttpRequest, code: str, label: str) -> HttpResponse:
    year = _managed_year(request, code, label)
    table = services.table_of_year(year)
    if table is None:
        raise Http404
    services.close_table(table=table, by=request.user)
    messages.success(request, _("The table is locked again."))
    return redirect("evaluations:criteria", code=year.cluster.code, label=year.label)


# --- indicators ------------------------------------------------------------------------------


@login_required
def indicator_list(request: HttpRequest, code: str, label: str) -> HttpResponse:
    year = _readable_year(request, code, label)
    can_manage = request.user.has_perm("evaluations.manage_criteria", year)
    form = IndicatorForm(request.POST or None, instance=Indicator(year=year))
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if form.is_valid():
            try:
                indicator = services.save_indicator(
                    indicator=form.save(commit=False), by=request.user
                )
            except ValidationError as error:
                for field, errors in error.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(
                    request, _("The indicator %(name)s is added.") % {"name": indicator.name}
                )
                return redirect("evaluations:indicators", code=year.cluster.code, label=year.label)
    return render(
        request,
        "evaluations/criteria/indicators.html",
        _year_context(
            request,
            year,
            indicators=list(selectors.indicators_of_year(year)),
            form=form if can_manage else None,
        ),
    )


def _managed_indicator(request: HttpRequest, code: str, label: str, pk: int) -> Indicator:
    year = _managed_year(request, code, label)
    indicator = get_object_or_404(Indicator, pk=pk, year=year)
    indicator.year = year
    return indicator


@login_required
def indicator_edit(request: HttpRequest, code: str, label: str, pk: int) -> HttpResponse:
    indicator = _managed_indicator(request, code, label, pk)
    year = indicator.year
    form = IndicatorForm(request.POST or None, instance=indicator)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_indicator(indicator=form.save(commit=False), by=request.user)
        except ValidationError as error:
            for field, errors in error.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("The indicator is saved."))
            return redirect("evaluations:indicators", code=year.cluster.code, label=year.label)
    return render(
        request,
        "evaluations/criteria/indicator_form.html",
        _year_context(
            request,
            year,
            form=form,
            indicator=indicator,
            is_used=services.indicator_is_used(indicator),
        ),
    )


@login_required
@require_POST
def indicator_delete(request: HttpRequest, code: str, label: str, pk: int) -> HttpResponse:
    indicator = _managed_indicator(request, code, label, pk)
    year = indicator.year
    try:
        services.delete_indicator(indicator=indicator, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("The indicator is deleted."))
    return redirect("evaluations:indicators", code=year.cluster.code, label=year.label)


@login_required
@require_POST
def indicator_move(request: HttpRequest, code: str, label: str, pk: int) -> HttpResponse:
    indicator = _managed_indicator(request, code, label, pk)
    year = indicator.year
    services.move_indicator(
        indicator=indicator, by=request.user, up=request.POST.get("direction") == "up"
    )
    return redirect("evaluations:indicators", code=year.cluster.code, label=year.label)
