"""Messenger: signed webhooks over raw bytes, replies in the window, HUMAN_AGENT after it."""

from __future__ import annotations

import asyncio
import json

import pytest
from aiohttp.test_utils import TestClient
from pytest_aiohttp import AiohttpClient

from app.web import create_app
from tests.apps import Api, MovableClock, a_status_after_silence, after_decision, arrived, decided_notice, settings_for
from tests.conftest import Backend
from tests.fakes.graph import APP_SECRET, PAGE_TOKEN, VERIFY_TOKEN, FakeGraph, signed, text_event

PSID = "6001234567"


@pytest.fixture
async def messenger(aiohttp_client: AiohttpClient, backend: Backend, graph: FakeGraph, clock: MovableClock) -> TestClient:
    settings = settings_for(
        backend, HAUMAI_MESSENGER_PAGE_TOKEN=PAGE_TOKEN, HAUMAI_MESSENGER_APP_SECRET=APP_SECRET,
        HAUMAI_MESSENGER_VERIFY_TOKEN=VERIFY_TOKEN, HAUMAI_MESSENGER_API_BASE=f"{graph.base}/v23.0",
    )
    return await aiohttp_client(create_app(settings, clock=clock))


async def say(client: TestClient, text: str, mid: str) -> int:
    raw, headers = signed(text_event(PSID, text, mid))
    return (await client.post("/webhooks/messenger", data=raw, headers=headers)).status


async def answers(graph: FakeGraph, count: int) -> list[str]:
    return await arrived(lambda: graph.texts_to(PSID), count)


async def greeted(messenger: TestClient, graph: FakeGraph, mid: str) -> None:
    """The customer says hello and has the bot's answer: Messenger's 24 h window opens now."""
    await say(messenger, "chào shop", mid)
    await answers(graph, 1)


async def test_the_verification_handshake_echoes_the_challenge(messenger: TestClient) -> None:
    query = {"hub.mode": "subscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "1158201444"}
    response = await messenger.get("/webhooks/messenger", params=query)
    assert response.status == 200 and await response.text() == "1158201444"


async def test_a_wrong_verify_token_is_refused(messenger: TestClient) -> None:
    query = {"hub.mode": "subscribe", "hub.verify_token": "nope", "hub.challenge": "1"}
    assert (await messenger.get("/webhooks/messenger", params=query)).status == 403


async def test_a_vietnamese_question_is_answered_with_the_page_token_in_a_header(messenger: TestClient, graph: FakeGraph) -> None:
    await Api(messenger).post("/api/v1/orders", {"code": "HM8001", "customer": {"name": "Lan"}, "status": "confirmed"})
    assert await say(messenger, "đơn HM8001 tới đâu rồi ạ", "mid.1") == 200
    assert "HM8001" in (await answers(graph, 1))[0]
    request = graph.requests[0]
    assert request["body"]["messaging_type"] == "RESPONSE" and request["authorization"] == f"Bearer {PAGE_TOKEN}"
    assert "access_token" not in request["query"]


@pytest.mark.parametrize("tamper", ["one_byte", "missing", "wrong_secret", "reserialised"])
async def test_a_tampered_or_unsigned_webhook_is_refused_and_nothing_processed(
    messenger: TestClient, graph: FakeGraph, tamper: str
) -> None:
    raw, headers = signed(text_event(PSID, "chào shop ạ", "mid.2"))
    if tamper == "one_byte":
        raw = raw.replace(b"mid.2", b"mid.3")
    elif tamper == "missing":
        headers.pop("X-Hub-Signature-256")
    elif tamper == "wrong_secret":
        headers = signed(text_event(PSID, "chào shop ạ", "mid.2"), secret="other")[1]
    else:
        raw = json.dumps(json.loads(raw), ensure_ascii=False).encode()  # what Meta did not sign
    assert (await messenger.post("/webhooks/messenger", data=raw, headers=headers)).status == 403
    await asyncio.sleep(0.2)
    assert graph.requests == []


async def test_echoes_of_the_pages_own_messages_are_ignored(messenger: TestClient, graph: FakeGraph) -> None:
    echo = text_event(PSID, "hello", "mid.echo")
    echo["entry"][0]["messaging"][0]["message"]["is_echo"] = True
    raw, headers = signed(echo)
    assert (await messenger.post("/webhooks/messenger", data=raw, headers=headers)).status == 200
    await asyncio.sleep(0.2)
    assert graph.requests == []


async def test_a_notice_25_hours_after_the_last_message_is_skipped_with_the_reason(
    messenger: TestClient, graph: FakeGraph, clock: MovableClock
) -> None:
    await greeted(messenger, graph, "mid.4")
    await a_status_after_silence(messenger, clock, "HM8002", "messenger", PSID, hours=25)
    notice = await decided_notice(messenger, "HM8002")
    assert notice["status"] == "skipped_policy" and "24 h window" in notice["reason"]
    assert all(r["body"].get("tag") not in ("POST_PURCHASE_UPDATE", "ACCOUNT_UPDATE", "CONFIRMED_EVENT_UPDATE") for r in graph.requests)


async def test_a_notice_23_hours_after_the_last_message_is_sent_plainly(
    messenger: TestClient, graph: FakeGraph, clock: MovableClock
) -> None:
    await greeted(messenger, graph, "mid.5")
    await a_status_after_silence(messenger, clock, "HM8003", "messenger", PSID, hours=23)
    await answers(graph, 2)
    assert graph.requests[-1]["body"]["messaging_type"] == "RESPONSE"


async def test_a_rate_limited_send_is_retried(messenger: TestClient, graph: FakeGraph, clock: MovableClock) -> None:
    graph.fail_next(400, 613, message="(#613) Calls to this api have exceeded the rate limit.")
    await say(messenger, "chào shop", "mid.6")
    await after_decision(messenger, clock, "pending", "RetryLater", seconds=10)
    assert "Chào" in (await answers(graph, 1))[0]


async def test_a_person_who_blocked_the_page_is_not_retried(messenger: TestClient, graph: FakeGraph, clock: MovableClock) -> None:
    graph.fail_next(400, 551, message="This person isn't available right now.")
    await say(messenger, "chào shop", "mid.7")
    await after_decision(messenger, clock, "failed", "RecipientUnreachable", minutes=30)
    await asyncio.sleep(0.2)
    assert len(graph.requests) == 1


async def test_an_unlinked_customer_is_asked_for_the_shops_link_not_for_the_profile_phone(
    messenger: TestClient, graph: FakeGraph
) -> None:
    """Messenger's phone quick reply returns a payload the customer controls, so it proves nothing
    (docs/platforms.md §4): the prompt offers the shop's signed link instead."""
    assert await say(messenger, "đơn hàng của tôi tới đâu rồi", "mid.ask") == 200
    prompt = (await answers(graph, 1))[0]
    quick_replies = graph.requests[0]["body"]["message"].get("quick_replies", [])
    assert "đường link" in prompt and "Chia sẻ số điện thoại" not in prompt
    assert all(reply["content_type"] == "text" for reply in quick_replies)
