"""Live streams against `haumai serve` on Redis: do closed streams leak, does an idle one deliver?

Opens and closes STREAMS web chat streams and counts the pub/sub connections left on a
redis-server of its own (issue 10: each closed stream used to keep one, and 64 took the replica
down); then posts chat messages, which used to fail once the pool was empty. Meanwhile one
stream stays idle past the production keepalive (15 s) and must still deliver the next reply,
once.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
import uuid
from contextlib import suppress
from pathlib import Path

import aiohttp

from app.sse import KEEPALIVE_SECONDS
from bench.server import free_port, start_haumai
from tests.fakes.redis_process import redis_server, subscriber_connections
from tests.flows.sse import KEEPALIVE, EventReader

STREAMS = 200
POSTS_AFTER = 20


async def measure() -> dict[str, float]:
    async with redis_server() as redis:
        port = free_port()
        database = Path(tempfile.mkdtemp()) / "bench.db"
        server = await start_haumai({
            "HAUMAI_DATABASE_URL": f"sqlite+aiosqlite:///{database}", "HAUMAI_REDIS_URL": redis.url,
            "HAUMAI_SECRET_KEY": "bench-secret-key-long-enough",
        }, port)
        try:
            async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as http:
                chat = Chat(http, f"http://127.0.0.1:{port}")
                return {**await _open_and_close(chat, redis.url), **await _idle_stream_delivers(chat)}
        finally:
            server.terminate()
            await server.wait()


class Chat:
    def __init__(self, http: aiohttp.ClientSession, base: str) -> None:
        self.http, self.base = http, base

    async def session(self) -> str:
        async with self.http.post(f"{self.base}/chat/api/session") as response:
            return str((await response.json())["session"])

    async def stream(self, session: str) -> EventReader:
        return EventReader(await self.http.get(f"{self.base}/chat/api/stream", params={"session": session}))

    async def say(self, session: str, text: str) -> int:
        body = {"session": session, "id": uuid.uuid4().hex, "text": text}
        async with self.http.post(f"{self.base}/chat/api/messages", json=body) as response:
            return response.status


async def _open_and_close(chat: Chat, redis_url: str) -> dict[str, float]:
    before = await subscriber_connections(redis_url)
    streams = [await chat.stream(await chat.session()) for _ in range(STREAMS)]
    await asyncio.sleep(1.0)  # every stream subscribed
    during = await subscriber_connections(redis_url)
    for stream in streams:
        stream.close()
    await asyncio.sleep(3.0)  # a departed client is noticed within a second
    leaked = await subscriber_connections(redis_url) - before
    session = await chat.session()
    statuses = [await chat.say(session, f"chào shop {n}") for n in range(POSTS_AFTER)]
    failed = sum(status >= 500 for status in statuses)
    return {
        "streams opened and closed": float(STREAMS),
        "Redis pub/sub connections while open": float(during - before),
        "pub/sub connections left after closing": float(leaked),
        "chat posts answered 5xx afterwards": float(failed),
    }


async def _idle_stream_delivers(chat: Chat) -> dict[str, float]:
    session = await chat.session()
    stream = await chat.stream(session)
    while await stream.next(timeout=KEEPALIVE_SECONDS + 5) is not KEEPALIVE:
        pass  # silent for a whole keepalive interval
    said = time.monotonic()
    await chat.say(session, "chào shop")
    reply = (await stream.until(1))[0]
    waited = time.monotonic() - said
    deliveries = 1
    with suppress(TimeoutError):  # anything more within 2 s: a duplicate if it has the reply's id
        while True:
            deliveries += (await stream.next(timeout=2.0)).id == reply.id
    stream.close()
    return {"deliveries after idling past the keepalive": float(deliveries), "seconds to that delivery": round(waited, 3)}
