"""A school's year in the browser: the representative registers the pledge, later fills
the annual report with a self-assessment and a real PDF as evidence, submits; the
secretariat returns it with a comment; the representative reads the comment, fixes the
score and submits again; the history shows both versions and what changed."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from accounts.enums import Role
from cluster.enums import LeadershipRole, PhaseKind
from evaluations.enums import SubmissionStatus
from evaluations.models import AnnualReport, Evidence, Pledge
from tests import factories as f
from tests.evaluations.test_report_support import (
    make_indicators,
    make_table,
    pdf_bytes,
)

pytestmark = pytest.mark.e2e


def _world():
    today = dt.date.today()
    cluster = f.ClusterFactory(code="CUM4", name="Cụm thi đua số 4")
    school = f.SchoolFactory(code="HYE", name="Trường Chính trị Nguyễn Văn Linh")
    other = f.SchoolFactory(code="QNI", name="Trường Chính trị tỉnh Quảng Ninh")
    for member in (school, other):
        f.MembershipFactory(cluster=cluster, school=member, start_date=dt.date(2017, 1, 1))
    year = f.EmulationYearFactory(
        cluster=cluster,
        label=str(today.year),
        start_date=dt.date(today.year, 1, 1),
        end_date=dt.date(today.year, 12, 31),
    )
    f.LeadershipFactory(year=year, school=other, role=LeadershipRole.HEAD)
    f.PhaseFactory(
        year=year,
        kind=PhaseKind.PLEDGE,
        starts_on=today - dt.timedelta(days=30),
        deadline=today + dt.timedelta(days=5),
    )
    f.PhaseFactory(
        year=year,
        kind=PhaseKind.REPORT,
        starts_on=today - dt.timedelta(days=5),
        deadline=today + dt.timedelta(days=5),
        hard_deadline=today + dt.timedelta(days=10),
    )
    _table, criteria = make_table(year, evidence_required=("2.1",))
    indicators = make_indicators(year, 2)
    rep = f.UserFactory(
        email="daidien.hye@example.vn",
        full_name="Trần Văn Hưng",
        role=Role.REPRESENTATIVE,
        school=school,
    )
    secretariat = f.UserFactory(
        email="thuky@example.vn",
        full_name="Nguyễn Thị Thư Ký",
        role=Role.SECRETARIAT,
        cluster=cluster,
    )
    return year, school, criteria, indicators, rep, secretariat


def _switch_user(page, login, user):
    page.context.clear_cookies()
    login(page, user)


def test_report_journey(page, login, screenshot, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    year, school, criteria, indicators, rep, secretariat = _world()
    code, label = "CUM4", year.label
    c11, c12, c21, c22 = criteria
    page.on("dialog", lambda dialog: dialog.accept())  # "Submit…?" "Return…?"

    # 1. In spring the representative registers the school's pledge.
    login(page, rep)
    page.goto(f"/e/{code}/{label}/pledges/mine/")
    page.locator(f"#id_target_{indicators[0].pk}").fill("20")
    page.locator(f"#id_target_{indicators[1].pk}").fill("4000")
    page.locator("#id_commitments").fill("Hoàn thành xuất sắc nhiệm vụ chính trị năm.")
    screenshot(page, "report-journey-01-pledge")
    page.locator("button[name=submit]").click()
    page.wait_for_load_state("networkidle")
    assert Pledge.objects.get(school=school).status == SubmissionStatus.SUBMITTED

    # The secretariat accepts it (the criteria work's page).
    _switch_user(page, login, secretariat)
    page.goto(f"/e/pledge/{Pledge.objects.get(school=school).pk}/")
    page.get_by_role("button", name=re.compile("Accept|Chấp nhận|Tiếp nhận", re.I)).click()
    page.wait_for_load_state("networkidle")
    assert Pledge.objects.get(school=school).status == SubmissionStatus.ACCEPTED

    # 2. At year end the representative opens the report from the dashboard.
    _switch_user(page, login, rep)
    page.goto("/")
    page.locator(f'main a[href="/e/{code}/{label}/report/mine/"]').first.click()
    page.wait_for_load_state("networkidle")
    report = AnnualReport.objects.get(school=school)
    assert page.url.endswith(f"/e/report/{report.pk}/")

    page.locator("#id_results").fill("Mở 22 lớp bồi dưỡng cho 4.150 lượt học viên.")
    page.locator("#id_directions").fill("Tăng cường chuyển đổi số.")
    page.locator(f"#actual-{indicators[0].pk}").fill("22")
    page.locator(f"#actual-{indicators[1].pk}").fill("4150")
    for criterion, value in ((c11, "12"), (c12, "8.5"), (c21, "9"), (c22, "7.25")):
        page.locator(f"#score-{criterion.pk}").fill(value)
        page.locator(f"#explanation-{criterion.pk}").fill(f"Giải trình tiêu chí {criterion.code}")
    # The running total follows what is typed (12 + 8.5 + 9 + 7.25).
    expect(page.locator("#js-total")).to_have_text(re.compile(r"36[,.]75"))

    # A score over the maximum: the draft is saved, the field is marked, the value kept.
    page.get_by_role("button", name=re.compile("Save draft|Lưu nháp", re.I)).click()
    page.wait_for_load_state("networkidle")
    expect(page.locator(f"#score-{c11.pk}")).to_have_value("12")
    expect(page.locator(f"#score-{c11.pk}-error")).to_be_visible()
    expect(page.locator("#id_results")).to_have_value(
        "Mở 22 lớp bồi dưỡng cho 4.150 lượt học viên."
    )
    screenshot(page, "report-journey-02-invalid-score-kept")
    page.locator(f"#score-{c11.pk}").fill("9.5")
    page.get_by_role("button", name=re.compile("Save draft|Lưu nháp", re.I)).click()
    page.wait_for_load_state("networkidle")
    expect(page.locator('[data-testid="percent-I1"]')).to_have_text("110,0%")

    # Evidence: a real PDF attached to criterion 2.1 without leaving the page.
    pdf = tmp_path / "quyet-dinh-khen-thuong.pdf"
    pdf.write_bytes(pdf_bytes("Quyet dinh khen thuong"))
    cell = page.locator(f"#evidence-{c21.pk}")
    page.locator(f"#evidence-file-{c21.pk}").set_input_files(str(pdf))
    cell.get_by_role("button", name=re.compile("Attach|Đính kèm", re.I)).click()
    expect(page.locator(f"#evidence-{c21.pk}")).to_contain_text("quyet-dinh-khen-thuong.pdf")
    evidence = Evidence.objects.get()
    assert (evidence.criterion_id, evidence.content_type) == (c21.pk, "application/pdf")
    screenshot(page, "report-journey-03-evidence-attached")

    page.get_by_role("button", name=re.compile("^(Submit|Nộp)", re.I)).click()
    page.wait_for_load_state("networkidle")
    report.refresh_from_db()
    assert (report.status, report.version) == (SubmissionStatus.SUBMITTED, 1)
    assert page.locator("#report-form").count() == 0
    screenshot(page, "report-journey-04-submitted")

    # 3. The secretariat finds it in the progress table and returns it with a comment.
    _switch_user(page, login, secretariat)
    page.goto(f"/e/{code}/{label}/progress/")
    row = page.locator('[data-testid="progress-row-HYE"]')
    expect(row.locator('[data-status="submitted"]')).to_be_visible()
    screenshot(page, "report-journey-05-progress")
    row.locator(f'a[href="/e/report/{report.pk}/"]').click()
    page.wait_for_load_state("networkidle")
    page.locator("#id_comment").fill(
        "Tiêu chí 1.2: điểm tự chấm chưa khớp minh chứng, đề nghị xem lại."
    )
    page.get_by_role("button", name=re.compile("Return to the school|Trả lại", re.I)).click()
    page.wait_for_load_state("networkidle")
    report.refresh_from_db()
    assert report.status == SubmissionStatus.RETURNED
    screenshot(page, "report-journey-06-returned")

    # 4. The representative reads the comment, fixes the score and submits again.
    _switch_user(page, login, rep)
    page.goto("/")
    expect(page.locator("main")).to_contain_text("điểm tự chấm chưa khớp minh chứng")
    page.goto(f"/e/report/{report.pk}/")
    expect(page.locator('[data-testid="return-comment"]')).to_contain_text(
        "điểm tự chấm chưa khớp minh chứng"
    )
    page.locator(f"#score-{c12.pk}").fill("7")
    page.get_by_role("button", name=re.compile("^(Submit|Nộp)", re.I)).click()
    page.wait_for_load_state("networkidle")
    report.refresh_from_db()
    assert (report.status, report.version) == (SubmissionStatus.SUBMITTED, 2)
    assert report.self_scores.get(criterion=c12).points == Decimal("7.00")

    history = page.locator('[data-testid="history"]')
    expect(history.locator('[data-testid="history-entry"]')).to_have_count(3)
    expect(history).to_contain_text("1.2")
    expect(history).to_contain_text("8,5")
    screenshot(page, "report-journey-07-resubmitted-history")
