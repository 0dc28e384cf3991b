"""What turns change on the customer's rows is written once per row: one UPDATE per table and set
of columns for the whole batch, each row with the latest value of each column it was given."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.contacts import resolve_many
from bot.storage.deferred import write_deferred
from bot.storage.models import Contact, Conversation, Identity
from bot.touches import touch
from channels.models import Address, ChannelKind

NOW = datetime(2026, 12, 3, 3, 0, tzinfo=timezone.utc)
LAN, MAI = Address(ChannelKind.TELEGRAM, "1"), Address(ChannelKind.TELEGRAM, "2")


async def _turns(session: AsyncSession) -> None:
    """Two customers' turns in one batch, as the pipeline's steps touch their rows."""
    parties = await resolve_many(session, [(LAN, "Lan"), (MAI, "Mai")], NOW)
    for address, party in parties.items():
        touch(session, party.contact, "language", "vi")
        touch(session, party.conversation, "offered", [["Gặp nhân viên", f"m:human~{address.user}"]])
        touch(session, party.conversation, "last_message_at", NOW)
    await write_deferred(session)


async def test_a_batch_updates_each_table_it_touched_with_one_statement(
    sessions: async_sessionmaker[AsyncSession], engine: AsyncEngine
) -> None:
    async with sessions.begin() as session:
        await resolve_many(session, [(LAN, "Lan"), (MAI, "Mai")], NOW - timedelta(days=1))  # they wrote before
    updates: Counter[str] = Counter()

    def count(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        words = statement.split()
        if words[0].upper() == "UPDATE":
            updates[words[1]] += 1

    event.listen(engine.sync_engine, "before_cursor_execute", count)
    try:
        async with sessions.begin() as session:
            await _turns(session)
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", count)
    assert updates == {"identities": 1, "contacts": 1, "conversations": 1}


async def test_a_row_touched_twice_in_a_batch_keeps_the_latest_value(sessions: async_sessionmaker[AsyncSession]) -> None:
    async with sessions.begin() as session:
        party = (await resolve_many(session, [(LAN, "Lan")], NOW))[LAN]
        touch(session, party.conversation, "offered", [["Hủy đơn", "cancel"]])
        touch(session, party.conversation, "offered", [])
        touch(session, party.contact, "language", "en")
        await write_deferred(session)
    async with sessions() as session:
        conversation = await session.get(Conversation, party.conversation.id)
        contact = await session.get(Contact, party.contact.id)
    assert conversation is not None and conversation.offered == []
    assert contact is not None and contact.language == "en"


async def test_a_message_records_who_wrote_when_and_through_which_channel(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions.begin() as session:
        party = (await resolve_many(session, [(LAN, "Lan")], NOW))[LAN]
        await write_deferred(session)
    async with sessions() as session:
        identity = await session.get(Identity, party.identity.id)
        contact = await session.get(Contact, party.contact.id)
    assert identity is not None and (identity.last_inbound_at, identity.display_name) == (NOW, "Lan")
    assert contact is not None and (contact.last_inbound_at, contact.last_channel, contact.name) == (NOW, "telegram", "Lan")
