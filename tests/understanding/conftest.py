"""A shop with its address, hotline and FAQ set, and one customer linked to an order, on the web
chat and on Telegram (the fake Bot API)."""

from __future__ import annotations

from typing import Any, Callable

import pytest
from aiohttp.test_utils import TestClient
from pytest_aiohttp import AiohttpClient
from sqlalchemy import select

from app.web import create_app
from bot.nlu import Intent
from bot.storage.models import Conversation, LabelSource, NluLabel
from bot.teaching import add_label
from tests.apps import Api, MovableClock, runtime_of, settings_for
from tests.conftest import Backend
from tests.fakes.telegram import FakeTelegram
from tests.flows.conftest import clock, telegram, telegram_env  # noqa: F401  (shared app fixtures)
from tests.flows.customers import Customer, TelegramCustomer, WebChatCustomer

ORDER: dict[str, Any] = {
    "code": "HM7001", "customer": {"name": "Chị Lan", "phone": "0987650001"}, "total": 300000,
    "carrier": "ghn", "tracking_code": "LBK7001", "eta": "2026-11-26", "status": "delivery_failed",
}
SHOP = {"HAUMAI_SHOP_ADDRESS": "12 Nguyễn Trãi, Quận 1", "HAUMAI_SHOP_HOTLINE": "1900 1234",
        "HAUMAI_FAQ": "https://tiemnhamay.vn/hoi-dap"}


@pytest.fixture
def shop_settings() -> dict[str, str]:
    return dict(SHOP)


@pytest.fixture
async def shop(aiohttp_client: AiohttpClient, backend: Backend, clock: MovableClock, telegram: FakeTelegram,
               shop_settings: dict[str, str]) -> TestClient:
    settings = settings_for(backend, **telegram_env(telegram), **shop_settings)
    return await aiohttp_client(create_app(settings, clock=clock))


@pytest.fixture(params=["web", "telegram"])
async def customer(request: pytest.FixtureRequest, shop: TestClient, telegram: FakeTelegram) -> Customer:
    drivers: dict[str, Callable[[], Customer]] = {
        "telegram": lambda: TelegramCustomer(shop, telegram),
        "web": lambda: WebChatCustomer(shop),
    }
    driver = drivers[request.param]()
    await Api(shop).post("/api/v1/orders", ORDER)
    await driver.link(ORDER["code"], ORDER["customer"]["phone"])
    await driver.messages(2)  # linked: the bot confirms, then shows the order
    return driver


async def teach(shop: TestClient, text: str, intent: Intent) -> None:
    """The shop taught these words (as a person correcting the bot in the inbox does)."""
    runtime = runtime_of(shop)
    async with runtime.sessions.begin() as db:
        add_label(db, text, intent, LabelSource.STAFF, "lan@shop.vn", runtime.clock())


async def labels(shop: TestClient) -> list[tuple[str, str, str]]:
    async with runtime_of(shop).sessions() as db:
        return [(row.text, row.intent, row.source) for row in await db.scalars(select(NluLabel).order_by(NluLabel.id))]


async def modes(shop: TestClient) -> list[str]:
    async with runtime_of(shop).sessions() as db:
        return list(await db.scalars(select(Conversation.mode)))


async def answer_to(customer: Customer, text: str | None = None, *, tap: str | None = None) -> str:
    """The bot's first message after the customer says `text` (or taps the button titled `tap`)."""
    before = len(await customer.messages(0))
    if tap is not None:
        await customer.tap(tap)
    else:
        assert text is not None
        await customer.say(text)
    return (await customer.messages(before + 1))[before]
