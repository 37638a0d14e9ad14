"""The admin shows voting rounds read-mostly and ballots never editable, only once
published (closed rounds)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from awards.enums import RoundKind
from awards.models import Ballot, VotingRound
from awards.services import ballots as services

pytestmark = pytest.mark.django_db


def _round(cluster4, *, close: bool) -> VotingRound:
    now = timezone.now()
    voting_round = VotingRound(
        year=cluster4.year,
        kind=RoundKind.CHOOSE,
        title="Bình chọn",
        opens_at=now - dt.timedelta(hours=1),
        closes_at=now + dt.timedelta(hours=1),
    )
    services.create_round(voting_round=voting_round, by=None)
    services.open_round(voting_round=voting_round, by=None)
    services.cast_ballot(voting_round=voting_round, school=cluster4.school_a, answers={}, by=None)
    if close:
        services.close_round(voting_round=voting_round, by=None)
    return voting_round


def test_admin_lists_ballots_of_closed_rounds_only(cluster4, admin_user, client_for):
    open_round = _round(cluster4, close=False)
    closed_round = _round(cluster4, close=True)
    page = client_for(admin_user).get("/admin/awards/ballot/").content.decode()
    assert Ballot.objects.get(round=closed_round).receipt in page
    assert Ballot.objects.get(round=open_round).receipt not in page


def test_admin_cannot_change_a_ballot(cluster4, admin_user, client_for):
    voting_round = _round(cluster4, close=True)
    ballot = Ballot.objects.get(round=voting_round)
    client = client_for(admin_user)
    response = client.post(f"/admin/awards/ballot/{ballot.pk}/change/", {"receipt": "AAAAAAAAAAAA"})
    assert response.status_code == 403
    ballot.refresh_from_db()
    assert ballot.receipt != "AAAAAAAAAAAA"
    assert client.get("/admin/awards/ballot/add/").status_code == 403


def test_admin_cannot_change_an_opened_round(cluster4, admin_user, client_for):
    voting_round = _round(cluster4, close=True)
    client = client_for(admin_user)
    view = client.get(f"/admin/awards/votinground/{voting_round.pk}/change/")
    assert view.status_code == 200
    assert 'name="title"' not in view.content.decode()
    client.post(f"/admin/awards/votinground/{voting_round.pk}/change/", {"title": "Sửa"})
    voting_round.refresh_from_db()
    assert voting_round.title == "Bình chọn"
