"""Zalo OA: signed events, retries answered once, taps as text, verified phones, the 7-day window."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from aiohttp.test_utils import TestClient
from pytest_aiohttp import AiohttpClient
from sqlalchemy import select

from app.web import create_app
from bot.dashboard_days import dirty_days, local_day
from bot.storage.models import Contact, MessageRecord, Order, OrderLookup, Outbox, SurveyAnswer
from channels.base import RawRequest
from channels.models import Message
from tests.apps import (
    Api, MovableClock, a_status_after_silence, after_decision, arrived, decided_notice, eventually, runtime_of, settings_for,
)
from tests.conftest import Backend
from tests.fakes import zalo as zalo_wire
from tests.fakes.zalo import ACCESS_TOKEN, APP_ID, OA_SECRET, FakeZalo, signed, text_event

USER = "246845883529197922"


@pytest.fixture
async def zalo_client(aiohttp_client: AiohttpClient, backend: Backend, zalo: FakeZalo, clock: MovableClock) -> TestClient:
    settings = settings_for(
        backend, HAUMAI_ZALO_APP_ID=APP_ID, HAUMAI_ZALO_OA_SECRET_KEY=OA_SECRET,
        HAUMAI_ZALO_ACCESS_TOKEN=ACCESS_TOKEN, HAUMAI_ZALO_API_BASE=zalo.base,
    )
    return await aiohttp_client(create_app(settings, clock=clock))


async def send(client: TestClient, event: dict[str, Any]) -> int:
    raw, headers = signed(event)
    return (await client.post("/webhooks/zalo", data=raw, headers=headers)).status


async def answers(zalo: FakeZalo, count: int) -> list[str]:
    return await arrived(lambda: zalo.texts_to(USER), count)


async def test_a_question_is_answered_through_the_cs_endpoint(zalo_client: TestClient, zalo: FakeZalo) -> None:
    await Api(zalo_client).post("/api/v1/orders", {"code": "HM9001", "customer": {"name": "Lan"}, "status": "confirmed"})
    assert await send(zalo_client, text_event(USER, "đơn HM9001 tới đâu rồi", "m1")) == 200
    assert "HM9001" in (await answers(zalo, 1))[0]
    assert zalo.requests[0]["token"] == ACCESS_TOKEN


async def test_zalos_retries_of_one_event_get_one_reply(zalo_client: TestClient, zalo: FakeZalo) -> None:
    for _ in range(3):
        assert await send(zalo_client, text_event(USER, "chào shop", "m2")) == 200
    await answers(zalo, 1)
    await asyncio.sleep(0.3)
    assert len(zalo.texts_to(USER)) == 1


@pytest.mark.parametrize("tamper", ["one_byte", "missing", "wrong_secret"])
async def test_a_forged_event_is_refused_and_nothing_sent(zalo_client: TestClient, zalo: FakeZalo, tamper: str) -> None:
    raw, headers = signed(text_event(USER, "chào shop", "m3"), secret="other" if tamper == "wrong_secret" else OA_SECRET)
    if tamper == "one_byte":
        raw = raw.replace(b"m3", b"m4")
    if tamper == "missing":
        headers.pop("X-ZEvent-Signature")
    assert (await zalo_client.post("/webhooks/zalo", data=raw, headers=headers)).status == 403
    await asyncio.sleep(0.2)
    assert zalo.requests == []


async def test_a_tapped_button_comes_back_as_text_and_acts(zalo_client: TestClient, zalo: FakeZalo) -> None:
    await send(zalo_client, text_event(USER, "hôm nay trời đẹp", "m5"))
    await answers(zalo, 1)
    buttons = zalo.requests[0]["body"]["message"]["attachment"]["payload"]["buttons"]
    assert buttons[1]["type"] == "oa.query.hide"
    await send(zalo_client, text_event(USER, buttons[1]["payload"], "m6"))
    assert "nhân viên" in (await answers(zalo, 2))[1]


async def test_a_phone_submitted_through_zalo_is_not_a_verified_phone(zalo_client: TestClient, zalo: FakeZalo) -> None:
    """Zalo's form lets the customer type any number: it unlocks nothing until proven."""
    await Api(zalo_client).post("/api/v1/orders", {"code": "HM9002", "customer": {"name": "Lan", "phone": "0912345678"},
                                                   "carrier": "ghn", "tracking_code": "LBK9002", "status": "in_transit"})
    assert await send(zalo_client, submitted_phone("84912345678")) == 200
    answer = (await answers(zalo, 1))[0]
    assert "HM9002" not in answer and "LBK9002" not in answer and "đường link" in answer
    async with runtime_of(zalo_client).sessions() as db:
        contact = await db.scalar(select(Contact).where(Contact.phone_verified.is_(True)))
        order = await db.scalar(select(Order).where(Order.code == "HM9002"))
    assert contact is None and order is not None and order.contact_id is None


