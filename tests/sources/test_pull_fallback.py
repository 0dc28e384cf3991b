"""A missed webhook is caught up from the platform's orders API, behind a rate budget and breaker."""

from __future__ import annotations

import json
from typing import Any, AsyncIterator

import pytest
from aiohttp.test_utils import TestClient
from pytest_aiohttp import AiohttpClient

from app.source_polling import SourcePoller
from app.source_webhooks import SOURCES
from app.web import create_app
from bot.breaker import BreakerState
from tests.apps import MovableClock, runtime_of, settings_for
from tests.conftest import Backend
from tests.fakes.server import running
from tests.fakes.shops import SHOPIFY_TOKEN, WOO_KEY, WOO_SECRET, FakeShopify, FakeWooCommerce
from tests.sources.platforms import SECRETS, payload, post, shopify_headers, stored_order


@pytest.fixture
async def shopify() -> AsyncIterator[FakeShopify]:
    async for fake in running(FakeShopify()):
        yield fake


@pytest.fixture
async def woo() -> AsyncIterator[FakeWooCommerce]:
    async for fake in running(FakeWooCommerce()):
        yield fake


@pytest.fixture
async def shop_client(aiohttp_client: AiohttpClient, backend: Backend, shopify: FakeShopify, woo: FakeWooCommerce) -> TestClient:
    settings = settings_for(
        backend, HAUMAI_SHOPIFY_WEBHOOK_SECRET=SECRETS["shopify"], HAUMAI_SHOPIFY_SHOP_URL=shopify.base,
        HAUMAI_SHOPIFY_ACCESS_TOKEN=SHOPIFY_TOKEN, HAUMAI_WOOCOMMERCE_URL=woo.base,
        HAUMAI_WOOCOMMERCE_CONSUMER_KEY=WOO_KEY, HAUMAI_WOOCOMMERCE_CONSUMER_SECRET=WOO_SECRET,
    )
    return await aiohttp_client(create_app(settings, clock=MovableClock()))


def poller(client: TestClient) -> SourcePoller:
    runtime = runtime_of(client)
    return SourcePoller(runtime.sessions, client.app[SOURCES], runtime.http, runtime.coordinator, runtime.clock, runtime.planner)


def shopify_order(**changes: Any) -> dict[str, Any]:
    return {**json.loads(payload("shopify_orders_create.json")), **changes}


async def test_a_fulfilment_whose_webhook_never_came_is_caught_up(shop_client: TestClient, shopify: FakeShopify) -> None:
    body = payload("shopify_orders_create.json")
    await post(shop_client, "shopify", body, shopify_headers("orders/create", body, "e-1"))
    fulfilment = json.loads(payload("shopify_fulfillments_create.json"))
    shopify.orders = [shopify_order(updated_at="2026-11-24T14:00:00+07:00", fulfillments=[fulfilment],
                                    fulfillment_status="fulfilled")]  # fulfillments/create was lost on the way
    assert await poller(shop_client).run_once() == 1
    order = await stored_order(shop_client, "1001")
    assert order is not None and (order.status, order.carrier, order.tracking_code) == ("picked_up", "ghn", "GAN6D8A9")


async def test_orders_on_several_pages_all_arrive_and_the_cursor_moves_on(shop_client: TestClient, shopify: FakeShopify) -> None:
    shopify.orders = [shopify_order(id=9000 + n, name=f"#20{n}", updated_at=f"2026-11-24T1{n}:00:00+07:00") for n in range(5)]
    polling = poller(shop_client)
    assert await polling.run_once() == 5
    assert all([await stored_order(shop_client, f"20{n}") for n in range(5)])
    assert await polling.run_once() == 0  # the newest copy again: a duplicate
    assert shopify.calls[-1]["updated_at_min"] == "2026-11-24T07:00:00+00:00"


async def test_a_failing_platform_opens_its_breaker_and_is_left_alone(shop_client: TestClient, shopify: FakeShopify) -> None:
    shopify.failing = True
    polling = poller(shop_client)
    for _ in range(5):
        await polling.run_once()
    asked = len(shopify.calls)
    await polling.run_once()
    assert polling.breakers["shopify"].state is BreakerState.OPEN and len(shopify.calls) == asked


async def test_woocommerce_orders_modified_since_the_cursor_are_pulled(shop_client: TestClient, woo: FakeWooCommerce) -> None:
    woo.orders = [json.loads(payload("woocommerce_order_updated.json"))]
    assert await poller(shop_client).run_once() == 1
    order = await stored_order(shop_client, "727")
    assert order is not None and (order.status, order.tracking_code) == ("picked_up", "1234567890")
