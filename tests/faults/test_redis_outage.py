"""Redis is an accelerator: a Redis restart mid-traffic loses no update and stops no worker."""

from __future__ import annotations

from aiohttp.test_utils import TestClient
from sqlalchemy import func, select

from bot.storage.models import InboundEvent
from tests.apps import eventually, runtime_of
from tests.fakes.redis_process import RedisProcess
from tests.fakes.telegram import FakeTelegram, text_update
from tests.flows.conftest import WEBHOOK_SECRET

QUESTION = "đơn của em tới đâu rồi?"
SECRET = {"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET}


async def send_updates(client: TestClient, chats: range) -> list[int]:
    statuses = []
    for chat in chats:
        response = await client.post("/webhooks/telegram", json=text_update(chat, QUESTION), headers=SECRET)
        statuses.append(response.status)
    return statuses


async def answered(telegram: FakeTelegram, chats: range) -> bool:
    return all(telegram.texts_to(chat) for chat in chats)


async def readiness(client: TestClient) -> tuple[int, dict[str, object]]:
    response = await client.get("/readyz")
    return response.status, await response.json()


async def test_every_update_sent_across_a_redis_restart_is_answered(
    redis_client: TestClient, redis_server: RedisProcess, telegram: FakeTelegram
) -> None:
    assert await send_updates(redis_client, range(1000, 1005)) == [200] * 5
    await eventually(lambda: answered(telegram, range(1000, 1005)))
    await redis_server.stop()
    assert await send_updates(redis_client, range(2000, 2010)) == [200] * 10
    await redis_server.start()
    assert await send_updates(redis_client, range(3000, 3040)) == [200] * 40
    await eventually(lambda: answered(telegram, range(2000, 2010)))
    await eventually(lambda: answered(telegram, range(3000, 3040)))


async def test_a_retried_update_is_stored_once_while_redis_is_down(
    redis_client: TestClient, redis_server: RedisProcess, telegram: FakeTelegram
) -> None:
    await redis_server.stop()
    update = text_update(4000, QUESTION)
    for _ in range(3):  # the provider retrying: the database's constraint decides, with or without Redis
        assert (await redis_client.post("/webhooks/telegram", json=update, headers=SECRET)).status == 200
    async with runtime_of(redis_client).sessions() as session:
        assert await session.scalar(select(func.count()).select_from(InboundEvent)) == 1
    await eventually(lambda: answered(telegram, range(4000, 4001)))


async def test_readiness_shows_redis_down_then_back_without_going_unready(
    redis_client: TestClient, redis_server: RedisProcess
) -> None:
    await redis_server.stop()
    status, body = await readiness(redis_client)
    assert status == 200 and body["checks"] == {"database": True, "coordination": False}
    await redis_server.start()
    status, body = await readiness(redis_client)
    assert status == 200 and body["checks"] == {"database": True, "coordination": True}
