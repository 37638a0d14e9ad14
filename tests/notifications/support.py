"""Helpers and fixtures of the reminder tests (imported by conftest.py and the tests).

``cluster4`` has pledge (deadline 15/03/2026) and report (31/10/2026) phases; here we add a
cross-scoring phase (deadline 20/11/2026). Days used below, relative to the deadlines:
7, 3 and 1 days before, the day after, and a day with nothing due.
"""

from __future__ import annotations

import datetime as dt
import smtplib

import pytest
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.utils import timezone

from awards.enums import RoundKind, RoundStatus
from awards.models import Participation, VotingRound
from cluster.enums import PhaseKind
from evaluations.enums import AssignmentStatus, SubmissionStatus
from evaluations.models import AnnualReport, Assignment, Extension, Pledge
from tests import factories as f

PLEDGE_DEADLINE = dt.date(2026, 3, 15)
REPORT_DEADLINE = dt.date(2026, 10, 31)
SCORING_DEADLINE = dt.date(2026, 11, 20)


def days_before(deadline: dt.date, days: int) -> dt.date:
    return deadline - dt.timedelta(days=days)


@pytest.fixture
def scoring_phase(cluster4):
    return f.PhaseFactory(
        year=cluster4.year,
        kind=PhaseKind.CROSS_SCORING,
        starts_on=dt.date(2026, 11, 5),
        deadline=SCORING_DEADLINE,
    )


def make_pledge(year, school, status=SubmissionStatus.DRAFT, comment: str = "") -> Pledge:
    return Pledge.objects.create(year=year, school=school, status=status, return_comment=comment)


def make_report(year, school, status=SubmissionStatus.DRAFT, comment: str = "") -> AnnualReport:
    return AnnualReport.objects.create(
        year=year, school=school, status=status, return_comment=comment
    )


def make_assignment(year, scorer, target, status=AssignmentStatus.NOT_STARTED) -> Assignment:
    return Assignment.objects.create(year=year, scorer=scorer, target=target, status=status)


def make_extension(year, school, phase_kind, until: dt.date) -> Extension:
    return Extension.objects.create(
        year=year, school=school, phase_kind=phase_kind, until=until, reason="Lý do chính đáng"
    )


def local_moment(day: dt.date, hour: int = 17) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def make_round(
    year, closes_on: dt.date, *, status=RoundStatus.OPEN, title="Bình chọn đơn vị dẫn đầu"
) -> VotingRound:
    return VotingRound.objects.create(
        year=year,
        kind=RoundKind.CHOOSE,
        title=title,
        opens_at=local_moment(closes_on - dt.timedelta(days=10), 8),
        closes_at=local_moment(closes_on),
        status=status,
    )


def vote(voting_round, school) -> Participation:
    return Participation.objects.create(round=voting_round, school=school)


class FailingBackend(LocmemBackend):
    """A mail server that is down: every send raises."""

    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


class FlakyBackend(LocmemBackend):
    """Down for the first ``failures`` sends, then up (class state, reset by the fixture)."""

    failures = 0

    def send_messages(self, messages):
        if FlakyBackend.failures > 0:
            FlakyBackend.failures -= 1
            raise ConnectionRefusedError(111, "Connection refused")
        return super().send_messages(messages)


class RefusingBackend(LocmemBackend):
    def send_messages(self, messages):
        raise smtplib.SMTPRecipientsRefused({"x@example.vn": (550, b"No such user")})


@pytest.fixture
def mail_down(settings):
    settings.EMAIL_BACKEND = "tests.notifications.support.FailingBackend"


@pytest.fixture
def mail_flaky(settings):
    settings.EMAIL_BACKEND = "tests.notifications.support.FlakyBackend"
    FlakyBackend.failures = 0
    yield FlakyBackend
    FlakyBackend.failures = 0
