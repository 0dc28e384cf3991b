"""Engine factory: SQLite tuned for one writer at a time, PostgreSQL through asyncpg.

SQLite runs every transaction as BEGIN IMMEDIATE so two writers never deadlock upgrading a
read lock, with WAL so readers do not block the writer, and busy_timeout so a writer of
another process queues instead of failing. Its driver runs inline (inline_sqlite.py).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine, AsyncSession
from sqlalchemy.pool import ConnectionPoolEntry

from bot.config import Settings
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


def make_engine(url: str, settings: Settings | None = None, **kwargs: Any) -> AsyncEngine:
    """One engine per process; the URL decides the dialect, `settings` PostgreSQL's pool and statement
    cache. Statement parameters are customers' names, phones and messages, so they are kept out of
    every error's text (hide_parameters)."""
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
    engine = create_async_engine(url, **_postgres_options(settings), **kwargs)
    event.listen(engine.sync_engine.pool, "checkout", _replace_if_closed)
    return engine


def _replace_if_closed(_dbapi_connection: Any, record: ConnectionPoolEntry, _proxy: Any) -> None:
    """A pooled connection the server closed (PostgreSQL restarted) is replaced before it is used.

    asyncpg learns of the close from its socket, so asking it costs nothing, where
    `pool_pre_ping` sent BEGIN, a query and ROLLBACK before every transaction: three round
    trips and a socket write each (2.4 % of the server's samples in a profile under load). The pool
    takes DisconnectionError as "connect again"; a connection that dies mid-use is still
    recognised (the dialect's is_disconnect) and the pool invalidated, as before.
    """
    if record.driver_connection is not None and record.driver_connection.is_closed():
        raise DisconnectionError("the database closed this connection")


def _postgres_options(settings: Settings | None) -> dict[str, Any]:
    """Pool sizing and asyncpg's prepared statements, from the settings (defaults without them).

    Each statement the hot path runs is prepared once per connection and then executed by name,
    so a turn costs round trips, not parsing and planning; SQLAlchemy's default (100) is fewer
    than the statements the hot path, the dispatcher and the inbox run, and an evicted one is
    prepared again on its next use.
    """
    pool_size, max_overflow, statements = 10, 10, 500
    if settings is not None:
        pool_size, max_overflow = settings.database_pool_size, settings.database_max_overflow
        statements = settings.database_statement_cache
    return {
        "pool_size": pool_size, "max_overflow": max_overflow,
        "connect_args": {"prepared_statement_cache_size": statements},
    }


def make_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)
