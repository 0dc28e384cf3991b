"""A batch of turns reads its customers' order-code tries once, and still holds each to the limit."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.contacts import identities_for
from bot.lookups import CODES_PER_WINDOW, may_look_up, share_batch
from bot.storage.deferred import write_deferred
from bot.storage.models import Identity
from channels.models import Address, ChannelKind

NOW = datetime(2026, 11, 24, 3, 0, tzinfo=timezone.utc)
LAN, MAI = Address(ChannelKind.TELEGRAM, "1"), Address(ChannelKind.TELEGRAM, "2")


async def identities(session: AsyncSession) -> dict[Address, Identity]:
    return await identities_for(session, {LAN: "Lan", MAI: "Mai"}, NOW)


async def test_every_code_lan_tried_an_hour_ago_or_less_counts_in_a_later_batch(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions.begin() as session:
        lan = (await identities(session))[LAN]
        for n in range(CODES_PER_WINDOW):
            assert await may_look_up(session, lan, f"HM{n}", NOW - timedelta(minutes=30))
        await write_deferred(session)
    async with sessions.begin() as session:
        found = await identities(session)
        share_batch(session, (identity.id for identity in found.values()))
        assert not await may_look_up(session, found[LAN], "HM99", NOW)
        assert await may_look_up(session, found[MAI], "HM99", NOW)
        assert await may_look_up(session, found[LAN], "HM0", NOW)  # asking again is free


async def test_a_batch_reads_the_tries_of_all_its_customers_in_one_statement(
    sessions: async_sessionmaker[AsyncSession], engine: AsyncEngine
) -> None:
    reads: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if "order_lookups" in statement and statement.lstrip().upper().startswith("SELECT"):
            reads.append(statement)

    async with sessions.begin() as session:
        found = await identities(session)
        share_batch(session, (identity.id for identity in found.values()))
        event.listen(engine.sync_engine, "before_cursor_execute", count)
        try:
            for address in (LAN, MAI, LAN):
                assert await may_look_up(session, found[address], "HM1", NOW)
        finally:
            event.remove(engine.sync_engine, "before_cursor_execute", count)
    assert len(reads) == 1
