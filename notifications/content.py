"""The words of reminders: subject, one-sentence summary, text and HTML bodies, links.

Everything here is called inside ``translation.override(<recipient's language>)``, so each
recipient reads their own language (Vietnamese by default).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .enums import DeadlineKind, ReminderKind
from .selectors import RETURNED, PendingItem


@dataclass(frozen=True)
class Rendered:
    subject: str
    summary: str  # the in-app notification's text
    text: str
    html: str


def format_date(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def format_moment(moment: dt.datetime) -> str:
    local = timezone.localtime(moment)
    return _("%(time)s on %(date)s") % {
        "time": local.strftime("%H:%M"),
        "date": local.strftime("%d/%m/%Y"),
    }


def when_phrase(days_left: int) -> str:
    """“3 days left”, “due today”, “2 days overdue”."""
    if days_left > 0:
        return ngettext("%(count)d day left", "%(count)d days left", days_left) % {
            "count": days_left
        }
    if days_left == 0:
        return _("due today")
    overdue = -days_left
    return ngettext("%(count)d day overdue", "%(count)d days overdue", overdue) % {"count": overdue}


def _reverse(name: str, kwargs: dict, year) -> str:
    """A path by URL name, falling back to the year page when the name is unknown."""
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return reverse("cluster:year", kwargs={"code": year.cluster.code, "label": year.label})


def item_path(item: PendingItem) -> str:
    """Where the school does what is missing."""
    year = item.year
    year_kwargs = {"code": year.cluster.code, "label": year.label}
    if item.deadline_kind == DeadlineKind.PLEDGE:
        return _reverse("evaluations:my_pledge", year_kwargs, year)
    if item.deadline_kind == DeadlineKind.REPORT:
        return _reverse("evaluations:my_report", year_kwargs, year)
    if item.deadline_kind == DeadlineKind.CROSS_SCORING:
        return _reverse("evaluations:scoring_my_targets", year_kwargs, year)
    try:
        return reverse("awards:ballot", kwargs={**year_kwargs, "pk": item.voting_round.pk})
    except NoReverseMatch:
        return _reverse("awards:rounds", year_kwargs, year)


def late_list_path(deadline_kind: str, year, voting_round=None) -> str:
    """Where the secretariat follows the progress of a deadline."""
    year_kwargs = {"code": year.cluster.code, "label": year.label}
    if deadline_kind in (DeadlineKind.PLEDGE, DeadlineKind.REPORT):
        return _reverse("evaluations:progress", year_kwargs, year)
    if deadline_kind == DeadlineKind.CROSS_SCORING:
        return _reverse("evaluations:scoring_progress", year_kwargs, year)
    try:
        return reverse("awards:turnout", kwargs={**year_kwargs, "pk": voting_round.pk})
    except (NoReverseMatch, AttributeError):
        return _reverse("awards:rounds", year_kwargs, year)


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def summary_of(item: PendingItem, today: dt.date) -> str:
    """One sentence: what is missing, for which deadline, and how long is left."""
    values = {
        "year": item.year.label,
        "school": item.school.name,
        "deadline": format_date(item.deadline),
        "when": when_phrase(item.days_left(today)),
    }
    returned = item.status == RETURNED
    if item.deadline_kind == DeadlineKind.PLEDGE:
        if returned:
            return (
                _(
                    "The pledge registration %(year)s of %(school)s was returned for changes "
                    "and has not been resubmitted; deadline %(deadline)s (%(when)s)."
                )
                % values
            )
        return (
            _(
                "The pledge registration %(year)s of %(school)s has not been submitted; "
                "deadline %(deadline)s (%(when)s)."
            )
            % values
        )
    if item.deadline_kind == DeadlineKind.REPORT:
        if returned:
            return (
                _(
                    "The annual report %(year)s of %(school)s was returned for changes and "
                    "has not been resubmitted; deadline %(deadline)s (%(when)s)."
                )
                % values
            )
        return (
            _(
                "The annual report %(year)s of %(school)s has not been submitted; "
                "deadline %(deadline)s (%(when)s)."
            )
            % values
        )
    if item.deadline_kind == DeadlineKind.CROSS_SCORING:
        count = len(item.assignments)
        values["count"] = count
        values["targets"] = ", ".join(a.target.name for a in item.assignments)
        return (
            ngettext(
                "%(school)s has not submitted its cross-scoring %(year)s of %(count)d school "
                "(%(targets)s); deadline %(deadline)s (%(when)s).",
                "%(school)s has not submitted its cross-scoring %(year)s of %(count)d schools "
                "(%(targets)s); deadline %(deadline)s (%(when)s).",
                count,
            )
            % values
        )
    values["round"] = item.voting_round.title
    values["closes"] = format_moment(item.closes_at)
    return (
        _(
            "%(school)s has not voted yet in “%(round)s” (%(year)s); voting closes at "
            "%(closes)s (%(when)s)."
        )
        % values
    )


def subject_of(item: PendingItem) -> str:
    values = {"year": item.year.label, "deadline": format_date(item.deadline)}
    if item.deadline_kind == DeadlineKind.PLEDGE:
        text = _("Reminder: pledge registration %(year)s, deadline %(deadline)s") % values
    elif item.deadline_kind == DeadlineKind.REPORT:
        text = _("Reminder: annual report %(year)s, deadline %(deadline)s") % values
    elif item.deadline_kind == DeadlineKind.CROSS_SCORING:
        text = _("Reminder: cross-scoring %(year)s, deadline %(deadline)s") % values
    else:
        values["round"] = item.voting_round.title
        text = _("Reminder: vote in “%(round)s”, closes %(deadline)s") % values
    return f"[{item.year.cluster.code}] {text}"


def render_reminder(
    *, item: PendingItem, today: dt.date, recipient_name: str, to_school: bool = False
) -> Rendered:
    """The email and notification for one school's representative, or for the school's own
    address (``to_school``) when it has no representative."""
    summary = summary_of(item, today)
    link = absolute(item_path(item))
    context = {
        "item": item,
        "summary": summary,
        "link": link,
        "recipient_name": recipient_name,
        "to_school": to_school,
        "cluster": item.year.cluster,
        "school": item.school,
        "year": item.year,
        "deadline": format_date(item.deadline),
        "closes": format_moment(item.closes_at) if item.closes_at else "",
        "site_url": settings.SITE_URL,
    }
    kind = item.deadline_kind
    return Rendered(
        subject=subject_of(item),
        summary=summary,
        text=render_to_string(f"emails/reminders/{kind}.txt", context),
        html=render_to_string(f"emails/reminders/{kind}.html", context),
    )


def render_late_list(
    *,
    deadline_kind: str,
    year,
    deadline: dt.date,
    items: list[PendingItem],
    today: dt.date,
    recipient_name: str,
    voting_round=None,
) -> Rendered:
    """The list of late schools for the secretariat, the day after a deadline."""
    what = str(DeadlineKind(deadline_kind).label)
    if voting_round is not None:
        what = f"{what} “{voting_round.title}”"
    values = {"what": what, "year": year.label, "deadline": format_date(deadline)}
    count = len(items)
    summary = ngettext(
        "%(count)d school has not finished %(what)s %(year)s (deadline %(deadline)s).",
        "%(count)d schools have not finished %(what)s %(year)s (deadline %(deadline)s).",
        count,
    ) % {**values, "what": what[:1].lower() + what[1:], "count": count}
    subject = _("Late schools: %(what)s %(year)s, deadline %(deadline)s") % values
    context = {
        "rows": [(item, summary_of(item, today)) for item in items],
        "summary": summary,
        "link": absolute(late_list_path(deadline_kind, year, voting_round)),
        "recipient_name": recipient_name,
        "cluster": year.cluster,
        "year": year,
        "what": what,
        "deadline": format_date(deadline),
        "site_url": settings.SITE_URL,
    }
    return Rendered(
        subject=f"[{year.cluster.code}] {subject}",
        summary=summary,
        text=render_to_string(f"emails/reminders/{ReminderKind.LATE_LIST}.txt", context),
        html=render_to_string(f"emails/reminders/{ReminderKind.LATE_LIST}.html", context),
    )
