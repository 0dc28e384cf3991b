"""Sapo is refused until its scheme is documented; the signed JSON source serves any other system."""

from __future__ import annotations

import json

from aiohttp.test_utils import TestClient
from pytest_aiohttp import AiohttpClient

from app.web import create_app
from tests.apps import settings_for
from tests.conftest import Backend

from tests.sources.platforms import base64_hmac, events_stored, payload, post, signed_headers, stored_order

SIGNED = payload("signed_order.json")


async def test_sapo_is_refused_with_501_and_the_reason_whatever_it_sends(client: TestClient) -> None:
    body = payload("sapo_orders_update.json")
    headers = {"X-Sapo-Topic": "orders/update", "X-Sapo-Hmac-Sha256": base64_hmac("guess", body)}
    status, answer = await post(client, "sapo", body, headers)
    assert status == 501 and "not publicly documented" in answer["detail"]
    assert await events_stored(client) == 0


async def test_a_signed_order_from_any_system_is_stored(client: TestClient) -> None:
    assert await post(client, "signed", SIGNED, signed_headers(SIGNED)) == (200, {"outcome": "applied"})
    order = await stored_order(client, "DH5001")
    assert order is not None and (order.customer_name, order.tracking_code, order.status) == ("Chị Hoa", "GHN5001", "picked_up")


async def test_a_wrong_signature_is_refused_and_a_resend_is_a_duplicate(client: TestClient) -> None:
    assert (await post(client, "signed", SIGNED, signed_headers(b"other")))[0] == 401
    await post(client, "signed", SIGNED, signed_headers(SIGNED))
    assert await post(client, "signed", SIGNED, signed_headers(SIGNED)) == (200, {"outcome": "duplicate"})


async def test_an_invalid_order_is_a_400_with_the_field_and_nothing_is_stored(client: TestClient) -> None:
    document = json.loads(SIGNED)
    document["order"]["status"] = "teleported"
    body = json.dumps(document).encode()
    status, answer = await post(client, "signed", body, signed_headers(body))
    assert status == 400 and "status" in answer["detail"]
    assert await events_stored(client) == 0 and await stored_order(client, "DH5001") is None


async def test_a_malformed_body_is_a_400(client: TestClient) -> None:
    assert (await post(client, "signed", b"{{{", signed_headers(b"{{{")))[0] == 400


async def test_an_unknown_platform_is_a_404(client: TestClient) -> None:
    assert (await post(client, "magento", SIGNED, signed_headers(SIGNED)))[0] == 404


async def test_a_platform_without_its_secret_is_off(aiohttp_client: AiohttpClient, backend: Backend) -> None:
    unconfigured = await aiohttp_client(create_app(settings_for(backend)))
    status, answer = await post(unconfigured, "signed", SIGNED, signed_headers(SIGNED))
    assert status == 403 and "HAUMAI_SIGNED_WEBHOOK_SECRET" in answer["detail"]
