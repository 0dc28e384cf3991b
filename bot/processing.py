"""Processing accepted inbound events: the single error boundary of the bot.

Runs after the webhook has answered 200. What happens to each message is the pipeline's
(`bot.pipeline`); this module only moves batches through it. Everything a turn decides (the
inbound message, state changes, replies in the outbox, the event marked done) commits
together, so a crash mid-turn leaves the event to the sweeper rather than half a conversation.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from typing import Awaitable, Callable, Mapping

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.backlog import TURNS_WAITING
from bot.batch_reads import share_batch
from bot.contacts import Party, resolve_many
from bot.handover import HandOver, take
from bot.ingest import Accepted
from bot.outage import is_outage
from bot.pipeline import Pipeline
from bot.storage.deferred import write_deferred
from bot.storage.models import EventStatus, InboundEvent
from bot.supervisor import Supervisor
from bot.turn import Services, Turn
from channels.base import Channel, ChannelError
from channels.models import Address, Kind, Message

log = logging.getLogger("bot.processing")
TURN_BATCH = 100  # turns per batch: bounds how long one batch holds the loop while webhooks wait


class Processor:
    """Turns run in batches, one transaction per batch (group commit).

    When a turn fails, the batch is rolled back and its turns run one by one, so only the
    failing one is marked failed. Each customer's messages stay in arrival order because one
    worker takes the queue in order. One on PostgreSQL too: with four, each batch's statements
    served a quarter as many turns, and a burst is bound by CPU, not by the round trips one
    worker waits for (`bench.peers`, docs/performance.md).
    """

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        pipeline: Pipeline,
        services: Services,
        channels: Mapping[str, Channel],
        on_committed: Callable[[bool], Awaitable[None]],
        *,
        max_batch: int = TURN_BATCH,
        take_turns: Callable[[], Awaitable[None]] = lambda: asyncio.sleep(0),
        hand_over: HandOver | None = None,
    ) -> None:
        self._sessions = sessions
        self.pipeline = pipeline  # every turn's steps; a step registered later runs from the next turn on
        self._services = services
        self._channels = channels
        self._on_committed = on_committed
        self._max_batch = max_batch
        self._take_turns = take_turns  # the share of the loop webhooks leave us (Ingestor.take_turns)
        self._hand_over = hand_over  # without it, every reply waits pending for a dispatch round
        self._queue: asyncio.Queue[Accepted] = asyncio.Queue()
        self._acks: set[asyncio.Task[None]] = set()

    def start(self, supervisor: Supervisor) -> None:
        """One supervised worker: a failure (Redis, the database) never ends it."""
        supervisor.run("processing", self._work_once)

    async def stop(self) -> None:
        for task in self._acks:
            task.cancel()
        await asyncio.gather(*self._acks, return_exceptions=True)

    def submit(self, accepted: Accepted) -> None:
        """Queue an accepted event; tapped buttons are acknowledged to the platform at once."""
        if accepted.message.kind == Kind.ACTION:
            task = asyncio.create_task(self._acknowledge(accepted.message))
            self._acks.add(task)
            task.add_done_callback(self._acks.discard)
        self._queue.put_nowait(accepted)
        TURNS_WAITING.inc()

    async def _work_once(self) -> None:
        """One batch; if it raises, it did not commit and the sweeper re-claims its events."""
        batch = [await self._queue.get()]
        await self._take_turns()
        while not self._queue.empty() and len(batch) < self._max_batch:
            batch.append(self._queue.get_nowait())
        TURNS_WAITING.dec(len(batch))
        left = await self._process_batch(batch)
        await self._on_committed(left)

    async def _acknowledge(self, message: Message) -> None:
        channel = self._channels.get(message.sender.channel.value)
        if channel is None:
            return
        try:
            await channel.acknowledge(message)
        except ChannelError:
            log.warning("could not acknowledge action", extra={"channel": message.sender.channel})

    async def _process_batch(self, batch: list[Accepted]) -> bool:
        """All turns in one transaction; if one fails, each turn is retried on its own.

        Returns whether an outbox row was left pending for a dispatch round: the replies due
        now are claimed in the batch's transaction and handed over as soon as it commits,
        before anything else can run, so they take their places in line in commit order.
        """
        try:
            async with self._sessions.begin() as session:
                now = self._services.clock()
                senders = [(a.message.sender, a.message.display_name) for a in batch]
                parties = await resolve_many(session, senders, now)  # a few statements for the whole batch
                pattern = self._services.settings.order_code_pattern
                share_batch(session, parties.values(), [a.message for a in batch], pattern)  # one read each
                outcomes: dict[EventStatus, list[int]] = {}
                with session.no_autoflush:  # one flush for the batch: its UPDATEs go as executemany
                    for accepted in batch:
                        outcome = await self._turn(session, accepted, parties)
                        outcomes.setdefault(outcome, []).append(accepted.event_id)
                await write_deferred(session)
                for status, ids in outcomes.items():
                    await _finish(session, ids, status)
                taken = await take(session, self._hand_over, now=self._services.clock(), token=uuid.uuid4().hex)
        except Exception as failure:
            if is_outage(failure):  # no turn is at fault; retrying them one by one would only fail again
                raise
            if len(batch) == 1:
                await self._record_failure(batch[0])
                return False
            return any([await self._process_batch([accepted]) for accepted in batch])
        if self._hand_over is not None and taken.rows:
            self._hand_over.send(taken.rows)
        return taken.left

    async def _record_failure(self, accepted: Accepted) -> None:
        log.exception("turn failed", extra={"event_id": accepted.event_id})
        async with self._sessions.begin() as session:
            await _finish(session, [accepted.event_id], EventStatus.FAILED, "processing error (see logs)")

    async def _turn(
        self, session: AsyncSession, accepted: Accepted, parties: dict[Address, Party]
    ) -> EventStatus:
        """One customer message through the pipeline; returns how its event ends."""
        sender = accepted.message.sender
        turn = Turn(session, self._services, accepted.message, parties[sender], accepted.event_id)
        await self.pipeline.run(turn)
        parties[sender] = turn.party  # linking may have merged the contact
        return EventStatus.IGNORED if turn.ignored else EventStatus.DONE


async def _finish(session: AsyncSession, event_ids: list[int], status: EventStatus, error: str | None = None) -> None:
    await session.execute(
        update(InboundEvent.__table__)
        .where(InboundEvent.__table__.c.id.in_(event_ids))
        .values(status=status, error=error, lease_until=None)
    )
