"""Instants are written as UTC on both backends, however often a batch repeats them and in
whatever zone they come; a naive datetime is refused every time, even one that looks like an
instant already written."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import insert, select
from sqlalchemy.exc import StatementError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.storage.models import Contact

NOW = datetime(2026, 12, 3, 3, 0, 0, 250_000, tzinfo=timezone.utc)
HANOI = timezone(timedelta(hours=7))
_contacts = Contact.__table__


async def test_a_batch_repeating_instants_in_any_zone_reads_them_back_as_the_same_utc_instants(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    later = NOW + timedelta(microseconds=1)
    given = [NOW, NOW.astimezone(HANOI), later, NOW, later.astimezone(HANOI), NOW]
    async with sessions.begin() as session:
        await session.execute(insert(_contacts), [
            {"name": str(n), "created_at": at, "last_inbound_at": at if n % 2 else None} for n, at in enumerate(given)
        ])
    async with sessions() as session:
        rows = (await session.execute(
            select(Contact.created_at, Contact.last_inbound_at).order_by(Contact.id)
        )).all()
    assert [created for created, _ in rows] == given
    assert all(created.utcoffset() == timedelta(0) for created, _ in rows)
    assert [seen for _, seen in rows] == [at if n % 2 else None for n, at in enumerate(given)]


async def test_an_hour_that_repeats_when_clocks_go_back_is_written_as_the_two_instants_it_is(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    first = datetime(2026, 11, 1, 1, 30, tzinfo=ZoneInfo("America/New_York"))  # 05:30 UTC, then 06:30 UTC
    given = [first, first.replace(fold=1), first]
    async with sessions.begin() as session:
        await session.execute(insert(_contacts), [{"name": str(n), "created_at": at} for n, at in enumerate(given)])
    async with sessions() as session:
        stored = (await session.scalars(select(Contact.created_at).order_by(Contact.id))).all()
    assert [at.astimezone(timezone.utc).hour for at in stored] == [5, 6, 5]


async def test_a_naive_datetime_is_refused_even_after_the_same_wall_time_was_written(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions.begin() as session:
        await session.execute(insert(_contacts), [{"name": "Lan", "created_at": NOW}])
    with pytest.raises(StatementError, match="naive datetime"):
        async with sessions.begin() as session:
            await session.execute(insert(_contacts), [{"name": "Mai", "created_at": NOW.replace(tzinfo=None)}])
