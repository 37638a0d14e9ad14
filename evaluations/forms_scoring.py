"""Forms of cross-scoring. They only validate input; the rules live in services/scoring.py."""

from __future__ import annotations

from decimal import Decimal

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from .enums import AssignmentStatus
from .models import Assignment, Criterion, DeductionReason, ScoringSettings

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SMALL_SELECT = {"class": "form-select form-select-sm"}
POINTS_FIELD = {"max_digits": 7, "decimal_places": 2, "min_value": Decimal("0")}


class ScoringSettingsForm(forms.ModelForm):
    class Meta:
        model = ScoringSettings
        fields = [
            "method",
            "mode",
            "scorers_per_school",
            "gap_threshold_percent",
            "comment_window_days",
        ]
        help_texts = {
            "scorers_per_school": _(
                "Used in rotation mode: each school is scored by this many others."
            ),
            "comment_window_days": _(
                "Days after publication during which members may raise objections."
            ),
        }


class SchoolChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.code} – {obj.name}"


class AssignmentAddForm(forms.Form):
    scorer = SchoolChoiceField(label=_("Scoring school"), queryset=None)
    target = SchoolChoiceField(label=_("School scored"), queryset=None)

    def __init__(self, *args, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scorer"].queryset = members
        self.fields["target"].queryset = members

    def clean(self):
        cleaned = super().clean()
        scorer, target = cleaned.get("scorer"), cleaned.get("target")
        if scorer and target and scorer.pk == target.pk:
            self.add_error("target", _("A school never scores itself."))
        return cleaned


class ReassignForm(forms.Form):
    scorer = SchoolChoiceField(label=_("New scoring school"), queryset=None)

    def __init__(self, *args, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scorer"].queryset = members


class ConflictForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is there a conflict of interest?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


class CrossScoreForm(forms.Form):
    """One score and one comment per criterion: fields ``points_<id>`` and ``comment_<id>``."""

    def __init__(self, *args, rows=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = list(rows)
        for row in self.rows:
            criterion = row.criterion
            maximum = criterion.max_points
            self.fields[f"points_{criterion.pk}"] = forms.DecimalField(
                label=_("Score for %(code)s") % {"code": criterion.code},
                required=False,
                max_value=maximum,
                localize=False,
                widget=forms.NumberInput(attrs={"class": "form-control form-control-sm"}),
                initial=row.cross.points if row.cross else None,
                **POINTS_FIELD,
            )
            self.fields[f"comment_{criterion.pk}"] = forms.CharField(
                label=_("Comment on %(code)s") % {"code": criterion.code},
                required=False,
                max_length=2000,
                widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
                initial=row.cross.comment if row.cross else "",
            )

    def entries(self) -> dict[int, tuple[Decimal | None, str]]:
        return {
            row.criterion.pk: (
                self.cleaned_data.get(f"points_{row.criterion.pk}"),
                self.cleaned_data.get(f"comment_{row.criterion.pk}", ""),
            )
            for row in self.rows
        }

    def bound_rows(self):
        """(row, points field, comment field) for the template."""
        return [
            (row, self[f"points_{row.criterion.pk}"], self[f"comment_{row.criterion.pk}"])
            for row in self.rows
        ]


class CriterionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.code}. {obj.title}"


class ObjectionForm(forms.Form):
    target = SchoolChoiceField(label=_("Result concerned (school)"), queryset=None)
    criterion = CriterionChoiceField(
        label=_("Criterion"),
        queryset=Criterion.objects.none(),
        required=False,
        empty_label=_("General: bonus, deductions or the total"),
    )
    text = forms.CharField(
        label=_("Objection"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )

    def __init__(self, *args, members=None, criteria=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = members
        self.fields["criterion"].queryset = criteria


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Answer"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )


class ApprovalForm(forms.Form):
    approved_points = forms.DecimalField(
        label=_("Points approved"), required=False, localize=False, **POINTS_FIELD
    )
    note = forms.CharField(
        label=_("Reason for the change"),
        required=False,
        max_length=500,
        help_text=_("Required once the results are published; kept in the log."),
    )


class ImposedDeductionForm(forms.Form):
    school = SchoolChoiceField(label=_("School"), queryset=None)
    reason = forms.ModelChoiceField(
        label=_("Reason from the table"),
        queryset=DeductionReason.objects.none(),
        required=False,
        empty_label=_("Other (explain below)"),
    )
    points = forms.DecimalField(label=_("Points deducted"), localize=False, **POINTS_FIELD)
    explanation = forms.CharField(
        label=_("Explanation"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )

    def __init__(self, *args, members=None, reasons=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = members
        if reasons is not None:
            self.fields["reason"].queryset = reasons


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Excel file (.xlsx)"),
        help_text=_(
            "One sheet with the header scorer_code, target_code, criterion_code, points; "
            "one score per row."
        ),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )


class ReminderForm(forms.Form):
    schools = forms.ModelMultipleChoiceField(
        label=_("Remind these schools"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args, schools=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["schools"].queryset = schools


class AssignmentFilter(django_filters.FilterSet):
    """The secretariat's list of assignments (the same filter feeds the .xlsx export)."""

    scorer = django_filters.ModelChoiceFilter(
        label=_("Scoring school"), queryset=None, widget=forms.Select(attrs=SMALL_SELECT)
    )
    target = django_filters.ModelChoiceFilter(
        label=_("School scored"), queryset=None, widget=forms.Select(attrs=SMALL_SELECT)
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=AssignmentStatus.choices,
        empty_label=_("Any status"),
        widget=forms.Select(attrs=SMALL_SELECT),
    )
    conflict_declared = django_filters.BooleanFilter(
        label=_("Conflict declared"), widget=forms.NullBooleanSelect(attrs=SMALL_SELECT)
    )

    class Meta:
        model = Assignment
        fields = ["scorer", "target", "status", "conflict_declared"]

    def __init__(self, *args, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["scorer"].queryset = members
        self.filters["target"].queryset = members
