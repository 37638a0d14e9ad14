"""From cross-scoring to frozen results, in a real browser.

With the reports submitted (created in the database), the secretariat sets up the
assignments, a representative scores one school through the form (the other scores are
entered in the database), the secretariat publishes, a representative raises an objection,
the secretariat answers it and freezes the year; the results page shows the ranking and the
SHA-256 fingerprint, which is the hash of the exported CSV.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal

from accounts.enums import Role
from cluster.enums import LeadershipRole, PhaseKind
from evaluations.enums import AssignmentStatus, ResultsStage, SubmissionStatus
from evaluations.models import (
    AnnualReport,
    Assignment,
    CriteriaTable,
    Criterion,
    CrossScore,
    Objection,
    ScoringSettings,
    SelfScore,
)
from tests import factories as f

D = Decimal
SCHOOLS = [
    ("HYE", "Trường Chính trị Nguyễn Văn Linh", "Hưng Yên"),
    ("NBI", "Trường Chính trị tỉnh Ninh Bình", "Ninh Bình"),
    ("QNI", "Trường Chính trị tỉnh Quảng Ninh", "Quảng Ninh"),
]
CRITERIA = [("1.1", "Hoàn thành kế hoạch đào tạo", "10"), ("1.2", "Đổi mới phương pháp", "10")]
# scorer → target → points per criterion (entered in the database; HYE → NBI is typed)
OTHER_SCORES = {
    ("HYE", "QNI"): ["7", "6"],
    ("NBI", "HYE"): ["9", "8.5"],
    ("NBI", "QNI"): ["6", "6.5"],
    ("QNI", "HYE"): ["8", "9"],
    ("QNI", "NBI"): ["7.5", "8"],
}
TYPED = ["8.5", "7.25"]


def _world():
    cluster = f.ClusterFactory(code="CUM4", name="Cụm thi đua số 4")
    schools = {}
    for code, name, province in SCHOOLS:
        schools[code] = f.SchoolFactory(code=code, name=name, province=province)
        f.MembershipFactory(cluster=cluster, school=schools[code], start_date=dt.date(2017, 9, 1))
    today = dt.date.today()
    year = f.EmulationYearFactory(
        cluster=cluster,
        label=str(today.year),
        start_date=dt.date(today.year, 1, 1),
        end_date=dt.date(today.year, 12, 31),
    )
    f.LeadershipFactory(year=year, school=schools["HYE"], role=LeadershipRole.HEAD)
    f.PhaseFactory(
        year=year,
        kind=PhaseKind.CROSS_SCORING,
        starts_on=today - dt.timedelta(days=2),
        deadline=today + dt.timedelta(days=7),
    )
    table = CriteriaTable.objects.create(year=year, bonus_cap=D("5"))
    group = Criterion.objects.create(table=table, code="1", title="Đào tạo, bồi dưỡng", order=1)
    criteria = [
        Criterion.objects.create(
            table=table, parent=group, code=code, title=title, max_points=D(points), order=i
        )
        for i, (code, title, points) in enumerate(CRITERIA, start=1)
    ]
    for code, school in schools.items():
        report = AnnualReport.objects.create(
            year=year, school=school, status=SubmissionStatus.SUBMITTED
        )
        for criterion in criteria:
            SelfScore.objects.create(
                report=report,
                criterion=criterion,
                points=D("9"),
                explanation=f"{code} tự đánh giá tiêu chí {criterion.code}",
            )
    users = {
        "secretariat": f.UserFactory(
            email="thuky@example.vn",
            full_name="Thư ký Cụm 4",
            role=Role.SECRETARIAT,
            cluster=cluster,
        ),
        "HYE": f.UserFactory(
            email="hye@example.vn",
            full_name="Lê Thị Hưng",
            role=Role.REPRESENTATIVE,
            school=schools["HYE"],
        ),
        "NBI": f.UserFactory(
            email="nbi@example.vn",
            full_name="Đinh Văn Ninh",
            role=Role.REPRESENTATIVE,
            school=schools["NBI"],
        ),
    }
    return cluster, year, schools, criteria, users


def _switch(page, login, user):
    page.context.clear_cookies()
    login(page, user)


def test_scoring_to_frozen_publication(page, login, screenshot):
    cluster, year, schools, criteria, users = _world()
    base = f"/e/scoring/{cluster.code}/{year.label}"
    page.on("dialog", lambda dialog: dialog.accept())  # the data-confirm questions

    # 1. The secretariat generates the assignments (everyone scores everyone else).
    login(page, users["secretariat"])
    page.goto(f"{base}/setup/")
    page.get_by_test_id("generate").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_test_id("assignment").count() == 6
    screenshot(page, "scoring-01-assignments")

    # 2. HYE's representative scores NBI through the form and submits.
    _switch(page, login, users["HYE"])
    page.goto(f"{base}/mine/")
    assert page.get_by_test_id("target").count() == 2
    page.get_by_test_id("target").filter(has_text="Ninh Bình").locator("a").click()
    page.wait_for_load_state("networkidle")
    assert "NBI tự đánh giá tiêu chí 1.1" in page.content()  # the target's submitted report
    for criterion, value in zip(criteria, TYPED, strict=True):
        page.locator(f"input[name=points_{criterion.pk}]").fill(value)
        page.locator(f"input[name=comment_{criterion.pk}]").fill("Có minh chứng đầy đủ")
    screenshot(page, "scoring-02-form")
    page.get_by_test_id("submit-scores").click()
    page.wait_for_load_state("networkidle")
    typed = Assignment.objects.get(year=year, scorer=schools["HYE"], target=schools["NBI"])
    assert typed.status == AssignmentStatus.SUBMITTED
    assert sorted(typed.scores.values_list("points", flat=True)) == [D("7.25"), D("8.50")]

    # The other schools' scores are entered in the database.
    for (scorer, target), points in OTHER_SCORES.items():
        assignment = Assignment.objects.get(
            year=year, scorer=schools[scorer], target=schools[target]
        )
        for criterion, value in zip(criteria, points, strict=True):
            CrossScore.objects.create(assignment=assignment, criterion=criterion, points=D(value))
        Assignment.objects.filter(pk=assignment.pk).update(status=AssignmentStatus.SUBMITTED)

    # 3. The secretariat checks the progress matrix and publishes.
    _switch(page, login, users["secretariat"])
    page.goto(f"{base}/progress/")
    assert page.locator('[data-state="submitted"]').count() == 6
    screenshot(page, "scoring-03-progress")
    page.goto(f"{base}/")
    page.get_by_test_id("publish").click()
    page.wait_for_load_state("networkidle")
    assert ScoringSettings.objects.get(year=year).stage == ResultsStage.PUBLISHED
    assert page.get_by_test_id("provisional-banner").count() == 1

    # 4. NBI's representative reads the provisional results and objects on criterion 1.2.
    _switch(page, login, users["NBI"])
    page.goto(f"{base}/results/")
    assert page.get_by_test_id("ranking-row").count() == 3
    page.goto(f"{base}/objections/")
    form = page.get_by_test_id("objection-form")
    form.locator("select[name=target]").select_option(str(schools["NBI"].pk))
    form.locator("select[name=criterion]").select_option(str(criteria[1].pk))
    form.locator("textarea[name=text]").fill(
        "Đề nghị xem lại điểm chấm chéo tiêu chí 1.2: nhà trường đã có bài giảng điện tử."
    )
    form.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert Objection.objects.filter(year=year, school=schools["NBI"]).count() == 1
    screenshot(page, "scoring-04-objection")

    # 5. The secretariat answers, then freezes the year.
    _switch(page, login, users["secretariat"])
    page.goto(f"{base}/objections/")
    page.get_by_test_id("answer-link").first.click()
    page.wait_for_load_state("networkidle")
    answer = page.get_by_test_id("answer-form")
    answer.locator("textarea").fill("Thường trực Cụm đã rà soát minh chứng; giữ nguyên điểm.")
    answer.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert Objection.objects.get().status == "answered"
    page.goto(f"{base}/")
    page.get_by_test_id("freeze").click()
    page.wait_for_load_state("networkidle")

    # 6. The results page shows the final ranking and the fingerprint of the export.
    settings = ScoringSettings.objects.get(year=year)
    assert settings.stage == ResultsStage.FROZEN
    page.goto(f"{base}/results/")
    assert page.get_by_test_id("frozen-banner").count() == 1
    assert page.get_by_test_id("fingerprint").inner_text().strip() == settings.fingerprint
    ranks = [
        (row.get_attribute("data-rank"), row.get_attribute("data-school"))
        for row in page.get_by_test_id("ranking-row").all()
    ]
    # HYE 8.5 + 8.75 = 17.25; NBI 8 + 7.625 = 15.63; QNI 6.5 + 6.25 = 12.75
    assert ranks == [("1", "HYE"), ("2", "NBI"), ("3", "QNI")]
    csv = page.request.get(f"{base}/ranking.csv")
    assert hashlib.sha256(csv.body()).hexdigest() == settings.fingerprint
    screenshot(page, "scoring-05-frozen-results")
