"""The owner's dashboard on a large shop: the page's server time over a million orders.

    python -m bench.dashboard                      # PostgreSQL, database test_dashboard_bench
    python -m bench.dashboard --database-url sqlite+aiosqlite:///./bench-dashboard.db
    python -m bench.dashboard --reuse              # time again without seeding
    python -m bench.dashboard --reuse --rebuild    # … building the roll-ups again from none

Seeds a year of history (app/history.py: 1,000,000 orders by default, with the messages,
notices, surveys, coupons and handoffs they cause, several million rows) in bulk (COPY on
PostgreSQL), then serves the app in this process and times GET /dashboard (the default
period: the last 30 days, with the 30 before it beside each figure), the 90-day preset and
one channel. The server time is the request's time on localhost, figures and page both.

Before timing, the daily roll-ups are brought up to date as the scheduler leader does
(app/rollups.py): the first build over the seeded year, then one run as every five minutes
after, each timed; the page then reads closed days from them and counts today live.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import statistics
import time
from datetime import timedelta

import aiohttp
from aiohttp.test_utils import TestServer
from sqlalchemy import delete, func, select

from app.history import CHANNEL_SHARES
from app.inbox.staff import add_staff
from app.rollups import SINCE_KEY, Rollups
from app.web import create_app
from bench import shop
from bench.webhook import reset_postgres
from bot.clock import utcnow
from bot.config import Settings
from bot.storage.engine import make_engine, make_sessionmaker
from bot.storage.migrate import upgrade
from bot.storage.models import DashboardDay, DashboardDirty, KeyValue, MessageRecord, Order, Staff

DEFAULT_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/test_dashboard_bench"
WEEKS = 52
EMAIL, PASSWORD = "owner@bench.local", shop.STAFF_PASSWORD
CSRF = re.compile(r'name="csrf" value="([^"]+)"')


async def seed(url: str, orders: int) -> None:
    if url.startswith("postgresql"):
        await reset_postgres(url)
    await shop.seed(url, orders, weeks=WEEKS, channels=CHANNEL_SHARES, progress=lambda line: print(line, flush=True))


async def sizes(url: str) -> tuple[int, int]:
    engine = make_engine(url)
    async with make_sessionmaker(engine)() as session:
        counts = (int(await session.scalar(select(func.count()).select_from(Order)) or 0),
                  int(await session.scalar(select(func.count()).select_from(MessageRecord)) or 0))
    await engine.dispose()
    return counts


def settings_of(url: str) -> Settings:
    return Settings.from_env({"HAUMAI_DATABASE_URL": url, "HAUMAI_SECRET_KEY": "bench-secret-key-long-enough",
                              "HAUMAI_LOG_LEVEL": "WARNING"})


async def roll_up(url: str, rebuild: bool) -> None:
    """Build the roll-ups as the leader would: from none (first run), then again (a later run)."""
    await asyncio.to_thread(upgrade, url)
    engine = make_engine(url)
    sessions = make_sessionmaker(engine)
    if rebuild:
        async with sessions.begin() as session:
            await session.execute(delete(DashboardDay))
            await session.execute(delete(DashboardDirty))
            await session.execute(delete(KeyValue).where(KeyValue.key == SINCE_KEY))
    rollups = Rollups(sessions, utcnow, lambda: settings_of(url).zone)
    for label in ("roll-ups brought up to date", "roll-ups, the next run"):
        built = await rollups.run()
        print(f"  {label:<28} {built.days:4d} days in {built.seconds:6.1f} s", flush=True)
    await engine.dispose()


async def time_pages(url: str, runs: int) -> None:
    await _add_owner(url)  # before the app opens the database: on SQLite this process may hold one connection only
    settings = settings_of(url)
    server = TestServer(create_app(settings), port=0)
    await server.start_server()
    try:
        async with aiohttp.ClientSession(base_url=str(server.make_url("/")), cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:
            await _log_in(http)
            today = utcnow().date()
            pages = (("last 30 days", "/dashboard"), ("one channel (zalo)", "/dashboard?channel=zalo"),
                     ("90 days", f"/dashboard?from={(today - timedelta(days=89)).isoformat()}&to={today.isoformat()}"))
            for label, path in pages:
                times = []
                for _ in range(runs + 1):  # the first warms the caches and is not counted
                    started = time.perf_counter()
                    async with http.get(path) as response:
                        assert response.status == 200, response.status
                        await response.read()
                    times.append(1000 * (time.perf_counter() - started))
                counted = times[1:]
                print(f"  GET {label:<20} median {statistics.median(counted):6.0f} ms   max {max(counted):6.0f} ms   ({runs} runs)")
    finally:
        await server.close()


async def _add_owner(url: str) -> None:
    engine = make_engine(url)
    sessions = make_sessionmaker(engine)
    async with sessions() as session:
        known = await session.scalar(select(Staff.id).where(Staff.email == EMAIL))
    if known is None:
        await add_staff(sessions, EMAIL, "Owner", "admin", PASSWORD, utcnow())
    await engine.dispose()


async def _log_in(http: aiohttp.ClientSession) -> None:
    async with http.get("/login") as response:
        token = CSRF.search(await response.text())
    assert token is not None
    async with http.post("/login", data={"csrf": token.group(1), "email": EMAIL, "password": PASSWORD}) as response:
        assert response.status == 200 and response.url.path == "/inbox", response.status


async def main(args: argparse.Namespace) -> None:
    if not args.reuse:
        print(f"seeding {args.orders:,} orders over {WEEKS} weeks into {args.database_url.split('@')[-1]}", flush=True)
        await seed(args.database_url, args.orders)
    orders, messages = await sizes(args.database_url)
    print(f"{orders:,} orders, {messages:,} messages")
    await roll_up(args.database_url, args.rebuild)
    await time_pages(args.database_url, args.runs)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--reuse", action="store_true", help="time the pages on what an earlier run seeded")
    parser.add_argument("--rebuild", action="store_true", help="drop the roll-ups first, to time their first build")
    asyncio.run(main(parser.parse_args()))
