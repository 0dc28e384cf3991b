"""Redis restarted mid-traffic: are the updates sent during and after the outage all answered?

`haumai serve` (SQLite) runs in its own process against a private redis-server, which is
killed for a few seconds while updates keep coming, then started again on the same port.
Before supervision, the first failed publish killed the processing workers: every later
update got its 200 and no answer.
"""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

import aiohttp

from bench.server import free_port
from bench.webhook import SECRET, start_server
from tests.fakes.redis_process import RedisProcess
from tests.fakes.telegram import FakeTelegram, text_update

OUTAGE_SECONDS = 3.0
PER_PHASE = 40
ANSWER_WAIT_SECONDS = 20.0


async def _send(http: aiohttp.ClientSession, base: str, chats: range, spread: float = 0.0) -> list[int]:
    statuses = []
    for chat in chats:
        async with http.post(f"{base}/webhooks/telegram", json=text_update(chat, "đơn của em tới đâu rồi?"),
                             headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}) as response:
            statuses.append(response.status)
        await asyncio.sleep(spread / len(chats))
    return statuses


async def _answered(fake: FakeTelegram, chats: range) -> int:
    """How many of `chats` got a reply, waiting a bounded time for the last ones."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + ANSWER_WAIT_SECONDS
    while True:
        count = sum(1 for chat in chats if fake.texts_to(chat))
        if count == len(chats) or loop.time() > deadline:
            return count
        await asyncio.sleep(0.1)


async def measure() -> dict[str, float]:
    redis, fake = RedisProcess(), FakeTelegram()
    await redis.start()
    api_base, port = await fake.start(), free_port()
    database_url = f"sqlite+aiosqlite:///{Path(tempfile.mkdtemp()) / 'faults.db'}"
    server = await start_server(database_url, redis.url, api_base, port)
    base = f"http://127.0.0.1:{port}"
    during, after = range(2000, 2000 + PER_PHASE), range(3000, 3000 + PER_PHASE)
    try:
        async with aiohttp.ClientSession() as http:
            before = await _send(http, base, range(1000, 1010))
            await _answered(fake, range(1000, 1010))
            await redis.stop()
            statuses = before + await _send(http, base, during, spread=OUTAGE_SECONDS)
            await redis.start()
            statuses += await _send(http, base, after)
            answered_during, answered_after = await _answered(fake, during), await _answered(fake, after)
    finally:
        server.terminate()
        await server.wait()
        await fake.close()
        await redis.close()
    return {
        "updates sent while Redis was down": float(len(during)),
        "of those, answered during the outage": float(answered_during),
        "updates sent after it restarted": float(len(after)),
        "of those, answered after the restart": float(answered_after),
        "webhooks answered 5xx": float(sum(1 for status in statuses if status >= 500)),
    }
