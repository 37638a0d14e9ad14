"""The secretariat's progress table: each member school × pledge and annual report, with
its status (not started, draft, submitted, late, returned, accepted), dates and any
extension. One query for the whole table (statuses are annotated on the schools), so
django-filter can filter on them and the page costs the same for 3 or 30 schools."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

import django_filters
from django import forms
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cluster.enums import PhaseKind
from cluster.exports import build_workbook
from cluster.models import EmulationYear, School
from cluster.selectors import members_of_year

from .enums import ProgressStatus
from .models import AnnualReport, Extension, Pledge

ITEMS = ("pledge", "report")


def _progress_case(prefix: str) -> Case:
    return Case(
        When(**{f"{prefix}_status__isnull": True}, then=Value(ProgressStatus.NOT_STARTED)),
        When(
            **{f"{prefix}_status": "submitted", f"{prefix}_late": True},
            then=Value(ProgressStatus.LATE),
        ),
        default=F(f"{prefix}_status"),
        output_field=CharField(),
    )


def progress_queryset(year: EmulationYear) -> QuerySet[School]:
    """The year's members annotated with ``pledge_progress``/``report_progress`` (a
    ProgressStatus value), submission dates, the report version and extensions' dates."""
    pledges = Pledge.objects.filter(year=year, school=OuterRef("pk"))
    reports = AnnualReport.objects.filter(year=year, school=OuterRef("pk"))
    extensions = Extension.objects.filter(year=year, school=OuterRef("pk"))
    return (
        members_of_year(year)
        .annotate(
            pledge_status=Subquery(pledges.values("status")[:1]),
            pledge_late=Subquery(pledges.values("is_late")[:1], output_field=BooleanField()),
            pledge_submitted_at=Subquery(pledges.values("submitted_at")[:1]),
            pledge_updated_at=Subquery(pledges.values("updated_at")[:1]),
            pledge_pk=Subquery(pledges.values("pk")[:1]),
            report_status=Subquery(reports.values("status")[:1]),
            report_late=Subquery(reports.values("is_late")[:1], output_field=BooleanField()),
            report_submitted_at=Subquery(reports.values("submitted_at")[:1]),
            report_updated_at=Subquery(reports.values("updated_at")[:1]),
            report_pk=Subquery(reports.values("pk")[:1]),
            report_version=Subquery(reports.values("version")[:1]),
            pledge_extension=Subquery(
                extensions.filter(phase_kind=PhaseKind.PLEDGE).values("until")[:1]
            ),
            report_extension=Subquery(
                extensions.filter(phase_kind=PhaseKind.REPORT).values("until")[:1]
            ),
        )
        .annotate(
            pledge_progress=_progress_case("pledge"),
            report_progress=_progress_case("report"),
        )
        .order_by("code")
    )


class ProgressFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=gettext_lazy("School"),
        method="filter_school",
        field_name="name",
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
    )
    pledge_progress = django_filters.ChoiceFilter(
        label=gettext_lazy("Pledge"),
        choices=ProgressStatus.choices,
        empty_label=gettext_lazy("All"),
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    report_progress = django_filters.ChoiceFilter(
        label=gettext_lazy("Annual report"),
        choices=ProgressStatus.choices,
        empty_label=gettext_lazy("All"),
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )

    class Meta:
        model = School
        fields: list[str] = []

    def filter_school(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(code__iexact=value))


@dataclass(frozen=True)
class StatusCount:
    value: str
    label: str
    count: int


def status_counts(rows: Iterable[School]) -> dict[str, list[StatusCount]]:
    """How many schools are at each status (every status, in order), for the pledge and
    the report."""
    counters = {item: Counter() for item in ITEMS}
    for row in rows:
        for item in ITEMS:
            counters[item][getattr(row, f"{item}_progress")] += 1
    return {
        item: [StatusCount(s.value, str(s.label), counters[item][s.value]) for s in ProgressStatus]
        for item in ITEMS
    }


def _label(value: str) -> str:
    return str(ProgressStatus(value).label)


def progress_workbook(*, year: EmulationYear, rows: Iterable[School]) -> bytes:
    def day(value):
        return timezone.localtime(value).date() if value is not None else None

    table = [
        (
            index,
            school.code,
            school.name,
            _label(school.pledge_progress),
            day(school.pledge_submitted_at),
            school.pledge_extension,
            _label(school.report_progress),
            day(school.report_submitted_at),
            school.report_version or 0,
            school.report_extension,
        )
        for index, school in enumerate(rows, start=1)
    ]
    return build_workbook(
        sheet_title=_("Progress"),
        heading=_("Progress of pledges and annual reports, %(cluster)s %(year)s")
        % {"cluster": year.cluster.name, "year": year.label},
        headers=[
            _("No."),
            _("Code"),
            _("School"),
            _("Pledge"),
            _("Pledge submitted on"),
            _("Pledge extended until"),
            _("Annual report"),
            _("Report submitted on"),
            _("Report version"),
            _("Report extended until"),
        ],
        rows=table,
    )
