"""A pooled PostgreSQL connection the server closed is replaced before use, without a ping per checkout."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import NullPool

from tests.apps import eventually
from tests.conftest import Backend


@pytest.fixture
def postgres_only(backend: Backend) -> None:
    if backend.name != "scaled":
        pytest.skip("SQLite has no server to close a connection")


async def driver_of(engine: AsyncEngine) -> Any:
    """asyncpg's own connection behind the pool's only one."""
    async with engine.connect() as connection:
        driver = (await connection.get_raw_connection()).driver_connection
    assert driver is not None
    return driver


async def test_a_connection_the_server_closed_is_replaced_before_the_next_statement(
    postgres_only: None, engine: AsyncEngine
) -> None:
    driver = await driver_of(engine)
    pid = driver.get_server_pid()
    elsewhere = create_async_engine(engine.url, poolclass=NullPool)
    async with elsewhere.connect() as other:
        await other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    await elsewhere.dispose()

    async def closed() -> bool:  # what a restart leaves in the pool
        return bool(driver.is_closed())

    await eventually(closed)
    async with engine.connect() as connection:
        assert await connection.scalar(text("SELECT 1")) == 1


async def test_a_checkout_sends_no_probe_before_the_callers_own_statement(postgres_only: None, engine: AsyncEngine) -> None:
    sent: list[str] = []
    (await driver_of(engine)).add_query_logger(lambda query: sent.append(query.query))
    async with engine.connect() as connection:
        await connection.scalar(text("SELECT 2"))
    assert ";" not in sent  # pool_pre_ping's probe, inside a BEGIN … ROLLBACK of its own
