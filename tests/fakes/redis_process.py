"""A private redis-server on a free loopback port, which a test may stop and start again.

Outage tests must never touch the shared Redis; this one lives and dies with the test.
"""

from __future__ import annotations

import asyncio
import shutil
import tempfile
from contextlib import asynccontextmanager
from pathlib import Path
from typing import AsyncIterator

from redis.asyncio import Redis

from bench.server import free_port


class RedisProcess:
    def __init__(self) -> None:
        self.port = free_port()
        self._dir = Path(tempfile.mkdtemp(prefix="haumai-redis-"))
        self._process: asyncio.subprocess.Process | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    async def start(self) -> None:
        """Start on the same port every time, and return once it accepts connections."""
        self._process = await asyncio.create_subprocess_exec(
            "redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
            "--dir", str(self._dir), stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
        )
        for _ in range(200):
            try:
                _, writer = await asyncio.open_connection("127.0.0.1", self.port)
            except OSError:
                await asyncio.sleep(0.02)
                continue
            writer.close()
            return
        raise RuntimeError("redis-server did not start")

    async def stop(self) -> None:
        """Kill it outright, as a crash or a restart would: open connections die with it."""
        if self._process is not None and self._process.returncode is None:
            self._process.kill()
            await self._process.wait()
        self._process = None

    async def close(self) -> None:
        await self.stop()
        shutil.rmtree(self._dir, ignore_errors=True)


@asynccontextmanager
async def redis_server() -> AsyncIterator[RedisProcess]:
    server = RedisProcess()
    await server.start()
    try:
        yield server
    finally:
        await server.close()


async def subscriber_connections(url: str) -> int:
    """Connections to the database of `url` that serve pub/sub (subscribed, or last used to
    (un)subscribe): a stream's only cost on Redis. Command connections idling in a pool are not."""
    probe = Redis.from_url(url)
    try:
        db = int(probe.connection_pool.connection_kwargs.get("db", 0))
        return sum(1 for client in await probe.client_list() if int(client["db"]) == db and _serves_pubsub(client))
    finally:
        await probe.aclose()


def _serves_pubsub(client: dict[str, str]) -> bool:
    return int(client["sub"]) + int(client["psub"]) > 0 or client["cmd"] in ("subscribe", "unsubscribe")
