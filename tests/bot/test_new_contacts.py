"""First contact: a batch of new customers gets a contact each, named as they wrote, in one INSERT."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.contacts import identities_for
from bot.storage.models import Contact
from channels.models import Address, ChannelKind

NOW = datetime(2026, 12, 3, 3, 0, tzinfo=timezone.utc)
NAMES = {Address(ChannelKind.TELEGRAM, str(n)): name for n, name in enumerate(["Lan", "Mai", "Lan", "Hùng", "", "Mai"])}


async def test_each_new_customer_gets_a_contact_of_their_own_under_their_own_name(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions.begin() as session:
        found = await identities_for(session, NAMES, NOW)
        contacts = {address: await session.get(Contact, identity.contact_id) for address, identity in found.items()}
    assert len({contact.id for contact in contacts.values() if contact}) == len(NAMES)
    assert {address: contact.name for address, contact in contacts.items() if contact} == NAMES


async def test_a_batch_of_new_customers_is_inserted_with_one_statement(
    sessions: async_sessionmaker[AsyncSession], engine: AsyncEngine
) -> None:
    inserts: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if statement.lstrip().upper().startswith("INSERT INTO CONTACTS"):
            inserts.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", count)
    try:
        async with sessions.begin() as session:
            await identities_for(session, NAMES, NOW)
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", count)
    assert len(inserts) == 1
