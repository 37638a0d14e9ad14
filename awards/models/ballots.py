"""Secret ballots. Secrecy by construction (DOMAIN rules 7, 12, 14):

- ``Participation`` records *that* a school voted (with a time, for turnout);
- ``Ballot`` records *what* was chosen, with a random UUID key, a random receipt code, no
  school, no user and no timestamp. Nothing joins the two tables. At closing the round's
  ballots are rewritten in random order so that not even the physical insertion order
  (SQLite rowid, PostgreSQL ctid) follows the order of voting.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cluster.enums import LeadershipRole

from ..enums import Answer, RoundKind, RoundStatus, ThresholdBase

PERCENT = {
    "max_digits": 5,
    "decimal_places": 2,
    "validators": [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
}


class VotingRound(models.Model):
    year = models.ForeignKey(
        "cluster.EmulationYear",
        on_delete=models.CASCADE,
        related_name="voting_rounds",
        verbose_name=_("year"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=RoundKind.choices)
    title = models.CharField(_("title"), max_length=300)
    max_choices = models.PositiveSmallIntegerField(_("choose at most"), default=1)
    # For an election: which seat this round fills.
    seat = models.CharField(_("seat"), max_length=10, choices=LeadershipRole.choices, blank=True)
    award_type = models.ForeignKey(
        "awards.AwardType",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("award type"),
    )
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    status = models.CharField(
        _("status"), max_length=10, choices=RoundStatus.choices, default=RoundStatus.DRAFT
    )
    quorum_percent = models.DecimalField(
        _("quorum, in percent of the electorate"), **PERCENT, default=Decimal("66.67")
    )
    threshold_percent = models.DecimalField(
        _("threshold, more than this percentage"), **PERCENT, default=Decimal("50")
    )
    threshold_base = models.CharField(
        _("threshold counted over"),
        max_length=12,
        choices=ThresholdBase.choices,
        default=ThresholdBase.ELECTORATE,
    )
    electorate_size = models.PositiveSmallIntegerField(_("electorate"), null=True, blank=True)
    runoff_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="runoffs",
        verbose_name=_("runoff of"),
    )
    result = models.JSONField(_("result"), default=dict, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["year", "opens_at", "pk"]
        verbose_name = _("voting round")
        verbose_name_plural = _("voting rounds")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="round_closes_after_opening"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.title}"


class Candidate(models.Model):
    """What a ballot can choose: a school (leading unit, Bằng khen, election) or a
    nomination (yes/no)."""

    round = models.ForeignKey(
        VotingRound, on_delete=models.CASCADE, related_name="candidates", verbose_name=_("round")
    )
    school = models.ForeignKey(
        "cluster.School",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("school"),
    )
    nomination = models.ForeignKey(
        "awards.Nomination",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="candidacies",
        verbose_name=_("nomination"),
    )
    label = models.CharField(_("label"), max_length=300)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    votes = models.PositiveIntegerField(_("votes (yes)"), null=True, blank=True)
    votes_no = models.PositiveIntegerField(_("votes (no)"), null=True, blank=True)
    passed = models.BooleanField(_("passed"), null=True, blank=True)

    class Meta:
        ordering = ["round", "order", "pk"]
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "school"],
                condition=Q(school__isnull=False),
                name="candidate_school_once",
            ),
            models.UniqueConstraint(
                fields=["round", "nomination"],
                condition=Q(nomination__isnull=False),
                name="candidate_nomination_once",
            ),
        ]

    def __str__(self) -> str:
        return self.label


class Participation(models.Model):
    """That a school voted in a round (turnout). Never linked to its ballot."""

    round = models.ForeignKey(
        VotingRound,
        on_delete=models.CASCADE,
        related_name="participations",
        verbose_name=_("round"),
    )
    school = models.ForeignKey(
        "cluster.School", on_delete=models.PROTECT, related_name="+", verbose_name=_("school")
    )
    voted_at = models.DateTimeField(_("voted at"), auto_now_add=True)

    class Meta:
        ordering = ["round", "school__code"]
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [
            models.UniqueConstraint(fields=["round", "school"], name="one_ballot_per_school")
        ]

    def __str__(self) -> str:
        return f"{self.round}: {self.school.code}"


def _receipt_code() -> str:
    import secrets

    return secrets.token_hex(6).upper()


class Ballot(models.Model):
    """What was chosen. Random key and receipt; no school, user or time."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(
        VotingRound, on_delete=models.CASCADE, related_name="ballots", verbose_name=_("round")
    )
    receipt = models.CharField(_("receipt code"), max_length=20, unique=True, default=_receipt_code)

    class Meta:
        ordering = ["round", "receipt"]
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")

    def __str__(self) -> str:
        return self.receipt


class BallotChoice(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ballot = models.ForeignKey(
        Ballot, on_delete=models.CASCADE, related_name="choices", verbose_name=_("ballot")
    )
    candidate = models.ForeignKey(
        Candidate, on_delete=models.CASCADE, related_name="+", verbose_name=_("candidate")
    )
    answer = models.CharField(_("answer"), max_length=3, choices=Answer.choices, default=Answer.YES)

    class Meta:
        verbose_name = _("ballot choice")
        verbose_name_plural = _("ballot choices")
        constraints = [
            models.UniqueConstraint(fields=["ballot", "candidate"], name="choice_once_per_ballot")
        ]

    def __str__(self) -> str:
        return f"{self.ballot}: {self.candidate} {self.answer}"
