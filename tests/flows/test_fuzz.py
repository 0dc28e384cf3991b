"""Property: no hostile but correctly signed request to any route gets a 5xx other than 503."""

from __future__ import annotations

import pytest
from aiohttp.test_utils import TestClient
from hypothesis import given
from hypothesis import strategies as st
from pytest_aiohttp import AiohttpClient

from app.web import create_app
from tests.apps import MovableClock, settings_for
from tests.conftest import Backend
from tests.fakes.graph import FakeGraph
from tests.fakes.telegram import FakeTelegram
from tests.fakes.zalo import FakeZalo
from tests.flows.conftest import messenger_env, telegram_env, zalo_env
from tests.hostile import VIETTELPOST_TOKEN, Visitor, hostile_requests, routes


@pytest.fixture
async def shop(aiohttp_client: AiohttpClient, backend: Backend, clock: MovableClock, telegram: FakeTelegram,
               graph: FakeGraph, zalo: FakeZalo) -> TestClient:
    app_settings = settings_for(backend, **telegram_env(telegram), **messenger_env(graph), **zalo_env(zalo),
                                HAUMAI_VIETTELPOST_TOKEN=VIETTELPOST_TOKEN)
    return await aiohttp_client(create_app(app_settings, clock=clock))


@pytest.fixture
async def visitor(shop: TestClient) -> Visitor:
    return await Visitor(shop, "fuzz@shop.vn").start()


@given(data=st.data())
async def test_no_hostile_signed_request_to_any_route_gets_a_server_error(visitor: Visitor, data: st.DataObject) -> None:
    request = data.draw(hostile_requests(routes(visitor.client.app), visitor))
    status = await visitor.send(request)
    assert status < 500 or status == 503, (request.method, request.path, request.body[:200], status)
