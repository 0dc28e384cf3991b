"""Processing one accepted inbound event: the single error boundary of the bot.

Runs after the webhook has answered 200. Everything a turn decides (the inbound message,
state changes, replies in the outbox, the event marked done) commits in one transaction,
so a crash mid-turn leaves the event to the sweeper rather than half a conversation.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections import defaultdict
from typing import Callable, Mapping

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.contacts import Party, resolve
from bot.ingest import Accepted
from bot.nlu import classify
from bot.router import Router
from bot.storage.models import InboundEvent, MessageRecord
from bot.turn import Services, Turn
from channels.base import Channel, ChannelError
from channels.models import Kind, Message

log = logging.getLogger("bot.processing")


def numbered_choice(message: Message, offered: list[list[str]]) -> Message:
    """A reply of "2" to a message that offered buttons means tapping the second one."""
    text = message.text.strip().rstrip(".")
    if message.kind != Kind.TEXT or not text.isdigit() or not 1 <= int(text) <= len(offered):
        return message
    return dataclasses.replace(message, kind=Kind.ACTION, action=offered[int(text) - 1][1])


class Processor:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        router: Router,
        services: Services,
        channels: Mapping[str, Channel],
        on_committed: Callable[[Party, Message, bool], None],
    ) -> None:
        self._sessions = sessions
        self._router = router
        self._services = services
        self._channels = channels
        self._on_committed = on_committed
        self._locks: defaultdict[str, asyncio.Lock] = defaultdict(asyncio.Lock)

    async def handle(self, accepted: Accepted) -> None:
        """Process in arrival order per customer; failures are recorded, never raised."""
        sender = str(accepted.message.sender)
        async with self._locks[sender]:
            try:
                await self._acknowledge(accepted.message)
                await self._process(accepted)
            except Exception as error:
                log.exception("processing failed", extra={"event_id": accepted.event_id})
                await self._mark(accepted.event_id, "failed", repr(error)[:500])
        if not self._locks[sender].locked():
            self._locks.pop(sender, None)

    async def _acknowledge(self, message: Message) -> None:
        channel = self._channels.get(message.sender.channel.value)
        if channel is None or message.kind != Kind.ACTION:
            return
        try:
            await channel.acknowledge(message)
        except ChannelError:
            log.warning("could not acknowledge action", extra={"channel": message.sender.channel})

    async def _process(self, accepted: Accepted) -> None:
        now = self._services.clock()
        async with self._sessions.begin() as session:
            message = accepted.message
            party = await resolve(session, message.sender, message.display_name, now)
            message = numbered_choice(message, party.conversation.offered or [])
            turn = Turn(session, self._services, message, party, accepted.event_id)
            if message.text and message.kind == Kind.TEXT:
                turn.classification = classify(message.text)
            self._record_inbound(session, turn)
            answered = party.conversation.mode == "bot"
            if answered:
                await self._router.dispatch(turn)
            await self._finish(session, accepted.event_id, "done" if answered else "ignored")
        self._on_committed(turn.party, message, bool(turn.replies))

    @staticmethod
    def _record_inbound(session: AsyncSession, turn: Turn) -> None:
        message = turn.message
        session.add(
            MessageRecord(
                conversation_id=turn.party.conversation.id,
                direction="in",
                author="customer",
                channel=message.sender.channel.value,
                kind=message.kind.value,
                text=message.text or message.action or message.phone or "",
                data={"attachments": [a.url for a in message.attachments]},
                intent=turn.classification.intent.value if turn.classification else None,
                status="received",
                provider_message_id=message.id,
                created_at=turn.now,
            )
        )
        turn.party.conversation.last_message_at = turn.now

    @staticmethod
    async def _finish(session: AsyncSession, event_id: int, status: str) -> None:
        await session.execute(
            update(InboundEvent)
            .where(InboundEvent.id == event_id)
            .values(status=status, lease_until=None)
        )

    async def _mark(self, event_id: int, status: str, error: str) -> None:
        async with self._sessions.begin() as session:
            await session.execute(
                update(InboundEvent)
                .where(InboundEvent.id == event_id)
                .values(status=status, error=error, lease_until=None)
            )