def submitted_phone(phone: str, name: str = "Lan", timestamp: str = "1764000000001") -> dict[str, object]:
    return {"app_id": APP_ID, "sender": {"id": USER}, "recipient": {"id": "3886"}, "event_name": "user_submit_info",
            "timestamp": timestamp, "info": {"name": name, "phone": phone}}


async def test_our_own_echoes_are_ignored(zalo_client: TestClient, zalo: FakeZalo) -> None:
    echo = {**text_event(USER, "x", "m7"), "event_name": "oa_send_text"}
    assert await send(zalo_client, echo) == 200
    await asyncio.sleep(0.2)
    assert zalo.requests == []


async def test_a_notice_after_8_days_is_skipped_with_the_reason(zalo_client: TestClient, zalo: FakeZalo, clock: MovableClock) -> None:
    await send(zalo_client, text_event(USER, "chào shop", "m8"))
    await answers(zalo, 1)
    await a_status_after_silence(zalo_client, clock, "HM9003", "zalo", USER, days=8)
    notice = await decided_notice(zalo_client, "HM9003")
    assert notice["status"] == "skipped_policy" and "7 days" in notice["reason"]


async def test_a_notice_after_6_days_goes_through_cs(zalo_client: TestClient, zalo: FakeZalo, clock: MovableClock) -> None:
    await send(zalo_client, text_event(USER, "chào shop", "m9"))
    await answers(zalo, 1)
    await a_status_after_silence(zalo_client, clock, "HM9004", "zalo", USER, days=6)
    assert "HM9004" in (await answers(zalo, 2))[1]


async def test_zalos_own_window_error_is_a_policy_skip(zalo_client: TestClient, zalo: FakeZalo) -> None:
    zalo.fail_next(-230, "User has not interacted with the OA in the past 7 days")
    await send(zalo_client, text_event(USER, "chào shop", "m10"))

    async def reply_settled() -> str | None:
        async with runtime_of(zalo_client).sessions() as db:
            return await db.scalar(select(Outbox.status).where(Outbox.status.not_in(["pending", "claimed", "sending"])))

    assert await eventually(reply_settled) == "skipped_policy"
    assert zalo.texts_to(USER) == [] and len(zalo.requests) == 1


async def test_a_seen_receipt_marks_our_message_read(zalo_client: TestClient, zalo: FakeZalo) -> None:
    await send(zalo_client, text_event(USER, "chào shop", "m11"))
    await answers(zalo, 1)
    await asyncio.sleep(0.2)
    seen = {"app_id": APP_ID, "sender": {"id": USER}, "recipient": {"id": "3886"}, "event_name": "user_seen_message",
            "timestamp": "1764000000099", "message": {"msg_ids": ["z1"]}}
    assert await send(zalo_client, seen) == 200
    async with runtime_of(zalo_client).sessions() as db:
        record = await db.scalar(select(MessageRecord).where(MessageRecord.provider_message_id == "z1"))
    assert record is not None and record.status == "read"


async def test_a_receipt_days_later_marks_the_day_the_message_went_out_for_the_dashboard(
        zalo_client: TestClient, zalo: FakeZalo, clock: MovableClock) -> None:
    await send(zalo_client, text_event(USER, "chào shop", "m11"))
    await answers(zalo, 1)
    await asyncio.sleep(0.2)
    clock.advance(days=3)
    seen = {"app_id": APP_ID, "sender": {"id": USER}, "recipient": {"id": "3886"}, "event_name": "user_seen_message",
            "timestamp": "1764259200099", "message": {"msg_ids": ["z1"]}}
    assert await send(zalo_client, seen) == 200
    runtime = runtime_of(zalo_client)
    async with runtime.sessions() as db:
        sent = await db.scalar(select(MessageRecord.created_at).where(MessageRecord.provider_message_id == "z1"))
        marked = await dirty_days(db, local_day(clock(), runtime.settings.zone))
    assert sent is not None and marked == {local_day(sent, runtime.settings.zone)}


