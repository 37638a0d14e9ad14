"""Forms for voting rounds and ballots. They validate; the rules live in
awards.services.ballots (the round form asks it whether the round is valid)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cluster.enums import LeadershipRole

from .enums import Answer, RoundKind
from .models import Candidate, VotingRound
from .services import ballots as services

# On a ballot "yes" and "no" read as agreeing or not (đồng ý / không đồng ý), not as the
# generic yes/no of a boolean field.
ANSWER_LABELS = {Answer.YES: _("Agree"), Answer.NO: _("Disagree")}


class DateTimeInput(forms.DateTimeInput):
    """The browser's date and time picker (ISO values whatever the display language)."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class RoundForm(forms.ModelForm):
    """A round's settings. ``kind`` and ``year`` are set on the instance by the view."""

    class Meta:
        model = VotingRound
        fields = [
            "title",
            "seat",
            "award_type",
            "max_choices",
            "opens_at",
            "closes_at",
            "quorum_percent",
            "threshold_percent",
            "threshold_base",
        ]
        widgets = {"opens_at": DateTimeInput(), "closes_at": DateTimeInput()}
        help_texts = {
            "quorum_percent": _("Two thirds: 66.67. Counted over all the year's members."),
            "threshold_percent": _(
                "A candidate passes with more votes than this share of the base, e.g. 50 "
                "means more than half."
            ),
            "award_type": _(
                "For a yes/no round on an award type's nominations, the type's rule in force "
                "on the round date sets the threshold when it has one."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        kind = self.instance.kind
        for name in ("opens_at", "closes_at"):
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
        if kind == RoundKind.ELECTION:
            self.fields["seat"].required = True
            self.fields["seat"].choices = [("", "---------"), *LeadershipRole.choices]
            del self.fields["award_type"]
        else:
            del self.fields["seat"]
        if kind == RoundKind.YES_NO:
            del self.fields["max_choices"]
        elif kind == RoundKind.ELECTION:
            self.fields["max_choices"].help_text = _("Head: 1. Deputies: 1 or 2.")
        else:
            self.fields["max_choices"].help_text = _(
                "How many candidates each ballot may choose (the seats to fill)."
            )

    def clean(self):
        cleaned = super().clean()
        for name, value in cleaned.items():
            setattr(self.instance, name, value)
        if "seat" not in self.fields:
            self.instance.seat = ""
        for field, errors in services.round_errors(self.instance).items():
            for error in errors:
                self.add_error(field if field in self.fields else None, error)
        return cleaned


class CandidateForm(forms.Form):
    """Add a school (choose, election) or a nomination (yes/no) to a prepared round."""

    school = forms.ModelChoiceField(
        label=_("School"),
        queryset=None,
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    nomination = forms.ModelChoiceField(
        label=_("Nomination"),
        queryset=None,
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args, voting_round: VotingRound, **kwargs):
        super().__init__(*args, **kwargs)
        self.voting_round = voting_round
        if voting_round.kind == RoundKind.YES_NO:
            del self.fields["school"]
            taken = Candidate.objects.filter(round=voting_round).values("nomination_id")
            queryset = services.eligible_nominations(voting_round).exclude(pk__in=taken)
            self.fields["nomination"].queryset = queryset
            self.fields["nomination"].required = True
        else:
            del self.fields["nomination"]
            taken = Candidate.objects.filter(round=voting_round).values("school_id")
            queryset = services.eligible_schools(voting_round).exclude(pk__in=taken)
            self.fields["school"].queryset = queryset.order_by("name")
            self.fields["school"].required = True


class BallotForm(forms.Form):
    """The ballot: check up to N candidates, or answer yes or no on each nomination."""

    def __init__(self, *args, voting_round: VotingRound, candidates: list[Candidate], **kwargs):
        super().__init__(*args, **kwargs)
        self.voting_round = voting_round
        self.candidates = candidates
        if voting_round.kind == RoundKind.YES_NO:
            for candidate in candidates:
                self.fields[f"c{candidate.pk}"] = forms.ChoiceField(
                    label=candidate.label,
                    choices=list(ANSWER_LABELS.items()),
                    widget=forms.RadioSelect,
                    error_messages={"required": _("Answer yes or no.")},
                )
        else:
            self.fields["chosen"] = forms.TypedMultipleChoiceField(
                label=_("Your choice"),
                choices=[(c.pk, c.label) for c in candidates],
                coerce=int,
                widget=forms.CheckboxSelectMultiple,
                required=False,
                help_text=_("Choose at most %(max)d. A ballot with no choice is a blank ballot.")
                % {"max": voting_round.max_choices},
            )

    def clean_chosen(self):
        chosen = self.cleaned_data["chosen"]
        if len(chosen) > self.voting_round.max_choices:
            raise forms.ValidationError(
                _("Choose at most %(max)d."),
                code="too_many_choices",
                params={"max": self.voting_round.max_choices},
            )
        return chosen

    def answers(self) -> dict[int, str]:
        if self.voting_round.kind == RoundKind.YES_NO:
            return {c.pk: self.cleaned_data[f"c{c.pk}"] for c in self.candidates}
        return dict.fromkeys(self.cleaned_data["chosen"], Answer.YES.value)

    def choice_fields(self):
        return [self[f"c{c.pk}"] for c in self.candidates]
