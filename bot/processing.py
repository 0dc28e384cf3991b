"""Processing accepted inbound events: the single error boundary of the bot.

Runs after the webhook has answered 200. Everything a turn decides (the inbound message,
state changes, replies in the outbox, the event marked done) commits together, so a crash
mid-turn leaves the event to the sweeper rather than half a conversation.
"""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import logging
from datetime import datetime
from typing import Any, Awaitable, Callable, Mapping

from sqlalchemy import insert, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.contacts import Party, resolve_many
from bot.conversation_events import InboxEventKind, record_event
from bot.ingest import Accepted
from bot.nlu import classify
from bot.outage import is_outage
from bot.privacy import forget
from bot.router import Router
from bot.storage.deferred import defer, write_deferred
from bot.storage.models import (
    Author, ConversationMode, Direction, EventStatus, InboundEvent, MessageRecord, MessageStatus,
)
from bot.supervisor import Supervisor
from bot.turn import Services, Turn
from channels.base import Channel, ChannelError
from channels.models import Address, Kind, Message

log = logging.getLogger("bot.processing")


def numbered_choice(message: Message, offered: list[list[str]]) -> Message:
    """A reply of "2" to a message that offered buttons means tapping the second one, unless a
    button is titled "2" (a 0–10 score shown as a list): then it means that button."""
    text = message.text.strip().rstrip(".")
    if message.kind != Kind.TEXT or not text.isdigit():
        return message
    by_title = {title.split()[0]: action for title, action in offered if title.split()}
    if text in by_title:
        return dataclasses.replace(message, kind=Kind.ACTION, action=by_title[text])
    if not 1 <= int(text) <= len(offered):
        return message
    return dataclasses.replace(message, kind=Kind.ACTION, action=offered[int(text) - 1][1])


class Processor:
    """Turns run in batches, one transaction per batch (group commit).

    When a turn fails, the batch is rolled back and its turns run one by one, so only the
    failing one is marked failed. Each customer's messages stay in arrival order because a customer
    always lands on the same worker, which handles its queue in order.
    """

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        router: Router,
        services: Services,
        channels: Mapping[str, Channel],
        on_committed: Callable[[bool], Awaitable[None]],
        *,
        workers: int = 1,
        max_batch: int = 50,
        webhooks_first: Callable[[], Awaitable[None]] = lambda: asyncio.sleep(0),
    ) -> None:
        self._sessions = sessions
        self._router = router
        self._services = services
        self._channels = channels
        self._on_committed = on_committed
        self._max_batch = max_batch
        self._webhooks_first = webhooks_first
        self._queues: list[asyncio.Queue[Accepted]] = [asyncio.Queue() for _ in range(workers)]
        self._acks: set[asyncio.Task[None]] = set()

    def start(self, supervisor: Supervisor) -> None:
        """One supervised worker per queue: a failure (Redis, the database) never ends it."""
        for index, queue in enumerate(self._queues):
            supervisor.run(f"processing-{index}", functools.partial(self._work_once, queue))

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
        sender = str(accepted.message.sender)
        self._queues[hash(sender) % len(self._queues)].put_nowait(accepted)

    async def _work_once(self, queue: asyncio.Queue[Accepted]) -> None:
        """One batch; if it raises, it did not commit and the sweeper re-claims its events."""
        batch = [await queue.get()]
        await self._webhooks_first()
        while not queue.empty() and len(batch) < self._max_batch:
            batch.append(queue.get_nowait())
        replied = await self._process_batch(batch)
        await self._on_committed(replied)

    async def _acknowledge(self, message: Message) -> None:
        channel = self._channels.get(message.sender.channel.value)
        if channel is None:
            return
        try:
            await channel.acknowledge(message)
        except ChannelError:
            log.warning("could not acknowledge action", extra={"channel": message.sender.channel})

    async def _process_batch(self, batch: list[Accepted]) -> bool:
        """All turns in one transaction; if one fails, each turn is retried on its own."""
        try:
            async with self._sessions.begin() as session:
                now = self._services.clock()
                senders = [(a.message.sender, a.message.display_name) for a in batch]
                parties = await resolve_many(session, senders, now)  # a few statements for the whole batch
                replied, outcomes = [], {}
                with session.no_autoflush:  # one flush for the batch: its UPDATEs go as executemany
                    for accepted in batch:
                        answered, outcome = await self._turn(session, accepted, parties, now)
                        replied.append(answered)
                        outcomes.setdefault(outcome, []).append(accepted.event_id)
                await write_deferred(session)
                for status, ids in outcomes.items():
                    await _finish(session, ids, status)
                return any(replied)
        except Exception as failure:
            if is_outage(failure):  # no turn is at fault; retrying them one by one would only fail again
                raise
            if len(batch) == 1:
                await self._record_failure(batch[0])
                return False
        return any([await self._process_batch([accepted]) for accepted in batch])

    async def _record_failure(self, accepted: Accepted) -> None:
        log.exception("turn failed", extra={"event_id": accepted.event_id})
        async with self._sessions.begin() as session:
            await _finish(session, [accepted.event_id], EventStatus.FAILED, "processing error (see logs)")

    async def _turn(
        self, session: AsyncSession, accepted: Accepted, parties: dict[Address, Party], now: datetime
    ) -> tuple[bool, EventStatus]:
        """One customer message; returns whether it was answered and how its event ends."""
        message = accepted.message
        party = parties[message.sender]
        if message.kind == Kind.WITHDRAW:  # a data-subject request: honoured whoever owns the chat
            await forget(session, party, now)
            return False, EventStatus.DONE
        message = numbered_choice(message, party.conversation.offered or [])
        turn = Turn(session, self._services, message, party, accepted.event_id)
        if message.text and message.kind == Kind.TEXT:
            turn.classification = classify(message.text)
        answered = party.conversation.mode == ConversationMode.BOT
        if answered:
            await self._router.dispatch(turn)
        party = parties[message.sender] = turn.party  # linking may have merged the contact
        party.conversation.last_message_at = now
        if party.conversation.mode == ConversationMode.HUMAN:  # staff see it live; the bot stays silent
            party.conversation.unread += 1
            record_event(session, party.conversation.id, InboxEventKind.MESSAGE, {"text": message.text[:200]}, now)
        defer(session, _INSERT_MESSAGE, _inbound_row(turn))
        return bool(turn.replies), EventStatus.DONE if answered else EventStatus.IGNORED


_INSERT_MESSAGE = insert(MessageRecord.__table__)


def _inbound_row(turn: Turn) -> dict[str, Any]:
    """Built after the handler ran, so a message that linked its chat lands in the merged conversation."""
    message = turn.message
    return {
        "conversation_id": turn.party.conversation.id,
        "direction": Direction.IN.value,
        "author": Author.CUSTOMER.value,
        "channel": message.sender.channel.value,
        "kind": message.kind.value,
        "text": message.text or message.action or message.phone or "",
        "data": {"attachments": [a.url for a in message.attachments]},
        "intent": turn.classification.intent.value if turn.classification else None,
        "status": MessageStatus.RECEIVED.value,
        "provider_message_id": message.id,
        "outbox_id": None,
        "created_at": turn.now,
    }


async def _finish(session: AsyncSession, event_ids: list[int], status: EventStatus, error: str | None = None) -> None:
    await session.execute(
        update(InboundEvent.__table__)
        .where(InboundEvent.__table__.c.id.in_(event_ids))
        .values(status=status, error=error, lease_until=None)
    )
