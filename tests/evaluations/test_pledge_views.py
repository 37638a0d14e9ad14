"""Pledge pages for every persona: drafts stay private, nobody edits another school's pledge."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.enums import Role
from cluster.models import School
from evaluations.enums import SubmissionStatus
from evaluations.models import Pledge, PledgeTarget
from evaluations.services import pledges as services
from tests import factories as f
from tests.evaluations.criteria_support import make_indicators

pytestmark = pytest.mark.django_db

PERSONAS = ["anonymous", "secretariat", "rep_a", "rep_b", "observer", "other_secretariat"]
DRAFT_SECRET = "Bí mật bản nháp của trường A"


@pytest.fixture
def persona(request, cluster4, other_cluster, client_for):
    def make(name):
        if name == "anonymous":
            return client_for(None)
        if name == "other_secretariat":
            return client_for(other_cluster["secretariat"])
        return client_for(request.getfixturevalue(name))

    return make


@pytest.fixture
def indicators(cluster4):
    return make_indicators(cluster4.year, 3)


@pytest.fixture
def draft_a(cluster4, rep_a, indicators):
    pledge = services.get_or_start_pledge(year=cluster4.year, school=cluster4.school_a, by=rep_a)
    services.save_pledge_draft(
        pledge=pledge,
        by=rep_a,
        data={
            "commitments": DRAFT_SECRET,
            "targets": {indicators[0].pk: "987654"},
        },
    )
    return pledge


@pytest.fixture
def submitted_b(cluster4, rep_b, indicators):
    pledge = services.get_or_start_pledge(year=cluster4.year, school=cluster4.school_b, by=rep_b)
    services.save_pledge_draft(
        pledge=pledge,
        by=rep_b,
        data={
            "commitments": "Cam kết công khai của trường B",
            "registered_titles": "Cờ thi đua của Học viện",
            "targets": {i.pk: "12" for i in indicators},
        },
    )
    return services.submit_pledge(pledge=pledge, by=rep_b, today=dt.date(2026, 3, 1))


def expect(response, name, allowed, ok=200):
    if name == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    elif name in allowed:
        assert response.status_code == ok
    else:
        assert response.status_code == 403


def covenant_url(name="covenant") -> str:
    return reverse(f"evaluations:{name}", args=("CUM4", "2026"))


# --- covenant --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", PERSONAS)
def test_covenant_by_persona(persona, name, draft_a, submitted_b):
    response = persona(name).get(covenant_url())

    expect(response, name, {"secretariat", "rep_a", "rep_b", "observer"})
    if response.status_code == 200:
        page = response.content.decode()
        assert "Cam kết công khai của trường B" in page
        # A draft is not part of the covenant, not even for its own school.
        assert DRAFT_SECRET not in page
        assert "987654" not in page


def test_covenant_shows_indicators_as_rows_and_members_as_columns(
    client_for, observer, submitted_b, indicators
):
    response = client_for(observer).get(covenant_url())

    covenant = response.context["covenant"]
    assert [c.school.code for c in covenant.columns] == ["SCA", "SCB", "SCC"]
    assert [c.visible for c in covenant.columns] == [False, True, False]
    assert [row.values for row in covenant.rows] == [[None, Decimal("12"), None]] * 3


def test_covenant_filter_by_status(client_for, secretariat, draft_a, submitted_b):
    response = client_for(secretariat).get(covenant_url(), {"pledge_status": "submitted"})

    assert [c.school.code for c in response.context["covenant"].columns] == ["SCB"]


@pytest.mark.parametrize("name", PERSONAS)
def test_covenant_export_by_persona(persona, name, draft_a, submitted_b):
    response = persona(name).get(covenant_url("covenant_export"))

    expect(response, name, {"secretariat", "rep_a", "rep_b", "observer"})
    if response.status_code == 200:
        from io import BytesIO

        from openpyxl import load_workbook

        sheet = load_workbook(BytesIO(response.content)).active
        values = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
        assert "Cam kết công khai của trường B" in values
        assert DRAFT_SECRET not in values
        assert "987654" not in values


@pytest.mark.parametrize("viewer", ["secretariat", "rep_b", "observer"])
@pytest.mark.parametrize("schools", [3, 30])
def test_covenant_queries_do_not_grow(
    request, cluster4, client_for, viewer, indicators, schools, django_assert_max_num_queries
):
    for index in range(schools - 3):
        school = f.SchoolFactory(code=f"X{index:02d}")
        f.MembershipFactory(cluster=cluster4.cluster, school=school)
    for school in School.objects.all():
        pledge = Pledge.objects.create(
            year=cluster4.year,
            school=school,
            status=SubmissionStatus.ACCEPTED,
            commitments=f"Cam kết {school.code}",
            submitted_at=timezone.now(),
        )
        PledgeTarget.objects.bulk_create(
            PledgeTarget(pledge=pledge, indicator=i, target=Decimal("5")) for i in indicators
        )
    client = client_for(request.getfixturevalue(viewer))

    with django_assert_max_num_queries(16):
        response = client.get(covenant_url())

    assert len(response.context["covenant"].visible_columns) == schools


# --- my pledge -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", PERSONAS)
def test_my_pledge_by_persona(persona, name, indicators):
    response = persona(name).get(reverse("evaluations:my_pledge", args=("CUM4", "2026")))

    expect(response, name, {"rep_a", "rep_b"})
    if response.status_code == 200:
        assert Pledge.objects.filter(status=SubmissionStatus.DRAFT).count() == 1


def test_my_pledge_is_403_for_a_non_member_representative(cluster4, client_for):
    from cluster.models import Membership

    Membership.objects.filter(school=cluster4.school_c).update(end_date=dt.date(2025, 12, 31))
    rep_c = f.UserFactory(role=Role.REPRESENTATIVE, school=cluster4.school_c)

    response = client_for(rep_c).get(reverse("evaluations:my_pledge", args=("CUM4", "2026")))

    assert response.status_code == 403
    assert not Pledge.objects.exists()


def form_data(indicators, values, **extra) -> dict:
    data = {f"target_{i.pk}": v for i, v in zip(indicators, values, strict=True)}
    data.update({"commitments": "", "registered_titles": ""}, **extra)
    return data


def test_rep_saves_a_draft(cluster4, client_for, rep_a, indicators):
    url = reverse("evaluations:my_pledge", args=("CUM4", "2026"))

    response = client_for(rep_a).post(
        url, form_data(indicators, ["3", "120", ""], commitments="Đổi mới phương pháp")
    )

    assert response.status_code == 302
    pledge = Pledge.objects.get(school=cluster4.school_a)
    assert pledge.status == SubmissionStatus.DRAFT
    assert pledge.commitments == "Đổi mới phương pháp"
    assert sorted(pledge.targets.values_list("target", flat=True)) == [Decimal("3"), Decimal("120")]


def test_invalid_number_is_shown_and_not_lost(cluster4, client_for, rep_a, indicators):
    url = reverse("evaluations:my_pledge", args=("CUM4", "2026"))

    response = client_for(rep_a).post(
        url, form_data(indicators, ["mười hai", "120", "4"], commitments="Vẫn được lưu")
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="mười hai"' in page
    assert response.context["form"].errors[f"target_{indicators[0].pk}"]
    pledge = Pledge.objects.get(school=cluster4.school_a)
    assert pledge.commitments == "Vẫn được lưu"
    assert sorted(pledge.targets.values_list("target", flat=True)) == [Decimal("4"), Decimal("120")]


def test_rep_submits_and_then_cannot_edit(cluster4, client_for, rep_a, indicators):
    url = reverse("evaluations:my_pledge", args=("CUM4", "2026"))
    client = client_for(rep_a)

    response = client.post(url, form_data(indicators, ["1", "2", "3"], submit="1"))

    pledge = Pledge.objects.get(school=cluster4.school_a)
    assert response.status_code == 302
    assert pledge.status == SubmissionStatus.SUBMITTED
    again = client.post(url, form_data(indicators, ["9", "9", "9"], commitments="Sửa sau khi nộp"))
    assert again.status_code == 403
    pledge.refresh_from_db()
    assert pledge.commitments == ""
    page = client.get(url).content.decode()
    assert 'data-testid="pledge-form"' not in page


def test_submit_with_missing_targets_explains(cluster4, client_for, rep_a, indicators):
    url = reverse("evaluations:my_pledge", args=("CUM4", "2026"))

    response = client_for(rep_a).post(url, form_data(indicators, ["1", "", ""], submit="1"))

    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert Pledge.objects.get(school=cluster4.school_a).status == SubmissionStatus.DRAFT


# --- one pledge ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", PERSONAS)
def test_draft_pledge_page_by_persona(persona, name, draft_a):
    response = persona(name).get(reverse("evaluations:pledge", args=(draft_a.pk,)))

    expect(response, name, {"rep_a"})
    if name == "rep_a":
        assert DRAFT_SECRET in response.content.decode()
    elif response.status_code != 302:
        assert DRAFT_SECRET not in response.content.decode()


@pytest.mark.parametrize("name", PERSONAS)
def test_submitted_pledge_page_by_persona(persona, name, submitted_b):
    response = persona(name).get(reverse("evaluations:pledge", args=(submitted_b.pk,)))

    expect(response, name, {"secretariat", "rep_a", "rep_b", "observer"})
    if response.status_code == 200:
        page = response.content.decode()
        assert "Cam kết công khai của trường B" in page
        assert (reverse("evaluations:pledge_accept", args=(submitted_b.pk,)) in page) is (
            name == "secretariat"
        )


@pytest.mark.parametrize("name", [p for p in PERSONAS if p != "rep_a"])
def test_nobody_edits_another_schools_pledge(persona, name, draft_a, indicators):
    response = persona(name).post(
        reverse("evaluations:pledge", args=(draft_a.pk,)),
        form_data(indicators, ["1", "1", "1"], commitments="Sửa trộm"),
    )

    assert response.status_code in (302, 403)
    if name != "anonymous":
        assert response.status_code == 403
    draft_a.refresh_from_db()
    assert draft_a.commitments == DRAFT_SECRET
    assert draft_a.targets.get(indicator=indicators[0]).target == Decimal("987654")


def test_rep_b_my_pledge_post_never_touches_school_a(
    cluster4, client_for, rep_b, draft_a, indicators
):
    response = client_for(rep_b).post(
        reverse("evaluations:my_pledge", args=("CUM4", "2026")),
        form_data(indicators, ["5", "5", "5"], commitments="Của trường B"),
    )

    assert response.status_code == 302
    draft_a.refresh_from_db()
    assert draft_a.commitments == DRAFT_SECRET
    assert Pledge.objects.get(school=cluster4.school_b).commitments == "Của trường B"


@pytest.mark.parametrize("name", PERSONAS)
def test_accept_by_persona(persona, name, submitted_b):
    response = persona(name).post(reverse("evaluations:pledge_accept", args=(submitted_b.pk,)))

    expect(response, name, {"secretariat"}, ok=302)
    submitted_b.refresh_from_db()
    expected = SubmissionStatus.ACCEPTED if name == "secretariat" else SubmissionStatus.SUBMITTED
    assert submitted_b.status == expected


@pytest.mark.parametrize("name", PERSONAS)
def test_return_by_persona(persona, name, submitted_b):
    response = persona(name).post(
        reverse("evaluations:pledge_return", args=(submitted_b.pk,)),
        {"comment": "Bổ sung chỉ tiêu học viên"},
    )

    expect(response, name, {"secretariat"}, ok=302)
    submitted_b.refresh_from_db()
    expected = SubmissionStatus.RETURNED if name == "secretariat" else SubmissionStatus.SUBMITTED
    assert submitted_b.status == expected


def test_return_without_comment_shows_error(client_for, secretariat, submitted_b):
    response = client_for(secretariat).post(
        reverse("evaluations:pledge_return", args=(submitted_b.pk,)), {"comment": ""}
    )

    assert response.status_code == 200
    assert response.context["return_form"].errors["comment"]
    submitted_b.refresh_from_db()
    assert submitted_b.status == SubmissionStatus.SUBMITTED


def test_school_sees_the_return_comment_and_resubmits(
    client_for, secretariat, rep_b, submitted_b, indicators
):
    services.return_pledge(pledge=submitted_b, by=secretariat, comment="Bổ sung số đề tài")
    client = client_for(rep_b)
    url = reverse("evaluations:my_pledge", args=("CUM4", "2026"))

    page = client.get(url).content.decode()
    assert "Bổ sung số đề tài" in page
    assert 'data-testid="pledge-form"' in page

    response = client.post(url, form_data(indicators, ["12", "12", "20"], submit="1"))
    assert response.status_code == 302
    submitted_b.refresh_from_db()
    assert submitted_b.status == SubmissionStatus.SUBMITTED


def test_returned_comment_is_not_shown_to_other_schools(
    client_for, secretariat, rep_a, submitted_b
):
    services.return_pledge(pledge=submitted_b, by=secretariat, comment="Nhận xét riêng cho B")

    response = client_for(rep_a).get(reverse("evaluations:pledge", args=(submitted_b.pk,)))

    assert response.status_code == 403
    covenant = client_for(rep_a).get(covenant_url()).content.decode()
    assert "Nhận xét riêng cho B" not in covenant


def test_unknown_pledge_is_404(client_for, secretariat):
    response = client_for(secretariat).get(reverse("evaluations:pledge", args=(999999,)))

    assert response.status_code == 404


def test_my_pledge_for_an_administrator_without_school_is_403(client_for, admin_user, cluster4):
    response = client_for(admin_user).get(reverse("evaluations:my_pledge", args=("CUM4", "2026")))

    assert response.status_code == 403
    assert not Pledge.objects.exists()
