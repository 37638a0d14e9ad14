"""Forms of the criteria, indicator and pledge pages. They parse what was typed; the rules
live in evaluations.services.criteria and evaluations.services.pledges."""

from __future__ import annotations

import django_filters
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .enums import SubmissionStatus
from .models import Indicator
from .selectors_criteria import NO_PLEDGE
from .services.criteria import parse_decimal, points_problem
from .services.pledges import target_field

MAX_IMPORT_SIZE = 5 * 1024 * 1024


def _points(value: str, *, required: bool):
    try:
        number = parse_decimal(value)
    except ValueError:
        raise ValidationError(_("Enter a number, e.g. 5 or 2,5."), code="invalid")
    problem = points_problem(number, required=required)
    if problem:
        raise ValidationError(problem, code="invalid")
    return number


class CriterionRowForm(forms.Form):
    """One row of the table editor. A row whose code has no dot is a group."""

    pk = forms.IntegerField(required=False, widget=forms.HiddenInput)
    order = forms.IntegerField(
        label=_("Order"),
        required=False,
        widget=forms.NumberInput(
            attrs={"class": "form-control form-control-sm", "step": 1, "style": "width: 5.5rem"}
        ),
    )
    code = forms.CharField(
        label=_("Code"),
        required=False,
        max_length=20,
        widget=forms.TextInput(
            attrs={"class": "form-control form-control-sm", "style": "width: 5rem"}
        ),
    )
    title = forms.CharField(
        label=_("Title"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"class": "form-control form-control-sm", "rows": 2}),
    )
    max_points = forms.CharField(
        label=_("Maximum points"),
        required=False,
        widget=forms.TextInput(
            attrs={
                "class": "form-control form-control-sm",
                "style": "width: 6rem",
                "inputmode": "decimal",
            }
        ),
    )
    evidence_required = forms.BooleanField(
        label=_("Evidence required"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    guidance = forms.CharField(
        label=_("Guidance"),
        required=False,
        widget=forms.Textarea(attrs={"class": "form-control form-control-sm", "rows": 2}),
    )
    remove = forms.BooleanField(
        label=_("Remove"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )

    def clean_max_points(self):
        return _points(self.cleaned_data["max_points"], required=False)

    @property
    def is_blank(self) -> bool:
        data = self.cleaned_data
        return not (data.get("code") or data.get("title") or data.get("max_points") is not None)


class DeductionRowForm(forms.Form):
    pk = forms.IntegerField(required=False, widget=forms.HiddenInput)
    title = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
    )
    points = forms.CharField(
        label=_("Points deducted"),
        required=False,
        widget=forms.TextInput(
            attrs={"class": "form-control form-control-sm", "size": 6, "inputmode": "decimal"}
        ),
    )
    remove = forms.BooleanField(
        label=_("Remove"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )

    def clean_points(self):
        return _points(self.cleaned_data["points"], required=False)

    @property
    def is_blank(self) -> bool:
        data = self.cleaned_data
        return not (data.get("title") or data.get("points") is not None)


CriterionRowFormSet = forms.formset_factory(CriterionRowForm, extra=3, max_num=1000)
DeductionRowFormSet = forms.formset_factory(DeductionRowForm, extra=2, max_num=100)


class TableSettingsForm(forms.Form):
    bonus_cap = forms.CharField(
        label=_("Bonus cap"),
        help_text=_("Maximum bonus points (điểm thưởng) a school can receive."),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "form-control"}),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
    )

    def clean_bonus_cap(self):
        return _points(self.cleaned_data["bonus_cap"], required=True)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Criteria file (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise ValidationError(_("Choose an .xlsx file."), code="extension")
        if upload.size > getattr(settings, "CRITERIA_IMPORT_MAX_SIZE", MAX_IMPORT_SIZE):
            raise ValidationError(_("The file is too large."), code="size")
        return upload


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for reopening"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Recorded, and shown to the schools that have already self-scored."),
    )


class IndicatorForm(forms.ModelForm):
    class Meta:
        model = Indicator
        fields = ["code", "name", "unit"]


class PledgeForm(forms.Form):
    """Targets (one field per indicator, kept as typed so an invalid number is shown back),
    commitments and registered titles."""

    commitments = forms.CharField(
        label=_("Commitments"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    registered_titles = forms.CharField(
        label=_("Titles registered"),
        required=False,
        help_text=_("The emulation titles and awards the school registers to compete for."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, indicators: list[Indicator], **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators = indicators
        targets = {}
        for indicator in indicators:
            targets[target_field(indicator)] = forms.CharField(
                label=f"{indicator.name} ({indicator.unit})",
                required=False,
                max_length=30,
                widget=forms.TextInput(attrs={"inputmode": "decimal"}),
            )
        # Targets first, in the indicators' order.
        self.fields = {**targets, **self.fields}

    def target_fields(self):
        return [self[target_field(indicator)] for indicator in self.indicators]

    def service_data(self) -> dict:
        return {
            "commitments": self.cleaned_data.get("commitments", ""),
            "registered_titles": self.cleaned_data.get("registered_titles", ""),
            "targets": {
                indicator.pk: self.cleaned_data.get(target_field(indicator), "")
                for indicator in self.indicators
            },
        }


class ReturnPledgeForm(forms.Form):
    comment = forms.CharField(
        label=_("What the school should change"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CovenantFilter(django_filters.FilterSet):
    """Filters the covenant's columns (member schools) by the state of their pledge."""

    pledge_status = django_filters.ChoiceFilter(
        label=_("Pledge status"),
        choices=[(NO_PLEDGE, _("Not started")), *SubmissionStatus.choices],
        empty_label=_("All schools"),
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    name = django_filters.CharFilter(
        label=_("School"),
        method="filter_name",
        widget=forms.TextInput(attrs={"type": "search", "class": "form-control form-control-sm"}),
    )

    def filter_name(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(code__icontains=value))
