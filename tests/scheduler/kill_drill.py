"""The parts of a kill -9 drill on the dispatcher, shared by the exactly-once tests and
bench.faults.kill_dispatch: an outbox full of due messages, dispatcher processes
(tests.scheduler.dispatch_worker), a provider that records what reached it, and the
reckoning afterwards (lost, duplicated, in flight)."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections import Counter
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import AsyncIterator

from aiohttp import web
from sqlalchemy import func, select

from bot.outbox import OutboxBody, OutboxKind, OutboxMessage, enqueue
from bot.storage.engine import make_engine, make_sessionmaker
from bot.storage.models import Outbox
from channels.models import Address, ChannelKind
from scheduler.dispatcher import LEASE
from scheduler.sweeper import expire_claims
from tests.scheduler.dispatch_worker import NOON

ROOT = Path(__file__).resolve().parents[2]


class Provider:
    """Records each message key as its request arrives. Once `hold_after` requests arrived it
    stops answering and holds the next ones open, until `release()`: a kill then finds every
    started request in flight at the provider, not somewhere in between."""

    def __init__(self, hold_after: int | None = None) -> None:
        self.keys: Counter[str] = Counter()
        self.held = 0
        self._hold_after = hold_after
        self._released = asyncio.Event()

    @property
    def received(self) -> int:
        return sum(self.keys.values())

    def release(self) -> None:
        self._released.set()

    async def handle(self, request: web.Request) -> web.Response:
        self.keys[(await request.json())["key"]] += 1
        if self._hold_after is not None and self.received > self._hold_after and not self._released.is_set():
            self.held += 1
            await self._released.wait()
        return web.json_response({"ok": True})


@asynccontextmanager
async def serving(provider: Provider) -> AsyncIterator[str]:
    """The provider on a free local port; yields its send URL."""
    app = web.Application()
    app.router.add_post("/send", provider.handle)
    runner = web.AppRunner(app, shutdown_timeout=0.1)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    try:
        yield f"http://{host}:{port}/send"
    finally:
        provider.release()
        await runner.cleanup()


async def fill(url: str, count: int) -> None:
    """`count` messages due now, to 97 recipients."""
    engine = make_engine(url)
    async with make_sessionmaker(engine).begin() as session:
        for n in range(count):
            await enqueue(session, OutboxMessage(
                key=f"m{n}", kind=OutboxKind.REPLY, to=Address(ChannelKind.WEB, f"u{n % 97}"),
                body=OutboxBody(f"message {n}"), due_at=NOON, contact_id=None, conversation_id=None,
            ), now=NOON)
    await engine.dispose()


async def statuses(url: str) -> Counter[str]:
    engine = make_engine(url)
    async with make_sessionmaker(engine)() as session:
        rows = (await session.execute(select(Outbox.status, func.count()).group_by(Outbox.status))).all()
    await engine.dispose()
    return Counter({status: count for status, count in rows})


async def spawn(url: str, provider_url: str, name: str, workers: int) -> asyncio.subprocess.Process:
    """A dispatcher process with `workers` dispatchers; it exits once nothing is due."""
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "tests.scheduler.dispatch_worker", url, provider_url, name, str(workers),
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


async def kill(process: asyncio.subprocess.Process) -> None:
    """SIGKILL, unless it already ended."""
    if process.returncode is None:
        process.send_signal(signal.SIGKILL)
    await process.wait()


async def sweep_after_lease(url: str) -> None:
    """What the sweeper of a surviving replica does once the killed one's leases ran out."""
    engine = make_engine(url)
    await expire_claims(make_sessionmaker(engine), lambda: NOON + LEASE + timedelta(seconds=2))
    await engine.dispose()


@dataclass(frozen=True, slots=True)
class Reckoning:
    lost: int  # never reached the provider
    duplicated: int  # reached the provider more than once
    in_flight: int  # request started, outcome not stored when the process died (`sending`)
    unstarted: int  # claimed by the killed process, no request started (`claimed`)


async def reckon(url: str, provider: Provider, at_kill: Counter[str], messages: int) -> Reckoning:
    """`at_kill`: the outbox's statuses right after the kill, before any sweep."""
    return Reckoning(
        lost=len({f"m{n}" for n in range(messages)} - set(provider.keys)),
        duplicated=sum(1 for count in provider.keys.values() if count > 1),
        in_flight=at_kill["sending"],
        unstarted=at_kill["claimed"],
    )
