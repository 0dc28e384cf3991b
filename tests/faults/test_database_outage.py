"""An unreachable database is a 503 with Retry-After (providers retry), never a 500, and
nothing sent meanwhile is lost: what was refused is processed once it is sent again."""

from __future__ import annotations

from pathlib import Path
from typing import Awaitable, Callable

import pytest
from aiohttp import ClientResponse
from aiohttp.test_utils import TestClient

from tests.apps import API_KEY, eventually
from tests.fakes.tcp_proxy import TcpProxy
from tests.fakes.telegram import FakeTelegram, text_update
from tests.faults.test_redis_outage import QUESTION, SECRET, answered

CARRIER_PAYLOAD = Path(__file__).resolve().parent.parent / "payloads" / "carriers" / "viettelpost_webhook.json"
ORDER = {"code": "HM7001", "customer": {"name": "Chị Lan", "phone": "0987654321"}, "status": "in_transit"}


async def telegram_update(client: TestClient) -> ClientResponse:
    return await client.post("/webhooks/telegram", json=text_update(7001, QUESTION), headers=SECRET)


async def shop_order(client: TestClient) -> ClientResponse:
    return await client.post("/api/v1/orders", json=ORDER, headers={"Authorization": f"Bearer {API_KEY}"})


async def carrier_event(client: TestClient) -> ClientResponse:
    return await client.post("/carriers/viettelpost/webhook?token=carrier-token-123", data=CARRIER_PAYLOAD.read_bytes(),
                             headers={"Content-Type": "application/json"})


async def staff_login_page(client: TestClient) -> ClientResponse:
    return await client.get("/login")  # it shows how many customers wait: a database read


@pytest.mark.parametrize("request_of", [telegram_update, shop_order, carrier_event, staff_login_page])
async def test_an_unreachable_database_is_a_503_with_retry_after(proxied_client: TestClient, postgres_proxy: TcpProxy, request_of: Callable[[TestClient], Awaitable[ClientResponse]]) -> None:
    postgres_proxy.sever()
    response = await request_of(proxied_client)
    assert response.status == 503 and int(response.headers["Retry-After"]) > 0
    assert (await response.json())["error"] == "service_unavailable"


async def test_updates_refused_during_an_outage_are_answered_once_the_provider_retries(
    proxied_client: TestClient, postgres_proxy: TcpProxy, telegram: FakeTelegram
) -> None:
    updates = [text_update(chat, QUESTION) for chat in range(7100, 7110)]
    postgres_proxy.sever()
    for update in updates:
        assert (await proxied_client.post("/webhooks/telegram", json=update, headers=SECRET)).status == 503
    postgres_proxy.restore()
    for update in updates:  # the provider's retries, as Telegram sends them after a 503
        assert (await proxied_client.post("/webhooks/telegram", json=update, headers=SECRET)).status == 200
    await eventually(lambda: answered(telegram, range(7100, 7110)))


async def test_readiness_reports_the_database_down_and_back(proxied_client: TestClient, postgres_proxy: TcpProxy) -> None:
    postgres_proxy.sever()
    response = await proxied_client.get("/readyz")
    assert response.status == 503 and (await response.json())["checks"]["database"] is False
    postgres_proxy.restore()
    response = await proxied_client.get("/readyz")
    assert response.status == 200 and (await response.json())["checks"]["database"] is True
