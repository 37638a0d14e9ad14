"""The award catalogue as seeded (DOMAIN "Titles and awards", rules 1, 4–7).

Data, not code: ``seed_award_catalogue()`` (awards.services.catalogue) creates what is
missing and never overwrites what an administrator changed in the admin.

Simplifications (documented on purpose):

- Forms of commendation (Giấy khen, Bằng khen) are given to individuals and to collectives;
  an award type has one recipient kind, so each form is seeded twice (``…_CN`` for
  individuals, ``…_TT`` for collectives).
- National emulation fighter: the law asks for two consecutive *times* the ministry-level
  fighter title (each of which itself covers several years). We model it as the
  ministry-level fighter title held in the 2 preceding years (``CSTD_BO``, 2 years).
- Both legal bases carry the same figures; they are separate rule rows so that an
  administrator can change the figures of one basis without touching the other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from .enums import AwardCategory, AwardLevel, RecipientKind, ThresholdBase

ACADEMY_DIRECTOR = "Giám đốc Học viện Chính trị quốc gia Hồ Chí Minh"
RECTOR = "Hiệu trưởng trường chính trị tỉnh"
PRIME_MINISTER = "Thủ tướng Chính phủ"


@dataclass(frozen=True)
class LegalBasis:
    key: str
    text: str
    effective_from: date
    effective_to: date | None


LAW_2013 = LegalBasis(
    key="2013",
    text="Luật Thi đua, Khen thưởng 2003 (sửa đổi, bổ sung 2013); Nghị định 91/2017/NĐ-CP",
    effective_from=date(2017, 7, 31),
    effective_to=date(2023, 12, 31),
)
LAW_2022 = LegalBasis(
    key="2022",
    text="Luật Thi đua, khen thưởng số 06/2022/QH15; Nghị định 152/2025/NĐ-CP",
    effective_from=date(2024, 1, 1),
    effective_to=None,
)
LEGAL_BASES = (LAW_2013, LAW_2022)


@dataclass(frozen=True)
class RuleSpec:
    """The parameters of a type's rule (the same under each legal basis unless overridden)."""

    prerequisite: str | None = None
    prerequisite_years: int = 0
    same_year: str | None = None
    requires_initiative: bool = False
    quota_percent: Decimal | None = None
    quota_of: str | None = None
    min_good_share_percent: Decimal | None = None
    min_members_with_type: int | None = None
    requires_all_members_completed: bool = False
    forbids_disciplined_members: bool = False
    vote_threshold_percent: Decimal | None = None
    threshold_base: str = ThresholdBase.ELECTORATE


@dataclass(frozen=True)
class TypeSpec:
    code: str
    name: str
    short_name: str
    category: str
    recipient_kind: str
    level: str
    issuer: str
    order: int
    rule: RuleSpec = field(default_factory=RuleSpec)


NINETY = Decimal("90")

