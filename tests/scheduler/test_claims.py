"""A dispatch round claims due rows and starts them, fenced by its claim token, in few statements."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from sqlalchemy import event, select, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.outbox import OutboxBody, OutboxKind, OutboxMessage, OutboxStatus, enqueue
from bot.storage.models import Outbox
from channels.models import Address, ChannelKind
from scheduler import claims
from tests.conftest import Backend

NOW = datetime(2026, 11, 24, 3, 0, tzinfo=timezone.utc)
LEASE = timedelta(seconds=60)


async def add(sessions: async_sessionmaker[AsyncSession], key: str, due_at: datetime) -> None:
    message = OutboxMessage(key=key, kind=OutboxKind.REPLY, to=Address(ChannelKind.WEB, "u1"), body=OutboxBody(key),
                            due_at=due_at, contact_id=None, conversation_id=None)
    async with sessions.begin() as session:
        await enqueue(session, message, now=NOW)


async def claim(sessions: async_sessionmaker[AsyncSession], token: str, batch: int = 10) -> list[claims.Claimed]:
    async with sessions.begin() as session:
        return await claims.claim(session, now=NOW, lease=LEASE, batch=batch, instance="one", token=token)


async def statuses(sessions: async_sessionmaker[AsyncSession]) -> dict[str, str]:
    async with sessions() as session:
        return {key: status for key, status in await session.execute(select(Outbox.dedupe_key, Outbox.status))}


async def test_a_claim_takes_due_rows_oldest_first_up_to_its_batch(sessions: async_sessionmaker[AsyncSession]) -> None:
    for key, minutes_ago in (("third", 1), ("first", 3), ("second", 2)):
        await add(sessions, key, NOW - timedelta(minutes=minutes_ago))
    claimed = await claim(sessions, "t1", batch=2)
    assert sorted(row.dedupe_key for row in claimed) == ["first", "second"]
    assert {row.claim_token for row in claimed} == {"t1"}
    assert await statuses(sessions) == {"first": "claimed", "second": "claimed", "third": "pending"}


async def test_a_claim_returns_what_sending_needs(sessions: async_sessionmaker[AsyncSession]) -> None:
    await add(sessions, "k", NOW)
    [row] = await claim(sessions, "t1")
    assert (row.kind, row.recipient, row.channel, row.attempts) == ("reply", "web:u1", "web", 0)
    assert OutboxBody.read(row.body).text == "k"
    assert row.due_at == NOW


async def test_rows_not_yet_due_or_already_claimed_are_not_claimed(sessions: async_sessionmaker[AsyncSession]) -> None:
    await add(sessions, "later", NOW + timedelta(seconds=1))
    await add(sessions, "now", NOW)
    assert [row.dedupe_key for row in await claim(sessions, "t1")] == ["now"]
    assert await claim(sessions, "t2") == []


async def test_starting_marks_the_rows_sending(sessions: async_sessionmaker[AsyncSession]) -> None:
    for key in ("a", "b"):
        await add(sessions, key, NOW)
    claimed = await claim(sessions, "t1")
    async with sessions.begin() as session:
        started = await claims.start(session, claimed)
    assert started == {row.id for row in claimed}
    assert await statuses(sessions) == {"a": "sending", "b": "sending"}


async def test_a_row_claimed_again_by_another_token_is_not_started(sessions: async_sessionmaker[AsyncSession]) -> None:
    for key in ("kept", "lost"):
        await add(sessions, key, NOW)
    claimed = await claim(sessions, "t1")
    lost = next(row for row in claimed if row.dedupe_key == "lost")
    async with sessions.begin() as session:  # the sweeper gave it back and another replica claimed it
        await session.execute(update(Outbox).where(Outbox.id == lost.id).values(claim_token="t2"))
    async with sessions.begin() as session:
        started = await claims.start(session, claimed)
    assert started == {row.id for row in claimed if row.dedupe_key == "kept"}
    assert (await statuses(sessions))["lost"] == OutboxStatus.CLAIMED


async def test_starting_on_sqlite_finds_rows_by_primary_key_not_by_scanning(
    backend: Backend, engine: AsyncEngine, sessions: async_sessionmaker[AsyncSession]
) -> None:
    if backend.name != "embedded":
        pytest.skip("SQLite's query plan")
    for key in ("a", "b"):
        await add(sessions, key, NOW)
    claimed = await claim(sessions, "t1")
    sent: list[tuple[str, Any]] = []

    def capture(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if statement.lstrip().upper().startswith("UPDATE"):
            sent.append((statement, parameters))

    event.listen(engine.sync_engine, "before_cursor_execute", capture)
    async with sessions.begin() as session:
        await claims.start(session, claimed)
    event.remove(engine.sync_engine, "before_cursor_execute", capture)
    [(statement, parameters)] = sent
    async with engine.connect() as connection:
        plan = (await connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", tuple(parameters))).all()
    assert not any("SCAN" in str(step[-1]).upper() for step in plan), plan
