"""Haravan's webhooks: Shopify's order model, Haravan's documented X-Haravan-Hmacsha256."""

from __future__ import annotations

from aiohttp.test_utils import TestClient

from tests.sources.platforms import events_stored, haravan_headers, payload, post, stored_order

BODY = payload("haravan_orders_updated.json")


async def test_a_signed_order_arrives_with_its_fulfilment(client: TestClient) -> None:
    assert await post(client, "haravan", BODY, haravan_headers("orders/updated", BODY)) == (200, {"outcome": "applied"})
    order = await stored_order(client, "100234")
    assert order is not None and order.phone == "0987654321"
    assert (order.carrier, order.tracking_code, order.status) == ("ghtk", "S1234567.SG01.A1.12345678", "picked_up")


async def test_an_unsigned_delivery_is_refused(client: TestClient) -> None:
    headers = {k: v for k, v in haravan_headers("orders/updated", BODY).items() if k != "X-Haravan-Hmacsha256"}
    assert (await post(client, "haravan", BODY, headers))[0] == 401
    assert await events_stored(client) == 0


async def test_a_body_changed_after_signing_is_refused(client: TestClient) -> None:
    headers = haravan_headers("orders/updated", BODY)
    assert (await post(client, "haravan", BODY.replace(b"450000", b"1"), headers))[0] == 401


async def test_a_replayed_delivery_is_a_duplicate(client: TestClient) -> None:
    await post(client, "haravan", BODY, haravan_headers("orders/updated", BODY))
    assert await post(client, "haravan", BODY, haravan_headers("orders/updated", BODY)) == (200, {"outcome": "duplicate"})
    assert await events_stored(client) == 1


async def test_an_older_copy_after_a_newer_one_changes_nothing(client: TestClient) -> None:
    older = BODY.replace(b"2026-11-24T10:05:00+07:00", b"2026-11-24T09:59:00+07:00").replace(b'"450000.00"', b'"1.00"', 1)
    await post(client, "haravan", BODY, haravan_headers("orders/updated", BODY))
    assert (await post(client, "haravan", older, haravan_headers("orders/updated", older)))[1] == {"outcome": "stale"}
    order = await stored_order(client, "100234")
    assert order is not None and order.total == 450000
