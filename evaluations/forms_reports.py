"""Forms of the report pages (validation only; the rules are in services/reports.py).

The big report form is not a Django form: it has one field per criterion and indicator,
and ``services.reports.save_report_draft`` parses it field by field so that the valid
values are saved even when others are refused.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cluster.enums import PhaseKind
from cluster.models import School

from .models import Extension


class EvidenceUploadForm(forms.Form):
    file = forms.FileField(label=_("File"))
    criterion = forms.IntegerField(required=False, widget=forms.HiddenInput)
    description = forms.CharField(label=_("Description"), max_length=300, required=False)


class ReturnReportForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment for the school"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Say what the school must change before it submits again."),
    )


class AcceptReportForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment (optional)"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class ExtensionForm(forms.Form):
    school = forms.ModelChoiceField(label=_("School"), queryset=School.objects.none())
    phase_kind = forms.ChoiceField(
        label=_("Phase"),
        choices=[
            (PhaseKind.PLEDGE, PhaseKind.PLEDGE.label),
            (PhaseKind.REPORT, PhaseKind.REPORT.label),
        ],
    )
    until = forms.DateField(
        label=_("Extended until"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, schools=None, extension: Extension | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if schools is not None:
            self.fields["school"].queryset = schools
        if extension is not None:
            # Editing: the school and the phase stay; only the date and the reason change.
            del self.fields["school"]
            del self.fields["phase_kind"]
            self.initial.setdefault("until", extension.until)
            self.initial.setdefault("reason", extension.reason)
