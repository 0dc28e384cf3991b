"""Rows written together at the end of a transaction, one executemany per statement.

A chat batch inserts a message row and a reply row for every turn; one INSERT each was a
fifth of a turn's cost. Turns therefore defer those rows to the session, and the batch
writes them before it commits. Anything that moves, cancels or erases such rows (merging
two contacts, forgetting one) writes the deferred rows first, so it sees them.

Changes to rows that already exist are deferred as patches: each row's latest value per
column, written by one UPDATE per table and set of columns. A turn sets a conversation's time
and buttons and its contact's time, channel and language in different steps; as one UPDATE
statement each they rewrote every such row two or three times per batch, and a row touched by
two turns of the batch was rewritten for each. Only the latest value would have stayed anyway.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table, Update, bindparam, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.many import execute_many

_KEY = "haumai.deferred"
_PATCHES = "haumai.deferred.patches"
_ROW = "row_id"


def defer(session: AsyncSession, statement: Any, row: dict[str, Any]) -> None:
    session.info.setdefault(_KEY, {}).setdefault(statement, []).append(row)


def defer_patch(session: AsyncSession, table: Table, row_id: int, column: str, value: Any) -> None:
    """`column` of the row `row_id` becomes `value` when the batch writes (a later patch of the
    same column in the same transaction wins, as a later UPDATE would have)."""
    patches: dict[tuple[Table, int], dict[str, Any]] = session.info.setdefault(_PATCHES, {})
    patches.setdefault((table, row_id), {})[column] = value


async def write_deferred(session: AsyncSession) -> None:
    """The patches, then each statement once with all its rows, in the order the statements were
    first deferred (as plain tuples: bot.storage.many)."""
    by_shape: dict[tuple[Table, tuple[str, ...]], list[dict[str, Any]]] = {}
    for (table, row_id), values in session.info.pop(_PATCHES, {}).items():
        by_shape.setdefault((table, tuple(sorted(values))), []).append(
            {_ROW: row_id, **{f"new_{column}": value for column, value in values.items()}}
        )
    for (table, columns), rows in by_shape.items():
        await execute_many(session, patching(table, columns), rows)
    for statement, rows in session.info.pop(_KEY, {}).items():
        await execute_many(session, statement, rows)


_STATEMENTS: dict[tuple[Table, tuple[str, ...]], Update] = {}


def patching(table: Table, columns: tuple[str, ...]) -> Update:
    """One UPDATE per table and set of columns, built once: `bot.storage.many` plans a statement
    by its identity, so the same shape must be the same object."""
    shape = (table, columns)
    if shape not in _STATEMENTS:
        _STATEMENTS[shape] = (
            update(table).where(table.c.id == bindparam(_ROW)).values({c: bindparam(f"new_{c}") for c in columns})
        )
    return _STATEMENTS[shape]
