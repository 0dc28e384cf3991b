"""An admin rewrites a message template in a real browser (Playwright driving Debian's Chromium)."""

from __future__ import annotations

from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient
from playwright.async_api import Browser, Page, expect
from pytest_aiohttp import AiohttpClient

from app.inbox.staff import add_staff
from app.web import create_app
from tests.apps import MovableClock, runtime_of, settings_for
from tests.conftest import Backend
from tests.e2e.test_inbox_browser import CHAT, CHROMIUM, browser, said  # noqa: F401  (shared browser fixture)
from tests.fakes.telegram import FakeTelegram, text_update
from tests.flows.conftest import client, clock, telegram, telegram_env  # noqa: F401  (shared app fixtures)
from tests.flows.test_telegram_wismo import post_update
from tests.inbox.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="chromium not installed")]
GREETING = '{% set labels = {"track": "Xem đơn", "human": "Gặp người thật"} %}\nChào bạn, {{ shop_name }} nghe đây!'


@pytest.fixture
async def customer_side(aiohttp_client: AiohttpClient, backend: Backend, clock: MovableClock,  # noqa: F811
                        telegram: FakeTelegram, client: TestClient) -> TestClient:  # noqa: F811
    """Where the customer's next message arrives: another replica on PostgreSQL + Redis, where
    replicas share the database and the fan-out; the one replica on SQLite."""
    if backend.redis_url is None:
        return client
    return await aiohttp_client(create_app(settings_for(backend, **telegram_env(telegram)), clock=clock))


async def admin_page(browser: Browser, client: TestClient) -> Page:  # noqa: F811
    runtime = runtime_of(client)
    await add_staff(runtime.sessions, "chu@shop.vn", "Chủ shop", "admin", PASSWORD, runtime.clock())
    page = await (await browser.new_context(viewport={"width": 1280, "height": 900})).new_page()
    await page.goto(str(client.make_url("/login")))
    await page.fill("input[name=email]", "chu@shop.vn")
    await page.fill("input[name=password]", PASSWORD)
    await page.click("button.primary")
    await page.wait_for_url("**/inbox")
    return page


async def test_an_admin_rewrites_a_template_and_the_next_message_uses_it(
    browser: Browser, client: TestClient, customer_side: TestClient, telegram: FakeTelegram,  # noqa: F811
    output_dir: Path,
) -> None:
    page = await admin_page(browser, client)
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    await page.click("#settings-link")
    await page.click("a[href='/settings/templates']")
    await page.click("a[href='/settings/templates/vi/greeting']")
    await page.fill("#source", GREETING + "\n{{ coupon_code }}")
    await expect(page.locator("#problem")).to_contain_text("Dòng 3")  # refused before saving, with its line
    await page.fill("#source", GREETING)
    web = page.locator(".preview[data-channel=web]")
    await expect(web).to_contain_text("Chào bạn, Tiệm Nhà Mây nghe đây!")  # the live preview
    await expect(web).to_contain_text("Gặp người thật")
    await expect(page.locator("#problem")).to_be_hidden()
    await page.screenshot(path=str(output_dir / "settings-template.png"), full_page=True)
    await page.click("#save")
    await expect(page.locator("#saved")).to_be_visible()
    await post_update(customer_side, text_update(CHAT, "xin chào"))
    await said(telegram, "Chào bạn, Tiệm Nhà Mây nghe đây!")
    assert errors == []


async def test_an_admin_changes_the_coupon_percent_and_sees_the_change_audited(
    browser: Browser, client: TestClient,  # noqa: F811
) -> None:
    page = await admin_page(browser, client)
    await page.goto(str(client.make_url("/settings")))
    await page.fill("#coupon_percent", "15")
    await page.click("#save")
    await expect(page.locator("#saved")).to_be_visible()
    await expect(page.locator("#changes")).to_contain_text("Mã cảm ơn: giảm (%)")
    await expect(page.locator("#changes")).to_contain_text("10 → 15")
    assert runtime_of(client).settings.coupon_percent == 15
