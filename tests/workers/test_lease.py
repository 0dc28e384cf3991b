"""The scheduler lease: one holder at a time, renewed by its holder, taken over once it expires.

Time moves only when the test moves the clock (bot.clock's injectable Clock), never by sleeping.
"""

from __future__ import annotations

from typing import AsyncIterator

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from app.runtime import leader_only
from bot.lease import TTL, Lease
from bot.storage.engine import make_engine, make_sessionmaker
from tests.apps import MovableClock
from tests.conftest import Backend


@pytest.fixture
async def sessions(backend: Backend) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine: AsyncEngine = make_engine(backend.database_url)
    yield make_sessionmaker(engine)
    await engine.dispose()


def replicas(sessions: async_sessionmaker[AsyncSession], clock: MovableClock) -> tuple[Lease, Lease]:
    return Lease(sessions, "scheduler", "replica-a", clock), Lease(sessions, "scheduler", "replica-b", clock)


async def test_the_first_replica_to_ask_leads_and_the_second_does_not(sessions: async_sessionmaker[AsyncSession]) -> None:
    a, b = replicas(sessions, MovableClock())
    assert await a.renew()
    assert not await b.renew()
    assert a.held and not b.held


async def test_the_holder_keeps_the_lease_by_renewing_it(sessions: async_sessionmaker[AsyncSession]) -> None:
    clock = MovableClock()
    a, b = replicas(sessions, clock)
    await a.renew()
    for _ in range(5):
        clock.advance(seconds=TTL.total_seconds() * 0.8)
        assert await a.renew()
        assert not await b.renew()


async def test_an_expired_lease_is_taken_over_by_another_replica(sessions: async_sessionmaker[AsyncSession]) -> None:
    clock = MovableClock()
    a, b = replicas(sessions, clock)
    await a.renew()
    clock.advance(seconds=TTL.total_seconds() + 1)
    assert not a.held
    assert await b.renew()


async def test_a_replica_whose_lease_was_taken_over_learns_it_lost(sessions: async_sessionmaker[AsyncSession]) -> None:
    clock = MovableClock()
    a, b = replicas(sessions, clock)
    await a.renew()
    clock.advance(seconds=TTL.total_seconds() + 1)
    await b.renew()
    assert not await a.renew()
    assert b.held


async def test_a_released_lease_is_taken_at_once_without_waiting_for_expiry(sessions: async_sessionmaker[AsyncSession]) -> None:
    a, b = replicas(sessions, MovableClock())
    await a.renew()
    await a.release()
    assert not a.held
    assert await b.renew()


async def test_leases_of_different_names_are_independent(sessions: async_sessionmaker[AsyncSession]) -> None:
    clock = MovableClock()
    assert await Lease(sessions, "scheduler", "replica-a", clock).renew()
    assert await Lease(sessions, "another-job", "replica-b", clock).renew()


async def test_a_leader_only_job_runs_on_the_leader_alone(sessions: async_sessionmaker[AsyncSession]) -> None:
    a, b = replicas(sessions, MovableClock())
    ran: list[str] = []

    async def sweep_on(replica: str) -> None:
        ran.append(replica)

    await a.renew()
    await leader_only(a, lambda: sweep_on("a"))()
    await leader_only(b, lambda: sweep_on("b"))()
    assert ran == ["a"]


async def test_a_leader_only_job_takes_over_a_lapsed_lease_before_running(sessions: async_sessionmaker[AsyncSession]) -> None:
    clock = MovableClock()
    a, b = replicas(sessions, clock)
    ran: list[str] = []

    async def sweep() -> None:
        ran.append("b")

    await a.renew()
    clock.advance(seconds=TTL.total_seconds() + 1)  # replica a died and stopped renewing
    await leader_only(b, sweep)()
    assert ran == ["b"] and b.held
