"""Engine factory: SQLite tuned for one writer at a time, PostgreSQL through asyncpg.

SQLite runs every transaction as BEGIN IMMEDIATE so two writers never deadlock upgrading a
read lock, with WAL so readers do not block the writer, and busy_timeout so a writer of
another process queues instead of failing. Its driver runs inline (inline_sqlite.py).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine, AsyncSession
from sqlalchemy.pool import ConnectionPoolEntry

from bot.storage.inline_sqlite import InlineConnection


def _tune_sqlite(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _begin_immediate(connection: Any) -> None:
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def make_engine(url: str, **kwargs: Any) -> AsyncEngine:
    """One engine per process; the URL decides the dialect. Statement parameters are customers'
    names, phones and messages, so they are kept out of every error's text (hide_parameters)."""
    kwargs.setdefault("hide_parameters", True)
    if url.startswith("sqlite"):
        # Every transaction takes the write lock, so one connection per process is enough, and
        # callers queue fairly on the pool instead of polling SQLite's busy handler.
        path = make_url(url).database or ":memory:"
        engine = create_async_engine(
            url, pool_size=1, max_overflow=0, pool_timeout=120,
            async_creator=lambda: InlineConnection(path), **kwargs,
        )
        event.listen(engine.sync_engine, "connect", _tune_sqlite)
        event.listen(engine.sync_engine, "begin", _begin_immediate)
        return engine
    return create_async_engine(url, pool_size=10, max_overflow=10, pool_pre_ping=True, **kwargs)


def make_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)
