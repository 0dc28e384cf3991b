"""Carrier webhooks drive the order timeline and the customer's notices, safely."""

from __future__ import annotations

import asyncio
from pathlib import Path
import pytest
from aiohttp.test_utils import TestClient
from sqlalchemy import select

from bot.storage.models import OrderEvent, SetAsideEvent
from tests.apps import Api, runtime_of
from tests.fakes.carriers import FakeGhn
from tests.fakes.telegram import FakeTelegram
from tests.flows.test_telegram_wismo import replies

PAYLOADS = Path(__file__).resolve().parent.parent / "payloads" / "carriers"
CHAT = 888001
TOKEN_QS = "?token=carrier-token-123"


async def order(client: TestClient, code: str, carrier: str, tracking: str) -> None:
    customer = {"name": "Chị Lan", "channel": "telegram", "channel_user_id": str(CHAT)}
    await Api(client).post("/api/v1/orders", {"code": code, "customer": customer, "carrier": carrier, "tracking_code": tracking})


async def post(client: TestClient, carrier: str, body: bytes, query: str = TOKEN_QS, content_type: str = "application/json") -> int:
    response = await client.post(f"/carriers/{carrier}/webhook{query}", data=body, headers={"Content-Type": content_type})
    return response.status


async def ghn_webhook_says_delivered(client: TestClient, ghn: FakeGhn, while_ghn_answers: str) -> None:
    """A webhook says HM3001 was delivered; GHN's own API, asked to confirm, answers `while_ghn_answers`."""
    await order(client, "HM3001", "ghn", "GAN6D8A9")
    ghn.status = while_ghn_answers
    delivered = b'{"OrderCode": "GAN6D8A9", "Type": "switch_status", "Status": "delivered", "Time": "2026-11-24T03:00:00Z"}'
    assert await post(client, "ghn", delivered) == 200


@pytest.mark.parametrize("query, status", [("", 401), ("?token=wrong", 403)])
async def test_a_missing_or_wrong_token_is_refused_and_nothing_stored(
    carrier_client: TestClient, query: str, status: int
) -> None:
    assert await post(carrier_client, "viettelpost", (PAYLOADS / "viettelpost_webhook.json").read_bytes(), query) == status
    async with runtime_of(carrier_client).sessions() as session:
        assert await session.scalar(select(SetAsideEvent)) is None


async def test_a_malformed_body_is_a_400_with_a_reason(carrier_client: TestClient) -> None:
    response = await carrier_client.post(f"/carriers/ghn/webhook{TOKEN_QS}", data=b"{{{")
    assert response.status == 400 and "JSON" in (await response.json())["detail"]


async def test_an_unknown_tracking_code_is_kept_aside_not_lost(carrier_client: TestClient) -> None:
    assert await post(carrier_client, "viettelpost", (PAYLOADS / "viettelpost_webhook.json").read_bytes()) == 200
    async with runtime_of(carrier_client).sessions() as session:
        kept = await session.scalar(select(SetAsideEvent))
    assert kept is not None and kept.reason == "unknown_tracking_code" and kept.tracking_code == "301298000044"


async def test_viettelpost_out_for_delivery_tells_the_customer_the_couriers_phone(
    carrier_client: TestClient, telegram: FakeTelegram
) -> None:
    await order(carrier_client, "HM3003", "viettelpost", "301298000044")
    assert await post(carrier_client, "viettelpost", (PAYLOADS / "viettelpost_webhook.json").read_bytes()) == 200
    notice = (await replies(telegram, 1, CHAT))[0]
    assert "0912000111" in notice and "HM3003" in notice


async def test_ghtk_45_then_5_is_one_delivered_notice(carrier_client: TestClient, telegram: FakeTelegram) -> None:
    await order(carrier_client, "HM3002", "ghtk", "S1.A1.17373471")
    form = (PAYLOADS / "ghtk_webhook_form.txt").read_bytes()
    assert await post(carrier_client, "ghtk", form, content_type="application/x-www-form-urlencoded") == 200
    later = form.replace(b"status_id=45", b"status_id=5").replace(b"09%3A18", b"10%3A18")
    assert await post(carrier_client, "ghtk", later, content_type="application/x-www-form-urlencoded") == 200
    await replies(telegram, 1, CHAT)
    await asyncio.sleep(0.3)
    assert len(telegram.texts_to(CHAT)) == 1 and "giao thành công" in telegram.texts_to(CHAT)[0]


