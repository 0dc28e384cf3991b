"""A turn batch claims the replies it wrote and hands them to the dispatcher as it commits."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta, timezone
from typing import AsyncIterator

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.config import Settings
from bot.coordination import Coordinator, make_coordinator
from bot.handover import Claimed, HandOver
from bot.ingest import Accepted
from bot.live_settings import LiveSettings
from bot.outbox import OutboxBody, OutboxKind, OutboxMessage, enqueue
from bot.pipeline import Next, Pipeline
from bot.processing import Processor
from bot.storage.engine import make_sessionmaker
from bot.storage.models import Outbox
from bot.supervisor import Supervisor
from bot.turn import Services, Turn
from channels.models import Address, ChannelKind, Kind, Message, OutboundMessage, SendResult
from content.renderer import Renderer
from scheduler.dispatcher import LEASE, Dispatcher
from scheduler.sweeper import expire_claims
from tests.conftest import Backend
from tests.recording_channel import RecordingChannel

NOW = datetime(2026, 11, 24, 3, 0, tzinfo=timezone.utc)  # 10:00 in Vietnam: outside quiet hours


class HeldChannel(RecordingChannel):
    """A provider that holds the first request until released: a slow send still in flight."""

    def __init__(self) -> None:
        super().__init__()
        self.release = asyncio.Event()
        self.started: list[str] = []

    async def send(self, message: OutboundMessage) -> SendResult:
        self.started.append(message.text)
        if len(self.started) == 1:
            await self.release.wait()
        return await super().send(message)


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


class Env:
    def __init__(self, engine: AsyncEngine, coordinator: Coordinator) -> None:
        self.sessions: async_sessionmaker[AsyncSession] = make_sessionmaker(engine)
        self.settings = Settings.from_env({}, read_dotenv=False)
        self.clock = Clock()
        self.channel: RecordingChannel = RecordingChannel()
        self.coordinator = coordinator
        self.wakes: list[bool] = []  # per batch: whether it left a row pending for a round to wake for
        self.supervisor = Supervisor()

    def dispatcher(self, name: str = "one") -> Dispatcher:
        return Dispatcher(self.sessions, {"telegram": self.channel}, self.coordinator, self.settings,
                          clock=self.clock, instance_id=name)

    def processor(self, pipeline: Pipeline, hand_over: HandOver) -> Processor:
        services = Services(LiveSettings(self.settings), Renderer(), b"s" * 32, self.clock)

        async def committed(left_pending: bool) -> None:
            self.wakes.append(left_pending)

        processor = Processor(self.sessions, pipeline, services, {}, committed, hand_over=hand_over)
        processor.start(self.supervisor)
        return processor

    async def batch(self, processor: Processor, accepted: Accepted) -> bool:
        """One turn batch, committed; returns whether it left a row pending."""
        before = len(self.wakes)
        processor.submit(accepted)
        for _ in range(1000):
            if len(self.wakes) > before:
                return self.wakes[-1]
            await asyncio.sleep(0.01)
        raise AssertionError("the batch never committed")

    async def statuses(self) -> dict[str, str]:
        async with self.sessions() as session:
            return {key: status for key, status in await session.execute(select(Outbox.dedupe_key, Outbox.status))}

    async def until_sent(self, count: int) -> None:
        for _ in range(1000):
            if list((await self.statuses()).values()).count("sent") >= count:
                return
            await asyncio.sleep(0.01)
        raise AssertionError(f"{count} rows never sent: {await self.statuses()}")


@pytest.fixture
async def env(backend: Backend, engine: AsyncEngine) -> AsyncIterator[Env]:
    coordinator = make_coordinator(backend.redis_url, namespace=f"handover{id(engine)}")
    made = Env(engine, coordinator)
    yield made
    await made.supervisor.stop()
    await coordinator.aclose()


def said(n: int, text: str, user: str = "u1") -> Accepted:
    return Accepted(n, Message(id=str(n), sender=Address(ChannelKind.TELEGRAM, user), kind=Kind.TEXT,
                               received_at=NOW, text=text))


async def echo(turn: Turn, next_step: Next) -> None:
    await turn.reply("coupon/none")


def replying() -> Pipeline:
    pipeline = Pipeline()
    pipeline.register(echo)
    return pipeline


async def test_a_reply_is_sent_without_waking_a_dispatch_round(env: Env) -> None:
    dispatcher = env.dispatcher()
    processor = env.processor(replying(), dispatcher.hand_over)
    assert not await env.batch(processor, said(1, "hi"))  # nothing left pending: no round to wake
    await env.until_sent(1)
    assert len(env.channel.sent) == 1 and env.channel.sent[0].key == "reply:1:1"


async def test_a_customers_replies_from_consecutive_batches_arrive_in_order(env: Env) -> None:
    env.channel = held = HeldChannel()
    dispatcher = env.dispatcher()

    async def numbered(turn: Turn, next_step: Next) -> None:
        await turn.reply("coupon/none")
        await turn.reply("coupon/none")

    pipeline = Pipeline()
    pipeline.register(numbered)
    processor = env.processor(pipeline, dispatcher.hand_over)
    await env.batch(processor, said(1, "first"))
    while not held.started:
        await asyncio.sleep(0.01)  # the first batch's first reply is in flight, held by the provider
    await env.batch(processor, said(2, "second"))
    for _ in range(20):
        await asyncio.sleep(0.01)  # time enough for the second batch's replies to overtake, were they let
    held.release.set()
    await env.until_sent(4)
    assert [m.key for m in held.sent] == ["reply:1:1", "reply:1:2", "reply:2:1", "reply:2:2"]


async def test_a_reply_handed_over_by_a_process_that_died_is_sent_after_its_lease(env: Env) -> None:
    lost: list[Claimed] = []
    dead = HandOver("dead", LEASE, lost.extend)  # committed, then the process died before sending
    await env.batch(env.processor(replying(), dead), said(1, "hi"))
    assert [row.dedupe_key for row in lost] == ["reply:1:1"]
    assert await env.statuses() == {"reply:1:1": "claimed"}
    survivor = env.dispatcher("survivor")
    assert await survivor.run_once() == 0  # fenced: the claim is the dead process's until its lease ends
    env.clock.now = NOW + LEASE + timedelta(seconds=2)
    await expire_claims(env.sessions, env.clock)
    assert await survivor.run_once() == 1
    assert await env.statuses() == {"reply:1:1": "sent"}
    assert [m.key for m in env.channel.sent] == ["reply:1:1"]


async def test_a_message_not_due_yet_stays_pending_for_a_round_which_the_batch_wakes(env: Env) -> None:
    dispatcher = env.dispatcher()

    async def reply_and_plan(turn: Turn, next_step: Next) -> None:
        await turn.reply("coupon/none")
        await enqueue(turn.session, OutboxMessage(
            key="later", kind=OutboxKind.REMINDER, to=turn.message.sender, body=OutboxBody("later"),
            due_at=NOW + timedelta(days=1), contact_id=turn.party.contact.id, conversation_id=None,
        ), now=NOW, with_batch=True)

    pipeline = Pipeline()
    pipeline.register(reply_and_plan)
    assert await env.batch(env.processor(pipeline, dispatcher.hand_over), said(1, "hi"))
    await env.until_sent(1)
    assert await env.statuses() == {"reply:1:1": "sent", "later": "pending"}
