"""The award catalogue: seeded from DOMAIN.md, idempotent, parameters as data, rule by date."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from awards.catalogue_data import AWARD_TYPES
from awards.models import AwardRule, AwardType
from awards.services.catalogue import rule_in_force, seed_award_catalogue

from .nominations_support import *  # noqa: F403

pytestmark = pytest.mark.django_db


def test_seed_creates_every_type_with_two_legal_bases(db):
    counts = seed_award_catalogue()
    assert (counts.types_created, counts.rules_created) == (len(AWARD_TYPES), 2 * len(AWARD_TYPES))
    assert set(AwardType.objects.values_list("code", flat=True)) >= {
        "LDTT",
        "CSTDCS",
        "CSTD_BO",
        "CSTD_TQ",
        "TT_LDTT",
        "TT_LDXS",
        "CO_HV",
        "CO_CP",
        "GK_CN",
        "BK_HV_TT",
        "BK_TTG_CN",
    }
    bases = set(AwardRule.objects.values_list("legal_basis", "effective_from", "effective_to"))
    assert bases == {
        (
            "Luật Thi đua, Khen thưởng 2003 (sửa đổi, bổ sung 2013); Nghị định 91/2017/NĐ-CP",
            dt.date(2017, 7, 31),
            dt.date(2023, 12, 31),
        ),
        (
            "Luật Thi đua, khen thưởng số 06/2022/QH15; Nghị định 152/2025/NĐ-CP",
            dt.date(2024, 1, 1),
            None,
        ),
    }


def test_seed_parameters_of_the_rules(awards):
    cstdcs = AwardRule.objects.get(award_type=awards["CSTDCS"], effective_from=dt.date(2024, 1, 1))
    assert (cstdcs.same_year_type, cstdcs.quota_of_type, cstdcs.quota_percent) == (
        awards["LDTT"],
        awards["LDTT"],
        Decimal("15.00"),
    )
    assert cstdcs.requires_initiative is True
    bo = AwardRule.objects.get(award_type=awards["CSTD_BO"], effective_from=dt.date(2017, 7, 31))
    assert (bo.prerequisite_type, bo.prerequisite_years, bo.vote_threshold_percent) == (
        awards["CSTDCS"],
        3,
        Decimal("90.00"),
    )
    assert bo.threshold_base == "electorate"
    national = AwardRule.objects.get(
        award_type=awards["CSTD_TQ"], effective_from=dt.date(2024, 1, 1)
    )
    assert (national.prerequisite_type, national.prerequisite_years) == (awards["CSTD_BO"], 2)
    excellent = AwardRule.objects.get(
        award_type=awards["TT_LDXS"], effective_from=dt.date(2024, 1, 1)
    )
    assert (
        excellent.min_good_share_percent,
        excellent.min_members_with_type,
        excellent.requires_all_members_completed,
        excellent.forbids_disciplined_members,
    ) == (Decimal("70.00"), 1, True, True)
    assert awards["TT_LDXS"].recipient_kind == "collective"
    assert awards["BK_TTG_CN"].category == "form"


def test_seed_is_idempotent(db):
    seed_award_catalogue()
    again = seed_award_catalogue()
    assert (again.types_created, again.rules_created) == (0, 0)
    assert AwardRule.objects.count() == 2 * len(AWARD_TYPES)


def test_seed_does_not_overwrite_admin_changes(awards):
    AwardType.objects.filter(code="LDTT").update(name="Lao động tiên tiến (sửa)")
    AwardRule.objects.filter(award_type=awards["CSTDCS"]).update(quota_percent=Decimal("20"))
    seed_award_catalogue()
    assert AwardType.objects.get(code="LDTT").name == "Lao động tiên tiến (sửa)"
    assert set(
        AwardRule.objects.filter(award_type=awards["CSTDCS"]).values_list(
            "quota_percent", flat=True
        )
    ) == {Decimal("20.00")}


def test_seed_restores_a_deleted_rule(awards):
    AwardRule.objects.filter(award_type=awards["LDTT"], effective_from=dt.date(2024, 1, 1)).delete()
    assert seed_award_catalogue().rules_created == 1


def test_command_seeds(db, capsys):
    call_command("seed_award_catalogue")
    assert AwardType.objects.count() == len(AWARD_TYPES)
    assert str(len(AWARD_TYPES)) in capsys.readouterr().out


@pytest.mark.parametrize(
    ("day", "start"),
    [
        (dt.date(2023, 12, 31), dt.date(2017, 7, 31)),
        (dt.date(2024, 1, 1), dt.date(2024, 1, 1)),
        (dt.date(2030, 6, 1), dt.date(2024, 1, 1)),
    ],
)
def test_rule_in_force_by_date(awards, day, start):
    assert rule_in_force(awards["LDTT"], day).effective_from == start


def test_rule_in_force_none_before_the_first(awards):
    assert rule_in_force(awards["LDTT"], dt.date(2010, 1, 1)) is None


@pytest.mark.parametrize(
    "persona", ["rep_a", "rep_b", "observer", "secretariat", "admin_user", "other"]
)
def test_catalogue_page_for_every_signed_in_persona(client_for, request, awards, persona):
    user = (
        request.getfixturevalue("other_cluster")["secretariat"]
        if persona == "other"
        else request.getfixturevalue(persona)
    )
    response = client_for(user).get(reverse("awards:catalogue"))
    assert response.status_code == 200
    assert len(response.context["award_types"]) == len(AWARD_TYPES)
    assert "Nghị định 152/2025/NĐ-CP" in response.content.decode()


def test_catalogue_page_anonymous_redirects(client_for, db):
    response = client_for(None).get(reverse("awards:catalogue"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_catalogue_page_query_count(client_for, observer, awards, django_assert_max_num_queries):
    client = client_for(observer)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("awards:catalogue"))
    assert response.status_code == 200
