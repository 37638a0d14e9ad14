"""awards.eligibility: every rule, judged on data gathered by the selector."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from awards.eligibility import Check, blocking, checks_from_json, checks_to_json
from awards.enums import NominationStatus, RecipientKind
from awards.models import AwardRule
from awards.selectors_nominations import eligibility_checks

from .nominations_support import *  # noqa: F403
from .nominations_support import achieve, make_recipient, nominate, year_of

pytestmark = pytest.mark.django_db

D2023 = dt.date(2023, 12, 1)
D2024 = dt.date(2024, 3, 1)
D2026 = dt.date(2026, 12, 15)


def by_code(checks) -> dict[str, Check]:
    return {c.code: c for c in checks}


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def y2026(cluster4):
    return cluster4.year


@pytest.fixture
def person(cluster4):
    return make_recipient(cluster4.school_a, "Nguyễn Văn Mạnh")


# --- legal basis -------------------------------------------------------------------------------


def test_legal_basis_none_in_force_is_statutory_failure(cluster4, awards, y2026, person):
    AwardRule.objects.filter(award_type=awards["LDTT"]).delete()
    nomination = nominate(y2026, cluster4.school_a, person, awards["LDTT"])
    check = by_code(eligibility_checks(nomination, D2026))["legal_basis"]
    assert (check.passed, check.statutory) == (False, True)
    assert check.message == "No legal basis in force on 15/12/2026 for LĐTT."


def test_legal_basis_before_first_rule_fails(cluster4, awards, y2026, person):
    nomination = nominate(y2026, cluster4.school_a, person, awards["LDTT"])
    check = by_code(eligibility_checks(nomination, dt.date(2016, 1, 1)))["legal_basis"]
    assert check.passed is False


def test_legal_basis_2023_decision_uses_2013_law(cluster4, awards, person):
    nomination = nominate(
        year_of(cluster4.cluster, "2023"), cluster4.school_a, person, awards["LDTT"]
    )
    check = by_code(eligibility_checks(nomination, D2023))["legal_basis"]
    assert check.passed is True
    assert "Nghị định 91/2017/NĐ-CP" in check.message
    assert check.message.endswith("in force on 01/12/2023.")


def test_legal_basis_2024_decision_uses_2022_law(cluster4, awards, person):
    nomination = nominate(
        year_of(cluster4.cluster, "2023"), cluster4.school_a, person, awards["LDTT"]
    )
    check = by_code(eligibility_checks(nomination, D2024))["legal_basis"]
    assert "06/2022/QH15" in check.message


def test_same_nomination_judged_differently_under_2023_and_2024(cluster4, awards, person):
    """The 2024 rule asks for 2 consecutive CSTĐCS years, the 2013-law rule for 3."""
    AwardRule.objects.filter(
        award_type=awards["CSTD_BO"], effective_from=dt.date(2024, 1, 1)
    ).update(prerequisite_years=2)
    year = year_of(cluster4.cluster, "2023")
    achieve(person, awards["CSTDCS"], 2021)
    achieve(person, awards["CSTDCS"], 2022)
    nomination = nominate(year, cluster4.school_a, person, awards["CSTD_BO"])
    under_2023 = by_code(eligibility_checks(nomination, D2023))["consecutive_years"]
    under_2024 = by_code(eligibility_checks(nomination, D2024))["consecutive_years"]
    assert under_2023.passed is False
    assert under_2023.message == "Needs CSTĐCS in 2020, 2021 and 2022; 2020 is missing."
    assert under_2024.passed is True
    assert under_2024.message == "Holds CSTĐCS in 2021 and 2022."


def test_planned_decision_date_chooses_the_rule(cluster4, awards, person):
    year = year_of(cluster4.cluster, "2023")
    nomination = nominate(
        year, cluster4.school_a, person, awards["LDTT"], planned_decision_date=D2023
    )
    check = by_code(eligibility_checks(nomination))["legal_basis"]
    assert "91/2017" in check.message


# --- consecutive years -------------------------------------------------------------------------


def test_consecutive_years_all_held_passes(cluster4, awards, y2026, person):
    for year in (2023, 2024, 2025):
        achieve(person, awards["CSTDCS"], year)
    nomination = nominate(y2026, cluster4.school_a, person, awards["CSTD_BO"])
    check = by_code(eligibility_checks(nomination, D2026))["consecutive_years"]
    assert check.passed is True
    assert check.message == "Holds CSTĐCS in 2023, 2024 and 2025."


def test_consecutive_years_gap_fails_and_names_the_missing_year(cluster4, awards, y2026, person):
    achieve(person, awards["CSTDCS"], 2023)
    achieve(person, awards["CSTDCS"], 2025)
    achieve(person, awards["CSTDCS"], 2022)  # before the gap: does not bridge it
    nomination = nominate(y2026, cluster4.school_a, person, awards["CSTD_BO"])
    check = by_code(eligibility_checks(nomination, D2026))["consecutive_years"]
    assert check.passed is False
    assert check.message == "Needs CSTĐCS in 2023, 2024 and 2025; 2024 is missing."
    assert check.params["missing"] == [2024]


def test_consecutive_years_several_missing_plural(cluster4, awards, y2026, person):
    achieve(person, awards["CSTDCS"], 2025)
    nomination = nominate(y2026, cluster4.school_a, person, awards["CSTD_BO"])
    check = by_code(eligibility_checks(nomination, D2026))["consecutive_years"]
    assert check.message == "Needs CSTĐCS in 2023, 2024 and 2025; 2023 and 2024 are missing."


def test_consecutive_years_revoked_decision_does_not_count(cluster4, awards, y2026, person):
    achieve(person, awards["CSTDCS"], 2023)
    achieve(person, awards["CSTDCS"], 2024, revoked=True)
    achieve(person, awards["CSTDCS"], 2025)
    nomination = nominate(y2026, cluster4.school_a, person, awards["CSTD_BO"])
    check = by_code(eligibility_checks(nomination, D2026))["consecutive_years"]
    assert (check.passed, check.params["missing"]) == (False, [2024])


def test_consecutive_years_pending_nomination_does_not_count(cluster4, awards, y2026, person):
    achieve(person, awards["CSTDCS"], 2023)
    achieve(person, awards["CSTDCS"], 2024)
    nominate(
        year_of(cluster4.cluster, "2025"),
        cluster4.school_a,
        person,
        awards["CSTDCS"],
        status=NominationStatus.FORWARDED,
    )
    nomination = nominate(y2026, cluster4.school_a, person, awards["CSTD_BO"])
    check = by_code(eligibility_checks(nomination, D2026))["consecutive_years"]
    assert check.params["missing"] == [2025]


def test_consecutive_years_national_needs_two_ministry_titles(cluster4, awards, y2026, person):
    achieve(person, awards["CSTD_BO"], 2025)
    nomination = nominate(y2026, cluster4.school_a, person, awards["CSTD_TQ"])
    check = by_code(eligibility_checks(nomination, D2026))["consecutive_years"]
    assert check.message == "Needs CSTĐ cấp bộ in 2024 and 2025; 2024 is missing."


def test_consecutive_years_school_year_counts_its_end_year(cluster4, awards, person):
    year = f_school_year = year_of(cluster4.cluster, "2017–2018")
    year.end_date = dt.date(2018, 8, 31)
    year.save()
    nomination = nominate(f_school_year, cluster4.school_a, person, awards["CSTD_BO"])
    check = by_code(eligibility_checks(nomination, dt.date(2018, 10, 1)))["consecutive_years"]
    assert check.params["needed"] == [2015, 2016, 2017]


# --- same-year title ---------------------------------------------------------------------------


def test_same_year_title_held_passes(cluster4, awards, y2026, person):
    achieve(person, awards["LDTT"], 2026)
    nomination = nominate(y2026, cluster4.school_a, person, awards["CSTDCS"])
    check = by_code(eligibility_checks(nomination, D2026))["same_year_title"]
    assert check.passed is True


def test_same_year_title_submitted_proposal_passes(cluster4, awards, y2026, person):
    nominate(y2026, cluster4.school_a, person, awards["LDTT"], status=NominationStatus.SUBMITTED)
    nomination = nominate(y2026, cluster4.school_a, person, awards["CSTDCS"])
    check = by_code(eligibility_checks(nomination, D2026))["same_year_title"]
    assert check.message == "Holds or is proposed for LĐTT in 2026."


def test_same_year_title_draft_proposal_does_not_count(cluster4, awards, y2026, person):
    nominate(y2026, cluster4.school_a, person, awards["LDTT"], status=NominationStatus.DRAFT)
    nomination = nominate(y2026, cluster4.school_a, person, awards["CSTDCS"])
    check = by_code(eligibility_checks(nomination, D2026))["same_year_title"]
    assert check.passed is False
    assert check.message.startswith("Needs LĐTT in 2026")


def test_same_year_title_refused_or_withdrawn_does_not_count(cluster4, awards, y2026, person):
    nominate(y2026, cluster4.school_a, person, awards["LDTT"], status=NominationStatus.WITHDRAWN)
    nomination = nominate(y2026, cluster4.school_a, person, awards["CSTDCS"])
    assert by_code(eligibility_checks(nomination, D2026))["same_year_title"].passed is False


def test_same_year_title_of_another_year_does_not_count(cluster4, awards, y2026, person):
    achieve(person, awards["LDTT"], 2025)
    nomination = nominate(y2026, cluster4.school_a, person, awards["CSTDCS"])
    assert by_code(eligibility_checks(nomination, D2026))["same_year_title"].passed is False


def test_same_year_title_revoked_does_not_count(cluster4, awards, y2026, person):
    achieve(person, awards["LDTT"], 2026, revoked=True)
    nomination = nominate(y2026, cluster4.school_a, person, awards["CSTDCS"])
    assert by_code(eligibility_checks(nomination, D2026))["same_year_title"].passed is False


# --- initiative --------------------------------------------------------------------------------


def test_initiative_missing_fails(cluster4, awards, y2026, person):
    nomination = nominate(y2026, cluster4.school_a, person, awards["CSTDCS"], initiative="  ")
    check = by_code(eligibility_checks(nomination, D2026))["initiative"]
    assert (check.passed, check.statutory) == (False, True)


def test_initiative_file_alone_is_enough(cluster4, awards, y2026, person):
    from django.core.files.base import ContentFile

    nomination = nominate(y2026, cluster4.school_a, person, awards["CSTDCS"], initiative="")
    nomination.initiative_file.save("sk.pdf", ContentFile(b"%PDF-1.4"), save=True)
    assert by_code(eligibility_checks(nomination, D2026))["initiative"].passed is True


def test_initiative_not_checked_for_ldtt(cluster4, awards, y2026, person):
    nomination = nominate(y2026, cluster4.school_a, person, awards["LDTT"], initiative="")
    assert "initiative" not in by_code(eligibility_checks(nomination, D2026))


# --- quota -------------------------------------------------------------------------------------


def _ldtt_people(school, award_type, count: int, year: int = 2026) -> list:
    people = [make_recipient(school, f"Cán bộ {i:02d}") for i in range(count)]
    for person in people:
        achieve(person, award_type, year)
    return people


def test_quota_within_limit_passes(cluster4, awards, y2026):
    people = _ldtt_people(cluster4.school_a, awards["LDTT"], 14)  # floor(15% × 14) = 2
    achieve(people[0], awards["CSTDCS"], 2026)
    nomination = nominate(y2026, cluster4.school_a, people[1], awards["CSTDCS"])
    check = by_code(eligibility_checks(nomination, D2026))["quota"]
    assert check.passed is True
    assert check.message == (
        "Quota: 2 CSTĐCS in 2026 with this one, within the 2 allowed (15% of 14 LĐTT)."
    )


def test_quota_exceeded_fails_with_the_numbers(cluster4, awards, y2026):
    people = _ldtt_people(cluster4.school_a, awards["LDTT"], 14)
    achieve(people[0], awards["CSTDCS"], 2026)
    nominate(y2026, cluster4.school_a, people[1], awards["CSTDCS"], status="submitted")
    nomination = nominate(y2026, cluster4.school_a, people[2], awards["CSTDCS"])
    check = by_code(eligibility_checks(nomination, D2026))["quota"]
    assert (check.passed, check.statutory) == (False, True)
    assert check.message == (
        "Quota exceeded: 3 CSTĐCS in 2026 with this one, but only 2 allowed (15% of 14 LĐTT)."
    )


def test_quota_counts_submitted_ldtt_proposals_once(cluster4, awards, y2026):
    people = _ldtt_people(cluster4.school_a, awards["LDTT"], 6)
    for person in people[:6]:  # also proposed: counted once per recipient
        nominate(y2026, cluster4.school_a, person, awards["GK_CN"], status="submitted")
    newcomers = [make_recipient(cluster4.school_a, f"Mới {i}") for i in range(1)]
    nominate(y2026, cluster4.school_a, newcomers[0], awards["LDTT"], status="submitted")
    nomination = nominate(y2026, cluster4.school_a, people[0], awards["CSTDCS"])
    check = by_code(eligibility_checks(nomination, D2026))["quota"]
    assert (check.params["base"], check.params["allowed"]) == (7, 1)


def test_quota_ignores_other_schools_and_years(cluster4, awards, y2026):
    _ldtt_people(cluster4.school_b, awards["LDTT"], 20)
    _ldtt_people(cluster4.school_a, awards["LDTT"], 20, year=2025)
    person = make_recipient(cluster4.school_a, "Đơn lẻ")
    nomination = nominate(y2026, cluster4.school_a, person, awards["CSTDCS"])
    check = by_code(eligibility_checks(nomination, D2026))["quota"]
    assert (check.params["base"], check.params["allowed"], check.passed) == (0, 0, False)


def test_quota_revoked_ldtt_not_counted(cluster4, awards, y2026):
    people = _ldtt_people(cluster4.school_a, awards["LDTT"], 7)
    achieve(make_recipient(cluster4.school_a, "Bị thu hồi"), awards["LDTT"], 2026, revoked=True)
    nomination = nominate(y2026, cluster4.school_a, people[0], awards["CSTDCS"])
    check = by_code(eligibility_checks(nomination, D2026))["quota"]
    assert (check.params["base"], check.params["allowed"]) == (7, 1)


def test_quota_percent_is_data(cluster4, awards, y2026):
    AwardRule.objects.filter(award_type=awards["CSTDCS"]).update(quota_percent=Decimal("50"))
    people = _ldtt_people(cluster4.school_a, awards["LDTT"], 4)
    nomination = nominate(y2026, cluster4.school_a, people[0], awards["CSTDCS"])
    check = by_code(eligibility_checks(nomination, D2026))["quota"]
    assert check.params["allowed"] == 2
    assert "50% of 4 LĐTT" in check.message


# --- collective conditions (rule 6) ------------------------------------------------------------

COLLECTIVE_OK = {
    "members_total": 20,
    "members_completed": 20,
    "members_good_or_excellent": 14,
    "members_with_title": 1,
    "members_disciplined": 0,
}


@pytest.fixture
def unit(cluster4):
    return make_recipient(cluster4.school_a, "Khoa Lý luận cơ sở", RecipientKind.COLLECTIVE)


def test_collective_all_conditions_met(cluster4, awards, y2026, unit):
    nomination = nominate(y2026, cluster4.school_a, unit, awards["TT_LDXS"], **COLLECTIVE_OK)
    checks = by_code(eligibility_checks(nomination, D2026))
    codes = ["collective_completed", "collective_good_share", "collective_title"]
    assert [checks[c].passed for c in [*codes, "collective_discipline"]] == [True] * 4
    assert checks["collective_good_share"].message == (
        "14 of 20 members (70%) are rated good or excellent (at least 70% needed)."
    )
    assert blocking(checks.values()) == []


def test_collective_missing_figures_fail(cluster4, awards, y2026, unit):
    nomination = nominate(y2026, cluster4.school_a, unit, awards["TT_LDXS"])
    check = by_code(eligibility_checks(nomination, D2026))["collective_figures"]
    assert (check.passed, check.statutory) == (False, True)


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("members_completed", 19, "collective_completed"),
        ("members_good_or_excellent", 13, "collective_good_share"),
        ("members_with_title", 0, "collective_title"),
        ("members_disciplined", 1, "collective_discipline"),
    ],
)
def test_collective_condition_failing(cluster4, awards, y2026, unit, field, value, code):
    nomination = nominate(
        y2026, cluster4.school_a, unit, awards["TT_LDXS"], **{**COLLECTIVE_OK, field: value}
    )
    checks = by_code(eligibility_checks(nomination, D2026))
    assert [c.code for c in blocking(checks.values())] == [code]


def test_collective_good_share_message_when_short(cluster4, awards, y2026, unit):
    nomination = nominate(
        y2026,
        cluster4.school_a,
        unit,
        awards["TT_LDXS"],
        **{**COLLECTIVE_OK, "members_good_or_excellent": 13},
    )
    check = by_code(eligibility_checks(nomination, D2026))["collective_good_share"]
    assert check.message == (
        "Only 13 of 20 members (65%) are rated good or excellent; at least 70% are needed."
    )


# --- recipient kind ----------------------------------------------------------------------------


def test_recipient_kind_mismatch_fails(cluster4, awards, y2026, unit):
    nomination = nominate(y2026, cluster4.school_a, unit, awards["LDTT"])
    check = by_code(eligibility_checks(nomination, D2026))["recipient_kind"]
    assert (check.passed, check.statutory) == (False, True)
    assert check.message == "LĐTT is awarded to individuals only; Khoa Lý luận cơ sở is not one."


# --- one achievement, one award ----------------------------------------------------------------


def test_one_award_held_same_type_and_period_fails(cluster4, awards, y2026, person):
    achieve(person, awards["LDTT"], 2026, number="77/QĐ-SCA")
    nomination = nominate(y2026, cluster4.school_a, person, awards["LDTT"])
    check = by_code(eligibility_checks(nomination, D2026))["one_award"]
    assert check.passed is False
    assert "(decision 77/QĐ-SCA)" in check.message


def test_one_award_revoked_decision_frees_the_period(cluster4, awards, y2026, person):
    achieve(person, awards["LDTT"], 2026, revoked=True)
    nomination = nominate(y2026, cluster4.school_a, person, awards["LDTT"])
    assert by_code(eligibility_checks(nomination, D2026))["one_award"].passed is True


def test_one_award_same_type_other_period_passes(cluster4, awards, y2026, person):
    achieve(person, awards["LDTT"], 2025)
    nomination = nominate(y2026, cluster4.school_a, person, awards["LDTT"])
    assert by_code(eligibility_checks(nomination, D2026))["one_award"].passed is True


def test_one_award_live_nomination_elsewhere_fails(cluster4, awards, y2026, person):
    """The same recipient proposed again for the same type and year (the first one was
    returned, the second is a new draft written directly)."""
    first = nominate(y2026, cluster4.school_a, person, awards["LDTT"], status="submitted")
    first.status = NominationStatus.REFUSED
    first.save()
    second = nominate(y2026, cluster4.school_a, person, awards["LDTT"], status="submitted")
    second_check = by_code(eligibility_checks(second, D2026))["one_award"]
    assert second_check.passed is True  # a refused one is dead
    first.status = NominationStatus.SUBMITTED
    # Simulate a live duplicate as the engine sees it, without the database constraint.
    from awards.eligibility import PROPOSED, Award, evaluate
    from awards.selectors_nominations import eligibility_facts

    facts = eligibility_facts(second, D2026)
    duplicate = Award(person.pk, awards["LDTT"].pk, "LĐTT", "title", 2026, PROPOSED, "submitted")
    facts = type(facts)(**{**facts.__dict__, "recipient_awards": [duplicate]})
    check = by_code(evaluate(facts))["one_award"]
    assert check.passed is False
    assert "already proposed for LĐTT for 2026" in check.message


def test_one_form_per_recipient_and_period(cluster4, awards, y2026, person):
    achieve(person, awards["GK_CN"], 2026)
    nomination = nominate(y2026, cluster4.school_a, person, awards["BK_HV_CN"])
    check = by_code(eligibility_checks(nomination, D2026))["one_form"]
    assert check.passed is False
    assert check.message == (
        "Nguyễn Văn Mạnh already has a form of commendation for 2026 (Giấy khen): one form "
        "per recipient and period."
    )


def test_one_form_title_does_not_block_a_form(cluster4, awards, y2026, person):
    achieve(person, awards["LDTT"], 2026)
    nomination = nominate(y2026, cluster4.school_a, person, awards["GK_CN"])
    assert by_code(eligibility_checks(nomination, D2026))["one_form"].passed is True


def test_one_form_not_checked_for_titles(cluster4, awards, y2026, person):
    nomination = nominate(y2026, cluster4.school_a, person, awards["LDTT"])
    assert "one_form" not in by_code(eligibility_checks(nomination, D2026))


# --- storage and language ----------------------------------------------------------------------


def test_checks_round_trip_json_and_rerender_in_vietnamese(cluster4, awards, y2026, person):
    achieve(person, awards["CSTDCS"], 2025)
    nomination = nominate(y2026, cluster4.school_a, person, awards["CSTD_BO"])
    stored = checks_to_json(eligibility_checks(nomination, D2026))
    assert all("message" not in item for item in stored)
    with translation.override("vi"):
        rebuilt = by_code(checks_from_json(stored))["consecutive_years"]
    assert rebuilt.passed is False
    assert "2023" in rebuilt.message and "2024" in rebuilt.message


def test_eligible_ldtt_has_no_blocking_check(cluster4, awards, y2026, person):
    nomination = nominate(y2026, cluster4.school_a, person, awards["LDTT"])
    checks = eligibility_checks(nomination, D2026)
    assert [c.code for c in checks] == ["recipient_kind", "legal_basis", "one_award"]
    assert blocking(checks) == []
