"""The proactive journey on Telegram: every step told, then thanks, coupon and surveys."""

from __future__ import annotations

import asyncio
from datetime import datetime, timezone
from typing import Any, Callable

from aiohttp.test_utils import TestClient
from sqlalchemy import select

from bot.actions import SEPARATOR
from bot.storage.models import Conversation, Coupon, Order, SurveyAnswer
from tests.apps import Api, MovableClock, eventually, runtime_of
from tests.fakes.telegram import FakeTelegram, callback_update, text_update
from tests.flows.test_telegram_wismo import buttons_of, post_update, replies

CHAT = 777001
ORDER = {
    "code": "HM2001", "customer": {"name": "Chị Lan", "phone": "0987654321", "channel": "telegram", "channel_user_id": str(CHAT)},
    "total": 300000, "carrier": "ghn", "tracking_code": "LBK3X7QH", "eta": "2026-11-26",
}

async def event(client: TestClient, status: str, code: str = "HM2001", **extra: Any) -> tuple[int, Any]:
    return await Api(client).post(f"/api/v1/orders/{code}/events", {"status": status, **extra})

async def texts(telegram: FakeTelegram, count: int) -> list[str]:
    return await replies(telegram, count, CHAT)

async def all_texts(telegram: FakeTelegram, at_least: int) -> list[str]:
    """All the chat's texts once `at_least` arrived and one too many would have had time to follow."""
    await texts(telegram, at_least)
    await asyncio.sleep(0.3)
    return telegram.texts_to(CHAT)

async def deliver(client: TestClient, telegram: FakeTelegram) -> None:
    await Api(client).post("/api/v1/orders", ORDER)
    await event(client, "delivered")
    await texts(telegram, 1)

async def advance(client: TestClient, clock: MovableClock, **delta: float) -> None:
    clock.advance(**delta)
    runtime_of(client).dispatcher.wake()

async def thanked(client: TestClient, telegram: FakeTelegram, clock: MovableClock) -> None:
    """HM2001 is delivered and, once its thanks fall due, they arrive with the CSAT buttons (message 1)."""
    await deliver(client, telegram)
    await advance(client, clock, hours=3, seconds=1)
    await texts(telegram, 2)

async def answered_csat(client: TestClient, telegram: FakeTelegram, clock: MovableClock, stars: int) -> None:
    """A delivered order's satisfaction survey answered: above a low score, a comment is awaited."""
    await thanked(client, telegram, clock)
    await post_update(client, callback_update(CHAT, buttons_of(telegram, 1)[stars - 1]))
    await texts(telegram, 3)

async def thanks_row(client: TestClient, *, decided: Callable[[dict[str, Any]], bool]) -> dict[str, Any] | None:
    """HM2001's thanks message once the dispatcher has `decided` it (a claimed row is still undecided)."""
    _, order = await Api(client).get("/api/v1/orders/HM2001")
    thanks: dict[str, Any] = next(m for m in order["messages"] if m["kind"] == "thanks")
    return thanks if decided(thanks) else None

def actions_of(telegram: FakeTelegram, index: int) -> list[str]:
    """The buttons' actions without the seal that binds them to this customer (bot.actions)."""
    return [data.rpartition(SEPARATOR)[0] for data in buttons_of(telegram, index)]

async def test_each_step_is_told_with_carrier_tracking_link_and_shipper(client: TestClient, telegram: FakeTelegram) -> None:
    await Api(client).post("/api/v1/orders", ORDER)
    await event(client, "confirmed")
    await texts(telegram, 1)
    await event(client, "picked_up")
    await texts(telegram, 2)
    await event(client, "out_for_delivery", shipper_name="Anh Tuấn", shipper_phone="0901234567")
    confirmed, picked, out = await texts(telegram, 3)
    assert "HM2001" in confirmed and "26/11/2026" in confirmed
    assert "Giao Hàng Nhanh" in picked and "LBK3X7QH" in picked and "https://donhang.ghn.vn/?order_code=LBK3X7QH" in picked
    assert "0901234567" in out and "Anh Tuấn" in out and "để ý điện thoại" in out

