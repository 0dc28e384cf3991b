"""Journey benchmark: 100,000 proactive messages due within one hour, planned and dispatched.

    python -m bench.journey                      # SQLite, in-process coordination
    python -m bench.journey --database-url postgresql+asyncpg://postgres@127.0.0.1:5432/bench \
                            --redis-url redis://127.0.0.1:6379/0

Plans one message per customer (notices and thank-yous alternately) through the outbox's own
rows, due evenly over one hour of an injectable clock that runs `--speed` times faster than
real time, then lets the real dispatcher send them to a local fake Telegram Bot API (in its
own process, so this one is the dispatcher's alone; `--channel web` sends through the web chat
channel instead, in-process, to show the dispatcher without a provider's HTTP round trip).
Prints the planning rate, the due-time
lag (how late after its due time each message reached the fake, in real seconds) at p50 and
p99, and messages/s. Targets: lag p99 ≤ 2 s and ≥ 1,000 messages/s on one process. The
dispatcher is woken each real second, as `haumai serve` does.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import aiohttp
from sqlalchemy import insert

from bench.webhook import reset_postgres, reset_redis
from bot.config import Settings
from bot.coordination import make_coordinator
from bot.outbox import OutboxBody, OutboxKind, OutboxMessage
from bot.storage.dialect import insert_ignoring_conflicts
from bot.storage.engine import make_engine, make_sessionmaker
from bot.storage.migrate import upgrade
from bot.storage.models import Contact, Outbox
from bot.supervisor import Supervisor
from app.channels_setup import build_channels
from channels.models import Address, ChannelKind
from scheduler.dispatcher import Dispatcher
from scheduler.claims import Claimed
from tests.fakes.telegram import TOKEN, FakeTelegram

START = datetime(2026, 11, 24, 1, 0, tzinfo=timezone.utc)  # 08:00 in Vietnam: the hour is outside quiet hours
HOUR = timedelta(hours=1)
CHUNK = 5_000


class FastClock:
    """The injectable clock, `speed` times faster than real time from START."""

    def __init__(self, speed: float) -> None:
        self.speed = speed
        self._origin = time.monotonic()

    def __call__(self) -> datetime:
        return START + timedelta(seconds=(time.monotonic() - self._origin) * self.speed)


async def plan(database_url: str, count: int, channel: ChannelKind) -> float:
    """Customers and their messages, due evenly over the hour; returns the messages planned per second."""
    engine = make_engine(database_url)
    sessions = make_sessionmaker(engine)
    began = time.perf_counter()
    for first in range(0, count, CHUNK):
        ids = range(first + 1, min(first + CHUNK, count) + 1)
        async with sessions.begin() as session:
            await session.execute(insert(Contact), [{"id": i, "name": f"Khách {i}", "created_at": START} for i in ids])
            await session.execute(insert_ignoring_conflicts(session, Outbox.__table__), [_row(i, count, channel) for i in ids])
    elapsed = time.perf_counter() - began
    await engine.dispose()
    return count / elapsed


def _row(n: int, count: int, channel: ChannelKind) -> dict[str, Any]:
    kind = OutboxKind.NOTICE if n % 2 else OutboxKind.THANKS
    return OutboxMessage(
        key=f"bench:{n}", kind=kind, to=Address(channel, str(700_000 + n)),
        body=OutboxBody(f"Đơn HM{n} của bạn đang được giao 🚚"), due_at=START + HOUR * (n / count),
        contact_id=n, conversation_id=None,
    ).row(START)


async def dispatch(settings: Settings, speed: float, count: int) -> tuple[list[float], float]:
    """Run the dispatcher until every message is sent; returns the lags (real s) and messages/s."""
    clock, lags, done = FastClock(speed), [], asyncio.Event()

    def sent(row: Claimed) -> None:
        lags.append((clock() - row.due_at).total_seconds() / speed)
        if len(lags) >= count:
            done.set()

    engine, supervisor = make_engine(settings.database_url), Supervisor()
    coordinator = make_coordinator(settings.redis_url, namespace="bench-journey")
    async with aiohttp.ClientSession() as http:
        channels = await build_channels(settings, http, b"bench-secret", coordinator.publish)
        dispatcher = Dispatcher(make_sessionmaker(engine), channels, coordinator, settings, clock=clock,
                                instance_id="bench", on_sent=sent, supervisor=supervisor)
        supervisor.run("dispatcher", dispatcher.next_round)
        began = time.perf_counter()
        while not done.is_set():
            dispatcher.wake()
            await asyncio.wait([asyncio.ensure_future(done.wait())], timeout=1.0)
        elapsed = time.perf_counter() - began
        await supervisor.stop()
        for channel in channels.values():
            await channel.aclose()
    await coordinator.aclose()
    await engine.dispose()
    return lags, count / elapsed


def percentile(values: list[float], share: float) -> float:
    return statistics.quantiles(values, n=1000)[int(share * 1000) - 1] if len(values) > 1 else values[0]


async def serve_fake() -> None:
    """The child process: a fake Telegram Bot API until this process's stdin closes."""
    fake = FakeTelegram()
    print(await fake.start(), flush=True)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)
    await fake.close()


async def main(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        database_url = args.database_url or f"sqlite+aiosqlite:///{Path(scratch) / 'bench.db'}"
        if database_url.startswith("postgresql"):
            await reset_postgres(database_url)
        if args.redis_url:
            await reset_redis(args.redis_url)
        await asyncio.to_thread(upgrade, database_url)
        channel = ChannelKind(args.channel)
        planned = await plan(database_url, args.count, channel)
        child = await asyncio.create_subprocess_exec(sys.executable, "-m", "bench.journey", "--fake-telegram",
                                                     stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE)
        assert child.stdin is not None and child.stdout is not None
        api_base = (await child.stdout.readline()).decode().strip()
        settings = Settings.from_env({
            "HAUMAI_DATABASE_URL": database_url, "HAUMAI_TELEGRAM_TOKEN": TOKEN, "HAUMAI_TELEGRAM_API_BASE": api_base,
            "HAUMAI_TELEGRAM_RATE_LIMIT": "0", "HAUMAI_QUIET_HOURS": "off",
            **({"HAUMAI_REDIS_URL": args.redis_url} if args.redis_url else {}),
        }, read_dotenv=False)
        try:
            lags, rate = await dispatch(settings, args.speed, args.count)
        finally:
            child.stdin.close()
            await child.wait()
    receiver = "the fake Bot API answered sendMessage" if channel == ChannelKind.TELEGRAM else "published to the web chat"
    backend = "PostgreSQL + Redis" if database_url.startswith("postgresql") else "SQLite (in-process coordination)"
    print(f"backend: {backend}; {args.count} messages due within one hour, clock at {args.speed:g}× real time")
    print(f"planned:        {planned:8.0f} messages/s (outbox rows, executemany)")
    print(f"dispatched:     {rate:8.0f} messages/s (due → {receiver}), channel {channel.value}")
    print(f"due-time lag:   p50 {percentile(lags, 0.5):.2f} s, p99 {percentile(lags, 0.99):.2f} s (real seconds)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url")
    parser.add_argument("--redis-url")
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--speed", type=float, default=60.0, help="clock speed: 60 → the hour passes in 60 s")
    parser.add_argument("--channel", choices=("telegram", "web"), default="telegram")
    parser.add_argument("--fake-telegram", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    asyncio.run(serve_fake() if options.fake_telegram else main(options))
