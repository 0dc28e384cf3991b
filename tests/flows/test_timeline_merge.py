"""Shop and carrier report one order on their own clocks: one status, one timeline, each notice once.

Each case interleaves the shop's API posts and GHN's webhooks with clocks skewed both ways;
`stamped` is the time the source writes (None: the shop sent none), `arrives` our clock's
time when it reaches us, both in minutes from the shop's first post. The merge rule is
tracking.timeline's docstring.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
from aiohttp.test_utils import TestClient
from sqlalchemy import select

from bot.storage.models import Coupon, Outbox
from tests.apps import Api, MovableClock, eventually, runtime_of
from tests.fakes.carriers import FakeGhn
from tests.fakes.telegram import FakeTelegram
from tests.flows.test_journey import actions_of
from tests.flows.test_telegram_wismo import replies

CHAT = 889001
CODE, TRACKING = "HM5001", "GAN6D8A9"
T0 = MovableClock().now
ORDER = {"code": CODE, "customer": {"name": "Chị Lan", "channel": "telegram", "channel_user_id": str(CHAT)},
         "carrier": "ghn", "tracking_code": TRACKING}
NOTICE_MARKS = {"✅": "confirmed", "📦": "picked_up", "🚚": "in_transit", "🛵": "out_for_delivery",
                "😔": "delivery_failed", "🎉": "delivered"}


@dataclass(frozen=True)
class Step:
    source: str  # "shop" (canonical statuses) or "ghn" (GHN's own)
    status: str
    stamped: float | None
    arrives: float
    confirmed: bool = True  # whether GHN's API, when asked, agrees with its webhook


def by_shop(status: str, arrives: float, stamped: float | None = None) -> Step:
    return Step("shop", status, stamped, arrives)


def by_ghn(status: str, stamped: float, arrives: float, confirmed: bool = True) -> Step:
    return Step("ghn", status, stamped, arrives, confirmed)


def at(minutes: float) -> str:
    return (T0 + timedelta(minutes=minutes)).isoformat()


async def settled(client: TestClient, clock: MovableClock) -> None:
    """Every message due by now has been sent or dropped, so the next step cannot race it."""
    sessions = runtime_of(client).sessions

    async def idle() -> bool:
        async with sessions() as session:
            busy = await session.scalar(select(Outbox.id).where(
                Outbox.status.in_(("pending", "claimed", "sending")), Outbox.due_at <= clock()).limit(1))
        return busy is None

    runtime_of(client).dispatcher.wake()
    await eventually(idle)


async def play(client: TestClient, clock: MovableClock, carrier: FakeGhn, step: Step) -> None:
    clock.now = T0 + timedelta(minutes=step.arrives)
    if step.source == "shop":
        stamp = {} if step.stamped is None else {"occurred_at": at(step.stamped)}
        status, _ = await Api(client).post(f"/api/v1/orders/{CODE}/events", {"status": step.status, **stamp})
        assert status == 201
    else:
        if step.confirmed:
            carrier.status = step.status
        body = {"OrderCode": TRACKING, "Type": "switch_status", "Status": step.status, "Time": at(step.stamped or 0)}
        response = await client.post("/carriers/ghn/webhook?token=carrier-token-123", data=json.dumps(body),
                                     headers={"Content-Type": "application/json"})
        assert response.status == 200
    await settled(client, clock)


def minutes_from_t0(stamp: str) -> float:
    return (datetime.fromisoformat(stamp) - T0) / timedelta(minutes=1)


def notice_statuses(telegram: FakeTelegram) -> list[str]:
    return [NOTICE_MARKS[text[0]] for text in telegram.texts_to(CHAT)]


CASES = {
    "a carrier step stamped before the shop's untimed post still moves the order on": (
        [by_shop("confirmed", 0), by_ghn("delivering", -1, 1)],
        "out_for_delivery", [("ghn", "out_for_delivery", -1), ("shop", "confirmed", 0)],
        ["confirmed", "out_for_delivery"],
    ),
    "a late delivered stamped before the shop's post is announced and thanked": (
        [by_shop("out_for_delivery", 0), by_ghn("delivered", -3, 5)],
        "delivered", [("ghn", "delivered", -3), ("shop", "out_for_delivery", 0)],
        ["out_for_delivery", "delivered"],
    ),
    "a carrier clock ahead and a lagging shop: the shop's earlier step is only recorded": (
        [by_ghn("picked", 4, 0), by_shop("confirmed", 2)],
        "picked_up", [("shop", "confirmed", 2), ("ghn", "picked_up", 4)],
        ["picked_up"],
    ),
    "a carrier step behind the shop's, though newer by the clock, moves nothing back": (
        [by_shop("out_for_delivery", 0), by_ghn("transporting", 2, 3)],
        "out_for_delivery", [("shop", "out_for_delivery", 0), ("ghn", "in_transit", 2)],
        ["out_for_delivery"],
    ),
    "a shop clock ahead, then a failed attempt and another one from the carrier": (
        [by_shop("out_for_delivery", 0, stamped=4), by_ghn("delivery_fail", 2, 3), by_ghn("delivering", 30, 31),
         by_ghn("delivered", 60, 61)],
        "delivered",
        [("ghn", "delivery_failed", 2), ("shop", "out_for_delivery", 4), ("ghn", "out_for_delivery", 30),
         ("ghn", "delivered", 60)],
        ["out_for_delivery", "delivery_failed", "out_for_delivery", "delivered"],
    ),
    "a carrier event late by the carrier's own clock is history": (
        [by_shop("picked_up", 0), by_ghn("delivering", 10, 11), by_ghn("delivery_fail", 5, 12)],
        "out_for_delivery",
        [("shop", "picked_up", 0), ("ghn", "delivery_failed", 5), ("ghn", "out_for_delivery", 10)],
        ["picked_up", "out_for_delivery"],
    ),
    "a shop post late by the shop's clock does not undo the carrier's failed attempt": (
        [by_ghn("delivery_fail", -5, 0), by_shop("out_for_delivery", 1, stamped=-8)],
        "delivery_failed", [("shop", "out_for_delivery", -8), ("ghn", "delivery_failed", -5)],
        ["delivery_failed"],
    ),
    "a parcel lost after the shop's post and found again resumes its journey": (
        [by_shop("in_transit", 0), by_ghn("lost", 5, 6), by_ghn("delivering", 30, 31)],
        "out_for_delivery",
        [("shop", "in_transit", 0), ("ghn", "exception", 5), ("ghn", "out_for_delivery", 30)],
        ["in_transit", "out_for_delivery"],
    ),
    "an exception stamped before the shop's post does not stop the journey": (
        [by_shop("in_transit", 0), by_ghn("lost", -5, 1)],
        "in_transit", [("ghn", "exception", -5), ("shop", "in_transit", 0)],
        ["in_transit"],
    ),
    "delivered by the shop first and then by the carrier is one delivery": (
        [by_shop("delivered", 0), by_ghn("delivered", -2, 1)],
        "delivered", [("ghn", "delivered", -2), ("shop", "delivered", 0)],
        ["delivered"],
    ),
    "an unconfirmed carrier delivered waits for a confirmed one": (
        [by_shop("out_for_delivery", 0), by_ghn("delivered", 1, 2, confirmed=False), by_shop("delivered", 5)],
        "delivered", [("shop", "out_for_delivery", 0), ("shop", "delivered", 5)],
        ["out_for_delivery", "delivered"],
    ),
}


@pytest.mark.parametrize("steps, status, timeline, notices", CASES.values(), ids=list(CASES))
async def test_interleaved_shop_and_carrier_events_merge_into_one_status_timeline_and_notices(
    carrier_client: TestClient, telegram: FakeTelegram, ghn: FakeGhn, clock: MovableClock,
    steps: list[Step], status: str, timeline: list[tuple[str, str, float]], notices: list[str],
) -> None:
    await Api(carrier_client).post("/api/v1/orders", ORDER)
    for step in steps:
        await play(carrier_client, clock, ghn, step)
    _, order = await Api(carrier_client).get(f"/api/v1/orders/{CODE}")
    assert order["status"] == status
    assert [(e["source"], e["status"], minutes_from_t0(e["occurred_at"])) for e in order["timeline"]] == timeline
    assert notice_statuses(telegram) == notices
    thanks = [m for m in order["messages"] if m["kind"] == "thanks"]
    assert len(thanks) == (1 if status == "delivered" else 0)


async def test_a_shop_pickup_then_earlier_stamped_carrier_steps_end_in_thanks_with_coupon_and_csat(
    carrier_client: TestClient, telegram: FakeTelegram, ghn: FakeGhn, clock: MovableClock,
) -> None:
    await Api(carrier_client).post("/api/v1/orders", ORDER)
    await play(carrier_client, clock, ghn, by_shop("picked_up", 0))
    await play(carrier_client, clock, ghn, by_ghn("transporting", -2, 1))
    await play(carrier_client, clock, ghn, by_ghn("delivered", -1, 2))
    clock.advance(hours=3)
    runtime_of(carrier_client).dispatcher.wake()
    *notices, thanks = await replies(telegram, 4, CHAT)
    assert [NOTICE_MARKS[text[0]] for text in notices] == ["picked_up", "in_transit", "delivered"]
    async with runtime_of(carrier_client).sessions() as session:
        coupon = await session.scalar(select(Coupon))
    assert coupon is not None and coupon.code in thanks
    assert actions_of(telegram, 3) == [f"sv:csat:{coupon.order_id}:{n}" for n in range(1, 6)]


async def test_a_shop_resending_a_status_the_carrier_moved_past_records_it_once(
    carrier_client: TestClient, ghn: FakeGhn, clock: MovableClock,
) -> None:
    await Api(carrier_client).post("/api/v1/orders", {**ORDER, "status": "picked_up"})
    await play(carrier_client, clock, ghn, by_ghn("delivering", 1, 2))
    for minutes in (3, 4):
        clock.now = T0 + timedelta(minutes=minutes)
        await Api(carrier_client).post("/api/v1/orders", {**ORDER, "status": "picked_up"})
    _, order = await Api(carrier_client).get(f"/api/v1/orders/{CODE}")
    assert order["status"] == "out_for_delivery"
    assert [(e["source"], e["status"]) for e in order["timeline"]] == [("shop", "picked_up"), ("ghn", "out_for_delivery")]
