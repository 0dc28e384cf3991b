"""The web chat page in a real browser, through a dropped connection and a reload."""

from __future__ import annotations

import pytest
from aiohttp.test_utils import TestClient
from playwright.async_api import Browser, Page, expect

from tests.e2e.test_inbox_browser import browser, pytestmark  # noqa: F401  (Chromium, and when to skip)
from tests.flows.conftest import clock, served, telegram  # noqa: F401  (shared app fixtures)


async def said(page: Page, text: str, replies: int) -> None:
    """Type `text`, send it, and wait for the page to show `replies` bot messages in all."""
    await page.fill("#text", text)
    await page.press("#text", "Enter")
    await expect(page.locator(".msg.bot")).to_have_count(replies, timeout=10_000)


async def shows_each_message_once(page: Page) -> None:
    for text in ("chào shop", "cảm ơn shop"):
        await expect(page.locator(".msg.customer", has_text=text)).to_have_count(1)
    assert "" not in [text.strip() for text in await page.locator(".msg").all_inner_texts()]


@pytest.mark.parametrize("backend", ["embedded"], indirect=True)
async def test_the_chat_shows_each_message_once_after_a_dropped_stream_and_a_reload(
    browser: Browser, served: TestClient  # noqa: F811
) -> None:
    page = await (await browser.new_context()).new_page()
    await page.goto(str(served.make_url("/chat?as=guest&t=expired-link")))  # an opened link records no text
    await said(page, "chào shop", 2)  # the link's answer, then this one's
    runner = served.server.runner
    assert runner is not None and runner.server is not None  # the fixture started it
    for connection in runner.server.connections:
        connection.force_close()  # as a proxy timing out would; the page reconnects with Last-Event-ID
    await said(page, "cảm ơn shop", 3)
    await shows_each_message_once(page)
    await page.reload()
    await expect(page.locator(".msg.bot")).to_have_count(3, timeout=10_000)
    await shows_each_message_once(page)
