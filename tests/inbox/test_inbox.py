"""Staff take over a conversation, see the whole customer, answer, and hand back."""

from __future__ import annotations

import asyncio
import re
from datetime import datetime, timezone

import pytest
from aiohttp import ClientResponse
from aiohttp.test_utils import TestClient
from sqlalchemy import func, select

from app.inbox.staff import add_staff
from bot.conversation_events import TOPIC, InboxEventKind, record_event
from bot.storage.models import Conversation, Handoff, InboxEvent
from tests.apps import Api, MovableClock, runtime_of
from tests.conftest import Backend
from tests.fakes.telegram import FakeTelegram, text_update
from tests.flows.test_telegram_wismo import post_update, replies
from tests.inbox.conftest import csrf_of, log_in

CHAT = 999001


async def handoff(client: TestClient, telegram: FakeTelegram, text: str = "cho em gặp nhân viên", earlier: int = 0) -> int:
    """The customer asks for a person; `earlier` messages were already sent to them."""
    await post_update(client, text_update(CHAT, text))
    await replies(telegram, earlier + 1, CHAT)
    async with runtime_of(client).sessions() as db:
        conversation = await db.scalar(select(Conversation))
    assert conversation is not None
    return conversation.id


async def next_event(response: ClientResponse) -> bytes:
    """The next event's data line of a live inbox stream."""
    line = b""
    while not line.startswith(b"data: "):
        line = await asyncio.wait_for(response.content.readline(), 10)
    return line


async def act(client: TestClient, conversation_id: int, action: str, **form: str) -> str:
    token = await csrf_of(client, f"/inbox/c/{conversation_id}")
    response = await client.post(f"/inbox/c/{conversation_id}/{action}", data={"csrf": token, **form})
    return await response.text()


@pytest.mark.parametrize("path", ["/inbox", "/dashboard", "/inbox/c/1"])
async def test_staff_pages_without_a_session_redirect_to_login(client: TestClient, path: str) -> None:
    response = await client.get(path, allow_redirects=False)
    assert response.status == 302 and response.headers["Location"] == "/login"


async def test_the_live_stream_without_a_session_is_401(client: TestClient) -> None:
    assert (await client.get("/inbox/stream")).status == 401


@pytest.mark.parametrize("path", ["/inbox/c/1/take", "/inbox/c/1/reply", "/logout", "/login"])
async def test_a_state_changing_post_without_csrf_is_403(staff_client: TestClient, path: str) -> None:
    assert (await staff_client.post(path, data={"text": "x"})).status == 403


async def test_a_wrong_password_is_refused(client: TestClient) -> None:
    await log_in(client, "lan@shop.vn")
    await client.post("/logout", data={"csrf": await csrf_of(client, "/inbox")})
    token = await csrf_of(client, "/login")
    page = await client.post("/login", data={"csrf": token, "email": "lan@shop.vn", "password": "wrong-password"})
    assert "không đúng" in await page.text()


async def test_a_handoff_appears_first_with_its_reason(staff_client: TestClient, telegram: FakeTelegram) -> None:
    await handoff(staff_client, telegram)
    page = await (await staff_client.get("/inbox")).text()
    assert 'class="waiting"' in page and "khách yêu cầu" in page


async def test_a_chat_message_with_script_renders_inert(staff_client: TestClient, telegram: FakeTelegram) -> None:
    conversation_id = await handoff(staff_client, telegram)
    await post_update(staff_client, text_update(CHAT, "<script>alert('x')</script>"))
    await asyncio.sleep(0.3)
    page = await (await staff_client.get(f"/inbox/c/{conversation_id}")).text()
    assert "<script>alert" not in page and "&lt;script&gt;alert" in page


async def test_take_over_and_reply_reaches_the_customer_and_counts_first_response(
    staff_client: TestClient, telegram: FakeTelegram
) -> None:
    conversation_id = await handoff(staff_client, telegram)
    await act(staff_client, conversation_id, "take", version=str(await version(staff_client)))
    await act(staff_client, conversation_id, "reply", text="Chào chị, em là Lan, em kiểm tra đơn giúp chị nhé", client_id="c1")
    assert "em là Lan" in (await replies(telegram, 2, CHAT))[1]
    async with runtime_of(staff_client).sessions() as db:
        record = await db.scalar(select(Handoff))
    assert record is not None and record.first_response_at is not None


