"""The steps every message goes through: their documented order, a step that ends the path,
and a step registered by a test running in the real app."""

from __future__ import annotations

import inspect
from typing import Any

from aiohttp.test_utils import TestClient
from pytest_aiohttp import AiohttpClient
from sqlalchemy import Select, select, update

from app.web import create_app
from bot.pipeline import Next
from bot.storage.models import Contact, Conversation, InboundEvent, MessageRecord, Outbox, SurveyAnswer
from bot.turn import Turn
from handlers import build_pipeline
from tests.apps import MovableClock, eventually, runtime_of, settings_for
from tests.conftest import Backend
from tests.fakes.telegram import FakeTelegram, text_update
from tests.flows.conftest import telegram_env
from tests.flows.test_journey import CHAT as SURVEYED_CHAT
from tests.flows.test_journey import answered_csat, texts
from tests.flows.test_telegram_wismo import post_update, replies

CHAT = 888001
DOCUMENTED_ORDER = [
    "honour_withdrawal", "record_inbound", "read_numbered_choice", "classify_text", "read_clarified_intent",
    "remember_language", "leave_to_staff", "take_awaited",
    "route", "opt_in_by_keyword", "take_comment",
]


class Spy:
    """A step a test registers: it notes each message it sees and the handler routing chose."""

    def __init__(self, *, passes_on: bool = True) -> None:
        self.passes_on = passes_on
        self.seen: list[tuple[str, str | None]] = []

    async def __call__(self, turn: Turn, next_step: Next) -> None:
        self.seen.append((turn.message.text, turn.handler.__name__ if turn.handler else None))
        if self.passes_on:
            await next_step(turn)


def registered(client: TestClient, spy: Spy) -> Spy:
    runtime_of(client).processor.pipeline.register(spy)
    return spy


async def settled(client: TestClient, count: int) -> list[str]:
    """The statuses of the inbound events once `count` of them have finished."""

    async def finished() -> list[str] | None:
        async with runtime_of(client).sessions() as db:
            statuses = list(await db.scalars(select(InboundEvent.status).order_by(InboundEvent.id)))
        return statuses if len(statuses) >= count and "processing" not in statuses else None

    return await eventually(finished)


async def stored(client: TestClient, query: Select[tuple[Any]]) -> list[Any]:
    async with runtime_of(client).sessions() as db:
        return list(await db.scalars(query))


def inbound(column: Any) -> Select[tuple[Any]]:
    return select(column).where(MessageRecord.direction == "in").order_by(MessageRecord.id)


def test_the_steps_run_in_the_documented_order() -> None:
    assert [step.__name__ for step in build_pipeline().steps] == DOCUMENTED_ORDER


def test_every_step_says_why_it_sits_where_it_sits() -> None:
    assert all(inspect.getdoc(step) for step in build_pipeline().steps)


async def test_a_step_registered_in_a_test_runs_after_routing_and_before_the_handler(
    client: TestClient, telegram: FakeTelegram
) -> None:
    spy = registered(client, Spy())
    await post_update(client, text_update(CHAT, "xin chào shop"))
    greeting = (await replies(telegram, 1, CHAT))[0]
    assert spy.seen == [("xin chào shop", "greet")] and greeting.startswith("Chào")


async def test_a_step_that_does_not_call_the_next_ends_the_path_yet_the_message_is_recorded(
    client: TestClient, telegram: FakeTelegram
) -> None:
    spy = registered(client, Spy(passes_on=False))
    await post_update(client, text_update(CHAT, "xin chào shop"))
    assert await settled(client, 1) == ["done"]
    assert spy.seen == [("xin chào shop", "greet")]
    assert await stored(client, inbound(MessageRecord.text)) == ["xin chào shop"]
    assert await stored(client, select(Outbox.id)) == []


async def test_human_mode_stops_the_path_before_routing_and_counts_the_message_unread(
    client: TestClient, telegram: FakeTelegram
) -> None:
    await post_update(client, text_update(CHAT, "cho em gặp nhân viên"))
    await replies(telegram, 1, CHAT)
    spy = registered(client, Spy())
    await post_update(client, text_update(CHAT, "đơn của em tới đâu rồi?"))
    assert await settled(client, 2) == ["done", "ignored"]
    assert spy.seen == []
    assert await stored(client, select(Conversation.unread)) == [2]
    assert await stored(client, inbound(MessageRecord.intent)) == ["talk_to_human", "where_is_my_order"]
    assert len(telegram.texts_to(CHAT)) == 1


async def test_a_restart_keyword_no_handler_claims_turns_proactive_messages_back_on(
    client: TestClient, telegram: FakeTelegram
) -> None:
    await post_update(client, text_update(CHAT, "đừng nhắn nữa"))
    await replies(telegram, 1, CHAT)
    await post_update(client, text_update(CHAT, "BẮT ĐẦU"))
    welcome = (await replies(telegram, 2, CHAT))[1]
    assert welcome.startswith("Chào mừng bạn quay lại")
    assert await stored(client, select(Contact.opted_out_at)) == [None]
    assert await stored(client, select(Contact.notices_off)) == [False]


async def test_a_restart_keyword_restarts_even_where_the_classifier_would_ask_what_was_meant(
    aiohttp_client: AiohttpClient, backend: Backend, clock: MovableClock, telegram: FakeTelegram
) -> None:
    sure_of_nothing = settings_for(backend, **telegram_env(telegram), HAUMAI_NLU_CONFIDENCE="1.0")
    client = await aiohttp_client(create_app(sure_of_nothing, clock=clock))
    await post_update(client, text_update(CHAT, "xin chào"))
    await replies(telegram, 1, CHAT)
    async with runtime_of(client).sessions.begin() as db:  # opted out earlier
        await db.execute(update(Contact).values(opted_out_at=clock(), notices_off=True))
    await post_update(client, text_update(CHAT, "bat dau"))
    welcome = (await replies(telegram, 2, CHAT))[1]
    assert welcome.startswith("Chào mừng bạn quay lại")
    assert await stored(client, select(Contact.opted_out_at)) == [None]


async def test_a_message_a_handler_understood_leaves_the_survey_comment_awaited(
    client: TestClient, telegram: FakeTelegram, clock: MovableClock
) -> None:
    await answered_csat(client, telegram, clock, stars=4)
    for count, typed in enumerate(["cảm ơn shop", "đóng gói hơi sơ sài một chút"], start=4):
        await post_update(client, text_update(SURVEYED_CHAT, typed))
        await texts(telegram, count)
    assert await stored(client, select(SurveyAnswer.comment)) == ["đóng gói hơi sơ sài một chút"]
