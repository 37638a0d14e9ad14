"""Filters of the lists a secretariat works from (the same filter feeds the .xlsx export)."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .enums import EventKind
from .forms import is_plausible_id
from .models import Cluster, EmulationYear, Event, Movement, School
from .selectors import schools_of_cluster


def _search(fields: list[str]):
    def method(queryset, name, value):
        value = (value or "").strip()
        if not value:
            return queryset
        condition = Q()
        for field in fields:
            condition |= Q(**{f"{field}__icontains": value})
        return queryset.filter(condition)

    return method


class _SafeFilterModelChoiceField(django_filters.fields.ModelChoiceField):
    def to_python(self, value):
        if value not in self.empty_values and not is_plausible_id(value):
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super().to_python(value)


class SafeModelChoiceFilter(django_filters.ModelChoiceFilter):
    """A huge or non-ASCII id in the query string is an invalid choice, not a crash."""

    field_class = _SafeFilterModelChoiceField


class BootstrapFilterSet(django_filters.FilterSet):
    """Filter forms styled for Bootstrap (the list templates render the fields one by one)."""

    @property
    def form(self):
        form = super().form
        for field in form.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)
        if "year" in form.fields:
            form.fields["year"].label_from_instance = lambda year: year.label
        return form


class MemberFilter(BootstrapFilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method=lambda qs, name, value: _search(["name", "code", "province"])(qs, name, value),
    )

    class Meta:
        model = School
        fields: list[str] = []


class EventFilter(BootstrapFilterSet):
    year = SafeModelChoiceFilter(
        label=_("Year"), queryset=EmulationYear.objects.none(), empty_label=_("All years")
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=EventKind.choices, empty_label=_("All kinds")
    )
    host_school = SafeModelChoiceFilter(
        label=_("Host school"), queryset=School.objects.none(), empty_label=_("All schools")
    )
    q = django_filters.CharFilter(
        label=_("Search"),
        method=lambda qs, name, value: _search(["title", "location"])(qs, name, value),
    )

    class Meta:
        model = Event
        fields = ["year", "kind", "host_school", "q"]

    def __init__(self, *args, cluster: Cluster, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["year"].queryset = EmulationYear.objects.filter(cluster=cluster).order_by(
            "-start_date"
        )
        self.filters["host_school"].queryset = schools_of_cluster(cluster)


class MovementFilter(BootstrapFilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method=lambda qs, name, value: _search(["title", "slogan", "launched_by"])(qs, name, value),
    )

    class Meta:
        model = Movement
        fields = ["q"]