async def test_a_repeated_status_is_told_once(client: TestClient, telegram: FakeTelegram) -> None:
    await Api(client).post("/api/v1/orders", ORDER)
    await event(client, "picked_up", occurred_at="2026-11-24T01:00:00+00:00")
    await event(client, "picked_up", occurred_at="2026-11-24T02:00:00+00:00")
    assert len(await all_texts(telegram, 1)) == 1

async def test_a_late_older_status_never_follows_a_newer_notice(client: TestClient, telegram: FakeTelegram) -> None:
    await Api(client).post("/api/v1/orders", ORDER)
    await event(client, "out_for_delivery", occurred_at="2026-11-24T02:00:00+00:00")
    await event(client, "picked_up", occurred_at="2026-11-24T01:00:00+00:00")
    assert len(await all_texts(telegram, 1)) == 1
    status, order = await Api(client).get("/api/v1/orders/HM2001")
    assert order["status"] == "out_for_delivery" and len(order["timeline"]) == 2

async def test_thanks_with_a_personal_coupon_and_csat_arrive_after_the_delay(
    client: TestClient, telegram: FakeTelegram, clock: MovableClock
) -> None:
    await deliver(client, telegram)
    await asyncio.sleep(0.2)
    assert len(telegram.texts_to(CHAT)) == 1
    await advance(client, clock, hours=3, seconds=1)
    thanks = (await texts(telegram, 2))[1]
    async with runtime_of(client).sessions() as session:
        coupon = await session.scalar(select(Coupon))
    assert coupon is not None and coupon.code in thanks and "10%" in thanks
    assert actions_of(telegram, 1) == [f"sv:csat:{coupon.order_id}:{n}" for n in range(1, 6)]

async def test_a_double_tap_on_a_survey_counts_once(client: TestClient, telegram: FakeTelegram, clock: MovableClock) -> None:
    await thanked(client, telegram, clock)
    tap = buttons_of(telegram, 1)[4]
    await post_update(client, callback_update(CHAT, tap))
    await post_update(client, callback_update(CHAT, tap))
    await texts(telegram, 3)
    await asyncio.sleep(0.3)
    async with runtime_of(client).sessions() as session:
        answers = list(await session.scalars(select(SurveyAnswer)))
    assert [(a.kind, a.score) for a in answers] == [("csat", 5)]
    assert len(telegram.texts_to(CHAT)) == 3

async def test_a_comment_after_an_answer_is_stored(client: TestClient, telegram: FakeTelegram, clock: MovableClock) -> None:
    await answered_csat(client, telegram, clock, stars=4)
    await post_update(client, text_update(CHAT, "đóng gói hơi sơ sài một chút"))
    await texts(telegram, 4)
    async with runtime_of(client).sessions() as session:
        answer = await session.scalar(select(SurveyAnswer))
    assert answer is not None and answer.comment == "đóng gói hơi sơ sài một chút"

async def test_a_low_score_opens_service_recovery(client: TestClient, telegram: FakeTelegram, clock: MovableClock) -> None:
    await thanked(client, telegram, clock)
    await post_update(client, callback_update(CHAT, buttons_of(telegram, 1)[0]))
    apology = (await texts(telegram, 3))[2]
    assert "xin lỗi" in apology.lower() and "liên hệ" in apology
    async with runtime_of(client).sessions() as session:
        conversation = await session.scalar(select(Conversation))
    assert conversation is not None and conversation.mode == "human" and conversation.handoff_reason == "low_score"

async def test_nps_is_asked_at_most_once_in_90_days(client: TestClient, telegram: FakeTelegram) -> None:
    await deliver(client, telegram)
    await Api(client).post("/api/v1/orders", {**ORDER, "code": "HM2002"})
    await event(client, "delivered", code="HM2002")
    await texts(telegram, 2)
    _, first = await Api(client).get("/api/v1/orders/HM2001")
    _, second = await Api(client).get("/api/v1/orders/HM2002")
    assert [m["kind"] for m in first["messages"]].count("survey") == 1
    assert [m["kind"] for m in second["messages"]].count("survey") == 0

