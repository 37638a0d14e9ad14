"""What the reminders say: the missing item, the deadline, the absolute link; in the
recipient's language (Vietnamese by default); mirrored by an in-app notification."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings

from cluster.enums import PhaseKind
from evaluations.enums import AssignmentStatus, SubmissionStatus
from notifications import services
from notifications.models import Notification, OutboxMessage

from .support import (
    PLEDGE_DEADLINE,
    REPORT_DEADLINE,
    SCORING_DEADLINE,
    days_before,
    make_assignment,
    make_extension,
    make_pledge,
    make_report,
    make_round,
    vote,
)

pytestmark = pytest.mark.django_db


def english(*users):
    for user in users:
        user.language = "en"
        user.save()


def message_to(user) -> OutboxMessage:
    return OutboxMessage.objects.get(recipient=user)


def finish_reports(world, *schools):
    for school in schools:
        make_report(world.year, school, SubmissionStatus.SUBMITTED)


# --- Vietnamese (the default) ---------------------------------------------------------------


def test_report_reminder_in_vietnamese_says_what_is_missing(cluster4, rep_a):
    finish_reports(cluster4, cluster4.school_b, cluster4.school_c)
    services.plan_reminders(today=days_before(REPORT_DEADLINE, 3))
    message = message_to(rep_a)
    sentence = (
        "Báo cáo tổng kết năm 2026 của Trường Chính trị tỉnh A chưa được gửi; "
        "hạn chót 31/10/2026 (còn 3 ngày)."
    )
    assert sentence in message.body_text
    assert sentence in message.body_html
    assert message.subject == "[CUM4] Nhắc việc: báo cáo tổng kết năm 2026, hạn chót 31/10/2026"
    assert message.body_text.startswith("Kính gửi đồng chí Trần Văn An,\n")
    assert message.language == "vi"


def test_late_list_in_vietnamese(cluster4, secretariat):
    finish_reports(cluster4, cluster4.school_a, cluster4.school_b)
    services.plan_reminders(today=REPORT_DEADLINE + dt.timedelta(days=1))
    message = message_to(secretariat)
    assert "1 trường chưa hoàn thành báo cáo tổng kết năm 2026" in message.body_text
    assert "Trường Chính trị tỉnh C: Báo cáo tổng kết năm 2026" in message.body_text
    assert "(đã quá hạn 1 ngày)" in message.body_text


# --- exact content (English, for the assertions not to depend on the catalogue) -----------


def test_report_reminder_text_and_link(cluster4, rep_a):
    english(rep_a)
    finish_reports(cluster4, cluster4.school_b, cluster4.school_c)
    services.plan_reminders(today=days_before(REPORT_DEADLINE, 3))
    message = message_to(rep_a)
    link = f"{settings.SITE_URL}/e/CUM4/2026/report/mine/"
    assert message.subject == "[CUM4] Reminder: annual report 2026, deadline 31/10/2026"
    assert (
        "The annual report 2026 of Trường Chính trị tỉnh A has not been submitted; "
        "deadline 31/10/2026 (3 days left)." in message.body_text
    )
    assert f"\n{link}\n" in message.body_text
    assert f'href="{link}"' in message.body_html
    assert message.language == "en"


def test_one_day_left_is_singular(cluster4, rep_a):
    english(rep_a)
    services.plan_reminders(today=days_before(REPORT_DEADLINE, 1))
    assert "(1 day left)" in message_to(rep_a).body_text


def test_returned_pledge_reminder_quotes_the_comment(cluster4, rep_a):
    english(rep_a)
    make_pledge(
        cluster4.year, cluster4.school_a, SubmissionStatus.RETURNED, "Bổ sung chỉ tiêu lớp học"
    )
    services.plan_reminders(today=days_before(PLEDGE_DEADLINE, 7))
    message = message_to(rep_a)
    assert (
        "The pledge registration 2026 of Trường Chính trị tỉnh A was returned for changes and "
        "has not been resubmitted; deadline 15/03/2026 (7 days left)." in message.body_text
    )
    assert "Comment from the secretariat:\nBổ sung chỉ tiêu lớp học" in message.body_text
    assert f"{settings.SITE_URL}/e/CUM4/2026/pledges/mine/" in message.body_text


def test_cross_scoring_reminder_lists_each_school_still_to_score(cluster4, scoring_phase, rep_a):
    english(rep_a)
    w = cluster4
    make_assignment(w.year, w.school_a, w.school_b, AssignmentStatus.DRAFT)
    make_assignment(w.year, w.school_a, w.school_c, AssignmentStatus.NOT_STARTED)
    services.plan_reminders(today=days_before(SCORING_DEADLINE, 3))
    message = message_to(rep_a)
    assert (
        "Trường Chính trị tỉnh A has not submitted its cross-scoring 2026 of 2 schools "
        "(Trường Chính trị tỉnh B, Trường Chính trị tỉnh C); deadline 20/11/2026 (3 days left)."
        in message.body_text
    )
    assert "- Trường Chính trị tỉnh B (Draft)" in message.body_text
    assert "- Trường Chính trị tỉnh C (Not started)" in message.body_text
    assert f"{settings.SITE_URL}/e/scoring/CUM4/2026/mine/" in message.body_text


def test_ballot_reminder_links_straight_to_the_ballot(cluster4, rep_a):
    english(rep_a)
    closes_on = dt.date(2026, 11, 25)
    voting_round = make_round(cluster4.year, closes_on)
    services.plan_reminders(today=days_before(closes_on, 1))
    message = message_to(rep_a)
    assert (
        "Trường Chính trị tỉnh A has not voted yet in “Bình chọn đơn vị dẫn đầu” (2026); "
        "voting closes at 17:00 on 25/11/2026 (1 day left)." in message.body_text
    )
    assert f"{settings.SITE_URL}/a/CUM4/2026/rounds/{voting_round.pk}/vote/" in message.body_text


def test_extension_is_mentioned_with_its_date(cluster4, rep_a):
    english(rep_a)
    until = REPORT_DEADLINE + dt.timedelta(days=5)
    make_extension(cluster4.year, cluster4.school_a, PhaseKind.REPORT, until)
    services.plan_reminders(today=days_before(until, 3))
    body = message_to(rep_a).body_text
    assert "deadline 05/11/2026 (3 days left)" in body
    assert "Your school was granted an extension until 05/11/2026." in body


def test_late_list_names_each_late_school_and_links_to_progress(cluster4, secretariat):
    english(secretariat)
    make_report(cluster4.year, cluster4.school_b, SubmissionStatus.SUBMITTED)
    services.plan_reminders(today=REPORT_DEADLINE + dt.timedelta(days=1))
    message = message_to(secretariat)
    assert message.subject == "[CUM4] Late schools: Annual report 2026, deadline 31/10/2026"
    assert "2 schools have not finished annual report 2026 (deadline 31/10/2026)." in (
        message.body_text
    )
    assert "1. Trường Chính trị tỉnh A: The annual report 2026" in message.body_text
    assert "2. Trường Chính trị tỉnh C: The annual report 2026" in message.body_text
    assert "(1 day overdue)" in message.body_text
    assert f"{settings.SITE_URL}/e/CUM4/2026/progress/" in message.body_text


def test_ballot_late_list_links_to_the_turnout(cluster4, secretariat):
    english(secretariat)
    closes_on = dt.date(2026, 11, 25)
    voting_round = make_round(cluster4.year, closes_on)
    vote(voting_round, cluster4.school_a)
    services.plan_reminders(today=closes_on + dt.timedelta(days=1))
    message = message_to(secretariat)
    assert "2 schools have not finished ballot voting “Bình chọn đơn vị dẫn đầu” 2026" in (
        message.body_text
    )
    assert f"/a/CUM4/2026/rounds/{voting_round.pk}/turnout/" in message.body_text


def test_each_recipient_reads_their_own_language(cluster4, rep_a):
    colleague = type(rep_a).objects.create_user(
        email="daidien.a2@example.vn",
        full_name="Vũ Thị Hoa",
        role=rep_a.role,
        school=cluster4.school_a,
        language="en",
    )
    services.plan_reminders(today=days_before(REPORT_DEADLINE, 3))
    assert message_to(colleague).subject.startswith("[CUM4] Reminder: annual report")
    assert message_to(rep_a).language == "vi"
    assert "Reminder" not in message_to(rep_a).subject


# --- in-app notifications -------------------------------------------------------------------


def test_each_email_to_a_user_has_its_notification(cluster4, rep_a, rep_b):
    services.plan_reminders(today=days_before(REPORT_DEADLINE, 3))
    for user in (rep_a, rep_b):
        message = message_to(user)
        notification = Notification.objects.get(user=user)
        assert notification.message == message
        assert notification.title == message.subject
        assert notification.body in message.body_text
        assert notification.url == "/e/CUM4/2026/report/mine/"
        assert notification.read_at is None
    assert Notification.objects.count() == 2


def test_late_list_notification_links_to_progress(cluster4, secretariat):
    services.plan_reminders(today=REPORT_DEADLINE + dt.timedelta(days=1))
    notification = Notification.objects.get(user=secretariat)
    assert notification.url == "/e/CUM4/2026/progress/"
    assert notification.message == message_to(secretariat)


def test_email_to_a_school_address_says_why_it_goes_there(cluster4, settings):
    settings.LANGUAGE_CODE = "en"
    services.plan_reminders(today=days_before(REPORT_DEADLINE, 3))
    message = OutboxMessage.objects.get(school=cluster4.school_c)
    assert message.to_email == cluster4.school_c.email
    assert message.body_text.startswith("To the attention of Trường Chính trị tỉnh C,\n")
    assert (
        "Trường Chính trị tỉnh C has no representative registered in the system, so this "
        "reminder goes to the school's address." in message.body_text
    )


def test_email_to_a_school_address_has_no_notification(cluster4):
    services.plan_reminders(today=days_before(REPORT_DEADLINE, 3))
    assert OutboxMessage.objects.filter(recipient__isnull=True).count() == 3
    assert Notification.objects.count() == 0
