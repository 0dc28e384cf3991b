"""The key that signs link tokens and staff sessions: configured, or generated once and shared.

Generated keys live in the database (not a local file) so every replica signs alike.
"""

from __future__ import annotations

import secrets

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import Clock
from bot.storage.dialect import insert_ignoring_conflicts
from bot.storage.models import KeyValue

_KEY = "secret_key"


async def ensure_secret_key(
    sessions: async_sessionmaker[AsyncSession], configured: str | None, clock: Clock
) -> bytes:
    if configured:
        return configured.encode()
    async with sessions.begin() as session:
        await session.execute(
            insert_ignoring_conflicts(session, KeyValue).values(
                key=_KEY, value=secrets.token_urlsafe(48), updated_at=clock()
            )
        )
        value = await session.scalar(select(KeyValue.value).where(KeyValue.key == _KEY))
    assert value is not None
    return value.encode()
