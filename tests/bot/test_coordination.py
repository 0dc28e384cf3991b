"""The in-process and the Redis coordinator behave alike."""

from __future__ import annotations

import asyncio
import logging
import os
import uuid
from contextlib import suppress
from typing import AsyncIterator

import pytest
from redis.exceptions import RedisError

from bench.server import free_port
from bot.coordination import Coordinator, LocalCoordinator, RedisCoordinator
from tests.fakes.redis_process import redis_server

REDIS_URL = os.environ.get("HAUMAI_TEST_REDIS_URL")


@pytest.fixture(params=["local", "redis"] if REDIS_URL else ["local"])
async def coordinator(request: pytest.FixtureRequest) -> AsyncIterator[Coordinator]:
    if request.param == "local":
        made: Coordinator = LocalCoordinator()
    else:
        made = RedisCoordinator(REDIS_URL or "", namespace=f"test-{uuid.uuid4().hex[:8]}")
    yield made
    await made.aclose()


async def test_published_messages_reach_subscribers(coordinator: Coordinator) -> None:
    async with coordinator.subscribe("room") as subscription:
        await asyncio.sleep(0.05)
        await coordinator.publish("room", {"n": 1})
        received = await asyncio.wait_for(anext(aiter(subscription)), 2)
    assert received == {"n": 1}


async def test_a_budget_grants_up_to_its_limit_then_asks_to_wait(coordinator: Coordinator) -> None:
    grants = [await coordinator.take("budget", 3, 3600.0) for _ in range(4)]
    assert grants[:3] == [0.0, 0.0, 0.0]
    assert grants[3] > 0


async def test_ping_answers(coordinator: Coordinator) -> None:
    assert await coordinator.ping()


async def test_without_redis_every_call_falls_back_to_this_replica() -> None:
    nobody_listens = f"redis://127.0.0.1:{free_port()}/0"
    coordinator = RedisCoordinator(nobody_listens)
    first, second = [await coordinator.take("budget", 1, 3600.0) for _ in range(2)]
    assert first == 0.0 and second > 0
    await coordinator.publish("room", {"n": 1})
    assert not await coordinator.ping()
    await coordinator.aclose()


async def test_a_subscription_outlives_a_redis_restart(caplog: pytest.LogCaptureFixture) -> None:
    async with redis_server() as server:
        coordinator = RedisCoordinator(server.url)
        async with coordinator.subscribe("room") as subscription:
            received = asyncio.ensure_future(anext(aiter(subscription)))
            with caplog.at_level(logging.INFO, logger="bot.coordination"):
                await server.stop()
                await server.start()
                while not received.done():  # what is published before the listener is back is lost
                    with suppress(RedisError, OSError):
                        await coordinator.publish("room", {"n": 1})
                    await asyncio.wait({received}, timeout=0.1)
        await coordinator.aclose()
    assert received.result() == {"n": 1}
    assert [r.getMessage() for r in caplog.records] == ["redis pub/sub lost; reconnecting", "redis pub/sub resumed"]
