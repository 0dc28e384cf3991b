"""The app with every order source's secret set, beside a fake Telegram the journey speaks through."""

from __future__ import annotations

import pytest
from aiohttp.test_utils import TestClient
from pytest_aiohttp import AiohttpClient

from app.web import create_app
from tests.apps import MovableClock, settings_for
from tests.conftest import Backend
from tests.fakes.telegram import FakeTelegram
from tests.flows.conftest import clock, telegram, telegram_env  # noqa: F401 (the flows' fixtures, shared)
from tests.sources.platforms import SECRETS


@pytest.fixture
async def client(aiohttp_client: AiohttpClient, backend: Backend, clock: MovableClock, telegram: FakeTelegram) -> TestClient:
    env = {f"HAUMAI_{platform.upper()}_WEBHOOK_SECRET": secret for platform, secret in SECRETS.items()}
    return await aiohttp_client(create_app(settings_for(backend, **telegram_env(telegram), **env), clock=clock))
