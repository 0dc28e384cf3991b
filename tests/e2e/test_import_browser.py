"""An admin imports the shop's order file in a real browser: progress, then the report."""

from __future__ import annotations

from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient
from playwright.async_api import Browser, expect

from tests.e2e.test_inbox_browser import CHROMIUM, browser  # noqa: F401  (shared browser fixture)
from tests.e2e.test_settings_browser import admin_page
from tests.flows.conftest import client, clock, telegram  # noqa: F401  (shared app fixtures)
from tests.importing.files import VIETNAMESE_HEADER, VIETNAMESE_ROWS, csv_text
from tests.sources.platforms import stored_order

pytestmark = [pytest.mark.browser, pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="chromium not installed")]


async def test_an_admin_checks_then_imports_a_file_and_reads_the_report(
    browser: Browser, client: TestClient, tmp_path: Path,  # noqa: F811
) -> None:
    broken, good = tmp_path / "sai.csv", tmp_path / "don-hang.csv"
    broken.write_text("Mã đơn;SĐT\nDH1;12345\n", encoding="utf-8")
    good.write_bytes(csv_text(VIETNAMESE_HEADER, VIETNAMESE_ROWS, ";").encode("utf-8-sig"))
    page = await admin_page(browser, client)
    errors: list[str] = []
    page.on("pageerror", lambda failure: errors.append(str(failure)))  # the script's own errors (a 422 is expected)
    await page.click("#settings-link")
    await page.click("#import-link")
    await page.set_input_files("#file", str(broken))
    await page.click("#upload")
    await expect(page.locator("#result")).to_contain_text("1 dòng chưa đúng")
    await expect(page.locator("#errors")).to_contain_text("customer.phone")
    await page.set_input_files("#file", str(good))
    await page.check("#dry-run")
    await page.click("#upload")
    await expect(page.locator("#result")).to_contain_text("Cả 2 dòng đều hợp lệ")
    assert await stored_order(client, "DH1001") is None
    await page.uncheck("#dry-run")
    await page.click("#upload")
    await expect(page.locator("#result")).to_contain_text("2 đơn mới")
    assert await stored_order(client, "DH1001") is not None and errors == []
