"""Durable, deduplicated acceptance of inbound events, with group commit.

A webhook must not answer 200 before its events are stored, yet one transaction per
request caps SQLite at a few hundred acks/s. Requests therefore queue their events and a
single writer stores whatever has queued up in one transaction (group commit), then wakes
every waiting request. The UNIQUE(channel, provider_event_id) constraint is the dedupe
truth; the coordinator's memory only spares the database obvious retries.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import Clock
from bot.codec import message_to_payload
from bot.coordination import Coordinator
from bot.storage.dialect import insert_ignoring_conflicts
from bot.storage.models import InboundEvent
from channels.models import Message

DEDUPE_TTL_SECONDS = 3 * 24 * 3600  # longer than Zalo's and Meta's retry schedules
PROCESSING_LEASE = timedelta(seconds=60)


@dataclass(frozen=True, slots=True)
class Accepted:
    """A newly stored event this replica now owns (its lease is ours)."""

    event_id: int
    message: Message


@dataclass(slots=True)
class _Pending:
    messages: list[Message]
    done: asyncio.Future[list[Accepted]]


def _dedupe_key(message: Message) -> str:
    return f"in:{message.sender.channel}:{message.id}"


class Ingestor:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        coordinator: Coordinator,
        *,
        instance_id: str,
        clock: Clock,
        max_batch: int = 500,
    ) -> None:
        self._sessions = sessions
        self._coordinator = coordinator
        self._instance_id = instance_id
        self._clock = clock
        self._max_batch = max_batch
        self._queue: asyncio.Queue[_Pending] = asyncio.Queue()
        self._writer: asyncio.Task[None] | None = None
        self._waiting = 0

    async def webhooks_first(self, max_wait: float = 0.5) -> None:
        """Background work (turns, sends) holds the event loop and SQLite's one connection for
        tens of ms: webhooks waiting for their 200 go first (Zalo retries after 2 s), for at most
        `max_wait`, so a long burst still leaves room for replies."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + max_wait
        while self._waiting and loop.time() < deadline:
            await asyncio.sleep(0.002)

    def start(self) -> None:
        self._writer = asyncio.create_task(self._write_forever(), name="ingest-writer")

    async def stop(self) -> None:
        if self._writer is not None:
            self._writer.cancel()
            await asyncio.gather(self._writer, return_exceptions=True)

    async def accept(self, messages: list[Message]) -> list[Accepted]:
        """Store the events not seen before; return them once committed."""
        known = await self._coordinator.known([_dedupe_key(m) for m in messages])
        fresh = [m for m in messages if _dedupe_key(m) not in known]
        if not fresh:
            return []
        pending = _Pending(fresh, asyncio.get_running_loop().create_future())
        self._queue.put_nowait(pending)
        self._waiting += 1
        try:
            return await pending.done
        finally:
            self._waiting -= 1

    async def _write_forever(self) -> None:
        while True:
            batch = [await self._queue.get()]
            while not self._queue.empty() and len(batch) < self._max_batch:
                batch.append(self._queue.get_nowait())
            await self._write(batch)

    async def _write(self, batch: list[_Pending]) -> None:
        try:
            stored = await self._store([m for p in batch for m in p.messages])
        except Exception as error:  # every waiting request must hear about it (it answers 5xx)
            for pending in batch:
                if not pending.done.done():
                    pending.done.set_exception(error)
            return
        await self._coordinator.remember(list(stored), DEDUPE_TTL_SECONDS)  # only once durable
        for pending in batch:  # a retry in the same batch as its original gets nothing
            accepted = [
                Accepted(stored.pop(_dedupe_key(m)), m) for m in pending.messages if _dedupe_key(m) in stored
            ]
            if not pending.done.done():
                pending.done.set_result(accepted)

    async def _store(self, messages: list[Message]) -> dict[str, int]:
        now = self._clock()
        rows = [
            {
                "channel": m.sender.channel.value,
                "provider_event_id": m.id,
                "payload": message_to_payload(m),
                "status": "processing",
                "claimed_by": self._instance_id,
                "lease_until": now + PROCESSING_LEASE,
                "attempts": 1,
                "received_at": now,
            }
            for m in {_dedupe_key(m): m for m in messages}.values()
        ]
        async with self._sessions.begin() as session:
            statement = insert_ignoring_conflicts(session, InboundEvent).returning(
                InboundEvent.id, InboundEvent.channel, InboundEvent.provider_event_id
            )
            result = await session.execute(statement, rows)
            return {f"in:{channel}:{event_id}": row_id for row_id, channel, event_id in result}
