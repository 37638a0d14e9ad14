"""Validation of a document request (the buttons and the year range of the page)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from awards.enums import RoundStatus
from awards.models import VotingRound
from cluster.models import EmulationYear

from .enums import FORMATS_OF_KIND, DocumentFormat, DocumentKind


class YearChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: EmulationYear) -> str:
        return obj.label


class DocumentRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Document"), choices=DocumentKind.choices)
    format = forms.ChoiceField(label=_("Format"), choices=DocumentFormat.choices)
    round = forms.ModelChoiceField(
        label=_("Voting round"), queryset=VotingRound.objects.none(), required=False
    )
    first_year = YearChoiceField(
        label=_("From the year"), queryset=EmulationYear.objects.none(), required=False
    )
    last_year = YearChoiceField(
        label=_("To the year"), queryset=EmulationYear.objects.none(), required=False
    )

    def __init__(self, *args, year: EmulationYear, years=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.year = year
        self.fields["round"].queryset = VotingRound.objects.filter(
            year=year, status=RoundStatus.CLOSED
        )
        cluster_years = EmulationYear.objects.filter(cluster_id=year.cluster_id).order_by(
            "start_date"
        )
        self.fields["first_year"].queryset = cluster_years
        self.fields["last_year"].queryset = cluster_years
        if years is not None:
            # Already loaded by the page: no query to list the choices.
            self.fields["first_year"].choices = [(y.pk, y.label) for y in years]
            self.fields["last_year"].choices = [(y.pk, y.label) for y in years]

    def clean(self):
        data = super().clean()
        kind, fmt = data.get("kind"), data.get("format")
        if kind and fmt and fmt not in FORMATS_OF_KIND.get(kind, ()):
            self.add_error("format", _("This document is not available in that format."))
        if kind == DocumentKind.VOTE_COUNT_MINUTES and not data.get("round"):
            self.add_error("round", _("Choose a closed voting round."))
        if kind == DocumentKind.MULTI_YEAR_SUMMARY:
            first, last = data.get("first_year"), data.get("last_year")
            if first is None:
                self.add_error("first_year", _("Choose the first year."))
            if last is None:
                self.add_error("last_year", _("Choose the last year."))
            if first and last and first.start_date > last.start_date:
                self.add_error("first_year", _("The first year must not come after the last one."))
        return data
