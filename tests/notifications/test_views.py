"""Pages: the outbox (secretariat, admin; observers read), send now, send again; each user's
notifications and the bell. Every view × every persona."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.core import mail
from django.urls import reverse
from openpyxl import load_workbook

from accounts.enums import Role
from evaluations.enums import SubmissionStatus
from notifications import services
from notifications.enums import OFFSET_MANUAL, OutboxStatus
from notifications.models import Notification, OutboxMessage, ReminderLog
from tests import factories as f

from .support import REPORT_DEADLINE, days_before, make_report

pytestmark = pytest.mark.django_db

# Fixed bounds, the same for a small and a ten-times-larger data set. Today: 9 and 11 (the
# page's own reads plus session, user and the navigation bar of base.html); the slack is for
# navigation items other apps add.
OUTBOX_QUERIES = 12
NOTIFICATION_QUERIES = 14

PERSONAS = ["anonymous", "secretariat", "rep_a", "rep_b", "observer", "admin_user", "other"]


@pytest.fixture
def people(secretariat, rep_a, rep_b, observer, admin_user, other_cluster):
    return {
        "anonymous": None,
        "secretariat": secretariat,
        "rep_a": rep_a,
        "rep_b": rep_b,
        "observer": observer,
        "admin_user": admin_user,
        "other": other_cluster["secretariat"],
    }


@pytest.fixture
def planned(cluster4, people):
    """Report reminders 3 days before: one email (and notification) each to rep_a and
    rep_b, one to school C's own address."""
    services.plan_reminders(today=days_before(REPORT_DEADLINE, 3))
    return cluster4


def login_url_of(url: str) -> str:
    return f"{reverse('accounts:login')}?next={url}"


# --- outbox ------------------------------------------------------------------------------

