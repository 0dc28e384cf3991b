"""The few statements whose SQL differs between SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

_BUILT: dict[tuple[str, Any, tuple[Any, ...]], Any] = {}


def insert_ignoring_conflicts(session: AsyncSession, table: Any, *returning: Any) -> Any:
    """INSERT … ON CONFLICT DO NOTHING [RETURNING …] for the session's dialect.

    Built once per dialect and table: statements are immutable (`.values()` returns a copy),
    and on hot paths (every reply, every carrier event) building them cost more than running
    them, so callers pass rows as parameters rather than through `.values()`.
    """
    dialect = session.get_bind().dialect.name
    key = (dialect, table, returning)
    if key not in _BUILT:
        statement = (sqlite if dialect == "sqlite" else postgresql).insert(table).on_conflict_do_nothing()
        _BUILT[key] = statement.returning(*returning) if returning else statement
    return _BUILT[key]
