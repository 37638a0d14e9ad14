"""Pledge workflow: drafts, deadlines and extensions, review; and the pledge predicates."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from cluster.enums import PhaseKind
from cluster.models import Phase
from evaluations.enums import SubmissionStatus
from evaluations.models import Extension, Pledge, PledgeTarget
from evaluations.selectors_criteria import pledge_status_by_school
from evaluations.services import pledges as services
from tests import factories as f
from tests.evaluations.criteria_support import make_indicators

pytestmark = pytest.mark.django_db

ON_TIME = dt.date(2026, 3, 1)  # the fixture's pledge deadline is 15/03/2026


@pytest.fixture
def indicators(cluster4):
    return make_indicators(cluster4.year, 3)


@pytest.fixture
def pledge_a(cluster4, rep_a, indicators):
    return services.get_or_start_pledge(year=cluster4.year, school=cluster4.school_a, by=rep_a)


def fill(pledge, by, indicators, values=("10", "250", "3")):
    return services.save_pledge_draft(
        pledge=pledge,
        by=by,
        data={
            "commitments": "Hoàn thành xuất sắc nhiệm vụ năm 2026",
            "registered_titles": "Tập thể lao động xuất sắc",
            "targets": {i.pk: v for i, v in zip(indicators, values, strict=True)},
        },
    )


def targets(pledge) -> dict[str, Decimal | None]:
    return {
        t.indicator.code: t.target
        for t in PledgeTarget.objects.filter(pledge=pledge).select_related("indicator")
    }


# --- drafts ----------------------------------------------------------------------------------


def test_start_pledge_creates_one_draft(cluster4, rep_a):
    first = services.get_or_start_pledge(year=cluster4.year, school=cluster4.school_a, by=rep_a)
    again = services.get_or_start_pledge(year=cluster4.year, school=cluster4.school_a, by=rep_a)

    assert first.pk == again.pk
    assert first.status == SubmissionStatus.DRAFT
    assert Pledge.objects.count() == 1


def test_start_pledge_refuses_a_non_member(cluster4, other_cluster):
    with pytest.raises(ValidationError) as info:
        services.get_or_start_pledge(year=cluster4.year, school=other_cluster["school"], by=None)

    assert info.value.code == "not_member"
    assert not Pledge.objects.exists()


def test_save_draft_stores_targets_and_texts(pledge_a, rep_a, indicators):
    errors = fill(pledge_a, rep_a, indicators, ("10", "1.250", "2,5"))

    pledge_a.refresh_from_db()
    assert errors == []
    assert targets(pledge_a) == {
        "LOP": Decimal("10"),
        "HV": Decimal("1250"),
        "DT": Decimal("2.5"),
    }
    assert pledge_a.commitments == "Hoàn thành xuất sắc nhiệm vụ năm 2026"
    assert pledge_a.registered_titles == "Tập thể lao động xuất sắc"


def test_save_draft_keeps_valid_fields_and_reports_invalid_ones(pledge_a, rep_a, indicators):
    fill(pledge_a, rep_a, indicators)

    errors = services.save_pledge_draft(
        pledge=pledge_a,
        by=rep_a,
        data={
            "commitments": "Cam kết mới",
            "targets": {indicators[0].pk: "mười", indicators[1].pk: "-3", indicators[2].pk: "4"},
        },
    )

    assert [e.field for e in errors] == [f"target_{indicators[0].pk}", f"target_{indicators[1].pk}"]
    assert targets(pledge_a) == {"LOP": Decimal("10"), "HV": Decimal("250"), "DT": Decimal("4")}
    pledge_a.refresh_from_db()
    assert pledge_a.commitments == "Cam kết mới"


def test_save_draft_ignores_indicators_of_other_years(cluster4, pledge_a, rep_a, other_cluster):
    from cluster.models import EmulationYear

    foreign = make_indicators(EmulationYear.objects.get(cluster=other_cluster["cluster"]), 1)[0]

    services.save_pledge_draft(pledge=pledge_a, by=rep_a, data={"targets": {foreign.pk: "5"}})

    assert not PledgeTarget.objects.exists()


def test_save_draft_is_refused_once_submitted(pledge_a, rep_a, indicators):
    fill(pledge_a, rep_a, indicators)
    services.submit_pledge(pledge=pledge_a, by=rep_a, today=ON_TIME)

    with pytest.raises(ValidationError) as info:
        services.save_pledge_draft(pledge=pledge_a, by=rep_a, data={"commitments": "Sửa"})

    assert info.value.code == "read_only"
    pledge_a.refresh_from_db()
    assert pledge_a.commitments == "Hoàn thành xuất sắc nhiệm vụ năm 2026"


# --- submission and deadlines ----------------------------------------------------------------


def test_submit_on_time(pledge_a, rep_a, indicators):
    fill(pledge_a, rep_a, indicators)

    pledge = services.submit_pledge(pledge=pledge_a, by=rep_a, today=ON_TIME)

    assert pledge.status == SubmissionStatus.SUBMITTED
    assert pledge.is_late is False
    assert pledge.submitted_by == rep_a
    assert pledge.submitted_at is not None


def test_submit_needs_every_target(pledge_a, rep_a, indicators):
    services.save_pledge_draft(pledge=pledge_a, by=rep_a, data={"targets": {indicators[0].pk: "1"}})

    with pytest.raises(ValidationError) as info:
        services.submit_pledge(pledge=pledge_a, by=rep_a, today=ON_TIME)

    assert info.value.code == "missing_targets"
    assert "Học viên" in info.value.messages[0]
    assert Pledge.objects.get(pk=pledge_a.pk).status == SubmissionStatus.DRAFT


def test_submit_after_deadline_is_late(pledge_a, rep_a, indicators):
    fill(pledge_a, rep_a, indicators)

    pledge = services.submit_pledge(pledge=pledge_a, by=rep_a, today=dt.date(2026, 3, 20))

    assert (pledge.status, pledge.is_late) == (SubmissionStatus.SUBMITTED, True)


@pytest.fixture
def hard_deadline(cluster4):
    Phase.objects.filter(year=cluster4.year, kind=PhaseKind.PLEDGE).update(
        hard_deadline=dt.date(2026, 3, 31)
    )


def test_submit_after_final_deadline_is_refused(pledge_a, rep_a, indicators, hard_deadline):
    fill(pledge_a, rep_a, indicators)

    with pytest.raises(ValidationError) as info:
        services.submit_pledge(pledge=pledge_a, by=rep_a, today=dt.date(2026, 4, 1))

    assert info.value.code == "too_late"
    assert "31/03/2026" in info.value.messages[0]
    assert Pledge.objects.get(pk=pledge_a.pk).status == SubmissionStatus.DRAFT


def test_submit_after_final_deadline_with_extension_is_accepted_on_time(
    cluster4, pledge_a, rep_a, indicators, hard_deadline, secretariat
):
    Extension.objects.create(
        year=cluster4.year,
        school=cluster4.school_a,
        phase_kind=PhaseKind.PLEDGE,
        until=dt.date(2026, 4, 10),
        reason="Trường sáp nhập",
        granted_by=secretariat,
    )
    fill(pledge_a, rep_a, indicators)

    pledge = services.submit_pledge(pledge=pledge_a, by=rep_a, today=dt.date(2026, 4, 5))

    assert (pledge.status, pledge.is_late) == (SubmissionStatus.SUBMITTED, False)


def test_submit_twice_is_refused(pledge_a, rep_a, indicators):
    fill(pledge_a, rep_a, indicators)
    services.submit_pledge(pledge=pledge_a, by=rep_a, today=ON_TIME)

    with pytest.raises(ValidationError):
        services.submit_pledge(pledge=pledge_a, by=rep_a, today=ON_TIME)


# --- review ----------------------------------------------------------------------------------


@pytest.fixture
def submitted_a(pledge_a, rep_a, indicators):
    fill(pledge_a, rep_a, indicators)
    return services.submit_pledge(pledge=pledge_a, by=rep_a, today=ON_TIME)


def test_accept_pledge(submitted_a, secretariat):
    pledge = services.accept_pledge(pledge=submitted_a, by=secretariat)

    assert pledge.status == SubmissionStatus.ACCEPTED
    assert pledge.reviewed_by == secretariat


def test_accept_a_draft_is_refused(pledge_a, secretariat):
    with pytest.raises(ValidationError):
        services.accept_pledge(pledge=pledge_a, by=secretariat)

    assert Pledge.objects.get(pk=pledge_a.pk).status == SubmissionStatus.DRAFT


def test_return_requires_a_comment(submitted_a, secretariat):
    with pytest.raises(ValidationError) as info:
        services.return_pledge(pledge=submitted_a, by=secretariat, comment="   ")

    assert list(info.value.message_dict) == ["comment"]
    assert Pledge.objects.get(pk=submitted_a.pk).status == SubmissionStatus.SUBMITTED


def test_returned_pledge_is_edited_and_resubmitted(submitted_a, secretariat, rep_a, indicators):
    services.return_pledge(pledge=submitted_a, by=secretariat, comment="Bổ sung số học viên")
    pledge = Pledge.objects.get(pk=submitted_a.pk)
    assert (pledge.status, pledge.return_comment) == (
        SubmissionStatus.RETURNED,
        "Bổ sung số học viên",
    )

    services.save_pledge_draft(pledge=pledge, by=rep_a, data={"targets": {indicators[1].pk: "300"}})
    # After the final deadline: the secretariat asked for the change, so it is not refused.
    Phase.objects.filter(kind=PhaseKind.PLEDGE).update(hard_deadline=dt.date(2026, 3, 31))
    pledge = services.submit_pledge(pledge=pledge, by=rep_a, today=dt.date(2026, 5, 1))

    assert (pledge.status, pledge.is_late) == (SubmissionStatus.SUBMITTED, False)
    assert targets(pledge)["HV"] == Decimal("300")


# --- predicates ------------------------------------------------------------------------------


def test_draft_is_readable_by_its_own_school_only(pledge_a, rep_a, rep_b, secretariat, observer):
    assert rep_a.has_perm("evaluations.read_pledge", pledge_a)
    assert not rep_b.has_perm("evaluations.read_pledge", pledge_a)
    assert not secretariat.has_perm("evaluations.read_pledge", pledge_a)
    assert not observer.has_perm("evaluations.read_pledge", pledge_a)


def test_submitted_pledge_is_readable_by_members_secretariat_observers(
    submitted_a, rep_b, secretariat, observer, other_cluster
):
    pledge = Pledge.objects.select_related("year__cluster").get(pk=submitted_a.pk)

    assert rep_b.has_perm("evaluations.read_pledge", pledge)
    assert secretariat.has_perm("evaluations.read_pledge", pledge)
    assert observer.has_perm("evaluations.read_pledge", pledge)
    assert not other_cluster["secretariat"].has_perm("evaluations.read_pledge", pledge)


def test_former_member_does_not_read_other_pledges(cluster4, submitted_a):
    from accounts.enums import Role
    from cluster.models import Membership

    Membership.objects.filter(school=cluster4.school_c).update(end_date=dt.date(2025, 12, 31))
    rep_c = f.UserFactory(role=Role.REPRESENTATIVE, school=cluster4.school_c)

    assert not rep_c.has_perm("evaluations.read_pledge", submitted_a)
    assert not rep_c.has_perm("evaluations.register_pledge", cluster4.year)


def test_only_the_own_school_edits_and_only_while_editable(pledge_a, rep_a, rep_b, secretariat):
    assert rep_a.has_perm("evaluations.edit_pledge", pledge_a)
    assert not rep_b.has_perm("evaluations.edit_pledge", pledge_a)
    assert not secretariat.has_perm("evaluations.edit_pledge", pledge_a)


def test_submitted_pledge_is_read_only_for_the_school(submitted_a, rep_a, secretariat):
    assert not rep_a.has_perm("evaluations.edit_pledge", submitted_a)
    assert secretariat.has_perm("evaluations.accept_pledge", submitted_a)
    assert not rep_a.has_perm("evaluations.accept_pledge", submitted_a)


def test_returned_pledge_is_readable_by_the_secretariat_not_other_schools(
    submitted_a, secretariat, rep_b
):
    pledge = services.return_pledge(pledge=submitted_a, by=secretariat, comment="Bổ sung")

    assert secretariat.has_perm("evaluations.read_pledge", pledge)
    assert not rep_b.has_perm("evaluations.read_pledge", pledge)


# --- selector for the dashboard --------------------------------------------------------------


def test_pledge_status_by_school_in_one_query(cluster4, submitted_a, django_assert_num_queries):
    with django_assert_num_queries(1):
        statuses = pledge_status_by_school(cluster4.year)

    assert set(statuses) == {cluster4.school_a.pk, cluster4.school_b.pk, cluster4.school_c.pk}
    assert statuses[cluster4.school_a.pk].pk == submitted_a.pk
    assert statuses[cluster4.school_a.pk].status == SubmissionStatus.SUBMITTED
    assert statuses[cluster4.school_b.pk] is None


def test_pledge_status_by_school_ignores_other_years(cluster4, submitted_a):
    other_year = f.EmulationYearFactory(cluster=cluster4.cluster, label="2027")

    statuses = pledge_status_by_school(other_year)

    assert statuses == dict.fromkeys(
        [cluster4.school_a.pk, cluster4.school_b.pk, cluster4.school_c.pk]
    )
