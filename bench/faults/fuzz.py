"""Fuzzed, correctly signed requests over every route of an in-process app on SQLite.

The requests are the property test's (tests/hostile.py), drawn up front by hypothesis and
then sent one after another; reported: how many got a 5xx other than 503 (a failure), how
many a 503 (a dependency refusing; providers retry), out of how many.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from pathlib import Path

from aiohttp.test_utils import TestClient, TestServer
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from app.web import create_app
from bot.storage.migrate import upgrade
from tests.apps import MovableClock, settings_for
from tests.conftest import Backend
from tests.fakes.graph import FakeGraph
from tests.fakes.telegram import FakeTelegram
from tests.fakes.zalo import FakeZalo
from tests.flows.conftest import messenger_env, telegram_env, zalo_env
from tests.hostile import VIETTELPOST_TOKEN, HostileRequest, Visitor, hostile_requests, routes

REQUESTS = 5_000
TIME_LIMIT = 50.0  # seconds of sending; fewer requests are reported if the machine is slow


def draw_requests(visitor: Visitor, count: int) -> list[HostileRequest]:
    drawn: list[HostileRequest] = []
    app_routes = routes(visitor.client.app)

    @settings(max_examples=count, database=None, deadline=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(st.data())
    def collect(data: st.DataObject) -> None:
        drawn.append(data.draw(hostile_requests(app_routes, visitor)))

    collect()
    return drawn


async def measure() -> dict[str, float]:
    telegram, graph, zalo = FakeTelegram(), FakeGraph(), FakeZalo()
    await telegram.start()
    await graph.start()
    await zalo.start()
    with tempfile.TemporaryDirectory() as folder:
        database = f"sqlite+aiosqlite:///{Path(folder) / 'fuzz.db'}"
        await asyncio.to_thread(upgrade, database)  # alembic runs its own event loop
        backend = Backend("embedded", database, None)
        env = {**telegram_env(telegram), **messenger_env(graph), **zalo_env(zalo), "HAUMAI_VIETTELPOST_TOKEN": VIETTELPOST_TOKEN}
        client = TestClient(TestServer(create_app(settings_for(backend, **env), clock=MovableClock())))
        await client.start_server()
        try:
            visitor = await Visitor(client, "fuzz@shop.vn").start()
            statuses = []
            deadline = time.monotonic() + TIME_LIMIT
            for request in draw_requests(visitor, REQUESTS):
                if time.monotonic() > deadline:
                    break
                statuses.append(await visitor.send(request))
        finally:
            await client.close()
            for fake in (telegram, graph, zalo):
                await fake.close()
    return {
        "fuzzed requests": float(len(statuses)),
        "answered 5xx other than 503": float(sum(s >= 500 and s != 503 for s in statuses)),
        "answered 503": float(sum(s == 503 for s in statuses)),
    }
