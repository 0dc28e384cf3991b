"""Staff see what the bot understood of each customer message and correct it in one click."""

from __future__ import annotations

import pytest
from aiohttp.test_utils import TestClient
from sqlalchemy import select

from bot.storage.models import Conversation, MessageRecord, NluLabel
from tests.apps import runtime_of
from tests.fakes.telegram import FakeTelegram, text_update
from tests.flows.test_telegram_wismo import post_update, replies
from tests.hostile import HOSTILE_TEXT
from tests.inbox.conftest import csrf_of

CHAT = 999101
WHERE_IS_THE_SHOP = "qua shop lấy hàng được không ạ"  # about the shop, which the model cannot tell


async def customer_says(client: TestClient, telegram: FakeTelegram, text: str, replies_before: int) -> tuple[int, int]:
    """The customer's message answered; the conversation's id and the message's id."""
    await post_update(client, text_update(CHAT, text))
    await replies(telegram, replies_before + 1, CHAT)
    async with runtime_of(client).sessions() as db:
        conversation = await db.scalar(select(Conversation))
        message = await db.scalar(select(MessageRecord).where(MessageRecord.text == text).order_by(MessageRecord.id.desc()))
    assert conversation is not None and message is not None
    return conversation.id, message.id


async def correct(client: TestClient, conversation_id: int, message_id: object, intent: str) -> int:
    token = await csrf_of(client, f"/inbox/c/{conversation_id}")
    response = await client.post(f"/inbox/c/{conversation_id}/label", allow_redirects=False,
                                 data={"csrf": token, "message_id": str(message_id), "intent": intent})
    return response.status


async def test_each_customer_message_shows_what_the_bot_understood(staff_client: TestClient, telegram: FakeTelegram) -> None:
    conversation_id, _ = await customer_says(staff_client, telegram, "đơn của em tới đâu rồi?", 0)
    page = await (await staff_client.get(f"/inbox/c/{conversation_id}")).text()
    assert 'value="where_is_my_order" selected>hỏi đơn hàng ở đâu' in page
    english = await (await staff_client.get(f"/inbox/c/{conversation_id}?lang=en")).text()
    assert 'value="where_is_my_order" selected>where is my order' in english


async def test_a_staff_correction_changes_the_next_answer(staff_client: TestClient, telegram: FakeTelegram) -> None:
    conversation_id, message_id = await customer_says(staff_client, telegram, WHERE_IS_THE_SHOP, 0)
    assert "08:00–21:00" not in telegram.texts_to(CHAT)[-1]  # not understood as a question about the shop
    assert await correct(staff_client, conversation_id, message_id, "shop_info") == 302
    page = await (await staff_client.get(f"/inbox/c/{conversation_id}")).text()
    assert 'value="shop_info" selected>' in page
    await customer_says(staff_client, telegram, WHERE_IS_THE_SHOP, 1)
    assert "08:00–21:00" in telegram.texts_to(CHAT)[-1]
    async with runtime_of(staff_client).sessions() as db:
        label = await db.scalar(select(NluLabel))
    assert label is not None and (label.text, label.intent, label.source, label.who) == (
        WHERE_IS_THE_SHOP, "shop_info", "staff", "lan@shop.vn")


async def test_a_correction_to_an_unknown_intent_is_refused_with_a_reason(staff_client: TestClient, telegram: FakeTelegram) -> None:
    conversation_id, message_id = await customer_says(staff_client, telegram, WHERE_IS_THE_SHOP, 0)
    token = await csrf_of(staff_client, f"/inbox/c/{conversation_id}")
    response = await staff_client.post(f"/inbox/c/{conversation_id}/label", data={"csrf": token, "message_id": str(message_id), "intent": "hack"})
    assert response.status == 400 and (await response.json())["detail"] == "no such intent"


async def test_only_a_customer_message_of_this_conversation_can_be_corrected(staff_client: TestClient, telegram: FakeTelegram) -> None:
    conversation_id, message_id = await customer_says(staff_client, telegram, WHERE_IS_THE_SHOP, 0)
    async with runtime_of(staff_client).sessions() as db:
        bot_reply = await db.scalar(select(MessageRecord.id).where(MessageRecord.author == "bot"))
    for other in (bot_reply, message_id + 1000):
        assert await correct(staff_client, conversation_id, other, "shop_info") == 400


@pytest.mark.parametrize("hostile", [text for text in HOSTILE_TEXT if text.isascii() or text.isprintable()])
async def test_hostile_correction_values_get_a_400_never_an_error(staff_client: TestClient, telegram: FakeTelegram, hostile: str) -> None:
    conversation_id, message_id = await customer_says(staff_client, telegram, WHERE_IS_THE_SHOP, 0)
    assert await correct(staff_client, conversation_id, hostile, "shop_info") == 400
    assert await correct(staff_client, conversation_id, message_id, hostile) == 400


async def test_a_correction_without_the_csrf_token_is_refused(staff_client: TestClient, telegram: FakeTelegram) -> None:
    conversation_id, message_id = await customer_says(staff_client, telegram, WHERE_IS_THE_SHOP, 0)
    response = await staff_client.post(f"/inbox/c/{conversation_id}/label", data={"message_id": str(message_id), "intent": "shop_info"})
    assert response.status == 403
