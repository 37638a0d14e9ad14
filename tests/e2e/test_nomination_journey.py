"""A representative proposes a colleague, sees why another one is not eligible, submits;
the secretariat publishes the candidate list; another member school comments."""

from __future__ import annotations

import datetime as dt

from accounts.enums import Role
from awards.models import Achievement, AwardType, Nomination, Recipient
from awards.services.catalogue import seed_award_catalogue
from cluster.enums import LeadershipRole
from tests import factories as f

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _world():
    seed_award_catalogue()
    cluster = f.ClusterFactory(code="CUM4", name="Cụm thi đua số 4")
    hye = f.SchoolFactory(code="HYE", name="Trường Chính trị Nguyễn Văn Linh")
    qni = f.SchoolFactory(code="QNI", name="Trường Chính trị tỉnh Quảng Ninh")
    for school in (hye, qni):
        f.MembershipFactory(cluster=cluster, school=school, start_date=dt.date(2017, 9, 1))
    today = dt.date.today()
    year = f.EmulationYearFactory(
        cluster=cluster,
        label=str(today.year),
        start_date=dt.date(today.year, 1, 1),
        end_date=dt.date(today.year, 12, 31),
    )
    f.LeadershipFactory(year=year, school=hye, role=LeadershipRole.HEAD)
    rep_hye = f.UserFactory(
        email="hye@example.vn", full_name="Đại diện HYE", role=Role.REPRESENTATIVE, school=hye
    )
    rep_qni = f.UserFactory(
        email="qni@example.vn", full_name="Đại diện QNI", role=Role.REPRESENTATIVE, school=qni
    )
    secretariat = f.UserFactory(
        email="thuky@example.vn", full_name="Thư ký Cụm 4", role=Role.SECRETARIAT, cluster=cluster
    )
    # A colleague with CSTĐCS only last year: not eligible for the ministry-level title.
    colleague = Recipient.objects.create(
        school=hye, kind="individual", name="Trần Thị Thiếu", position="Giảng viên"
    )
    Achievement.objects.create(
        recipient=colleague,
        award_type=AwardType.objects.get(code="CSTDCS"),
        period_year=today.year - 1,
        decision_number="5/QĐ-HYE",
        decision_date=dt.date(today.year - 1, 12, 20),
        issuer="Hiệu trưởng",
    )
    return cluster, year, rep_hye, rep_qni, secretariat, colleague


def test_nomination_journey(page, login, tmp_path):
    cluster, year, rep_hye, rep_qni, secretariat, colleague = _world()
    page.on("dialog", lambda dialog: dialog.accept())
    report = tmp_path / "bao-cao.pdf"
    report.write_bytes(PDF)
    list_url = f"/a/{cluster.code}/{year.label}/nominations/"

    # The representative proposes the colleague for the ministry-level title: not eligible.
    login(page, rep_hye)
    page.goto(list_url)
    page.click(f"main a[href='{list_url}new/']")
    page.select_option("#id_award_type", str(AwardType.objects.get(code="CSTD_BO").pk))
    page.select_option("#id_recipient", str(colleague.pk))
    page.fill("#id_achievement_summary", "Hoàn thành xuất sắc nhiệm vụ")
    page.set_input_files("#id_report_file", str(report))
    page.click("main form button[type=submit]")
    page.wait_for_selector("[data-testid=checks]")
    failing = page.locator("[data-code=consecutive_years][data-passed=no]")
    assert failing.count() == 1
    assert str(year.end_date.year - 2) in failing.inner_text()
    page.click("form[action$='/submit/'] button")
    page.wait_for_selector(".alert")
    blocked = Nomination.objects.get(recipient=colleague)
    assert blocked.status == "draft"

    # A new colleague for LĐTT: eligible, submitted.
    page.goto(f"{list_url}new/")
    page.select_option("#id_award_type", str(AwardType.objects.get(code="LDTT").pk))
    page.fill("#id_recipient_name", "Nguyễn Văn Đủ")
    page.fill("#id_recipient_position", "Giảng viên chính")
    page.fill("#id_achievement_summary", "Hoàn thành tốt nhiệm vụ")
    page.set_input_files("#id_report_file", str(report))
    page.click("main form button[type=submit]")
    page.wait_for_selector("[data-testid=checks]")
    assert page.locator("[data-testid=checks] [data-passed=no]").count() == 0
    page.click("form[action$='/submit/'] button")
    page.wait_for_selector("[data-status=submitted]")
    nomination = Nomination.objects.get(recipient__name="Nguyễn Văn Đủ")
    assert nomination.status == "submitted"

    # The secretariat publishes the candidate list for a week.
    page.context.clear_cookies()
    login(page, secretariat)
    page.goto(f"{list_url}publish/")
    page.fill("#id_comment_days", "7")
    page.click("main form button[type=submit]")
    page.wait_for_selector("[data-status=published]")
    nomination.refresh_from_db()
    assert nomination.status == "published"

    # Another member school sees it (not the draft) and comments.
    page.context.clear_cookies()
    login(page, rep_qni)
    page.goto(list_url)
    rows = page.locator("[data-testid=nomination]")
    assert rows.count() == 1
    assert "Trần Thị Thiếu" not in page.content()
    page.click(f"main a[href='/a/nominations/{nomination.pk}/']")
    page.fill("#id_text", "Nhất trí đề nghị.")
    page.click(f"form[action='/a/nominations/{nomination.pk}/comment/'] button")
    page.wait_for_selector("[data-testid=comment]")
    assert nomination.comments.get().text == "Nhất trí đề nghị."
