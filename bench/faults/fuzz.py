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

from bot.app import create_app
from bot.inbox.staff import add_staff
from bot.storage.migrate import upgrade
from tests.apps import MovableClock, runtime_of, settings_for
from tests.conftest import Backend
from tests.fakes.graph import FakeGraph
from tests.fakes.telegram import FakeTelegram
from tests.fakes.zalo import FakeZalo
from tests.flows.conftest import messenger_env, telegram_env, zalo_env
from tests.hostile import VIETTELPOST_TOKEN, HostileRequest, Route, hostile_requests, routes
from tests.inbox.conftest import CSRF, PASSWORD

REQUESTS = 5_000
TIME_LIMIT = 50.0  # seconds of sending; fewer requests are reported if the machine is slow


def draw_requests(app_routes: list[Route], web_session: str, csrf: str, count: int) -> list[HostileRequest]:
    drawn: list[HostileRequest] = []

    @settings(max_examples=count, database=None, deadline=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(st.data())
    def collect(data: st.DataObject) -> None:
        drawn.append(data.draw(hostile_requests(app_routes, web_session, csrf)))

    collect()
    return drawn


async def _signed_in(client: TestClient) -> tuple[str, str]:
    runtime = runtime_of(client)
    await add_staff(runtime.sessions, "fuzz@shop.vn", "Fuzz", "agent", PASSWORD, runtime.clock())
    login_csrf = CSRF.search(await (await client.get("/login")).text())
    assert login_csrf is not None
    await client.post("/login", data={"csrf": login_csrf.group(1), "email": "fuzz@shop.vn", "password": PASSWORD})
    inbox_csrf = CSRF.search(await (await client.get("/inbox")).text())
    assert inbox_csrf is not None
    web_session = (await (await client.post("/chat/api/session")).json())["session"]
    return web_session, inbox_csrf.group(1)


async def measure() -> dict[str, float]:
    telegram, graph, zalo = FakeTelegram(), FakeGraph(), FakeZalo()
    telegram.base_url = await telegram.start()  # type: ignore[attr-defined]
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
            web_session, csrf = await _signed_in(client)
            requests = draw_requests(routes(client.app), web_session, csrf, REQUESTS)
            statuses = []
            deadline = time.monotonic() + TIME_LIMIT
            for request in requests:
                if time.monotonic() > deadline:
                    break
                response = await client.request(request.method, request.path, data=request.body,
                                                headers=request.headers, allow_redirects=False)
                response.close()
                statuses.append(response.status)
        finally:
            await client.close()
            for fake in (telegram, graph, zalo):
                await fake.close()
    return {
        "fuzz_requests": float(len(statuses)),
        "fuzz_5xx_not_503": float(sum(s >= 500 and s != 503 for s in statuses)),
        "fuzz_503": float(sum(s == 503 for s in statuses)),
    }
