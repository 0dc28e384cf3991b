"""The inbox in a real browser (Playwright driving Debian's Chromium)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import AsyncIterator

import pytest
from aiohttp.test_utils import TestClient
from playwright.async_api import Browser, Page, async_playwright, expect

from app.inbox.staff import add_staff
from tests.apps import Api, eventually, runtime_of
from tests.fakes.telegram import FakeTelegram, text_update
from tests.flows.conftest import client, clock, telegram  # noqa: F401  (shared app fixtures)
from tests.flows.test_telegram_wismo import post_update
from tests.inbox.conftest import PASSWORD

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHAT = 424242
pytestmark = [pytest.mark.browser, pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="chromium not installed")]
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        yield launched
        await launched.close()


async def said(telegram: FakeTelegram, words: str) -> None:
    """Wait until some message to the customer contains `words`."""
    await eventually(lambda: _contains(telegram, words))


async def _contains(telegram: FakeTelegram, words: str) -> bool:
    return any(words in text for text in telegram.texts_to(CHAT))


async def logged_in(browser: Browser, client: TestClient, email: str) -> Page:
    runtime = runtime_of(client)
    await add_staff(runtime.sessions, email, email.split("@")[0].title(), "agent", PASSWORD, runtime.clock())
    page = await (await browser.new_context(viewport={"width": 1280, "height": 900})).new_page()
    await page.goto(str(client.make_url("/login")))
    await page.fill("input[name=email]", email)
    await page.fill("input[name=password]", PASSWORD)
    await page.click("button.primary")
    await page.wait_for_url("**/inbox")
    return page


async def test_a_handoff_arrives_live_and_staff_take_over_reply_release_and_resolve(
    browser: Browser, client: TestClient, telegram: FakeTelegram, output_dir: Path
) -> None:
    await Api(client).post("/api/v1/orders", {"code": "HM7001", "customer": {"name": "Chị Lan", "phone": "0987654321", "channel": "telegram", "channel_user_id": str(CHAT)}, "carrier": "ghn", "tracking_code": "GAN6D8A9", "status": "in_transit"})
    lan = await logged_in(browser, client, "lan@shop.vn")
    await post_update(client, text_update(CHAT, "cho em gặp nhân viên, hàng bị lỗi <b>gấp</b>"))
    row = lan.locator("#conversations tr.waiting")
    await expect(row).to_contain_text("Chị Lan", timeout=10_000)  # arrived without a reload
    await row.locator("a").click()
    await lan.click("#take")
    minh = await logged_in(browser, client, "minh@shop.vn")
    await minh.goto(lan.url)
    await minh.click("#take")
    await expect(minh.locator(".error")).to_contain_text("trước bạn")  # the second session sees the takeover
    await lan.fill("#reply", "Dạ em chào chị, em kiểm tra ngay ạ")
    await lan.click("#send")
    await said(telegram, "em kiểm tra ngay")
    await expect(lan.locator("#customer-card")).to_contain_text("HM7001")
    await lan.screenshot(path=str(output_dir / "inbox-conversation.png"), full_page=True)
    await lan.click("#release")
    await lan.click("#take")
    await lan.click("#resolve")
    await said(telegram, "dễ dàng")
