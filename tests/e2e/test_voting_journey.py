"""The year-end conference in a real browser: the secretariat opens the election of next
year's head, nine schools vote (two through the browser, each in its own browser context),
the turnout updates live, the secretariat closes the round, the vote-count minutes and the
receipts are published, and next year's head is set."""

from __future__ import annotations

import datetime as dt
import re

from django.utils import timezone

from accounts.enums import Role
from awards.models import Ballot, VotingRound
from awards.services import ballots as services
from cluster.enums import LeadershipRole
from cluster.models import Leadership
from tests import factories as f
from tests.awards.test_ballot_support import FAST_HASHERS, NINE


def _nine_member_cluster():
    cluster = f.ClusterFactory(code="CUM4", name="Cụm thi đua số 4", document_symbol="CTĐ4")
    schools = {}
    for code, name, province in NINE:
        schools[code] = f.SchoolFactory(code=code, name=name, province=province)
        f.MembershipFactory(cluster=cluster, school=schools[code], start_date=dt.date(2017, 1, 1))
    this_year = timezone.localdate().year
    year = f.EmulationYearFactory(cluster=cluster, label=str(this_year))
    next_year = f.EmulationYearFactory(cluster=cluster, label=str(this_year + 1))
    f.LeadershipFactory(year=year, school=schools["HYE"], role=LeadershipRole.HEAD)
    f.LeadershipFactory(year=year, school=schools["QNI"], role=LeadershipRole.DEPUTY)
    secretariat = f.UserFactory(
        email="thuky@example.vn", full_name="Thư ký Cụm 4", role=Role.SECRETARIAT, cluster=cluster
    )
    reps = {
        code: f.UserFactory(
            email=f"{code.lower()}@example.vn",
            full_name=f"Đại diện {code}",
            role=Role.REPRESENTATIVE,
            school=school,
        )
        for code, school in schools.items()
    }
    return cluster, year, next_year, schools, secretariat, reps


def _accept_confirmations(page) -> None:
    page.on("dialog", lambda dialog: dialog.accept())


def _vote_in_browser(page, login, rep, round_url: str, school_name: str) -> str:
    """A representative votes in a browser context of their own; returns the receipt."""
    context = page.context.browser.new_context(
        base_url=page.live_server_url, locale="vi-VN", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(15_000)
    voter = context.new_page()
    voter.live_server_url = page.live_server_url
    _accept_confirmations(voter)
    try:
        login(voter, rep)
        voter.goto(round_url)
        voter.locator("[data-testid=vote-link]").click()
        voter.get_by_label(school_name).check()
        voter.locator("[data-testid=cast-ballot]").click()
        receipt = voter.locator("[data-testid=receipt]").inner_text().strip()
        assert re.fullmatch(r"[0-9A-F]{12}", receipt), receipt
        # Back on the round page the school is marked as voted; the receipt is gone.
        voter.goto(round_url)
        assert voter.locator("[data-testid=has-voted]").count() == 1
        assert receipt not in voter.content()
        return receipt
    finally:
        context.close()


def test_election_of_next_years_head(page, login, screenshot, settings):
    settings.PASSWORD_HASHERS = FAST_HASHERS
    cluster, year, next_year, schools, secretariat, reps = _nine_member_cluster()
    winner = schools["QNI"]
    _accept_confirmations(page)

    # The secretariat prepares the election of next year's head and opens it.
    login(page, secretariat)
    page.goto(f"/a/{cluster.code}/{year.label}/rounds/")
    page.locator("[data-testid=new-round]").click()
    page.locator("[data-testid=new-head-election]").click()
    page.locator("main form button[type=submit]").click()
    round_pk = VotingRound.objects.get(year=year).pk
    round_url = f"/a/{cluster.code}/{year.label}/rounds/{round_pk}/"
    page.wait_for_url(f"**{round_url}")
    candidates = page.locator("[data-testid=candidates] [data-testid=candidate]")
    assert candidates.count() == 8  # the nine members but this year's head
    assert schools["HYE"].name not in page.locator("[data-testid=candidates]").inner_text()
    screenshot(page, "voting-01-round-prepared")
    page.locator("[data-testid=open-round]").click()
    page.wait_for_load_state("networkidle")
    assert VotingRound.objects.get(pk=round_pk).status == "open"

    # Two representatives vote through the browser, each in their own context.
    receipts = [
        _vote_in_browser(page, login, reps["BNI"], round_url, winner.name),
        _vote_in_browser(page, login, reps["HDU"], round_url, winner.name),
    ]
    page.goto(round_url)
    voted = page.locator("[data-testid=turnout-row][data-voted=yes]")
    assert voted.count() == 2

    # The other seven vote (through the service); the turnout updates by itself.
    voting_round = VotingRound.objects.get(pk=round_pk)
    choice = dict.fromkeys(("TBI", "HYE", "NBI", "HNA", "QNI"), winner)
    choice.update({"NDI": schools["BNI"], "VPH": schools["BNI"]})
    for code, chosen in choice.items():
        candidate = voting_round.candidates.get(school=chosen)
        services.cast_ballot(
            voting_round=voting_round, school=schools[code], answers={candidate.pk: "yes"}, by=None
        )
    page.wait_for_function(
        "document.querySelectorAll('[data-testid=turnout-row][data-voted=yes]').length === 9",
        timeout=15_000,
    )
    screenshot(page, "voting-02-turnout-complete")

    # The secretariat closes the round: the vote-count minutes are published.
    page.locator("[data-testid=close-round]").click()
    page.wait_for_url(f"**{round_url}result/")
    assert page.locator("[data-testid=electorate]").inner_text().strip() == "9"
    assert page.locator("[data-testid=ballots-cast]").inner_text().strip() == "9"
    assert page.locator("[data-testid=winners]").inner_text().strip() == winner.name
    votes = [v.inner_text().strip() for v in page.locator("[data-testid=votes]").all()]
    assert sorted(votes, key=int, reverse=True)[:2] == ["7", "2"]
    assert page.locator("[data-testid=leadership]").count() == 1
    screenshot(page, "voting-03-vote-count-minutes")

    # The receipts are published: each browser voter finds its own.
    page.locator("[data-testid=receipts-link]").click()
    rows = page.locator("[data-testid=receipt-row]")
    assert rows.count() == 9
    for receipt in receipts:
        assert page.locator("[data-testid=receipts]").get_by_text(receipt).count() == 1
    screenshot(page, "voting-04-receipts")
    assert Ballot.objects.filter(round_id=round_pk).count() == 9

    # Next year's head is the winner, pending the Academy's recognition.
    head = Leadership.objects.get(year=next_year, role=LeadershipRole.HEAD)
    assert head.school == winner
    page.goto(next_year.get_absolute_url())
    assert winner.name in page.locator("main").inner_text()
    screenshot(page, "voting-05-next-year-head")
