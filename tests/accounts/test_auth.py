"""Sign in, sign out, passwords, lockout and the language preference."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from tests.factories import DEFAULT_PASSWORD

LOGIN = "/accounts/login/"


def _login(client, email, password=DEFAULT_PASSWORD, **extra):
    return client.post(LOGIN, {"username": email, "password": password, **extra})


def test_login_page_has_labelled_email_and_password_fields(client, db):
    response = client.get(LOGIN)
    body = response.content.decode()
    assert response.status_code == 200
    assert 'type="email" name="username"' in body
    assert 'for="id_username"' in body
    assert 'for="id_password"' in body


def test_login_with_email_in_other_case_signs_in(client, rep_a):
    response = _login(client, "DaiDien.A@Example.VN")
    assert response.status_code == 302
    assert response.url == reverse("dashboard")
    assert client.session["_auth_user_id"] == str(rep_a.pk)


def test_login_with_wrong_password_shows_vietnamese_message(client, rep_a):
    response = _login(client, rep_a.email, "sai-mat-khau")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    body = response.content.decode()
    assert "Email hoặc mật khẩu không đúng" in body
    # What was typed stays in the form.
    assert f'value="{rep_a.email}"' in body


def test_login_of_deactivated_user_is_refused(client, rep_a):
    rep_a.is_active = False
    rep_a.save()
    response = _login(client, rep_a.email)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_login_follows_safe_next(client, rep_a):
    response = _login(client, rep_a.email, next="/accounts/profile/")
    assert response.url == "/accounts/profile/"


def test_login_ignores_next_to_another_site(client, rep_a):
    response = _login(client, rep_a.email, next="https://evil.example.com/")
    assert response.url == reverse("dashboard")


def test_login_page_keeps_next_in_the_form(client, db):
    response = client.get(LOGIN + "?next=/accounts/profile/")
    assert 'name="next" value="/accounts/profile/"' in response.content.decode()


def test_login_sets_language_cookie_from_user_preference(client, rep_a):
    rep_a.language = "en"
    rep_a.save()
    response = _login(client, rep_a.email)
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    page = client.get(reverse("accounts:profile"))
    assert 'lang="en"' in page.content.decode()


def test_logout_by_post_signs_out(client_for, rep_a):
    client = client_for(rep_a)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response.url == reverse("accounts:login")
    assert "_auth_user_id" not in client.session


def test_logout_by_get_is_refused(client_for, rep_a):
    client = client_for(rep_a)
    response = client.get(reverse("accounts:logout"))
    assert response.status_code == 405
    assert client.session["_auth_user_id"] == str(rep_a.pk)


def test_password_change_requires_login(client, db):
    response = client.get(reverse("accounts:password_change"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_password_change_saves_new_password(client_for, rep_a):
    client = client_for(rep_a)
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": DEFAULT_PASSWORD,
            "new_password1": "Thi-dua-moi-2027!",
            "new_password2": "Thi-dua-moi-2027!",
        },
    )
    assert response.status_code == 302
    assert response.url == reverse("accounts:password_change_done")
    rep_a.refresh_from_db()
    assert rep_a.check_password("Thi-dua-moi-2027!")
    done = client.get(response.url)
    assert 'data-testid="password-changed"' in done.content.decode()


def test_password_change_with_wrong_old_password_keeps_old(client_for, rep_a):
    client = client_for(rep_a)
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": "khong-dung",
            "new_password1": "Thi-dua-moi-2027!",
            "new_password2": "Thi-dua-moi-2027!",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["old_password"]
    rep_a.refresh_from_db()
    assert rep_a.check_password(DEFAULT_PASSWORD)


def test_password_reset_sends_email_whose_link_sets_new_password(client, rep_a):
    response = client.post(reverse("accounts:password_reset"), {"email": "DAIDIEN.A@example.vn"})
    assert response.url == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [rep_a.email]
    assert message.subject == "Đặt lại mật khẩu hệ thống thi đua cụm"
    assert "Kính gửi đồng chí Trần Văn An," in message.body
    assert any(mimetype == "text/html" for _, mimetype in message.alternatives)
    path = re.search(r"https?://[^/\s]+(/accounts/password/reset/\S+/)", message.body).group(1)
    form_page = client.get(path, follow=True)
    assert form_page.context["validlink"] is True
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "Mat-khau-moi-2027!", "new_password2": "Mat-khau-moi-2027!"},
    )
    assert done.url == reverse("accounts:password_reset_complete")
    rep_a.refresh_from_db()
    assert rep_a.check_password("Mat-khau-moi-2027!")


def test_password_reset_email_uses_users_language(client, rep_a):
    rep_a.language = "en"
    rep_a.save()
    client.post(reverse("accounts:password_reset"), {"email": rep_a.email})
    assert mail.outbox[0].subject == "Reset your password for the emulation cluster system"


def test_password_reset_for_unknown_email_sends_nothing(client, db):
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.vn"})
    assert response.url == reverse("accounts:password_reset_done")
    assert mail.outbox == []


def test_password_reset_link_used_twice_is_invalid(client, rep_a):
    client.post(reverse("accounts:password_reset"), {"email": rep_a.email})
    path = re.search(r"(/accounts/password/reset/\S+/)", mail.outbox[0].body).group(1)
    form_page = client.get(path, follow=True)
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "Mat-khau-moi-2027!", "new_password2": "Mat-khau-moi-2027!"},
    )
    again = client.get(path, follow=True)
    assert again.context["validlink"] is False
    assert 'data-testid="reset-invalid"' in again.content.decode()


@pytest.fixture
def axes_on(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_COOLOFF_TIME = 0.25


def test_lockout_after_failure_limit_refuses_right_password(client, rep_a, axes_on):
    for _ in range(3):
        _login(client, rep_a.email, "sai-mat-khau")
    response = _login(client, rep_a.email)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    body = response.content.decode()
    assert 'data-testid="locked"' in body
    assert "bị khóa trong 15 phút" in body


def test_lockout_counts_email_case_variants_together(client, rep_a, axes_on):
    for email in ("DAIDIEN.A@example.vn", "daidien.a@EXAMPLE.vn", "DaiDien.A@example.vn"):
        _login(client, email, "sai-mat-khau")
    response = _login(client, rep_a.email)
    assert 'data-testid="locked"' in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_lockout_of_one_account_leaves_others_signing_in(client, rep_a, rep_b, axes_on):
    for _ in range(3):
        _login(client, rep_a.email, "sai-mat-khau")
    response = _login(client, rep_b.email)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(rep_b.pk)


def test_successful_login_below_limit_is_not_locked(client, rep_a, axes_on):
    for _ in range(2):
        _login(client, rep_a.email, "sai-mat-khau")
    response = _login(client, rep_a.email)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(rep_a.pk)


def test_successful_login_resets_failure_count(client, rep_a, axes_on):
    for _ in range(2):
        _login(client, rep_a.email, "sai-mat-khau")
    _login(client, rep_a.email)
    client.post(reverse("accounts:logout"))
    for _ in range(2):
        _login(client, rep_a.email, "sai-mat-khau")
    response = _login(client, rep_a.email)
    assert response.status_code == 302


def test_profile_requires_login(client, db):
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert response.url == f"{reverse('accounts:login')}?next={reverse('accounts:profile')}"


def test_profile_saves_details_and_language(client_for, rep_a):
    client = client_for(rep_a)
    response = client.post(
        reverse("accounts:profile"),
        {
            "full_name": "Trần Văn An (mới)",
            "position": "Phó Trưởng phòng",
            "phone": "0912 345 678",
            "language": "en",
        },
    )
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    rep_a.refresh_from_db()
    assert (rep_a.full_name, rep_a.position, rep_a.phone, rep_a.language) == (
        "Trần Văn An (mới)",
        "Phó Trưởng phòng",
        "0912 345 678",
        "en",
    )
    page = client.get(reverse("accounts:profile"))
    assert "Your profile has been saved." in page.content.decode()


def test_profile_with_empty_name_keeps_what_was_typed(client_for, rep_a):
    client = client_for(rep_a)
    response = client.post(
        reverse("accounts:profile"),
        {"full_name": "", "position": "Chuyên viên", "phone": "", "language": "vi"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["full_name"]
    assert 'value="Chuyên viên"' in response.content.decode()
    rep_a.refresh_from_db()
    assert rep_a.full_name == "Trần Văn An"


def test_profile_cannot_change_role_or_school(client_for, rep_a, cluster4):
    client = client_for(rep_a)
    client.post(
        reverse("accounts:profile"),
        {
            "full_name": "Trần Văn An",
            "language": "vi",
            "role": "admin",
            "school": cluster4.school_b.pk,
        },
    )
    rep_a.refresh_from_db()
    assert rep_a.role == "representative"
    assert rep_a.school_id == cluster4.school_a.pk


def test_nav_shows_users_link_only_to_those_who_may_read_users(client_for, rep_a, secretariat):
    assert (
        'data-testid="nav-users"'
        not in client_for(rep_a).get("/accounts/profile/").content.decode()
    )
    page = client_for(secretariat).get("/accounts/profile/").content.decode()
    assert 'data-testid="nav-users"' in page
    assert 'data-testid="nav-admin"' not in page


def test_nav_shows_admin_link_to_admin(client_for, admin_user):
    page = client_for(admin_user).get("/accounts/profile/").content.decode()
    assert 'data-testid="nav-admin"' in page


def test_user_menu_asks_no_permission_tables(rep_a, django_assert_num_queries):
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = rep_a
    with django_assert_num_queries(0):
        html = render_to_string("includes/nav_accounts.html", {"user": rep_a}, request=request)
    assert reverse("accounts:profile") in html
    assert 'data-testid="nav-users"' not in html
