"""Browser tests in the system Chromium, driven by Playwright (sync API).

Never downloads a browser: it uses the Chromium on PATH (Debian's `chromium`) and skips,
saying why, when there is none. `.ci/run` installs it, so in CI these always run.
Screenshots go to test-artifacts/.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.factories import DEFAULT_PASSWORD

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _chromium_path() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/e2e/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def chromium_browser():
    executable = _chromium_path()
    if executable is None:
        pytest.skip(
            "Browser tests need Chromium on PATH (Debian: apt-get install chromium); "
            "`.ci/run` installs it."
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - requirements-dev installs it
        pytest.skip("playwright is not installed (pip install -r requirements-dev.txt)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium_browser, live_server, transactional_db):
    context = chromium_browser.new_context(
        base_url=live_server.url, locale="vi-VN", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.live_server_url = live_server.url
    yield page
    context.close()


@pytest.fixture
def login():
    """login(page, user, password=DEFAULT_PASSWORD): sign in through the real form."""

    def do_login(page, user, password: str = DEFAULT_PASSWORD) -> None:
        page.goto("/accounts/login/")
        page.locator("input[name=username]").fill(user.email)
        page.locator("input[name=password]").fill(password)
        page.locator("main form button[type=submit]").first.click()
        page.wait_for_load_state("networkidle")

    return do_login


@pytest.fixture
def screenshot():
    """screenshot(page, name): saves test-artifacts/<name>.png (full page)."""

    def take(page, name: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
