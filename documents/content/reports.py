"""The cluster's annual report (báo cáo tổng kết năm) and the multi-year summary (báo cáo
tổng kết giai đoạn, e.g. 2020–2025) with tables and charts over the years.

Figures come from submitted or accepted pledges and reports, results only from published
or frozen years, voting only from closed rounds.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db.models import Sum

from awards.enums import NominationStatus, RecipientKind, RoundStatus
from awards.models import Nomination, VotingRound
from cluster.enums import LeadershipRole
from cluster.models import EmulationYear, Event, Leadership
from cluster.selectors import members_of_year
from evaluations.models import AnnualReport, Indicator, IndicatorResult, PledgeTarget

from ..dates import vn_date, vn_number, vn_points
from ..errors import DocumentError
from ..layout import (
    Chart,
    Column,
    Heading,
    OfficialDocument,
    Paragraph,
    Row,
    Series,
    Table,
)
from . import common

YEARS_PER_TABLE = 8
MAX_INDICATOR_CHARTS = 6
PROPOSED_STATUSES = (
    NominationStatus.APPROVED,
    NominationStatus.FORWARDED,
    NominationStatus.DECIDED,
)


def _indicator_totals(years: list[EmulationYear]) -> tuple[dict, dict]:
    """(targets, actuals): {(year id, indicator id): sum} over submitted or accepted
    pledges and reports."""
    targets = {
        (row["indicator__year_id"], row["indicator_id"]): row["total"]
        for row in PledgeTarget.objects.filter(
            indicator__year__in=years, pledge__status__in=common.PUBLIC_SUBMISSIONS
        )
        .values("indicator__year_id", "indicator_id")
        .annotate(total=Sum("target"))
    }
    actuals = {
        (row["indicator__year_id"], row["indicator_id"]): row["total"]
        for row in IndicatorResult.objects.filter(
            indicator__year__in=years, report__status__in=common.PUBLIC_SUBMISSIONS
        )
        .values("indicator__year_id", "indicator_id")
        .annotate(total=Sum("actual"))
    }
    return targets, actuals


def build_annual(params: dict, type_code: str) -> OfficialDocument:
    year = common.load_year(params.get("year"))
    cluster = year.cluster
    members = common.members(year)
    head = common.head_of(year)
    deputies = common.deputies_of(year)
    superior = common.superior_name(cluster)

    overview = (
        f"Năm {year.label}, {cluster.name} có {len(members)} trường thành viên. "
        f"Cụm trưởng: {head.name if head else 'chưa bầu'}"
        + (f"; Cụm phó: {', '.join(d.name for d in deputies)}" if deputies else "")
        + "."
    )
    blocks = [Heading("I. ĐẶC ĐIỂM TÌNH HÌNH"), Paragraph(overview)]
    if year.recognition_decision_number:
        blocks.append(
            Paragraph(
                f"Cụm trưởng, Cụm phó được công nhận theo Quyết định số "
                f"{year.recognition_decision_number} ngày {vn_date(year.recognition_decision_date)}"
                + (f" của {superior}." if superior else ".")
            )
        )
    if year.theme:
        blocks.append(Paragraph(f"Chủ đề thi đua của năm: “{year.theme}”."))
    roles = {head.pk: "Cụm trưởng"} if head else {}
    roles.update({d.pk: "Cụm phó" for d in deputies})
    blocks.append(
        Table(
            columns=[
                Column("STT", "center", 7),
                Column("Trường thành viên", "left", 53),
                Column("Tỉnh, thành phố", "left", 22),
                Column("Vai trò", "center", 18),
            ],
            rows=[
                Row([str(n), s.name, s.province, roles.get(s.pk, "Thành viên")])
                for n, s in enumerate(members, start=1)
            ],
        )
    )

    blocks += [Heading("II. KẾT QUẢ THỰC HIỆN"), Paragraph("1. Hoạt động của Cụm", bold=True)]
    events = list(
        Event.objects.filter(year=year).select_related("host_school").order_by("date", "pk")
    )
    if events:
        blocks.append(
            Table(
                columns=[
                    Column("STT", "center", 7),
                    Column("Ngày", "center", 14),
                    Column("Hoạt động", "left", 50),
                    Column("Đơn vị chủ trì", "left", 29),
                ],
                rows=[
                    Row(
                        [
                            str(n),
                            vn_date(e.date),
                            e.title,
                            e.host_school.name if e.host_school else "—",
                        ]
                    )
                    for n, e in enumerate(events, start=1)
                ],
            )
        )
    else:
        blocks.append(Paragraph("Chưa ghi nhận hoạt động chung nào của Cụm.", italic=True))

    blocks.append(Paragraph("2. Kết quả thực hiện các chỉ tiêu", bold=True))
    indicators = list(Indicator.objects.filter(year=year).order_by("order", "code"))
    targets, actuals = _indicator_totals([year])
    reported = AnnualReport.objects.filter(
        year=year, status__in=common.PUBLIC_SUBMISSIONS, school__in=members
    ).count()
    blocks.append(
        Paragraph(
            f"Số trường đã gửi báo cáo tổng kết: {reported}/{len(members)}. Số liệu tổng hợp từ "
            "các bản đăng ký và báo cáo đã gửi:"
        )
    )
    if indicators:
        rows = []
        for n, indicator in enumerate(indicators, start=1):
            target = targets.get((year.pk, indicator.pk))
            actual = actuals.get((year.pk, indicator.pk))
            rows.append(
                Row(
                    [
                        str(n),
                        indicator.name,
                        indicator.unit,
                        vn_number(target, 2),
                        vn_number(actual, 2),
                        vn_number(common.percent(actual, target), 1),
                    ]
                )
            )
        blocks.append(
            Table(
                columns=[
                    Column("STT", "center", 7),
                    Column("Chỉ tiêu", "left", 38),
                    Column("Đơn vị tính", "center", 13),
                    Column("Đăng ký", "right", 14),
                    Column("Thực hiện", "right", 14),
                    Column("Tỷ lệ (%)", "right", 14),
                ],
                rows=rows,
            )
        )
    else:
        blocks.append(Paragraph("Năm thi đua chưa có danh mục chỉ tiêu.", italic=True))

    blocks.append(Paragraph("3. Kết quả chấm điểm, xếp hạng", bold=True))
    results = common.year_results(year)
    if results.published:
        if not results.frozen:
            blocks.append(Paragraph("Kết quả tạm thời, đã công bố cho các trường:", italic=True))
        blocks.append(common.ranking_table(results.lines))
    else:
        blocks.append(Paragraph("Kết quả chấm điểm của năm chưa được công bố.", italic=True))

    blocks.append(Heading("III. BÌNH XÉT, KHEN THƯỞNG"))
    rounds = list(
        VotingRound.objects.filter(year=year, status=RoundStatus.CLOSED).order_by("closed_at", "pk")
    )
    for voting_round in rounds:
        result = voting_round.result or {}
        labels = result.get("winner_labels") or []
        outcome = "; ".join(labels) if result.get("quorum_met") and labels else "không có"
        blocks.append(Paragraph(f"- {voting_round.title}: {outcome}."))
    if not rounds:
        blocks.append(Paragraph("Chưa có vòng bỏ phiếu nào kết thúc.", italic=True))
    proposed = list(
        Nomination.objects.filter(year=year, status__in=PROPOSED_STATUSES).values_list(
            "recipient__kind", "status"
        )
    )
    collectives = sum(1 for kind, _ in proposed if kind == RecipientKind.COLLECTIVE)
    decided = sum(1 for _, status in proposed if status == NominationStatus.DECIDED)
    blocks.append(
        Paragraph(
            f"Cụm đã thống nhất đề nghị khen thưởng {collectives} tập thể và "
            f"{len(proposed) - collectives} cá nhân; {decided} trường hợp đã có quyết định "
            "khen thưởng."
        )
    )
    blocks.append(
        Paragraph(
            f"Trên đây là báo cáo tổng kết phong trào thi đua năm {year.label} "
            f"của {cluster.name}./."
        )
    )
    return OfficialDocument(
        letterhead=common.letterhead(cluster, year, type_code),
        title="BÁO CÁO",
        subject=[f"Tổng kết phong trào thi đua năm {year.label} của {cluster.name}"],
        file_title=f"Báo cáo tổng kết năm {year.label}",
        blocks=blocks,
        signatures=[common.head_signature(cluster, year)],
        recipients=common.standard_recipients(cluster),
    )


# --- multi-year summary ----------------------------------------------------------------------


def years_in_range(first: EmulationYear, last: EmulationYear) -> list[EmulationYear]:
    return list(
        EmulationYear.objects.filter(
            cluster_id=first.cluster_id,
            start_date__gte=first.start_date,
            start_date__lte=last.start_date,
        )
        .select_related("cluster")
        .order_by("start_date")
    )


def _float(value) -> float | None:
    return float(value) if value is not None else None


def _school_year_table(
    schools, years, cell, first_label: str, first_width: int = 34, align: str = "right"
) -> list:
    tables = []
    groups = common.chunks(years, YEARS_PER_TABLE)
    for chunk in groups:
        share = (100 - first_width) // max(len(chunk), 1)
        tables.append(
            Table(
                columns=[
                    Column(first_label, "left", first_width),
                    *[Column(y.label, align, share) for y in chunk],
                ],
                rows=[Row([s.name, *[cell(s, y) for y in chunk]]) for s in schools],
            )
        )
    return tables


def build_multi_year(params: dict, type_code: str) -> OfficialDocument:
    first = common.load_year(params.get("first_year"))
    last = common.load_year(params.get("last_year"))
    if first.cluster_id != last.cluster_id:
        raise DocumentError("no_years")
    if first.start_date > last.start_date:
        raise DocumentError("bad_range")
    cluster = last.cluster
    years = years_in_range(first, last)
    if not years:
        raise DocumentError("no_years")
    span = f"{first.label}–{last.label}" if first.pk != last.pk else first.label

    member_ids: dict[int, set[int]] = {}
    schools_by_id = {}
    for year in years:
        schools = list(members_of_year(year))
        member_ids[year.pk] = {s.pk for s in schools}
        schools_by_id.update({s.pk: s for s in schools})
    results = {year.pk: common.year_results(year) for year in years}
    published = [y for y in years if results[y.pk].published]
    totals: dict[tuple[int, int], Decimal] = {}
    ranks: dict[tuple[int, int], int] = {}
    for year in published:
        for line in results[year.pk].lines:
            totals[(line.school_id, year.pk)] = line.total
            ranks[(line.school_id, year.pk)] = line.rank
            if line.school_id not in schools_by_id:
                schools_by_id[line.school_id] = None
    missing_ids = [pk for pk, school in schools_by_id.items() if school is None]
    if missing_ids:
        from cluster.models import School

        schools_by_id.update({s.pk: s for s in School.objects.filter(pk__in=missing_ids)})
    schools = sorted(schools_by_id.values(), key=lambda s: s.code)

    leaders: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for leader in Leadership.objects.filter(year__in=years).select_related("school"):
        leaders[leader.year_id][leader.role].append(leader.school.name)

    blocks = [
        Heading("I. KHÁI QUÁT"),
        Paragraph(
            f"Giai đoạn {span}, {cluster.name} trải qua {len(years)} năm thi đua. Số trường "
            "thành viên từng năm: "
            + "; ".join(f"{y.label}: {len(member_ids[y.pk])}" for y in years)
            + "."
        ),
        Table(
            caption="Cụm trưởng, Cụm phó qua các năm",
            columns=[
                Column("Năm", "center", 14),
                Column("Cụm trưởng", "left", 40),
                Column("Cụm phó", "left", 46),
            ],
            rows=[
                Row(
                    [
                        y.label,
                        ", ".join(leaders[y.pk][LeadershipRole.HEAD]) or "—",
                        ", ".join(sorted(leaders[y.pk][LeadershipRole.DEPUTY])) or "—",
                    ]
                )
                for y in years
            ],
        ),
        *_school_year_table(
            schools,
            years,
            lambda s, y: "x" if s.pk in member_ids[y.pk] else "",
            "Thành viên theo năm",
            align="center",
        ),
    ]
    unpublished = [y.label for y in years if not results[y.pk].published]
    note = (
        "Các năm chưa công bố kết quả (không có số liệu điểm): " + ", ".join(unpublished) + "."
        if unpublished
        else ""
    )

    blocks.append(Heading("II. TỔNG ĐIỂM QUA CÁC NĂM"))
    ranked = [s for s in schools if any((s.pk, y.pk) in totals for y in published)]
    if published:
        blocks += _school_year_table(
            ranked, published, lambda s, y: vn_points(totals.get((s.pk, y.pk))), "Trường"
        )
    else:
        blocks.append(Paragraph("Chưa có năm nào trong giai đoạn công bố kết quả.", italic=True))
    if note:
        blocks.append(Paragraph(note, italic=True, indent=False))
    codes = {s.pk: s.code for s in schools}
    if published:
        blocks.append(
            Chart(
                title=f"Tổng điểm của các trường, giai đoạn {span}",
                chart_type="line",
                categories=[y.label for y in published],
                series=[
                    Series(codes[s.pk], [_float(totals.get((s.pk, y.pk))) for y in published])
                    for s in ranked
                ],
                y_label="Điểm",
            )
        )

    blocks.append(Heading("III. XẾP HẠNG QUA CÁC NĂM"))
    if published:
        blocks += _school_year_table(
            ranked,
            published,
            lambda s, y: str(ranks[(s.pk, y.pk)]) if (s.pk, y.pk) in ranks else "—",
            "Trường",
            align="center",
        )
    else:
        blocks.append(Paragraph("Chưa có năm nào trong giai đoạn công bố kết quả.", italic=True))
    if published:
        blocks.append(
            Chart(
                title=f"Thứ hạng của các trường, giai đoạn {span} (hạng 1 ở trên cùng)",
                chart_type="line",
                categories=[y.label for y in published],
                series=[
                    Series(codes[s.pk], [_float(ranks.get((s.pk, y.pk))) for y in published])
                    for s in ranked
                ],
                y_label="Hạng",
                invert=True,
                integer_axis=True,
            )
        )
    blocks.append(
        Paragraph(
            "Ký hiệu trường: " + "; ".join(f"{s.code} – {s.name}" for s in schools) + ".",
            italic=True,
            indent=False,
        )
    )

    blocks.append(Heading("IV. CHỈ TIÊU QUA CÁC NĂM"))
    indicators = list(Indicator.objects.filter(year__in=years).order_by("order", "code"))
    _, actuals = _indicator_totals(years)
    by_code: dict[str, dict[int, Decimal | None]] = {}
    names: dict[str, str] = {}
    for indicator in indicators:
        by_code.setdefault(indicator.code, {})[indicator.year_id] = actuals.get(
            (indicator.year_id, indicator.pk)
        )
        names[indicator.code] = f"{indicator.name} ({indicator.unit})"
    if by_code:
        codes_sorted = list(by_code)
        for chunk in common.chunks(years, YEARS_PER_TABLE):
            share = 64 // max(len(chunk), 1)
            blocks.append(
                Table(
                    columns=[
                        Column("Chỉ tiêu (thực hiện)", "left", 36),
                        *[Column(y.label, "right", share) for y in chunk],
                    ],
                    rows=[
                        Row([names[code], *[vn_number(by_code[code].get(y.pk), 2) for y in chunk]])
                        for code in codes_sorted
                    ],
                )
            )
        for code in codes_sorted[:MAX_INDICATOR_CHARTS]:
            values = [_float(by_code[code].get(y.pk)) for y in years]
            if any(v is not None for v in values):
                blocks.append(
                    Chart(
                        title=names[code],
                        chart_type="bar",
                        categories=[y.label for y in years],
                        series=[Series("Cụm", values)],
                    )
                )
    else:
        blocks.append(Paragraph("Các năm trong giai đoạn chưa có danh mục chỉ tiêu.", italic=True))

    blocks.append(
        Paragraph(
            f"Trên đây là báo cáo tổng kết phong trào thi đua giai đoạn {span} "
            f"của {cluster.name}./."
        )
    )
    return OfficialDocument(
        letterhead=common.letterhead(cluster, last, type_code),
        title="BÁO CÁO",
        subject=[f"Tổng kết phong trào thi đua giai đoạn {span} của {cluster.name}"],
        file_title=f"Báo cáo tổng kết giai đoạn {span}",
        blocks=blocks,
        signatures=[common.head_signature(cluster, last)],
        recipients=common.standard_recipients(cluster),
    )
