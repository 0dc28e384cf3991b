from __future__ import annotations

from typing import AsyncIterator

import pytest
from aiohttp.test_utils import TestClient

from bot.app import create_app
from tests.apps import MovableClock, settings_for
from tests.conftest import Backend
from tests.fakes.carriers import FakeGhn
from tests.fakes.telegram import TOKEN, FakeTelegram

WEBHOOK_SECRET = "tg-webhook-secret-123"


@pytest.fixture
def clock() -> MovableClock:
    return MovableClock()


@pytest.fixture
async def telegram() -> AsyncIterator[FakeTelegram]:
    fake = FakeTelegram()
    fake.base_url = await fake.start()  # type: ignore[attr-defined]
    yield fake
    await fake.close()


@pytest.fixture
async def client(aiohttp_client, backend: Backend, clock: MovableClock, telegram: FakeTelegram) -> TestClient:  # type: ignore[no-untyped-def]
    settings = settings_for(
        backend,
        HAUMAI_TELEGRAM_TOKEN=TOKEN,
        HAUMAI_TELEGRAM_WEBHOOK_SECRET=WEBHOOK_SECRET,
        HAUMAI_TELEGRAM_API_BASE=telegram.base_url,  # type: ignore[attr-defined]
    )
    return await aiohttp_client(create_app(settings, clock=clock))


@pytest.fixture
async def ghn() -> AsyncIterator[FakeGhn]:
    fake = FakeGhn()
    fake.base = await fake.start()  # type: ignore[attr-defined]
    yield fake
    await fake.close()


@pytest.fixture
async def carrier_client(aiohttp_client, backend: Backend, telegram: FakeTelegram, ghn: FakeGhn, clock: MovableClock) -> TestClient:  # type: ignore[no-untyped-def]
    settings = settings_for(
        backend, HAUMAI_TELEGRAM_TOKEN=TOKEN, HAUMAI_TELEGRAM_WEBHOOK_SECRET=WEBHOOK_SECRET,
        HAUMAI_TELEGRAM_API_BASE=telegram.base_url, HAUMAI_GHN_TOKEN="ghn-token",  # type: ignore[attr-defined]
        HAUMAI_GHN_API_BASE=ghn.base, HAUMAI_VIETTELPOST_TOKEN="vtp-secret",  # type: ignore[attr-defined]
    )
    return await aiohttp_client(create_app(settings, clock=clock))


