"""The dispatcher sends each due outbox row once, in order per recipient, fenced by its lease."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta, timezone
from typing import AsyncIterator

import pytest
from sqlalchemy import func, select

from bot.config import Settings
from bot.coordination import make_coordinator
from bot.outbox import Draft, enqueue, outbox_row
from bot.storage.engine import make_engine, make_sessionmaker
from bot.storage.models import Outbox
from channels.base import DeliveryUnknown, RetryLater
from channels.models import Address, ChannelKind
from scheduler.dispatcher import Dispatcher
from tests.conftest import Backend
from tests.recording_channel import RecordingChannel

NOW = datetime(2026, 11, 24, 3, 0, tzinfo=timezone.utc)  # 10:00 in Vietnam: outside quiet hours


class Env:
    def __init__(self, backend: Backend) -> None:
        self.engine = make_engine(backend.database_url)
        self.sessions = make_sessionmaker(self.engine)
        self.settings = Settings.from_env({"HAUMAI_DATABASE_URL": backend.database_url}, read_dotenv=False)
        self.channel = RecordingChannel()
        self.coordinator = make_coordinator(backend.redis_url, namespace=f"t{id(self)}")

    def dispatcher(self, name: str = "one", **kwargs: object) -> Dispatcher:
        return Dispatcher(
            self.sessions, {"web": self.channel}, self.coordinator, self.settings,
            clock=lambda: NOW, instance_id=name, **kwargs,  # type: ignore[arg-type]
        )

    async def add(self, count: int, *, users: int = 1, kind: str = "reply") -> None:
        async with self.sessions.begin() as session:
            for n in range(count):
                await enqueue(session, outbox_row(
                    key=f"k{n}", kind=kind, to=Address(ChannelKind.WEB, f"u{n % users}"),
                    draft=Draft(f"message {n}"), due_at=NOW, now=NOW, contact_id=None, conversation_id=None,
                ))

    async def statuses(self) -> dict[str, int]:
        async with self.sessions() as session:
            rows = await session.execute(select(Outbox.status, func.count()).group_by(Outbox.status))
            return dict(rows.all())  # type: ignore[arg-type]


@pytest.fixture
async def env(backend: Backend) -> AsyncIterator[Env]:
    made = Env(backend)
    yield made
    await made.coordinator.aclose()
    await made.engine.dispose()


async def test_a_due_row_is_sent_and_marked_sent(env: Env) -> None:
    await env.add(1)
    assert await env.dispatcher().run_once() == 1
    assert [m.text for m in env.channel.sent] == ["message 0"]
    assert await env.statuses() == {"sent": 1}


async def test_a_sent_row_is_not_sent_again(env: Env) -> None:
    await env.add(1)
    await env.dispatcher().run_once()
    assert await env.dispatcher().run_once() == 0
    assert len(env.channel.sent) == 1


async def test_the_same_dedupe_key_is_queued_once(env: Env) -> None:
    await env.add(1)
    await env.add(1)
    assert await env.statuses() == {"pending": 1}


async def test_rate_limited_send_is_retried_after_retry_after(env: Env) -> None:
    env.channel.errors.append(RetryLater("429", retry_after=30))
    await env.add(1)
    await env.dispatcher().run_once()
    async with env.sessions() as session:
        row = await session.scalar(select(Outbox))
    assert row is not None and row.status == "pending" and row.attempts == 1
    assert row.due_at >= NOW + timedelta(seconds=30)


async def test_a_send_that_timed_out_after_sending_is_marked_unknown(env: Env) -> None:
    env.channel.errors.append(DeliveryUnknown("timed out"))
    await env.add(1)
    await env.dispatcher().run_once()
    assert await env.statuses() == {"unknown": 1}


async def test_messages_to_one_recipient_keep_their_order(env: Env) -> None:
    await env.add(20, users=1)
    await env.dispatcher().run_once()
    assert [m.text for m in env.channel.sent] == [f"message {n}" for n in range(20)]


async def test_concurrent_dispatchers_send_each_row_exactly_once(env: Env) -> None:
    env.channel.delay = 0.001
    await env.add(500, users=50)
    dispatchers = [env.dispatcher(f"d{i}", batch_size=25) for i in range(4)]

    async def drain(dispatcher: Dispatcher) -> None:
        while await dispatcher.run_once():
            pass

    await asyncio.gather(*(drain(d) for d in dispatchers))
    keys = [m.key for m in env.channel.sent]
    assert len(keys) == 500 and len(set(keys)) == 500
    assert await env.statuses() == {"sent": 500}
