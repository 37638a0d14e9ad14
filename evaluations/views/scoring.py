"""Cross-scoring pages under /e/scoring/. Thin function views: parse, check a rules
permission, call a selector or a service, render. A missing object is 404, a forbidden one
403; a service's ValidationError is shown on the form or as a message."""

from __future__ import annotations

from collections import Counter

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from cluster.enums import PhaseKind
from cluster.models import EmulationYear, School
from cluster.selectors import members_of_year

from .. import aggregation, xlsx_scoring
from .. import selectors_scoring as selectors
from ..deadlines import judge_submission
from ..enums import AggregationMethod, ObjectionStatus, ResultsStage
from ..forms_scoring import (
    AnswerForm,
    ApprovalForm,
    AssignmentAddForm,
    AssignmentFilter,
    ConflictForm,
    CrossScoreForm,
    ImportForm,
    ImposedDeductionForm,
    ObjectionForm,
    ReassignForm,
    ReminderForm,
    ScoringSettingsForm,
)
from ..models import (
    Assignment,
    BonusClaim,
    Criterion,
    DeclaredDeduction,
    DeductionReason,
    ImposedDeduction,
    Objection,
)
from ..services import scoring as services

SHORT_METHOD_LABELS = {
    aggregation.MEAN: _lazy("Mean"),
    aggregation.MEDIAN: _lazy("Median"),
    aggregation.TRIMMED: _lazy("Trimmed mean"),
}


# --- helpers -------------------------------------------------------------------------------------


def _require(request: HttpRequest, perm: str, obj=None) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def _year(code: str, label: str) -> EmulationYear:
    try:
        return selectors.year_for_scoring(code, label)
    except EmulationYear.DoesNotExist:
        raise Http404


def _assignment(pk: int) -> Assignment:
    try:
        return selectors.assignment_with_year(pk)
    except Assignment.DoesNotExist:
        raise Http404


