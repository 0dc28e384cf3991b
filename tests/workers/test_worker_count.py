"""How many workers `haumai serve` starts when not told: one per core on PostgreSQL, one on SQLite
(its file has one writer, and two workers measured slower than one: app.workers.default_workers)."""

from __future__ import annotations

from bot.config import Settings
from app.workers import cores, workers_to_run

SQLITE = "sqlite+aiosqlite:///./shop.db"
POSTGRES = "postgresql+asyncpg://shop@db.internal/shop"
REDIS = "redis://cache.internal:6379/0"


def settings(database_url: str, redis_url: str | None = None) -> Settings:
    env = {"HAUMAI_DATABASE_URL": database_url, **({"HAUMAI_REDIS_URL": redis_url} if redis_url else {})}
    return Settings.from_env(env, read_dotenv=False)


def test_sqlite_serves_with_one_worker_unless_asked_for_more() -> None:
    assert workers_to_run(settings(SQLITE, REDIS), None) == (1, None)


def test_sqlite_with_redis_starts_the_workers_asked_for() -> None:
    assert workers_to_run(settings(SQLITE, REDIS), 2) == (2, None)


def test_postgresql_with_redis_serves_one_worker_per_core_unless_told() -> None:
    assert workers_to_run(settings(POSTGRES, REDIS), None) == (cores(), None)


def test_postgresql_without_redis_serves_with_one_worker_and_says_why_when_there_are_cores_to_spare() -> None:
    count, why = workers_to_run(settings(POSTGRES), None)
    assert count == 1
    assert (why is None) == (cores() == 1)
