"""Forms and list filters for achievements and nominations. They parse and validate input;
the rules live in awards.services.nominations and awards.eligibility."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cluster.forms import DateInput
from cluster.models import School

from .enums import NominationStatus, RecipientKind
from .models import Achievement, AwardType, Nomination, Recipient
from .models.nominations import DossierKind

COLLECTIVE_FIELDS = [
    "members_total",
    "members_completed",
    "members_good_or_excellent",
    "members_with_title",
    "members_disciplined",
]


class RecipientChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Recipient) -> str:
        details = ", ".join(part for part in (obj.position, obj.unit) if part)
        return f"{obj.name} ({details})" if details else obj.name


class NominationForm(forms.ModelForm):
    """A draft nomination. The recipient is chosen among the school's recipients, or
    described (a new person or unit, or the whole school)."""

    recipient = RecipientChoiceField(
        label=_("Recipient already on record"),
        queryset=Recipient.objects.none(),
        required=False,
        empty_label=_("— a new recipient (describe below) —"),
    )
    recipient_name = forms.CharField(
        label=_("Name of the new recipient"), max_length=200, required=False
    )
    recipient_position = forms.CharField(label=_("Position"), max_length=200, required=False)
    recipient_unit = forms.CharField(
        label=_("Unit"),
        max_length=200,
        required=False,
        help_text=_("The department or office, for a person or a unit."),
    )
    whole_school = forms.BooleanField(label=_("The recipient is the whole school"), required=False)
    report_file = forms.FileField(
        label=_("Achievement report"),
        required=False,
        help_text=_("PDF, Word or a scan. Replacing it withdraws its certification."),
    )
    initiative_upload = forms.FileField(
        label=_("Recognition of the initiative or research"), required=False
    )

    class Meta:
        model = Nomination
        fields = [
            "award_type",
            "recipient",
            "achievement_summary",
            "initiative",
            *COLLECTIVE_FIELDS,
            "planned_decision_date",
        ]
        widgets = {
            "achievement_summary": forms.Textarea(attrs={"rows": 6}),
            "initiative": forms.Textarea(attrs={"rows": 3}),
            "planned_decision_date": DateInput(),
        }

    def __init__(self, *args, school: School, **kwargs):
        super().__init__(*args, **kwargs)
        self.school = school
        self.fields["award_type"].queryset = AwardType.objects.filter(is_active=True).order_by(
            "order", "code"
        )
        self.fields["recipient"].queryset = Recipient.objects.filter(school=school).order_by(
            "kind", "name"
        )
        for name in COLLECTIVE_FIELDS:
            self.fields[name].help_text = _("For a collective only.")

    def clean(self):
        cleaned = super().clean()
        if (
            not cleaned.get("recipient")
            and not cleaned.get("whole_school")
            and not (cleaned.get("recipient_name") or "").strip()
        ):
            self.add_error(
                "recipient_name",
                _("Choose a recipient on record, or give the new recipient's name."),
            )
        numbers = {name: cleaned.get(name) for name in COLLECTIVE_FIELDS}
        total = numbers.pop("members_total")
        if total is not None:
            for name, value in numbers.items():
                if value is not None and value > total:
                    self.add_error(
                        name,
                        _("Cannot exceed the number of members (%(total)s).") % {"total": total},
                    )
        return cleaned

    def new_recipient_kind(self) -> str:
        award_type = self.cleaned_data.get("award_type")
        if self.cleaned_data.get("whole_school"):
            return RecipientKind.COLLECTIVE
        return award_type.recipient_kind if award_type else RecipientKind.INDIVIDUAL


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Your comment"), widget=forms.Textarea(attrs={"rows": 3}))


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("What needs to change"), widget=forms.Textarea(attrs={"rows": 4})
    )


class WithdrawForm(forms.Form):
    comment = forms.CharField(
        label=_("Reason (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class PublishForm(forms.Form):
    comment_days = forms.IntegerField(
        label=_("Comment window (days)"), min_value=1, max_value=60, initial=7
    )


class DecideForm(forms.Form):
    decision_number = forms.CharField(label=_("Decision number"), max_length=60)
    decision_date = forms.DateField(label=_("Decision date"), widget=DateInput())
    issuer = forms.CharField(
        label=_("Issued by"),
        max_length=200,
        required=False,
        help_text=_("Empty: the award type's issuing authority."),
    )


class RefuseForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the refusal"), widget=forms.Textarea(attrs={"rows": 3})
    )


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for revoking"), widget=forms.Textarea(attrs={"rows": 3})
    )
    reference = forms.CharField(
        label=_("Reference of the revoking decision"),
        max_length=100,
        help_text=_("For example 15/QĐ-HVCTQG of 01/06/2026."),
    )
    revoked_on = forms.DateField(label=_("Revoked on"), widget=DateInput())


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Workbook (.xlsx)"),
        help_text=_(
            "Columns: school_code, recipient_kind, name, position, unit, award_code, year, "
            "decision_number, decision_date, issuer."
        ),
    )


class DossierDocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Document"), choices=DossierKind.choices)
    number = forms.CharField(label=_("Number"), max_length=60, required=False)
    date = forms.DateField(label=_("Date"), required=False, widget=DateInput())
    file = forms.FileField(label=_("File"))


# --- Filters ---------------------------------------------------------------------------------


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


class AchievementFilter(django_filters.FilterSet):
    award_type = django_filters.ModelChoiceFilter(
        label=_("Award type"),
        queryset=AwardType.objects.order_by("order", "code"),
        empty_label=_("All types"),
    )
    period_year = django_filters.NumberFilter(label=_("Year"))
    q = django_filters.CharFilter(
        label=_("Search"),
        method=lambda qs, name, value: _search(
            ["recipient__name", "recipient__unit", "decision_number"]
        )(qs, name, value),
    )

    class Meta:
        model = Achievement
        fields = ["award_type", "period_year", "q"]


class NominationFilter(django_filters.FilterSet):
    school = django_filters.ModelChoiceFilter(
        label=_("School"), queryset=School.objects.none(), empty_label=_("All schools")
    )
    award_type = django_filters.ModelChoiceFilter(
        label=_("Award type"),
        queryset=AwardType.objects.order_by("order", "code"),
        empty_label=_("All types"),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=NominationStatus.choices, empty_label=_("All statuses")
    )
    q = django_filters.CharFilter(
        label=_("Search"),
        method=lambda qs, name, value: _search(["recipient__name", "recipient__unit"])(
            qs, name, value
        ),
    )

    class Meta:
        model = Nomination
        fields = ["school", "award_type", "status", "q"]

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["school"].queryset = schools
        for field in self.form.fields.values():
            small = (
                "form-select form-select-sm"
                if isinstance(field.widget, forms.Select)
                else ("form-control form-control-sm")
            )
            field.widget.attrs["class"] = small
