"""Voting round pages: every view × every persona, the flows through the test client, the
live turnout fragment, the vote-count minutes, the receipts, fixed query counts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.enums import Role
from awards.enums import RoundKind, RoundStatus
from awards.models import Ballot, Candidate, Participation, VotingRound
from awards.services import ballots as services
from cluster.enums import LeadershipRole
from cluster.models import Leadership
from tests import factories as f

pytestmark = pytest.mark.django_db

PERSONAS = ["anonymous", "secretariat", "rep_a", "observer", "admin_user", "other_secretariat"]


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def client_for(client_for):
    """Logged-in clients that read the pages in English (the texts the tests look for)."""

    def make(user):
        client = client_for(user)
        client.cookies["django_language"] = "en"
        return client

    return make


@pytest.fixture
def next_year(cluster4):
    return f.EmulationYearFactory(cluster=cluster4.cluster, label="2027")


@pytest.fixture
def user_of(request):
    def get(persona: str):
        if persona == "anonymous":
            return None
        if persona == "other_secretariat":
            return request.getfixturevalue("other_cluster")["secretariat"]
        return request.getfixturevalue(persona)

    return get


def _round(cluster4, *, status: str = "open", kind: str = RoundKind.CHOOSE, **extra) -> VotingRound:
    now = timezone.now()
    voting_round = VotingRound(
        year=cluster4.year,
        kind=kind,
        title=extra.pop("title", "Bình chọn đơn vị dẫn đầu"),
        max_choices=extra.pop("max_choices", 1),
        opens_at=now - dt.timedelta(hours=1),
        closes_at=now + dt.timedelta(hours=1),
        **extra,
    )
    services.create_round(voting_round=voting_round, by=None)
    if status in ("open", "closed"):
        services.open_round(voting_round=voting_round, by=None)
    if status == "closed":
        services.close_round(voting_round=voting_round, by=None)
    voting_round.refresh_from_db()
    return voting_round


def _url(voting_round: VotingRound, suffix: str = "") -> str:
    year = voting_round.year
    return f"/a/{year.cluster.code}/{year.label}/rounds/{voting_round.pk}/{suffix}"


def _candidate(voting_round, school) -> Candidate:
    return voting_round.candidates.get(school=school)


# --- permissions: every view × every persona ---------------------------------------------------

GET_CASES = {
    # view: (round status or None for the year's pages, url suffix, allowed personas)
    "rounds": (None, "", {"secretariat", "rep_a", "observer", "admin_user"}),
    "create": (None, "new/choose/", {"secretariat", "admin_user"}),
    "detail_open": ("open", "", {"secretariat", "rep_a", "observer", "admin_user"}),
    "detail_draft": ("draft", "", {"secretariat", "admin_user"}),
    "edit_draft": ("draft", "edit/", {"secretariat", "admin_user"}),
    "ballot_open": ("open", "vote/", {"rep_a"}),
    "turnout_open": ("open", "turnout/", {"secretariat", "observer", "admin_user"}),
    "result_open": ("open", "result/", set()),
    "result_closed": ("closed", "result/", {"secretariat", "rep_a", "observer", "admin_user"}),
    "receipts_closed": ("closed", "receipts/", {"secretariat", "rep_a", "observer", "admin_user"}),
    "receipts_xlsx": (
        "closed",
        "receipts.xlsx",
        {"secretariat", "rep_a", "observer", "admin_user"},
    ),
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("case", sorted(GET_CASES))
def test_get_pages_by_persona(case, persona, cluster4, user_of, client_for):
    status, suffix, allowed = GET_CASES[case]
    user = user_of(persona)
    if status is None:
        url = f"/a/CUM4/2026/rounds/{suffix}"
    else:
        url = _url(_round(cluster4, status=status), suffix)
    response = client_for(user).get(url)
    if persona == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    elif persona in allowed:
        assert response.status_code == 200
    else:
        assert response.status_code == 403


POST_CASES = {
    "open": ("draft", "open/"),
    "close": ("open", "close/"),
    "delete": ("draft", "delete/"),
    "add_candidate": ("draft", "candidates/add/"),
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("case", sorted(POST_CASES))
def test_manager_actions_by_persona(case, persona, cluster4, user_of, client_for):
    status, suffix = POST_CASES[case]
    voting_round = _round(cluster4, status=status)
    before = (voting_round.status, voting_round.candidates.count())
    if case == "add_candidate":
        voting_round.candidates.filter(school=cluster4.school_c).delete()
        before = (voting_round.status, voting_round.candidates.count())
    response = client_for(user_of(persona)).post(
        _url(voting_round, suffix), {"school": cluster4.school_c.pk}
    )
    exists = VotingRound.objects.filter(pk=voting_round.pk).exists()
    if persona in {"secretariat", "admin_user"}:
        assert response.status_code == 302
        if case == "delete":
            assert not exists
        else:
            voting_round.refresh_from_db()
            assert (voting_round.status, voting_round.candidates.count()) != before
    else:
        assert response.status_code == (302 if persona == "anonymous" else 403)
        assert exists
        voting_round.refresh_from_db()
        assert (voting_round.status, voting_round.candidates.count()) == before


def test_remove_candidate_by_a_representative_is_forbidden(cluster4, rep_a, client_for):
    voting_round = _round(cluster4, status="draft")
    candidate = voting_round.candidates.first()
    response = client_for(rep_a).post(_url(voting_round, f"candidates/{candidate.pk}/remove/"))
    assert response.status_code == 403
    assert Candidate.objects.filter(pk=candidate.pk).exists()


def test_remove_candidate_by_the_secretariat(cluster4, secretariat, client_for):
    voting_round = _round(cluster4, status="draft")
    candidate = voting_round.candidates.first()
    response = client_for(secretariat).post(
        _url(voting_round, f"candidates/{candidate.pk}/remove/")
    )
    assert response.status_code == 302
    assert not Candidate.objects.filter(pk=candidate.pk).exists()


def test_representative_of_a_school_outside_the_year_cannot_vote(cluster4, client_for):
    outsider = f.SchoolFactory(code="SCO")
    f.MembershipFactory(
        cluster=cluster4.cluster,
        school=outsider,
        start_date=dt.date(2015, 1, 1),
        end_date=dt.date(2020, 12, 31),
    )
    rep = f.UserFactory(email="old@example.vn", role=Role.REPRESENTATIVE, school=outsider)
    voting_round = _round(cluster4)
    assert client_for(rep).get(_url(voting_round, "vote/")).status_code == 403
    assert client_for(rep).post(_url(voting_round, "vote/"), {}).status_code == 403
    assert not Participation.objects.exists()


# --- the flows -------------------------------------------------------------------------------


def test_secretariat_prepares_an_election_with_prefilled_candidates(
    cluster4, next_year, secretariat, client_for
):
    now = timezone.localtime()
    response = client_for(secretariat).post(
        "/a/CUM4/2026/rounds/new/election/",
        {
            "title": "Bầu cụm trưởng năm 2027",
            "seat": "head",
            "max_choices": 1,
            "opens_at": now.strftime("%Y-%m-%dT%H:%M"),
            "closes_at": (now + dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "quorum_percent": "66.67",
            "threshold_percent": "50",
            "threshold_base": "electorate",
        },
    )
    voting_round = VotingRound.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _url(voting_round)
    assert voting_round.kind == RoundKind.ELECTION
    assert voting_round.seat == LeadershipRole.HEAD
    # School A is this year's head: not a candidate for next year.
    assert {c.school for c in voting_round.candidates.all()} == {
        cluster4.school_b,
        cluster4.school_c,
    }


def test_election_form_says_the_next_year_is_missing(cluster4, secretariat, client_for):
    client = client_for(secretariat)
    page = client.get("/a/CUM4/2026/rounds/new/election/?seat=head")
    assert 'data-testid="missing-next-year"' in page.content.decode()
    now = timezone.localtime()
    response = client.post(
        "/a/CUM4/2026/rounds/new/election/",
        {
            "title": "Bầu cụm trưởng",
            "seat": "head",
            "max_choices": 1,
            "opens_at": now.strftime("%Y-%m-%dT%H:%M"),
            "closes_at": (now + dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "quorum_percent": "66.67",
            "threshold_percent": "50",
            "threshold_base": "electorate",
        },
    )
    assert response.status_code == 200
    assert "does not exist yet" in response.content.decode()
    assert not VotingRound.objects.exists()


def test_round_form_keeps_input_and_shows_the_error_at_the_field(cluster4, secretariat, client_for):
    response = client_for(secretariat).post(
        "/a/CUM4/2026/rounds/new/choose/",
        {
            "title": "Bình chọn thử",
            "max_choices": 2,
            "opens_at": "2026-11-20T10:00",
            "closes_at": "2026-11-20T09:00",
            "quorum_percent": "66.67",
            "threshold_percent": "50",
            "threshold_base": "electorate",
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "closes_at" in form.errors
    assert form.errors["closes_at"] == ["The round must close after it opens."]
    assert 'value="Bình chọn thử"' in response.content.decode()
    assert not VotingRound.objects.exists()


def test_secretariat_opens_a_round_and_a_second_click_is_answered(
    cluster4, secretariat, client_for
):
    voting_round = _round(cluster4, status="draft")
    client = client_for(secretariat)
    assert client.post(_url(voting_round, "open/")).status_code == 302
    voting_round.refresh_from_db()
    assert voting_round.status == RoundStatus.OPEN
    again = client.post(_url(voting_round, "open/"), follow=True)
    assert again.status_code == 200
    assert "already been opened" in again.content.decode()


def test_representative_votes_and_sees_the_receipt_once(cluster4, rep_a, client_for):
    voting_round = _round(cluster4)
    client = client_for(rep_a)
    form_page = client.get(_url(voting_round, "vote/"))
    assert form_page.status_code == 200
    assert cluster4.school_b.name in form_page.content.decode()
    response = client.post(
        _url(voting_round, "vote/"), {"chosen": [_candidate(voting_round, cluster4.school_b).pk]}
    )
    receipt = Ballot.objects.get(round=voting_round).receipt
    assert response.status_code == 200
    assert f'data-testid="receipt">{receipt}<' in response.content.decode()
    assert Participation.objects.filter(round=voting_round, school=cluster4.school_a).count() == 1
    detail = client.get(_url(voting_round))
    assert 'data-testid="has-voted"' in detail.content.decode()
    assert receipt not in detail.content.decode()


def test_double_submit_keeps_one_ballot_and_shows_a_clear_message(cluster4, rep_a, client_for):
    voting_round = _round(cluster4)
    client = client_for(rep_a)
    data = {"chosen": [_candidate(voting_round, cluster4.school_b).pk]}
    first = client.post(_url(voting_round, "vote/"), data)
    second = client.post(_url(voting_round, "vote/"), data, follow=True)
    assert first.status_code == 200
    assert second.status_code == 200
    assert "Your school has already voted in this round" in second.content.decode()
    assert Participation.objects.filter(round=voting_round).count() == 1
    assert Ballot.objects.filter(round=voting_round).count() == 1


def test_two_representatives_of_one_school_have_one_ballot(cluster4, rep_a, client_for):
    colleague = f.UserFactory(
        email="dongnghiep.a@example.vn", role=Role.REPRESENTATIVE, school=cluster4.school_a
    )
    voting_round = _round(cluster4)
    first, second = client_for(rep_a), client_for(colleague)
    first.get(_url(voting_round, "vote/"))
    second.get(_url(voting_round, "vote/"))
    data_b = {"chosen": [_candidate(voting_round, cluster4.school_b).pk]}
    data_c = {"chosen": [_candidate(voting_round, cluster4.school_c).pk]}
    assert first.post(_url(voting_round, "vote/"), data_b).status_code == 200
    late = second.post(_url(voting_round, "vote/"), data_c, follow=True)
    assert "already voted" in late.content.decode()
    assert Ballot.objects.filter(round=voting_round).count() == 1
    assert voting_round.ballots.get().choices.get().candidate.school == cluster4.school_b


def test_ballot_with_too_many_choices_is_refused_at_the_field(cluster4, rep_a, client_for):
    voting_round = _round(cluster4)
    response = client_for(rep_a).post(
        _url(voting_round, "vote/"),
        {"chosen": [c.pk for c in voting_round.candidates.all()]},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["chosen"] == ["Choose at most 1."]
    assert not Participation.objects.exists()


def test_ballot_after_closing_redirects_with_a_message(cluster4, rep_a, client_for):
    voting_round = _round(cluster4, status="closed")
    response = client_for(rep_a).post(_url(voting_round, "vote/"), {}, follow=True)
    assert response.status_code == 200
    assert "Voting in this round has closed." in response.content.decode()
    assert not Participation.objects.exists()


def test_ballot_page_after_voting_redirects_with_the_reason(cluster4, rep_a, client_for):
    voting_round = _round(cluster4)
    services.cast_ballot(voting_round=voting_round, school=cluster4.school_a, answers={}, by=None)
    response = client_for(rep_a).get(_url(voting_round, "vote/"))
    assert response.status_code == 302
    assert response["Location"] == _url(voting_round)


def test_representative_does_not_see_who_else_voted(cluster4, rep_a, rep_b, client_for):
    voting_round = _round(cluster4)
    services.cast_ballot(voting_round=voting_round, school=cluster4.school_a, answers={}, by=None)
    page = client_for(rep_b).get(_url(voting_round)).content.decode()
    assert 'data-testid="turnout"' not in page
    assert 'data-testid="has-voted"' not in page
    assert 'data-testid="vote-link"' in page


def test_turnout_fragment_polls_while_open_and_names_voters_only(cluster4, observer, client_for):
    voting_round = _round(cluster4)
    services.cast_ballot(
        voting_round=voting_round,
        school=cluster4.school_a,
        answers={_candidate(voting_round, cluster4.school_c).pk: "yes"},
        by=None,
    )
    response = client_for(observer).get(_url(voting_round, "turnout/"), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert 'hx-trigger="every 5s"' in html
    assert html.count('data-voted="yes"') == 1
    assert html.count('data-voted="no"') == 2
    assert "1 of 3 schools have voted" in html


def test_turnout_fragment_stops_polling_once_closed(cluster4, secretariat, client_for):
    voting_round = _round(cluster4, status="closed")
    html = client_for(secretariat).get(_url(voting_round, "turnout/")).content.decode()
    assert "every 5s" not in html
    assert "<html" in html


def test_secretariat_closes_the_round_and_reads_the_minutes(
    cluster4, next_year, secretariat, client_for
):
    voting_round = _round(
        cluster4, kind=RoundKind.ELECTION, seat=LeadershipRole.HEAD, title="Bầu cụm trưởng 2027"
    )
    for school in (cluster4.school_a, cluster4.school_b, cluster4.school_c):
        services.cast_ballot(
            voting_round=voting_round,
            school=school,
            answers={_candidate(voting_round, cluster4.school_b).pk: "yes"},
            by=None,
        )
    client = client_for(secretariat)
    response = client.post(_url(voting_round, "close/"))
    assert response.status_code == 302
    assert response["Location"] == _url(voting_round, "result/")
    page = client.get(_url(voting_round, "result/")).content.decode()
    assert 'data-testid="electorate">3<' in page
    assert 'data-testid="ballots-cast">3<' in page
    assert 'data-testid="valid-ballots">3<' in page
    assert "at least 2 votes" in page
    assert f"{cluster4.school_b.name} is elected head of the cluster for 2027." in page
    assert "Pending the Academy's recognition decision." in page
    assert Leadership.objects.get(year=next_year, role="head").school == cluster4.school_b
    again = client.post(_url(voting_round, "close/"), follow=True)
    assert "already closed" in again.content.decode()


def test_receipts_list_finds_a_code_and_exports(cluster4, rep_a, client_for):
    voting_round = _round(cluster4)
    cast = services.cast_ballot(
        voting_round=voting_round,
        school=cluster4.school_a,
        answers={_candidate(voting_round, cluster4.school_b).pk: "yes"},
        by=None,
    )
    services.cast_ballot(voting_round=voting_round, school=cluster4.school_b, answers={}, by=None)
    services.close_round(voting_round=voting_round, by=None)
    client = client_for(rep_a)
    page = client.get(_url(voting_round, "receipts/"), {"q": cast.receipt.lower()})
    html = page.content.decode()
    assert html.count('data-testid="receipt-row"') == 1
    assert cast.receipt in html
    assert cluster4.school_b.name in html
    export = client.get(_url(voting_round, "receipts.xlsx"))
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_round_list_hides_prepared_rounds_from_representatives(cluster4, rep_a, client_for):
    _round(cluster4, status="draft", title="Vòng chuẩn bị")
    _round(cluster4, status="open", title="Vòng đang mở")
    html = client_for(rep_a).get("/a/CUM4/2026/rounds/").content.decode()
    assert "Vòng đang mở" in html
    assert "Vòng chuẩn bị" not in html


def test_dashboard_invites_the_representative_to_vote(cluster4, rep_a, client_for):
    voting_round = _round(cluster4, title="Bình chọn hôm nay")
    html = client_for(rep_a).get("/").content.decode()
    assert 'data-testid="voting-now"' in html
    assert _url(voting_round, "vote/") in html


def test_dashboard_shows_the_secretariat_its_rounds(cluster4, secretariat, client_for):
    _round(cluster4, title="Bình chọn hôm nay")
    html = client_for(secretariat).get("/").content.decode()
    assert 'data-testid="dashboard-rounds"' in html
    assert "Bình chọn hôm nay" in html


# --- fixed query counts ----------------------------------------------------------------------


def _closed_round_with(n_schools: int, code: str):
    cluster = f.ClusterFactory(code=code)
    schools = [f.SchoolFactory(code=f"{code}S{i:03d}") for i in range(n_schools)]
    for school in schools:
        f.MembershipFactory(cluster=cluster, school=school)
    year = f.EmulationYearFactory(cluster=cluster, label="2026")
    secretariat = f.UserFactory(
        email=f"tk.{code.lower()}@example.vn", role=Role.SECRETARIAT, cluster=cluster
    )
    now = timezone.now()
    for index in range(n_schools // 3):
        extra = VotingRound(
            year=year,
            kind="choose",
            title=f"Vòng {index}",
            opens_at=now,
            closes_at=now + dt.timedelta(hours=1),
        )
        services.create_round(voting_round=extra, by=None)
    voting_round = VotingRound(
        year=year,
        kind="choose",
        title="Vòng chính",
        max_choices=2,
        opens_at=now - dt.timedelta(hours=1),
        closes_at=now + dt.timedelta(hours=1),
        quorum_percent=Decimal("50"),
    )
    services.create_round(voting_round=voting_round, by=None)
    services.open_round(voting_round=voting_round, by=None)
    candidates = list(voting_round.candidates.all())
    for index, school in enumerate(schools):
        chosen = {candidates[index % len(candidates)].pk: "yes", candidates[0].pk: "yes"}
        services.cast_ballot(voting_round=voting_round, school=school, answers=chosen, by=None)
    return secretariat, voting_round


@pytest.mark.parametrize("suffix", ["", "result/", "receipts/", "turnout/"])
def test_round_pages_load_in_fixed_queries(suffix, client_for, django_assert_max_num_queries):
    for n, code in ((3, "QS"), (30, "QL")):
        secretariat, voting_round = _closed_round_with(n, code)
        if suffix:
            services.close_round(voting_round=voting_round, by=None)
        client = client_for(secretariat)
        with django_assert_max_num_queries(16):
            response = client.get(_url(voting_round, suffix))
        assert response.status_code == 200


def test_round_list_loads_in_fixed_queries(client_for, django_assert_max_num_queries):
    for n, code in ((3, "LS"), (30, "LL")):
        secretariat, voting_round = _closed_round_with(n, code)
        client = client_for(secretariat)
        with django_assert_max_num_queries(10, info=code):
            response = client.get(f"/a/{code}/2026/rounds/")
        assert len(response.context["rounds"]) == n // 3 + 1


def test_yes_no_ballot_answers_each_nomination(cluster4, rep_a, client_for):
    voting_round = _round(cluster4, status="draft", kind=RoundKind.YES_NO, title="Biểu quyết")
    first = Candidate.objects.create(round=voting_round, label="Đề nghị thứ nhất", order=1)
    second = Candidate.objects.create(round=voting_round, label="Đề nghị thứ hai", order=2)
    services.open_round(voting_round=voting_round, by=None)
    client = client_for(rep_a)
    page = client.get(_url(voting_round, "vote/")).content.decode()
    assert f'name="c{first.pk}"' in page
    missing = client.post(_url(voting_round, "vote/"), {f"c{first.pk}": "yes"})
    assert missing.context["form"].errors[f"c{second.pk}"] == ["Answer yes or no."]
    assert not Participation.objects.exists()
    response = client.post(
        _url(voting_round, "vote/"), {f"c{first.pk}": "yes", f"c{second.pk}": "no"}
    )
    assert response.status_code == 200
    choices = response.content.decode()
    assert "Đề nghị thứ nhất: Agree" in choices
    assert "Đề nghị thứ hai: Disagree" in choices
    ballot = Ballot.objects.get(round=voting_round)
    assert {(c.candidate.label, c.answer) for c in ballot.choices.all()} == {
        ("Đề nghị thứ nhất", "yes"),
        ("Đề nghị thứ hai", "no"),
    }