async def test_a_proactive_message_due_at_22_goes_at_8(client: TestClient, telegram: FakeTelegram, clock: MovableClock) -> None:
    clock.now = datetime(2026, 11, 24, 12, 0, tzinfo=timezone.utc)  # 19:00 in Vietnam
    await deliver(client, telegram)
    await advance(client, clock, hours=3)  # thanks due at 22:00 local
    thanks = await eventually(lambda: thanks_row(client, decided=lambda row: "quiet hours" in (row["reason"] or "")))
    assert thanks["status"] == "pending" and thanks["due_at"] == "2026-11-25T01:00:00+00:00"
    assert len(telegram.texts_to(CHAT)) == 1
    await advance(client, clock, hours=10)
    await texts(telegram, 2)

async def test_an_opted_out_customer_gets_no_thanks_and_the_skip_is_visible(
    client: TestClient, telegram: FakeTelegram, clock: MovableClock
) -> None:
    await deliver(client, telegram)
    await post_update(client, text_update(CHAT, "đừng nhắn tin nữa"))
    await texts(telegram, 2)
    await advance(client, clock, hours=3, seconds=1)
    thanks = await eventually(lambda: thanks_row(client, decided=lambda row: row["status"] == "cancelled"))
    assert thanks["status"] == "cancelled" and "opted out" in thanks["reason"]
    assert len(telegram.texts_to(CHAT)) == 2

async def test_a_customer_who_keeps_delivery_notices_still_gets_them(client: TestClient, telegram: FakeTelegram) -> None:
    await Api(client).post("/api/v1/orders", ORDER)
    await post_update(client, text_update(CHAT, "stop"))
    await texts(telegram, 1)
    await post_update(client, callback_update(CHAT, buttons_of(telegram, 0)[0]))
    await texts(telegram, 2)
    await event(client, "picked_up")
    assert "LBK3X7QH" in (await texts(telegram, 3))[2]

async def test_the_coupon_intent_lists_valid_codes(client: TestClient, telegram: FakeTelegram, clock: MovableClock) -> None:
    await thanked(client, telegram, clock)
    await post_update(client, text_update(CHAT, "mã giảm giá của em đâu shop"))
    answer = (await texts(telegram, 3))[2]
    async with runtime_of(client).sessions() as session:
        coupon = await session.scalar(select(Coupon))
    assert coupon is not None and coupon.code in answer

async def test_a_coupon_is_redeemed_once_then_refused(client: TestClient, telegram: FakeTelegram) -> None:
    await deliver(client, telegram)
    async with runtime_of(client).sessions() as session:
        coupon = await session.scalar(select(Coupon))
    assert coupon is not None
    first = await Api(client).post(f"/api/v1/coupons/{coupon.code}/redeem", {"order_code": "HM3000"})
    again = await Api(client).post(f"/api/v1/coupons/{coupon.code}/redeem", {"order_code": "HM3001"})
    assert first[0] == 200 and again[0] == 409 and again[1]["error"] == "coupon_used"

async def test_an_expired_coupon_is_refused_with_the_reason(
    client: TestClient, telegram: FakeTelegram, clock: MovableClock
) -> None:
    await deliver(client, telegram)
    async with runtime_of(client).sessions() as session:
        coupon = await session.scalar(select(Coupon))
    assert coupon is not None
    clock.advance(days=31)
    status, body = await Api(client).post(f"/api/v1/coupons/{coupon.code}/redeem", {"order_code": "HM3000"})
    assert status == 409 and body["error"] == "coupon_expired"

async def test_metrics_report_csat_nps_coupons_and_notices(client: TestClient, telegram: FakeTelegram, clock: MovableClock) -> None:
    await answered_csat(client, telegram, clock, stars=5)
    status, metrics = await Api(client).get("/api/v1/metrics")
    assert status == 200
    csat = metrics["surveys"]["csat"]
    assert (csat["answers"], csat["mean"], csat["satisfied_pct"]) == (1, 5.0, 100.0)
    assert metrics["coupons"]["issued"] == 1
    assert {"kind": "notice", "channel": "telegram", "sent": 1, "delivered": None, "read": None} in metrics["notices"]