async def test_nps_on_zalos_five_buttons_is_a_score_list_answered_by_typing_the_score(
    zalo_client: TestClient, zalo: FakeZalo, clock: MovableClock
) -> None:
    runtime = runtime_of(zalo_client)
    await send(zalo_client, text_event(USER, "chào shop", "m12"))
    await answers(zalo, 1)
    await Api(zalo_client).post("/api/v1/orders", {"code": "HM9005", "customer": {"name": "Lan", "channel": "zalo", "channel_user_id": USER}})
    await Api(zalo_client).post("/api/v1/orders/HM9005/events", {"status": "delivered"})
    await answers(zalo, 2)
    clock.advance(days=6)
    await send(zalo_client, text_event(USER, "cảm ơn shop", "m13", timestamp="1764500000000"))  # window renewed
    await answers(zalo, 4)  # the reply, and the thank-you that was due at +3 h
    clock.advance(days=1, seconds=1)
    runtime.dispatcher.wake()
    nps = (await answers(zalo, 5))[4]
    assert "giới thiệu" in nps and "0 · 1 · 2" in nps
    assert "số thứ tự" not in nps  # typing 9 means the score 9, not the 9th option
    await send(zalo_client, text_event(USER, "9", "m14", timestamp="1764600000000"))
    await answers(zalo, 6)
    async with runtime.sessions() as db:
        answer = await db.scalar(select(SurveyAnswer).where(SurveyAnswer.kind == "nps"))
    assert answer is not None and answer.score == 9


@pytest.fixture
async def zalo_shop(aiohttp_client: AiohttpClient, backend: Backend, zalo: FakeZalo, clock: MovableClock) -> TestClient:
    settings = settings_for(
        backend, HAUMAI_ZALO_APP_ID=zalo_wire.APP_ID, HAUMAI_ZALO_OA_SECRET_KEY=zalo_wire.OA_SECRET,
        HAUMAI_ZALO_APP_SECRET=zalo_wire.APP_SECRET, HAUMAI_ZALO_ACCESS_TOKEN=zalo_wire.ACCESS_TOKEN,
        HAUMAI_ZALO_REFRESH_TOKEN=zalo_wire.REFRESH_TOKEN, HAUMAI_ZALO_API_BASE=zalo.base, HAUMAI_ZALO_OAUTH_BASE=zalo.base,
    )
    return await aiohttp_client(create_app(settings, clock=clock))


async def test_an_expired_access_token_is_refreshed_and_the_reply_still_arrives(zalo_shop: TestClient, zalo: FakeZalo, clock: MovableClock) -> None:
    zalo.access_tokens.clear()  # Zalo no longer accepts the token the shop configured
    raw, headers = zalo_wire.signed(zalo_wire.text_event("2468458835290077", "chào shop", "zt1"))
    assert (await zalo_shop.post("/webhooks/zalo", data=raw, headers=headers)).status == 200
    await after_decision(zalo_shop, clock, "pending", "fresh one", seconds=5)
    await arrived(lambda: zalo.texts_to("2468458835290077"), 1)
    assert zalo.requests[-1]["token"] == "zalo-access-token-1"


async def test_readiness_reports_a_failed_zalo_refresh(zalo_shop: TestClient, zalo: FakeZalo) -> None:
    zalo.refusing_refresh = True
    await runtime_of(zalo_shop).refresh_zalo_token()
    response = await zalo_shop.get("/readyz")
    body = await response.json()
    assert response.status == 503 and body["checks"]["zalo_token"] is False and "refused" in body["alerts"]["zalo_token"]


async def test_a_withdrawal_forgets_what_identifies_the_customer_and_keeps_the_counts(zalo_client: TestClient, zalo: FakeZalo) -> None:
    await Api(zalo_client).post("/api/v1/orders", {"code": "HM9006", "status": "in_transit", "customer": {
        "name": "Lan", "phone": "0912345670", "channel": "zalo", "channel_user_id": USER}})
    await send(zalo_client, submitted_phone("84912345670", name="Nguyễn Thị Lan"))
    await send(zalo_client, text_event(USER, "nhà em ở 12 Lê Lợi", "m15"))
    await answers(zalo, 2)
    await withdraw(zalo_client, "1764000000200")
    async with runtime_of(zalo_client).sessions() as db:
        contact = await db.scalar(select(Contact))
        texts = list(await db.scalars(select(MessageRecord.text)))
        order = await db.scalar(select(Order).where(Order.code == "HM9006"))
    assert len(texts) >= 4 and not any("Lê Lợi" in t or "HM9006" in t for t in texts)
    assert order is not None and order.contact_id is None
    assert contact is not None and contact.phone is None and contact.name == ""
    await Api(zalo_client).post("/api/v1/orders/HM9006/events", {"status": "delivered"})
    await asyncio.sleep(0.3)
    assert len(zalo.texts_to(USER)) == 2


