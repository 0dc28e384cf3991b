"""Memory with a huge backlog: peak RSS of `haumai serve` while its dispatcher and sweeper work
through 1,000,000 pending outbox rows (issue 12's target: ≤ 150 MB).

    python -m bench.outbox [--rows 1000000] [--seconds 30] [--database-url postgresql+asyncpg://…]

The rows are written straight into a migrated database (SQLite in a scratch folder unless a
PostgreSQL URL is given; its schema is dropped first), then the real server starts on it and
sends to a local fake Bot API for `--seconds`. Claims go in batches, so memory should stay
flat however long the queue is; the figure is the server process's own peak (VmHWM).
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import insert

from bench.peers.measure import stop
from bench.peers.proctree import peak_rss_mb
from bench.server import free_port
from bench.webhook import reset_postgres, start_server
from bot.outbox import OutboxBody, OutboxKind, OutboxStatus
from bot.storage.engine import make_engine
from bot.storage.migrate import upgrade
from bot.storage.models import Outbox
from tests.fakes.telegram import FakeTelegram

CHUNK = 10_000
TARGET_MB = 150


async def seed(database_url: str, rows: int) -> None:
    """`rows` pending replies, one per chat, all due now."""
    now = datetime.now(timezone.utc)
    body = OutboxBody(text="Đơn HM1001 của bạn đang được giao.").stored()
    engine = make_engine(database_url)
    try:
        for start in range(0, rows, CHUNK):
            async with engine.begin() as connection:
                await connection.execute(insert(Outbox), [
                    {"dedupe_key": f"bench-outbox:{n}", "kind": OutboxKind.REPLY, "channel": "telegram",
                     "recipient": f"telegram:{50_000_000 + n}", "body": body, "due_at": now,
                     "status": OutboxStatus.PENDING, "attempts": 0, "created_at": now}
                    for n in range(start, min(start + CHUNK, rows))
                ])
    finally:
        await engine.dispose()


async def main(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory(prefix="haumai-outbox-") as scratch:  # the SQLite file is large
        await measure(args, args.database_url or f"sqlite+aiosqlite:///{Path(scratch) / 'outbox.db'}")


async def measure(args: argparse.Namespace, database_url: str) -> None:
    if database_url.startswith("postgresql"):
        await reset_postgres(database_url)
    await asyncio.to_thread(upgrade, database_url)
    started = time.monotonic()
    await seed(database_url, args.rows)
    print(f"seeded {args.rows:,} pending outbox rows in {time.monotonic() - started:.0f} s")
    fake = FakeTelegram()
    server = await start_server(database_url, None, await fake.start(), free_port())
    try:
        await asyncio.sleep(args.seconds)
        peak = peak_rss_mb(server.pid)
    finally:
        await stop(server)
        await fake.close()
    sent = len(fake.sent())
    verdict = "met" if peak <= TARGET_MB else "UNMET"
    print(f"sent in {args.seconds:g} s: {sent:,} ({sent / args.seconds:,.0f}/s); {args.rows - sent:,} still pending")
    print(f"peak RSS of haumai serve: {peak:.0f} MB (target ≤ {TARGET_MB} MB: {verdict})")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Peak RSS of haumai serve with a huge pending outbox.")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seconds", type=float, default=30.0, help="how long the server sends")
    parser.add_argument("--database-url", help="PostgreSQL instead of a scratch SQLite file (schema dropped)")
    asyncio.run(main(parser.parse_args()))
