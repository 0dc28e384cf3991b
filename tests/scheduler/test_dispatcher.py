"""The dispatcher sends each due outbox row once, in order per recipient, fenced by its lease."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta, timezone
from typing import Any, AsyncIterator

import pytest
from sqlalchemy import func, insert, select, update

from bot.config import Settings
from bot.coordination import make_coordinator
from bot.outbox import OutboxBody, OutboxKind, OutboxMessage, enqueue
from bot.storage.engine import make_engine, make_sessionmaker
from bot.storage.models import Outbox
from channels.base import DeliveryUnknown, RetryLater
from channels.models import Address, ChannelKind, OutboundMessage, Purpose, SendResult
from scheduler.dispatcher import LEASE, Dispatcher
from scheduler.sweeper import MAX_IN_DOUBT, expire_claims
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

    def dispatcher(self, name: str = "one", **kwargs: Any) -> Dispatcher:
        return Dispatcher(
            self.sessions, {"web": self.channel}, self.coordinator, self.settings,
            clock=lambda: NOW, instance_id=name, **kwargs,
        )

    async def add(self, count: int, *, users: int = 1) -> None:
        async with self.sessions.begin() as session:
            for n in range(count):
                await enqueue(session, message(f"k{n}", f"u{n % users}", f"message {n}"), now=NOW)

    async def store_as_written(self, row: dict[str, Any]) -> None:
        """A row as an older version or a hand-made fix stored it, past today's writer."""
        async with self.sessions.begin() as session:
            await session.execute(insert(Outbox), {**message("old", "u9", "x").row(NOW), **row})

    async def statuses(self) -> dict[str, int]:
        async with self.sessions() as session:
            rows = await session.execute(select(Outbox.status, func.count()).group_by(Outbox.status))
            return {status: count for status, count in rows.all()}

    async def rows(self) -> dict[str, Outbox]:
        async with self.sessions() as session:
            return {row.dedupe_key: row for row in await session.scalars(select(Outbox))}


def message(key: str, user: str, text: str) -> OutboxMessage:
    return OutboxMessage(key=key, kind=OutboxKind.REPLY, to=Address(ChannelKind.WEB, user), body=OutboxBody(text),
                         due_at=NOW, contact_id=None, conversation_id=None)


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


async def test_messages_to_one_recipient_keep_their_order_across_rounds_running_side_by_side(env: Env) -> None:
    env.channel.delay = 0.01  # each round is still sending when the next one claims
    await env.add(6, users=1)
    dispatcher = env.dispatcher(batch_size=2)
    assert await asyncio.gather(*(dispatcher.run_once() for _ in range(3))) == [2, 2, 2]
    assert [m.text for m in env.channel.sent] == [f"message {n}" for n in range(6)]


class HeldChannel(RecordingChannel):
    """Requests start, and hang until released: a slow provider."""

    def __init__(self) -> None:
        super().__init__()
        self.started: list[str] = []
        self.release = asyncio.Event()

    async def send(self, message: OutboundMessage) -> SendResult:
        self.started.append(message.key)
        await self.release.wait()
        return await super().send(message)


async def test_the_next_turn_batch_waits_until_the_replies_claimed_are_started_but_not_for_the_provider(env: Env) -> None:
    env.channel = held = HeldChannel()
    await env.add(3, users=2)  # u0: k0 then k2 (which waits for k0's request), u1: k1
    dispatcher = env.dispatcher()
    round_ = asyncio.create_task(dispatcher.next_round())
    await asyncio.sleep(0)  # the round waits to be woken
    dispatcher.wake()
    await asyncio.wait_for(dispatcher.sends_started(max_wait=60), timeout=10)
    assert sorted(held.started) == ["k0", "k1"]
    held.release.set()
    await round_
    assert await env.statuses() == {"sent": 3}


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


class OddProvider(RecordingChannel):
    """Answers one message with an id no database driver can encode (a lone surrogate)."""

    async def send(self, message: OutboundMessage) -> SendResult:
        result = await super().send(message)
        return SendResult(provider_id="\ud800") if message.key == "k3" else result


