"""The systems of the table, each started as its own process the same way, on a fresh database."""

from __future__ import annotations

import asyncio
import importlib.util
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Awaitable, Callable

import aiohttp

from bench.server import wait_until_up
from bench.webhook import API_KEY, fresh_database, reset_redis, start_server


@dataclass(frozen=True)
class Where:
    """What a system may run on in this run: the fake Bot API, a scratch folder, the
    PostgreSQL and Redis the command line named (None when it did not), and how much of a
    shop's past Haumai's database starts with."""

    api_base: str
    scratch: Path
    database_url: str | None
    redis_url: str | None
    history: int  # orders of a shop's past in Haumai's database (bench.shop), 0 for an empty schema


Starter = Callable[[Where, int, int], Awaitable[asyncio.subprocess.Process]]  # where, port, run number


@dataclass(frozen=True)
class System:
    key: str
    title: str
    start: Starter
    replies: bool = True
    haumai_workers: int = 0  # 0: a yardstick or peer, not Haumai
    needs_postgres: bool = False
    needs_redis: bool = False
    needs_module: str | None = None  # a `[bench]` dependency

    def cannot_run(self, where: Where) -> str | None:
        """Why this system is left out of this run, or None."""
        if self.needs_module and importlib.util.find_spec(self.needs_module) is None:
            return f"needs {self.needs_module}: pip install -e '.[bench]'"
        if self.needs_postgres and where.database_url is None:
            return "needs --database-url postgresql+asyncpg://…"
        if self.needs_redis and where.redis_url is None:
            return "needs --redis-url redis://…"
        return None


def peer(module: str, *, orm: bool = False) -> Starter:
    async def start(where: Where, port: int, run: int) -> asyncio.subprocess.Process:
        database = ["--database-url", f"sqlite+aiosqlite:///{where.scratch / f'peer-{run}.db'}"] if orm else []
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", f"bench.peers.{module}", "--port", str(port), "--api-base", where.api_base, *database,
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
        )
        return await wait_until_up(process, port)

    return start


def haumai(workers: int, *, postgres: bool, module: str = "bot") -> Starter:
    async def start(where: Where, port: int, run: int) -> asyncio.subprocess.Process:
        scratch_file = f"sqlite+aiosqlite:///{where.scratch / f'haumai-{workers}-{run}-{module}.db'}"
        url = (where.database_url if postgres else None) or scratch_file
        await fresh_database(url, where.history)
        if where.redis_url is not None:
            await reset_redis(where.redis_url)
        redis = where.redis_url if workers > 1 or postgres else None
        process = await start_server(url, redis, where.api_base, port, workers, module)
        await _seed_order(port)
        return process

    return start


async def _seed_order(port: int) -> None:
    """The order the load asks about ("đơn HM1001 tới đâu rồi shop?")."""
    order = {"code": "HM1001", "customer": {"name": "Lan", "phone": "0987654321"}, "carrier": "ghn",
             "tracking_code": "LBK3X7QH", "status": "in_transit"}
    async with aiohttp.ClientSession() as http:
        async with http.post(f"http://127.0.0.1:{port}/api/v1/orders", json=order,
                             headers={"Authorization": f"Bearer {API_KEY}"}) as response:
            response.raise_for_status()


SYSTEMS = [
    System("bare", "bare aiohttp handler (ceiling, no work)", peer("bare"), replies=False),
    System("aiogram", "aiogram 3, fixed text, no storage, no NLU", peer("aiogram_fixed"), needs_module="aiogram"),
    System("aiogram-orm", "aiogram 3 + SQLAlchemy ORM, order lookup, a commit per message",
           peer("aiogram_orm", orm=True), needs_module="aiogram"),
    System("ptb", "python-telegram-bot 22, fixed text", peer("ptb_fixed")),
    System("haumai-sqlite", "Haumai, SQLite, 1 worker", haumai(1, postgres=False), haumai_workers=1),
    System("haumai-acks", "Haumai, SQLite, 1 worker, acks only (turns stopped: the ack path's ceiling)",
           haumai(1, postgres=False, module="bench.peers.haumai_acks"), replies=False, haumai_workers=1),
    System("haumai-sqlite-2", "Haumai, SQLite + Redis, --workers 2", haumai(2, postgres=False), haumai_workers=2,
           needs_redis=True),
    System("haumai-pg", "Haumai, PostgreSQL + Redis, 1 worker", haumai(1, postgres=True), haumai_workers=1,
           needs_postgres=True, needs_redis=True),
    System("haumai-pg-2", "Haumai, PostgreSQL + Redis, --workers 2", haumai(2, postgres=True), haumai_workers=2,
           needs_postgres=True, needs_redis=True),
]
