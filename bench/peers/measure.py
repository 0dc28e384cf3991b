"""One run of one system: start it, warm it up, load it, wait until its replies drain, stop it."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

import aiohttp

from bench.peers.load import drive
from bench.peers.proctree import cpu_seconds, peak_rss_mb
from bench.peers.settle import settled
from bench.peers.systems import System, Where
from bench.server import free_port
from bench.webhook import Load
from tests.fakes.telegram import FakeTelegram

WARM_UP = 50  # updates answered before measuring: imports, pools and caches are warm
STALL_SECONDS = 10.0  # no new reply for this long: what is unanswered by then stays unanswered
FIRST_LOAD_ID = 100_000_000  # above the warm-up's chats (bench.webhook.Load starts at 10,000,000)


@dataclass(frozen=True)
class Options:
    seconds: float
    connections: int
    drain_seconds: float  # the longest wait for replies after the load stops


@dataclass(frozen=True)
class Run:
    acks_per_s: float
    ack_p99_ms: float
    replies_loading: float | None  # replies/s while the load lasted
    replies_sustained: float | None  # replies/s from the load's start until the last reply
    unanswered: int | None  # acked updates never answered
    cpu_ms_per_reply: float | None
    peak_rss_mb: float


class Replies:
    """When the fake Bot API first answered each chat, counting from `mark()`."""

    def __init__(self, fake: FakeTelegram) -> None:
        self._fake, self._from = fake, 0

    def mark(self) -> None:
        self._from = len(self._fake.calls)

    def answered(self) -> dict[int, float]:
        first: dict[int, float] = {}
        for call in self._fake.calls[self._from:]:
            if call.method == "sendMessage" and call.ok:
                first.setdefault(int(call.params["chat_id"]), call.at)
        return first

    async def drained(self, expected: int, give_up_after: float) -> dict[int, float]:
        """Answers once `expected` chats are answered, replies stall, or time is up."""
        deadline, last_count, last_change = time.monotonic() + give_up_after, -1, time.monotonic()
        while True:
            answered = self.answered()
            now = time.monotonic()
            if len(answered) != last_count:
                last_count, last_change = len(answered), now
            if len(answered) >= expected or now - last_change > STALL_SECONDS or now > deadline:
                return answered
            await asyncio.sleep(0.2)


async def warm_up(load: Load) -> None:
    """A few updates answered end to end (later updates of `load` go to fresh chats)."""
    already = len(load.fake.sent())
    await load.acks(WARM_UP, concurrency=8)
    await load.replies_reach(already + WARM_UP)


async def stop(server: asyncio.subprocess.Process) -> None:
    if server.returncode is None:
        server.terminate()
        try:
            await asyncio.wait_for(server.wait(), 30)
        except asyncio.TimeoutError:
            server.kill()
            await server.wait()


async def measure(system: System, where: Where, fake: FakeTelegram, options: Options, run: int) -> Run:
    fake.calls.clear()  # what earlier systems got is not needed again
    await settled()
    server = await system.start(where, port := free_port(), run)
    try:
        if system.replies:
            async with aiohttp.ClientSession() as http:
                await warm_up(Load(http, f"http://127.0.0.1:{port}", fake))
        replies = Replies(fake)
        replies.mark()
        cpu_before, started = cpu_seconds(server.pid), time.monotonic()
        load = await drive(port, options.seconds, options.connections, FIRST_LOAD_ID + run * 10_000_000)
        stopped = time.monotonic()
        acks, p99 = load.acked / load.seconds, load.p99_ms
        if not system.replies:
            return Run(acks, p99, None, None, None, None, peak_rss_mb(server.pid))
        answered = await replies.drained(load.acked, options.drain_seconds)
        cpu = cpu_seconds(server.pid) - cpu_before
        last = max(answered.values(), default=stopped)
        return Run(
            acks, p99,
            replies_loading=sum(1 for at in answered.values() if at <= stopped) / (stopped - started),
            replies_sustained=len(answered) / max(last - started, 1e-9),
            unanswered=max(0, load.acked - len(answered)),  # in flight when the load stopped: answered, not counted
            cpu_ms_per_reply=cpu * 1000 / len(answered) if answered else None,
            peak_rss_mb=peak_rss_mb(server.pid),
        )
    finally:
        await stop(server)
