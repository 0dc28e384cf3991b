"""Prometheus' /metrics counts what the dashboard shows, as it happens, for an operator's Grafana."""

from __future__ import annotations

from aiohttp.test_utils import TestClient
from sqlalchemy import select

from bot.storage.models import Coupon
from tests.apps import Api, MovableClock, runtime_of
from tests.fakes.telegram import FakeTelegram, text_update
from tests.flows.test_journey import answered_csat
from tests.flows.test_telegram_wismo import CHAT, linked_customer, post_update, replies


async def counted(client: TestClient, sample: str) -> float:
    """A sample's value as the scrape endpoint shows it (0 before it was first counted)."""
    text = await (await client.get("/metrics")).text()
    return next((float(line.rsplit(" ", 1)[1]) for line in text.splitlines() if line.startswith(sample + " ")), 0.0)


async def test_a_where_is_my_order_question_the_bot_answered_is_counted_by_channel(
    client: TestClient, telegram: FakeTelegram
) -> None:
    sample = 'haumai_wismo_answered_by_bot_total{channel="telegram"}'
    await linked_customer(client, telegram)
    before = await counted(client, sample)
    await post_update(client, text_update(CHAT, "đơn của em tới đâu rồi?"))
    await replies(telegram, 3)
    assert await counted(client, sample) == before + 1


async def test_a_survey_answer_is_counted_by_kind(client: TestClient, telegram: FakeTelegram, clock: MovableClock) -> None:
    sample = 'haumai_surveys_answered_total{kind="csat"}'
    before = await counted(client, sample)
    await answered_csat(client, telegram, clock, stars=5)
    assert await counted(client, sample) == before + 1


async def test_a_coupon_redemption_is_counted(client: TestClient, telegram: FakeTelegram, clock: MovableClock) -> None:
    await answered_csat(client, telegram, clock, stars=5)
    async with runtime_of(client).sessions() as session:
        coupon = await session.scalar(select(Coupon))
    assert coupon is not None
    before = await counted(client, "haumai_coupon_redemptions_total")
    await Api(client).post(f"/api/v1/coupons/{coupon.code}/redeem", {"order_code": "HM3000"})
    await Api(client).post(f"/api/v1/coupons/{coupon.code}/redeem", {"order_code": "HM3001"})  # refused: used
    assert await counted(client, "haumai_coupon_redemptions_total") == before + 1
