"""Forms of the accounts app: they validate, services write."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .enums import Role
from .models import User


class EmailLoginForm(AuthenticationForm):
    """Sign in with the email address, in any letter case."""

    username = forms.EmailField(
        label=_("Email"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
    error_messages = {
        "invalid_login": _(
            "The email address or the password is incorrect. Check both and try again."
        ),
        "inactive": _("This account has been deactivated. Ask your cluster secretariat."),
    }

    def clean_username(self) -> str:
        # Lower case before authenticate(): the lookup ignores case anyway, and axes then
        # counts "An@x.vn" and "an@x.vn" as the same account.
        return self.cleaned_data["username"].strip().lower()


class LocalisedPasswordResetForm(PasswordResetForm):
    """Sends the reset email in the language the user chose."""

    email = forms.EmailField(
        label=_("Email"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        language = getattr(context.get("user"), "language", None) or translation.get_language()
        # Links point at SITE_URL, not at whatever Host header the request carried.
        context = {**context, "site_url": settings.SITE_URL}
        with translation.override(language):
            super().send_mail(subject_template_name, email_template_name, context, *args, **kwargs)


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["full_name", "position", "phone", "language"]
        widgets = {"phone": forms.TextInput(attrs={"autocomplete": "tel"})}


class InviteForm(forms.Form):
    """Role choices, clusters and schools are limited to what the inviter may invite."""

    email = forms.EmailField(label=_("Email"), max_length=254)
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    role = forms.ChoiceField(label=_("Role"))
    cluster = forms.ModelChoiceField(
        label=_("Cluster"),
        queryset=None,
        required=False,
        help_text=_("For a secretariat member."),
    )
    school = forms.ModelChoiceField(
        label=_("School"),
        queryset=None,
        required=False,
        help_text=_("For a school representative: the member schools of the cluster."),
    )

    def __init__(self, *args, roles, clusters, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(r.value, r.label) for r in Role if r.value in roles]
        self.fields["cluster"].queryset = clusters
        self.fields["school"].queryset = schools
        if Role.REPRESENTATIVE in roles:
            self.fields["role"].initial = Role.REPRESENTATIVE

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()

    def clean(self):
        data = super().clean()
        role = data.get("role")
        if role == Role.SECRETARIAT:
            if not data.get("cluster"):
                self.add_error("cluster", _("A secretariat member needs a cluster."))
            data["school"] = None
        elif role == Role.REPRESENTATIVE:
            if not data.get("school"):
                self.add_error("school", _("A school representative needs a school."))
            data["cluster"] = None
        elif role:
            data["cluster"] = data["school"] = None
        return data


class AcceptInvitationForm(forms.Form):
    """The new password, twice, checked by Django's validators."""

    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Password (again)"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, invitation, **kwargs):
        super().__init__(*args, **kwargs)
        self.invitation = invitation
        # Built per request, so the rules are listed in the reader's language.
        self.fields[
            "password1"
        ].help_text = password_validation.password_validators_help_text_html()

    def clean_password2(self) -> str:
        password1 = self.cleaned_data.get("password1")
        password2 = self.cleaned_data.get("password2")
        if password1 and password2 and password1 != password2:
            raise forms.ValidationError(_("The two passwords do not match."))
        return password2

    def clean(self):
        data = super().clean()
        password = data.get("password2")
        if password and not self.errors:
            probe = User(email=self.invitation.email, full_name=self.invitation.full_name)
            try:
                password_validation.validate_password(password, user=probe)
            except forms.ValidationError as error:
                self.add_error("password2", error)
        return data
