from __future__ import annotations

from typing import AsyncIterator

import pytest
from aiohttp.test_utils import TestClient
from pytest_aiohttp import AiohttpClient

from app.sse import KEEPALIVE
from app.web import create_app
from tests.apps import MovableClock, ServedLikeProduction, settings_for
from tests.conftest import Backend
from tests.fakes import graph as graph_wire
from tests.fakes import zalo as zalo_wire
from tests.fakes.carriers import FakeGhn
from tests.fakes.graph import FakeGraph
from tests.fakes.server import running
from tests.fakes.telegram import TOKEN, FakeTelegram
from tests.fakes.zalo import FakeZalo

WEBHOOK_SECRET = "tg-webhook-secret-123"


@pytest.fixture
def clock() -> MovableClock:
    return MovableClock()


@pytest.fixture
async def telegram() -> AsyncIterator[FakeTelegram]:
    async for fake in running(FakeTelegram()):
        yield fake


@pytest.fixture
async def client(aiohttp_client: AiohttpClient, backend: Backend, clock: MovableClock, telegram: FakeTelegram) -> TestClient:
    return await aiohttp_client(create_app(settings_for(backend, **telegram_env(telegram)), clock=clock))


@pytest.fixture
async def served(aiohttp_client: AiohttpClient, backend: Backend, clock: MovableClock, telegram: FakeTelegram) -> TestClient:
    """The app served as in production, live-stream keepalives every 0.2 s instead of 15 s."""
    app = create_app(settings_for(backend, **telegram_env(telegram)), clock=clock)
    app[KEEPALIVE] = 0.2
    return await aiohttp_client(ServedLikeProduction(app))


@pytest.fixture
async def ghn() -> AsyncIterator[FakeGhn]:
    async for fake in running(FakeGhn()):
        yield fake


@pytest.fixture
async def carrier_client(aiohttp_client: AiohttpClient, backend: Backend, telegram: FakeTelegram, ghn: FakeGhn, clock: MovableClock) -> TestClient:
    settings = settings_for(
        backend, **telegram_env(telegram), HAUMAI_GHN_TOKEN="ghn-token", HAUMAI_GHN_API_BASE=ghn.base,
        HAUMAI_VIETTELPOST_TOKEN="vtp-secret",
    )
    return await aiohttp_client(create_app(settings, clock=clock))




@pytest.fixture
async def graph() -> AsyncIterator[FakeGraph]:
    async for fake in running(FakeGraph()):
        yield fake


@pytest.fixture
async def zalo() -> AsyncIterator[FakeZalo]:
    async for fake in running(FakeZalo()):
        yield fake


def messenger_env(graph: FakeGraph) -> dict[str, str]:
    return {"HAUMAI_MESSENGER_PAGE_TOKEN": graph_wire.PAGE_TOKEN, "HAUMAI_MESSENGER_APP_SECRET": graph_wire.APP_SECRET,
            "HAUMAI_MESSENGER_VERIFY_TOKEN": graph_wire.VERIFY_TOKEN, "HAUMAI_MESSENGER_API_BASE": f"{graph.base}/v23.0"}


def zalo_env(zalo: FakeZalo) -> dict[str, str]:
    return {"HAUMAI_ZALO_APP_ID": zalo_wire.APP_ID, "HAUMAI_ZALO_OA_SECRET_KEY": zalo_wire.OA_SECRET,
            "HAUMAI_ZALO_ACCESS_TOKEN": zalo_wire.ACCESS_TOKEN, "HAUMAI_ZALO_API_BASE": zalo.base,
            "HAUMAI_ZALO_BUSINESS_API_BASE": zalo.base, "HAUMAI_ZALO_OAUTH_BASE": zalo.base}


def telegram_env(telegram: FakeTelegram) -> dict[str, str]:
    return {"HAUMAI_TELEGRAM_TOKEN": TOKEN, "HAUMAI_TELEGRAM_WEBHOOK_SECRET": WEBHOOK_SECRET,
            "HAUMAI_TELEGRAM_API_BASE": telegram.base}
