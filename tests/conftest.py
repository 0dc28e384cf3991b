"""Shared fixtures: a migrated database per test, on SQLite and (when configured) PostgreSQL.

The suite runs on the embedded parts (SQLite + in-process coordination) and again on the
production parts (PostgreSQL + Redis) when HAUMAI_TEST_DATABASE_URL / HAUMAI_TEST_REDIS_URL
are set; `.ci/run` sets both and fails if they are unreachable, so they never silently skip.
"""

from __future__ import annotations

import asyncio
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import AsyncIterator, Iterator

import pytest
from hypothesis import HealthCheck, settings
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from bot.storage.engine import make_engine, make_sessionmaker
from bot.storage.migrate import upgrade
from bot.storage.models import Base

# Property tests drive the real app, so examples are few by default; HYPOTHESIS_PROFILE=thorough
# runs many more. A fixture's app serves every example of a test, hence the suppressed check.
settings.register_profile("default", max_examples=60, deadline=None, database=None,
                          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
settings.register_profile("thorough", parent=settings.get_profile("default"), max_examples=2_000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

PG_URL = os.environ.get("HAUMAI_TEST_DATABASE_URL")
REDIS_URL = os.environ.get("HAUMAI_TEST_REDIS_URL")


@dataclass(frozen=True)
class Backend:
    """Which real parts a test runs on."""

    name: str
    database_url: str
    redis_url: str | None


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Migrate once; each test copies the file (much faster than migrating per test)."""
    path = tmp_path_factory.mktemp("db") / "template.db"
    upgrade(f"sqlite+aiosqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def postgres_migrated() -> str | None:
    if PG_URL is None:
        return None

    async def reset() -> None:
        engine = create_async_engine(PG_URL)
        async with engine.begin() as connection:
            await connection.execute(text("DROP SCHEMA public CASCADE"))
            await connection.execute(text("CREATE SCHEMA public"))
        await engine.dispose()

    asyncio.run(reset())
    upgrade(PG_URL)
    return PG_URL


async def _truncate(url: str) -> None:
    engine = create_async_engine(url)
    tables = ", ".join(t.name for t in Base.metadata.sorted_tables)
    async with engine.begin() as connection:
        await connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    await engine.dispose()


def _backend_params() -> list[str]:
    return ["embedded", "scaled"] if PG_URL else ["embedded"]


@pytest.fixture(params=_backend_params())
async def backend(
    request: pytest.FixtureRequest, sqlite_template: Path, postgres_migrated: str | None, tmp_path: Path
) -> AsyncIterator[Backend]:
    if request.param == "embedded":
        path = tmp_path / "haumai.db"
        shutil.copy(sqlite_template, path)
        yield Backend("embedded", f"sqlite+aiosqlite:///{path}", None)
        return
    assert postgres_migrated is not None
    await _truncate(postgres_migrated)
    if REDIS_URL:
        from redis.asyncio import Redis

        redis = Redis.from_url(REDIS_URL)
        await redis.flushdb()
        await redis.aclose()
    yield Backend("scaled", postgres_migrated, REDIS_URL)


@pytest.fixture
def output_dir() -> Iterator[Path]:
    """Artifacts a person may want to look at (screenshots) land in test-output/."""
    path = Path(__file__).resolve().parent.parent / "test-output"
    path.mkdir(exist_ok=True)
    yield path


# --- An engine and its sessions on the test's backend (issue 12's statement tests) ---
@pytest.fixture
async def engine(backend: Backend) -> AsyncIterator[AsyncEngine]:
    made = make_engine(backend.database_url)
    yield made
    await made.dispose()


@pytest.fixture
def sessions(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return make_sessionmaker(engine)
