"""Bad input gets a 4xx with a reason, never a 500 or a traceback."""

from __future__ import annotations

import pytest
from aiohttp.test_utils import TestClient

from tests.apps import API_KEY
from tests.flows.conftest import WEBHOOK_SECRET

BODIES = [b"", b"null", b"[]", b'"text"', b"{}", b'{"update_id": "x"}', b"\xff\xfe\x00garbage", b"{" * 5000,
          b'{"code": 123, "customer": "nope"}', b'{"code": "' + b"A" * 10_000 + b'"}',
          b'{"status": "teleported"}', b'{"order_code": []}']
TARGETS = [
    ("/webhooks/telegram", {"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET}),
    ("/webhooks/nowhere", {}),
    ("/chat/api/messages", {}),
    ("/api/v1/orders", {"Authorization": f"Bearer {API_KEY}"}),
    ("/api/v1/orders/HM1/events", {"Authorization": f"Bearer {API_KEY}"}),
    ("/api/v1/coupons/X/redeem", {"Authorization": f"Bearer {API_KEY}"}),
    ("/carriers/ghn/webhook?token=carrier-token-123", {}),
    ("/carriers/ghtk/webhook?token=carrier-token-123", {"Content-Type": "application/x-www-form-urlencoded"}),
    ("/carriers/viettelpost/webhook?token=carrier-token-123", {}),
]


@pytest.mark.parametrize("path, headers", TARGETS)
async def test_no_input_makes_a_server_error(client: TestClient, path: str, headers: dict[str, str]) -> None:
    for body in BODIES:
        response = await client.post(path, data=body, headers=headers)
        assert 200 <= response.status < 500, (path, body[:40], response.status)
        if response.status >= 400:
            assert "detail" in await response.json()


async def test_an_oversized_body_is_refused_with_413(client: TestClient) -> None:
    response = await client.post("/webhooks/telegram", data=b"x" * (300 * 1024), headers={"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET})
    assert response.status == 413


async def test_metrics_with_a_bad_period_is_a_400(client: TestClient) -> None:
    response = await client.get("/api/v1/metrics?from=yesterday", headers={"Authorization": f"Bearer {API_KEY}"})
    assert response.status == 400


async def test_the_api_key_is_never_echoed(client: TestClient) -> None:
    response = await client.post("/api/v1/orders", data=b"{", headers={"Authorization": "Bearer guess"})
    assert "guess" not in await response.text() and response.status == 403
