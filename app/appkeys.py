"""Typed keys for what the aiohttp application holds."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import Clock
from bot.config import Settings
from bot.orders import StatusChange
from bot.storage.models import Order
from tracking.timeline import OrderChangeHook

if TYPE_CHECKING:  # the runtime imports everything; keys must stay importable alone
    from app.runtime import Runtime


class RuntimeBox:
    """Filled when the app starts: aiohttp freezes app state before startup hooks run."""

    runtime: Runtime | None = None

    def get(self) -> Runtime:
        assert self.runtime is not None, "the application has not started"
        return self.runtime


class OrderChangeRelay:
    """Stands in for the journey planner until the runtime that owns it has started."""

    target: OrderChangeHook | None = None

    async def __call__(self, session: AsyncSession, order: Order, change: StatusChange) -> None:
        if self.target is not None:
            await self.target(session, order, change)


SETTINGS = web.AppKey("settings", Settings)
SESSIONS = web.AppKey("sessions", async_sessionmaker[AsyncSession])
CLOCK: web.AppKey[Clock] = web.AppKey("clock")  # a Callable alias is no class to pass as the type
ORDER_CHANGED = web.AppKey("order_changed", OrderChangeHook)
RUNTIME = web.AppKey("runtime", RuntimeBox)