OUTBOX_READ = {
    "anonymous": "login",
    "secretariat": 200,
    "rep_a": 403,
    "rep_b": 403,
    "observer": 200,
    "admin_user": 200,
    "other": 403,
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_outbox_page_per_persona(planned, people, client_for, persona):
    url = reverse("notifications:outbox", args=["CUM4"])
    response = client_for(people[persona]).get(url)
    expected = OUTBOX_READ[persona]
    if expected == "login":
        assert response.status_code == 302
        assert response["Location"] == login_url_of(url)
        return
    assert response.status_code == expected
    if expected == 200:
        assert response.context["page"].paginator.count == 3


@pytest.mark.parametrize("persona", PERSONAS)
def test_outbox_export_per_persona(planned, people, client_for, persona):
    url = reverse("notifications:outbox_export", args=["CUM4"])
    response = client_for(people[persona]).get(url)
    expected = OUTBOX_READ[persona]
    if expected == "login":
        assert response.status_code == 302
        return
    assert response.status_code == expected
    if expected == 200:
        sheet = load_workbook(BytesIO(response.content)).active
        assert sheet.max_row == 2 + 3  # heading, headers, three emails


def test_outbox_shows_addresses_to_the_secretariat(planned, people, client_for):
    page = client_for(people["secretariat"]).get(reverse("notifications:outbox", args=["CUM4"]))
    assert people["rep_a"].email in page.content.decode()


def test_outbox_hides_addresses_from_observers(planned, people, client_for):
    client = client_for(people["observer"])
    page = client.get(reverse("notifications:outbox", args=["CUM4"])).content.decode()
    assert people["rep_a"].full_name in page
    assert people["rep_a"].email not in page
    assert planned.school_c.email not in page
    export = client.get(reverse("notifications:outbox_export", args=["CUM4"]))
    cells = [str(c.value) for row in load_workbook(BytesIO(export.content)).active for c in row]
    assert not any(people["rep_a"].email in cell for cell in cells)


def test_outbox_offers_actions_only_to_managers(planned, people, client_for):
    OutboxMessage.objects.filter(recipient=people["rep_a"]).update(status=OutboxStatus.FAILED)
    url = reverse("notifications:outbox", args=["CUM4"])
    secretariat_page = client_for(people["secretariat"]).get(url).content.decode()
    observer_page = client_for(people["observer"]).get(url).content.decode()
    send_now_url = reverse("notifications:send_now", args=["CUM4"])
    assert send_now_url in secretariat_page
    assert 'data-testid="retry"' in secretariat_page
    assert send_now_url not in observer_page
    assert 'data-testid="retry"' not in observer_page


def test_outbox_of_another_cluster_does_not_list_these_emails(planned, people, client_for):
    page = client_for(people["other"]).get(reverse("notifications:outbox", args=["CUM8"]))
    assert page.status_code == 200
    assert page.context["page"].paginator.count == 0
    assert people["rep_a"].email not in page.content.decode()


def test_outbox_filters_by_status_and_school(planned, people, client_for):
    OutboxMessage.objects.filter(recipient=people["rep_a"]).update(
        status=OutboxStatus.FAILED, last_error="Không kết nối được máy chủ thư."
    )
    client = client_for(people["secretariat"])
    url = reverse("notifications:outbox", args=["CUM4"])
    failed = client.get(url, {"status": "failed"})
    assert [m.recipient for m in failed.context["page"]] == [people["rep_a"]]
    assert "Không kết nối được máy chủ thư." in failed.content.decode()
    by_school = client.get(url, {"school": planned.school_b.pk})
    assert [m.school for m in by_school.context["page"]] == [planned.school_b]


@pytest.mark.parametrize("bad", ["99999999999999999999", "abc", "ồ"])
def test_outbox_bad_filter_is_not_a_crash(planned, people, client_for, bad):
    response = client_for(people["secretariat"]).get(
        reverse("notifications:outbox", args=["CUM4"]), {"school": bad, "status": bad}
    )
    assert response.status_code == 200


def test_outbox_unknown_cluster_is_404(people, client_for):
    response = client_for(people["admin_user"]).get(reverse("notifications:outbox", args=["NOPE"]))
    assert response.status_code == 404


@pytest.mark.parametrize("persona", PERSONAS)
def test_outbox_message_page_per_persona(planned, people, client_for, persona):
    message = OutboxMessage.objects.get(recipient=people["rep_a"])
    url = reverse("notifications:message", args=["CUM4", message.pk])
    response = client_for(people[persona]).get(url)
    expected = OUTBOX_READ[persona]
    if expected == "login":
        assert response.status_code == 302
        return
    assert response.status_code == expected
    if expected == 200:
        assert "Trường Chính trị tỉnh A" in response.content.decode()


def test_outbox_message_of_another_cluster_is_404(planned, people, client_for):
    message = OutboxMessage.objects.get(recipient=people["rep_a"])
    url = reverse("notifications:message", args=["CUM8", message.pk])
    assert client_for(people["other"]).get(url).status_code == 404


def test_outbox_page_queries_do_not_grow(
    cluster4, people, client_for, django_assert_max_num_queries
):
    client = client_for(people["secretariat"])
    url = reverse("notifications:outbox", args=["CUM4"])

    added = []

    def add_schools(count: int) -> None:
        for _ in range(count):
            added.append(1)
            school = f.SchoolFactory(code=f"Q{len(added):03d}")
            f.MembershipFactory(cluster=cluster4.cluster, school=school)
            f.UserFactory(role=Role.REPRESENTATIVE, school=school)

    add_schools(2)
    services.plan_reminders(today=days_before(REPORT_DEADLINE, 3))
    small = OutboxMessage.objects.count()
    with django_assert_max_num_queries(OUTBOX_QUERIES):
        assert client.get(url).status_code == 200
    add_schools(50)
    services.plan_reminders(today=days_before(REPORT_DEADLINE, 1))
    assert OutboxMessage.objects.count() >= 10 * small
    with django_assert_max_num_queries(OUTBOX_QUERIES):
        assert client.get(url).status_code == 200


# --- send now ----------------------------------------------------------------------------

SEND_NOW = {
    "anonymous": "login",
    "secretariat": 200,
    "rep_a": 403,
    "rep_b": 403,
    "observer": 403,
    "admin_user": 200,
    "other": 403,
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_send_now_form_per_persona(cluster4, people, client_for, persona):
    url = reverse("notifications:send_now", args=["CUM4"])
    response = client_for(people[persona]).get(url)
    expected = SEND_NOW[persona]
    if expected == "login":
        assert response.status_code == 302
        assert response["Location"] == login_url_of(url)
        return
    assert response.status_code == expected


@pytest.mark.parametrize("persona", ["rep_a", "observer", "other"])
def test_send_now_post_is_forbidden_to_others(cluster4, people, client_for, persona):
    response = client_for(people[persona]).post(
        reverse("notifications:send_now", args=["CUM4"]),
        {"year": cluster4.year.pk, "school": cluster4.school_a.pk, "kind": "report"},
    )
    assert response.status_code == 403
    assert ReminderLog.objects.count() == 0


def test_send_now_sends_a_manual_reminder(
    cluster4, people, client_for, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(people["secretariat"]).post(
            reverse("notifications:send_now", args=["CUM4"]),
            {"year": cluster4.year.pk, "school": cluster4.school_a.pk, "kind": "report"},
        )
    assert response.status_code == 302
    assert response["Location"] == reverse("notifications:outbox", args=["CUM4"])
    log = ReminderLog.objects.get()
    assert (log.offset, log.school, log.created_by) == (
        OFFSET_MANUAL,
        cluster4.school_a,
        people["secretariat"],
    )
    assert [m.to for m in mail.outbox] == [[people["rep_a"].email]]
    assert Notification.objects.get().user == people["rep_a"]


def test_send_now_when_nothing_is_missing_says_so_at_the_field(cluster4, people, client_for):
    make_report(cluster4.year, cluster4.school_a, SubmissionStatus.SUBMITTED)
    response = client_for(people["secretariat"]).post(
        reverse("notifications:send_now", args=["CUM4"]),
        {"year": cluster4.year.pk, "school": cluster4.school_a.pk, "kind": "report"},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == ["kind"]
    assert form["kind"].value() == "report"
    assert ReminderLog.objects.count() == 0


def test_send_now_for_a_phase_the_year_lacks_says_so_at_the_year(cluster4, people, client_for):
    response = client_for(people["secretariat"]).post(
        reverse("notifications:send_now", args=["CUM4"]),
        {"year": cluster4.year.pk, "school": cluster4.school_a.pk, "kind": "cross_scoring"},
    )
    assert list(response.context["form"].errors) == ["year"]


def test_send_now_for_a_school_that_left_says_so_at_the_school(cluster4, people, client_for):
    gone = f.SchoolFactory(code="OLD")
    f.MembershipFactory(
        cluster=cluster4.cluster,
        school=gone,
        start_date=cluster4.year.start_date.replace(year=2015),
        end_date=cluster4.year.start_date,
    )
    response = client_for(people["secretariat"]).post(
        reverse("notifications:send_now", args=["CUM4"]),
        {"year": cluster4.year.pk, "school": gone.pk, "kind": "report"},
    )
    assert list(response.context["form"].errors) == ["school"]


def test_send_now_school_of_another_cluster_is_an_invalid_choice(
    cluster4, people, other_cluster, client_for
):
    response = client_for(people["secretariat"]).post(
        reverse("notifications:send_now", args=["CUM4"]),
        {"year": cluster4.year.pk, "school": other_cluster["school"].pk, "kind": "pledge"},
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["school"]
    assert ReminderLog.objects.count() == 0


def test_send_now_with_nobody_to_remind_logs_nothing(cluster4, people, client_for):
    cluster4.school_c.email = ""
    cluster4.school_c.save()
    response = client_for(people["secretariat"]).post(
        reverse("notifications:send_now", args=["CUM4"]),
        {"year": cluster4.year.pk, "school": cluster4.school_c.pk, "kind": "pledge"},
    )
    assert list(response.context["form"].errors) == ["school"]
    assert ReminderLog.objects.count() == 0


# --- retry -------------------------------------------------------------------------------

RETRY = {
    "anonymous": "login",
    "secretariat": 302,
    "rep_a": 403,
    "rep_b": 403,
    "observer": 403,
    "admin_user": 302,
    "other": 403,
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_retry_per_persona(planned, people, client_for, persona):
    message = OutboxMessage.objects.get(recipient=people["rep_a"])
    OutboxMessage.objects.filter(pk=message.pk).update(status=OutboxStatus.FAILED)
    url = reverse("notifications:retry", args=["CUM4", message.pk])
    response = client_for(people[persona]).post(url)
    expected = RETRY[persona]
    status = OutboxMessage.objects.get(pk=message.pk).status
    if expected == "login":
        assert response.status_code == 302
        assert response["Location"] == login_url_of(url)
        assert status == OutboxStatus.FAILED
    elif expected == 403:
        assert response.status_code == 403
        assert status == OutboxStatus.FAILED
    else:
        assert response.status_code == 302
        assert status == OutboxStatus.QUEUED


def test_retry_needs_post(planned, people, client_for):
    message = OutboxMessage.objects.get(recipient=people["rep_a"])
    url = reverse("notifications:retry", args=["CUM4", message.pk])
    assert client_for(people["secretariat"]).get(url).status_code == 405


def test_retry_of_a_sent_message_is_refused_with_a_message(planned, people, client_for):
    message = OutboxMessage.objects.get(recipient=people["rep_a"])
    OutboxMessage.objects.filter(pk=message.pk).update(status=OutboxStatus.SENT)
    response = client_for(people["secretariat"]).post(
        reverse("notifications:retry", args=["CUM4", message.pk]), follow=True
    )
    assert [m.level_tag for m in response.context["messages"]] == ["danger"]
    assert OutboxMessage.objects.get(pk=message.pk).status == OutboxStatus.SENT


# --- notifications -------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_notification_page_shows_only_own_notifications(planned, people, client_for, persona):
    url = reverse("notifications:list")
    response = client_for(people[persona]).get(url)
    if persona == "anonymous":
        assert response.status_code == 302
        assert response["Location"] == login_url_of(url)
        return
    assert response.status_code == 200
    shown = list(response.context["page"])
    assert shown == list(Notification.objects.filter(user=people[persona]))
    if persona == "rep_b":
        # rep_a's reminder names school A; rep_b's page never shows it.
        assert "Trường Chính trị tỉnh A" not in response.content.decode()
        assert "Trường Chính trị tỉnh B" in response.content.decode()


def test_notification_page_links_the_outbox_for_those_who_may_read_it(planned, people, client_for):
    outbox_url = reverse("notifications:outbox", args=["CUM4"])
    for persona, shown in [("secretariat", True), ("observer", True), ("rep_a", False)]:
        page = client_for(people[persona]).get(reverse("notifications:list")).content.decode()
        assert (outbox_url in page) is shown, persona


@pytest.mark.parametrize("persona", PERSONAS)
def test_open_notification_per_persona(planned, people, client_for, persona):
    notification = Notification.objects.get(user=people["rep_a"])
    url = reverse("notifications:open", args=[notification.pk])
    response = client_for(people[persona]).get(url)
    notification.refresh_from_db()
    if persona == "anonymous":
        assert response.status_code == 302
        assert response["Location"] == login_url_of(url)
        assert notification.read_at is None
    elif persona == "rep_a":
        assert response.status_code == 302
        assert response["Location"] == "/e/CUM4/2026/report/mine/"
        assert notification.read_at is not None
    else:
        assert response.status_code == 403
        assert notification.read_at is None


def test_open_missing_notification_is_404(people, client_for):
    response = client_for(people["rep_a"]).get(reverse("notifications:open", args=[987654]))
    assert response.status_code == 404


def test_open_notification_never_redirects_off_site(cluster4, people, client_for):
    notification = Notification.objects.create(
        user=people["rep_a"], title="Thử", url="https://evil.example.com/"
    )
    response = client_for(people["rep_a"]).get(
        reverse("notifications:open", args=[notification.pk])
    )
    assert response["Location"] == reverse("notifications:list")


@pytest.mark.parametrize("persona", ["rep_a", "rep_b", "secretariat", "anonymous"])
def test_mark_read_only_own(planned, people, client_for, persona):
    notification = Notification.objects.get(user=people["rep_a"])
    url = reverse("notifications:read", args=[notification.pk])
    response = client_for(people[persona]).post(url)
    notification.refresh_from_db()
    if persona == "rep_a":
        assert response.status_code == 302
        assert notification.read_at is not None
    else:
        assert response.status_code == (302 if persona == "anonymous" else 403)
        assert notification.read_at is None


def test_mark_all_read_touches_only_own(planned, people, client_for):
    Notification.objects.create(user=people["rep_a"], title="Thông báo thứ hai")
    response = client_for(people["rep_a"]).post(reverse("notifications:read_all"))
    assert response.status_code == 302
    assert not Notification.objects.filter(user=people["rep_a"], read_at__isnull=True).exists()
    assert Notification.objects.get(user=people["rep_b"]).read_at is None


def test_mark_all_read_needs_post(people, client_for):
    assert client_for(people["rep_a"]).get(reverse("notifications:read_all")).status_code == 405


def test_notification_page_queries_do_not_grow(
    cluster4, people, client_for, django_assert_max_num_queries
):
    user = people["rep_a"]
    client = client_for(user)
    url = reverse("notifications:list")
    for index in range(2):
        Notification.objects.create(user=user, title=f"Thông báo {index}", url="/")
    with django_assert_max_num_queries(NOTIFICATION_QUERIES):
        assert client.get(url).status_code == 200
    for index in range(20):
        Notification.objects.create(user=user, title=f"Thông báo thêm {index}", url="/")
    with django_assert_max_num_queries(NOTIFICATION_QUERIES):
        assert client.get(url).status_code == 200


# --- the bell ------------------------------------------------------------------------------


def test_bell_shows_the_unread_count(planned, people, client_for):
    Notification.objects.create(user=people["rep_a"], title="Thêm một thông báo")
    response = client_for(people["rep_a"]).get(reverse("notifications:bell"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="unread-count">2<' in html
    assert 'hx-trigger="every 60s"' in html
    assert reverse("notifications:list") in html


def test_bell_without_unread_shows_no_count(cluster4, people, client_for):
    html = client_for(people["rep_b"]).get(reverse("notifications:bell")).content.decode()
    assert "unread-count" not in html


def test_bell_for_a_signed_out_visitor_stops_polling(client):
    response = client.get(reverse("notifications:bell"))
    assert response.status_code == 286
    assert response.content == b""


def test_bell_include_renders_without_a_query(rf, people, django_assert_num_queries):
    from django.template.loader import render_to_string

    request = rf.get("/")
    request.user = people["rep_a"]
    with django_assert_num_queries(0):
        html = render_to_string("includes/nav_notifications.html", {"user": people["rep_a"]})
    assert 'hx-trigger="load, every 60s"' in html
    assert reverse("notifications:bell") in html
