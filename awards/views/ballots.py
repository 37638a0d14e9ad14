"""Voting round pages under /a/<cluster>/<year>/rounds/. Thin function views: parse, check
a rules permission, call a selector or a service, render. Missing → 404, forbidden → 403.

The confirmation page after casting is rendered by the POST itself: the receipt exists in
that one response and nowhere else (not in the session, not in a message, not in a log).
"""

from __future__ import annotations

from datetime import timedelta

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cluster.enums import LeadershipRole
from cluster.exports import build_workbook, xlsx_response
from cluster.models import Cluster, EmulationYear
from cluster.selectors import next_year

from .. import selectors_ballots as selectors
from ..enums import Answer, RoundKind, RoundStatus
from ..forms_ballots import ANSWER_LABELS, BallotForm, CandidateForm, RoundForm
from ..models import Candidate, VotingRound
from ..services import ballots as services


def _can(request: HttpRequest, perm: str, obj=None) -> bool:
    """The rule itself, without Django's "a superuser may do anything" shortcut: the
    administrator manages rounds but has no school to vote for, and nobody reads the result
    of a round that is still open (the predicates include the administrator where meant)."""
    return rules.has_perm(perm, request.user, obj)


def _require(request: HttpRequest, perm: str, obj=None) -> None:
    if not _can(request, perm, obj):
        raise PermissionDenied


def _year(request: HttpRequest, code: str, label: str) -> EmulationYear:
    cluster = get_object_or_404(Cluster, code=code)
    year = get_object_or_404(
        EmulationYear.objects.select_related("cluster"), cluster=cluster, label=label
    )
    _require(request, "awards.list_rounds", year)
    return year


def _round(request: HttpRequest, code: str, label: str, pk: int, perm: str) -> VotingRound:
    year = _year(request, code, label)
    try:
        voting_round = selectors.round_of_year(year, pk)
    except VotingRound.DoesNotExist:
        raise Http404
    _require(request, perm, voting_round)
    return voting_round


def _round_url(voting_round: VotingRound) -> str:
    year = voting_round.year
    return reverse(
        "awards:round",
        kwargs={"code": year.cluster.code, "label": year.label, "pk": voting_round.pk},
    )