async def test_a_double_submitted_reply_is_sent_once(staff_client: TestClient, telegram: FakeTelegram) -> None:
    conversation_id = await handoff(staff_client, telegram)
    for _ in range(2):
        await act(staff_client, conversation_id, "reply", text="Dạ chị chờ em chút", client_id="same")
    await replies(telegram, 2, CHAT)
    await asyncio.sleep(0.3)
    assert len(telegram.texts_to(CHAT)) == 2


async def test_a_staff_reply_with_a_nul_character_reaches_the_customer_without_it(
    staff_client: TestClient, telegram: FakeTelegram
) -> None:
    conversation_id = await handoff(staff_client, telegram)
    await act(staff_client, conversation_id, "reply", text="Dạ chị\x00 chờ em chút", client_id="nul")
    assert (await replies(telegram, 2, CHAT))[1] == "Dạ chị chờ em chút"


async def version(client: TestClient) -> int:
    async with runtime_of(client).sessions() as db:
        conversation = await db.scalar(select(Conversation))
    assert conversation is not None
    return conversation.version


async def test_of_two_staff_taking_over_one_wins_and_the_other_is_told(
    staff_client: TestClient, telegram: FakeTelegram
) -> None:
    conversation_id = await handoff(staff_client, telegram)
    seen = str(await version(staff_client))
    other: TestClient = TestClient(staff_client.server)
    await other.start_server()
    try:
        await log_in(other, "minh@shop.vn")
        first = await act(staff_client, conversation_id, "take", version=seen)
        second = await act(other, conversation_id, "take", version=seen)
    finally:
        await other.close()
    assert "đã nhận cuộc trò chuyện này trước" not in first
    assert "đã nhận cuộc trò chuyện này trước" in second


async def test_after_resolution_the_bot_answers_again_and_asks_how_easy_it_was(
    staff_client: TestClient, telegram: FakeTelegram
) -> None:
    conversation_id = await handoff(staff_client, telegram)
    await act(staff_client, conversation_id, "take", version=str(await version(staff_client)))
    await act(staff_client, conversation_id, "resolve")
    ces = (await replies(telegram, 2, CHAT))[1]
    assert "dễ dàng" in ces
    buttons = telegram.sent()[1]["reply_markup"]["inline_keyboard"]
    assert buttons[0][0]["callback_data"].startswith("sv:ces:")
    status, metrics = await Api(staff_client).get("/api/v1/metrics")
    assert metrics["handoffs"]["opened"] == 1 and metrics["handoffs"]["resolution_median_s"] is not None


async def test_a_released_conversation_is_answered_by_the_bot_again(staff_client: TestClient, telegram: FakeTelegram) -> None:
    conversation_id = await handoff(staff_client, telegram)
    await act(staff_client, conversation_id, "release")
    await post_update(staff_client, text_update(CHAT, "chào shop"))
    assert "Chào" in (await replies(telegram, 2, CHAT))[1]


async def test_the_stream_replays_what_happened_since_the_last_event_id(
    staff_client: TestClient, telegram: FakeTelegram
) -> None:
    await handoff(staff_client, telegram)
    response = await staff_client.get("/inbox/stream", headers={"Last-Event-ID": "0"})
    line = await next_event(response)
    assert b'"kind": "handoff"' in line and b'"waiting": 1' in line
    response.close()


async def test_a_handoff_between_loading_the_page_and_opening_its_stream_reaches_the_page(
    staff_client: TestClient, telegram: FakeTelegram
) -> None:
    page = await (await staff_client.get("/inbox")).text()
    stream_url = re.search(r'EventSource\("([^"]+)"\)', page)
    assert stream_url is not None
    await handoff(staff_client, telegram)
    response = await staff_client.get(stream_url.group(1))
    assert b'"kind": "handoff"' in await next_event(response)
    response.close()


async def test_an_event_committed_after_a_later_one_still_reaches_an_open_stream(
    staff_client: TestClient, telegram: FakeTelegram, backend: Backend
) -> None:
    if backend.name != "scaled":
        pytest.skip("SQLite has one writer: its event ids commit in order")
    conversation_id = await handoff(staff_client, telegram)
    runtime = runtime_of(staff_client)
    async with runtime.sessions() as db:
        newest = await db.scalar(select(func.max(InboxEvent.id))) or 0
    stream = await staff_client.get("/inbox/stream", headers={"Last-Event-ID": str(newest - 1)})
    assert await next_event(stream)  # replayed after subscribing: from here the stream is live
    async with runtime.sessions.begin() as slow:
        record_event(slow, conversation_id, InboxEventKind.NOTE, {"which": "slow"}, runtime.clock())
        await slow.flush()  # its id is taken now; it commits after the next one
        async with runtime.sessions.begin() as quick:
            record_event(quick, conversation_id, InboxEventKind.NOTE, {"which": "quick"}, runtime.clock())
        await runtime.coordinator.publish(TOPIC, {})
        assert b'"which": "quick"' in await next_event(stream)
    await runtime.coordinator.publish(TOPIC, {})
    assert b'"which": "slow"' in await next_event(stream)
    stream.close()


