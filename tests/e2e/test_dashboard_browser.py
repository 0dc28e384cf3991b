"""The owner's dashboard in a real browser (Playwright driving Debian's Chromium), on a shop
with eight weeks of generated history whose figures the test counts itself."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient
from babel.numbers import format_currency, format_decimal, format_percent
from playwright.async_api import Browser, ConsoleMessage, Page, Response, expect

from tests.apps import runtime_of
from tests.dashboard.conftest import seed_history
from tests.dashboard.expected import expected, last_30_days
from tests.e2e.test_inbox_browser import CHROMIUM, browser, logged_in  # noqa: F401  (fixtures)
from tests.flows.conftest import client, clock, telegram  # noqa: F401  (shared app fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="chromium not installed")]
VI = "vi_VN"


def watch(page: Page) -> list[str]:
    """Console errors, script errors and failed requests from here on (the favicon is another page's business)."""
    problems: list[str] = []

    def console(message: ConsoleMessage) -> None:
        if message.type == "error" and not message.location.get("url", "").endswith("/favicon.ico"):
            problems.append(message.text)

    def response(answer: Response) -> None:
        if answer.status >= 400 and not answer.url.endswith("/favicon.ico"):
            problems.append(f"{answer.status} {answer.url}")

    page.on("console", console)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("response", response)
    return problems


async def figure(page: Page, key: str) -> str:
    return (await page.locator(f'[data-figure="{key}"] .value').inner_text()).strip()


async def test_the_owner_reads_the_figures_sees_every_chart_and_downloads_a_table(
    browser: Browser, client: TestClient, output_dir: Path
) -> None:
    history = await seed_history(client)
    want = expected(history, *last_30_days(runtime_of(client).clock()))
    page = await logged_in(browser, client, "owner@shop.vn")
    problems = watch(page)
    await page.goto(str(client.make_url("/dashboard")))

    assert await figure(page, "deflection") == format_percent(want["wismo"]["deflection_pct"] / 100, "#,##0.#%", locale=VI)
    assert await figure(page, "wismo_questions") == format_decimal(want["wismo"]["questions"], locale=VI)
    assert await figure(page, "csat_mean") == format_decimal(want["csat_mean"], "#,##0.##", locale=VI)
    assert await figure(page, "nps_score") == format_decimal(want["nps_score"], "#,##0.##", locale=VI)
    assert await figure(page, "nps_split") == " / ".join(str(n) for n in want["nps_split"])
    assert await figure(page, "coupon_revenue") == format_currency(want["coupons"]["revenue"], "VND", locale=VI)
    assert await figure(page, "handoffs_opened") == str(want["handoffs"]["opened"])
    assert await figure(page, "cancelled_per_100") == format_decimal(want["orders"]["cancelled_per_100"], "#,##0.##", locale=VI)
    for kind in ("csat", "nps", "ces"):
        assert await page.evaluate("id => Chart.getChart(document.getElementById(id)) !== undefined", f"chart-{kind}")
    await page.screenshot(path=str(output_dir / "dashboard.png"), full_page=True)

    async with page.expect_download() as download:
        await page.click("#table-handoffs a.csv")
    saved = await (await download.value).path()
    rows = list(csv.reader(io.StringIO(Path(saved).read_text(encoding="utf-8-sig"))))
    assert rows[0][:3] == ["Nhân viên", "Lượt nhận", "Đã giải quyết"]
    assert sum(int(row[1]) for row in rows[1:]) == want["handoffs"]["opened"]
    assert problems == []


async def test_on_a_phone_the_dashboard_fits_the_screen_and_its_tables_scroll_inside(browser: Browser, client: TestClient) -> None:
    await seed_history(client)
    page = await logged_in(browser, client, "owner@shop.vn")
    await page.set_viewport_size({"width": 390, "height": 844})
    await page.goto(str(client.make_url("/dashboard?lang=en")))
    await expect(page.locator("#section-wismo h2")).to_contain_text("Where is my order")
    assert await page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    chart = await page.locator("#chart-csat").bounding_box()
    assert chart is not None and chart["width"] <= 390
