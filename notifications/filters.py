"""The outbox filter (the same filter feeds the .xlsx export)."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cluster.filters import BootstrapFilterSet, SafeModelChoiceFilter
from cluster.models import Cluster, School
from cluster.selectors import schools_of_cluster

from .enums import OutboxStatus, ReminderKind
from .models import OutboxMessage


class OutboxFilter(BootstrapFilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=OutboxStatus.choices, empty_label=_("All statuses")
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=ReminderKind.choices, empty_label=_("All kinds")
    )
    school = SafeModelChoiceFilter(
        label=_("School"), queryset=School.objects.none(), empty_label=_("All schools")
    )
    q = django_filters.CharFilter(label=_("Search"), method="search")

    class Meta:
        model = OutboxMessage
        fields = ["status", "kind", "school", "q"]

    def __init__(self, *args, cluster: Cluster, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["school"].queryset = schools_of_cluster(cluster)

    def search(self, queryset, name, value):
        value = (value or "").strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(subject__icontains=value)
            | Q(to_email__icontains=value)
            | Q(recipient__full_name__icontains=value)
        )
