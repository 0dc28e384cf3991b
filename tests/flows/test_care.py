"""Care after delivery on every channel: the care tip, the check-in whose "no" brings a person
in, the win-back with its cap per quarter, and the daily cap over them all."""

from __future__ import annotations

import json
from typing import Any

import pytest
from aiohttp.test_utils import TestClient
from sqlalchemy import func, select

from bot.storage.models import Conversation, Outbox, SurveyAnswer
from tests.apps import Api, MovableClock, eventually, outbox_reaches, runtime_of
from tests.flows.customers import Customer, reply_containing
from tests.flows.test_every_channel import ORDER, customer  # noqa: F401  (fixtures: the customer of every channel,
from tests.flows.test_out_of_window import shop  # noqa: F401  at a shop with this module's extra_env)

WINBACK_TEMPLATE = json.dumps({"winback": {"id": "come_back_vi", "params": {"shop": "shop"}}})
CARE = {"HAUMAI_CARE_MESSAGES": '{"áo": {"template": "care/clothing", "delay": "6h"}}',
        "HAUMAI_CHECKIN_AFTER": "20h", "HAUMAI_WINBACK_AFTER": "60d,90d", "HAUMAI_WINBACK_PER_QUARTER": "1",
        # two months on, Messenger's and Zalo's windows are closed: win-back goes as the shop's template there
        "HAUMAI_MESSENGER_TEMPLATES": WINBACK_TEMPLATE, "HAUMAI_ZALO_TEMPLATES": WINBACK_TEMPLATE}
ONLY_WINBACK = {"HAUMAI_CHECKIN_AFTER": "off", "HAUMAI_NPS_DELAY": "100d"}  # nothing else due meanwhile
SHIRT = [{"name": "Áo thun cotton", "quantity": 1, "price": 300000}]


@pytest.fixture
def extra_env() -> dict[str, str]:
    """The shop's settings beyond the channels' (test_out_of_window's `shop` reads them)."""
    return CARE


async def delivered(shop: TestClient, customer: Customer, items: list[dict[str, Any]] = SHIRT) -> None:
    await Api(shop).post("/api/v1/orders", {**ORDER, "items": items})
    await Api(shop).post(f"/api/v1/orders/{ORDER['code']}/events", {"status": "delivered"})
    await reply_containing(customer, "đã giao thành công")


async def later(shop: TestClient, clock: MovableClock, **delta: float) -> None:
    clock.advance(**delta)
    runtime_of(shop).dispatcher.wake()


async def thanked(shop: TestClient, customer: Customer, clock: MovableClock) -> None:
    await later(shop, clock, hours=3, seconds=1)
    await reply_containing(customer, "mã giảm")


async def test_a_care_tip_for_what_was_bought_arrives_at_its_delay_after_delivery(
    customer: Customer, shop: TestClient, clock: MovableClock
) -> None:
    await delivered(shop, customer)
    await thanked(shop, customer, clock)
    await later(shop, clock, hours=3)
    assert await reply_containing(customer, "giặt bằng nước lạnh", ORDER["code"])


async def test_a_no_to_the_check_in_opens_a_conversation_for_a_person(
    customer: Customer, shop: TestClient, clock: MovableClock
) -> None:
    await delivered(shop, customer, items=[])
    await thanked(shop, customer, clock)
    await later(shop, clock, hours=19)  # 08:00 the next morning: the check-in waited out the quiet hours
    assert await reply_containing(customer, "dùng có ổn không")
    await customer.tap("👎 Có vấn đề")
    assert await reply_containing(customer, "Nhân viên của shop sẽ nhắn")
    async with runtime_of(shop).sessions() as db:
        answer = await db.scalar(select(SurveyAnswer).where(SurveyAnswer.kind == "checkin"))
        mode = await db.scalar(select(Conversation.mode))
    assert answer is not None and answer.score == 0 and mode == "human"


@pytest.mark.parametrize("extra_env", [{**CARE, **ONLY_WINBACK}])
async def test_a_customer_who_has_not_bought_again_is_won_back_once_a_quarter(
    customer: Customer, shop: TestClient, clock: MovableClock
) -> None:
    await delivered(shop, customer, items=[])
    await thanked(shop, customer, clock)
    runtime = runtime_of(shop)
    clock.advance(days=60)
    await runtime.remind()
    assert await eventually(lambda: winbacks(shop, ["sent"]))  # as text, or the shop's template out of window
    clock.advance(days=30)  # 90 days: still the same quarter, whose one win-back was sent
    await runtime.remind()
    assert await winbacks(shop, ["sent", "cancelled"])
    async with runtime.sessions() as db:
        reason = await db.scalar(select(Outbox.last_error).where(Outbox.status == "cancelled"))
    assert reason == "win-back cap of 1 per quarter reached"


async def winbacks(shop: TestClient, expected: list[str]) -> bool:
    async with runtime_of(shop).sessions() as db:
        statuses = await db.scalars(select(Outbox.status).where(Outbox.kind == "winback").order_by(Outbox.id))
        return list(statuses) == expected


@pytest.mark.parametrize("customer", ["telegram"], indirect=True)
@pytest.mark.parametrize("extra_env", [{**CARE, "HAUMAI_CHECKIN_SEGMENTS": "vip,repeat"}])
async def test_a_check_in_for_chosen_segments_skips_a_new_customer(customer: Customer, shop: TestClient) -> None:
    await delivered(shop, customer)
    async with runtime_of(shop).sessions() as db:
        kinds = set(await db.scalars(select(Outbox.kind)))
    assert "care" in kinds and "checkin" not in kinds


@pytest.mark.parametrize("customer", ["telegram"], indirect=True)
async def test_a_customer_who_bought_again_is_not_won_back(customer: Customer, shop: TestClient,
                                                        clock: MovableClock) -> None:
    await delivered(shop, customer, items=[])
    clock.advance(days=20)
    await Api(shop).post("/api/v1/orders", {**ORDER, "code": "HM7002"})
    clock.advance(days=41)
    await runtime_of(shop).remind()
    async with runtime_of(shop).sessions() as db:
        assert await db.scalar(select(func.count()).select_from(Outbox).where(Outbox.kind == "winback")) == 0


@pytest.mark.parametrize("customer", ["telegram"], indirect=True)
@pytest.mark.parametrize("extra_env", [{**CARE, "HAUMAI_DAILY_PROACTIVE_CAP": "1"}])
async def test_care_messages_count_in_the_daily_cap(customer: Customer, shop: TestClient, clock: MovableClock) -> None:
    await delivered(shop, customer)
    await thanked(shop, customer, clock)
    await later(shop, clock, hours=3)  # the care tip is due, but the thanks used today's one message
    await outbox_reaches(shop, "pending", "daily cap")
    async with runtime_of(shop).sessions() as db:
        waiting = await db.scalar(select(Outbox.kind).where(Outbox.last_error.like("%daily cap%")))
    assert waiting == "care"


@pytest.mark.parametrize("customer", ["telegram"], indirect=True)
async def test_segments_report_repeat_rate_churn_clv_and_monthly_cohorts(customer: Customer, shop: TestClient) -> None:
    await Api(shop).post("/api/v1/orders", {**ORDER, "code": "HM7002", "total": 200000})
    status, report = await Api(shop).get("/api/v1/segments")
    assert status == 200 and report["customers"] == 1
    assert report["segments"]["repeat"] == {"customers": 1, "repeat_purchase_rate": 1.0, "churn": 0.0, "clv": 500000}
    assert report["cohorts"] == [{"month": "2026-11", "customers": 1, "repeat_purchase_rate": 1.0, "churn": 0.0,
                                  "clv": 500000}]
