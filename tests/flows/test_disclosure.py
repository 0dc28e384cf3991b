"""Disclosure by proof: an order code tells anyone the status and ETA, the rest only its owner;
guessing codes is throttled; buttons act only in the chat they were sent to."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest
from aiohttp.test_utils import TestClient
from sqlalchemy import select

from bot.storage.models import Conversation, Order, SurveyAnswer
from tests.apps import Api, MovableClock, eventually, runtime_of
from tests.fakes.telegram import FakeTelegram, callback_update, contact_update, text_update
from tests.flows.test_telegram_wismo import post_update, replies

STRANGER, OWNER = 560001, 560002
ORDER: dict[str, Any] = {
    "code": "HM5001", "customer": {"name": "Chị Hoa", "phone": "0987650005"}, "total": 300000,
    "carrier": "ghn", "tracking_code": "LBK5001", "eta": "2026-11-26", "status": "in_transit",
}
PLACED_FROM_OWNERS_CHAT = {  # no status yet: the first notice is the one each test causes
    **{k: v for k, v in ORDER.items() if k != "status"},
    "customer": {**ORDER["customer"], "channel": "telegram", "channel_user_id": str(OWNER)},
}
FULL_DETAILS = ("LBK5001", "donhang.ghn.vn", "Anh Tuấn", "0901234567")
REFUSED_LOOKUP = "tra cứu khá nhiều mã đơn"
REFUSED_BUTTON = "nút này không dùng được"


async def out_for_delivery(client: TestClient, order: dict[str, Any] = ORDER) -> None:
    await Api(client).post("/api/v1/orders", order)
    await Api(client).post(f"/api/v1/orders/{order['code']}/events",
                           {"status": "out_for_delivery", "shipper_name": "Anh Tuấn", "shipper_phone": "0901234567"})


async def answer_to(client: TestClient, telegram: FakeTelegram, chat: int, update: dict[str, Any]) -> str:
    """Post `update` from `chat`; the bot's answer to it."""
    count = len(telegram.texts_to(chat))
    await post_update(client, update)
    return (await replies(telegram, count + 1, chat))[count]


async def ask(client: TestClient, telegram: FakeTelegram, chat: int, text: str) -> str:
    return await answer_to(client, telegram, chat, text_update(chat, text))


async def tap(client: TestClient, telegram: FakeTelegram, chat: int, payload: str) -> str:
    return await answer_to(client, telegram, chat, callback_update(chat, payload))


async def test_an_order_code_alone_tells_the_status_and_eta_only(client: TestClient, telegram: FakeTelegram) -> None:
    await out_for_delivery(client)
    answer = await ask(client, telegram, STRANGER, "HM5001")
    assert "HM5001" in answer and "Đang giao đến bạn" in answer and "26/11/2026" in answer
    assert not any(detail in answer for detail in FULL_DETAILS)
    assert "Chia sẻ số điện thoại" in answer  # how to see the rest: Telegram's verified phone


async def test_the_owner_by_verified_phone_gets_tracking_and_shipper(client: TestClient, telegram: FakeTelegram) -> None:
    await out_for_delivery(client)
    await post_update(client, contact_update(OWNER, "+84987650005"))
    await replies(telegram, 2, OWNER)
    answer = await ask(client, telegram, OWNER, "HM5001")
    assert all(detail in answer for detail in FULL_DETAILS)


async def test_the_chat_the_order_was_placed_from_gets_tracking_and_shipper(client: TestClient, telegram: FakeTelegram) -> None:
    await out_for_delivery(client, PLACED_FROM_OWNERS_CHAT)
    await replies(telegram, 1, OWNER)  # the out-for-delivery notice
    answer = await ask(client, telegram, OWNER, "HM5001")
    assert all(detail in answer for detail in FULL_DETAILS)


async def test_the_sixth_distinct_unowned_code_within_an_hour_is_refused_and_logged_without_personal_data(
    client: TestClient, telegram: FakeTelegram, caplog: pytest.LogCaptureFixture
) -> None:
    codes = [f"HM51{n:02d}" for n in range(1, 7)]
    for code in codes:
        await Api(client).post("/api/v1/orders", {**ORDER, "code": code})
    for code in codes[:5]:
        assert code in await ask(client, telegram, STRANGER, code)
    with caplog.at_level(logging.WARNING, logger="bot.lookups"):
        refusal = await ask(client, telegram, STRANGER, codes[5])
    assert REFUSED_LOOKUP in refusal and codes[5] not in refusal
    assert [r.getMessage() for r in caplog.records if r.name == "bot.lookups"] == [
        "order code lookup refused: too many codes this identity does not own"
    ]
    assert "HM51" not in caplog.text and "0987650005" not in caplog.text and "Lan" not in caplog.text


async def test_asking_again_about_a_code_already_tried_is_free_and_the_limit_lifts_after_an_hour(
    client: TestClient, telegram: FakeTelegram, clock: MovableClock
) -> None:
    codes = [f"HM52{n:02d}" for n in range(1, 7)]
    for code in codes[:5]:
        await ask(client, telegram, STRANGER, code)  # unknown codes count too: guessing learns nothing
    assert "HM5201" in await ask(client, telegram, STRANGER, "HM5201")
    assert REFUSED_LOOKUP in await ask(client, telegram, STRANGER, codes[5])
    clock.advance(hours=1, seconds=1)
    assert codes[5] in await ask(client, telegram, STRANGER, codes[5])


