"""A list parameter finds the same rows on both backends, and on PostgreSQL it is one SQL text
whatever the list's length (asyncpg prepares each text once per connection)."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.storage.dialect import one_of
from bot.storage.models import Contact

NOW = datetime(2026, 12, 3, 3, 0, tzinfo=timezone.utc)
_BY_NAME = select(Contact.name).where(one_of(Contact.name, "names")).order_by(Contact.name)


async def test_a_list_parameter_finds_the_rows_it_names_at_any_length(
    sessions: async_sessionmaker[AsyncSession], engine: AsyncEngine
) -> None:
    texts: set[str] = set()

    def record(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        texts.add(statement)

    async with sessions.begin() as session:
        session.add_all([Contact(name=name, created_at=NOW) for name in ("Lan", "Mai", "Hoa")])
        await session.flush()
        event.listen(engine.sync_engine, "before_cursor_execute", record)
        try:
            found = [list(await session.scalars(_BY_NAME, {"names": names}))
                     for names in (["Lan"], ["Lan", "Mai"], ["Hoa", "Lan", "Tuấn"], [])]
        finally:
            event.remove(engine.sync_engine, "before_cursor_execute", record)
    assert found == [["Lan"], ["Lan", "Mai"], ["Hoa", "Lan"], []]
    if engine.dialect.name == "postgresql":
        assert len(texts) == 1
