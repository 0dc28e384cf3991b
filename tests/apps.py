"""Building the real application for tests: settings from the backend, a clock tests move."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any, Awaitable, Callable

from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import select

from app.appkeys import RUNTIME
from app.runtime import Runtime
from bot.config import Settings
from bot.storage.models import Outbox
from tests.conftest import Backend

API_KEY = "test-api-key-0123456789"


class MovableClock:
    """Wall time for tests: starts at a fixed daytime instant and moves only when told."""

    def __init__(self, start: datetime = datetime(2026, 11, 24, 3, 0, tzinfo=timezone.utc)) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def settings_for(backend: Backend, **env: str) -> Settings:
    values = {
        "HAUMAI_DATABASE_URL": backend.database_url,
        "HAUMAI_API_KEY": API_KEY,
        "HAUMAI_SECRET_KEY": "test-secret-key-which-is-long-enough",
        "HAUMAI_SHOP_NAME": "Tiệm Nhà Mây",
        "HAUMAI_CARRIER_WEBHOOK_TOKEN": "carrier-token-123",
        **({"HAUMAI_REDIS_URL": backend.redis_url} if backend.redis_url else {}),
        **env,
    }
    return Settings.from_env(values, read_dotenv=False)


class ServedLikeProduction(TestServer):
    """The app served as `haumai serve` serves it: aiohttp's test server cancels a handler whose
    client left, production does not, and live streams must notice a departed client themselves."""

    async def _make_runner(self, **kwargs: Any) -> web.AppRunner:
        return web.AppRunner(self.app, **{**kwargs, "handler_cancellation": False})


def runtime_of(client: TestClient) -> Runtime:
    return client.app[RUNTIME].get()


async def eventually(check: Callable[[], Awaitable[Any]], timeout: float = 15.0) -> Any:
    """Poll until `check` returns something truthy: background turns finish on their own time (the
    bound is generous because CI machines are shared; it is a deadline, not a measurement)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        result = await check()
        if result:
            return result
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.02)


@dataclass
class Api:
    client: TestClient

    async def post(self, path: str, body: Any) -> Any:
        response = await self.client.post(path, json=body, headers={"Authorization": f"Bearer {API_KEY}"})
        return response.status, await response.json()

    async def get(self, path: str) -> Any:
        response = await self.client.get(path, headers={"Authorization": f"Bearer {API_KEY}"})
        return response.status, await response.json()


async def arrived(texts: Callable[[], list[str]], count: int) -> list[str]:
    """The texts a fake provider received, once there are at least `count` of them."""

    async def enough() -> list[str] | None:
        found = texts()
        return found if len(found) >= count else None

    return await eventually(enough)


async def outbox_reaches(client: TestClient, status: str, error_part: str) -> None:
    """Wait until an outbox row is `status` with `error_part` in its error: the send was decided."""
    sessions = runtime_of(client).sessions

    async def decided() -> bool:
        async with sessions() as db:
            found = await db.scalar(select(Outbox.id).where(Outbox.status == status, Outbox.last_error.like(f"%{error_part}%")))
            return found is not None

    await eventually(decided)


async def after_decision(client: TestClient, clock: MovableClock, status: str, error_part: str, **later: float) -> None:
    """Once the outbox decided a send (`status`, `error_part`), move time on and run the dispatcher."""
    await outbox_reaches(client, status, error_part)
    clock.advance(**later)
    runtime_of(client).dispatcher.wake()


async def a_status_after_silence(client: TestClient, clock: MovableClock, code: str, channel: str, user_id: str,
                                 **silence: float) -> None:
    """`silence` after the chat last wrote, the shop adds its order and the parcel is picked up: a notice is due."""
    clock.advance(**silence)
    customer = {"name": "Lan", "channel": channel, "channel_user_id": user_id}
    await Api(client).post("/api/v1/orders", {"code": code, "customer": customer})
    await Api(client).post(f"/api/v1/orders/{code}/events", {"status": "picked_up"})


async def decided_notice(client: TestClient, code: str) -> dict[str, str]:
    """The order's latest notice once the dispatcher has decided it (sent, skipped or failed)."""

    async def settled() -> dict[str, str] | None:
        _, order = await Api(client).get(f"/api/v1/orders/{code}")
        notices = [m for m in order["messages"] if m["kind"] == "notice" and m["status"] not in ("pending", "claimed", "sending")]
        return notices[-1] if notices else None

    return await eventually(settled)
