"""The few statements whose SQL differs between SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession


def insert_ignoring_conflicts(session: AsyncSession, table: Any) -> Any:
    """INSERT … ON CONFLICT DO NOTHING for the session's dialect."""
    module = sqlite if session.bind.dialect.name == "sqlite" else postgresql
    return module.insert(table).on_conflict_do_nothing()
