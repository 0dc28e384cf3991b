"""A redis-server of our own on a free port, for outages: the shared one is never stopped."""

from __future__ import annotations

import asyncio
import socket
from contextlib import asynccontextmanager
from typing import AsyncIterator

from redis.asyncio import Redis
from redis.exceptions import RedisError


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class RedisServer:
    def __init__(self) -> None:
        self.port = _free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self._process: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        self._process = await asyncio.create_subprocess_exec(
            "redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
        )
        probe = Redis.from_url(self.url)
        try:
            for _ in range(100):
                try:
                    await probe.ping()
                    return
                except (RedisError, OSError):
                    await asyncio.sleep(0.05)
            raise RuntimeError("redis-server did not start")
        finally:
            await probe.aclose()

    async def stop(self) -> None:
        if self._process is not None:
            self._process.kill()
            await self._process.wait()
            self._process = None



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


@asynccontextmanager
async def redis_server() -> AsyncIterator[RedisServer]:
    server = RedisServer()
    await server.start()
    try:
        yield server
    finally:
        await server.stop()
