"""Each hostile request that once answered 500 now gets a 4xx with a JSON reason."""

from __future__ import annotations

import asyncio
import json

import pytest
from aiohttp.test_utils import TestClient

from tests.apps import API_KEY
from tests.flows.test_fuzz import shop, visitor  # noqa: F401  (the fully configured app, signed in)
from tests.hostile import CARRIER_TOKEN, HostileRequest, Visitor, sign

MESSENGER_EVENT = {"sender": {"id": "6001"}, "timestamp": 1764000000000, "message": {"mid": "m1", "text": "alo"}}
ZALO_EVENT = {"event_name": "user_send_text", "sender": {"id": "2468"}, "timestamp": "1764000000000",
              "message": {"msg_id": "z1", "text": "alo"}}
TELEGRAM_UPDATE = {"update_id": 1, "message": {"chat": {"id": 5}, "date": 10**15, "text": "alo"}}


def messenger(**event: object) -> bytes:
    return json.dumps({"object": "page", "entry": [{"messaging": [{**MESSENGER_EVENT, **event}]}]}).encode()


def zalo(**event: object) -> bytes:
    return json.dumps({**ZALO_EVENT, **event}).encode()


DEEP = b'{"a":' * 5000 + b"1" + b"}" * 5000
CASES = {
    "messenger sender is a string": ("POST", "/webhooks/messenger", messenger(sender="x")),
    "messenger timestamp is a list": ("POST", "/webhooks/messenger", messenger(timestamp=[1])),
    "messenger timestamp is 1e20": ("POST", "/webhooks/messenger", messenger(timestamp=1e20)),
    "messenger messaging is a number": ("POST", "/webhooks/messenger", b'{"object": "page", "entry": [{"messaging": 5}]}'),
    "zalo timestamp is not a number": ("POST", "/webhooks/zalo", zalo(timestamp="abc")),
    "zalo message is a number": ("POST", "/webhooks/zalo", zalo(message=5)),
    "zalo text is a lone surrogate": ("POST", "/webhooks/zalo", zalo(message={"msg_id": "z2", "text": "\ud800"})),
    "telegram date is 10**15": ("POST", "/webhooks/telegram", json.dumps(TELEGRAM_UPDATE).encode()),
    "telegram chat id beyond 64 bits": ("POST", "/webhooks/telegram", b'{"update_id": 2, "message": {"chat": {"id": 2e30}}}'),
    "telegram update id beyond 64 bits": ("POST", "/webhooks/telegram", b'{"update_id": 99999999999999999999}'),
    "api total is 10**20": ("POST", "/api/v1/orders", b'{"code": "HM5", "total": 100000000000000000000}'),
    "ghn client order code is an object": ("POST", f"/carriers/ghn/webhook?token={CARRIER_TOKEN}",
                                           b'{"OrderCode": "LBK1", "Status": "picked", "ClientOrderCode": {"a": 1}}'),
    "ghn order code is a lone surrogate": ("POST", f"/carriers/ghn/webhook?token={CARRIER_TOKEN}", b'{"OrderCode": "\\ud800"}'),
    "conversation id beyond 64 bits": ("GET", "/inbox/c/99999999999999999999", b""),
    "conversation id is a superscript digit": ("GET", "/inbox/c/%C2%B2", b""),
    **{f"nested 5,000 levels to {path}": ("POST", path, DEEP) for path in (
        "/webhooks/telegram", "/webhooks/messenger", "/webhooks/zalo", "/chat/api/messages", "/api/v1/orders",
        "/api/v1/orders/HM1/events", "/api/v1/coupons/X/redeem", f"/carriers/ghn/webhook?token={CARRIER_TOKEN}",
        f"/carriers/viettelpost/webhook?token={CARRIER_TOKEN}", f"/carriers/ghtk/webhook?token={CARRIER_TOKEN}")},
}
NUL_CASES = ["/api/v1/orders/HM%00", "/inbox?q=%00", "/api/v1/metrics?from=%00", "/chat/api/stream?session=%00",
             "/inbox/c/1%00"]


@pytest.mark.parametrize("case", CASES)
async def test_a_once_fatal_request_is_refused_with_a_reason(visitor: Visitor, case: str) -> None:
    method, path, body = CASES[case]
    response = await visitor.client.request(method, path, data=body, headers=sign(path, body, visitor.csrf), allow_redirects=False)
    assert 400 <= response.status < 500, response.status
    if response.content_type == "application/json":
        assert (await response.json())["detail"]


@pytest.mark.parametrize("path", NUL_CASES)
async def test_a_nul_in_a_path_or_query_is_a_400_on_every_database(visitor: Visitor, path: str) -> None:
    assert await visitor.send(HostileRequest("GET", path, b"", sign(path, b"", visitor.csrf))) == 400


async def test_an_unreadable_page_number_shows_the_first_page(visitor: Visitor) -> None:
    assert (await visitor.client.get("/inbox?page=%C2%B2")).status == 200


async def test_the_same_new_order_posted_at_once_is_created_once_and_updated_otherwise(shop: TestClient) -> None:
    order = {"code": "HM-RACE-1", "customer": {"name": "Lan"}, "total": 1000}

    async def post() -> int:
        response = await shop.post("/api/v1/orders", json=order, headers={"Authorization": f"Bearer {API_KEY}"})
        return response.status

    statuses = await asyncio.gather(*(post() for _ in range(5)))
    assert sorted(statuses) == [200, 200, 200, 200, 201]
