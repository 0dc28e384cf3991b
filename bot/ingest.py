"""Durable, deduplicated acceptance of inbound events, with group commit.

A webhook must not answer 200 before its events are stored, yet one transaction per
request caps SQLite at a few hundred acks/s. Requests therefore queue their events and a
single writer stores whatever has queued up in one transaction (group commit), then wakes
every waiting request. The UNIQUE(channel, provider_event_id) constraint dedupes: a
provider's retry costs one index probe in the batch's INSERT. A Redis pre-check in front of it
(one MGET per webhook request, one SET per event after commit) cost more than it spared: about
4 % of a PostgreSQL + Redis burst's CPU, for retries that are rare (docs/performance.md).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.backlog import ACKS_WAITING
from bot.clock import Clock
from bot.codec import message_to_payload
from bot.group_commit import GroupCommit
from bot.supervisor import Supervisor
from bot.storage.dialect import insert_ignoring_conflicts
from bot.storage.models import EventStatus, InboundEvent
from channels.models import Message

PROCESSING_LEASE = timedelta(seconds=60)
MAX_ACK_WAIT = 0.5  # seconds background work may wait for the acks owed before it (take_turns)


@dataclass(frozen=True, slots=True)
class Accepted:
    """A newly stored event this replica now owns (its lease is ours)."""

    event_id: int
    message: Message


def _dedupe_key(message: Message) -> str:
    return f"in:{message.sender.channel}:{message.id}"


class Ingestor:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        *,
        instance_id: str,
        clock: Clock,
        max_batch: int = 500,
    ) -> None:
        self._sessions = sessions
        self._instance_id = instance_id
        self._clock = clock
        self._writes: GroupCommit[list[Message], list[Accepted]] = GroupCommit(
            sessions, self._store, max_batch=max_batch, name="ingest-writer"
        )
        self._unanswered: set[asyncio.Future[None]] = set()  # one per webhook request waiting for its commit

    async def take_turns(self, max_wait: float = MAX_ACK_WAIT) -> None:
        """Wait for the acknowledgements due before background work (a turn batch, a dispatch batch) runs.

        The policy: acks first, but bounded. Webhooks waiting for their 200 at the moment the
        work asks go first (a provider retries a slow ack: Zalo after 2 s), so the work waits
        for at most the group commits already owed to them, and never more than `max_wait`.
        Webhooks arriving after it asked wait for that one batch instead, and batches are
        capped (`TURN_BATCH`, the dispatcher's batch), so a burst of any length leaves turns
        and sends a share of every cycle: reply latency stays bounded while acks stay durable.
        The previous policy (wait while any webhook waits) let a steady burst starve replies.
        """
        owed = list(self._unanswered)
        if owed:
            await asyncio.wait(owed, timeout=max_wait)

    def start(self, supervisor: Supervisor) -> None:
        self._writes.start(supervisor)

    async def accept(self, messages: list[Message]) -> list[Accepted]:
        """Store the events not seen before; return them once committed (WriteFailed if not)."""
        if not messages:
            return []
        answered = asyncio.get_running_loop().create_future()
        self._unanswered.add(answered)
        ACKS_WAITING.inc()
        try:
            return await self._writes.submit(messages)
        finally:
            answered.set_result(None)
            self._unanswered.discard(answered)
            ACKS_WAITING.dec()

    async def _store(self, session: AsyncSession, requests: list[list[Message]]) -> list[list[Accepted]]:
        """One INSERT for every request in the batch; a retry in the same batch as its original gets nothing."""
        now = self._clock()
        unique = {_dedupe_key(m): m for messages in requests for m in messages}
        rows = [
            {
                "channel": m.sender.channel.value,
                "provider_event_id": m.id,
                "payload": message_to_payload(m),
                "status": EventStatus.PROCESSING.value,
                "claimed_by": self._instance_id,
                "lease_until": now + PROCESSING_LEASE,
                "attempts": 1,
                "received_at": now,
            }
            for m in unique.values()
        ]
        table = InboundEvent.__table__
        statement = insert_ignoring_conflicts(session, table, table.c.id, table.c.channel, table.c.provider_event_id)
        result = await session.execute(statement, rows)
        stored = {f"in:{channel}:{event_id}": row_id for row_id, channel, event_id in result}
        return [
            [Accepted(stored.pop(_dedupe_key(m)), m) for m in messages if _dedupe_key(m) in stored]
            for messages in requests
        ]
