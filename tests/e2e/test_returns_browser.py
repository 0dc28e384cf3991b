"""A return request decided in the inbox in a real browser (Playwright driving Debian's Chromium):
the customer asks on Telegram with a photo, staff see it first among the returns, with the photo,
order and verdict, and approve it in one click; the customer is told, and the pickup is booked."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient
from playwright.async_api import Browser, expect

from bot.linktokens import make_token
from tests.apps import Api, runtime_of
from tests.e2e.test_inbox_browser import CHROMIUM, browser, logged_in  # noqa: F401  (the browser fixture)
from tests.flows.customers import reply_containing
from tests.returns.customers import PNG, TelegramPhotos
from tests.returns.shop import ORDER
from tests.returns.test_inbox import pending, staffed  # noqa: F401  (a request waiting for a person, with a photo)
from tests.flows.conftest import clock, telegram  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="chromium not installed")]


async def test_staff_approve_a_pending_return_from_the_inbox_in_one_click(
    browser: Browser, staffed: TestClient, pending: TelegramPhotos, output_dir: Path  # noqa: F811
) -> None:
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
    await reply_containing(pending, "đã được shop duyệt")
    await reply_containing(pending, "tới lấy hàng", "SBR")


async def test_a_customer_sends_the_photo_from_the_web_chat_page_and_a_file_that_is_not_one_is_refused(
    browser: Browser, staffed: TestClient, tmp_path: Path  # noqa: F811
) -> None:
    await Api(staffed).post("/api/v1/orders", {**ORDER, "status": "delivered"})
    token = make_token(runtime_of(staffed).secret, ORDER["code"], date(2027, 12, 31))
    page = await (await browser.new_context()).new_page()
    await page.goto(str(staffed.make_url(f"/chat?as=lan&t={token}")))
    await expect(page.locator(".msg.bot").last).to_contain_text("HM7005", timeout=10_000)
    await page.fill("#text", "váy bị hỏng, em muốn đổi hàng")
    await page.press("#text", "Enter")
    await page.get_by_role("button", name="Hàng lỗi, hỏng").click()
    await expect(page.locator(".msg.bot").last).to_contain_text("ảnh chụp", timeout=10_000)
    (tmp_path / "hoa-don.gif").write_bytes(b"GIF89a" + bytes(64))
    await page.set_input_files("#photo", str(tmp_path / "hoa-don.gif"))
    await expect(page.locator(".msg.bot").last).to_contain_text("chỉ nhận ảnh JPG, PNG hoặc WebP")
    (tmp_path / "vay.png").write_bytes(PNG)
    await page.set_input_files("#photo", str(tmp_path / "vay.png"))
    await expect(page.locator(".msg.bot").last).to_contain_text("đổi sản phẩm khác hay hoàn tiền", timeout=10_000)
