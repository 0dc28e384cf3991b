"""The app with every order source's secret set, beside a fake Telegram the journey speaks through."""

from __future__ import annotations

from typing import AsyncIterator

import pytest
from aiohttp.test_utils import TestClient
from pytest_aiohttp import AiohttpClient

from app.web import create_app
from tests.apps import MovableClock, settings_for
from tests.conftest import Backend
from tests.fakes.server import running
from tests.fakes.telegram import FakeTelegram
from tests.flows.conftest import telegram_env
from tests.sources.platforms import SECRETS


@pytest.fixture
def clock() -> MovableClock:
    return MovableClock()


@pytest.fixture
async def telegram() -> AsyncIterator[FakeTelegram]:
    async for fake in running(FakeTelegram()):
        yield fake


@pytest.fixture
async def client(aiohttp_client: AiohttpClient, backend: Backend, clock: MovableClock, telegram: FakeTelegram) -> TestClient:
    env = {f"HAUMAI_{platform.upper()}_WEBHOOK_SECRET": secret for platform, secret in SECRETS.items()}
    return await aiohttp_client(create_app(settings_for(backend, **telegram_env(telegram), **env), clock=clock))
