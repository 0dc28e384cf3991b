"""Shopify's webhooks, as Shopify signs and sends them, become Haumai orders and journeys."""

from __future__ import annotations

from aiohttp.test_utils import TestClient
from sqlalchemy import select

from bot.storage.models import Outbox
from tests.apps import runtime_of
from tests.fakes.telegram import FakeTelegram, contact_update
from tests.flows.test_telegram_wismo import post_update, replies
from tests.sources.platforms import events_stored, payload, post, shopify_headers, stored_order

CHAT = 515001


async def shopify(client: TestClient, topic: str, name: str, event_id: str) -> tuple[int, dict[str, str]]:
    body = payload(name)
    return await post(client, "shopify", body, shopify_headers(topic, body, event_id))


async def test_a_signed_order_becomes_a_haumai_order_under_the_number_the_shop_shows(client: TestClient) -> None:
    assert await shopify(client, "orders/create", "shopify_orders_create.json", "e-1") == (200, {"outcome": "applied"})
    order = await stored_order(client, "1001")
    assert order is not None
    assert (order.customer_name, order.phone, order.total, order.status) == ("Nguyễn Lan", "0987654321", 450000, "created")
    assert order.items == [{"name": "Áo thun cotton", "quantity": 2, "price": 150000},
                           {"name": "Nón bucket", "quantity": 1, "price": 120000}]


async def test_an_unsigned_or_forged_delivery_is_refused_and_nothing_is_stored(client: TestClient) -> None:
    body = payload("shopify_orders_create.json")
    unsigned = {k: v for k, v in shopify_headers("orders/create", body, "e-1").items() if k != "X-Shopify-Hmac-Sha256"}
    forged = shopify_headers("orders/create", body, "e-1", secret="someone-elses-secret")
    assert (await post(client, "shopify", body, unsigned))[0] == 401
    assert (await post(client, "shopify", body, forged))[0] == 401
    assert await stored_order(client, "1001") is None and await events_stored(client) == 0


async def test_a_replayed_event_changes_nothing(client: TestClient) -> None:
    await shopify(client, "orders/create", "shopify_orders_create.json", "e-1")
    assert await shopify(client, "orders/create", "shopify_orders_create.json", "e-1") == (200, {"outcome": "duplicate"})
    assert await events_stored(client) == 1


async def test_an_older_copy_arriving_after_a_newer_one_changes_nothing(client: TestClient) -> None:
    assert (await shopify(client, "orders/updated", "shopify_orders_updated.json", "e-2"))[1]["outcome"] == "applied"
    assert (await shopify(client, "orders/create", "shopify_orders_create.json", "e-1"))[1]["outcome"] == "stale"
    order = await stored_order(client, "1001")
    assert order is not None and order.total == 480000  # the newer copy's total stays


async def test_fulfilments_bring_the_carrier_and_tracking_code_and_move_the_status(client: TestClient) -> None:
    await shopify(client, "orders/create", "shopify_orders_create.json", "e-1")
    await shopify(client, "fulfillments/create", "shopify_fulfillments_create.json", "e-3")
    order = await stored_order(client, "1001")
    assert order is not None and (order.carrier, order.tracking_code, order.status) == ("ghn", "GAN6D8A9", "picked_up")
    await shopify(client, "fulfillments/update", "shopify_fulfillments_update.json", "e-4")
    order = await stored_order(client, "1001")
    assert order is not None and order.status == "out_for_delivery"


async def test_fulfilment_updates_out_of_order_never_move_the_order_back(client: TestClient) -> None:
    await shopify(client, "fulfillments/update", "shopify_fulfillments_update.json", "e-4")
    assert (await shopify(client, "fulfillments/create", "shopify_fulfillments_create.json", "e-3"))[1]["outcome"] == "stale"
    order = await stored_order(client, "1001")
    assert order is not None and order.status == "out_for_delivery" and order.tracking_code == "GAN6D8A9"


async def test_a_cancelled_order_is_cancelled(client: TestClient) -> None:
    await shopify(client, "orders/create", "shopify_orders_create.json", "e-1")
    await shopify(client, "orders/cancelled", "shopify_orders_cancelled.json", "e-5")
    order = await stored_order(client, "1001")
    assert order is not None and order.status == "cancelled"


async def test_the_customer_with_that_verified_phone_hears_of_the_fulfilment(
    client: TestClient, telegram: FakeTelegram
) -> None:
    await post_update(client, contact_update(CHAT, "+84987654321"))  # shared on Telegram: a verified phone
    before = len(await replies(telegram, 1, CHAT))
    await shopify(client, "orders/create", "shopify_orders_create.json", "e-1")
    await shopify(client, "fulfillments/create", "shopify_fulfillments_create.json", "e-3")
    notice = (await replies(telegram, before + 1, CHAT))[-1]
    assert "1001" in notice and "GAN6D8A9" in notice
    async with runtime_of(client).sessions() as session:
        kinds = list(await session.scalars(select(Outbox.kind).where(Outbox.order_id.is_not(None))))
    assert "notice" in kinds


async def test_a_topic_haumai_does_not_follow_is_acknowledged_and_ignored(client: TestClient) -> None:
    body = '{"id": 1, "title": "Áo"}'.encode()
    status, answer = await post(client, "shopify", body, shopify_headers("products/update", body, "e-9"))
    assert (status, answer) == (200, {"outcome": "ignored"})
