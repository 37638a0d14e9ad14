"""Forms of the cluster pages. They parse and validate input; the rules live in
cluster.services (a form calls them where a rule decides whether the input is valid)."""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import services
from .models import Cluster, EmulationYear, Event, Movement, Phase, School
from .selectors import members_of_year, members_on, schools_of_cluster

_ID_RE = re.compile(r"\d{1,18}", re.ASCII)


def is_plausible_id(value) -> bool:
    """A primary key as typed in a form: ASCII digits that fit a database integer (a huge
    number would overflow the database driver instead of being 'not a valid choice')."""
    return bool(_ID_RE.fullmatch(str(value)))


class SafeModelChoiceField(forms.ModelChoiceField):
    def to_python(self, value):
        if value not in self.empty_values and not is_plausible_id(value):
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return super().to_python(value)


class SafeModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        for item in value:
            if not is_plausible_id(item):
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": item},
                )
        return super()._check_values(value)


class DateInput(forms.DateInput):
    """The browser's date picker; it sends ISO dates whatever the display language."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def _add_errors(form: forms.Form, errors: dict[str, list[ValidationError]]) -> None:
    for field, field_errors in errors.items():
        for error in field_errors:
            form.add_error(field if field in form.fields else None, error)


class YearForm(forms.ModelForm):
    class Meta:
        model = EmulationYear
        fields = ["label", "period_kind", "start_date", "end_date", "theme", "description"]
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def clean_label(self) -> str:
        label = self.cleaned_data["label"]
        try:
            services.check_year_label(label)
        except ValidationError as error:
            raise ValidationError(error.error_dict["label"])
        return services.normalise_year_label(label)

    def clean(self):
        cleaned = super().clean()
        # At the field, before the model's check constraint would say it without one.
        _add_errors(
            self, services.year_date_errors(cleaned.get("start_date"), cleaned.get("end_date"))
        )
        return cleaned


class PhaseForm(forms.ModelForm):
    class Meta:
        model = Phase
        fields = ["kind", "starts_on", "deadline", "hard_deadline", "note"]
        widgets = {
            "starts_on": DateInput(),
            "deadline": DateInput(),
            "hard_deadline": DateInput(),
        }

    def __init__(self, *args, year: EmulationYear, **kwargs):
        super().__init__(*args, **kwargs)
        self.year = year

    def clean(self):
        cleaned = super().clean()
        draft = Phase(
            year=self.year,
            starts_on=cleaned.get("starts_on"),
            deadline=cleaned.get("deadline"),
            hard_deadline=cleaned.get("hard_deadline"),
        )
        _add_errors(self, services.phase_date_errors(draft, self.year))
        return cleaned


class LeadershipForm(forms.Form):
    head = SafeModelChoiceField(
        label=_("Head (cụm trưởng)"), queryset=School.objects.none(), required=False
    )
    deputies = SafeModelMultipleChoiceField(
        label=_("Deputies (cụm phó)"),
        queryset=School.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("One or two schools."),
    )
    decision_number = forms.CharField(
        label=_("Recognition decision number"),
        max_length=50,
        required=False,
        help_text=_("The Academy's decision recognising the head and deputies."),
    )
    decision_date = forms.DateField(
        label=_("Recognition decision date"), required=False, widget=DateInput()
    )

    def __init__(self, *args, year: EmulationYear, **kwargs):
        super().__init__(*args, **kwargs)
        members = members_of_year(year).order_by("name")
        self.fields["head"].queryset = members
        self.fields["deputies"].queryset = members


class ExistingOrNewSchoolForm(forms.Form):
    """Choose an existing school or describe a new one (code, name, province)."""

    EXISTING = "existing"
    NEW = "new"
    school_prefix = ""

    mode = forms.ChoiceField(
        label=_("School"),
        choices=[(EXISTING, _("An existing school")), (NEW, _("A new school"))],
        initial=EXISTING,
        widget=forms.RadioSelect,
    )
    school = SafeModelChoiceField(
        label=_("Existing school"), queryset=School.objects.none(), required=False
    )
    new_code = forms.CharField(
        label=_("Code of the new school"),
        max_length=20,
        required=False,
        help_text=_("Capital letters and digits, for example HNA."),
    )
    new_name = forms.CharField(label=_("Name of the new school"), max_length=200, required=False)
    new_province = forms.CharField(label=_("Province"), max_length=100, required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("mode") == self.NEW:
            for field in ("new_code", "new_name", "new_province"):
                if not cleaned.get(field):
                    self.add_error(field, _("This field is required for a new school."))
            code = (cleaned.get("new_code") or "").strip().upper()
            if code:
                cleaned["new_code"] = code
                try:
                    School._meta.get_field("code").run_validators(code)
                except ValidationError as error:
                    self.add_error("new_code", error)
                if School.objects.filter(code=code).exists():
                    self.add_error(
                        "new_code",
                        _("A school with the code %(code)s already exists.") % {"code": code},
                    )
        elif cleaned.get("mode") == self.EXISTING and not cleaned.get("school"):
            self.add_error("school", _("Choose a school."))
        return cleaned

    def new_school(self) -> School:
        return School(
            code=self.cleaned_data["new_code"],
            name=self.cleaned_data["new_name"].strip(),
            province=self.cleaned_data["new_province"].strip(),
        )


class AddMemberForm(ExistingOrNewSchoolForm):
    start_date = forms.DateField(
        label=_("Member from"),
        widget=DateInput(),
        help_text=_("The first day of membership."),
    )

    field_order = ["mode", "school", "new_code", "new_name", "new_province", "start_date"]

    def __init__(self, *args, cluster: Cluster, today, **kwargs):
        super().__init__(*args, **kwargs)
        current = members_on(cluster, today).values("pk")
        self.fields["school"].queryset = (
            School.objects.exclude(pk__in=current).filter(merged_into__isnull=True).order_by("name")
        )


class EndMembershipForm(forms.Form):
    end_date = forms.DateField(
        label=_("Last day of membership"),
        widget=DateInput(),
        help_text=_("The school is no longer a member after this day."),
    )


class MergerForm(ExistingOrNewSchoolForm):
    predecessors = SafeModelMultipleChoiceField(
        label=_("Schools that merge"),
        queryset=School.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Their membership ends the day before the effective date. Do not tick the "
            "successor if it absorbs the others."
        ),
    )
    effective_date = forms.DateField(
        label=_("Effective date"), widget=DateInput(), help_text=_("For example 01/07/2025.")
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    field_order = [
        "predecessors",
        "mode",
        "school",
        "new_code",
        "new_name",
        "new_province",
        "effective_date",
        "note",
    ]

    def __init__(self, *args, cluster: Cluster, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mode"].label = _("Successor")
        self.fields["school"].label = _("Existing successor school")
        self.fields["predecessors"].queryset = (
            School.objects.filter(memberships__cluster=cluster, merged_into__isnull=True)
            .distinct()
            .order_by("name")
        )
        self.fields["school"].queryset = School.objects.filter(merged_into__isnull=True).order_by(
            "name"
        )


class SchoolProfileForm(forms.ModelForm):
    # Declared so that an address typed without a scheme is taken as https:// (Django 6's
    # default) instead of the deprecated http:// assumption.
    website = forms.URLField(
        label=School._meta.get_field("website").verbose_name,
        required=False,
        max_length=200,
        assume_scheme="https",
    )

    class Meta:
        model = School
        fields = [
            "name",
            "province",
            "rector",
            "address",
            "phone",
            "email",
            "website",
            "description",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 6})}


class MovementForm(forms.ModelForm):
    class Meta:
        model = Movement
        fields = [
            "title",
            "slogan",
            "description",
            "start_date",
            "end_date",
            "launched_by",
            "launching_school",
        ]
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "description": forms.Textarea(attrs={"rows": 5}),
        }
        field_classes = {"launching_school": SafeModelChoiceField}

    def __init__(self, *args, cluster: Cluster, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["launching_school"].queryset = schools_of_cluster(cluster)

    def clean(self):
        cleaned = super().clean()
        _add_errors(
            self, services.period_date_errors(cleaned.get("start_date"), cleaned.get("end_date"))
        )
        return cleaned


def _check_upload(upload):
    if upload:
        services.check_document_file(upload)  # a ValidationError shown at the field
    return upload


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    file = forms.FileField(
        label=_("File"), help_text=_("PDF, Word (.docx), Excel (.xlsx) or an image.")
    )

    def clean_file(self):
        return _check_upload(self.cleaned_data["file"])


class EventForm(forms.ModelForm):
    minutes_file = forms.FileField(
        label=_("Minutes"),
        required=False,
        help_text=_("PDF, Word (.docx), Excel (.xlsx) or an image. Replaces the current file."),
    )
    remove_minutes = forms.BooleanField(label=_("Remove the current minutes"), required=False)

    class Meta:
        model = Event
        fields = ["kind", "title", "date", "year", "host_school", "location", "description"]
        widgets = {"date": DateInput(), "description": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"year": _("Leave empty to use the year containing the date.")}
        field_classes = {"year": SafeModelChoiceField, "host_school": SafeModelChoiceField}

    def __init__(self, *args, cluster: Cluster, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].queryset = EmulationYear.objects.filter(cluster=cluster).order_by(
            "-start_date"
        )
        self.fields["year"].label_from_instance = lambda year: year.label
        self.fields["host_school"].queryset = schools_of_cluster(cluster)
        if not (self.instance and self.instance.minutes):
            del self.fields["remove_minutes"]

    def clean_minutes_file(self):
        return _check_upload(self.cleaned_data.get("minutes_file"))
