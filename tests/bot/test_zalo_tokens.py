"""Zalo tokens: refreshed before expiry, by one replica, the single-use pair stored before use."""

from __future__ import annotations

import asyncio
import json
import logging
from typing import AsyncIterator

import aiohttp
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.storage.engine import make_engine, make_sessionmaker
from bot.storage.models import KeyValue
from bot.zalo_token_store import STATE_KEY, SqlTokenStore
from channels.zalo_tokens import ZaloCredentials, ZaloTokenKeeper
from tests.apps import MovableClock
from tests.conftest import Backend
from tests.fakes import zalo as zalo_wire
from tests.fakes.server import running
from tests.fakes.zalo import FakeZalo


@pytest.fixture
async def zalo() -> AsyncIterator[FakeZalo]:
    async for fake in running(FakeZalo()):
        yield fake


@pytest.fixture
async def sessions(backend: Backend) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = make_engine(backend.database_url)
    yield make_sessionmaker(engine)
    await engine.dispose()


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


def replica(sessions: async_sessionmaker[AsyncSession], http: aiohttp.ClientSession, zalo: FakeZalo,
            name: str, clock: MovableClock, app_secret: str = zalo_wire.APP_SECRET) -> ZaloTokenKeeper:
    credentials = ZaloCredentials(zalo_wire.APP_ID, app_secret, zalo_wire.ACCESS_TOKEN, zalo_wire.REFRESH_TOKEN, zalo.base)
    return ZaloTokenKeeper(SqlTokenStore(sessions, clock), http, credentials, clock=clock, holder=name)


async def stored(sessions: async_sessionmaker[AsyncSession]) -> dict[str, str]:
    async with sessions() as session:
        return json.loads(await session.scalar(select(KeyValue.value).where(KeyValue.key == STATE_KEY)) or "{}")


async def test_two_replicas_racing_to_refresh_make_one_refresh_call(sessions: async_sessionmaker[AsyncSession], http: aiohttp.ClientSession, zalo: FakeZalo) -> None:
    clock, zalo.refresh_delay = MovableClock(), 0.3
    first, second = replica(sessions, http, zalo, "a", clock), replica(sessions, http, zalo, "b", clock)
    assert all(await asyncio.gather(first.refresh_if_due(), second.refresh_if_due()))
    assert len(zalo.refreshes) == 1
    assert await replica(sessions, http, zalo, "c", clock).current() == "zalo-access-token-1"
    assert await second.rejected(zalo_wire.ACCESS_TOKEN) and await second.current() == "zalo-access-token-1"


async def test_the_new_single_use_refresh_token_is_stored_and_used_next_time(sessions: async_sessionmaker[AsyncSession], http: aiohttp.ClientSession, zalo: FakeZalo) -> None:
    clock = MovableClock()
    keeper = replica(sessions, http, zalo, "a", clock)
    assert await keeper.refresh_if_due()
    assert (await stored(sessions))["refresh_token"] == "zalo-refresh-token-1"
    clock.advance(hours=24)  # within two hours of the 25 h expiry
    assert await keeper.refresh_if_due()
    assert [r["refresh_token"] for r in zalo.refreshes] == [zalo_wire.REFRESH_TOKEN, "zalo-refresh-token-1"]
    assert zalo.refreshes[0]["secret_key"] == zalo_wire.APP_SECRET and zalo.refreshes[0]["grant_type"] == "refresh_token"
    assert await keeper.current() == "zalo-access-token-2"


async def test_a_fresh_token_is_not_refreshed_again(sessions: async_sessionmaker[AsyncSession], http: aiohttp.ClientSession, zalo: FakeZalo) -> None:
    clock = MovableClock()
    keeper = replica(sessions, http, zalo, "a", clock)
    await keeper.refresh_if_due()
    clock.advance(hours=12)
    await keeper.refresh_if_due()
    assert len(zalo.refreshes) == 1


async def test_a_refused_refresh_keeps_the_old_pair_and_is_reported_without_secrets(
    sessions: async_sessionmaker[AsyncSession], http: aiohttp.ClientSession, zalo: FakeZalo, caplog: pytest.LogCaptureFixture
) -> None:
    zalo.refusing_refresh = True
    keeper = replica(sessions, http, zalo, "a", MovableClock())
    with caplog.at_level(logging.INFO):
        assert not await keeper.refresh_if_due()
    assert keeper.problem is not None and "refused" in keeper.problem
    assert (await stored(sessions))["refresh_token"] == zalo_wire.REFRESH_TOKEN
    assert zalo_wire.REFRESH_TOKEN not in caplog.text and zalo_wire.APP_SECRET not in caplog.text