class GatedChannel(RecordingChannel):
    """Holds the send of one message until the test opens the gate."""

    def __init__(self, held_key: str) -> None:
        super().__init__()
        self.held_key, self.gate, self.holding = held_key, asyncio.Event(), asyncio.Event()

    async def send(self, message: OutboundMessage) -> SendResult:
        if message.key == self.held_key:
            self.holding.set()
            await self.gate.wait()
        return await super().send(message)


@pytest.mark.parametrize("written", [
    {"recipient": "no channel here"},
    {"body": {"text": "hi", "purpose": "shouting"}},
    {"body": {"text": "hi", "buttons": [["a title without its action"]]}},
], ids=["recipient", "purpose", "buttons"])
async def test_a_malformed_row_fails_alone_and_the_rest_of_its_batch_is_sent(env: Env, written: dict[str, Any]) -> None:
    await env.add(5, users=5)
    await env.store_as_written(written)
    assert await env.dispatcher().run_once() == 6
    rows = await env.rows()
    assert rows.pop("old").status == "failed"
    assert {row.status for row in rows.values()} == {"sent"} and len(env.channel.sent) == 5


@pytest.mark.parametrize("body", [
    {"text": "hi"},
    {"text": "hi", "buttons": [], "request_phone": False, "purpose": "reply"},
    {"text": "hi", "request_phone": None, "vars": None, "a_key_no_version_reads": 1},
], ids=["text-only", "share-phone-as-a-flag", "nulls-and-extra-keys"])
async def test_a_body_an_older_version_stored_is_sent_as_it_always_was(env: Env, body: dict[str, Any]) -> None:
    await env.store_as_written({"body": body})
    await env.dispatcher().run_once()
    [sent] = env.channel.sent
    assert (sent.text, sent.purpose, sent.buttons, sent.request_phone) == ("hi", Purpose.REPLY, (), "")
    assert await env.statuses() == {"sent": 1}


async def test_an_outcome_the_database_refuses_is_stored_without_it_and_the_batch_still_finishes(env: Env) -> None:
    env.channel = OddProvider()
    await env.add(6, users=6)
    await env.dispatcher().run_once()
    rows = await env.rows()
    odd = rows.pop("k3")
    assert odd.status == "sent" and odd.provider_message_id is None and "could not be stored" in (odd.last_error or "")
    assert all(row.status == "sent" and row.provider_message_id for row in rows.values())


async def test_a_replica_whose_claim_expired_does_not_send_what_was_given_back(env: Env) -> None:
    env.channel = GatedChannel(held_key="k0")
    await env.add(2, users=1)  # one recipient: k1 waits behind k0, claimed but not started
    slow = asyncio.create_task(env.dispatcher("slow").run_once())
    await env.channel.holding.wait()
    await expire_claims(env.sessions, lambda: NOW + LEASE + timedelta(seconds=2))
    assert await env.statuses() == {"pending": 2}  # k1 never started; k0 is in doubt, so sent again
    env.channel.gate.set()
    await slow
    assert [m.key for m in env.channel.sent] == ["k0"]  # the slow replica did not start k1
    assert await env.dispatcher("other").run_once() == 2
    assert [m.key for m in env.channel.sent] == ["k0", "k0", "k1"]
    assert await env.statuses() == {"sent": 2}


async def test_a_row_that_keeps_dying_with_its_sender_is_left_unknown(env: Env) -> None:
    await env.add(1)
    for _ in range(MAX_IN_DOUBT):
        async with env.sessions.begin() as session:  # as a replica killed mid-send leaves it
            await session.execute(update(Outbox).values(status="sending", lease_until=NOW, claim_token="gone"))
        await expire_claims(env.sessions, lambda: NOW + LEASE)
    assert await env.statuses() == {"unknown": 1}


async def test_a_round_lets_the_webhooks_owed_go_before_each_of_its_batches(env: Env) -> None:
    await env.add(5, users=5)
    shares: list[None] = []

    async def take_turns() -> None:
        shares.append(None)

    dispatcher = env.dispatcher(batch_size=2, take_turns=take_turns)
    dispatcher.wake()
    await dispatcher.next_round()
    assert await env.statuses() == {"sent": 5}
    assert len(shares) == 3  # batches of 2, 2 and 1
