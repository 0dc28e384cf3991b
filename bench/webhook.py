"""Webhook benchmark: acks/s, replies/s and reply latency on the real Telegram path.

    python -m bench.webhook                      # SQLite, in-process coordination
    python -m bench.webhook --database-url postgresql+asyncpg://postgres@127.0.0.1:5432/test \
                            --redis-url redis://127.0.0.1:6379/0

`haumai serve` runs in its own process (one core); this process runs the load generator and
the fake Telegram Bot API (the other core). Every update is durably stored before its 200.
Latency is update sent → sendMessage received by the fake, at a fixed 200 updates/s.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from contextlib import asynccontextmanager
from typing import Any, AsyncIterator, Callable
from pathlib import Path

import aiohttp
from sqlalchemy import make_url, text
from sqlalchemy.ext.asyncio import create_async_engine

from bench.server import free_port, start_haumai
from bench.shop import HISTORY_ORDERS, seed
from tests.fakes.telegram import TOKEN, FakeTelegram, text_update

SECRET = "bench-webhook-secret"
API_KEY = "bench-api-key-0123456789"


async def reset_postgres(url: str) -> None:
    """An empty schema in the bench's own database, created on a machine that never had it."""
    await _create_database(url)
    engine = create_async_engine(url)
    async with engine.begin() as connection:
        await connection.execute(text("DROP SCHEMA public CASCADE"))
        await connection.execute(text("CREATE SCHEMA public"))
    await engine.dispose()


async def fresh_database(url: str, history: int) -> None:
    """What Haumai starts on in a benchmark: an empty schema (PostgreSQL's dropped, a SQLite file
    new) holding `history` orders of a shop's past (bench.shop; none when 0)."""
    if url.startswith("postgresql"):
        await reset_postgres(url)
    if history:
        await seed(url, history)


