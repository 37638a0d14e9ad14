"""What every document shares: the year and its cluster, the letterhead, the place, the
signature of the cluster's head, the results of a year.

Documents are official Vietnamese texts (Decree 30/2020/NĐ-CP): their wording is
Vietnamese whatever the reader's interface language, so it is written here and in the
document templates directly, not through gettext. Only submitted or accepted data, closed
rounds and published results ever reach a document: drafts never do.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch

from cluster.enums import HeadingStyle, LeadershipRole
from cluster.models import Cluster, EmulationYear, Leadership, School
from cluster.selectors import members_of_year

from ..dates import vn_points
from ..errors import DocumentError
from ..layout import Column, Letterhead, Row, Signature, Table

#: Pledges and reports that count: submitted or accepted, never drafts nor returned ones.
PUBLIC_SUBMISSIONS = ("submitted", "accepted")
PUBLISHED_STAGES = ("published", "frozen")

METHOD_LABELS = {
    "mean": "trung bình cộng",
    "median": "trung vị",
    "trimmed": "trung bình sau khi bỏ một điểm cao nhất và một điểm thấp nhất",
}


def load_year(year_id) -> EmulationYear:
    try:
        return (
            EmulationYear.objects.select_related("cluster")
            .prefetch_related(
                Prefetch("leaders", queryset=Leadership.objects.select_related("school"))
            )
            .get(pk=year_id)
        )
    except (EmulationYear.DoesNotExist, ValueError, TypeError):
        raise DocumentError("year_missing")


def head_of(year: EmulationYear) -> School | None:
    for leader in year.leaders.all():
        if leader.role == LeadershipRole.HEAD:
            return leader.school
    return None


def deputies_of(year: EmulationYear) -> list[School]:
    return sorted(
        (leader.school for leader in year.leaders.all() if leader.role == LeadershipRole.DEPUTY),
        key=lambda school: school.code,
    )


def place_of(year: EmulationYear | None, cluster: Cluster) -> str:
    """The place of the date line: the province of the year's head school, else the
    cluster's name."""
    head = head_of(year) if year is not None else None
    if head is not None and head.province:
        return head.province
    return cluster.name


def upper(text: str) -> str:
    return (text or "").strip().upper()


def symbol_of(cluster: Cluster) -> str:
    return cluster.document_symbol or cluster.code


def letterhead(cluster: Cluster, year: EmulationYear | None, type_code: str) -> Letterhead:
    return Letterhead(
        superior_body=upper(cluster.superior_body),
        issuing_body=upper(cluster.name),
        party=cluster.heading_style == HeadingStyle.PARTY,
        place=place_of(year, cluster),
        symbol=symbol_of(cluster),
        type_code=type_code,
    )


def superior_name(cluster: Cluster) -> str:
    """The superior body as it reads in a sentence (entered in capitals: title case)."""
    text = (cluster.superior_body or "").strip()
    if text and text == text.upper():
        return text.title()
    return text


def head_signature(cluster: Cluster, year: EmulationYear | None) -> Signature:
    """ "TM. CỤM THI ĐUA SỐ 4 / CỤM TRƯỞNG" and the rector of the head school."""
    head = head_of(year) if year is not None else None
    return Signature(
        lines=[f"TM. {upper(cluster.name)}", "CỤM TRƯỞNG"],
        name=head.rector if head is not None else "",
        note=head.name if head is not None else "",
    )


def school_signature(school: School) -> Signature:
    return Signature(lines=[upper(school.name), "HIỆU TRƯỞNG"], name=school.rector)


def standard_recipients(cluster: Cluster, *, first: list[str] | None = None) -> list[str]:
    superior = superior_name(cluster)
    lines = list(first or [])
    if superior:
        lines.append(f"- Ban Thi đua – Khen thưởng, {superior} (để báo cáo);")
    lines += ["- Các trường thành viên Cụm;", "- Lưu: VT, Cụm."]
    return lines


def members(year: EmulationYear) -> list[School]:
    schools = list(members_of_year(year))
    if not schools:
        raise DocumentError("no_members")
    return schools


# --- results of a year ----------------------------------------------------------------------


@dataclass
class YearResults:
    stage: str  # scoring, published, frozen
    method: str
    lines: list  # evaluations.selectors_scoring.RankingLine, rank order
    fingerprint: str

    @property
    def published(self) -> bool:
        return self.stage in PUBLISHED_STAGES

    @property
    def frozen(self) -> bool:
        return self.stage == "frozen"


def year_results(year: EmulationYear) -> YearResults:
    """The ranking as the scoring pages show it: the frozen snapshot once frozen, else
    computed now from the submitted cross scores (provisional)."""
    from evaluations.selectors_scoring import ranking_lines, scoring_settings_of

    settings = scoring_settings_of(year)
    return YearResults(
        stage=settings.stage,
        method=settings.method,
        lines=ranking_lines(year),
        fingerprint=settings.fingerprint if settings.stage == "frozen" else "",
    )


def ranking_table(lines, *, caption: str = "") -> Table:
    return Table(
        caption=caption,
        columns=[
            Column("Xếp hạng", "center", 10),
            Column("Đơn vị", "left", 42),
            Column("Điểm tiêu chí", "right", 12),
            Column("Điểm thưởng", "right", 12),
            Column("Điểm trừ", "right", 12),
            Column("Tổng điểm", "right", 12),
        ],
        rows=[
            Row(
                [
                    str(line.rank),
                    line.school_name,
                    vn_points(line.criteria_points),
                    vn_points(line.bonus),
                    vn_points(line.deductions),
                    vn_points(line.total),
                ]
            )
            for line in lines
        ],
    )


def percent(part: Decimal | None, whole: Decimal | None) -> Decimal | None:
    if part is None or not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"))


def chunks(items: list, size: int) -> list[list]:
    """``items`` in balanced groups of at most ``size`` (9 by 4: 3, 3, 3 — not 4, 4, 1)."""
    if not items:
        return [[]]
    parts = -(-len(items) // size)
    base, extra = divmod(len(items), parts)
    groups, start = [], 0
    for index in range(parts):
        end = start + base + (1 if index < extra else 0)
        groups.append(items[start:end])
        start = end
    return groups
