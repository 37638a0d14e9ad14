"""The secretariat asks for the joint covenant from the year's documents page, watches
the progress bar reach the end, downloads the PDF and finds the official heading, the
number and the member schools in it."""

from __future__ import annotations

from django.utils import timezone

from documents.dates import vietnamese_date_line
from tests.documents.support import build_world, flat, pdf_text


def test_secretariat_requests_the_covenant_and_downloads_it(
    page, login, screenshot, cluster4, secretariat, settings, tmp_path
):
    settings.MEDIA_ROOT = str(tmp_path / "media")  # the live server runs in this process
    world = build_world(cluster4)
    login(page, secretariat)
    page.goto(f"/d/{world.cluster.code}/{world.year.label}/")
    screenshot(page, "documents-year-page")

    page.locator("[data-testid=request-covenant-pdf]").click()
    page.wait_for_url("**/d/jobs/**")
    progress = page.locator("[data-testid=job-progress]")
    # The bar is polled every second by htmx until the job is finished.
    page.wait_for_selector("[data-testid=job-progress][data-status=done]", timeout=60_000)
    assert progress.locator("[role=progressbar]").get_attribute("aria-valuenow") == "100"
    assert page.locator("[data-testid=job-number]").inner_text() == "01/GƯ-CTĐ4"
    screenshot(page, "documents-covenant-ready")

    with page.expect_download() as download_info:
        page.locator("[data-testid=download]").click()
    download = download_info.value
    assert download.suggested_filename == "Giao ước thi đua 2026.pdf"
    with open(download.path(), "rb") as handle:
        text = flat(pdf_text(handle.read()))
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert "Số: 01/GƯ-CTĐ4" in text
    assert vietnamese_date_line("Hưng Yên", timezone.localdate()) in text
    assert "Trường Chính trị tỉnh Thái Bình" in text
    assert "3.200" in text

    # Back on the documents page, the produced document is listed.
    page.goto(f"/d/{world.cluster.code}/{world.year.label}/")
    assert page.locator("[data-testid=job-row]").count() == 1