async def _create_database(url: str) -> None:
    database = make_url(url).database
    server = create_async_engine(make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    async with server.connect() as connection:
        known = await connection.scalar(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": database})
        if not known:
            await connection.execute(text(f'CREATE DATABASE "{database}"'))
    await server.dispose()


async def reset_redis(url: str) -> None:
    """Update ids restart at 1 in every run: yesterday's remembered ids would read as retries."""
    from redis.asyncio import Redis

    redis = Redis.from_url(url)
    await redis.flushdb()
    await redis.aclose()


async def start_server(
    database_url: str, redis_url: str | None, api_base: str, port: int, workers: int = 1, module: str = "bot"
) -> asyncio.subprocess.Process:
    return await start_haumai({
        "HAUMAI_DATABASE_URL": database_url, "HAUMAI_TELEGRAM_TOKEN": TOKEN,
        "HAUMAI_TELEGRAM_WEBHOOK_SECRET": SECRET, "HAUMAI_TELEGRAM_API_BASE": api_base,
        "HAUMAI_TELEGRAM_RATE_LIMIT": "0", "HAUMAI_API_KEY": API_KEY, "HAUMAI_QUIET_HOURS": "off",
        "HAUMAI_SECRET_KEY": "bench-secret-key-long-enough", **({"HAUMAI_REDIS_URL": redis_url} if redis_url else {}),
    }, port, workers, module)


class Load:
    def __init__(self, http: aiohttp.ClientSession, base: str, fake: FakeTelegram) -> None:
        self.http, self.base, self.fake = http, base, fake
        self._chats = iter(range(10_000_000, 20_000_000))

    async def post(self, update: dict[str, object]) -> None:
        headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
        async with self.http.post(f"{self.base}/webhooks/telegram", json=update, headers=headers) as response:
            assert response.status == 200, response.status

    def updates(self, count: int) -> list[dict[str, Any]]:
        return [text_update(next(self._chats), "đơn HM1001 tới đâu rồi shop?") for _ in range(count)]

    async def replies_reach(self, count: int, timeout: float = 120.0) -> float:
        deadline = time.monotonic() + timeout
        while len(self.fake.sent()) < count:
            if time.monotonic() > deadline:
                raise RuntimeError(f"only {len(self.fake.sent())}/{count} replies")
            await asyncio.sleep(0.005)
        return max(call.at for call in self.fake.calls if call.method == "sendMessage")

    async def acks(self, count: int, concurrency: int = 64) -> float:
        """Post `count` updates, `concurrency` at a time; acks per second."""
        updates, slots = self.updates(count), asyncio.Semaphore(concurrency)

        async def one(update: dict[str, object]) -> None:
            async with slots:
                await self.post(update)

        start = time.monotonic()
        await asyncio.gather(*(one(u) for u in updates))
        return count / (time.monotonic() - start)


async def throughput(load: Load, count: int) -> tuple[float, float]:
    already, start = len(load.fake.sent()), time.monotonic()
    acks = await load.acks(count)
    last_reply = await load.replies_reach(already + count)
    return acks, count / (last_reply - start)


async def replies_under_load(load: Load, args: argparse.Namespace) -> tuple[float, float, float, float]:
    """Warm up, then a burst (acks/s, replies/s), then reply latency p50/p95 at a fixed rate."""
    await throughput(load, 300)
    acks, replies = await throughput(load, args.count)
    p50, p95 = await latency(load, args.rate, args.seconds)
    return acks, replies, p50, p95


def load_options(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    parser.add_argument("--count", type=int, default=5000, help="updates in the burst")
    parser.add_argument("--rate", type=int, default=200, help="updates/s while latency is measured")
    parser.add_argument("--seconds", type=float, default=10.0, help="how long latency is measured")
    return parser


def history_option(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    parser.add_argument("--history", type=int, default=HISTORY_ORDERS, metavar="ORDERS",
                        help="orders of a shop's past seeded (and analysed) before the server starts; 0: an empty schema")
    return parser


async def latency(load: Load, rate: int, seconds: float) -> tuple[float, float]:
    updates = load.updates(int(rate * seconds))
    sent_at: dict[int, float] = {}
    start = time.monotonic()
    tasks = []
    for n, update in enumerate(updates):
        await asyncio.sleep(max(0.0, start + n / rate - time.monotonic()))
        sent_at[update["message"]["chat"]["id"]] = time.monotonic()
        tasks.append(asyncio.create_task(load.post(update)))
    await asyncio.gather(*tasks)
    await load.replies_reach(len(load.fake.sent()) and sum(1 for _ in load.fake.sent()))
    received = {int(c.params["chat_id"]): c.at for c in load.fake.calls if c.method == "sendMessage"}
    await _wait_for(lambda: all(chat in received for chat in sent_at), load, received)
    samples = sorted((received[chat] - at) * 1000 for chat, at in sent_at.items())
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


async def _wait_for(done: Callable[[], bool], load: Load, received: dict[int, float]) -> None:
    for _ in range(2000):
        received.update({int(c.params["chat_id"]): c.at for c in load.fake.calls if c.method == "sendMessage"})
        if done():
            return
        await asyncio.sleep(0.01)


@asynccontextmanager
async def serving(
    database_url: str | None, redis_url: str | None, history: int = HISTORY_ORDERS
) -> AsyncIterator[tuple[Load, asyncio.subprocess.Process]]:
    """`haumai serve` against the fake Bot API on a fresh database holding `history` orders of a
    shop's past (bench.shop; 0: an empty schema) and one order (HM1001) to ask about."""
    database_url = database_url or f"sqlite+aiosqlite:///{Path(tempfile.mkdtemp()) / 'bench.db'}"
    await fresh_database(database_url, history)
    if redis_url:
        await reset_redis(redis_url)
    fake = FakeTelegram()
    api_base, port = await fake.start(), free_port()
    server = await start_server(database_url, redis_url, api_base, port)
    base = f"http://127.0.0.1:{port}"
    try:
        async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=128)) as http:
            order = {"code": "HM1001", "customer": {"name": "Lan", "phone": "0987654321"}, "carrier": "ghn",
                     "tracking_code": "LBK3X7QH", "status": "in_transit"}
            await http.post(f"{base}/api/v1/orders", json=order, headers={"Authorization": f"Bearer {API_KEY}"})
            yield Load(http, base, fake), server
    finally:
        server.terminate()
        await server.wait()
        await fake.close()


def backend_of(database_url: str | None) -> str:
    return "PostgreSQL + Redis" if (database_url or "").startswith("postgresql") else "SQLite (in-process coordination)"


async def main(args: argparse.Namespace) -> None:
    async with serving(args.database_url, args.redis_url, args.history) as (load, _server):
        acks, replies, p50, p95 = await replies_under_load(load, args)
    print(f"backend: {backend_of(args.database_url)}")
    print(f"webhook acks/s:   {acks:8.0f}   ({args.count} updates, 64 concurrent, each stored before its 200)")
    print(f"replies/s:        {replies:8.0f}   (update in → sendMessage received by the fake Bot API)")
    print(f"reply latency at {args.rate} updates/s: p50 {p50:.1f} ms, p95 {p95:.1f} ms")


if __name__ == "__main__":
    parser = history_option(load_options(argparse.ArgumentParser(description=__doc__.split("\n")[0])))
    parser.add_argument("--database-url")
    parser.add_argument("--redis-url")
    asyncio.run(main(parser.parse_args()))
