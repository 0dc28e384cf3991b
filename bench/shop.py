"""A shop's database with weeks of trading behind it, for the benchmarks to run on.

A shop runs on tables with history that PostgreSQL's autovacuum has analysed, not on an empty
schema. On an empty one PostgreSQL plans the turn's prepared statements for tables of a few rows
(asyncpg prepares each once per connection, and PostgreSQL keeps its generic plan until the
table is analysed again) while a ten-second burst grows them by thousands of customers: the
identities lookup then read every identity of the channel and filtered it, 13 ms a call (two a
batch) and 40 % of PostgreSQL's statement time in `bench.profile` (docs/performance.md). So the
webhook benchmarks seed a small shop's history first and analyse it, as autovacuum would have.

The seeded customers write through the channels the benchmarks do not drive (Zalo, Messenger,
web chat): the reminders and win-backs the scheduler finds for them during a run never reach
the fake Bot API, where they would be counted as replies.
"""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta
from typing import Callable, Mapping

from sqlalchemy import text

from app.history import CHANNEL_SHARES, generate, next_ids, write
from app.inbox.staff import add_staff
from bot.clock import utcnow
from bot.storage.engine import make_engine, make_sessionmaker
from bot.storage.migrate import upgrade

HISTORY_ORDERS = 10_000  # about 180 orders a day over eight weeks: a small shop
HISTORY_WEEKS = 8
UNDRIVEN = {channel: share for channel, share in CHANNEL_SHARES.items() if channel != "telegram"}
STAFF_PASSWORD = "bench-password-long"
CHUNK = 50_000  # orders generated and written at a time, so memory stays bounded


async def seed(
    url: str, orders: int, *, weeks: float = HISTORY_WEEKS, channels: Mapping[str, int] = UNDRIVEN,
    progress: Callable[[str], None] = lambda _line: None,
) -> None:
    """Migrate the (empty) database at `url`, write `orders` orders of history ending now with
    the conversations, notices, surveys and handoffs they caused, and analyse it (PostgreSQL)."""
    await asyncio.to_thread(upgrade, url)
    engine = make_engine(url)
    sessions = make_sessionmaker(engine)
    staff = [await add_staff(sessions, f"staff{n}@bench.local", f"Staff {n}", "agent", STAFF_PASSWORD, utcnow())
             for n in range(4)]
    end, started = utcnow(), time.monotonic()
    chunks = (orders + CHUNK - 1) // CHUNK
    for n in range(chunks):
        size = min(CHUNK, orders - n * CHUNK)
        async with sessions() as session:
            ids = await next_ids(session)
        chunk_end = end - timedelta(weeks=weeks) * (chunks - n - 1) / chunks
        history = generate(size, chunk_end, weeks / chunks, [s.id for s in staff], seed=n, start_ids=ids,
                           code_prefix=f"B{n:03d}-", channels=channels)
        await write(sessions, history)
        progress(f"  seeded {n * CHUNK + size:,} orders ({time.monotonic() - started:.0f} s)")
    if url.startswith("postgresql"):
        async with engine.connect() as connection:
            await connection.execution_options(isolation_level="AUTOCOMMIT")
            await connection.execute(text("VACUUM ANALYZE"))  # statistics, and the visibility map for index-only scans
    await engine.dispose()