AWARD_TYPES: tuple[TypeSpec, ...] = (
    # Individual titles.
    TypeSpec(
        "LDTT",
        "Lao động tiên tiến",
        "LĐTT",
        AwardCategory.TITLE,
        RecipientKind.INDIVIDUAL,
        AwardLevel.SCHOOL,
        RECTOR,
        10,
    ),
    TypeSpec(
        "CSTDCS",
        "Chiến sĩ thi đua cơ sở",
        "CSTĐCS",
        AwardCategory.TITLE,
        RecipientKind.INDIVIDUAL,
        AwardLevel.SCHOOL,
        RECTOR,
        20,
        RuleSpec(
            same_year="LDTT",
            requires_initiative=True,
            quota_percent=Decimal("15"),
            quota_of="LDTT",
        ),
    ),
    TypeSpec(
        "CSTD_BO",
        "Chiến sĩ thi đua cấp bộ (Học viện)",
        "CSTĐ cấp bộ",
        AwardCategory.TITLE,
        RecipientKind.INDIVIDUAL,
        AwardLevel.ACADEMY,
        ACADEMY_DIRECTOR,
        30,
        RuleSpec(
            prerequisite="CSTDCS",
            prerequisite_years=3,
            requires_initiative=True,
            vote_threshold_percent=NINETY,
        ),
    ),
    TypeSpec(
        "CSTD_TQ",
        "Chiến sĩ thi đua toàn quốc",
        "CSTĐ toàn quốc",
        AwardCategory.TITLE,
        RecipientKind.INDIVIDUAL,
        AwardLevel.NATIONAL,
        PRIME_MINISTER,
        40,
        RuleSpec(
            prerequisite="CSTD_BO",
            prerequisite_years=2,
            requires_initiative=True,
            vote_threshold_percent=NINETY,
        ),
    ),
    # Collective titles.
    TypeSpec(
        "TT_LDTT",
        "Tập thể lao động tiên tiến",
        "Tập thể LĐTT",
        AwardCategory.TITLE,
        RecipientKind.COLLECTIVE,
        AwardLevel.SCHOOL,
        RECTOR,
        50,
    ),
    TypeSpec(
        "TT_LDXS",
        "Tập thể lao động xuất sắc",
        "Tập thể LĐXS",
        AwardCategory.TITLE,
        RecipientKind.COLLECTIVE,
        AwardLevel.ACADEMY,
        ACADEMY_DIRECTOR,
        60,
        RuleSpec(
            min_good_share_percent=Decimal("70"),
            min_members_with_type=1,
            requires_all_members_completed=True,
            forbids_disciplined_members=True,
            vote_threshold_percent=NINETY,
        ),
    ),
    TypeSpec(
        "CO_HV",
        "Cờ thi đua của Học viện",
        "Cờ thi đua Học viện",
        AwardCategory.TITLE,
        RecipientKind.COLLECTIVE,
        AwardLevel.ACADEMY,
        ACADEMY_DIRECTOR,
        70,
        RuleSpec(vote_threshold_percent=NINETY),
    ),
    TypeSpec(
        "CO_CP",
        "Cờ thi đua của Chính phủ",
        "Cờ thi đua Chính phủ",
        AwardCategory.TITLE,
        RecipientKind.COLLECTIVE,
        AwardLevel.NATIONAL,
        PRIME_MINISTER,
        80,
        RuleSpec(vote_threshold_percent=NINETY),
    ),
    # Forms of commendation, for individuals and for collectives.
    TypeSpec(
        "GK_CN",
        "Giấy khen (cá nhân)",
        "Giấy khen",
        AwardCategory.FORM,
        RecipientKind.INDIVIDUAL,
        AwardLevel.SCHOOL,
        RECTOR,
        110,
    ),
    TypeSpec(
        "GK_TT",
        "Giấy khen (tập thể)",
        "Giấy khen",
        AwardCategory.FORM,
        RecipientKind.COLLECTIVE,
        AwardLevel.SCHOOL,
        RECTOR,
        115,
    ),
    TypeSpec(
        "BK_HV_CN",
        "Bằng khen của Giám đốc Học viện (cá nhân)",
        "Bằng khen Học viện",
        AwardCategory.FORM,
        RecipientKind.INDIVIDUAL,
        AwardLevel.ACADEMY,
        ACADEMY_DIRECTOR,
        120,
        RuleSpec(vote_threshold_percent=NINETY),
    ),
    TypeSpec(
        "BK_HV_TT",
        "Bằng khen của Giám đốc Học viện (tập thể)",
        "Bằng khen Học viện",
        AwardCategory.FORM,
        RecipientKind.COLLECTIVE,
        AwardLevel.ACADEMY,
        ACADEMY_DIRECTOR,
        125,
        RuleSpec(vote_threshold_percent=NINETY),
    ),
    TypeSpec(
        "BK_TTG_CN",
        "Bằng khen của Thủ tướng Chính phủ (cá nhân)",
        "Bằng khen Thủ tướng",
        AwardCategory.FORM,
        RecipientKind.INDIVIDUAL,
        AwardLevel.NATIONAL,
        PRIME_MINISTER,
        130,
        RuleSpec(vote_threshold_percent=NINETY),
    ),
    TypeSpec(
        "BK_TTG_TT",
        "Bằng khen của Thủ tướng Chính phủ (tập thể)",
        "Bằng khen Thủ tướng",
        AwardCategory.FORM,
        RecipientKind.COLLECTIVE,
        AwardLevel.NATIONAL,
        PRIME_MINISTER,
        135,
        RuleSpec(vote_threshold_percent=NINETY),
    ),
)
