"""Forms of the notifications app: validation only."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cluster.models import Cluster, EmulationYear, School
from cluster.selectors import schools_of_cluster

from .enums import DeadlineKind


class SendNowForm(forms.Form):
    """Send a reminder now to one school for one deadline of a year."""

    year = forms.ModelChoiceField(label=_("Year"), queryset=EmulationYear.objects.none())
    school = forms.ModelChoiceField(label=_("School"), queryset=School.objects.none())
    kind = forms.ChoiceField(label=_("Deadline"), choices=DeadlineKind.choices)

    def __init__(self, *args, cluster: Cluster, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].queryset = EmulationYear.objects.filter(cluster=cluster).order_by(
            "-start_date"
        )
        self.fields["year"].label_from_instance = lambda year: year.label
        self.fields["school"].queryset = schools_of_cluster(cluster)
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select"
