"""After the free window closes: the shop's approved template, else another linked channel, else a skip."""

from __future__ import annotations

import json

import pytest
from aiohttp.test_utils import TestClient
from pytest_aiohttp import AiohttpClient

from app.web import create_app
from tests.apps import Api, MovableClock, decided_notice, settings_for
from tests.conftest import Backend
from tests.fakes.graph import FakeGraph
from tests.fakes.telegram import FakeTelegram
from tests.fakes.zalo import FakeZalo
from tests.flows.conftest import messenger_env, telegram_env, zalo_env
from tests.flows.customers import CHAT, PSID, ZALO_USER, Customer, MessengerCustomer, TelegramCustomer, ZaloCustomer

RETIRED_TAGS = {"POST_PURCHASE_UPDATE", "ACCOUNT_UPDATE", "CONFIRMED_EVENT_UPDATE"}
ORDER = {"code": "HM6001", "customer": {"name": "Chị Lan", "phone": "0987650002"}, "carrier": "ghn",
         "tracking_code": "LBK6001", "status": "confirmed"}
PARAMS = {"customer": "customer", "order_code": "order_code", "status": "status"}


def templates(**kinds: dict[str, object]) -> str:
    return json.dumps({kind: {"params": PARAMS, **spec} for kind, spec in kinds.items()})


@pytest.fixture
def extra_env() -> dict[str, str]:
    return {}


@pytest.fixture
async def shop(aiohttp_client: AiohttpClient, backend: Backend, clock: MovableClock, telegram: FakeTelegram,
               graph: FakeGraph, zalo: FakeZalo, extra_env: dict[str, str]) -> TestClient:
    env = {**telegram_env(telegram), **messenger_env(graph), **zalo_env(zalo), **extra_env}
    return await aiohttp_client(create_app(settings_for(backend, **env), clock=clock))


async def ship_after(shop: TestClient, clock: MovableClock, **delay: float) -> None:
    clock.advance(**delay)
    assert (await Api(shop).post("/api/v1/orders/HM6001/events", {"status": "picked_up"}))[0] in (200, 201)


async def linked(customer: Customer) -> None:
    """The customer links this chat to HM6001 the channel's own way and gets the confirmation."""
    await customer.link("HM6001", "0987650002")
    await customer.messages(1)


async def notice_after(shop: TestClient, customer: Customer, clock: MovableClock, **delay: float) -> dict[str, str]:
    """HM6001's customer is linked on one channel and the parcel ships `delay` after they last wrote."""
    await Api(shop).post("/api/v1/orders", ORDER)
    await linked(customer)
    await ship_after(shop, clock, **delay)
    return await decided_notice(shop, "HM6001")


@pytest.mark.parametrize("extra_env", [{"HAUMAI_MESSENGER_TEMPLATES": templates(notice={"id": "order_update_vi"})}])
async def test_messenger_at_25_hours_sends_the_utility_template_filled_from_the_order(
    shop: TestClient, graph: FakeGraph, clock: MovableClock
) -> None:
    assert (await notice_after(shop, MessengerCustomer(shop, graph), clock, hours=25))["status"] == "sent"
    sent = graph.templates()[-1]
    assert sent["messaging_type"] == "UTILITY" and sent["recipient"] == {"id": PSID}
    assert sent["message"]["template"]["name"] == "order_update_vi"
    values = [p["text"] for p in sent["message"]["template"]["components"][0]["parameters"]]
    assert values == ["Chị Lan", "HM6001", "Shipper đã lấy hàng"]
    assert not any(r["body"].get("tag") in RETIRED_TAGS for r in graph.requests)


@pytest.mark.parametrize("extra_env", [{"HAUMAI_ZALO_TEMPLATES": templates(notice={"id": "7895417a7d3f9461cd2e"})}])
async def test_zalo_at_8_days_sends_the_zbs_template_by_user_id(shop: TestClient, zalo: FakeZalo, clock: MovableClock) -> None:
    assert (await notice_after(shop, ZaloCustomer(shop, zalo), clock, days=8))["status"] == "sent"
    sent = zalo.templates()[-1]
    assert sent == {"user_id": ZALO_USER, "template_id": "7895417a7d3f9461cd2e",
                    "template_data": {"customer": "Chị Lan", "order_code": "HM6001", "status": "Shipper đã lấy hàng"}}


@pytest.mark.parametrize("extra_env", [{"HAUMAI_ZALO_TEMPLATES": templates(notice={"id": "7895417a7d3f9461cd2e", "by_phone": True})}])
async def test_zalo_at_8_days_can_send_the_template_to_the_orders_phone(shop: TestClient, zalo: FakeZalo, clock: MovableClock) -> None:
    assert (await notice_after(shop, ZaloCustomer(shop, zalo), clock, days=8))["status"] == "sent"
    request = next(r for r in reversed(zalo.requests) if r["path"] == "/message/template")
    assert request["body"]["phone"] == "84987650002" and request["body"]["template_data"]["order_code"] == "HM6001"
    assert request["body"]["tracking_id"].startswith("notice:")


async def test_messenger_at_25_hours_without_a_template_falls_back_to_the_customers_telegram(
    shop: TestClient, graph: FakeGraph, telegram: FakeTelegram, clock: MovableClock
) -> None:
    await Api(shop).post("/api/v1/orders", ORDER)
    on_telegram, on_messenger = TelegramCustomer(shop, telegram), MessengerCustomer(shop, graph)
    await linked(on_telegram)
    clock.advance(hours=1)
    await linked(on_messenger)  # used last: notices would go here first
    await ship_after(shop, clock, hours=25)
    row = await decided_notice(shop, "HM6001")
    assert row["status"] == "sent" and "sent on telegram" in row["reason"] and "24 h window" in row["reason"]
    assert any("HM6001" in text and "bàn giao" in text for text in telegram.texts_to(CHAT))
    assert not graph.templates()


async def test_zalo_at_8_days_with_no_template_and_no_other_channel_is_skipped_with_every_reason(
    shop: TestClient, zalo: FakeZalo, clock: MovableClock
) -> None:
    row = await notice_after(shop, ZaloCustomer(shop, zalo), clock, days=8)
    assert row["status"] == "skipped_policy"
    assert "7 days" in row["reason"] and "no other linked channel" in row["reason"]
    assert not zalo.templates()