async def test_a_burst_of_guesses_arriving_together_is_held_to_the_limit(client: TestClient, telegram: FakeTelegram) -> None:
    guesses = [text_update(STRANGER, f"HM54{n:02d}") for n in range(1, 9)]
    await asyncio.gather(*(post_update(client, update) for update in guesses))
    answers = await replies(telegram, 8, STRANGER)
    assert sum(REFUSED_LOOKUP in answer for answer in answers) == 3


async def test_owned_codes_are_never_throttled(client: TestClient, telegram: FakeTelegram) -> None:
    await out_for_delivery(client, PLACED_FROM_OWNERS_CHAT)
    await replies(telegram, 1, OWNER)  # the out-for-delivery notice
    for code in [f"HM53{n:02d}" for n in range(1, 6)]:
        await ask(client, telegram, OWNER, code)
    assert "LBK5001" in await ask(client, telegram, OWNER, "HM5001")


async def delivered_with_survey(client: TestClient, telegram: FakeTelegram, clock: MovableClock) -> list[str]:
    """OWNER has chatted before; HM5001, placed from their chat, is delivered; the CSAT buttons
    they received, 1 to 5."""
    await ask(client, telegram, OWNER, "chào shop")
    await Api(client).post("/api/v1/orders", PLACED_FROM_OWNERS_CHAT)
    await Api(client).post("/api/v1/orders/HM5001/events", {"status": "delivered"})
    await replies(telegram, 2, OWNER)  # delivered
    clock.advance(hours=3, seconds=1)
    runtime_of(client).dispatcher.wake()
    await replies(telegram, 3, OWNER)  # thanks, with the coupon and the CSAT question
    markup = [p["reply_markup"] for p in telegram.sent() if int(p["chat_id"]) == OWNER and p.get("reply_markup")][-1]
    await eventually(lambda: survey_offered(client))  # the send is recorded after the platform took it
    return [key["callback_data"] for row in markup["inline_keyboard"] for key in row]


async def survey_offered(client: TestClient) -> bool:
    """Whether a conversation remembers the survey's buttons, so that a typed "4" answers them."""
    async with runtime_of(client).sessions() as session:
        offered = list(await session.scalars(select(Conversation.offered)))
    return any(action.startswith("sv:") for buttons in offered for _, action in buttons)


async def answers(client: TestClient) -> list[tuple[str, int, int | None]]:
    async with runtime_of(client).sessions() as session:
        return [(a.kind, a.score, a.contact_id) for a in await session.scalars(select(SurveyAnswer))]


@pytest.mark.parametrize("forgery", ["crafted", "copied_from_the_owner"])
async def test_a_survey_button_from_another_chat_is_refused_and_records_nothing(
    client: TestClient, telegram: FakeTelegram, clock: MovableClock, forgery: str
) -> None:
    received = await delivered_with_survey(client, telegram, clock)
    async with runtime_of(client).sessions() as session:
        order_id = await session.scalar(select(Order.id).where(Order.code == "HM5001"))
    payload = f"sv:csat:{order_id}:1" if forgery == "crafted" else received[0]
    assert REFUSED_BUTTON in await tap(client, telegram, STRANGER, payload)
    await asyncio.sleep(0.2)
    assert await answers(client) == []
    async with runtime_of(client).sessions() as session:
        assert list(await session.scalars(select(Conversation.mode))) == ["bot", "bot"]  # no recovery handoff


async def test_a_crafted_payload_from_the_owners_own_chat_is_refused_too(
    client: TestClient, telegram: FakeTelegram, clock: MovableClock
) -> None:
    received = await delivered_with_survey(client, telegram, clock)
    assert REFUSED_BUTTON in await tap(client, telegram, OWNER, received[4].replace("sv:csat:", "sv:nps:"))
    assert await answers(client) == []


async def test_a_survey_button_the_customer_received_records_their_answer(
    client: TestClient, telegram: FakeTelegram, clock: MovableClock
) -> None:
    received = await delivered_with_survey(client, telegram, clock)
    assert "5 điểm" in await tap(client, telegram, OWNER, received[4])
    assert [(kind, score) for kind, score, _ in await answers(client)] == [("csat", 5)]


async def test_a_score_typed_as_a_number_answers_the_survey_received(
    client: TestClient, telegram: FakeTelegram, clock: MovableClock
) -> None:
    await delivered_with_survey(client, telegram, clock)
    assert "4 điểm" in await ask(client, telegram, OWNER, "4")
    assert [(kind, score) for kind, score, _ in await answers(client)] == [("csat", 4)]


async def test_a_payload_the_bot_never_offers_is_answered_as_not_understood(client: TestClient, telegram: FakeTelegram) -> None:
    assert "chưa hiểu" in await tap(client, telegram, STRANGER, "GET_STARTED")
