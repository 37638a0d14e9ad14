"""Nomination pages: every view × every persona, privacy of drafts, actions through the
pages, and query-count guards."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from awards.enums import NominationStatus as S
from awards.models import Nomination, NominationEvent
from awards.models.nominations import DossierDocument, DossierKind, NominationComment

from .nominations_support import *  # noqa: F403
from .nominations_support import make_recipient, nominate, pdf

pytestmark = pytest.mark.django_db

PERSONAS = ["anonymous", "rep_a", "rep_b", "observer", "secretariat", "admin_user", "other"]


@pytest.fixture
def users(cluster4, rep_a, rep_b, observer, secretariat, admin_user, other_cluster):
    return {
        "anonymous": None,
        "rep_a": rep_a,
        "rep_b": rep_b,
        "observer": observer,
        "secretariat": secretariat,
        "admin_user": admin_user,
        "other": other_cluster["secretariat"],
    }


@pytest.fixture
def person(cluster4):
    return make_recipient(cluster4.school_a, "Nguyễn Văn Mạnh")


@pytest.fixture
def draft(cluster4, awards, person):
    return nominate(cluster4.year, cluster4.school_a, person, awards["LDTT"])


@pytest.fixture
def submitted(cluster4, awards):
    return nominate(
        cluster4.year,
        cluster4.school_a,
        make_recipient(cluster4.school_a, "Phạm Thị Nộp"),
        awards["LDTT"],
        status=S.SUBMITTED,
    )


@pytest.fixture
def published(cluster4, awards):
    return nominate(
        cluster4.year,
        cluster4.school_a,
        make_recipient(cluster4.school_a, "Đỗ Văn Công"),
        awards["LDTT"],
        status=S.PUBLISHED,
        comment_until=timezone.localdate() + dt.timedelta(days=3),
    )


def get(client_for, users, persona, url):
    return client_for(users[persona]).get(url)


def post(client_for, users, persona, url, data=None):
    return client_for(users[persona]).post(url, data or {})


def assert_status(response, expected: int):
    if expected == 302:
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == expected


def year_url(name, cluster4):
    return reverse(name, args=[cluster4.cluster.code, cluster4.year.label])


# --- the year's list -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("anonymous", 302),
        ("rep_a", 200),
        ("rep_b", 200),
        ("observer", 200),
        ("secretariat", 200),
        ("admin_user", 200),
        ("other", 403),
    ],
)
def test_nominations_list_permissions(client_for, users, cluster4, awards, persona, expected):
    response = get(client_for, users, persona, year_url("awards:nominations", cluster4))
    assert_status(response, expected)


@pytest.mark.parametrize(
    ("persona", "sees"),
    [
        ("rep_a", {"Nguyễn Văn Mạnh", "Phạm Thị Nộp", "Đỗ Văn Công"}),
        ("rep_b", {"Đỗ Văn Công"}),
        ("observer", {"Phạm Thị Nộp", "Đỗ Văn Công"}),
        ("secretariat", {"Phạm Thị Nộp", "Đỗ Văn Công"}),
        ("admin_user", {"Nguyễn Văn Mạnh", "Phạm Thị Nộp", "Đỗ Văn Công"}),
    ],
)
def test_nominations_list_privacy(
    client_for, users, cluster4, draft, submitted, published, persona, sees
):
    response = get(client_for, users, persona, year_url("awards:nominations", cluster4))
    names = {n.recipient.name for n in response.context["nominations"]}
    assert names == sees
    content = response.content.decode()
    for name in {"Nguyễn Văn Mạnh", "Phạm Thị Nộp", "Đỗ Văn Công"} - sees:
        assert name not in content


def test_nominations_list_filter_by_status(client_for, users, cluster4, submitted, published):
    url = year_url("awards:nominations", cluster4) + "?status=published"
    response = get(client_for, users, "secretariat", url)
    assert [n.pk for n in response.context["nominations"]] == [published.pk]


def test_nominations_export_respects_privacy(client_for, users, cluster4, draft, published):
    response = get(client_for, users, "rep_b", year_url("awards:nominations_export", cluster4))
    sheet = load_workbook(BytesIO(response.content)).active
    names = [row[2] for row in sheet.iter_rows(min_row=3, values_only=True)]
    assert names == ["Đỗ Văn Công"]


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("anonymous", 302), ("rep_b", 200), ("observer", 200), ("other", 403)],
)
def test_nominations_export_permissions(client_for, users, cluster4, persona, expected):
    response = get(client_for, users, persona, year_url("awards:nominations_export", cluster4))
    assert_status(response, expected)


def test_nominations_home_redirects_to_current_year(client_for, users, cluster4):
    response = get(
        client_for, users, "rep_a", reverse("awards:nominations_home", args=[cluster4.cluster.code])
    )
    assert response["Location"] == year_url("awards:nominations", cluster4)


def _many(cluster4, awards, count: int) -> None:
    statuses = [S.DRAFT, S.SUBMITTED, S.PUBLISHED, S.DECIDED]
    for i in range(count):
        school = cluster4.school_a if i % 2 else cluster4.school_b
        nominate(
            cluster4.year,
            school,
            make_recipient(school, f"Người {i:03d}"),
            awards["LDTT"],
            status=statuses[i % 4],
        )


@pytest.mark.parametrize("persona", ["rep_b", "secretariat"])
@pytest.mark.parametrize("count", [3, 30])
def test_nominations_list_query_count(
    client_for, users, cluster4, awards, django_assert_max_num_queries, persona, count
):
    _many(cluster4, awards, count)
    client = client_for(users[persona])
    with django_assert_max_num_queries(16):
        response = client.get(year_url("awards:nominations", cluster4))
    assert response.status_code == 200
    assert len(response.context["nominations"]) > 0


# --- detail ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("anonymous", 302),
        ("rep_a", 200),
        ("rep_b", 403),
        ("observer", 403),
        ("secretariat", 403),
        ("admin_user", 200),
        ("other", 403),
    ],
)
def test_detail_of_draft_is_private_to_school(client_for, users, draft, persona, expected):
    response = get(client_for, users, persona, reverse("awards:nomination", args=[draft.pk]))
    assert_status(response, expected)


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("anonymous", 302),
        ("rep_a", 200),
        ("rep_b", 403),
        ("observer", 200),
        ("secretariat", 200),
        ("admin_user", 200),
        ("other", 403),
    ],
)
def test_detail_of_submitted(client_for, users, submitted, persona, expected):
    response = get(client_for, users, persona, reverse("awards:nomination", args=[submitted.pk]))
    assert_status(response, expected)


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("anonymous", 302),
        ("rep_a", 200),
        ("rep_b", 200),
        ("observer", 200),
        ("secretariat", 200),
        ("admin_user", 200),
        ("other", 403),
    ],
)
def test_detail_of_published(client_for, users, published, persona, expected):
    response = get(client_for, users, persona, reverse("awards:nomination", args=[published.pk]))
    assert_status(response, expected)


def test_detail_missing_is_404(client_for, users, cluster4):
    assert get(
        client_for, users, "rep_a", reverse("awards:nomination", args=[999])
    ).status_code == (404)


def test_detail_of_draft_shows_live_eligibility_with_reasons(client_for, users, cluster4, awards):
    person = make_recipient(cluster4.school_a, "Vũ Thị Hoa")
    nomination = nominate(cluster4.year, cluster4.school_a, person, awards["CSTD_BO"])
    response = get(client_for, users, "rep_a", reverse("awards:nomination", args=[nomination.pk]))
    checks = {c.code: c for c in response.context["checks"]}
    assert checks["consecutive_years"].passed is False
    assert checks["consecutive_years"].params["missing"] == [2023, 2024, 2025]
    assert 'data-code="consecutive_years" data-passed="no"' in response.content.decode()
    assert response.context["can_submit"] is True


def test_detail_actions_for_secretariat_on_submitted(client_for, users, submitted):
    response = get(
        client_for, users, "secretariat", reverse("awards:nomination", args=[submitted.pk])
    )
    context = response.context
    assert (context["can_return"], context["can_edit"], context["can_submit"]) == (
        True,
        False,
        False,
    )


def test_detail_observer_has_no_action(client_for, users, submitted):
    response = get(client_for, users, "observer", reverse("awards:nomination", args=[submitted.pk]))
    flags = [
        "can_edit",
        "can_submit",
        "can_withdraw",
        "can_return",
        "can_certify",
        "can_forward",
        "can_decide",
        "can_revoke",
    ]
    assert [response.context[f] for f in flags] == [False] * len(flags)


def test_detail_query_count_is_bounded(client_for, users, published, django_assert_max_num_queries):
    for i in range(10):
        NominationEvent.objects.create(nomination=published, from_status="", to_status=S.DRAFT)
        NominationComment.objects.create(nomination=published, text=f"Ý kiến {i}")
    client = client_for(users["rep_b"])
    with django_assert_max_num_queries(16):
        response = client.get(reverse("awards:nomination", args=[published.pk]))
    assert len(response.context["comments"]) == 10


# --- create / edit / submit ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("anonymous", 302),
        ("rep_a", 200),
        ("rep_b", 200),
        ("observer", 403),
        ("secretariat", 403),
        ("admin_user", 403),
        ("other", 403),
    ],
)
def test_create_page_permissions(client_for, users, cluster4, awards, persona, expected):
    response = get(client_for, users, persona, year_url("awards:nomination_create", cluster4))
    assert_status(response, expected)


def test_create_new_recipient_through_the_page(client_for, users, cluster4, awards):
    response = client_for(users["rep_a"]).post(
        year_url("awards:nomination_create", cluster4),
        {
            "award_type": awards["LDTT"].pk,
            "recipient_name": "Hoàng Văn Mới",
            "recipient_position": "Giảng viên",
            "achievement_summary": "Tóm tắt thành tích",
            "report_file": pdf(),
        },
    )
    nomination = Nomination.objects.get()
    assert response["Location"] == reverse("awards:nomination", args=[nomination.pk])
    assert (nomination.school, nomination.recipient.name, nomination.recipient.kind) == (
        cluster4.school_a,
        "Hoàng Văn Mới",
        "individual",
    )
    assert nomination.status == S.DRAFT


def test_create_without_recipient_keeps_input_and_says_where(client_for, users, cluster4, awards):
    response = client_for(users["rep_a"]).post(
        year_url("awards:nomination_create", cluster4),
        {"award_type": awards["LDTT"].pk, "achievement_summary": "Giữ lại nội dung"},
    )
    assert response.status_code == 200
    assert "recipient_name" in response.context["form"].errors
    assert "Giữ lại nội dung" in response.content.decode()
    assert Nomination.objects.count() == 0


def test_create_recipient_from_other_school_refused(client_for, users, cluster4, awards):
    foreign = make_recipient(cluster4.school_b, "Người trường B")
    response = client_for(users["rep_a"]).post(
        year_url("awards:nomination_create", cluster4),
        {"award_type": awards["LDTT"].pk, "recipient": foreign.pk, "achievement_summary": "x"},
    )
    assert response.status_code == 200
    assert "recipient" in response.context["form"].errors
    assert Nomination.objects.count() == 0


def test_create_form_lists_only_own_recipients(client_for, users, cluster4, awards):
    make_recipient(cluster4.school_a, "Người của A")
    make_recipient(cluster4.school_b, "Người của B")
    response = get(client_for, users, "rep_a", year_url("awards:nomination_create", cluster4))
    content = response.content.decode()
    assert "Người của A" in content
    assert "Người của B" not in content


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("anonymous", 302),
        ("rep_a", 200),
        ("rep_b", 403),
        ("observer", 403),
        ("secretariat", 403),
        ("admin_user", 403),
        ("other", 403),
    ],
)
def test_edit_page_permissions(client_for, users, draft, persona, expected):
    response = get(client_for, users, persona, reverse("awards:nomination_edit", args=[draft.pk]))
    assert_status(response, expected)


def test_edit_submitted_refused(client_for, users, submitted):
    response = get(
        client_for, users, "rep_a", reverse("awards:nomination_edit", args=[submitted.pk])
    )
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("anonymous", 302),
        ("rep_b", 403),
        ("observer", 403),
        ("secretariat", 403),
        ("admin_user", 403),
        ("other", 403),
    ],
)
def test_submit_by_others_refused(client_for, users, draft, persona, expected):
    response = post(
        client_for, users, persona, reverse("awards:nomination_submit", args=[draft.pk])
    )
    assert_status(response, expected)
    assert Nomination.objects.get(pk=draft.pk).status == S.DRAFT


def test_submit_through_page(client_for, users, draft):
    response = post(
        client_for, users, "rep_a", reverse("awards:nomination_submit", args=[draft.pk])
    )
    assert response["Location"] == reverse("awards:nomination", args=[draft.pk])
    assert Nomination.objects.get(pk=draft.pk).status == S.SUBMITTED


def test_submit_ineligible_shows_reasons(client_for, users, cluster4, awards):
    person = make_recipient(cluster4.school_a, "Vũ Thị Hoa")
    nomination = nominate(cluster4.year, cluster4.school_a, person, awards["CSTD_BO"])
    client = client_for(users["rep_a"])
    response = client.post(reverse("awards:nomination_submit", args=[nomination.pk]), follow=True)
    messages = [str(m) for m in response.context["messages"]]
    assert len(messages) >= 2
    assert any("2023" in m and "2024" in m and "2025" in m for m in messages)
    assert Nomination.objects.get(pk=nomination.pk).status == S.DRAFT


def test_submit_get_not_allowed(client_for, users, draft):
    response = get(client_for, users, "rep_a", reverse("awards:nomination_submit", args=[draft.pk]))
    assert response.status_code == 405


# --- secretariat actions ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("anonymous", 302),
        ("rep_a", 403),
        ("rep_b", 403),
        ("observer", 403),
        ("secretariat", 200),
        ("admin_user", 200),
        ("other", 403),
    ],
)
def test_return_page_permissions(client_for, users, submitted, persona, expected):
    response = get(
        client_for, users, persona, reverse("awards:nomination_return", args=[submitted.pk])
    )
    assert_status(response, expected)


def test_return_through_page(client_for, users, submitted):
    url = reverse("awards:nomination_return", args=[submitted.pk])
    response = post(client_for, users, "secretariat", url, {"comment": "Thiếu xác nhận"})
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert (submitted.status, submitted.return_comment) == (S.RETURNED, "Thiếu xác nhận")


def test_return_without_comment_keeps_form(client_for, users, submitted):
    url = reverse("awards:nomination_return", args=[submitted.pk])
    response = post(client_for, users, "secretariat", url, {"comment": ""})
    assert response.status_code == 200
    assert "comment" in response.context["form"].errors


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("anonymous", 302),
        ("rep_a", 200),
        ("rep_b", 403),
        ("observer", 403),
        ("secretariat", 403),
        ("admin_user", 403),
        ("other", 403),
    ],
)
def test_withdraw_page_permissions(client_for, users, submitted, persona, expected):
    url = reverse("awards:nomination_withdraw", args=[submitted.pk])
    assert_status(get(client_for, users, persona, url), expected)


def test_withdraw_page_confirms(client_for, users, submitted):
    url = reverse("awards:nomination_withdraw", args=[submitted.pk])
    assert "data-confirm=" in get(client_for, users, "rep_a", url).content.decode()
    post(client_for, users, "rep_a", url, {"comment": ""})
    assert Nomination.objects.get(pk=submitted.pk).status == S.WITHDRAWN


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("anonymous", 302),
        ("rep_a", 403),
        ("rep_b", 403),
        ("observer", 403),
        ("secretariat", 200),
        ("admin_user", 200),
        ("other", 403),
    ],
)
def test_publish_page_permissions(client_for, users, cluster4, persona, expected):
    assert_status(
        get(client_for, users, persona, year_url("awards:nominations_publish", cluster4)), expected
    )


def test_publish_through_page(client_for, users, cluster4, submitted):
    response = post(
        client_for,
        users,
        "secretariat",
        year_url("awards:nominations_publish", cluster4),
        {"comment_days": "10"},
    )
    assert response["Location"] == year_url("awards:nominations", cluster4)
    submitted.refresh_from_db()
    assert submitted.comment_until == timezone.localdate() + dt.timedelta(days=10)


def test_publish_window_out_of_range_kept(client_for, users, cluster4, submitted):
    response = post(
        client_for,
        users,
        "secretariat",
        year_url("awards:nominations_publish", cluster4),
        {"comment_days": "0"},
    )
    assert response.status_code == 200
    assert "comment_days" in response.context["form"].errors


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("anonymous", 302),
        ("rep_a", 302),
        ("rep_b", 302),
        ("observer", 403),
        ("secretariat", 302),
        ("admin_user", 403),
        ("other", 403),
    ],
)
def test_comment_permissions(client_for, users, published, persona, expected):
    url = reverse("awards:nomination_comment", args=[published.pk])
    response = post(client_for, users, persona, url, {"text": "Nhất trí"})
    if persona == "anonymous":
        assert_status(response, 302)
        assert NominationComment.objects.count() == 0
    elif expected == 302:
        assert response.status_code == 302
        assert NominationComment.objects.get().author == users[persona]
    else:
        assert response.status_code == 403
        assert NominationComment.objects.count() == 0


def test_certify_and_forward_buttons(client_for, users, cluster4, awards):
    nomination = nominate(
        cluster4.year,
        cluster4.school_a,
        make_recipient(cluster4.school_a, "Chờ chuyển"),
        awards["LDTT"],
        status=S.APPROVED,
    )
    assert (
        post(
            client_for, users, "rep_a", reverse("awards:nomination_certify", args=[nomination.pk])
        ).status_code
        == 403
    )
    post(
        client_for, users, "secretariat", reverse("awards:nomination_certify", args=[nomination.pk])
    )
    assert Nomination.objects.get(pk=nomination.pk).achievement_report_certified is True
    response = client_for(users["secretariat"]).post(
        reverse("awards:nomination_forward", args=[nomination.pk]), follow=True
    )
    assert Nomination.objects.get(pk=nomination.pk).status == S.APPROVED
    # The headline, three missing parts (the report is certified now), never published.
    assert len(list(response.context["messages"])) == 5
    page = get(client_for, users, "secretariat", reverse("awards:nomination", args=[nomination.pk]))
    assert [item.complete for item in page.context["dossier"]] == [False, False, True, False]


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("anonymous", 302),
        ("rep_a", 403),
        ("observer", 403),
        ("secretariat", 200),
        ("admin_user", 200),
        ("other", 403),
    ],
)
def test_decide_and_refuse_pages_permissions(
    client_for, users, cluster4, awards, persona, expected
):
    nomination = nominate(
        cluster4.year,
        cluster4.school_a,
        make_recipient(cluster4.school_a, "Đã chuyển"),
        awards["LDTT"],
        status=S.FORWARDED,
    )
    for name in ("awards:nomination_decide", "awards:nomination_refuse"):
        assert_status(
            get(client_for, users, persona, reverse(name, args=[nomination.pk])), expected
        )


def test_decide_through_page_then_revoke(client_for, users, cluster4, awards):
    nomination = nominate(
        cluster4.year,
        cluster4.school_a,
        make_recipient(cluster4.school_a, "Được khen"),
        awards["LDTT"],
        status=S.FORWARDED,
    )
    today = timezone.localdate()
    post(
        client_for,
        users,
        "secretariat",
        reverse("awards:nomination_decide", args=[nomination.pk]),
        {"decision_number": "12/QĐ-HVCTQG", "decision_date": today.isoformat(), "issuer": ""},
    )
    nomination.refresh_from_db()
    assert nomination.status == S.DECIDED
    achievement = nomination.achievement
    response = get(
        client_for, users, "secretariat", reverse("awards:nomination_revoke", args=[nomination.pk])
    )
    assert response["Location"] == reverse("awards:achievement_revoke", args=[achievement.pk])
    assert (
        get(
            client_for, users, "rep_a", reverse("awards:nomination_revoke", args=[nomination.pk])
        ).status_code
        == 403
    )


# --- files and dossier documents -------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("anonymous", 302), ("rep_a", 200), ("rep_b", 403), ("observer", 200), ("other", 403)],
)
def test_report_download_permissions(client_for, users, submitted, persona, expected):
    url = reverse("awards:nomination_file", args=[submitted.pk, "report"])
    response = get(client_for, users, persona, url)
    assert_status(response, expected)
    if expected == 200:
        assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_unknown_file_kind_404(client_for, users, submitted):
    url = reverse("awards:nomination_file", args=[submitted.pk, "secret"])
    assert get(client_for, users, "rep_a", url).status_code == 404


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("anonymous", 302),
        ("rep_a", 200),
        ("rep_b", 200),
        ("observer", 200),
        ("secretariat", 200),
        ("admin_user", 200),
        ("other", 403),
    ],
)
def test_dossier_documents_page_permissions(client_for, users, cluster4, persona, expected):
    response = get(client_for, users, persona, year_url("awards:dossier_documents", cluster4))
    assert_status(response, expected)
    if expected == 200:
        can_upload = persona in ("secretariat", "admin_user")
        assert (response.context["form"] is not None) is can_upload


def test_dossier_upload_by_secretariat_and_refused_to_representative(client_for, users, cluster4):
    url = year_url("awards:dossier_documents", cluster4)
    data = {"kind": DossierKind.SUBMISSION, "number": "12/TTr-CTĐ4", "date": "", "file": pdf()}
    assert client_for(users["rep_a"]).post(url, data).status_code == 403
    response = client_for(users["secretariat"]).post(url, {**data, "file": pdf()})
    assert response.status_code == 302
    document = DossierDocument.objects.get()
    assert (document.number, document.file_name) == ("12/TTr-CTĐ4", "bao-cao.pdf")
    download = get(
        client_for, users, "rep_b", reverse("awards:dossier_document_download", args=[document.pk])
    )
    assert download.status_code == 200
    other = get(
        client_for, users, "other", reverse("awards:dossier_document_download", args=[document.pk])
    )
    assert other.status_code == 403


def test_services_record_who_through_pages(client_for, users, draft):
    post(client_for, users, "rep_a", reverse("awards:nomination_submit", args=[draft.pk]))
    event = NominationEvent.objects.get(nomination=draft, to_status=S.SUBMITTED)
    assert event.by == users["rep_a"]
