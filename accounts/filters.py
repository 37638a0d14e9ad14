"""Filter of the user list (the same filter feeds the .xlsx export)."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cluster.models import School

from .enums import Role
from .models import User
from .selectors import schools_in_scope


def _search(queryset, name, value):
    value = (value or "").strip()
    if not value:
        return queryset
    return queryset.filter(Q(full_name__icontains=value) | Q(email__icontains=value))


class UserFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name or email"), method=_search)
    role = django_filters.ChoiceFilter(
        label=_("Role"), choices=Role.choices, empty_label=_("All roles")
    )
    school = django_filters.ModelChoiceFilter(
        label=_("School"), queryset=School.objects.none(), empty_label=_("All schools")
    )
    is_active = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[("1", _("Active")), ("0", _("Deactivated"))],
        empty_label=_("All"),
        method="filter_active",
    )

    class Meta:
        model = User
        fields: list[str] = []

    def __init__(self, data=None, queryset=None, *, request=None, **kwargs):
        super().__init__(data, queryset, request=request, **kwargs)
        self.filters["school"].queryset = schools_in_scope(request.user)
        for field in self.form.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)

    def filter_active(self, queryset, name, value):
        if value in ("0", "1"):
            return queryset.filter(is_active=value == "1")
        return queryset
