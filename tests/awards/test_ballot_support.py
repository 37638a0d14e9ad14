"""Shared helpers of the ballot tests (imported by test_ballot*, test_election*,
test_secrecy*, the concurrency test and the voting journey). No tests here."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from accounts.enums import Role
from awards.enums import RoundKind, ThresholdBase
from awards.models import VotingRound
from awards.services import ballots as services
from cluster.enums import LeadershipRole
from tests import factories as f

NINE = [
    ("BNI", "Trường Chính trị Nguyễn Văn Cừ", "Bắc Ninh"),
    ("HDU", "Trường Chính trị tỉnh Hải Dương", "Hải Dương"),
    ("TBI", "Trường Chính trị tỉnh Thái Bình", "Thái Bình"),
    ("HYE", "Trường Chính trị Nguyễn Văn Linh", "Hưng Yên"),
    ("NBI", "Trường Chính trị tỉnh Ninh Bình", "Ninh Bình"),
    ("HNA", "Trường Chính trị tỉnh Hà Nam", "Hà Nam"),
    ("NDI", "Trường Chính trị Trường Chinh", "Nam Định"),
    ("QNI", "Trường Chính trị tỉnh Quảng Ninh", "Quảng Ninh"),
    ("VPH", "Trường Chính trị tỉnh Vĩnh Phúc", "Vĩnh Phúc"),
]


class NineWorld:
    """Cluster N9 with nine member schools, years 2026 (head HYE) and 2027, a secretariat
    and one representative per school."""

    def __init__(self, *, code: str = "N9", with_next_year: bool = True):
        self.cluster = f.ClusterFactory(code=code, name=f"Cụm thi đua {code}")
        self.schools = {}
        for school_code, name, province in NINE:
            school = f.SchoolFactory(code=f"{code}{school_code}", name=name, province=province)
            f.MembershipFactory(cluster=self.cluster, school=school, start_date=dt.date(2017, 1, 1))
            self.schools[school_code] = school
        self.year = f.EmulationYearFactory(cluster=self.cluster, label="2026")
        self.next_year = (
            f.EmulationYearFactory(cluster=self.cluster, label="2027") if with_next_year else None
        )
        f.LeadershipFactory(year=self.year, school=self.schools["HYE"], role=LeadershipRole.HEAD)
        self.secretariat = f.UserFactory(
            email=f"thuky.{code.lower()}@example.vn",
            full_name="Thư ký",
            role=Role.SECRETARIAT,
            cluster=self.cluster,
        )
        self.reps = {
            school_code: f.UserFactory(
                email=f"{code.lower()}.{school_code.lower()}@example.vn",
                full_name=f"Đại diện {school_code}",
                role=Role.REPRESENTATIVE,
                school=school,
            )
            for school_code, school in self.schools.items()
        }

    @property
    def voters(self) -> list:
        return [self.schools[code] for code, _n, _p in NINE]


FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def make_world(settings, **kwargs) -> NineWorld:
    """The nine-school cluster, its ten accounts hashed fast (use in a ``world`` fixture)."""
    settings.PASSWORD_HASHERS = FAST_HASHERS
    return NineWorld(**kwargs)


def new_round(
    year,
    kind: str = RoundKind.CHOOSE,
    *,
    by=None,
    title: str = "Bình chọn đơn vị dẫn đầu",
    max_choices: int = 1,
    seat: str = "",
    award_type=None,
    quorum: str = "66.67",
    threshold: str = "50",
    base: str = ThresholdBase.ELECTORATE,
    prefill: bool = True,
    open_it: bool = True,
) -> VotingRound:
    now = timezone.now()
    voting_round = VotingRound(
        year=year,
        kind=kind,
        title=title,
        max_choices=max_choices,
        seat=seat,
        award_type=award_type,
        opens_at=now - dt.timedelta(hours=1),
        closes_at=now + dt.timedelta(hours=1),
        quorum_percent=Decimal(quorum),
        threshold_percent=Decimal(threshold),
        threshold_base=base,
    )
    services.create_round(voting_round=voting_round, by=by, prefill=prefill)
    if open_it:
        services.open_round(voting_round=voting_round, by=by)
        voting_round.refresh_from_db()
    return voting_round


def candidate_for(voting_round, school):
    return voting_round.candidates.get(school=school)


def vote_for(voting_round, voter, *chosen_schools) -> str:
    """``voter`` (a school) chooses ``chosen_schools``; returns the receipt code."""
    answers = {candidate_for(voting_round, s).pk: "yes" for s in chosen_schools}
    return services.cast_ballot(
        voting_round=voting_round, school=voter, answers=answers, by=None
    ).receipt
