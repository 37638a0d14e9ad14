"""Predicates for annual reports, evidence, extensions and progress.

Who sees what (issue "Pledges, criteria tables and annual reports"):
- a school's draft: its own representatives only;
- a submitted (or accepted) report: every member school of that year, the secretariat of
  the cluster and the Academy's observers (the cluster works in the open);
- a returned report: its school, the secretariat and the observers (it is being reworked,
  so the other members wait for the new version);
- nobody edits another school's anything; the secretariat returns or accepts;
- an administrator reads like an observer (views test these rules with
  ``rules.has_perm``, without Django's superuser shortcut).

Objects: ``AnnualReport`` (or ``Evidence``, judged by its report) and ``EmulationYear``.
"""

from __future__ import annotations

import rules

from accounts.rules import is_admin, is_observer, is_representative, is_secretariat

from .enums import SubmissionStatus

__all__ = [
    "can_edit_report",
    "can_list_reports",
    "can_manage_extensions",
    "can_review_report",
    "can_view_progress",
    "can_view_report",
    "can_write_own_report",
]

OPEN_STATUSES = (SubmissionStatus.DRAFT, SubmissionStatus.RETURNED)
PUBLIC_STATUSES = (SubmissionStatus.SUBMITTED, SubmissionStatus.ACCEPTED)


def _report_of(obj):
    """The report behind ``obj`` (an AnnualReport or an Evidence), else None."""
    from .models import AnnualReport, Evidence

    if isinstance(obj, AnnualReport):
        return obj
    if isinstance(obj, Evidence):
        return obj.report
    return None


def _year_of(obj):
    from cluster.models import EmulationYear

    if isinstance(obj, EmulationYear):
        return obj
    report = _report_of(obj)
    if report is not None:
        return report.year
    return getattr(obj, "year", None)


def school_is_member_of(user, year) -> bool:
    """The representative's school is one of ``year``'s members (cached on the user, so a
    page asking for many reports of one year costs one query)."""
    if year is None or not is_representative(user):
        return False
    cache = user.__dict__.setdefault("_member_years_cache", {})
    if year.pk not in cache:
        from cluster.selectors import members_of_year

        cache[year.pk] = members_of_year(year).filter(pk=user.school_id).exists()
    return cache[year.pk]


@rules.predicate
def is_secretariat_of_year(user, obj) -> bool:
    year = _year_of(obj)
    return bool(year is not None and is_secretariat(user) and user.cluster_id == year.cluster_id)


@rules.predicate
def is_member_of_year(user, obj) -> bool:
    return school_is_member_of(user, _year_of(obj))


@rules.predicate
def is_own_school_report(user, obj) -> bool:
    report = _report_of(obj)
    return bool(
        report is not None and is_representative(user) and report.school_id == user.school_id
    )


@rules.predicate
def report_is_open(user, obj) -> bool:
    """Draft or returned: the school may still change it."""
    report = _report_of(obj)
    return bool(report is not None and report.status in OPEN_STATUSES)


@rules.predicate
def report_is_public(user, obj) -> bool:
    report = _report_of(obj)
    return bool(report is not None and report.status in PUBLIC_STATUSES)


@rules.predicate
def report_is_returned(user, obj) -> bool:
    report = _report_of(obj)
    return bool(report is not None and report.status == SubmissionStatus.RETURNED)


@rules.predicate
def report_awaits_review(user, obj) -> bool:
    report = _report_of(obj)
    return bool(report is not None and report.status == SubmissionStatus.SUBMITTED)


reads_everything = is_admin | is_observer
can_view_report = (
    is_own_school_report
    | (report_is_public & (reads_everything | is_secretariat_of_year | is_member_of_year))
    | (report_is_returned & (reads_everything | is_secretariat_of_year))
)
# Only the school's own representatives, while the school is a member of the year.
can_edit_report = is_own_school_report & report_is_open & is_member_of_year
can_review_report = (is_admin | is_secretariat_of_year) & report_awaits_review

# Year-level permissions.
can_write_own_report = is_representative & is_member_of_year
can_list_reports = reads_everything | is_secretariat_of_year | is_member_of_year
can_view_progress = reads_everything | is_secretariat_of_year
can_manage_extensions = is_admin | is_secretariat_of_year

rules.add_perm("evaluations.view_report", can_view_report)
rules.add_perm("evaluations.edit_report", can_edit_report)
rules.add_perm("evaluations.review_report", can_review_report)
rules.add_perm("evaluations.view_evidence", can_view_report)
rules.add_perm("evaluations.manage_evidence", can_edit_report)
rules.add_perm("evaluations.write_own_report", can_write_own_report)
rules.add_perm("evaluations.list_reports", can_list_reports)
rules.add_perm("evaluations.view_progress", can_view_progress)
rules.add_perm("evaluations.manage_extensions", can_manage_extensions)
