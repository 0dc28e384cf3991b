"""Reply latency at a steady load (half the fixed-text bot's capacity): update sent → reply
received by the fake Bot API, both read on this machine's monotonic clock."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

import aiohttp

from bench.peers.measure import Replies, stop, warm_up
from bench.peers.settle import settled
from bench.peers.systems import System, Where
from bench.server import free_port
from bench.webhook import Load
from tests.fakes.telegram import FakeTelegram


@dataclass(frozen=True)
class Latency:
    rate: float
    p50_ms: float
    p95_ms: float  # inf when more than 5 % were never answered
    unanswered: int


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[max(0, int(len(ordered) * share) - 1)]


async def paced(load: Load, rate: float, seconds: float) -> dict[int, float]:
    """Send `rate` updates a second for `seconds`; when each chat's update was sent."""
    updates, sent_at, tasks = load.updates(int(rate * seconds)), {}, []
    start = time.monotonic()
    for n, update in enumerate(updates):
        await asyncio.sleep(max(0.0, start + n / rate - time.monotonic()))
        sent_at[update["message"]["chat"]["id"]] = time.monotonic()
        tasks.append(asyncio.create_task(load.post(update)))
    await asyncio.gather(*tasks)
    return sent_at


async def steady_latency(system: System, where: Where, fake: FakeTelegram, rate: float, seconds: float) -> Latency:
    fake.calls.clear()  # what earlier systems got is not needed again
    await settled()
    server = await system.start(where, port := free_port(), 99)
    try:
        async with aiohttp.ClientSession() as http:
            load = Load(http, f"http://127.0.0.1:{port}", fake)
            await warm_up(load)
            replies = Replies(fake)
            replies.mark()
            sent_at = await paced(load, rate, seconds)
        answered = await replies.drained(len(sent_at), give_up_after=60)
    finally:
        await stop(server)
    latencies = [(answered.get(chat, float("inf")) - at) * 1000 for chat, at in sent_at.items()]
    return Latency(rate, percentile(latencies, 0.5), percentile(latencies, 0.95), len(sent_at) - len(answered))
