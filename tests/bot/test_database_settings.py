"""PostgreSQL's pool and prepared-statement cache come from the settings; SQLite keeps its one connection."""

from __future__ import annotations

import pytest
from pydantic import ValidationError
from sqlalchemy import text

from bot.config import Settings
from bot.storage.engine import make_engine
from tests.conftest import Backend


def settings(**env: str) -> Settings:
    return Settings.from_env({f"HAUMAI_{name.upper()}": value for name, value in env.items()}, read_dotenv=False)


def test_the_pool_and_statement_cache_are_read_from_the_environment() -> None:
    read = settings(database_pool_size="4", database_max_overflow="2", database_statement_cache="50")
    assert (read.database_pool_size, read.database_max_overflow, read.database_statement_cache) == (4, 2, 50)


def test_a_pool_without_connections_is_refused() -> None:
    with pytest.raises(ValidationError):
        settings(database_pool_size="0")


async def test_the_engine_sizes_its_pool_from_the_settings(backend: Backend) -> None:
    engine = make_engine(backend.database_url, settings(database_pool_size="3", database_statement_cache="0"))
    try:
        async with engine.connect() as connection:
            assert await connection.scalar(text("SELECT 1")) == 1  # also with the statement cache off
        expected = 1 if backend.database_url.startswith("sqlite") else 3  # SQLite: one writer, one connection
        assert engine.pool.size() == expected  # type: ignore[attr-defined]
    finally:
        await engine.dispose()
