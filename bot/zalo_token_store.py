"""The Zalo token pair in the shared `kv` table, where every replica (and the next deploy) finds it.

channels.zalo_tokens decides when and how to refresh; this is only its storage, the row
locked (SELECT ... FOR UPDATE on PostgreSQL) for as long as a refresh lease is taken or given back.
"""

from __future__ import annotations

from contextlib import asynccontextmanager
from typing import AsyncIterator

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import Clock
from bot.storage.dialect import insert_ignoring_conflicts
from bot.storage.models import KeyValue

STATE_KEY = "zalo:tokens"


class StoredRow:
    """One transaction's view of the row (channels.zalo_tokens.StoredTokens)."""

    def __init__(self, session: AsyncSession, clock: Clock, *, lock: bool) -> None:
        self._session, self._clock, self._lock = session, clock, lock

    async def read(self, initial: str) -> str:
        query = select(KeyValue).where(KeyValue.key == STATE_KEY)
        query = query.with_for_update() if self._lock else query
        row = await self._session.scalar(query)
        if row is None:  # first start: replicas starting together insert once
            await self._session.execute(insert_ignoring_conflicts(self._session, KeyValue).values(
                key=STATE_KEY, value=initial, updated_at=self._clock()))
            row = await self._session.scalar(query.execution_options(populate_existing=True))
            assert row is not None
        return row.value

    async def write(self, state: str) -> None:
        await self._session.merge(KeyValue(key=STATE_KEY, value=state, updated_at=self._clock()))
        await self._session.flush()


class SqlTokenStore:
    """channels.zalo_tokens.TokenStore over the database."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], clock: Clock) -> None:
        self._sessions, self._clock = sessions, clock

    @asynccontextmanager
    async def transaction(self, *, lock: bool) -> AsyncIterator[StoredRow]:
        async with self._sessions.begin() as session:
            yield StoredRow(session, self._clock, lock=lock)
