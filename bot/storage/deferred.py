"""Rows written together at the end of a transaction, one executemany per statement.

A chat batch inserts a message row and a reply row for every turn; one INSERT each was a
fifth of a turn's cost. Turns therefore defer those rows to the session, and the batch
writes them before it commits. Anything that moves, cancels or erases such rows (merging
two contacts, forgetting one) writes the deferred rows first, so it sees them.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.many import execute_many

_KEY = "haumai.deferred"


def defer(session: AsyncSession, statement: Any, row: dict[str, Any]) -> None:
    session.info.setdefault(_KEY, {}).setdefault(statement, []).append(row)


async def write_deferred(session: AsyncSession) -> None:
    """Each statement once, with all its rows, in the order the statements were first deferred
    (as plain tuples: bot.storage.many)."""
    for statement, rows in session.info.pop(_KEY, {}).items():
        await execute_many(session, statement, rows)
