"""Pages of the award catalogue, achievement histories and nominations. Thin function views:
parse, check a rules permission, call a selector or a service, render. A missing object is
404, a forbidden one 403."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.rules import is_admin
from cluster.downloads import file_response
from cluster.exports import xlsx_response
from cluster.models import Cluster, EmulationYear, School
from cluster.selectors import current_year, members_of_year, schools_of_cluster

from .. import selectors_nominations as selectors
from .. import xlsx_achievements
from ..eligibility import checks_from_json
from ..enums import NominationStatus
from ..forms_nominations import (
    AchievementFilter,
    CommentForm,
    DecideForm,
    DossierDocumentForm,
    ImportForm,
    NominationFilter,
    NominationForm,
    PublishForm,
    RefuseForm,
    ReturnForm,
    RevokeForm,
    WithdrawForm,
)
from ..models import Achievement, Nomination
from ..models.nominations import DossierDocument
from ..rules_nominations import can
from ..services import nominations as services

# --- helpers -------------------------------------------------------------------------------


def _require(request: HttpRequest, perm: str, obj=None) -> None:
    allowed = (
        can(request.user, perm, obj)
        if perm.startswith("awards.")
        else (request.user.has_perm(perm, obj))
    )
    if not allowed:
        raise PermissionDenied


def _year(request: HttpRequest, code: str, label: str) -> EmulationYear:
    year = get_object_or_404(
        EmulationYear.objects.select_related("cluster"), cluster__code=code, label=label
    )
    _require(request, "awards.read_nominations", year.cluster)
    return year


def _nomination(request: HttpRequest, pk: int, perm: str = "awards.read_nomination") -> Nomination:
    try:
        nomination = selectors.nomination_detail(pk)
    except Nomination.DoesNotExist:
        raise Http404
    _require(request, perm, nomination)
    return nomination


def _apply_errors(form, error: ValidationError, rename: dict[str, str] | None = None) -> None:
    rename = rename or {}
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        field = rename.get(field, field)
        form.add_error(field if field in form.fields else None, errors)


def _error_messages(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _year_crumbs(year: EmulationYear, *extra) -> list[dict]:
    return [
        {"label": year.label, "url": year.get_absolute_url()},
        {
            "label": _("Nominations"),
            "url": reverse("awards:nominations", args=[year.cluster.code, year.label]),
        },
        *extra,
    ]


def _form_page(request, *, title, form, cluster=None, crumbs=(), **extra) -> HttpResponse:
    return render(
        request,
        "awards/nominations/form_page.html",
        {"title": title, "form": form, "cluster": cluster, "crumbs": list(crumbs), **extra},
    )


# --- catalogue -----------------------------------------------------------------------------


@login_required
def catalogue(request: HttpRequest) -> HttpResponse:
    _require(request, "awards.read_catalogue")
    return render(
        request,
        "awards/catalogue/catalogue.html",
        {"award_types": selectors.catalogue(), "today": timezone.localdate()},
    )


# --- achievement history -------------------------------------------------------------------


def _school(request: HttpRequest, code: str) -> School:
    school = get_object_or_404(School, code=code)
    _require(request, "awards.read_achievements", school)
    return school


@login_required
def achievements(request: HttpRequest, code: str) -> HttpResponse:
    school = _school(request, code)
    achievement_filter = AchievementFilter(
        request.GET or None, queryset=selectors.achievements_of_school(school)
    )
    return render(
        request,
        "awards/nominations/achievements.html",
        {
            "school": school,
            "filter": achievement_filter,
            "achievements": list(achievement_filter.qs),
            "can_revoke": can(request.user, "awards.revoke_school_achievements", school),
            "can_import": can(request.user, "awards.import_achievements"),
            "query": request.GET.urlencode(),
        },
    )


@login_required
def achievements_export(request: HttpRequest, code: str) -> HttpResponse:
    school = _school(request, code)
    achievement_filter = AchievementFilter(
        request.GET or None, queryset=selectors.achievements_of_school(school)
    )
    content = xlsx_achievements.achievements_workbook(
        school=school, achievements=achievement_filter.qs
    )
    return xlsx_response(content, f"achievements-{school.code}.xlsx")


@login_required
def achievement_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        achievement = selectors.achievement_for_revocation(pk)
    except Achievement.DoesNotExist:
        raise Http404
    _require(request, "awards.read_achievements", achievement.recipient.school)
    _require(request, "awards.revoke_achievement", achievement)
    form = RevokeForm(request.POST or None, initial={"revoked_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.revoke_achievement(
                achievement=achievement,
                reason=form.cleaned_data["reason"],
                reference=form.cleaned_data["reference"],
                revoked_on=form.cleaned_data["revoked_on"],
                by=request.user,
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The decision is revoked; it no longer counts."))
            return redirect("awards:achievements", code=achievement.recipient.school.code)
    school = achievement.recipient.school
    return _form_page(
        request,
        title=_("Revoke a decision"),
        form=form,
        intro=_(
            "%(type)s %(year)s of %(recipient)s, decision %(number)s of %(date)s. The record "
            "stays, marked revoked; it no longer counts for any rule. This cannot be undone."
        )
        % {
            "type": achievement.award_type.name,
            "year": achievement.period_year,
            "recipient": achievement.recipient.name,
            "number": achievement.decision_number,
            "date": achievement.decision_date.strftime("%d/%m/%Y"),
        },
        confirm=_("Revoke decision %(number)s of %(recipient)s? This cannot be undone.")
        % {"number": achievement.decision_number, "recipient": achievement.recipient.name},
        submit_label=_("Revoke the decision"),
        danger=True,
        cancel_url=reverse("awards:achievements", args=[school.code]),
        crumbs=[
            {"label": school.name, "url": school.get_absolute_url()},
            {
                "label": _("Achievements"),
                "url": reverse("awards:achievements", args=[school.code]),
            },
            {"label": _("Revoke a decision")},
        ],
    )


def _import_scope(user) -> set[int] | None:
    """The schools a user may import history for: every school for the administrator,
    the schools of the cluster for its secretariat."""
    if is_admin(user):
        return None
    cluster = Cluster.objects.filter(pk=user.cluster_id).first()
    if cluster is None:
        return set()
    return set(schools_of_cluster(cluster).values_list("pk", flat=True))


@login_required
def achievements_import(request: HttpRequest) -> HttpResponse:
    _require(request, "awards.import_achievements")
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        report = xlsx_achievements.import_achievements(
            form.cleaned_data["file"],
            by=request.user,
            allowed_school_ids=_import_scope(request.user),
        )
        if report.ok:
            messages.success(request, report.summary())
            return redirect("awards:achievements_import")
        form.add_error(
            "file", _("Nothing was imported: correct the rows below and upload the file again.")
        )
    return render(
        request,
        "awards/nominations/achievements_import.html",
        {"form": form, "report": report, "columns": xlsx_achievements.COLUMNS},
    )


@login_required
def achievements_template(request: HttpRequest) -> HttpResponse:
    _require(request, "awards.import_achievements")
    return xlsx_response(xlsx_achievements.template_workbook(), "achievements-template.xlsx")


# --- nominations of a year -----------------------------------------------------------------


@login_required
def nominations_home(request: HttpRequest, code: str) -> HttpResponse:
    cluster = get_object_or_404(Cluster, code=code)
    _require(request, "awards.read_nominations", cluster)
    year = current_year(cluster)
    if year is None:
        raise Http404
    return redirect("awards:nominations", code=cluster.code, label=year.label)


def _filtered_nominations(request: HttpRequest, year: EmulationYear):
    nomination_filter = NominationFilter(
        request.GET or None,
        queryset=selectors.nominations_of_year(year),
        schools=schools_of_cluster(year.cluster),
    )
    return nomination_filter, selectors.visible_nominations(request.user, nomination_filter.qs)


@login_required
def nominations(request: HttpRequest, code: str, label: str) -> HttpResponse:
    year = _year(request, code, label)
    nomination_filter, rows = _filtered_nominations(request, year)
    user = request.user
    return render(
        request,
        "awards/nominations/list.html",
        {
            "cluster": year.cluster,
            "year": year,
            "filter": nomination_filter,
            "nominations": rows,
            "can_propose": can(user, "awards.propose_nomination", year),
            "can_manage": can(user, "awards.manage_nominations", year),
            "submitted_count": sum(1 for n in rows if n.status == NominationStatus.SUBMITTED),
            "query": request.GET.urlencode(),
            "crumbs": [
                {"label": year.label, "url": year.get_absolute_url()},
                {"label": _("Nominations")},
            ],
        },
    )


@login_required
def nominations_export(request: HttpRequest, code: str, label: str) -> HttpResponse:
    from cluster.exports import build_workbook

    year = _year(request, code, label)
    _filter, rows = _filtered_nominations(request, year)
    content = build_workbook(
        sheet_title=_("Nominations"),
        heading=_("Nominations of %(cluster)s in %(year)s")
        % {"cluster": year.cluster.name, "year": year.label},
        headers=[
            _("No."),
            _("School"),
            _("Recipient"),
            _("Position"),
            _("Unit"),
            _("Award type"),
            _("Status"),
            _("Submitted at"),
            _("Decision number"),
            _("Decision date"),
        ],
        rows=[
            (
                index,
                n.school.name,
                n.recipient.name,
                n.recipient.position,
                n.recipient.unit,
                n.award_type.name,
                n.get_status_display(),
                timezone.localtime(n.submitted_at).date() if n.submitted_at else None,
                n.decision_number,
                n.decision_date,
            )
            for index, n in enumerate(rows, start=1)
        ],
    )
    return xlsx_response(content, f"nominations-{year.cluster.code}-{year.label}.xlsx")


def _save_nomination(request, form: NominationForm, nomination: Nomination, school: School):
    """Fill the nomination from the form and save it (and a new recipient) atomically."""
    with transaction.atomic():
        return _save_nomination_inner(request, form, nomination, school)


def _save_nomination_inner(request, form, nomination, school):
    data = form.cleaned_data
    recipient = data.get("recipient")
    if recipient is None:
        recipient = services.recipient_for(
            school=school,
            kind=form.new_recipient_kind(),
            name=data.get("recipient_name", ""),
            position=data.get("recipient_position", ""),
            unit=data.get("recipient_unit", ""),
            is_whole_school=bool(data.get("whole_school")),
        )
    nomination.recipient = recipient
    return services.save_nomination(
        nomination=nomination,
        by=request.user,
        achievement_report=data.get("report_file"),
        initiative_file=data.get("initiative_upload"),
    )


_FILE_FIELDS = {
    "achievement_report": "report_file",
    "initiative_file": "initiative_upload",
    "recipient": "recipient",
}


@login_required
def nomination_create(request: HttpRequest, code: str, label: str) -> HttpResponse:
    year = _year(request, code, label)
    _require(request, "awards.propose_nomination", year)
    school = request.user.school
    nomination = Nomination(year=year, school=school)
    form = NominationForm(
        request.POST or None, request.FILES or None, instance=nomination, school=school
    )
    if request.method == "POST" and form.is_valid():
        try:
            nomination = _save_nomination(request, form, nomination, school)
        except ValidationError as error:
            nomination.pk = None
            _apply_errors(form, error, _FILE_FIELDS)
        else:
            messages.success(
                request, _("The draft is saved. Check its eligibility, then submit it.")
            )
            return redirect("awards:nomination", pk=nomination.pk)
    return render(
        request,
        "awards/nominations/form.html",
        {
            "cluster": year.cluster,
            "year": year,
            "form": form,
            "title": _("New nomination"),
            "school": school,
            "crumbs": _year_crumbs(year, {"label": _("New nomination")}),
        },
    )


@login_required
def nomination_edit(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = _nomination(request, pk, "awards.edit_nomination")
    year = nomination.year
    form = NominationForm(
        request.POST or None, request.FILES or None, instance=nomination, school=nomination.school
    )
    if request.method == "POST" and form.is_valid():
        try:
            nomination = _save_nomination(request, form, nomination, nomination.school)
        except ValidationError as error:
            _apply_errors(form, error, _FILE_FIELDS)
        else:
            messages.success(request, _("The nomination is saved."))
            return redirect("awards:nomination", pk=nomination.pk)
    return render(
        request,
        "awards/nominations/form.html",
        {
            "cluster": year.cluster,
            "year": year,
            "form": form,
            "nomination": nomination,
            "title": _("Edit the nomination"),
            "school": nomination.school,
            "crumbs": _year_crumbs(
                year,
                {
                    "label": str(nomination.recipient),
                    "url": reverse("awards:nomination", args=[pk]),
                },
                {"label": _("Edit")},
            ),
        },
    )


@login_required
def nomination_detail(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = _nomination(request, pk)
    user = request.user
    year = nomination.year
    can_edit = can(user, "awards.edit_nomination", nomination)
    if can_edit:
        # Before submission: judge it now, as the submission will.
        checks = selectors.eligibility_checks(nomination)
        checks_are_live = True
    else:
        checks = checks_from_json(nomination.eligibility)
        checks_are_live = False
    # The dossier matters while it goes to the Academy (DOMAIN rule 13).
    show_dossier = nomination.status in {NominationStatus.APPROVED, NominationStatus.FORWARDED}
    achievement = Achievement.objects.filter(nomination=nomination).first()
    return render(
        request,
        "awards/nominations/detail.html",
        {
            "cluster": year.cluster,
            "year": year,
            "nomination": nomination,
            "checks": checks,
            "checks_are_live": checks_are_live,
            "judged_on": selectors.judged_on(nomination),
            "blocking": [c for c in checks if c.statutory and not c.passed],
            "events": list(nomination.events.all()),
            "comments": list(nomination.comments.all()),
            "dossier": selectors.dossier_of(nomination) if show_dossier else None,
            "achievement": achievement,
            "comment_form": CommentForm()
            if can(user, "awards.comment_nomination", nomination)
            else None,
            "can_edit": can_edit,
            "can_submit": can(user, "awards.submit_nomination", nomination),
            "can_withdraw": can(user, "awards.withdraw_nomination", nomination),
            "can_return": can(user, "awards.return_nomination", nomination),
            "can_certify": can(user, "awards.certify_report", nomination)
            and not nomination.achievement_report_certified,
            "can_forward": can(user, "awards.forward_nomination", nomination),
            "can_decide": can(user, "awards.decide_nomination", nomination),
            "can_revoke": achievement is not None
            and can(user, "awards.revoke_nomination", nomination)
            and can(user, "awards.revoke_achievement", achievement),
            "can_manage": can(user, "awards.manage_nominations", nomination),
            "crumbs": _year_crumbs(year, {"label": str(nomination.recipient)}),
        },
    )


@login_required
def nomination_file(request: HttpRequest, pk: int, which: str) -> FileResponse:
    nomination = _nomination(request, pk)
    if which == "report":
        return file_response(
            nomination.achievement_report,
            _("Achievement report – %(name)s") % {"name": nomination.recipient.name},
        )
    if which == "initiative":
        return file_response(
            nomination.initiative_file,
            _("Initiative – %(name)s") % {"name": nomination.recipient.name},
        )
    raise Http404


@login_required
@require_POST
def nomination_submit(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = _nomination(request, pk, "awards.submit_nomination")
    try:
        services.submit_nomination(nomination=nomination, by=request.user)
    except services.NotEligible as error:
        messages.error(request, _("Not submitted: the nomination does not meet the conditions."))
        _error_messages(request, error)
    except ValidationError as error:
        messages.error(request, _("Not submitted."))
        _error_messages(request, error)
    else:
        messages.success(request, _("The nomination is submitted to the secretariat."))
    return redirect("awards:nomination", pk=pk)


def _action_page(
    request, nomination, *, form, title, intro="", confirm="", submit_label, danger=False
):
    return _form_page(
        request,
        title=title,
        form=form,
        cluster=nomination.year.cluster,
        intro=intro,
        confirm=confirm,
        submit_label=submit_label,
        danger=danger,
        nomination=nomination,
        cancel_url=reverse("awards:nomination", args=[nomination.pk]),
        crumbs=_year_crumbs(
            nomination.year,
            {
                "label": str(nomination.recipient),
                "url": reverse("awards:nomination", args=[nomination.pk]),
            },
            {"label": title},
        ),
    )


@login_required
def nomination_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = _nomination(request, pk, "awards.withdraw_nomination")
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.withdraw_nomination(
                nomination=nomination, by=request.user, comment=form.cleaned_data["comment"]
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The nomination is withdrawn."))
            return redirect("awards:nomination", pk=pk)
    return _action_page(
        request,
        nomination,
        form=form,
        title=_("Withdraw the nomination"),
        intro=_("A withdrawn nomination cannot be submitted again; propose anew if needed."),
        confirm=_("Withdraw the nomination of %(recipient)s? This cannot be undone.")
        % {"recipient": nomination.recipient.name},
        submit_label=_("Withdraw"),
        danger=True,
    )


@login_required
def nomination_return(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = _nomination(request, pk, "awards.return_nomination")
    form = ReturnForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.return_nomination(
                nomination=nomination, comment=form.cleaned_data["comment"], by=request.user
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The nomination is returned to the school."))
            return redirect("awards:nomination", pk=pk)
    return _action_page(
        request,
        nomination,
        form=form,
        title=_("Return the nomination"),
        intro=_("The school can correct it and submit it again."),
        submit_label=_("Return to the school"),
    )


@login_required
@require_POST
def nomination_certify(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = _nomination(request, pk, "awards.certify_report")
    services.certify_report(nomination=nomination, by=request.user)
    messages.success(request, _("The achievement report is recorded as certified."))
    return redirect("awards:nomination", pk=pk)


@login_required
@require_POST
def nomination_forward(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = _nomination(request, pk, "awards.forward_nomination")
    try:
        services.forward_nomination(nomination=nomination, by=request.user)
    except ValidationError as error:
        messages.error(request, _("Not forwarded: the dossier is incomplete."))
        _error_messages(request, error)
    else:
        messages.success(request, _("The nomination is forwarded to the Academy."))
    return redirect("awards:nomination", pk=pk)


@login_required
def nomination_decide(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = _nomination(request, pk, "awards.decide_nomination")
    form = DecideForm(request.POST or None, initial={"issuer": nomination.award_type.issuer})
    if request.method == "POST" and form.is_valid():
        try:
            services.decide_nomination(
                nomination=nomination,
                decision_number=form.cleaned_data["decision_number"],
                decision_date=form.cleaned_data["decision_date"],
                issuer=form.cleaned_data["issuer"],
                by=request.user,
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The decision is recorded in the achievement history."))
            return redirect("awards:nomination", pk=pk)
    return _action_page(
        request,
        nomination,
        form=form,
        title=_("Record the decision"),
        intro=_("The award enters the recipient's achievement history."),
        confirm=_("Record the decision for %(recipient)s?")
        % {"recipient": nomination.recipient.name},
        submit_label=_("Record the decision"),
    )


@login_required
def nomination_refuse(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = _nomination(request, pk, "awards.decide_nomination")
    form = RefuseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.refuse_nomination(
                nomination=nomination, reason=form.cleaned_data["reason"], by=request.user
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The refusal is recorded."))
            return redirect("awards:nomination", pk=pk)
    return _action_page(
        request,
        nomination,
        form=form,
        title=_("Record a refusal"),
        confirm=_("Record that the Academy refused the nomination of %(recipient)s?")
        % {"recipient": nomination.recipient.name},
        submit_label=_("Record the refusal"),
        danger=True,
    )


@login_required
def nomination_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = _nomination(request, pk, "awards.revoke_nomination")
    achievement = Achievement.objects.filter(nomination=nomination).first()
    if achievement is None:
        raise Http404
    return redirect("awards:achievement_revoke", pk=achievement.pk)


@login_required
@require_POST
def nomination_comment(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = _nomination(request, pk, "awards.comment_nomination")
    form = CommentForm(request.POST)
    if form.is_valid():
        services.add_comment(nomination=nomination, text=form.cleaned_data["text"], by=request.user)
        messages.success(request, _("Your comment is recorded."))
    else:
        messages.error(request, _("Write a comment."))
    return redirect(reverse("awards:nomination", args=[pk]) + "#comments")


@login_required
def nominations_publish(request: HttpRequest, code: str, label: str) -> HttpResponse:
    year = _year(request, code, label)
    _require(request, "awards.manage_nominations", year)
    form = PublishForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            count = services.publish_candidates(
                year=year, comment_days=form.cleaned_data["comment_days"], by=request.user
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(
                request,
                _("%(count)d nominations are published to the members for comment.")
                % {"count": count},
            )
            return redirect("awards:nominations", code=code, label=label)
    waiting = year.nominations.filter(status=NominationStatus.SUBMITTED).count()
    members = members_of_year(year).count()
    return _form_page(
        request,
        title=_("Publish the candidate list"),
        form=form,
        cluster=year.cluster,
        intro=_(
            "%(count)d submitted nominations will be shown to the %(members)d member schools, "
            "who can comment until the end of the window."
        )
        % {"count": waiting, "members": members},
        confirm=_("Publish %(count)d nominations to every member school?") % {"count": waiting},
        submit_label=_("Publish"),
        cancel_url=reverse("awards:nominations", args=[code, label]),
        crumbs=_year_crumbs(year, {"label": _("Publish the candidate list")}),
    )


# --- dossier documents -----------------------------------------------------------------------


@login_required
def dossier_documents(request: HttpRequest, code: str, label: str) -> HttpResponse:
    year = _year(request, code, label)
    can_manage = can(request.user, "awards.manage_nominations", year)
    form = None
    if can_manage:
        form = DossierDocumentForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.add_dossier_document(
                    year=year,
                    kind=form.cleaned_data["kind"],
                    file=form.cleaned_data["file"],
                    number=form.cleaned_data["number"],
                    day=form.cleaned_data["date"],
                    by=request.user,
                )
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(request, _("The document is attached to the year's dossier."))
                return redirect("awards:dossier_documents", code=code, label=label)
    elif request.method == "POST":
        raise PermissionDenied
    year_docs = selectors.year_dossier(year)
    return render(
        request,
        "awards/nominations/dossier_documents.html",
        {
            "cluster": year.cluster,
            "year": year,
            "documents": list(selectors.dossier_documents_of_year(year)),
            "year_docs": year_docs,
            "form": form,
            "crumbs": _year_crumbs(year, {"label": _("Dossier documents")}),
        },
    )


@login_required
def dossier_document_download(request: HttpRequest, pk: int) -> FileResponse:
    document = get_object_or_404(DossierDocument.objects.select_related("year__cluster"), pk=pk)
    _require(request, "awards.read_nominations", document.year.cluster)
    return file_response(
        document.file, f"{document.get_kind_display()} {document.year.label} {document.number}"
    )
