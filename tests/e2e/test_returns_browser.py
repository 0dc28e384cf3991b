"""A return request decided in the inbox in a real browser (Playwright driving Debian's Chromium):
the customer asks on Telegram with a photo, staff see it first among the returns, with the photo,
order and verdict, and approve it in one click; the customer is told, and the pickup is booked."""

from __future__ import annotations

from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient
from playwright.async_api import Browser, expect

from tests.apps import Api
from tests.e2e.test_inbox_browser import CHROMIUM, browser, logged_in  # noqa: F401  (the browser fixture)
from tests.fakes.telegram import FakeTelegram
from tests.flows.customers import reply_containing
from tests.returns.customers import PNG, TelegramPhotos
from tests.returns.shop import ORDER, ask_for_a_refund, delivered
from tests.returns.test_inbox import staffed  # noqa: F401  (the shop where "not as pictured" waits for a person)
from tests.flows.conftest import clock, telegram  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="chromium not installed")]


async def test_staff_approve_a_pending_return_from_the_inbox_in_one_click(
    browser: Browser, staffed: TestClient, telegram: FakeTelegram, output_dir: Path  # noqa: F811
) -> None:
    customer = TelegramPhotos(staffed, telegram)
    await Api(staffed).post("/api/v1/orders", ORDER)
    await customer.link(ORDER["code"], ORDER["customer"]["phone"])
    await customer.messages(1)
    await delivered(staffed, customer)
    await ask_for_a_refund(customer, "Không giống hình", photo=PNG)

    page = await logged_in(browser, staffed, "lan@shop.vn")
    await page.click("#returns-link")
    card = page.locator("section.return").first
    await expect(card).to_have_attribute("data-state", "requested")
    await expect(card).to_contain_text("HM7005")
    await expect(card.locator(".verdict")).to_contain_text("Cần nhân viên quyết định")
    photo = card.locator("img.return-photo")
    await expect(photo).to_be_visible()
    assert await photo.evaluate("img => img.decode().then(() => img.naturalWidth)") == 1
    await page.screenshot(path=str(output_dir / "inbox-returns.png"), full_page=True)
    await card.locator("button.approve").click()
    await expect(page.locator("section.return").first).to_have_attribute("data-state", "pickup_scheduled")
    await reply_containing(customer, "đã được shop duyệt")
    await reply_containing(customer, "tới lấy hàng", "SBR")
