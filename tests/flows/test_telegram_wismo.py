"""The spine on Telegram: webhook → verify → dedupe → store → route → outbox → sendMessage."""

from __future__ import annotations

import asyncio

import pytest
from aiohttp.test_utils import TestClient
from sqlalchemy import select

from bot.dashboard_days import dirty_days, local_day
from bot.linktokens import make_token
from bot.storage.models import Order
from tests.apps import Api, MovableClock, eventually, runtime_of
from tests.fakes.telegram import FakeTelegram, callback_update, contact_update, text_update
from tests.flows.conftest import WEBHOOK_SECRET

CHAT = 555001
ORDER = {
    "code": "HM1001", "customer": {"name": "Chị Lan", "phone": "0987654321"},
    "total": 300000, "carrier": "ghn", "tracking_code": "LBK3X7QH", "eta": "2026-11-26", "status": "in_transit",
}
SECRET = {"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET}


async def post_update(client: TestClient, update: object, headers: dict[str, str] | None = None) -> int:
    response = await client.post("/webhooks/telegram", json=update, headers=SECRET if headers is None else headers)
    return response.status


async def replies(telegram: FakeTelegram, count: int, chat: int = CHAT) -> list[str]:
    return await eventually(lambda: _at_least(telegram, chat, count))


async def _at_least(telegram: FakeTelegram, chat: int, count: int) -> list[str] | None:
    texts = telegram.texts_to(chat)
    return texts if len(texts) >= count else None


def buttons_of(telegram: FakeTelegram, index: int) -> list[str]:
    """The callback_data of the inline buttons on the `index`-th message sent."""
    markup = telegram.sent()[index].get("reply_markup") or {}
    return [key["callback_data"] for row in markup.get("inline_keyboard", []) for key in row]


async def linked_customer(client: TestClient, telegram: FakeTelegram) -> None:
    await Api(client).post("/api/v1/orders", ORDER)
    await post_update(client, contact_update(CHAT, "+84987654321"))
    await replies(telegram, 2)


@pytest.mark.parametrize(
    "question", ["đơn của em tới đâu rồi?", "don hang cua toi den dau roi", "dh e bh giao z shop", "ship tới đâu r ạ"]
)
async def test_a_linked_customer_gets_the_status_however_they_ask(
    client: TestClient, telegram: FakeTelegram, question: str
) -> None:
    await linked_customer(client, telegram)
    assert await post_update(client, text_update(CHAT, question)) == 200
    answer = (await replies(telegram, 3))[-1]
    assert "HM1001" in answer and "Đang vận chuyển" in answer and "LBK3X7QH" in answer


async def test_sharing_the_own_phone_links_the_chat_to_the_orders(client: TestClient, telegram: FakeTelegram) -> None:
    await linked_customer(client, telegram)
    assert "liên kết" in telegram.texts_to(CHAT)[0]
    assert "HM1001" in telegram.texts_to(CHAT)[1]


async def test_a_chat_linked_days_after_the_order_marks_the_day_it_was_placed_for_the_dashboard(
        client: TestClient, telegram: FakeTelegram, clock: MovableClock) -> None:
    await Api(client).post("/api/v1/orders", ORDER)
    clock.advance(days=3)
    await post_update(client, contact_update(CHAT, "+84987654321"))
    await replies(telegram, 2)
    runtime = runtime_of(client)
    async with runtime.sessions() as db:
        placed = await db.scalar(select(Order.created_at).where(Order.code == "HM1001"))
        marked = await dirty_days(db, local_day(clock(), runtime.settings.zone))
    assert placed is not None and marked == {local_day(placed, runtime.settings.zone)}


async def test_a_start_link_from_the_shop_links_the_chat(client: TestClient, telegram: FakeTelegram) -> None:
    await Api(client).post("/api/v1/orders", ORDER)
    runtime = runtime_of(client)
    token = make_token(runtime.secret, "HM1001", runtime.clock().date().replace(year=2027))
    await post_update(client, text_update(CHAT, f"/start {token}"))
    assert "HM1001" in (await replies(telegram, 2))[-1]


async def test_the_same_update_delivered_five_times_gets_one_reply(client: TestClient, telegram: FakeTelegram) -> None:
    await Api(client).post("/api/v1/orders", ORDER)
    update = text_update(CHAT, "HM1001")
    statuses = await asyncio.gather(*(post_update(client, update) for _ in range(5)))
    assert statuses == [200] * 5
    await replies(telegram, 1)
    await asyncio.sleep(0.3)
    assert len(telegram.texts_to(CHAT)) == 1


@pytest.mark.parametrize("headers, status", [({}, 403), ({"X-Telegram-Bot-Api-Secret-Token": "wrong"}, 403)])
async def test_a_missing_or_wrong_secret_is_refused_and_nothing_is_sent(
    client: TestClient, telegram: FakeTelegram, headers: dict[str, str], status: int
) -> None:
    assert await post_update(client, text_update(CHAT, "HM1001"), headers) == status
    await asyncio.sleep(0.2)
    assert telegram.sent() == []


async def test_malformed_json_is_a_400_with_a_reason(client: TestClient) -> None:
    response = await client.post("/webhooks/telegram", data=b"{not json", headers=SECRET)
    assert response.status == 400
    assert "JSON" in (await response.json())["detail"]


async def test_unknown_update_types_are_acknowledged_and_ignored(client: TestClient, telegram: FakeTelegram) -> None:
    member = {"update_id": 90001, "my_chat_member": {"chat": {"id": CHAT, "type": "private"}, "from": {"id": CHAT, "is_bot": False, "first_name": "L"}, "date": 0,
              "old_chat_member": {"status": "member", "user": {"id": 1, "is_bot": True, "first_name": "b"}},
              "new_chat_member": {"status": "kicked", "user": {"id": 1, "is_bot": True, "first_name": "b"}, "until_date": 0}}}
    assert await post_update(client, member) == 200
    await asyncio.sleep(0.2)
    assert telegram.sent() == []


async def test_an_unverified_phone_gets_no_order_details(client: TestClient, telegram: FakeTelegram) -> None:
    await Api(client).post("/api/v1/orders", ORDER)
    await post_update(client, text_update(CHAT, "số điện thoại em là 0987654321, đơn em tới đâu rồi"))
    answer = (await replies(telegram, 1))[0]
    assert "HM1001" not in answer and "LBK3X7QH" not in answer and "Đang vận chuyển" not in answer


async def test_a_forwarded_contact_is_not_a_verified_phone(client: TestClient, telegram: FakeTelegram) -> None:
    await Api(client).post("/api/v1/orders", ORDER)
    await post_update(client, contact_update(CHAT, "0987654321", own=False))
    answer = (await replies(telegram, 1))[0]
    assert "HM1001" not in answer


async def test_after_a_handoff_the_bot_stays_silent(client: TestClient, telegram: FakeTelegram) -> None:
    await post_update(client, text_update(CHAT, "cho em gặp nhân viên"))
    assert "nhân viên" in (await replies(telegram, 1))[0]
    await post_update(client, text_update(CHAT, "HM1001 tới đâu rồi"))
    await asyncio.sleep(0.4)
    assert len(telegram.texts_to(CHAT)) == 1


async def test_a_tapped_button_is_answered_and_acted_on(client: TestClient, telegram: FakeTelegram) -> None:
    await post_update(client, text_update(CHAT, "chào shop"))
    await replies(telegram, 1)
    await post_update(client, callback_update(CHAT, buttons_of(telegram, 0)[1]))  # "Gặp nhân viên"
    assert "nhân viên" in (await replies(telegram, 2))[1]
    assert len(telegram.calls_to("answerCallbackQuery")) == 1


async def test_a_rate_limited_reply_is_retried_after_retry_after(
    client: TestClient, telegram: FakeTelegram, clock: MovableClock
) -> None:
    telegram.fail_next(429, "Too Many Requests: retry after 1", retry_after=1)
    await post_update(client, text_update(CHAT, "chào shop"))
    runtime = runtime_of(client)
    await asyncio.sleep(0.3)
    assert telegram.texts_to(CHAT) == []
    clock.advance(seconds=5)
    runtime.dispatcher.wake()
    assert "Chào" in (await replies(telegram, 1))[0]


async def test_the_order_api_gives_the_shop_signed_links_that_link_a_chat(client: TestClient, telegram: FakeTelegram) -> None:
    await Api(client).post("/api/v1/orders", ORDER)
    _, order = await Api(client).get("/api/v1/orders/HM1001")
    link = order["links"]["telegram"]
    assert link.startswith("https://t.me/haumai_test_bot?start=") and "/chat?t=" in order["links"]["web"]
    await post_update(client, text_update(CHAT, f"/start {link.split('start=')[1]}"))
    assert "HM1001" in (await replies(telegram, 2))[-1]


async def test_an_unlinked_customer_is_offered_telegrams_own_share_phone_button(client: TestClient, telegram: FakeTelegram) -> None:
    """Telegram vouches for the phone a contact button shares (docs/platforms.md §4)."""
    assert await post_update(client, text_update(CHAT, "đơn hàng của tôi tới đâu rồi")) == 200
    assert "Chia sẻ số điện thoại" in (await replies(telegram, 1))[0]
    keys = [key for row in telegram.sent()[0]["reply_markup"]["keyboard"] for key in row]
    assert keys[0] == {"text": "📱 Chia sẻ số điện thoại", "request_contact": True}
