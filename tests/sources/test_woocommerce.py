"""WooCommerce's order webhooks, signed as WooCommerce signs them (X-WC-Webhook-Signature)."""

from __future__ import annotations

from aiohttp.test_utils import TestClient

from tests.sources.platforms import events_stored, payload, post, stored_order, woocommerce_headers

CREATED = payload("woocommerce_order_created.json")
UPDATED = payload("woocommerce_order_updated.json")


async def woo(client: TestClient, topic: str, body: bytes) -> tuple[int, dict[str, str]]:
    return await post(client, "woocommerce", body, woocommerce_headers(topic, body))


async def test_a_new_order_is_stored_with_its_customer_items_and_total(client: TestClient) -> None:
    assert await woo(client, "order.created", CREATED) == (200, {"outcome": "applied"})
    order = await stored_order(client, "727")
    assert order is not None
    assert (order.customer_name, order.phone, order.total, order.status) == ("Trần Minh", "0903123456", 1250000, "confirmed")
    assert order.items == [{"name": "Giày thể thao", "quantity": 1, "price": 1220000}]


async def test_the_shipment_tracking_of_a_completed_order_names_carrier_and_code(client: TestClient) -> None:
    await woo(client, "order.created", CREATED)
    await woo(client, "order.updated", UPDATED)
    order = await stored_order(client, "727")
    assert order is not None and (order.carrier, order.tracking_code, order.status) == ("viettelpost", "1234567890", "picked_up")


async def test_an_unsigned_or_forged_delivery_is_refused(client: TestClient) -> None:
    unsigned = {k: v for k, v in woocommerce_headers("order.created", CREATED).items() if k != "X-WC-Webhook-Signature"}
    assert (await post(client, "woocommerce", CREATED, unsigned))[0] == 401
    forged = woocommerce_headers("order.created", UPDATED)
    assert (await post(client, "woocommerce", CREATED, forged))[0] == 401
    assert await events_stored(client) == 0


async def test_a_resent_delivery_is_a_duplicate(client: TestClient) -> None:
    await woo(client, "order.created", CREATED)
    resent = woocommerce_headers("order.created", CREATED, delivery="2")
    assert await post(client, "woocommerce", CREATED, resent) == (200, {"outcome": "duplicate"})


async def test_the_creation_arriving_after_the_update_changes_nothing(client: TestClient) -> None:
    await woo(client, "order.updated", UPDATED)
    assert (await woo(client, "order.created", CREATED))[1] == {"outcome": "stale"}
    order = await stored_order(client, "727")
    assert order is not None and order.status == "picked_up" and order.tracking_code == "1234567890"


async def test_the_ping_sent_when_the_webhook_is_saved_is_acknowledged(client: TestClient) -> None:
    body = b"webhook_id=12"
    headers = {k: v for k, v in woocommerce_headers("order.created", body).items() if not k.startswith("X-WC-Webhook-T")}
    assert await post(client, "woocommerce", body, headers) == (200, {"outcome": "ignored"})
    assert await events_stored(client) == 1
