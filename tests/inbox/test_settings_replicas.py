"""A change made on one replica is used by the others (PostgreSQL + Redis: the scale-out mode)."""

from __future__ import annotations

import pytest
from aiohttp.test_utils import TestClient
from pytest_aiohttp import AiohttpClient

from app.web import create_app
from tests.apps import MovableClock, eventually, runtime_of, settings_for
from tests.conftest import Backend
from tests.fakes.telegram import FakeTelegram, text_update
from tests.flows.conftest import telegram_env
from tests.flows.test_telegram_wismo import post_update, replies
from tests.inbox.conftest import log_in
from tests.inbox.test_settings import GREETING, save_settings, save_template

CHAT = 999003


@pytest.fixture
async def other_replica(aiohttp_client: AiohttpClient, backend: Backend, clock: MovableClock,
                        telegram: FakeTelegram) -> TestClient:
    if backend.redis_url is None:
        pytest.skip("replicas share PostgreSQL and Redis; SQLite serves one process")
    return await aiohttp_client(create_app(settings_for(backend, **telegram_env(telegram)), clock=clock))


async def test_a_template_saved_on_one_replica_is_used_by_another(
    client: TestClient, other_replica: TestClient, telegram: FakeTelegram
) -> None:
    await log_in(client, "chu@shop.vn", "admin")
    await save_template(client, "vi/greeting", GREETING)
    renderer = runtime_of(other_replica).services.renderer

    async def rewritten_there() -> bool:
        return renderer.source("vi", "greeting") == GREETING + "\n"

    await eventually(rewritten_there)
    await post_update(other_replica, text_update(CHAT, "xin chào"))
    assert (await replies(telegram, 1, CHAT))[0] == "Xin chào từ Tiệm Nhà Mây!"


async def test_a_setting_saved_on_one_replica_is_used_by_another(
    client: TestClient, other_replica: TestClient, telegram: FakeTelegram
) -> None:
    await log_in(client, "chu@shop.vn", "admin")
    await save_settings(client, shop_name="Tiệm Bên Kia")

    async def renamed_there() -> bool:
        return runtime_of(other_replica).settings.shop_name == "Tiệm Bên Kia"

    await eventually(renamed_there)
    await post_update(other_replica, text_update(CHAT, "xin chào"))
    assert "Tiệm Bên Kia" in (await replies(telegram, 1, CHAT))[0]

