"""kill -9 of a dispatcher process mid-run: messages lost, duplicated, and in flight at the kill.

5,000 messages are due. A dispatcher process (four dispatchers, tests.scheduler.dispatch_worker)
sends them to a local provider that records every arrival; once a third has arrived it is
killed with SIGKILL. Its leases are then treated as run out (the sweeper's step, without
waiting the 60 s), and a fresh process sends the rest. SQLite unless a PostgreSQL URL is given.

A request that started may have arrived or not: it is marked `unknown` and never resent, so
nothing is duplicated, and the in-flight requests that did not arrive are the only messages
not delivered, each of them marked for a person. Nothing claimed but unstarted is lost.
"""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path
from typing import Callable

from bench.webhook import reset_postgres
from bot.storage.migrate import upgrade
from tests.scheduler.kill_drill import Provider, Reckoning, fill, kill, reckon, serving, spawn, statuses, sweep_after_lease

MESSAGES = 5000
WORKERS = 4
RUN_LIMIT = 45.0  # seconds for either process; the scenario fails rather than hang


async def measure(database_url: str | None = None) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as scratch:
        url = database_url or f"sqlite+aiosqlite:///{Path(scratch) / 'kill_dispatch.db'}"
        if url.startswith("postgresql"):
            await reset_postgres(url)
        await asyncio.to_thread(upgrade, url)
        await fill(url, MESSAGES)
        outcome = await _drill(url)
    return {
        "messages due": MESSAGES,
        "lost (never delivered, not marked unknown)": outcome.lost,
        "duplicated": outcome.duplicated,
        "requests started at the kill whose outcome was not stored": outcome.in_flight,
        "never delivered (in flight at the kill: marked unknown, not resent)": outcome.undelivered,
        "claimed but not started at the kill (sent after the restart)": outcome.unstarted,
    }


async def _drill(url: str) -> Reckoning:
    provider = Provider()
    async with serving(provider) as provider_url:
        victim = await spawn(url, provider_url, "victim", WORKERS)
        try:
            await asyncio.wait_for(_until(lambda: provider.received >= MESSAGES // 3), RUN_LIMIT)
        finally:
            await kill(victim)
        at_kill = await statuses(url)
        await sweep_after_lease(url)
        survivor = await spawn(url, provider_url, "survivor", WORKERS)
        try:
            await asyncio.wait_for(survivor.wait(), RUN_LIMIT)
        finally:
            await kill(survivor)
    return await reckon(url, provider, at_kill, MESSAGES)


async def _until(condition: Callable[[], bool]) -> None:
    while not condition():
        await asyncio.sleep(0.002)