async def test_a_forged_delivered_webhook_announces_nothing(
    carrier_client: TestClient, telegram: FakeTelegram, ghn: FakeGhn
) -> None:
    await ghn_webhook_says_delivered(carrier_client, ghn, while_ghn_answers="delivering")
    await asyncio.sleep(0.3)
    assert telegram.sent() == [] and ghn.requests
    async with runtime_of(carrier_client).sessions() as session:
        kept = await session.scalar(select(SetAsideEvent))
    assert kept is not None and kept.reason == "unconfirmed"


async def test_a_confirmed_delivered_webhook_is_announced(
    carrier_client: TestClient, telegram: FakeTelegram, ghn: FakeGhn
) -> None:
    await ghn_webhook_says_delivered(carrier_client, ghn, while_ghn_answers="delivered")
    assert "giao thành công" in (await replies(telegram, 1, CHAT))[0]


async def test_a_burst_of_concurrent_out_of_order_and_repeated_webhooks_leaves_one_timeline_at_the_newest_status(
    carrier_client: TestClient,
) -> None:
    from urllib.parse import urlencode

    await order(carrier_client, "HM3010", "ghtk", "S1.A1.3010")
    steps = [("3", "2026-11-24T06:00:00+07:00"), ("4", "2026-11-24T08:00:00+07:00"), ("5", "2026-11-24T09:30:00+07:00")]
    bodies = [urlencode({"label_id": "S1.A1.3010", "partner_id": "HM3010", "status_id": s, "action_time": t}).encode()
              for s, t in reversed(steps)] * 3
    statuses = await asyncio.gather(*(post(carrier_client, "ghtk", b, content_type="application/x-www-form-urlencoded") for b in bodies))
    assert set(statuses) == {200}
    _, placed = await Api(carrier_client).get("/api/v1/orders/HM3010")
    assert placed["status"] == "delivered"
    assert [e["status"] for e in placed["timeline"] if e["source"] == "ghtk"] == ["picked_up", "out_for_delivery", "delivered"]


async def test_a_forged_cancelled_webhook_neither_ends_the_journey_nor_tells_the_customer(
    carrier_client: TestClient, telegram: FakeTelegram, ghn: FakeGhn
) -> None:
    await order(carrier_client, "HM3001", "ghn", "GAN6D8A9")
    forged = b'{"OrderCode": "GAN6D8A9", "Type": "switch_status", "Status": "cancel", "Time": "2026-11-24T02:00:00Z"}'
    assert await post(carrier_client, "ghn", forged) == 200
    await asyncio.sleep(0.3)
    _, placed = await Api(carrier_client).get("/api/v1/orders/HM3001")
    assert placed["status"] == "created" and telegram.sent() == []


async def test_a_50_kb_status_is_refused_with_a_reason(carrier_client: TestClient) -> None:
    await order(carrier_client, "HM3002", "ghtk", "S1.A1.17373471")
    form = b"label_id=S1.A1.17373471&status_id=" + b"9" * 50_000 + b"&action_time=2026-11-24T09%3A18%3A39%2B07%3A00"
    response = await carrier_client.post(
        "/carriers/ghtk/webhook?token=carrier-token-123", data=form,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status == 400 and "status_id" in (await response.json())["detail"]


async def test_a_long_unknown_status_is_accepted_and_stored_cut_short(carrier_client: TestClient) -> None:
    await order(carrier_client, "HM3002", "ghtk", "S1.A1.17373471")
    form = b"label_id=S1.A1.17373471&status_id=" + b"9" * 128 + b"&action_time=2026-11-24T09%3A18%3A39%2B07%3A00"
    assert await post(carrier_client, "ghtk", form, content_type="application/x-www-form-urlencoded") == 200
    async with runtime_of(carrier_client).sessions() as session:
        raw_codes = list(await session.scalars(select(OrderEvent.raw_code)))
    assert raw_codes == ["9" * 64]
