"""A migrated database and its sessions, for experiments measured on rows written directly."""

from __future__ import annotations

from typing import AsyncIterator

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.storage.engine import make_engine, make_sessionmaker
from tests.conftest import Backend


@pytest.fixture
async def sessions(backend: Backend) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = make_engine(backend.database_url)
    yield make_sessionmaker(engine)
    await engine.dispose()
