"""Styled, translated error pages (DEBUG is off in tests, as in production)."""

from __future__ import annotations

from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from accounts.views import error_500


def test_unknown_url_renders_translated_404(client, db, settings):
    assert settings.DEBUG is False
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    body = response.content.decode()
    assert 'data-testid="error-title"' in body
    assert "Không tìm thấy trang" in body
    assert f'href="{reverse("dashboard")}"' in body


def test_404_page_in_english_with_language_cookie(client, db):
    client.cookies["django_language"] = "en"
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_forbidden_page_is_translated_403(client_for, rep_a):
    response = client_for(rep_a).get(reverse("accounts:users"))
    assert response.status_code == 403
    body = response.content.decode()
    assert "Không có quyền truy cập" in body
    assert f'href="{reverse("dashboard")}"' in body


def test_500_page_renders_without_database_or_context_processors(db, django_assert_num_queries):
    request = RequestFactory().get("/")
    with translation.override("vi"), django_assert_num_queries(0):
        response = error_500(request)
    assert response.status_code == 500
    body = response.content.decode()
    assert "Lỗi máy chủ" in body
    assert 'href="/"' in body
    assert 'lang="vi"' in body


def test_server_error_in_a_view_uses_the_500_page(client, db, monkeypatch):
    from accounts import views

    def boom(request):
        raise RuntimeError("boom")

    monkeypatch.setattr(views.SignInView, "get", lambda self, request, *a, **k: boom(request))
    client.raise_request_exception = False
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 500
    assert 'data-testid="error-title"' in response.content.decode()
