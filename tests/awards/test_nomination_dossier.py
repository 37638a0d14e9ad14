"""Dossier completeness (DOMAIN rule 13): submission, minutes with the ballot result,
certified achievement report, score summary."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from awards.enums import NominationStatus as S
from awards.enums import RoundKind, RoundStatus
from awards.models import Candidate, VotingRound
from awards.models.nominations import DossierKind
from awards.selectors_nominations import dossier_of
from awards.services.nominations import add_dossier_document

from .nominations_support import *  # noqa: F403
from .nominations_support import make_recipient, nominate, pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def nomination(cluster4, awards):
    return nominate(
        cluster4.year,
        cluster4.school_a,
        make_recipient(cluster4.school_a, "Người đề nghị"),
        awards["LDTT"],
        status=S.APPROVED,
        achievement_report_certified=True,
    )


def complete(nomination) -> dict[str, bool]:
    return {item.code: item.complete for item in dossier_of(nomination)}


def upload(year, kind, secretariat):
    add_dossier_document(year=year, kind=kind, file=pdf(), by=secretariat, number="1/TTr")


def vote(nomination, status=RoundStatus.CLOSED):
    now = timezone.now()
    voting_round = VotingRound.objects.create(
        year=nomination.year,
        kind=RoundKind.YES_NO,
        title="Biểu quyết",
        opens_at=now - dt.timedelta(hours=2),
        closes_at=now - dt.timedelta(hours=1),
        status=status,
    )
    Candidate.objects.create(round=voting_round, nomination=nomination, label="x")


def freeze(year, fingerprint="cd" * 32):
    from evaluations.models import ScoringSettings

    ScoringSettings.objects.create(year=year, stage="frozen", fingerprint=fingerprint)


def test_nothing_yet(nomination):
    assert complete(nomination) == {
        "submission": False,
        "minutes": False,
        "report": True,
        "scores": False,
    }


def test_submission_uploaded(nomination, secretariat):
    upload(nomination.year, DossierKind.SUBMISSION, secretariat)
    assert complete(nomination)["submission"] is True


def test_submission_of_another_year_does_not_count(nomination, secretariat, cluster4):
    from tests import factories as f

    other = f.EmulationYearFactory(cluster=cluster4.cluster, label="2025")
    upload(other, DossierKind.SUBMISSION, secretariat)
    assert complete(nomination)["submission"] is False


def test_minutes_need_closed_round_and_document(nomination, secretariat):
    upload(nomination.year, DossierKind.MINUTES, secretariat)
    assert complete(nomination)["minutes"] is False  # no round
    vote(nomination, RoundStatus.OPEN)
    assert complete(nomination)["minutes"] is False  # round still open
    vote(nomination, RoundStatus.CLOSED)
    assert complete(nomination)["minutes"] is True


def test_closed_round_without_minutes_document(nomination):
    vote(nomination)
    items = {item.code: item for item in dossier_of(nomination)}
    assert items["minutes"].complete is False


def test_report_uncertified_or_missing(nomination):
    nomination.achievement_report_certified = False
    assert complete(nomination)["report"] is False
    nomination.achievement_report_certified = True
    nomination.achievement_report = ""
    assert complete(nomination)["report"] is False


def test_scores_frozen_with_fingerprint(nomination):
    freeze(nomination.year)
    assert complete(nomination)["scores"] is True


def test_scores_frozen_without_fingerprint_is_incomplete(nomination):
    freeze(nomination.year, fingerprint="")
    assert complete(nomination)["scores"] is False


def test_scores_published_not_frozen(nomination):
    from evaluations.models import ScoringSettings

    ScoringSettings.objects.create(year=nomination.year, stage="published", fingerprint="ab" * 32)
    assert complete(nomination)["scores"] is False


def test_everything_complete(nomination, secretariat):
    upload(nomination.year, DossierKind.SUBMISSION, secretariat)
    upload(nomination.year, DossierKind.MINUTES, secretariat)
    vote(nomination)
    freeze(nomination.year)
    assert set(complete(nomination).values()) == {True}
