"""The product's promises, each checked unchanged on Telegram, web chat, Messenger and Zalo."""

from __future__ import annotations

from typing import Any, Callable

import pytest
from aiohttp.test_utils import TestClient
from pytest_aiohttp import AiohttpClient
from sqlalchemy import select

from app.web import create_app
from bot.storage.models import Coupon, SurveyAnswer
from tests.apps import Api, MovableClock, runtime_of, settings_for
from tests.conftest import Backend
from tests.fakes.graph import FakeGraph
from tests.fakes.telegram import FakeTelegram
from tests.fakes.zalo import FakeZalo
from tests.flows.conftest import messenger_env, telegram_env, zalo_env
from tests.flows.customers import (
    Customer, MessengerCustomer, TelegramCustomer, WebChatCustomer, ZaloCustomer, reply_containing,
)

ORDER: dict[str, Any] = {
    "code": "HM7001", "customer": {"name": "Chị Lan", "phone": "0987650001"}, "total": 300000,
    "carrier": "ghn", "tracking_code": "LBK7001", "eta": "2026-11-26", "status": "in_transit",
}


@pytest.fixture
async def shop(aiohttp_client: AiohttpClient, backend: Backend, clock: MovableClock, telegram: FakeTelegram,
               graph: FakeGraph, zalo: FakeZalo) -> TestClient:
    settings = settings_for(backend, **telegram_env(telegram), **messenger_env(graph), **zalo_env(zalo))
    return await aiohttp_client(create_app(settings, clock=clock))


@pytest.fixture(params=["telegram", "web", "messenger", "zalo"])
async def customer(request: pytest.FixtureRequest, shop: TestClient, telegram: FakeTelegram,
                   graph: FakeGraph, zalo: FakeZalo) -> Customer:
    drivers: dict[str, Callable[[], Customer]] = {
        "telegram": lambda: TelegramCustomer(shop, telegram),
        "web": lambda: WebChatCustomer(shop),
        "messenger": lambda: MessengerCustomer(shop, graph),
        "zalo": lambda: ZaloCustomer(shop, zalo),
    }
    driver: Customer = drivers[request.param]()
    await Api(shop).post("/api/v1/orders", ORDER)
    await driver.link(ORDER["code"], ORDER["customer"]["phone"])
    await driver.messages(1)  # linked: the bot confirms and shows the order
    return driver


async def test_a_linked_customer_asking_where_the_order_is_gets_status_carrier_and_tracking(customer: Customer) -> None:
    await customer.say("đơn của em tới đâu rồi?")
    assert await reply_containing(customer, "HM7001", "Đang vận chuyển", "LBK7001")


async def test_each_delivery_step_arrives_before_anyone_asks(customer: Customer, shop: TestClient) -> None:
    """Steps an hour apart, as parcels move (a step that overtakes an unsent notice replaces it)."""
    for step, notice in (("out_for_delivery", "đang được giao"), ("delivered", "đã giao thành công")):
        assert (await Api(shop).post("/api/v1/orders/HM7001/events", {"status": step}))[0] in (200, 201)
        assert await reply_containing(customer, "HM7001", notice)


async def test_after_delivery_the_thanks_brings_a_personal_coupon_and_a_one_tap_csat(
    customer: Customer, shop: TestClient, clock: MovableClock
) -> None:
    await Api(shop).post("/api/v1/orders/HM7001/events", {"status": "delivered"})
    await reply_containing(customer, "đã giao thành công")
    clock.advance(hours=3, seconds=1)
    runtime = runtime_of(shop)
    runtime.dispatcher.wake()
    async with runtime.sessions() as db:
        coupon = await db.scalar(select(Coupon))
    assert coupon is not None
    assert await reply_containing(customer, coupon.code, "10%")
    await customer.tap("5 😍")
    assert await reply_containing(customer, "5 điểm")
    async with runtime.sessions() as db:
        answer = await db.scalar(select(SurveyAnswer).where(SurveyAnswer.kind == "csat"))
    assert answer is not None and answer.score == 5