async def test_the_customer_card_shows_orders_and_identities(staff_client: TestClient, telegram: FakeTelegram) -> None:
    await Api(staff_client).post("/api/v1/orders", {"code": "HM6001", "customer": {"name": "Chị Lan", "channel": "telegram", "channel_user_id": str(CHAT)}, "carrier": "ghn", "tracking_code": "GAN6D8A9", "status": "in_transit"})
    await replies(telegram, 1, CHAT)  # the "on its way" notice
    conversation_id = await handoff(staff_client, telegram, earlier=1)
    page = await (await staff_client.get(f"/inbox/c/{conversation_id}")).text()
    assert "HM6001" in page and "GAN6D8A9" in page and "Telegram" in page




async def test_an_unanswered_handoff_gets_one_holding_message_and_is_flagged(
    staff_client: TestClient, telegram: FakeTelegram, clock: MovableClock
) -> None:
    await handoff(staff_client, telegram)
    clock.advance(minutes=11)
    runtime = runtime_of(staff_client)
    await runtime.remind()
    await runtime.remind()
    holding = (await replies(telegram, 2, CHAT))[1]
    assert "chờ" in holding
    await asyncio.sleep(0.3)
    assert len(telegram.texts_to(CHAT)) == 2
    async with runtime.sessions() as db:
        record = await db.scalar(select(Handoff))
    assert record is not None and record.held_at is not None


async def test_outside_business_hours_the_customer_is_told_when_a_person_will_answer(
    client: TestClient, telegram: FakeTelegram, clock: MovableClock
) -> None:
    clock.now = datetime(2026, 11, 24, 16, 0, tzinfo=timezone.utc)  # 23:00 in Vietnam
    await post_update(client, text_update(CHAT, "cho em gặp nhân viên"))
    assert "08:00 25/11" in (await replies(telegram, 1, CHAT))[0]


async def test_a_conversation_can_be_assigned_to_a_colleague(staff_client: TestClient, telegram: FakeTelegram) -> None:
    conversation_id = await handoff(staff_client, telegram)
    runtime = runtime_of(staff_client)
    colleague = await add_staff(runtime.sessions, "minh@shop.vn", "Minh", "agent", "correct-horse-battery", runtime.clock())
    await act(staff_client, conversation_id, "assign", staff_id=str(colleague.id))
    async with runtime.sessions() as db:
        conversation = await db.get(Conversation, conversation_id)
    assert conversation is not None and conversation.assigned_staff_id == colleague.id and conversation.mode == "human"


async def test_only_admins_edit_canned_replies(staff_client: TestClient) -> None:
    token = await csrf_of(staff_client, "/inbox/canned")
    response = await staff_client.post("/inbox/canned", data={"csrf": token, "title": "Chào", "text": "Dạ em chào chị"})
    assert response.status == 403


async def test_an_admins_canned_reply_is_offered_in_every_conversation(client: TestClient, telegram: FakeTelegram) -> None:
    runtime = runtime_of(client)
    await add_staff(runtime.sessions, "boss@shop.vn", "Boss", "admin", "correct-horse-battery", runtime.clock())
    token = await csrf_of(client, "/login")
    await client.post("/login", data={"csrf": token, "email": "boss@shop.vn", "password": "correct-horse-battery"})
    token = await csrf_of(client, "/inbox/canned")
    await client.post("/inbox/canned", data={"csrf": token, "title": "Xin lỗi", "text": "Shop xin lỗi chị vì sự bất tiện"})
    conversation_id = await handoff(client, telegram)
    page = await (await client.get(f"/inbox/c/{conversation_id}")).text()
    assert 'data-text="Shop xin lỗi chị vì sự bất tiện"' in page


async def test_repeated_failed_logins_are_slowed_down(client: TestClient) -> None:
    pages = []
    for _ in range(11):
        token = await csrf_of(client, "/login")
        page = await client.post("/login", data={"csrf": token, "email": "who@shop.vn", "password": "wrong-password"})
        pages.append(await page.text())
    assert "quá nhiều lần" in pages[-1] and "quá nhiều lần" not in pages[0]