async def test_a_withdrawal_forgets_the_order_codes_they_looked_up(zalo_client: TestClient, zalo: FakeZalo) -> None:
    await send(zalo_client, text_event(USER, "đơn HM9007 tới đâu rồi", "m17"))
    await answers(zalo, 1)
    await withdraw(zalo_client, "1764000000400")
    async with runtime_of(zalo_client).sessions() as db:
        assert list(await db.scalars(select(OrderLookup.code))) == []


async def withdraw(client: TestClient, timestamp: str) -> None:
    """The customer asks Zalo to delete their data; returns once the bot has forgotten them."""
    event = {"app_id": APP_ID, "sender": {"id": USER}, "recipient": {"id": "3886"}, "event_name": "user_withdraw", "timestamp": timestamp}
    assert await send(client, event) == 200

    async def forgotten() -> bool:
        async with runtime_of(client).sessions() as db:
            return await db.scalar(select(Contact.opted_out_at)) is not None

    await eventually(forgotten)


async def test_a_withdrawal_in_the_same_batch_as_a_message_erases_it_and_cancels_its_reply(zalo_client: TestClient, zalo: FakeZalo) -> None:
    """Turns write their message and reply rows when the batch ends; forgetting must see them."""
    runtime = runtime_of(zalo_client)
    withdraw = {"app_id": APP_ID, "sender": {"id": USER}, "recipient": {"id": "3886"}, "event_name": "user_withdraw", "timestamp": "1764000000300"}
    messages: list[Message] = []
    for event in (text_event(USER, "nhà em ở 12 Lê Lợi", "m16"), withdraw):
        raw, headers = signed(event)
        parsed = runtime.channels["zalo"].parse(RawRequest("POST", {}, headers, raw))
        messages += [m for m in parsed if isinstance(m, Message)]
    for accepted in await runtime.ingestor.accept(messages):  # what a webhook does, with both at once
        runtime.processor.submit(accepted)

    async def forgotten() -> bool:
        async with runtime.sessions() as db:
            return await db.scalar(select(Contact.opted_out_at)) is not None

    await eventually(forgotten)
    async with runtime.sessions() as db:
        texts = list(await db.scalars(select(MessageRecord.text)))
        replies = list(await db.scalars(select(Outbox.status)))
    assert texts == [""] and replies == ["cancelled"]
    await asyncio.sleep(0.2)
    assert zalo.texts_to(USER) == []


async def test_zalos_rate_limit_is_retried_and_the_reply_arrives(zalo_client: TestClient, zalo: FakeZalo, clock: MovableClock) -> None:
    zalo.fail_next(-32, "Your application reached limit call api")
    await send(zalo_client, text_event(USER, "chào shop", "m20"))
    await after_decision(zalo_client, clock, "pending", "-32", seconds=61)
    assert "Chào" in (await answers(zalo, 1))[0]


async def test_a_user_who_unfollowed_the_oa_is_not_retried(zalo_client: TestClient, zalo: FakeZalo, clock: MovableClock) -> None:
    zalo.fail_next(-213, "User has not followed OA")
    await send(zalo_client, text_event(USER, "chào shop", "m21"))
    await after_decision(zalo_client, clock, "failed", "RecipientUnreachable", minutes=30)
    await asyncio.sleep(0.2)
    assert len(zalo.requests) == 1


@pytest.mark.parametrize(("language", "question", "hint"), [
    ("vi", "đơn của tôi tới đâu rồi", "(Bạn có thể trả lời bằng số thứ tự của lựa chọn)"),
    ("en", "where is my order", "(You can reply with the number of an option)"),
])
async def test_more_choices_than_zalos_five_buttons_are_a_numbered_list_with_a_hint_in_the_customers_language(
    aiohttp_client: AiohttpClient, backend: Backend, zalo: FakeZalo, clock: MovableClock, language: str, question: str, hint: str
) -> None:
    settings = settings_for(
        backend, HAUMAI_ZALO_APP_ID=APP_ID, HAUMAI_ZALO_OA_SECRET_KEY=OA_SECRET, HAUMAI_ZALO_ACCESS_TOKEN=ACCESS_TOKEN,
        HAUMAI_ZALO_API_BASE=zalo.base, HAUMAI_LANGUAGE=language,
    )
    client = await aiohttp_client(create_app(settings, clock=clock))
    for n in range(6):
        await Api(client).post("/api/v1/orders", {"code": f"HM95{n:02}", "customer": {
            "name": "Lan", "channel": "zalo", "channel_user_id": USER}})
    await send(client, text_event(USER, question, "m30"))
    listing = (await answers(zalo, 1))[0]
    assert "1. HM9505" in listing and "6. HM9500" in listing and listing.endswith(f"\n\n{hint}")
    assert "attachment" not in zalo.requests[-1]["body"]["message"]