async def test_the_daily_cap_defers_extra_proactive_messages_to_tomorrow(
    client: TestClient, telegram: FakeTelegram, clock: MovableClock
) -> None:
    for code in ("HM2001", "HM2002", "HM2003"):
        await Api(client).post("/api/v1/orders", {**ORDER, "code": code})
        await event(client, "delivered", code=code)
    await texts(telegram, 3)
    await advance(client, clock, hours=3, seconds=1)
    assert len(await all_texts(telegram, 5)) == 5  # two thank-yous: the cap (2 a day) holds the third back
    _, third = await Api(client).get("/api/v1/orders/HM2003")
    thanks = next(m for m in third["messages"] if m["kind"] == "thanks")

    assert thanks["status"] == "pending" and "daily cap" in thanks["reason"]

async def test_journey_notices_reach_the_web_chat_too(client: TestClient) -> None:
    from tests.flows.webchat import WebCustomer

    customer = await WebCustomer(client).open()
    await customer.say("chào shop")
    await customer.reply(1)
    user = customer.session.rpartition(".")[0]
    await Api(client).post("/api/v1/orders", {**ORDER, "customer": {"name": "Lan", "channel": "web", "channel_user_id": user}})
    await event(client, "out_for_delivery", shipper_name="Anh Tuấn", shipper_phone="0901234567")
    notice = (await customer.reply(2))["text"]
    assert "HM2001" in notice and "0901234567" in notice
    await customer.close()


async def test_a_failed_delivery_offers_one_tap_redelivery_recorded_for_the_shop(
    client: TestClient, telegram: FakeTelegram
) -> None:
    await Api(client).post("/api/v1/orders", ORDER)
    await event(client, "delivery_failed", description="Khách không nghe máy")
    await texts(telegram, 1)
    async with runtime_of(client).sessions() as session:
        order_id = await session.scalar(select(Order.id).where(Order.code == "HM2001"))
    assert actions_of(telegram, 0) == [f"rd:{order_id}", "m:human"]
    await post_update(client, callback_update(CHAT, buttons_of(telegram, 0)[0]))
    assert "giao lại" in (await texts(telegram, 2))[1]
    _, order = await Api(client).get("/api/v1/orders/HM2001")
    assert any(e["source"] == "customer" and "another delivery" in e["description"] for e in order["timeline"])


async def test_an_order_late_past_its_eta_gets_one_apology_with_a_new_estimate(
    client: TestClient, telegram: FakeTelegram, clock: MovableClock
) -> None:
    await Api(client).post("/api/v1/orders", {**ORDER, "eta": "2026-11-23", "status": "in_transit"})
    await texts(telegram, 1)
    runtime = runtime_of(client)
    await runtime.remind()
    await runtime.remind()
    apology = (await texts(telegram, 2))[1]
    assert "xin lỗi" in apology.lower() and "25/11/2026" in apology
    await asyncio.sleep(0.3)
    assert len(telegram.texts_to(CHAT)) == 2


async def test_an_unused_coupon_is_reminded_once_three_days_before_it_expires(
    client: TestClient, telegram: FakeTelegram, clock: MovableClock
) -> None:
    await thanked(client, telegram, clock)
    clock.advance(days=27, hours=1)
    runtime = runtime_of(client)
    await runtime.remind()
    await runtime.remind()
    assert sum("hết hạn" in text for text in await all_texts(telegram, 4)) == 1  # the NPS question (due at +7 days) and the reminder


async def test_nps_is_one_tap_from_0_to_10(client: TestClient, telegram: FakeTelegram, clock: MovableClock) -> None:
    await deliver(client, telegram)
    await advance(client, clock, days=7, seconds=1)
    await texts(telegram, 3)
    nps = next(p for p in telegram.sent() if "giới thiệu" in p["text"])
    rows = nps["reply_markup"]["inline_keyboard"]
    assert [key["text"] for row in rows for key in row] == [str(n) for n in range(11)] and len(rows) == 2
