"""A shop with history: a generated past written straight into the database, and a logged-in owner."""

from __future__ import annotations

from datetime import timedelta
from typing import AsyncIterator

import pytest
from aiohttp.test_utils import TestClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.history import History, generate, write
from app.inbox.staff import add_staff
from bot.storage.engine import make_engine, make_sessionmaker
from tests.apps import runtime_of
from tests.conftest import Backend
from tests.flows.conftest import client, clock, telegram  # noqa: F401  (shared app fixtures)
from tests.inbox.conftest import PASSWORD, log_in

ORDERS, WEEKS = 160, 8


@pytest.fixture
async def sessions(backend: Backend) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = make_engine(backend.database_url)
    yield make_sessionmaker(engine)
    await engine.dispose()


async def seed_history(client: TestClient) -> History:
    """Two colleagues and eight weeks of orders up to the app's now."""
    runtime = runtime_of(client)
    staff = [await add_staff(runtime.sessions, f"{name}@shop.vn", name.title(), "agent", PASSWORD, runtime.clock())
             for name in ("hoa", "tuan")]
    history = generate(ORDERS, runtime.clock() - timedelta(minutes=1), WEEKS, [s.id for s in staff])
    await write(runtime.sessions, history)
    return history


@pytest.fixture
async def owner(client: TestClient) -> AsyncIterator[tuple[TestClient, History]]:
    """A logged-in staff member of a shop with eight weeks of history."""
    history = await seed_history(client)
    await log_in(client, "owner@shop.vn")
    yield client, history
