"""Apps wired to services a test can take away: a private Redis, a cuttable way to PostgreSQL."""

from __future__ import annotations

from typing import AsyncIterator

import pytest
from aiohttp.test_utils import TestClient
from pytest_aiohttp import AiohttpClient
from sqlalchemy import make_url

from app.web import create_app
from tests.apps import MovableClock, settings_for
from tests.conftest import Backend
from tests.fakes.redis_process import RedisProcess
from tests.fakes.redis_process import redis_server as own_redis_server
from tests.fakes.tcp_proxy import TcpProxy
from tests.fakes.telegram import FakeTelegram
from tests.flows.conftest import client, clock, telegram, telegram_env  # noqa: F401  (fixtures shared with the flows)


@pytest.fixture
async def redis_server() -> AsyncIterator[RedisProcess]:
    async with own_redis_server() as server:
        yield server


@pytest.fixture
async def redis_client(aiohttp_client: AiohttpClient, backend: Backend, clock: MovableClock, telegram: FakeTelegram, redis_server: RedisProcess) -> TestClient:
    """The app on either database, with the private Redis as its coordinator."""
    settings = settings_for(backend, HAUMAI_REDIS_URL=redis_server.url, **telegram_env(telegram))
    return await aiohttp_client(create_app(settings, clock=clock))


@pytest.fixture
async def postgres_proxy(backend: Backend) -> AsyncIterator[TcpProxy]:
    if backend.name != "scaled":
        pytest.skip("cutting the database off needs PostgreSQL (an open SQLite file cannot be taken away)")
    url = make_url(backend.database_url)
    proxy = TcpProxy(url.host or "127.0.0.1", url.port or 5432)
    await proxy.start()
    yield proxy
    await proxy.close()


@pytest.fixture
async def proxied_client(aiohttp_client: AiohttpClient, backend: Backend, clock: MovableClock, telegram: FakeTelegram, postgres_proxy: TcpProxy) -> TestClient:
    """The app reaching PostgreSQL only through the proxy."""
    url = make_url(backend.database_url).set(host="127.0.0.1", port=postgres_proxy.port)
    settings = settings_for(backend, HAUMAI_DATABASE_URL=url.render_as_string(hide_password=False), **telegram_env(telegram))
    return await aiohttp_client(create_app(settings, clock=clock))
