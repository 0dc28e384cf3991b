"""kill -9 of a dispatcher process mid-run: messages lost, duplicated, and in flight at the kill.

5,000 messages are due. A dispatcher process (four dispatchers, tests.scheduler.dispatch_worker)
sends them to a local provider that records every arrival; once a third has arrived it is
killed with SIGKILL. Its leases are then treated as run out (the sweeper's step, without
waiting the 60 s), and a fresh process sends the rest. SQLite unless a PostgreSQL URL is given.

A request in flight at the kill may have arrived or not: it is sent again, so nothing is lost
and at most the requests in flight arrive twice. Claimed but unstarted rows are simply due again.
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
        "lost (never delivered)": outcome.lost,
        "duplicated": outcome.duplicated,
        "in flight at the kill (started, outcome not stored)": outcome.in_flight,
        "claimed but not started at the kill": outcome.unstarted,
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
