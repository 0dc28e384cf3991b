"""What staff read in the inbox: who the customer is, what they tapped, the state now, in their language."""

from __future__ import annotations

import re
from typing import Any

from aiohttp.test_utils import TestClient

from app.inbox.texts import TEXTS
from bot.storage.models import Contact, Conversation, Order
from tests.apps import MovableClock, runtime_of
from tests.fakes.telegram import FakeTelegram, callback_update, text_update
from tests.flows.test_telegram_wismo import buttons_of, post_update, replies
from tests.inbox.test_inbox import CHAT, act, handoff, version

async def conversation_with(client: TestClient, phone: str, order_name: str | None = None) -> None:
    """A customer whose chat gave no name (web chat, Zalo), waiting for a person."""
    runtime = runtime_of(client)
    now = runtime.clock()
    async with runtime.sessions.begin() as db:
        contact = Contact(name="", phone=phone, created_at=now)
        db.add(contact)
        await db.flush()
        db.add(Conversation(contact_id=contact.id, mode="human", handoff_reason="requested", offered=[],
                            handoff_at=now, last_message_at=now, created_at=now))
        if order_name is not None:
            db.add(Order(code=f"HM{contact.id}", contact_id=contact.id, customer_name=order_name, created_at=now,
                         updated_at=now))


async def test_a_customer_without_a_chat_name_is_listed_by_the_name_on_their_order(staff_client: TestClient) -> None:
    await conversation_with(staff_client, "0912345678", "Chị Hoa")
    assert "Chị Hoa" in await (await staff_client.get("/inbox")).text()
    assert "Chị Hoa" in await (await staff_client.get("/inbox/c/1")).text()


async def test_a_customer_known_only_by_phone_is_listed_by_the_masked_phone(staff_client: TestClient) -> None:
    await conversation_with(staff_client, "0912345678")
    assert "091••••678" in await (await staff_client.get("/inbox")).text()


async def test_a_tap_is_shown_as_the_button_title_the_customer_tapped(
    staff_client: TestClient, telegram: FakeTelegram
) -> None:
    await post_update(staff_client, text_update(CHAT, "xin chào"))
    await replies(telegram, 1, CHAT)
    await post_update(staff_client, callback_update(CHAT, buttons_of(telegram, 0)[1]))  # "Gặp nhân viên"
    await replies(telegram, 2, CHAT)
    page = await (await staff_client.get("/inbox/c/1")).text()
    assert "bấm nút:</span> Gặp nhân viên" in page and "m:human" not in page


async def test_the_vietnamese_inbox_has_no_english_words(
    staff_client: TestClient, telegram: FakeTelegram, clock: MovableClock
) -> None:
    conversation_id = await handoff(staff_client, telegram)
    clock.advance(minutes=75)
    listing = await (await staff_client.get("/inbox")).text()
    conversation = await (await staff_client.get(f"/inbox/c/{conversation_id}")).text()
    assert "1 giờ 15 phút" in listing and not re.search(r"\d min", listing)
    assert "đã nhận" in conversation and "đã gửi" in conversation
    assert ">received" not in conversation and "· sent" not in conversation and "· received" not in conversation


async def test_a_resolved_conversation_shows_resolved_and_not_its_old_handoff_reason(
    staff_client: TestClient, telegram: FakeTelegram
) -> None:
    conversation_id = await handoff(staff_client, telegram)
    await act(staff_client, conversation_id, "take", version=str(await version(staff_client)))
    await act(staff_client, conversation_id, "resolve")
    listing = await (await staff_client.get("/inbox")).text()
    conversation = await (await staff_client.get(f"/inbox/c/{conversation_id}")).text()
    for page in (listing, conversation):
        assert "Đã giải quyết" in page and "khách yêu cầu" not in page


async def test_every_page_has_a_favicon(client: TestClient) -> None:
    response = await client.get("/favicon.ico")
    assert response.status == 200 and response.content_type == "image/svg+xml"
    assert 'rel="icon"' in await (await client.get("/login")).text()
    assert 'rel="icon"' in await (await client.get("/chat")).text()


def _keys(words: dict[str, Any], prefix: str = "") -> set[str]:
    return {f"{prefix}{key}" for key in words} | {
        nested for key, value in words.items() if isinstance(value, dict) for nested in _keys(value, f"{prefix}{key}.")
    }


def test_every_inbox_word_exists_in_both_languages() -> None:
    assert _keys(TEXTS["vi"]) == _keys(TEXTS["en"])