def _show_errors(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _apply_errors(form, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def _crumbs(year: EmulationYear, *extra) -> list[dict]:
    return [
        {"label": year.label, "url": year.get_absolute_url()},
        {
            "label": _("Voting rounds"),
            "url": reverse(
                "awards:rounds", kwargs={"code": year.cluster.code, "label": year.label}
            ),
        },
        *extra,
    ]


# --- The year's rounds ---------------------------------------------------------------------


@login_required
def round_list(request: HttpRequest, code: str, label: str) -> HttpResponse:
    year = _year(request, code, label)
    can_manage = _can(request, "awards.manage_rounds", year)
    rounds = list(selectors.rounds_of_year(year, include_drafts=can_manage))
    status = request.GET.get("status", "")
    if status in RoundStatus.values:
        rounds = [r for r in rounds if r.status == status]
    can_see_turnout = can_manage or _can(request, "awards.view_turnout", year)
    return render(
        request,
        "awards/ballots/round_list.html",
        {
            "cluster": year.cluster,
            "year": year,
            "rounds": rounds,
            "can_manage": can_manage,
            "can_see_turnout": can_see_turnout,
            "statuses": RoundStatus.choices,
            "status": status,
            "next_year": next_year(year),
            "crumbs": _crumbs(year)[:1] + [{"label": _("Voting rounds")}],
        },
    )


def _initial_round(year: EmulationYear, kind: str, seat: str) -> dict:
    now = timezone.localtime().replace(second=0, microsecond=0)
    initial = {
        "opens_at": now.strftime("%Y-%m-%dT%H:%M"),
        "closes_at": (now + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "max_choices": 1,
    }
    if kind == RoundKind.CHOOSE:
        initial["title"] = _("Leading unit and units proposed for commendation, %(year)s") % {
            "year": year.label
        }
    elif kind == RoundKind.YES_NO:
        initial["title"] = _("Vote on the nominations of %(year)s") % {"year": year.label}
    else:
        target = next_year(year)
        target_label = target.label if target else "?"
        initial["seat"] = seat
        if seat == LeadershipRole.DEPUTY:
            initial["title"] = _("Election of the deputies for %(year)s") % {"year": target_label}
        else:
            initial["title"] = _("Election of the head for %(year)s") % {"year": target_label}
    return initial


@login_required
def round_create(request: HttpRequest, code: str, label: str, kind: str) -> HttpResponse:
    year = _year(request, code, label)
    _require(request, "awards.manage_rounds", year)
    if kind not in RoundKind.values:
        raise Http404
    seat = request.GET.get("seat", LeadershipRole.HEAD)
    if seat not in LeadershipRole.values:
        seat = LeadershipRole.HEAD
    instance = VotingRound(year=year, kind=kind)
    if request.method == "POST":
        form = RoundForm(request.POST, instance=instance)
        if form.is_valid():
            try:
                voting_round = services.create_round(voting_round=form.instance, by=request.user)
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Round prepared with %(count)d candidates. Check them, then open it.")
                    % {"count": voting_round.candidates.count()},
                )
                return redirect(_round_url(voting_round))
    else:
        form = RoundForm(instance=instance, initial=_initial_round(year, kind, seat))
    target = next_year(year)
    return render(
        request,
        "awards/ballots/round_form.html",
        {
            "cluster": year.cluster,
            "year": year,
            "form": form,
            "kind": kind,
            "kind_label": RoundKind(kind).label,
            "next_year": target,
            "missing_next_year": kind == RoundKind.ELECTION and target is None,
            "title": _("New voting round"),
            "crumbs": _crumbs(year, {"label": _("New voting round")}),
        },
    )


@login_required
def round_edit(request: HttpRequest, code: str, label: str, pk: int) -> HttpResponse:
    voting_round = _round(request, code, label, pk, "awards.edit_round")
    form = RoundForm(request.POST or None, instance=voting_round)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_round(voting_round=form.instance, by=request.user)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Round saved."))
            return redirect(_round_url(voting_round))
    year = voting_round.year
    return render(
        request,
        "awards/ballots/round_form.html",
        {
            "cluster": year.cluster,
            "year": year,
            "form": form,
            "voting_round": voting_round,
            "kind": voting_round.kind,
            "kind_label": voting_round.get_kind_display(),
            "next_year": next_year(year),
            "title": _("Edit the round"),
            "crumbs": _crumbs(
                year,
                {"label": voting_round.title, "url": _round_url(voting_round)},
                {"label": _("Edit")},
            ),
        },
    )


@login_required
def round_detail(request: HttpRequest, code: str, label: str, pk: int) -> HttpResponse:
    voting_round = _round(request, code, label, pk, "awards.read_round")
    user = request.user
    year = voting_round.year
    can_manage = _can(request, "awards.manage_rounds", voting_round)
    can_edit = _can(request, "awards.edit_round", voting_round)
    can_vote_here = _can(request, "awards.vote_in_round", voting_round)
    can_see_turnout = _can(request, "awards.view_turnout", voting_round)
    context = {
        "cluster": year.cluster,
        "year": year,
        "voting_round": voting_round,
        "candidates": list(voting_round.candidates.all()),
        "runoffs": list(voting_round.runoffs.all()),
        "can_manage": can_manage,
        "can_edit": can_edit,
        "can_close": _can(request, "awards.close_round", voting_round),
        "can_cast": _can(request, "awards.cast_ballot", voting_round),
        "can_vote_here": can_vote_here,
        "has_voted": can_vote_here and selectors.has_voted(voting_round, user.school_id),
        "can_see_turnout": can_see_turnout,
        "can_see_results": _can(request, "awards.view_round_results", voting_round),
        "turnout": selectors.turnout(voting_round) if can_see_turnout else None,
        "candidate_form": CandidateForm(voting_round=voting_round) if can_edit else None,
        "now": timezone.now(),
        "crumbs": _crumbs(year, {"label": voting_round.title}),
    }
    return render(request, "awards/ballots/round_detail.html", context)


@login_required
@require_POST
def round_delete(request: HttpRequest, code: str, label: str, pk: int) -> HttpResponse:
    voting_round = _round(request, code, label, pk, "awards.edit_round")
    year = voting_round.year
    try:
        services.delete_round(voting_round=voting_round, by=request.user)
    except ValidationError as error:
        _show_errors(request, error)
        return redirect(_round_url(voting_round))
    messages.success(request, _("The prepared round was deleted."))
    return redirect(
        reverse("awards:rounds", kwargs={"code": year.cluster.code, "label": year.label})
    )


@login_required
@require_POST
def candidate_add(request: HttpRequest, code: str, label: str, pk: int) -> HttpResponse:
    voting_round = _round(request, code, label, pk, "awards.edit_round")
    form = CandidateForm(request.POST, voting_round=voting_round)
    if form.is_valid():
        try:
            candidate = services.add_candidate(
                voting_round=voting_round,
                by=request.user,
                school=form.cleaned_data.get("school"),
                nomination=form.cleaned_data.get("nomination"),
            )
        except ValidationError as error:
            _show_errors(request, error)
        else:
            messages.success(request, _("%(candidate)s added.") % {"candidate": candidate.label})
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect(_round_url(voting_round))


@login_required
@require_POST
def candidate_remove(
    request: HttpRequest, code: str, label: str, pk: int, candidate_pk: int
) -> HttpResponse:
    voting_round = _round(request, code, label, pk, "awards.edit_round")
    candidate = get_object_or_404(Candidate, round=voting_round, pk=candidate_pk)
    try:
        services.remove_candidate(candidate=candidate, by=request.user)
    except ValidationError as error:
        _show_errors(request, error)
    else:
        messages.success(request, _("%(candidate)s removed.") % {"candidate": candidate.label})
    return redirect(_round_url(voting_round))


@login_required
@require_POST
def round_open(request: HttpRequest, code: str, label: str, pk: int) -> HttpResponse:
    # Managers only; the service refuses a round already opened (a second click) clearly.
    voting_round = _round(request, code, label, pk, "awards.manage_rounds")
    try:
        services.open_round(voting_round=voting_round, by=request.user)
    except ValidationError as error:
        _show_errors(request, error)
    else:
        messages.success(request, _("The round is open: member schools can vote."))
    return redirect(_round_url(voting_round))


@login_required
@require_POST
def round_close(request: HttpRequest, code: str, label: str, pk: int) -> HttpResponse:
    # Managers only; the service refuses a second count (a second click) clearly.
    voting_round = _round(request, code, label, pk, "awards.manage_rounds")
    year = voting_round.year
    result_url = reverse(
        "awards:round_result",
        kwargs={"code": year.cluster.code, "label": year.label, "pk": voting_round.pk},
    )
    try:
        services.close_round(voting_round=voting_round, by=request.user)
    except ValidationError as error:
        _show_errors(request, error)
        if voting_round.status == RoundStatus.CLOSED:
            return redirect(result_url)
        return redirect(_round_url(voting_round))
    messages.success(request, _("The round is closed and counted. The result is published."))
    return redirect(result_url)


# --- Voting --------------------------------------------------------------------------------


@login_required
def ballot(request: HttpRequest, code: str, label: str, pk: int) -> HttpResponse:
    """The ballot page; its POST casts and answers with the receipt, once."""
    voting_round = _round(request, code, label, pk, "awards.vote_in_round")
    user = request.user
    if not _can(request, "awards.cast_ballot", voting_round):
        if voting_round.status == RoundStatus.OPEN and timezone.now() < voting_round.opens_at:
            messages.warning(request, _("Voting in this round has not started."))
        else:
            messages.warning(request, _("Voting in this round has closed."))
        return redirect(_round_url(voting_round))
    if request.method != "POST" and selectors.has_voted(voting_round, user.school_id):
        messages.info(request, services.already_voted_error().messages[0])
        return redirect(_round_url(voting_round))
    candidates = list(voting_round.candidates.all())
    form = BallotForm(request.POST or None, voting_round=voting_round, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        try:
            cast = services.cast_ballot(
                voting_round=voting_round,
                school=user.school,
                answers=form.answers(),
                by=user,
            )
        except ValidationError as error:
            if getattr(error, "code", None) in ("already_voted", "round_closed", "round_not_open"):
                _show_errors(request, error)
                return redirect(_round_url(voting_round))
            _apply_errors(form, error)
        else:
            response = render(
                request,
                "awards/ballots/ballot_receipt.html",
                {
                    "cluster": voting_round.year.cluster,
                    "year": voting_round.year,
                    "voting_round": voting_round,
                    "cast": cast,
                    "yes": Answer.YES,
                },
            )
            response["Cache-Control"] = "no-store"
            return response
    year = voting_round.year
    return render(
        request,
        "awards/ballots/ballot_form.html",
        {
            "cluster": year.cluster,
            "year": year,
            "voting_round": voting_round,
            "form": form,
            "school": user.school,
            "crumbs": _crumbs(
                year,
                {"label": voting_round.title, "url": _round_url(voting_round)},
                {"label": _("Ballot")},
            ),
        },
    )


@login_required
def turnout(request: HttpRequest, code: str, label: str, pk: int) -> HttpResponse:
    """Who has voted (never how); an htmx request gets the fragment it polls."""
    voting_round = _round(request, code, label, pk, "awards.view_turnout")
    year = voting_round.year
    context = {
        "cluster": year.cluster,
        "year": year,
        "voting_round": voting_round,
        "turnout": selectors.turnout(voting_round),
        "crumbs": _crumbs(
            year,
            {"label": voting_round.title, "url": _round_url(voting_round)},
            {"label": _("Turnout")},
        ),
    }
    if getattr(request, "htmx", False):
        return render(request, "awards/ballots/_turnout.html", context)
    return render(request, "awards/ballots/turnout.html", context)


# --- Results -------------------------------------------------------------------------------


@login_required
def round_result(request: HttpRequest, code: str, label: str, pk: int) -> HttpResponse:
    """The vote-count minutes (biên bản kiểm phiếu), printable on A4."""
    voting_round = _round(request, code, label, pk, "awards.view_round_results")
    year = voting_round.year
    return render(
        request,
        "awards/ballots/round_result.html",
        {
            "cluster": year.cluster,
            "year": year,
            "voting_round": voting_round,
            "minutes": selectors.minutes(voting_round),
            "can_see_turnout": _can(request, "awards.view_turnout", voting_round),
            "turnout": selectors.turnout(voting_round),
            "crumbs": _crumbs(
                year,
                {"label": voting_round.title, "url": _round_url(voting_round)},
                {"label": _("Vote count")},
            ),
        },
    )


@login_required
def receipt_list(request: HttpRequest, code: str, label: str, pk: int) -> HttpResponse:
    """The published receipts: each ballot's code and its choices, for every school to check
    that its own ballot was counted as cast."""
    voting_round = _round(request, code, label, pk, "awards.view_round_results")
    year = voting_round.year
    query = request.GET.get("q", "")[:40]
    rows = selectors.receipts(voting_round, query)
    return render(
        request,
        "awards/ballots/receipts.html",
        {
            "cluster": year.cluster,
            "year": year,
            "voting_round": voting_round,
            "rows": rows,
            "query": query,
            "yes_no": voting_round.kind == RoundKind.YES_NO,
            "crumbs": _crumbs(
                year,
                {"label": voting_round.title, "url": _round_url(voting_round)},
                {"label": _("Receipts")},
            ),
        },
    )


@login_required
def receipt_export(request: HttpRequest, code: str, label: str, pk: int) -> HttpResponse:
    voting_round = _round(request, code, label, pk, "awards.view_round_results")
    yes_no = voting_round.kind == RoundKind.YES_NO
    answers = ANSWER_LABELS
    rows = [
        (
            row.receipt,
            "; ".join(
                f"{label_}: {answers[answer]}" if yes_no else label_
                for label_, answer in row.choices
            )
            or _("Blank ballot"),
        )
        for row in selectors.receipts(voting_round, request.GET.get("q", "")[:40])
    ]
    content = build_workbook(
        sheet_title=_("Receipts"),
        heading=_("Receipts of the round “%(title)s”") % {"title": voting_round.title},
        headers=[_("Receipt code"), _("Choices")],
        rows=rows,
    )
    return xlsx_response(
        content, f"receipts-{voting_round.year.cluster.code}-{voting_round.pk}.xlsx"
    )
