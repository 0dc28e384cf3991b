"""Several processes dispatching one outbox: every message sent once, none lost, even after
a kill -9 in the middle (only the requests in flight at the kill may arrive twice)."""

from __future__ import annotations

import asyncio

import pytest

from tests.conftest import Backend
from tests.scheduler.kill_drill import Provider, fill, kill, reckon, serving, spawn, statuses, sweep_after_lease

pytestmark = pytest.mark.slow


async def test_three_processes_send_each_message_exactly_once(backend: Backend) -> None:
    provider = Provider()
    await fill(backend.database_url, 600)
    async with serving(provider) as url:
        processes = [await spawn(backend.database_url, url, f"p{i}", 3) for i in range(3)]
        assert [await p.wait() for p in processes] == [0, 0, 0]
    assert len(provider.keys) == 600 and set(provider.keys.values()) == {1}
    assert await statuses(backend.database_url) == {"sent": 600}


async def _stalled(provider: Provider) -> None:
    """Until the provider holds requests and no new one has arrived for half a second."""
    seen, quiet = -1, 0
    while quiet < 10:
        await asyncio.sleep(0.05)
        quiet = quiet + 1 if provider.held and provider.received == seen else 0
        seen = provider.received


async def test_a_dispatcher_killed_mid_send_loses_nothing_and_duplicates_at_most_what_was_in_flight(
    backend: Backend,
) -> None:
    url, messages = backend.database_url, 5000
    provider = Provider(hold_after=1000)
    await fill(url, messages)
    async with serving(provider) as provider_url:
        victim = await spawn(url, provider_url, "victim", 4)
        await _stalled(provider)
        await kill(victim)
        at_kill = await statuses(url)
        provider.release()
        await sweep_after_lease(url)
        assert await (await spawn(url, provider_url, "survivor", 4)).wait() == 0
    outcome = await reckon(url, provider, at_kill, messages)
    assert outcome.unstarted > 0 and outcome.in_flight > 0  # the kill found both kinds of claimed rows
    assert outcome.lost == 0
    assert outcome.duplicated <= outcome.in_flight
    assert await statuses(url) == {"sent": messages}
