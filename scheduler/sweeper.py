"""Sweepers: work whose owner died is taken back, or marked for a person to look at.

An inbound event still `processing` after its lease is re-processed (the turn is one
transaction, so nothing of it was committed). An outbox row still `claimed` after its lease
never had a provider request started: it is due again. One still `sending` was in flight when
its replica died and may or may not have reached the customer: it is sent again, because a
message lost for good is worse than one that arrives twice (so a crash duplicates at most the
requests in flight, and loses none). A row already tried MAX_IN_DOUBT times (it may be the one
taking its sender down) becomes `unknown` for a person to look at.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import Clock
from bot.codec import message_from_payload
from bot.ingest import PROCESSING_LEASE, Accepted
from bot.outbox import OutboxStatus
from bot.storage.models import EventStatus, InboundEvent, Outbox
from bot.storage.results import rows_changed

MAX_PROCESSING_ATTEMPTS = 5
MAX_IN_DOUBT = 3


async def reclaim_inbound(
    sessions: async_sessionmaker[AsyncSession], clock: Clock, instance_id: str, limit: int = 100
) -> list[Accepted]:
    now = clock()
    stale = (
        select(InboundEvent.id)
        .where(InboundEvent.status == EventStatus.PROCESSING, InboundEvent.lease_until < now)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    claim = (
        update(InboundEvent)
        .where(InboundEvent.id.in_(stale.scalar_subquery()))
        .values(
            claimed_by=instance_id,
            lease_until=now + PROCESSING_LEASE,
            attempts=InboundEvent.attempts + 1,
        )
        .returning(InboundEvent.id, InboundEvent.payload, InboundEvent.attempts)
    )
    async with sessions.begin() as session:
        rows = (await session.execute(claim)).all()
        exhausted = [row_id for row_id, _, attempts in rows if attempts > MAX_PROCESSING_ATTEMPTS]
        if exhausted:
            await session.execute(
                update(InboundEvent)
                .where(InboundEvent.id.in_(exhausted))
                .values(status=EventStatus.FAILED, error="gave up after repeated processing failures")
            )
    return [Accepted(i, message_from_payload(p)) for i, p, a in rows if a <= MAX_PROCESSING_ATTEMPTS]


async def expire_claims(sessions: async_sessionmaker[AsyncSession], clock: Clock) -> int:
    """Claims whose replica vanished: unattempted rows back to due, attempted ones too (counted)."""
    expired = Outbox.lease_until < clock() - timedelta(seconds=1)
    async with sessions.begin() as session:
        returned = await session.execute(
            update(Outbox)
            .where(Outbox.status == OutboxStatus.CLAIMED, expired)
            .values(status=OutboxStatus.PENDING, claimed_by=None, claim_token=None, lease_until=None)
        )
        in_doubt = Outbox.status == OutboxStatus.SENDING, expired
        given_up = await session.execute(
            update(Outbox)
            .where(*in_doubt, Outbox.attempts + 1 >= MAX_IN_DOUBT)
            .values(
                status=OutboxStatus.UNKNOWN,
                claim_token=None,
                last_error="its sending replica stopped mid-send again and again; not resent",
            )
        )
        resent = await session.execute(
            update(Outbox)
            .where(*in_doubt)
            .values(
                status=OutboxStatus.PENDING, claimed_by=None, claim_token=None, lease_until=None,
                attempts=Outbox.attempts + 1,
                last_error="sent again: its sending replica stopped mid-send (it may arrive twice)",
            )
        )
    return rows_changed(returned) + rows_changed(given_up) + rows_changed(resent)