def _apply_errors(form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form, at the field when there is one."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def _error_messages(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _year_url(name: str, year: EmulationYear) -> str:
    return reverse(f"evaluations:{name}", kwargs={"code": year.cluster.code, "label": year.label})


def _report_url(report) -> str | None:
    """The report page (built by the reports work), when its URL exists."""
    if report is None:
        return None
    try:
        return report.get_absolute_url()
    except NoReverseMatch:
        return None


def _method(request: HttpRequest, default: str) -> str:
    method = request.GET.get("method") or default
    return method if method in aggregation.METHODS else default


def _perms(request: HttpRequest, year: EmulationYear) -> dict[str, bool]:
    """The year-level permissions templates need, computed once from the predicates."""
    user = request.user
    return {
        "can_manage": user.has_perm("evaluations.manage_scoring", year),
        "can_edit": user.has_perm("evaluations.edit_scoring", year),
        "can_view_progress": user.has_perm("evaluations.view_scoring_progress", year),
        "can_view_results": user.has_perm("evaluations.view_results", year),
        "can_view_scores": user.has_perm("evaluations.view_individual_scores", year),
        "can_score": user.has_perm("evaluations.view_my_targets", year),
        "can_publish": user.has_perm("evaluations.publish_results", year),
        "can_freeze": user.has_perm("evaluations.freeze_results", year),
        "can_approve": user.has_perm("evaluations.approve_points", year),
        "can_object": user.has_perm("evaluations.raise_objection", year),
        "can_read_objections": user.has_perm("evaluations.read_objections", year),
    }


def _context(request: HttpRequest, year: EmulationYear, **extra) -> dict:
    settings = selectors.scoring_settings_of(year)
    return {
        "year": year,
        "cluster": year.cluster,
        "settings": settings,
        "stage": settings.stage,
        "perms": _perms(request, year),
        **extra,
    }


# --- year hub ------------------------------------------------------------------------------------


@login_required
def scoring_year(request: HttpRequest, code: str, label: str) -> HttpResponse:
    year = _year(code, label)
    _require(request, "cluster.read_cluster", year.cluster)
    years = list(
        EmulationYear.objects.filter(cluster=year.cluster)
        .order_by("-start_date")
        .only("label", "cluster_id")
    )
    return render(
        request,
        "evaluations/scoring/year.html",
        _context(
            request,
            year,
            tab="year",
            years=years,
            open_objections=selectors.open_objection_count(year),
        ),
    )


# --- setup (secretariat) -------------------------------------------------------------------------


def _assignment_filter(request: HttpRequest, year: EmulationYear) -> AssignmentFilter:
    return AssignmentFilter(
        request.GET or None,
        queryset=selectors.assignments_of_year(year),
        members=members_of_year(year),
    )


@login_required
def scoring_setup(request: HttpRequest, code: str, label: str) -> HttpResponse:
    year = _year(code, label)
    _require(request, "evaluations.manage_scoring", year)
    settings = selectors.scoring_settings_of(year)
    members = members_of_year(year)
    form = ScoringSettingsForm(request.POST or None, instance=settings)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_settings(year=year, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Scoring settings saved."))
            return redirect(_year_url("scoring_setup", year))
    assignment_filter = _assignment_filter(request, year)
    assignments = list(assignment_filter.qs)
    return render(
        request,
        "evaluations/scoring/setup.html",
        _context(
            request,
            year,
            tab="setup",
            form=form,
            add_form=AssignmentAddForm(members=members),
            assignment_filter=assignment_filter,
            assignments=assignments,
            conflicts=list(selectors.assignments_of_year(year).filter(conflict_declared=True)),
            member_count=members.count(),
        ),
    )


@login_required
def scoring_assignments_export(request: HttpRequest, code: str, label: str) -> HttpResponse:
    from cluster.exports import build_workbook

    year = _year(code, label)
    _require(request, "evaluations.manage_scoring", year)
    rows = [
        (
            a.scorer.code,
            a.scorer.name,
            a.target.code,
            a.target.name,
            a.get_status_display(),
            _("Yes") if a.is_late else "",
            a.submitted_at.astimezone(timezone.get_current_timezone()).replace(tzinfo=None)
            if a.submitted_at
            else "",
            a.conflict_reason if a.conflict_declared else "",
        )
        for a in _assignment_filter(request, year).qs
    ]
    content = build_workbook(
        sheet_title=_("Assignments"),
        heading=_("Cross-scoring assignments, %(cluster)s %(year)s")
        % {"cluster": year.cluster.name, "year": year.label},
        headers=[
            _("Scorer"),
            _("Scoring school"),
            _("Code"),
            _("School scored"),
            _("Status"),
            _("Late"),
            _("Submitted at"),
            _("Conflict of interest"),
        ],
        rows=rows,
    )
    return xlsx_scoring.xlsx_response(
        content, f"scoring-assignments-{year.cluster.code}-{year.label}.xlsx"
    )


@login_required
@require_POST
def scoring_generate(request: HttpRequest, code: str, label: str) -> HttpResponse:
    year = _year(code, label)
    _require(request, "evaluations.edit_scoring", year)
    try:
        summary = services.generate_assignments(year=year, by=request.user)
    except ValidationError as error:
        _error_messages(request, error)
    else:
        messages.success(
            request,
            _("Assignments generated: %(created)d created, %(kept)d kept, %(removed)d removed.")
            % {"created": summary.created, "kept": summary.kept, "removed": summary.removed},
        )
    return redirect(_year_url("scoring_setup", year))


@login_required
@require_POST
def scoring_assignment_add(request: HttpRequest, code: str, label: str) -> HttpResponse:
    year = _year(code, label)
    _require(request, "evaluations.edit_scoring", year)
    form = AssignmentAddForm(request.POST, members=members_of_year(year))
    if form.is_valid():
        try:
            services.add_assignment(year=year, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _error_messages(request, error)
        else:
            messages.success(request, _("Assignment added."))
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect(_year_url("scoring_setup", year))


@login_required
@require_POST
def scoring_assignment_remove(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = _assignment(pk)
    _require(request, "evaluations.edit_scoring", assignment.year)
    try:
        services.remove_assignment(assignment=assignment, by=request.user)
    except ValidationError as error:
        _error_messages(request, error)
    else:
        messages.success(request, _("Assignment removed."))
    return redirect(_year_url("scoring_setup", assignment.year))


@login_required
def scoring_reassign(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = _assignment(pk)
    year = assignment.year
    _require(request, "evaluations.edit_scoring", year)
    members = members_of_year(year).exclude(pk=assignment.target_id)
    form = ReassignForm(request.POST or None, members=members)
    if request.method == "POST" and form.is_valid():
        try:
            services.reassign(
                assignment=assignment, scorer=form.cleaned_data["scorer"], by=request.user
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Assignment reassigned."))
            return redirect(_year_url("scoring_setup", year))
    return render(
        request,
        "evaluations/scoring/reassign.html",
        _context(request, year, tab="setup", form=form, assignment=assignment),
    )


@login_required
@require_POST
def scoring_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = _assignment(pk)
    _require(request, "evaluations.reopen_assignment", assignment)
    try:
        services.reopen_assignment(assignment=assignment, by=request.user)
    except ValidationError as error:
        _error_messages(request, error)
    else:
        messages.success(request, _("The assignment is open again for its scorer."))
    return redirect(_year_url("scoring_progress", assignment.year))


@login_required
def scoring_import(request: HttpRequest, code: str, label: str) -> HttpResponse:
    year = _year(code, label)
    _require(request, "evaluations.edit_scoring", year)
    form = ImportForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            rows = xlsx_scoring.read_cross_score_rows(form.cleaned_data["file"])
            summary = services.import_cross_scores(year=year, rows=rows, by=request.user)
        except ValidationError as error:
            problems = error.messages
            form.add_error("file", _("The file was refused; nothing was changed."))
        else:
            messages.success(
                request,
                _("%(rows)d scores imported for %(pairs)d pairs; those assignments are submitted.")
                % {"rows": summary.rows, "pairs": summary.pairs},
            )
            return redirect(_year_url("scoring_progress", year))
    return render(
        request,
        "evaluations/scoring/import.html",
        _context(request, year, tab="setup", form=form, problems=problems),
    )


@login_required
def scoring_import_template(request: HttpRequest, code: str, label: str) -> HttpResponse:
    year = _year(code, label)
    _require(request, "evaluations.manage_scoring", year)
    return xlsx_scoring.xlsx_response(
        xlsx_scoring.import_template_workbook(), f"cross-scores-{year.cluster.code}.xlsx"
    )


# --- representatives -----------------------------------------------------------------------------


@login_required
def scoring_my_targets(request: HttpRequest, code: str, label: str) -> HttpResponse:
    year = _year(code, label)
    _require(request, "evaluations.view_my_targets", year)
    rows = selectors.targets_of_scorer(year, request.user.school)
    phase_verdict = judge_submission(
        year=year, school=request.user.school, phase_kind=PhaseKind.CROSS_SCORING
    )
    return render(
        request,
        "evaluations/scoring/my_targets.html",
        _context(
            request,
            year,
            tab="mine",
            rows=rows,
            criteria_count=len(selectors.criteria_of_year(year)[2]),
            verdict=phase_verdict,
        ),
    )


@login_required
def scoring_assignment(request: HttpRequest, pk: int) -> HttpResponse:
    """The scoring form of one assignment (read-only when it cannot be edited)."""
    assignment = _assignment(pk)
    year = assignment.year
    _require(request, "evaluations.view_assignment", assignment)
    can_score = request.user.has_perm("evaluations.score_assignment", assignment)
    sheet = selectors.assignment_sheet(assignment)
    form = CrossScoreForm(request.POST or None, rows=sheet.rows)
    if request.method == "POST":
        if not can_score:
            raise PermissionDenied
        submit = request.POST.get("action") == "submit"
        if form.is_valid():
            try:
                services.save_cross_scores(
                    assignment=assignment, entries=form.entries(), by=request.user, submit=submit
                )
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                if submit:
                    messages.success(
                        request,
                        _("Scores for %(school)s submitted.") % {"school": assignment.target.name},
                    )
                    return redirect(_year_url("scoring_my_targets", year))
                messages.success(request, _("Draft saved."))
                return redirect("evaluations:scoring_assignment", pk=assignment.pk)
    return render(
        request,
        "evaluations/scoring/assignment.html",
        _context(
            request,
            year,
            tab="mine",
            assignment=assignment,
            sheet=sheet,
            form=form,
            can_score=can_score,
            can_conflict=request.user.has_perm("evaluations.declare_conflict", assignment),
            is_scorer=request.user.is_authenticated
            and getattr(request.user, "school_id", None) == assignment.scorer_id,
            report_url=_report_url(sheet.report),
            verdict=judge_submission(
                year=year, school=assignment.scorer, phase_kind=PhaseKind.CROSS_SCORING
            ),
        ),
    )


@login_required
def scoring_conflict(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = _assignment(pk)
    _require(request, "evaluations.declare_conflict", assignment)
    form = ConflictForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.declare_conflict(
                assignment=assignment, reason=form.cleaned_data["reason"], by=request.user
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(
                request, _("Conflict of interest declared; the secretariat will reassign.")
            )
            return redirect(_year_url("scoring_my_targets", assignment.year))
    return render(
        request,
        "evaluations/scoring/conflict.html",
        _context(request, assignment.year, tab="mine", form=form, assignment=assignment),
    )


# --- progress and reminders ----------------------------------------------------------------------


@login_required
def scoring_progress(request: HttpRequest, code: str, label: str) -> HttpResponse:
    year = _year(code, label)
    _require(request, "evaluations.view_scoring_progress", year)
    matrix = selectors.progress_matrix(year)
    can_manage = request.user.has_perm("evaluations.manage_scoring", year)
    reminder_form = None
    if can_manage and matrix.not_done:
        reminder_form = ReminderForm(
            schools=School.objects.filter(pk__in=[s.pk for s in matrix.not_done]),
            initial={"schools": [s.pk for s in matrix.not_done]},
        )
    return render(
        request,
        "evaluations/scoring/progress.html",
        _context(
            request,
            year,
            tab="progress",
            matrix=matrix,
            reminder_form=reminder_form,
            today=timezone.localdate(),
        ),
    )


@login_required
def scoring_progress_export(request: HttpRequest, code: str, label: str) -> HttpResponse:
    from cluster.exports import build_workbook

    year = _year(code, label)
    _require(request, "evaluations.view_scoring_progress", year)
    matrix = selectors.progress_matrix(year)
    labels = {
        selectors.CellState.NONE: "",
        selectors.CellState.NOT_STARTED: _("Not started"),
        selectors.CellState.DRAFT: _("Draft"),
        selectors.CellState.SUBMITTED: _("Submitted"),
        selectors.CellState.LATE: _("Submitted late"),
    }
    rows = [
        [row.scorer.code, row.scorer.name, f"{row.submitted}/{row.assigned}"]
        + [
            labels[cell.state] + (" ⚠" if cell.conflict else "")
            if cell.target.pk != row.scorer.pk
            else "—"
            for cell in row.cells
        ]
        for row in matrix.rows
    ]
    content = build_workbook(
        sheet_title=_("Progress"),
        heading=_("Cross-scoring progress, %(cluster)s %(year)s")
        % {"cluster": year.cluster.name, "year": year.label},
        headers=[_("Scorer"), _("School"), _("Submitted")] + [m.code for m in matrix.members],
        rows=rows,
    )
    return xlsx_scoring.xlsx_response(
        content, f"scoring-progress-{year.cluster.code}-{year.label}.xlsx"
    )


@login_required
@require_POST
def scoring_remind(request: HttpRequest, code: str, label: str) -> HttpResponse:
    year = _year(code, label)
    _require(request, "evaluations.manage_scoring", year)
    pending = services.schools_not_done(year)
    form = ReminderForm(request.POST, schools=School.objects.filter(pk__in=[s.pk for s in pending]))
    if form.is_valid():
        try:
            count = services.queue_reminders(
                year=year, schools=list(form.cleaned_data["schools"]), by=request.user
            )
        except ValidationError as error:
            _error_messages(request, error)
        else:
            messages.success(
                request, _("Reminders queued for %(count)d school(s).") % {"count": count}
            )
    else:
        messages.error(request, _("Choose at least one school to remind."))
    return redirect(_year_url("scoring_progress", year))


# --- results -------------------------------------------------------------------------------------


@login_required
def scoring_results(request: HttpRequest, code: str, label: str) -> HttpResponse:
    year = _year(code, label)
    _require(request, "evaluations.view_results", year)
    settings = selectors.scoring_settings_of(year)
    results = selectors.compute_results(year)
    school_code = (request.GET.get("school") or "").strip().upper()
    flagged_only = request.GET.get("flagged") == "1"
    details_by_school = {d.school.pk: d for d in results.details}
    rank_counts = Counter(line.rank for line in results.lines)
    ranking_rows = [
        (line, details_by_school.get(line.school_id), rank_counts[line.rank] > 1)
        for line in results.lines
    ]
    detail_rows = [
        (
            detail,
            [c for c in detail.criteria if c.gap and c.gap.flagged]
            if flagged_only
            else detail.criteria,
        )
        for detail in results.details
        if not school_code or detail.school.code == school_code
    ]
    stability_rows = [
        {
            "school": row.school,
            "ordered": [row.ranks[m] for m in aggregation.METHODS],
            "changes": row.changes,
        }
        for row in results.stability
    ]
    return render(
        request,
        "evaluations/scoring/results.html",
        _context(
            request,
            year,
            tab="results",
            results=results,
            ranking_rows=ranking_rows,
            detail_rows=detail_rows,
            stability_rows=stability_rows,
            school_code=school_code,
            flagged_only=flagged_only,
            methods=list(SHORT_METHOD_LABELS.items()),
            method_label=dict(AggregationMethod.choices).get(results.method),
            open_objections=selectors.open_objection_count(year),
            show_scores=request.user.has_perm("evaluations.view_individual_scores", year),
            frozen=settings.stage == ResultsStage.FROZEN,
            published=settings.stage == ResultsStage.PUBLISHED,
        ),
    )


@login_required
def scoring_results_xlsx(request: HttpRequest, code: str, label: str) -> HttpResponse:
    year = _year(code, label)
    _require(request, "evaluations.view_individual_scores", year)
    method = _method(request, selectors.scoring_settings_of(year).method)
    results = selectors.compute_results(year, method)
    content = xlsx_scoring.score_summary_workbook(results)
    return xlsx_scoring.xlsx_response(
        content, f"score-summary-{year.cluster.code}-{year.label}-{method}.xlsx"
    )


@login_required
def scoring_ranking_csv(request: HttpRequest, code: str, label: str) -> HttpResponse:
    year = _year(code, label)
    _require(request, "evaluations.view_results", year)
    method = _method(request, selectors.scoring_settings_of(year).method)
    text = xlsx_scoring.ranking_csv(selectors.ranking_lines(year, method))
    return xlsx_scoring.csv_response(text, f"ranking-{year.cluster.code}-{year.label}-{method}.csv")


@login_required
@require_POST
def scoring_publish(request: HttpRequest, code: str, label: str) -> HttpResponse:
    year = _year(code, label)
    _require(request, "evaluations.publish_results", year)
    try:
        settings = services.publish_results(year=year, by=request.user)
    except ValidationError as error:
        _error_messages(request, error)
        return redirect(_year_url("scoring_year", year))
    messages.success(
        request,
        _("Provisional results published; objections are accepted until %(day)s.")
        % {"day": settings.objections_until.strftime("%d/%m/%Y")},
    )
    return redirect(_year_url("scoring_results", year))


@login_required
@require_POST
def scoring_freeze(request: HttpRequest, code: str, label: str) -> HttpResponse:
    year = _year(code, label)
    _require(request, "evaluations.freeze_results", year)
    try:
        services.freeze_results(year=year, by=request.user)
    except ValidationError as error:
        _error_messages(request, error)
    else:
        messages.success(request, _("The results are frozen."))
    return redirect(_year_url("scoring_results", year))


# --- objections ----------------------------------------------------------------------------------


@login_required
def scoring_objections(request: HttpRequest, code: str, label: str) -> HttpResponse:
    year = _year(code, label)
    _require(request, "evaluations.read_objections", year)
    can_object = request.user.has_perm("evaluations.raise_objection", year)
    form = None
    if can_object:
        _table, _groups, criteria = selectors.criteria_of_year(year)
        form = ObjectionForm(
            request.POST or None,
            members=members_of_year(year),
            criteria=Criterion.objects.filter(pk__in=[c.pk for c in criteria]).order_by(
                "order", "code"
            ),
        )
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.raise_objection(
                    year=year, school=request.user.school, by=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(request, _("Objection sent to the secretariat."))
                return redirect(_year_url("scoring_objections", year))
    objections = list(selectors.objections_of_year(year))
    can_answer = request.user.has_perm("evaluations.answer_objection", year)
    return render(
        request,
        "evaluations/scoring/objections.html",
        _context(
            request,
            year,
            tab="objections",
            form=form,
            objections=objections,
            can_answer=can_answer,
            answer_forms={o.pk: AnswerForm(prefix=f"o{o.pk}") for o in objections}
            if can_answer
            else {},
            status_open=ObjectionStatus.OPEN,
        ),
    )


@login_required
def scoring_objection_answer(request: HttpRequest, pk: int) -> HttpResponse:
    objection = get_object_or_404(
        Objection.objects.select_related(
            "year", "year__cluster", "year__scoring", "school", "target", "criterion"
        ),
        pk=pk,
    )
    year = objection.year
    _require(request, "evaluations.answer_objection", objection)
    form = AnswerForm(
        request.POST or None, prefix=f"o{objection.pk}", initial={"answer": objection.answer}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_objection(
                objection=objection, answer=form.cleaned_data["answer"], by=request.user
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Answer saved."))
            return redirect(_year_url("scoring_objections", year))
    return render(
        request,
        "evaluations/scoring/objection_answer.html",
        _context(request, year, tab="objections", form=form, objection=objection),
    )


# --- approvals of bonus and deductions -----------------------------------------------------------


@login_required
def scoring_approvals(request: HttpRequest, code: str, label: str) -> HttpResponse:
    year = _year(code, label)
    _require(request, "evaluations.manage_scoring", year)
    table, _groups, _criteria = selectors.criteria_of_year(year)
    members = members_of_year(year)
    reasons = (
        DeductionReason.objects.filter(table=table) if table else DeductionReason.objects.none()
    )
    data = selectors.load_year_data(year)
    lines = {line.school_id: line for line in selectors.compute_lines(data, data.settings.method)}
    member_list = data.members
    school_filter = (request.GET.get("school") or "").strip().upper()
    claims = selectors.bonus_claims_of_year(year)
    deductions = selectors.declared_deductions_of_year(year)
    imposed = selectors.imposed_deductions_of_year(year)
    if school_filter:
        claims = claims.filter(report__school__code=school_filter)
        deductions = deductions.filter(report__school__code=school_filter)
        imposed = imposed.filter(school__code=school_filter)
    return render(
        request,
        "evaluations/scoring/approvals.html",
        _context(
            request,
            year,
            tab="approvals",
            claims=list(claims),
            deductions=list(deductions),
            imposed=list(imposed),
            members=member_list,
            totals=[(m, lines[m.pk]) for m in member_list if m.pk in lines],
            bonus_cap=data.bonus_cap,
            school_filter=school_filter,
            impose_form=ImposedDeductionForm(members=members, reasons=reasons),
            log=selectors.approval_log(year),
        ),
    )


def _approve(request: HttpRequest, obj, year: EmulationYear, service) -> HttpResponse:
    _require(request, "evaluations.approve_points", year)
    form = ApprovalForm(request.POST)
    if form.is_valid():
        try:
            service(
                approved_points=form.cleaned_data["approved_points"],
                note=form.cleaned_data["note"],
                by=request.user,
            )
        except ValidationError as error:
            _error_messages(request, error)
        else:
            messages.success(request, _("Approval saved."))
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect(_year_url("scoring_approvals", year))


@login_required
@require_POST
def scoring_approve_bonus(request: HttpRequest, pk: int) -> HttpResponse:
    claim = get_object_or_404(
        BonusClaim.objects.select_related("report", "report__year", "report__year__cluster"), pk=pk
    )
    return _approve(
        request,
        claim,
        claim.report.year,
        lambda **kwargs: services.approve_bonus(claim=claim, **kwargs),
    )


@login_required
@require_POST
def scoring_approve_deduction(request: HttpRequest, pk: int) -> HttpResponse:
    deduction = get_object_or_404(
        DeclaredDeduction.objects.select_related("report", "report__year", "report__year__cluster"),
        pk=pk,
    )
    return _approve(
        request,
        deduction,
        deduction.report.year,
        lambda **kwargs: services.approve_deduction(deduction=deduction, **kwargs),
    )


@login_required
@require_POST
def scoring_impose_deduction(request: HttpRequest, code: str, label: str) -> HttpResponse:
    year = _year(code, label)
    _require(request, "evaluations.approve_points", year)
    table, _groups, _criteria = selectors.criteria_of_year(year)
    form = ImposedDeductionForm(
        request.POST,
        members=members_of_year(year),
        reasons=DeductionReason.objects.filter(table=table) if table else None,
    )
    if form.is_valid():
        try:
            services.impose_deduction(year=year, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _error_messages(request, error)
        else:
            messages.success(request, _("Deduction recorded."))
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect(_year_url("scoring_approvals", year))


@login_required
@require_POST
def scoring_imposed_remove(request: HttpRequest, pk: int) -> HttpResponse:
    deduction = get_object_or_404(
        ImposedDeduction.objects.select_related("year", "year__cluster"), pk=pk
    )
    _require(request, "evaluations.approve_points", deduction.year)
    try:
        services.remove_imposed_deduction(deduction=deduction, by=request.user)
    except ValidationError as error:
        _error_messages(request, error)
    else:
        messages.success(request, _("Deduction removed."))
    return redirect(_year_url("scoring_approvals", deduction.year))
