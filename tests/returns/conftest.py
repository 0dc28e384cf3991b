"""Fixtures of tests/flows (fake Telegram, Graph, Zalo, GHN and the movable clock), and the shop
every returns test talks to: all four channels, GHN tracking, return pickups entered by staff."""

from __future__ import annotations

import pytest
from aiohttp.test_utils import TestClient
from pytest_aiohttp import AiohttpClient

from app.web import create_app
from tests.apps import MovableClock, settings_for
from tests.conftest import Backend
from tests.fakes.carriers import FakeGhn
from tests.fakes.graph import FakeGraph
from tests.fakes.telegram import FakeTelegram
from tests.fakes.zalo import FakeZalo
from tests.flows.conftest import clock, ghn, graph, messenger_env, telegram, telegram_env, zalo, zalo_env  # noqa: F401

PHOTO_LIMIT = 16 * 1024


@pytest.fixture
async def shop(aiohttp_client: AiohttpClient, backend: Backend, clock: MovableClock, telegram: FakeTelegram,  # noqa: F811
               graph: FakeGraph, zalo: FakeZalo, ghn: FakeGhn) -> TestClient:  # noqa: F811
    settings = settings_for(backend, **telegram_env(telegram), **messenger_env(graph), **zalo_env(zalo),
                            HAUMAI_GHN_TOKEN="ghn-token", HAUMAI_GHN_API_BASE=ghn.base, HAUMAI_RETURNS_PICKUP_CARRIER="off",
                            HAUMAI_RETURNS_PHOTO_MAX_BYTES=str(PHOTO_LIMIT))
    return await aiohttp_client(create_app(settings, clock=clock))
